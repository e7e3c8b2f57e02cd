"""/v1/regions: the tree, the flat list and the region detail."""

from __future__ import annotations

import httpx

from app.data.dataset import Dataset


def _walk(nodes: list[dict]) -> list[dict]:
    out = []
    for node in nodes:
        out.append(node)
        out += _walk(node["children"])
    return out


def test_tree_holds_every_region_once(client: httpx.Client, dataset: Dataset) -> None:
    body = client.get("/v1/regions").json()
    assert body["count"] == len(dataset.regions)
    assert [n["slug"] for n in body["results"]] == [
        r.slug for r in dataset.regions.values() if r.parent is None
    ]
    slugs = [n["slug"] for n in _walk(body["results"])]
    assert sorted(slugs) == sorted(dataset.regions)
    head = body["results"][0]
    assert "temple" in [c["slug"] for c in head["children"]]


def test_flat_list_is_paginated(client: httpx.Client, dataset: Dataset) -> None:
    body = client.get("/v1/regions", params={"flat": "true", "limit": 100}).json()
    assert body["count"] == len(dataset.regions)
    assert len(body["results"]) == 100 and body["next"]
    temple = next(r for r in body["results"] if r["slug"] == "temple")
    assert temple["parent"] == {"slug": "head", "name": "Head", "url": "/v1/regions/head"}
    assert "temples" in temple["synonyms"]


def test_region_detail_lists_essential_muscles_first(
    client: httpx.Client, dataset: Dataset
) -> None:
    body = client.get("/v1/regions/heel").json()
    assert body["ancestors"][0]["slug"] == "foot"
    kinds = [m["kind"] for m in body["muscles"]]
    assert kinds == sorted(kinds)
    essential = {m.slug for m, p in dataset.trigger_points() if "heel" in p.essential}
    assert {m["muscle"]["slug"] for m in body["muscles"] if m["kind"] == "essential"} == essential
    assert "soleus" in essential


def test_parent_region_collects_children(client: httpx.Client) -> None:
    head = client.get("/v1/regions/head").json()
    temple = client.get("/v1/regions/temple").json()
    assert {m["muscle"]["slug"] for m in temple["muscles"]} <= {
        m["muscle"]["slug"] for m in head["muscles"]
    }
    assert len(head["children"]) >= 5


def test_unknown_region_is_404_with_suggestions(client: httpx.Client) -> None:
    response = client.get("/v1/regions/shin-bone")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "shin" in [s["slug"] for s in response.json()["suggestions"]]
