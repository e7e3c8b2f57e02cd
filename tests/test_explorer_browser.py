"""The body-map explorer at / in a real headless Chromium (the system
browser, driven by Playwright as in tests/test_browser.py): selecting by
click and keyboard on both sides, a muscle's pattern, autocomplete, the
print view, phone and desktop layouts, same-origin requests only, the CSP,
and axe-core with no serious or critical violation.

Screenshots and the printed PDF are kept under ``var/test-artifacts/``
(git-ignored), or wherever ``TEST_ARTIFACTS`` points."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.support import LiveServer
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "var" / "test-artifacts"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("no Chromium installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Explorer:
    """A fresh page on the explorer that records every request it makes and
    every console error (CSP violations included)."""

    def __init__(self, browser: Any, server: LiveServer, viewport: dict[str, int]) -> None:
        self.server = server
        self.context = browser.new_context(viewport=viewport)
        # window.print() would open a dialog in a headed browser: count calls instead.
        self.context.add_init_script(
            "window.print = () => { window.__printed = (window.__printed || 0) + 1; };"
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )

    def open(self, query: str = "") -> Any:
        self.page.goto(f"{self.server.url}/{query}")
        self.page.wait_for_selector("html[data-ready='true']", timeout=20_000)
        return self.page

    def params(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.page.url).query)

    def shape(self, view: str, region: str, side: str | None = None) -> Any:
        side_part = f'[data-side="{side}"]' if side else ""
        return self.page.locator(f'#figure-{view} path.r[data-region="{region}"]{side_part}').first

    def results(self) -> list[str]:
        return self.page.locator("#result-list > li").evaluate_all(
            "items => items.map(li => li.dataset.muscle)"
        )

    def wait_for_lookup(self, **params: str | list[str]) -> list[str]:
        """Waits until the results shown are the API's own answer to ``params``."""
        with httpx.Client(base_url=self.server.url) as http:
            expected = [
                r["muscle"]["slug"]
                for r in http.get("/v1/pain-sources", params={**params, "limit": 10}).json()[
                    "results"
                ]
            ]
        self.page.wait_for_function(
            "expected => JSON.stringify([...document.querySelectorAll('#result-list > li')]"
            ".map(li => li.dataset.muscle)) === JSON.stringify(expected)",
            arg=expected,
            timeout=10_000,
        )
        return expected

    def lookups(self) -> list[dict[str, list[str]]]:
        return [
            parse_qs(urlsplit(url).query)
            for url in self.requests
            if urlsplit(url).path == "/v1/pain-sources"
        ]

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()
        outside = [url for url in self.requests if not url.startswith(f"{self.server.url}/")]
        assert outside == [], f"requests left the app's origin: {outside}"
        assert self.errors == [], f"console errors (CSP violations included): {self.errors}"


@pytest.fixture
def explorer(browser: Any, server: LiveServer) -> Iterator[Explorer]:
    session = Explorer(browser, server, DESKTOP)
    yield session
    session.close()


def test_click_selects_regions_on_both_sides(explorer: Explorer) -> None:
    page = explorer.open()
    left_elbow = explorer.shape("front", "lateral-elbow", "left")
    right_elbow = explorer.shape("front", "lateral-elbow", "right")
    # Seen from the front, the person's left is on the viewer's right.
    assert left_elbow.bounding_box()["x"] > right_elbow.bounding_box()["x"]
    assert left_elbow.get_attribute("aria-label") == "Left outer elbow"
    assert page.locator('.figure[data-view="front"] .sides').inner_text().split() == [
        "Right",
        "Left",
    ]
    assert page.locator('.figure[data-view="back"] .sides').inner_text().split() == [
        "Left",
        "Right",
    ]
    left_elbow.click()
    assert left_elbow.get_attribute("aria-checked") == "true"
    assert right_elbow.get_attribute("aria-checked") == "false"
    assert explorer.params()["region"] == ["left-lateral-elbow"]
    explorer.wait_for_lookup(region="lateral-elbow", side="left")
    assert explorer.lookups()[-1]["side"] == ["left"]
    assert "left outer elbow" in page.locator("#status").inner_text()

    right_heel = explorer.shape("back", "heel", "right")
    left_heel = explorer.shape("back", "heel", "left")
    # Seen from behind, the person's right is on the viewer's right.
    assert right_heel.bounding_box()["x"] > left_heel.bounding_box()["x"]
    right_heel.click()
    assert explorer.params()["region"] == ["left-lateral-elbow", "right-heel"]
    explorer.wait_for_lookup(region=["lateral-elbow", "heel"])
    assert "side" not in explorer.lookups()[-1]  # both sides asked: no one side
    assert [c.strip("× \n") for c in page.locator("#selected-list li").all_inner_texts()] == [
        "Left outer elbow",
        "Right heel",
    ]

    left_elbow.click()  # a second click unselects
    assert explorer.params()["region"] == ["right-heel"]
    explorer.wait_for_lookup(region="heel", side="right")


