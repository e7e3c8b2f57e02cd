"""/v1/pain-sources and /v1/search (in process): shapes, understanding, bad input."""

from __future__ import annotations

import httpx
import pytest

from app.data.dataset import Dataset


def ask(http: httpx.Client, **params: object) -> dict:
    response = http.get("/v1/pain-sources", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_shape_of_an_answer(app_client: httpx.Client) -> None:
    body = ask(app_client, region="temple")
    assert set(body) == {
        "query",
        "results",
        "warnings",
        "suggestions",
        "body_map_url",
        "disclaimer",
    }
    assert body["body_map_url"] == "/v1/body-map.svg?region=temple"
    assert body["disclaimer"] and body["warnings"] == [] and body["suggestions"] == []
    assert body["query"]["regions"][0]["slug"] == "temple"
    first = body["results"][0]
    assert set(first["muscle"]) >= {"slug", "name", "aliases", "url"}
    assert first["rank"] == 1 and 0 < first["score"] <= 1
    assert first["matched"][0]["region"] == "temple"
    assert first["why"].startswith("Trigger points in ")
    assert first["self_care_url"] == f"/v1/muscles/{first['muscle']['slug']}/self-care"
    ranks = [r["rank"] for r in body["results"]]
    scores = [r["score"] for r in body["results"]]
    assert ranks == list(range(1, len(ranks) + 1)) and scores == sorted(scores, reverse=True)


def test_results_come_from_the_zones(app_client: httpx.Client, dataset: Dataset) -> None:
    body = ask(app_client, region="heel", include="essential", limit=100)
    direct = {m.slug for m, p in dataset.trigger_points() if "heel" in p.essential}
    near = dataset.neighbours["heel"] | {"foot", "lower-limb"}
    nearby = {m.slug for m, p in dataset.trigger_points() if near.intersection(p.essential)}
    ranked = [r["muscle"]["slug"] for r in body["results"]]
    # Muscles referring to the heel itself first, then those referring next to it.
    assert set(ranked[: len(direct)]) == direct
    assert set(ranked) == direct | nearby
    assert all(m["kind"] == "essential" for r in body["results"] for m in r["matched"])
    assert all(m["zone"] in near for r in body["results"][len(direct) :] for m in r["matched"])
    with_spillover = ask(app_client, region="heel", limit=100)
    assert len(with_spillover["results"]) >= len(body["results"])


def test_free_text_regions_side_and_order(app_client: httpx.Client) -> None:
    body = ask(app_client, q="pain in my left jaw, neck and shoulder")
    assert [r["slug"] for r in body["query"]["regions"]] == ["jaw", "neck", "shoulder"]
    assert body["query"]["side"] == "left"
    top = body["results"][0]
    assert len(top["matched"]) >= 2  # explains more than one of the three areas


def test_explicit_side_parameter_wins(app_client: httpx.Client) -> None:
    body = ask(app_client, q="left heel", side="right")
    assert body["query"]["side"] == "right"
    assert body["body_map_url"] == "/v1/body-map.svg?q=left+heel&side=right"


def test_question_naming_nothing_known_gets_suggestions(app_client: httpx.Client) -> None:
    body = ask(app_client, q="blorf zzzq")
    assert body["results"] == [] and body["suggestions"]
    near = ask(app_client, q="my forarm")
    assert near["query"]["regions"][0]["slug"] == "forearm"


@pytest.mark.parametrize(
    ("question", "close"),
    [("my elbw zzq", "elbow"), ("shouldr blorf", "shoulder"), ("temmple throbz", "temple")],
)
def test_suggestions_are_close_to_what_was_typed(
    app_client: httpx.Client, question: str, close: str
) -> None:
    """A question understood as nothing is answered with places spelled like
    it, not a fixed list."""
    body = ask(app_client, q=question)
    if body["results"]:  # understood outright: nothing to suggest
        assert body["query"]["regions"][0]["slug"].startswith(close)
        return
    assert close in [s["slug"] for s in body["suggestions"]][:3], body["suggestions"]


def test_suggestions_for_a_near_miss_phrase(app_client: httpx.Client) -> None:
    body = ask(app_client, q="qqq shoulderblorf")
    assert body["results"] == []
    assert any("shoulder" in s["slug"] for s in body["suggestions"]), body["suggestions"]


def test_every_named_region_answers_with_muscles(
    app_client: httpx.Client, dataset: Dataset
) -> None:
    """No question that names a body area answers with empty results."""
    for region in dataset.regions.values():
        body = ask(app_client, q=f"pain in my {region.name.lower()}")
        assert body["results"], region.slug


def test_understanding_is_echoed(app_client: httpx.Client) -> None:
    body = ask(app_client, q="my left jaw aches when I chew, not my ear, with a burning feeling")
    query = body["query"]
    assert query["side"] == "left"
    assert [r["slug"] for r in query["denied"]] == ["ear"]
    assert "ear" not in [r["slug"] for r in query["regions"]]
    assert query["activities"] and query["activities"][0]["matched_text"]
    assert query["sensations"] and query["sensations"][0]["matched_text"]


def test_warnings_name_what_they_recognised(app_client: httpx.Client) -> None:
    body = ask(app_client, q="sudden worst headache of my life")
    warning = body["warnings"][0]
    assert warning["urgency"] == "emergency"
    assert any("headache" in words for words in warning["recognised"])


@pytest.mark.parametrize(
    "question",
    [
        "🤕🤕🤕",
        "\x00\x01\x1b[31m",
        "ｓｈｏｕｌｄｅｒ",
        "é" * 500,
        "'; DROP TABLE muscle; --",
        "%00",
        "\u202e",
    ],
)
def test_any_text_gets_a_normal_answer(app_client: httpx.Client, question: str) -> None:
    response = app_client.get("/v1/pain-sources", params={"q": question})
    assert response.status_code == 200
    assert response.json()["disclaimer"]


def test_full_width_text_is_understood(app_client: httpx.Client) -> None:
    assert ask(app_client, q="ｓｈｏｕｌｄｅｒ")["query"]["regions"][0]["slug"] == "shoulder"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 422),
        ({"q": "   "}, 422),
        ({"q": "x" * 501}, 422),
        ({"q": "heel", "limit": 0}, 422),
        ({"q": "heel", "limit": 101}, 422),
        ({"q": "heel", "side": "middle"}, 422),
        ({"q": "heel", "include": "everything"}, 422),
        ({"region": "templ"}, 404),
        ({"condition": "no-such-condition"}, 404),
    ],
)
def test_bad_input_is_a_problem(app_client: httpx.Client, params: dict, status: int) -> None:
    response = app_client.get("/v1/pain-sources", params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]


