"""/v1/regions: the tree, the flat list and the region detail; the old
``?flat=true`` and ``?scheme=choir`` URLs still lead there."""

from __future__ import annotations

import httpx

from app.api.regions import RESERVED_SLUGS
from app.data.dataset import Dataset


def _walk(nodes: list[dict]) -> list[dict]:
    out = []
    for node in nodes:
        out.append(node)
        out += _walk(node["children"])
    return out


def test_tree_holds_every_region_once(app_client: httpx.Client, dataset: Dataset) -> None:
    body = app_client.get("/v1/regions").json()
    assert body["count"] == len(dataset.regions)
    assert [n["slug"] for n in body["results"]] == [
        r.slug for r in dataset.regions.values() if r.parent is None
    ]
    slugs = [n["slug"] for n in _walk(body["results"])]
    assert sorted(slugs) == sorted(dataset.regions)
    head = body["results"][0]
    assert "temple" in [c["slug"] for c in head["children"]]


def test_flat_list_is_paginated(app_client: httpx.Client, dataset: Dataset) -> None:
    body = app_client.get("/v1/regions/flat", params={"limit": 100}).json()
    assert body["count"] == len(dataset.regions)
    assert len(body["results"]) == 100 and body["next"]
    temple = next(r for r in body["results"] if r["slug"] == "temple")
    assert temple["parent"] == {"slug": "head", "name": "Head", "url": "/v1/regions/head"}
    assert "temples" in temple["synonyms"]


def test_old_urls_redirect_keeping_the_page(app_client: httpx.Client) -> None:
    """``?flat=true`` and ``?scheme=choir`` were shapes of /v1/regions; each
    has its own operation now, and the old URLs answer a permanent redirect
    (relative, with the page asked for) to it."""
    cases = {
        "/v1/regions?flat=true&limit=5&offset=10": "/v1/regions/flat?limit=5&offset=10",
        "/v1/regions?flat=true": "/v1/regions/flat",
        "/v1/regions?scheme=choir": "/v1/regions/schemes/choir",
    }
    for old, new in cases.items():
        moved = app_client.get(old)
        assert moved.status_code == 308, old
        assert moved.headers["location"] == new
        assert app_client.get(old, follow_redirects=True).json() == app_client.get(new).json()
    assert app_client.get("/v1/regions?flat=true&limit=1000").status_code == 422
    assert app_client.get("/v1/regions?flat=false").json()["results"][0]["children"]


def test_no_region_takes_a_path_of_the_regions_api(dataset: Dataset) -> None:
    # /v1/regions/flat is routed before /v1/regions/{slug}.
    assert not RESERVED_SLUGS & set(dataset.regions)


def test_region_detail_lists_essential_muscles_first(
    app_client: httpx.Client, dataset: Dataset
) -> None:
    body = app_client.get("/v1/regions/heel").json()
    assert body["ancestors"][0]["slug"] == "foot"
    kinds = [m["kind"] for m in body["muscles"]]
    assert kinds == sorted(kinds)
    essential = {m.slug for m, p in dataset.trigger_points() if "heel" in p.essential}
    assert {m["muscle"]["slug"] for m in body["muscles"] if m["kind"] == "essential"} == essential
    assert "soleus" in essential


def test_parent_region_collects_children(app_client: httpx.Client) -> None:
    head = app_client.get("/v1/regions/head").json()
    temple = app_client.get("/v1/regions/temple").json()
    assert {m["muscle"]["slug"] for m in temple["muscles"]} <= {
        m["muscle"]["slug"] for m in head["muscles"]
    }
    assert len(head["children"]) >= 5


def test_unknown_region_is_404_with_suggestions(app_client: httpx.Client) -> None:
    response = app_client.get("/v1/regions/shin-bone")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "shin" in [s["slug"] for s in response.json()["suggestions"]]