def test_keyboard_selects_regions_on_both_sides(explorer: Explorer) -> None:
    page = explorer.open()
    # The figure is one Tab stop after the zoom buttons; arrows move inside it.
    page.locator('button[data-zoom="feet"]').focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('#figure-front') !== null")
    assert focused and page.evaluate("document.activeElement.getAttribute('role')") == "checkbox"
    first = page.evaluate("document.activeElement.dataset.key")
    page.keyboard.press("ArrowDown")
    moved = page.evaluate("document.activeElement.dataset.key")
    assert moved != first
    assert page.locator("#figure-front path.r[tabindex='0']").count() == 1  # roving tab stop
    page.keyboard.press("Space")
    assert explorer.params()["region"] == [moved]

    explorer.shape("front", "temple", "right").focus()
    assert page.locator("#pointing-front").inner_text() == "Right temple"
    page.keyboard.press("Space")
    explorer.shape("back", "calf", "left").focus()
    page.keyboard.press("Enter")
    assert explorer.params()["region"] == [moved, "right-temple", "left-calf"]
    assert explorer.shape("back", "calf", "left").get_attribute("aria-checked") == "true"
    assert explorer.shape("back", "calf", "right").get_attribute("aria-checked") == "false"
    slugs = [
        key.split("-", 1)[1] if key.startswith(("left-", "right-")) else key for key in (moved,)
    ]
    explorer.wait_for_lookup(region=[*slugs, "temple", "calf"])

    page.keyboard.press("Enter")  # the same key again unselects
    assert explorer.params()["region"] == [moved, "right-temple"]


def test_arrow_keys_reach_every_area(explorer: Explorer) -> None:
    page = explorer.open()
    for view in ("front", "back", "head", "sole"):
        show = {"front": "body", "back": "body"}.get(view, view)
        page.locator(f'.views button[data-show="{show}"]').click()
        reached = page.evaluate(
            """view => {
                const host = document.getElementById('figure-' + view);
                const shapes = [...host.querySelectorAll('path.r')];
                const seen = new Set([shapes[0]]);
                const queue = [shapes[0]];
                while (queue.length) {
                    const shape = queue.shift();
                    for (const key of ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']) {
                        shape.focus();
                        shape.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}));
                        const next = document.activeElement;
                        if (!seen.has(next)) {
                            seen.add(next);
                            queue.push(next);
                        }
                    }
                }
                const keys = new Set(shapes.map(s => s.dataset.key));
                return [new Set([...seen].map(s => s.dataset.key)).size, keys.size];
            }""",
            view,
        )
        assert reached[0] == reached[1], f"{view}: {reached[0]} of {reached[1]} areas reached"


