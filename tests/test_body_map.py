"""/v1/body-map.svg: valid, accessible SVG with every region drawn and the
asked zones shaded."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest

from app.data.dataset import DEFAULT_DATA_DIR, DataError, Dataset, load_bodymap
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


def views_of(root: ET.Element) -> list[str]:
    return [g.get("data-view") for g in root.iter(f"{SVG}g") if g.get("data-view")]


def drawn_on(root: ET.Element, view: str) -> set[tuple[str, str | None]]:
    panel = next(g for g in root.iter(f"{SVG}g") if g.get("data-view") == view)
    return {
        (path.get("data-region"), path.get("data-side"))
        for path in panel.iter(f"{SVG}path")
        if path.get("data-region")
    }


def centre_x(root: ET.Element, view: str, region: str, side: str | None) -> float:
    """The mean x of a shape's points on a view (panel coordinates)."""
    panel = next(g for g in root.iter(f"{SVG}g") if g.get("data-view") == view)
    path = next(
        p
        for p in panel.iter(f"{SVG}path")
        if p.get("data-region") == region and p.get("data-side") == side
    )
    numbers = path.get("d").replace("M", " ").replace("L", " ").replace("Z", " ").split()
    xs = [float(x) for x in numbers[0::2]]
    return sum(xs) / len(xs)


def test_single_view(client: httpx.Client) -> None:
    root = svg(client, muscle="soleus", view="back")
    assert views_of(root) == ["back"]


@pytest.mark.parametrize("view", ["front", "back", "sole", "head"])
def test_each_view_draws_exactly_its_regions(
    client: httpx.Client, dataset: Dataset, view: str
) -> None:
    root = svg(client, view=view)
    assert views_of(root) == [view]
    leaves = {r.slug for r in dataset.regions.values() if not r.children and view in r.views}
    assert {region for region, _ in drawn_on(root, view)} == leaves
    for slug in leaves:
        if dataset.regions[slug].sided:
            assert {(slug, "left"), (slug, "right")} <= drawn_on(root, view), slug
    for path in root.iter(f"{SVG}path"):
        if path.get("data-region"):
            name = dataset.regions[path.get("data-region")].name
            side = path.get("data-side")
            assert path.find(f"{SVG}title").text == (f"{name} ({side})" if side else name)


def test_every_leaf_with_a_shape_is_drawn_in_some_view(
    client: httpx.Client, dataset: Dataset
) -> None:
    root = svg(client, view="all")
    assert views_of(root) == ["front", "back", "sole", "head"]
    drawn = {path.get("data-region") for path in root.iter(f"{SVG}path") if path.get("data-region")}
    geometry = load_geometry(DEFAULT_DATA_DIR)
    shaped = {
        slug
        for slug, shapes in geometry.regions.items()
        if shapes.model_dump(exclude_defaults=True)
    }
    leaves = {r.slug for r in dataset.regions.values() if not r.children}
    assert shaped == leaves
    assert drawn == leaves
    assert views_of(svg(client)) == ["front", "back", "sole", "head"]  # a plain map: all


def test_sole_regions_are_on_the_sole_not_under_the_back_view(client: httpx.Client) -> None:
    root = svg(client, view="all")
    sole = {region for region, _ in drawn_on(root, "sole")}
    assert {"heel", "arch", "ball-of-foot", "big-toe", "toes"} <= sole
    back = {region for region, _ in drawn_on(root, "back")}
    # From behind, only the back of the heel and the foot's edges show.
    assert not {"arch", "ball-of-foot", "big-toe", "toes"} & back
    assert {"heel", "foot-inner", "foot-outer"} <= back
    back_panel = next(g for g in root.iter(f"{SVG}g") if g.get("data-view") == "back")
    outline = back_panel.find(f"{SVG}path[@class='outline']").get("d").split()
    lowest = max(float(y) for y in outline[2::3] if y.replace(".", "").isdigit())
    for path in back_panel.iter(f"{SVG}path"):
        if path.get("data-region") in ("heel", "foot-inner", "foot-outer"):
            ys = path.get("d").replace("M", " ").replace("L", " ").replace("Z", " ").split()[1::2]
            assert max(float(y) for y in ys) <= lowest + 0.5  # within the foot, not below it


def test_close_ups_label_the_persons_own_sides(client: httpx.Client) -> None:
    root = svg(client, view="all")
    labels = {
        g.get("data-view"): [t.text for t in g.iter(f"{SVG}text") if t.get("class") == "side-label"]
        for g in root.iter(f"{SVG}g")
        if g.get("data-view")
    }
    assert labels == {
        "front": ["Right", "Left"],
        "back": ["Left", "Right"],
        "sole": ["Left foot", "Right foot"],
        "head": ["Left side", "Right side"],
    }
    # The left foot and the left side of the head are on the viewer's left;
    # each profile faces away from the middle, the big toes towards it.
    assert centre_x(root, "sole", "heel", "left") < 100 < centre_x(root, "sole", "heel", "right")
    assert centre_x(root, "sole", "big-toe", "right") < centre_x(root, "sole", "toes", "right")
    assert centre_x(root, "head", "ear", "left") < 200 < centre_x(root, "head", "ear", "right")
    assert centre_x(root, "head", "eye", "right") > centre_x(root, "head", "ear", "right")
    assert centre_x(root, "head", "eye", "left") < centre_x(root, "head", "ear", "left")
    # An unsided region seen from the side is on both profiles, with no side.
    noses = [(r, s) for r, s in drawn_on(root, "head") if r == "nose"]
    assert noses == [("nose", None)]
    head = next(g for g in root.iter(f"{SVG}g") if g.get("data-view") == "head")
    assert len([p for p in head.iter(f"{SVG}path") if p.get("data-region") == "nose"]) == 2
    titles = [t.text for p in head.iter(f"{SVG}path") for t in p.iter(f"{SVG}title")]
    assert "Temple (left)" in titles and "Temple (right)" in titles


