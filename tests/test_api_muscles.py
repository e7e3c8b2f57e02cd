"""/v1/muscles: listing, filters, pagination edges, detail, trigger points, self-care."""

from __future__ import annotations

import httpx
import pytest

from app.data.dataset import Dataset


def test_list_counts_every_muscle(app_client: httpx.Client, dataset: Dataset) -> None:
    body = app_client.get("/v1/muscles", params={"limit": 100}).json()
    assert body["count"] == len(dataset.muscles)
    names = [m["name"] for m in body["results"]]
    assert names == sorted(names, key=str.casefold)
    first = body["results"][0]
    assert set(first) == {"slug", "name", "aliases", "group", "url"}
    assert first["url"] == f"/v1/muscles/{first['slug']}"


def test_pagination_walks_every_item_once(app_client: httpx.Client, dataset: Dataset) -> None:
    seen: list[str] = []
    url: str | None = "/v1/muscles?limit=7"
    pages = 0
    while url:
        response = app_client.get(url)
        assert response.status_code == 200
        body = response.json()
        seen += [m["slug"] for m in body["results"]]
        if body["next"]:
            assert f'<{body["next"]}>; rel="next"' in response.headers["link"]
        url = body["next"]
        pages += 1
    assert sorted(seen) == sorted(dataset.muscles)
    assert pages == -(-len(dataset.muscles) // 7)


def test_pagination_edges(app_client: httpx.Client, dataset: Dataset) -> None:
    total = len(dataset.muscles)
    first = app_client.get("/v1/muscles", params={"limit": 5}).json()
    assert first["previous"] is None and first["next"] == "/v1/muscles?limit=5&offset=5"
    last = app_client.get("/v1/muscles", params={"limit": 5, "offset": total - 1}).json()
    assert last["next"] is None and len(last["results"]) == 1
    assert last["previous"] == f"/v1/muscles?limit=5&offset={total - 6}"
    beyond = app_client.get("/v1/muscles", params={"offset": total + 10}).json()
    assert beyond["results"] == [] and beyond["count"] == total


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "ten"}, {"group": "tail"}]
)
def test_bad_list_parameters_are_422_problems(app_client: httpx.Client, params: dict) -> None:
    response = app_client.get("/v1/muscles", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422 and body["errors"]
    assert body["errors"][0]["loc"][0] == "query"


def test_filter_by_group(app_client: httpx.Client, dataset: Dataset) -> None:
    body = app_client.get("/v1/muscles", params={"group": "foot", "limit": 100}).json()
    expected = {s for s, m in dataset.muscles.items() if m.group.value == "foot"}
    assert {m["slug"] for m in body["results"]} == expected
    assert body["count"] == len(expected) > 0


def test_filter_by_region_includes_sub_regions(app_client: httpx.Client, dataset: Dataset) -> None:
    body = app_client.get("/v1/muscles", params={"region": "jaw", "limit": 100}).json()
    below = dataset.descendants("jaw")
    expected = {
        m.slug
        for m, p in dataset.trigger_points()
        if below.intersection(p.essential) or below.intersection(p.spillover)
    }
    assert {m["slug"] for m in body["results"]} == expected
    assert "masseter" in expected


def test_filter_by_unknown_region_is_404(app_client: httpx.Client) -> None:
    response = app_client.get("/v1/muscles", params={"region": "tempel"})
    assert response.status_code == 404
    assert "temple" in [s["slug"] for s in response.json()["suggestions"]]


def test_detail_has_the_fixed_fields(app_client: httpx.Client, dataset: Dataset) -> None:
    body = app_client.get("/v1/muscles/infraspinatus").json()
    source = dataset.muscles["infraspinatus"]
    assert body["slug"] == "infraspinatus" and body["name"] == source.name
    assert body["aliases"] == source.aliases
    assert body["sources"] and all(s["title"] for s in body["sources"])
    assert len(body["trigger_points"]) == len(source.trigger_points)
    for point, expected in zip(body["trigger_points"], source.trigger_points, strict=True):
        assert point["slug"] == expected.slug and point["label"] == expected.label
        kinds = [z["kind"] for z in point["zones"]]
        assert kinds == sorted(kinds)  # essential before spillover
        essential = [z["region"]["slug"] for z in point["zones"] if z["kind"] == "essential"]
        assert essential == expected.essential
        assert all(
            z["region"]["url"] == f"/v1/regions/{z['region']['slug']}" for z in point["zones"]
        )
        assert point["self_care_url"].startswith("/v1/muscles/infraspinatus/self-care")


def test_trigger_points_endpoint_matches_detail(app_client: httpx.Client) -> None:
    detail = app_client.get("/v1/muscles/gluteus-medius").json()
    points = app_client.get("/v1/muscles/gluteus-medius/trigger-points").json()
    assert points == detail["trigger_points"]
    assert len(points) >= 3


def test_unknown_muscle_suggests_close_matches(app_client: httpx.Client) -> None:
    for path in ("/v1/muscles/infraspinatis", "/v1/muscles/infraspinatis/trigger-points"):
        response = app_client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["title"] == "Not Found" and body["status"] == 404
        assert body["suggestions"][0]["slug"] == "infraspinatus"
        assert "infraspinatus" in body["detail"]


def test_self_care_page(app_client: httpx.Client, dataset: Dataset) -> None:
    body = app_client.get("/v1/muscles/upper-trapezius/self-care").json()
    assert body["muscle"]["slug"] == "upper-trapezius"
    assert body["disclaimer"]
    points = dataset.muscles["upper-trapezius"].trigger_points
    assert [p["slug"] for p in body["trigger_points"]] == [p.slug for p in points]
    care = body["trigger_points"][0]["self_care"]
    assert care["find"] == points[0].self_care.find
    assert care["perpetuating"]