def test_choosing_a_muscle_draws_its_pattern_and_self_care(
    explorer: Explorer, client: httpx.Client
) -> None:
    page = explorer.open("?region=left-lateral-elbow")
    results = explorer.wait_for_lookup(region="lateral-elbow", side="left")
    muscle = results[0]
    page.locator(f'#result-list li[data-muscle="{muscle}"] button.muscle').click()
    page.wait_for_selector("#muscle:not([hidden]) .point", timeout=10_000)
    assert explorer.params()["muscle"] == [muscle]
    assert (
        page.locator(f'#result-list li[data-muscle="{muscle}"] button.muscle').get_attribute(
            "aria-pressed"
        )
        == "true"
    )

    detail = client.get(f"/v1/muscles/{muscle}").json()
    tree = client.get("/v1/regions/flat", params={"limit": 100}).json()["results"]
    tree += client.get("/v1/regions/flat", params={"limit": 100, "offset": 100}).json()["results"]
    parents = {r["slug"]: (r["parent"] or {}).get("slug") for r in tree}

    def leaves(slug: str) -> set[str]:
        children = [s for s, p in parents.items() if p == slug]
        return set().union(*(leaves(c) for c in children)) if children else {slug}

    essential = {
        leaf
        for point in detail["trigger_points"]
        for zone in point["zones"]
        if zone["kind"] == "essential"
        for leaf in leaves(zone["region"]["slug"])
    }
    page.wait_for_selector(".svg-host path.r.essential")
    drawn = page.locator(".svg-host path.r.essential").evaluate_all(
        "paths => paths.map(p => [p.dataset.region, p.dataset.side || null])"
    )
    assert {region for region, _ in drawn} == essential
    assert {side for _, side in drawn} <= {"left", None}  # the asked side only
    markers = page.locator(".svg-host g.trigger-point")
    assert markers.count() == len(detail["trigger_points"])
    assert markers.first.get_attribute("aria-label").startswith("Trigger point: ")
    # Essential and spillover differ by more than colour: hatching and names.
    spill = page.locator(".svg-host path.r.spillover")
    if spill.count():
        assert spill.first.evaluate("p => getComputedStyle(p).fill").startswith("url(")
        assert spill.first.get_attribute("aria-label").endswith("spillover zone")
    assert (
        page.locator(".svg-host path.r.essential")
        .first.get_attribute("aria-label")
        .endswith("essential zone")
    )
    # Self-care with its cautions, as the API gives it.
    care = client.get(f"/v1/muscles/{muscle}/self-care").json()
    assert page.locator("#muscle .point").count() == len(care["trigger_points"])
    panel = page.locator("#muscle").inner_text()
    assert care["trigger_points"][0]["self_care"]["find"] in panel
    for point in care["trigger_points"]:
        for caution in point["self_care"]["cautions"]:
            assert caution in panel
    # The state is bookmarkable: reopening the URL shows the same.
    url = page.url
    page.goto(url)
    page.wait_for_selector("#muscle:not([hidden]) .point", timeout=10_000)
    assert page.locator(".svg-host path.r.essential").count() == len(drawn)
    assert explorer.shape("front", "lateral-elbow", "left").get_attribute("aria-checked") == "true"


def test_misspelled_question_and_autocomplete(explorer: Explorer) -> None:
    page = explorer.open()
    box = page.locator("#q")
    box.fill("sholder blade")
    option = page.locator("#suggestions [role=option]", has_text="Right shoulder blade")
    option.wait_for(timeout=10_000)
    assert box.get_attribute("aria-expanded") == "true"
    for _ in range(page.locator("#suggestions [role=option]").count()):
        page.keyboard.press("ArrowDown")
        active = box.get_attribute("aria-activedescendant")
        if page.locator(f"#{active}").inner_text().startswith("Right shoulder blade"):
            break
    page.keyboard.press("Enter")
    assert explorer.params()["region"] == ["right-scapula"]
    assert explorer.shape("back", "scapula", "right").get_attribute("aria-checked") == "true"
    explorer.wait_for_lookup(region="scapula", side="right")

    # A whole question with typos: the first suggestion asks it as it is.
    page.locator("#clear").click()
    question = "pain betwen my sholder blades"
    box.fill(question)
    page.locator("#suggestions [role=option]").first.wait_for(timeout=10_000)
    assert page.locator("#suggestions [role=option]").first.inner_text().startswith("Ask:")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert explorer.params()["q"] == [question]
    explorer.wait_for_lookup(q=question)
    assert "between the shoulder blades" in page.locator("#understood").inner_text().lower()


def test_red_flag_warning_and_disclaimer(explorer: Explorer) -> None:
    page = explorer.open("?q=sudden+worst+headache+of+my+life")
    page.wait_for_selector("#warnings .warning", timeout=10_000)
    assert "emergency" in page.locator("#warnings h3").first.inner_text().lower()
    assert page.locator("#warnings").get_attribute("role") == "alert"
    assert "not a diagnosis" in page.locator("#disclaimer").inner_text()
    assert page.locator("#status").get_attribute("aria-live") == "polite"


