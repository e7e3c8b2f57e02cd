"""CHOIR Body Map codes: ``/v1/pain-sources?choir=…`` asks a clinic's pain
drawing as the Painmap regions each segment covers, on its side;
``/v1/regions/schemes/choir`` lists the mapping; data/choir.yaml is checked
like every data file."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml

from app.data.dataset import (
    CHOIR_SEGMENTS,
    DEFAULT_DATA_DIR,
    DataError,
    Dataset,
    dataset_version,
    load_choir,
    load_dataset,
)

SEGMENTS = {s.code: s for s in load_choir(DEFAULT_DATA_DIR).segments}


def asked(client: httpx.Client, **params: object) -> dict:
    response = client.get("/v1/pain-sources", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_segments_are_asked_as_their_regions_on_their_side(client: httpx.Client) -> None:
    answer = asked(client, choir=[112, 207])
    expected = list(dict.fromkeys([*SEGMENTS[112].regions, *SEGMENTS[207].regions]))
    assert [r["slug"] for r in answer["query"]["regions"]] == expected
    assert answer["query"]["side"] == "left"
    assert answer["results"] and answer["disclaimer"]
    # The same answer as asking those regions on that side.
    same = asked(client, region=expected, side="left")
    assert [r["muscle"]["slug"] for r in answer["results"]] == [
        r["muscle"]["slug"] for r in same["results"]
    ]


@pytest.mark.parametrize(
    ("codes", "side"),
    [
        ([101], "right"),  # front figure: the viewer's left is the person's right
        ([102], "left"),
        ([201], "left"),  # back figure: the viewer's left is the person's left
        ([202], "right"),
        ([111, 112], None),  # both arms: no one side
        ([126, 229], "right"),  # the right thigh, front and back
        ([126, 228], None),
    ],
)
def test_side_is_the_persons_own(client: httpx.Client, codes: list[int], side: str) -> None:
    assert asked(client, choir=codes)["query"]["side"] == side


def test_explicit_side_and_regions_combine_with_segments(client: httpx.Client) -> None:
    answer = asked(client, choir=[112], region="heel", side="right")
    assert answer["query"]["side"] == "right"
    assert answer["query"]["regions"][0]["slug"] == "heel"
    assert "upper-arm" in [r["slug"] for r in answer["query"]["regions"]]


def test_a_whole_drawing_is_accepted(client: httpx.Client) -> None:
    answer = asked(client, choir=sorted(CHOIR_SEGMENTS), limit=3)
    assert len(answer["results"]) == 3


@pytest.mark.parametrize("codes", [[137], [112, 200, 239], [100, 300], [0]])
def test_unknown_segments_are_a_problem_naming_them(client: httpx.Client, codes: list[int]) -> None:
    response = client.get("/v1/pain-sources", params={"choir": codes})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Unprocessable Content" and problem["status"] == 422
    unknown = [c for c in codes if c not in CHOIR_SEGMENTS]
    for code in unknown:
        assert f"segment {code} " in problem["detail"]
    assert [e["loc"] for e in problem["errors"]] == [
        ["query", "choir", codes.index(c)] for c in unknown
    ]


def test_segments_that_are_no_numbers_are_a_problem(client: httpx.Client) -> None:
    response = client.get("/v1/pain-sources", params={"choir": "elbow"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "choir", 0]


def test_scheme_lists_every_segment(client: httpx.Client, dataset: Dataset) -> None:
    response = client.get("/v1/regions/schemes/choir")
    assert response.status_code == 200
    scheme = response.json()
    assert scheme["scheme"] == "choir" and scheme["name"] == "CHOIR Body Map"
    assert scheme["count"] == 74 and scheme["next"] is None and scheme["previous"] is None
    assert [s["code"] for s in scheme["results"]] == sorted(CHOIR_SEGMENTS)
    assert any("github.com/emcramer/CHOIRBM" in (s["url"] or "") for s in scheme["sources"])
    assert any("10.1097/PR9.0000000000000880" in (s["url"] or "") for s in scheme["sources"])
    for segment in scheme["results"]:
        assert segment["view"] == ("front" if segment["code"] < 200 else "back")
        assert segment["side"] in ("left", "right")
        assert segment["name"].startswith(segment["side"].capitalize())
        for region in segment["regions"]:
            assert region["slug"] in dataset.regions
            assert region["url"] == f"/v1/regions/{region['slug']}"
    first = scheme["results"][0]
    assert client.get(first["pain_sources_url"]).status_code == 200


def test_mirror_segments_differ_only_by_side() -> None:
    """Each left segment has a right twin covering the same regions."""
    by_place: dict[tuple[str, str, tuple[str, ...]], set[str]] = {}
    for segment in SEGMENTS.values():
        place = segment.name.split(" ", 1)[1]
        key = (segment.view.value, place, tuple(segment.regions))
        by_place.setdefault(key, set()).add(segment.side)
    assert all(sides == {"left", "right"} for sides in by_place.values())
    assert len(by_place) == 37


def test_unknown_scheme_is_a_problem(client: httpx.Client) -> None:
    response = client.get("/v1/regions", params={"scheme": "michigan"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "scheme"]


def _edit(data: Path, change: callable) -> None:  # type: ignore[valid-type]
    path = data / "choir.yaml"
    raw = yaml.safe_load(path.read_text())
    change(raw)
    path.write_text(yaml.safe_dump(raw))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["segments"].pop(), "missing segment(s) [238]"),
        (lambda raw: raw["segments"][0].update(regions=["elbw"]), "unknown region 'elbw'"),
        (lambda raw: raw["segments"][0].update(code=102), "repeated"),
        (lambda raw: raw["segments"][0].update(view="back"), "front segments are 1xx"),
        (lambda raw: raw["segments"][0].update(side="up"), "side"),
        (lambda raw: raw.update(sources=[]), "sources"),
    ],
)
def test_a_bad_mapping_fails_to_load_naming_the_file(data_copy: Path, change, message) -> None:  # type: ignore[no-untyped-def]
    _edit(data_copy, change)
    with pytest.raises(DataError) as caught:
        load_dataset(data_copy)
    assert caught.value.file == "data/choir.yaml"
    assert message in str(caught.value)


def test_the_mapping_is_part_of_the_dataset_version(data_copy: Path) -> None:
    before = dataset_version(data_copy)
    _edit(data_copy, lambda raw: raw.update(name="CHOIR body map"))
    assert dataset_version(data_copy) != before