@pytest.mark.parametrize(
    ("params", "views"),
    [
        ({"region": "heel"}, ["front", "back", "sole"]),
        ({"region": "arch", "side": "left"}, ["front", "back", "sole"]),
        ({"muscle": "temporalis"}, ["front", "back", "head"]),
        ({"region": "lateral-elbow"}, ["front", "back"]),
        ({"muscle": "temporalis", "view": "both"}, ["front", "back"]),
        ({"muscle": "temporalis", "view": "side"}, ["head"]),
        ({"region": "heel", "view": "sole"}, ["sole"]),
    ],
)
def test_views_follow_what_is_drawn(
    client: httpx.Client, params: dict[str, str], views: list[str]
) -> None:
    assert views_of(svg(client, **params)) == views


def test_patterns_and_trigger_points_on_the_close_ups(
    client: httpx.Client, dataset: Dataset
) -> None:
    root = svg(client, muscle="temporalis", view="head")
    essential = {region for region, _ in shaded(root, "essential")}
    assert "temple" in essential
    markers = [g for g in root.iter(f"{SVG}g") if g.get("class") == "trigger-point"]
    points = dataset.muscles["temporalis"].trigger_points
    assert len(markers) == 2 * len(points)  # carried over from the whole figure, both sides

    root = svg(client, muscle="quadratus-plantae", side="left")
    assert views_of(root) == ["front", "back", "sole"]
    assert shaded(root, "essential") >= {("heel", "left")}
    assert {side for _, side in shaded(root, "essential")} == {"left"}
    sole = next(g for g in root.iter(f"{SVG}g") if g.get("data-view") == "sole")
    assert [
        g.get("data-side") for g in sole.iter(f"{SVG}g") if g.get("class") == "trigger-point"
    ] == ["left"]
    assert centre_x(root, "sole", "heel", "left") < 100  # drawn on the left foot


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
        ({"view": "top"}, 422),
        ({"view": "sole", "side": "middle"}, 422),
        ({"side": "up"}, 422),
        ({"q": "x" * 501}, 422),
    ],
)
def test_bad_requests_are_problems(client: httpx.Client, params: dict, status: int) -> None:
    response = client.get("/v1/body-map.svg", params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


def write_map(root: Path, text: str) -> Path:
    root.mkdir(exist_ok=True)
    (root / "bodymap.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("regions", "message"),
    [
        ("  arch:\n    back: [[[15, 490], [25, 490], [20, 495]]]\n", "is drawn on the back view"),
        ("  heel:\n    sole: [[[30, 200], [150, 200], [50, 240]]]\n", "outside the sole view"),
        ("  foot:\n    sole: [[[30, 200], [60, 200], [50, 240]]]\n", "only leaf regions"),
        ("  heal:\n    sole: [[[30, 200], [60, 200], [50, 240]]]\n", "unknown region"),
    ],
)
def test_bad_shapes_are_named_on_load(
    tmp_path: Path, dataset: Dataset, regions: str, message: str
) -> None:
    root = write_map(tmp_path / "data", f"outline: {{}}\nregions:\n{regions}")
    with pytest.raises(DataError, match=message) as error:
        load_bodymap(root, dataset.regions)
    assert error.value.file.endswith("bodymap.yaml")


def test_the_shipped_map_loads_with_its_views(tmp_path: Path, dataset: Dataset) -> None:
    shutil.copy(DEFAULT_DATA_DIR / "bodymap.yaml", tmp_path / "bodymap.yaml")
    geometry = load_bodymap(tmp_path, dataset.regions)
    assert set(geometry.outline) == {"front", "back", "sole", "head"}


def test_the_map_is_parsed_once_per_text(tmp_path: Path, dataset: Dataset) -> None:
    # painmap serve checks the map before the server starts, then the app
    # loads it: the second load reuses the first parse.
    shutil.copy(DEFAULT_DATA_DIR / "bodymap.yaml", tmp_path / "bodymap.yaml")
    checked = load_bodymap(tmp_path)
    assert load_bodymap(tmp_path, dataset.regions) is checked
    # A changed file is parsed and checked anew, even at the same size.
    shape = "    sole: [[[30, 200], [60, 200], [50, 240]]]\n"
    root = write_map(tmp_path / "data", f"outline: {{}}\nregions:\n  heel:\n{shape}")
    assert list(load_bodymap(root, dataset.regions).regions) == ["heel"]
    write_map(root, f"outline: {{}}\nregions:\n  heal:\n{shape}")
    with pytest.raises(DataError, match="unknown region"):
        load_bodymap(root, dataset.regions)