def test_print_view_is_a_one_page_summary(explorer: Explorer) -> None:
    page = explorer.open("?region=left-lateral-elbow&region=right-heel")
    results = explorer.wait_for_lookup(region=["lateral-elbow", "heel"])
    page.locator("#print").click()
    page.wait_for_function("() => window.__printed === 1", timeout=10_000)
    assert explorer.params()["print"] == ["1"]
    summary = page.locator("#summary")
    assert summary.is_visible() and not page.locator("#results").is_visible()
    text = summary.inner_text()
    assert "Left outer elbow" in text and "Right heel" in text
    names = page.locator("#result-list button.muscle").all_inner_texts()
    assert len(names) == len(results)
    for name in names[:5]:
        assert name in text
    assert "Find:" in text and "not a diagnosis" in text  # the top muscle's self-care
    page.emulate_media(media="print")
    assert page.locator("#summary").is_visible()
    assert page.locator(".svg-host svg").first.is_visible()
    assert not page.locator("header.site").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "explorer-print.pdf"), format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    page.emulate_media(media="screen")
    page.locator("#close-summary").click()
    assert "print" not in explorer.params()
    assert page.locator("#results").is_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_layout_fits_phone_and_desktop(
    browser: Any, server: LiveServer, viewport: dict[str, int]
) -> None:
    session = Explorer(browser, server, viewport)
    try:
        page = session.open("?region=left-lateral-elbow&muscle=supraspinatus")
        page.wait_for_selector("#muscle:not([hidden]) .point", timeout=10_000)
        page.wait_for_selector("#result-list > li")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px wider than the screen"
        front = page.locator("#figure-front svg").bounding_box()
        back = page.locator("#figure-back svg").bounding_box()
        results = page.locator("#results").bounding_box()
        assert front["width"] >= 0.4 * viewport["width"] or front["width"] >= 240
        assert back["x"] > front["x"]  # front and back side by side
        if viewport["width"] >= 960:
            assert results["x"] > back["x"] + back["width"] - 1  # results beside the figure
        else:
            assert results["y"] > back["y"] + back["height"]  # results below it
        # Tap targets: the selection's remove button and the results are usable.
        assert page.locator("#selected-list button").bounding_box()["height"] >= 24
        shot = session.screenshot(f"explorer-{viewport['width']}px.png")
        assert shot.stat().st_size > 30_000
    finally:
        session.close()


def test_zoom_enlarges_small_areas(explorer: Explorer) -> None:
    page = explorer.open()
    tooth = explorer.shape("front", "upper-teeth", "left")
    before = tooth.bounding_box()["width"]
    page.locator('button[data-zoom="head"]').click()
    assert page.locator('button[data-zoom="head"]').get_attribute("aria-pressed") == "true"
    assert tooth.bounding_box()["width"] > 1.5 * before
    tooth.click()
    assert explorer.params()["region"] == ["left-upper-teeth"]


def test_choir_codes_in_the_address_become_areas(explorer: Explorer) -> None:
    page = explorer.open("?choir=112")
    page.wait_for_function("() => location.search.includes('region=')")
    assert explorer.params()["region"] == ["left-upper-arm"]
    assert "choir" not in explorer.params()
    assert (
        explorer.shape("front", "upper-arm-front", "left").get_attribute("aria-checked") == "true"
    )