def test_unknown_region_suggests(app_client: httpx.Client) -> None:
    body = app_client.get("/v1/pain-sources", params={"region": "templ"}).json()
    assert body["suggestions"][0]["slug"] == "temple"


def test_too_many_repeated_regions(app_client: httpx.Client) -> None:
    response = app_client.get("/v1/pain-sources", params=[("region", "heel")] * 11)
    assert response.status_code == 422


def test_limit_caps_results(app_client: httpx.Client) -> None:
    assert len(ask(app_client, region="head", limit=3)["results"]) == 3


def test_search_autocompletes_across_kinds(app_client: httpx.Client) -> None:
    body = app_client.get("/v1/search", params={"q": "trap"}).json()
    kinds = {(h["kind"], h["slug"]) for h in body["results"]}
    assert ("muscle", "upper-trapezius") in kinds
    first = body["results"][0]
    assert first["matched"].casefold().startswith("trap") or "trap" in first["matched"].casefold()
    typo = app_client.get("/v1/search", params={"q": "infraspinatis"}).json()
    assert typo["results"][0]["slug"] == "infraspinatus"
    region = app_client.get("/v1/search", params={"q": "shin bone"}).json()
    assert ("region", "shin") in {(h["kind"], h["slug"]) for h in region["results"]}


@pytest.mark.parametrize(
    "params", [{}, {"q": ""}, {"q": "!!!"}, {"q": "a" * 101}, {"q": "x", "limit": 0}]
)
def test_search_bad_input(app_client: httpx.Client, params: dict) -> None:
    response = app_client.get("/v1/search", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_why_is_one_sentence_naming_point_and_zone(
    app_client: httpx.Client, dataset: Dataset
) -> None:
    body = ask(app_client, q="tennis elbow", limit=20)
    for result in body["results"]:
        why = result["why"]
        assert why.endswith(".") and ". " not in why, why
        if result["matched"]:
            zone = dataset.regions[result["matched"][0]["zone"]].name.casefold()
            assert zone in why.casefold(), why
            assert result["matched"][0]["kind"] in why
        if result["condition"]:
            assert "tennis elbow" in why.casefold()


def test_answers_keep_the_documented_shape(dataset: Dataset) -> None:
    """Lookups are built as plain data for speed: every answer to the
    evaluation questions must still be exactly a PainSources."""
    from app.api.catalog import Catalog
    from app.api.schemas import PainSources
    from app.api.services import pain_sources
    from bench.eval import MUSCLE_SETS, load_questions

    catalog = Catalog(dataset)
    questions = [item["q"] for path in MUSCLE_SETS.values() for item in load_questions(path)]
    for question in [*questions, "blorf zzq", "sudden worst headache of my life"]:
        answer = pain_sources(catalog, question, [], [], None, "spillover", 10)
        assert PainSources.model_validate(answer).model_dump(mode="json") == answer, question
    answer = pain_sources(catalog, None, ["heel"], ["tennis-elbow"], "left", "essential", 3)
    assert PainSources.model_validate(answer).model_dump(mode="json") == answer


def test_why_names_each_zone_once(app_client: httpx.Client) -> None:
    """A zone next to two asked areas explains both, and is named once."""
    body = ask(app_client, region=["lateral-elbow", "shoulder-side"], limit=20)
    for result in body["results"]:
        zones = [f"{m['zone']}/{m['trigger_point']}" for m in result["matched"]]
        if len(zones) != len(set(zones)):
            why = result["why"]
            assert why.count(" zone, ") == len(set(zones)), why
            return
    raise AssertionError("no result explained two areas with one zone")
