"""The explorer page at / as served: plain files, no inline script or style,
no external asset, a strict Content-Security-Policy, content-addressed
assets; and the body-map pictures it builds on (sides labelled from the
person's own point of view, spillover hatched as well as lighter)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import httpx

from app.web.router import ASSETS, EXPLORER_CSP

SVG = "{http://www.w3.org/2000/svg}"


def test_page_is_served_with_a_strict_policy(client: httpx.Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert policy == EXPLORER_CSP
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy
    assert response.headers["cache-control"] == "no-cache"


def test_page_has_no_inline_script_style_or_external_asset(client: httpx.Client) -> None:
    page = client.get("/").text
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page), "inline script"
    assert "<style" not in page and " style=" not in page, "inline style"
    assert not re.search(r"\son[a-z]+=", page), "inline event handler"
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", page)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert len(scripts) == 1 and len(sheets) == 1
    for url in [*scripts, *sheets]:
        assert url.startswith("/explorer/") and "?v=" in url
        assert client.get(url).status_code == 200


def test_page_says_what_it_is_and_links_the_api(client: httpx.Client) -> None:
    page = client.get("/").text
    assert "never a diagnosis" in page
    assert 'lang="en"' in page and 'name="viewport"' in page
    links = [link.replace("&amp;", "&") for link in re.findall(r'href="(/[^"]*)"', page)]
    assert "/docs" in links and "/v1/regions/schemes/choir" in links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_assets_are_content_addressed_and_cached(client: httpx.Client) -> None:
    for name, asset in ASSETS.items():
        response = client.get(f"/explorer/{name}", params={"v": asset.etag})
        assert response.status_code == 200
        assert response.headers["content-type"] == asset.media_type
        assert response.headers["etag"] == f'"{asset.etag}"'
        assert "immutable" in response.headers["cache-control"]
        again = client.get(f"/explorer/{name}", headers={"If-None-Match": f'"{asset.etag}"'})
        assert again.status_code == 304 and not again.content


def test_unknown_asset_is_a_problem(client: httpx.Client) -> None:
    response = client.get("/explorer/secrets.txt")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get("/explorer/../app/main.py").status_code == 404


def test_script_calls_only_the_public_api() -> None:
    script = ASSETS["explorer.js"].body.decode()
    assert "http://" not in script and "https://" not in script
    assert "eval(" not in script and "innerHTML" not in script
    paths = set(re.findall(r"`\$\{API\}(/[a-z.-]+)", script))
    assert paths == {"/pain-sources", "/search", "/regions", "/muscles", "/body-map.svg"}
    assert 'const API = "/v1";' in script
    sheet = ASSETS["explorer.css"].body.decode()
    assert "@import" not in sheet and not re.search(r"url\((?!#)", sheet)


def test_body_map_labels_sides_from_the_persons_point_of_view(client: httpx.Client) -> None:
    root = ET.fromstring(client.get("/v1/body-map.svg").text)
    for view in root.iter(f"{SVG}g"):
        if not view.get("data-view"):
            continue
        labels = [
            (float(t.get("x")), t.text)
            for t in view.iter(f"{SVG}text")
            if t.get("class") == "side-label"
        ]
        on_screen = [text.split()[0] for _, text in sorted(labels)]
        expected = ["Right", "Left"] if view.get("data-view") == "front" else ["Left", "Right"]
        assert on_screen == expected


def test_body_map_hatches_spillover_zones(client: httpx.Client) -> None:
    text = client.get("/v1/body-map.svg", params={"muscle": "infraspinatus"}).text
    root = ET.fromstring(text)
    patterns = [p.get("id") for p in root.iter(f"{SVG}pattern")]
    assert patterns == ["spillover-hatch"]
    assert ".r.spillover{fill:url(#spillover-hatch)" in text
    assert any("spillover" in (p.get("class") or "") for p in root.iter(f"{SVG}path"))