def test_sole_view_selects_by_click_and_keyboard(explorer: Explorer) -> None:
    page = explorer.open()
    soles = page.locator('.views button[data-show="sole"]')
    assert soles.inner_text().strip() == "Soles"
    assert not page.locator("#figure-sole").is_visible()
    soles.click()
    assert soles.get_attribute("aria-pressed") == "true"
    assert explorer.params()["view"] == ["sole"]
    assert (
        page.locator("#figure-sole").is_visible() and not page.locator("#figure-front").is_visible()
    )
    assert page.locator('.figure[data-view="sole"] .sides').inner_text().split() == [
        "Left",
        "foot",
        "Right",
        "foot",
    ]
    left_heel = explorer.shape("sole", "heel", "left")
    right_heel = explorer.shape("sole", "heel", "right")
    # Like footprints: the left foot on the viewer's left, big toes inwards.
    assert left_heel.bounding_box()["x"] < right_heel.bounding_box()["x"]
    big_toe = explorer.shape("sole", "big-toe", "left").bounding_box()
    assert big_toe["x"] > explorer.shape("sole", "toes", "left").bounding_box()["x"]
    assert big_toe["width"] > 25  # large enough to tap
    assert left_heel.get_attribute("aria-label") == "Left heel"

    explorer.shape("sole", "arch", "left").click()
    assert explorer.params()["region"] == ["left-arch"]
    assert explorer.shape("sole", "arch", "left").get_attribute("aria-checked") == "true"
    explorer.wait_for_lookup(region="arch", side="left")
    assert "arch of foot, left side" in page.locator("#status").inner_text()
    assert "has-marks" in (soles.get_attribute("class") or "")
    assert "has marked areas" in soles.inner_text()

    # By keyboard: Tab from the buttons into the figure, arrows, Space.
    page.mouse.move(0, 0)  # the pointer names the area under it: keep it off the figure
    page.locator('.views button[data-show="sole"]').focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#figure-sole') !== null")
    right_heel.focus()
    assert page.locator("#pointing-sole").inner_text() == "Right heel"
    page.keyboard.press("Space")
    assert explorer.params()["region"] == ["left-arch", "right-heel"]
    # The heel is on the back view too (seen from behind): both copies show it.
    assert explorer.shape("back", "heel", "right").get_attribute("aria-checked") == "true"
    explorer.wait_for_lookup(region=["arch", "heel"])
    page.keyboard.press("ArrowUp")
    moved = page.evaluate("document.activeElement.dataset.key")
    assert moved.startswith("right-") and moved != "right-heel"
    explorer.screenshot("explorer-sole-1280px.png")


def test_head_view_selects_by_click_and_keyboard(explorer: Explorer) -> None:
    page = explorer.open()
    head = page.locator('.views button[data-show="head"]')
    head.focus()
    page.keyboard.press("Enter")
    assert head.get_attribute("aria-pressed") == "true"
    assert explorer.params()["view"] == ["head"]
    assert page.locator('.figure[data-view="head"] .sides').inner_text().split() == [
        "Left",
        "side",
        "Right",
        "side",
    ]
    left_ear = explorer.shape("head", "ear", "left").bounding_box()
    right_ear = explorer.shape("head", "ear", "right").bounding_box()
    right_eye = explorer.shape("head", "eye", "right").bounding_box()
    assert left_ear["x"] < right_ear["x"] < right_eye["x"]  # each profile faces outwards
    tmj = explorer.shape("head", "tmj", "right")
    assert tmj.bounding_box()["width"] > 15  # the small regions are large here
    assert explorer.shape("head", "upper-teeth", "left").bounding_box()["width"] > 30

    tmj.click()
    assert explorer.params()["region"] == ["right-tmj"]
    explorer.wait_for_lookup(region="tmj", side="right")
    assert tmj.get_attribute("aria-label") == "Right jaw joint (TMJ)"
    assert explorer.shape("front", "tmj", "right").get_attribute("aria-checked") == "true"

    explorer.shape("head", "temple", "left").focus()
    assert page.locator("#pointing-head").inner_text() == "Left temple"
    page.keyboard.press("Space")
    explorer.shape("head", "nose").focus()  # unsided: one area on both profiles
    page.keyboard.press("Enter")
    assert explorer.params()["region"] == ["right-tmj", "left-temple", "nose"]
    assert page.locator('#figure-head path.r[data-region="nose"][aria-checked="true"]').count() == 2
    explorer.wait_for_lookup(region=["tmj", "temple", "nose"])
    page.keyboard.press("Enter")  # again: unselected
    assert explorer.params()["region"] == ["right-tmj", "left-temple"]

    # A reload keeps the view and the selection.
    page.goto(page.url)
    page.wait_for_selector("html[data-ready='true']")
    assert page.locator("#figure-head").is_visible()
    assert explorer.shape("head", "temple", "left").get_attribute("aria-checked") == "true"
    explorer.screenshot("explorer-head-1280px.png")


