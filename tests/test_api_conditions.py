"""/v1/conditions: the list and a condition's record (in process)."""

from __future__ import annotations

import httpx

from app.data.dataset import Dataset


def test_list_is_alphabetical_and_complete(app_client: httpx.Client, dataset: Dataset) -> None:
    body = app_client.get("/v1/conditions", params={"limit": 100}).json()
    assert body["count"] == len(dataset.conditions)
    names = [c["name"] for c in body["results"]]
    assert names == sorted(names, key=str.casefold)
    assert {c["slug"] for c in body["results"]} == set(dataset.conditions)
    first = body["results"][0]
    assert first["url"] == f"/v1/conditions/{first['slug']}"


def test_condition_record_follows_the_data(app_client: httpx.Client, dataset: Dataset) -> None:
    response = app_client.get("/v1/conditions/tension-type-headache")
    assert response.status_code == 200
    body = response.json()
    source = dataset.conditions["tension-type-headache"]
    assert body["slug"] == source.slug and body["name"] == source.name
    assert body["synonyms"] == source.synonyms
    assert body["url"] == "/v1/conditions/tension-type-headache"
    # Muscles most associated first, as curated; each links its record.
    assert [m["slug"] for m in body["muscles"]] == source.muscles
    assert all(m["url"] == f"/v1/muscles/{m['slug']}" for m in body["muscles"])
    assert [r["slug"] for r in body["regions"]] == source.regions
    assert all(r["url"] == f"/v1/regions/{r['slug']}" for r in body["regions"])
    assert [s["title"] for s in body["sources"]] == [s.title for s in source.sources]


def test_every_listed_condition_answers(app_client: httpx.Client, dataset: Dataset) -> None:
    for slug in dataset.conditions:
        response = app_client.get(f"/v1/conditions/{slug}")
        assert response.status_code == 200, slug
        assert response.json()["muscles"], slug


def test_unknown_condition_is_a_404_problem_with_suggestions(app_client: httpx.Client) -> None:
    response = app_client.get("/v1/conditions/tennis-elbo")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["title"] == "Not Found"
    assert "tennis-elbo" in body["detail"]
    assert body["suggestions"][0]["slug"] == "tennis-elbow"
    assert "etag" not in response.headers


def test_overlong_slug_is_a_422_problem(app_client: httpx.Client) -> None:
    response = app_client.get("/v1/conditions/" + "a" * 101)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
