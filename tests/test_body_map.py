"""/v1/body-map.svg: valid, accessible SVG with every region drawn and the
asked zones shaded."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx
import pytest

from app.data.dataset import DEFAULT_DATA_DIR, Dataset
from app.web.bodymap import BodyMap, load_geometry

SVG = "{http://www.w3.org/2000/svg}"


def svg(client: httpx.Client, **params: object) -> ET.Element:
    response = client.get("/v1/body-map.svg", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/svg+xml"
    return ET.fromstring(response.text)


def shaded(root: ET.Element, state: str) -> set[tuple[str, str | None]]:
    return {
        (path.get("data-region"), path.get("data-side"))
        for path in root.iter(f"{SVG}path")
        if path.get("data-region") and state in (path.get("class") or "").split()
    }


def test_every_region_has_a_shape(dataset: Dataset) -> None:
    body_map = BodyMap(load_geometry(DEFAULT_DATA_DIR), dataset)
    assert body_map.missing_shapes() == []


def test_every_trigger_point_lies_on_the_figure(dataset: Dataset) -> None:
    body_map = BodyMap(load_geometry(DEFAULT_DATA_DIR), dataset)
    off = [
        f"{point.slug} {point.map_point.view.value} ({point.map_point.x}, {point.map_point.y})"
        for _, point in dataset.trigger_points()
        if not body_map.regions_at(point.map_point.view.value, point.map_point.x, point.map_point.y)
    ]
    assert off == []
    assert body_map.regions_at("front", 0, 210) == ["navel"]


def test_plain_map_draws_every_leaf_on_its_views(client: httpx.Client, dataset: Dataset) -> None:
    root = svg(client)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Body regions"
    assert root.find(f"{SVG}desc").text
    drawn = {
        (view.get("data-view"), path.get("data-region"))
        for view in root.iter(f"{SVG}g")
        if view.get("data-view")
        for path in view.iter(f"{SVG}path")
        if path.get("data-region")
    }
    for region in dataset.regions.values():
        if not region.children:
            for view in region.views:
                assert (view, region.slug) in drawn, f"{region.slug} missing on the {view} view"
    titles = [t.text for p in root.iter(f"{SVG}path") for t in p.iter(f"{SVG}title")]
    assert "Temple (left)" in titles and "Temple (right)" in titles


def test_muscle_zones_and_trigger_points(client: httpx.Client, dataset: Dataset) -> None:
    muscle = dataset.muscles["infraspinatus"]
    root = svg(client, muscle="infraspinatus")
    essential = {
        leaf for p in muscle.trigger_points for s in p.essential for leaf in dataset.descendants(s)
    }
    assert {region for region, _ in shaded(root, "essential")} == essential
    spill = {
        leaf for p in muscle.trigger_points for s in p.spillover for leaf in dataset.descendants(s)
    }
    assert {region for region, _ in shaded(root, "spillover")} == spill - essential
    markers = [g for g in root.iter(f"{SVG}g") if g.get("class") == "trigger-point"]
    assert len(markers) == 2 * len(muscle.trigger_points)  # both sides
    assert "Infraspinatus" in root.find(f"{SVG}title").text
    legend = ET.tostring(root, encoding="unicode")
    assert "Essential zone" in legend and "Trigger point" in legend


def test_side_limits_shading_and_markers(client: httpx.Client) -> None:
    root = svg(client, muscle="upper-trapezius", side="left")
    assert {side for _, side in shaded(root, "essential")} == {"left"}
    markers = [g for g in root.iter(f"{SVG}g") if g.get("class") == "trigger-point"]
    assert markers and {g.get("data-side") for g in markers} == {"left"}


def test_region_and_question_highlight(client: httpx.Client, dataset: Dataset) -> None:
    assert {r for r, _ in shaded(svg(client, region="head"), "selected")} == {
        r for r in dataset.descendants("head") if not dataset.regions[r].children
    }
    question = "pain between my shoulder blades"
    asked = {r for r, _ in shaded(svg(client, q=question), "selected")}
    understood = client.get("/v1/pain-sources", params={"q": question}).json()["query"]["regions"]
    assert "interscapular" in asked
    assert asked == {
        leaf
        for region in understood
        for leaf in dataset.descendants(region["slug"])
        if not dataset.regions[leaf].children
    }


def test_single_view(client: httpx.Client) -> None:
    root = svg(client, muscle="soleus", view="back")
    views = {g.get("data-view") for g in root.iter(f"{SVG}g") if g.get("data-view")}
    assert views == {"back"}


def test_links_from_json_resolve(client: httpx.Client) -> None:
    for path in ("/v1/muscles/soleus", "/v1/regions/heel"):
        url = client.get(path).json()["body_map_url"]
        assert client.get(url).headers["content-type"] == "image/svg+xml"
    result = client.get("/v1/pain-sources", params={"q": "heel pain"}).json()["results"][0]
    assert client.get(result["body_map_url"]).status_code == 200


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"muscle": "solius"}, 404),
        ({"region": "nowhere"}, 404),
        ({"view": "side"}, 422),
        ({"side": "up"}, 422),
        ({"q": "x" * 501}, 422),
    ],
)
def test_bad_requests_are_problems(client: httpx.Client, params: dict, status: int) -> None:
    response = client.get("/v1/body-map.svg", params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