def test_a_pattern_is_drawn_on_every_view_with_its_zones(explorer: Explorer) -> None:
    page = explorer.open("?region=left-temple&muscle=temporalis")
    page.wait_for_selector("#figure-head path.r.essential", state="attached", timeout=10_000)
    essential = {
        view: set(
            page.locator(f"#figure-{view} path.r.essential").evaluate_all(
                "paths => paths.map(p => p.dataset.region)"
            )
        )
        for view in ("front", "head")
    }
    assert "temple" in essential["front"] and "temple" in essential["head"]
    assert essential["head"] <= essential["front"] | {"occiput", "behind-ear"}
    head = page.locator('.views button[data-show="head"]')
    assert "has-marks" in (head.get_attribute("class") or "")
    assert "has-marks" not in (
        page.locator('.views button[data-show="sole"]').get_attribute("class") or ""
    )
    head.click()
    assert page.locator("#figure-head g.trigger-point").first.is_visible()
    explorer.screenshot("explorer-head-pattern-1280px.png")


def test_print_view_shows_the_views_with_marks(explorer: Explorer) -> None:
    page = explorer.open("?region=left-arch&muscle=flexor-digitorum-brevis&print=1")
    page.wait_for_selector("#summary:not([hidden])")
    page.wait_for_selector("#figure-sole path.r.essential", state="attached", timeout=10_000)
    assert "Arch of foot, left side" in page.locator("#summary").inner_text()
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        shown = {
            view: page.locator(f"#figure-{view}").is_visible()
            for view in ("front", "back", "sole", "head")
        }
        marked = {
            view: page.locator(
                f"#figure-{view} path.r:is(.is-selected, .essential, .spillover)"
            ).count()
            > 0
            for view in shown
        }
        assert shown == marked, media  # just the views with selected areas or zones
        assert shown["sole"] and not shown["head"]
    page.emulate_media(media="screen")
    explorer.screenshot("explorer-print-sole.png")


@pytest.mark.parametrize(
    ("query", "viewport"),
    [
        ("", DESKTOP),
        ("?region=left-arch&muscle=quadratus-plantae&view=sole", PHONE),
        ("?region=right-tmj&muscle=masseter&view=head", DESKTOP),
        ("?region=left-lateral-elbow&muscle=supraspinatus&q=sudden+worst+headache", DESKTOP),
        ("?region=right-heel&muscle=soleus", PHONE),
        ("?region=left-lateral-elbow&print=1", DESKTOP),
    ],
    ids=["empty", "sole", "head", "muscle-and-warning", "phone", "print"],
)
def test_axe_finds_no_serious_violations(
    browser: Any, server: LiveServer, query: str, viewport: dict[str, int]
) -> None:
    session = Explorer(browser, server, viewport)
    try:
        page = session.open(query)
        page.wait_for_load_state("networkidle")
        page.evaluate(AXE.read_text(encoding="utf-8"))  # via DevTools: the page's CSP stays on
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)"""
        )
        assert violations == []
    finally:
        session.close()


def test_unknown_muscle_forgotten_before_its_figures_answer(explorer: Explorer) -> None:
    """The muscle's page answers 404 first and forgets it; the figures asked
    for with it answer 404 afterwards: they must be drawn again without it."""
    held: list[Any] = []
    explorer.page.route(
        lambda url: "/v1/body-map.svg" in url and "muscle=solius" in url,
        lambda route: held.append(route),
    )
    page = explorer.page
    page.goto(f"{explorer.server.url}/?region=left-heel&muscle=solius")  # ready once drawn
    page.wait_for_function(
        "() => !location.search.includes('muscle=')", polling=100, timeout=10_000
    )
    assert held, "the figures were not asked for with the muscle"
    for route in held:  # now let them answer, late
        route.fulfill(response=route.fetch())
    page.wait_for_selector("html[data-ready='true']", timeout=10_000)
    assert page.locator("#figure-front path.r").count() > 100
    explorer.errors = [e for e in explorer.errors if "404" not in e]  # the failed look-ups


def test_unknown_muscle_in_the_address_is_dropped(explorer: Explorer) -> None:
    page = explorer.open("?region=left-heel&muscle=solius")
    page.wait_for_function("() => !location.search.includes('muscle=')", timeout=10_000)
    assert explorer.params()["region"] == ["left-heel"]
    # The address drops the muscle first; the figure is drawn again after it.
    page.wait_for_function(
        "() => document.querySelectorAll('#figure-front path.r').length > 100",
        polling=100,
        timeout=10_000,
    )
    assert page.locator("#muscle").is_hidden()
    explorer.errors = [e for e in explorer.errors if "404" not in e]  # the failed look-ups
