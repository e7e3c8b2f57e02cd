"""The docs page and a body map in a real headless Chromium (Playwright
driving the system browser). Skipped when no Chromium is installed;
.ci/run installs Debian's."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import LiveServer

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# This machine's network is closed: keep Chromium from calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def page(server: LiveServer) -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("no Chromium installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.requests = []  # type: ignore[attr-defined]
        page.on("request", lambda request: page.requests.append(request.url))  # type: ignore[attr-defined]
        yield page
        browser.close()


def test_docs_render_every_operation_offline(page, server: LiveServer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    for expected in ("/v1/pain-sources", "/v1/muscles/{slug}", "/v1/body-map.svg", "/healthz"):
        assert expected in [p.replace("\u200b", "") for p in paths], expected
    tags = page.locator(".opblock-tag").all_inner_texts()
    assert any("lookup" in t for t in tags) and any("maps" in t for t in tags)
    assert all(url.startswith(server.url) for url in page.requests), "the docs fetched another host"
    shot = tmp_path / "docs.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000


def test_try_it_out_runs_a_lookup(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}/docs#/lookup/get_pain_sources_v1_pain_sources_get")
    block = page.locator(".opblock").filter(has_text="/v1/pain-sources").first
    if not block.locator(".try-out__btn").is_visible():
        block.locator(".opblock-summary").click()
    block.locator(".try-out__btn").click()
    block.locator('input[placeholder="q"]').fill("pain between my shoulder blades")
    block.locator(".execute").click()
    body = block.locator(".live-responses-table .response-col_description .microlight").first
    body.wait_for(timeout=20_000)
    text = body.inner_text()
    assert '"interscapular"' in text and '"disclaimer"' in text
    assert (
        block.locator(".response .response-col_status").first.inner_text().strip().startswith("200")
    )


def test_body_map_renders(page, server: LiveServer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}/v1/body-map.svg?muscle=infraspinatus")
    essential = page.locator("path.essential")
    assert essential.count() > 0
    box = essential.first.bounding_box()
    assert box is not None and box["width"] > 2 and box["height"] > 2
    assert page.locator("g.trigger-point").count() == 6
    colour = essential.first.evaluate("el => getComputedStyle(el).fill")
    assert colour == "rgb(192, 57, 43)"  # the essential-zone red, applied by the stylesheet
    shot = tmp_path / "body-map.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def test_redoc_renders(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/redoc")
    page.wait_for_selector("h1", timeout=20_000)
    assert "Painmap" in page.locator("h1").first.inner_text()
    assert page.get_by_text("Where might this pain be coming from?").count() > 0
    assert errors == []
