"""``/``: the body-map explorer. Plain HTML, CSS and JavaScript files from
``app/web/static`` that call only the public API; no inline script, no
external assets, and a Content-Security-Policy that allows neither."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException

STATIC = Path(__file__).resolve().parent / "static"
ASSET_TYPES = {
    "explorer.js": "text/javascript; charset=utf-8",
    "explorer.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
# Stricter than the app's default page policy: no inline style either.
EXPLORER_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Assets are addressed by content (?v=hash), so they may be kept for good.
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


def _load() -> tuple[dict[str, Asset], str]:
    assets = {}
    for name, media_type in ASSET_TYPES.items():
        body = (STATIC / name).read_bytes()
        assets[name] = Asset(body, media_type, hashlib.sha256(body).hexdigest()[:16])
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    for name, asset in assets.items():
        page = page.replace("{{%s}}" % name, f"/explorer/{name}?v={asset.etag}")  # noqa: UP031
    return assets, page


ASSETS, PAGE = _load()

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def explorer() -> HTMLResponse:
    return HTMLResponse(
        PAGE, headers={"Content-Security-Policy": EXPLORER_CSP, "Cache-Control": "no-cache"}
    )


@router.get("/explorer/{name}")
async def explorer_asset(name: str, request: Request) -> Response:
    asset = ASSETS.get(name)
    if asset is None:
        raise HTTPException(404, f"No explorer file is called {name!r}.")
    etag = f'"{asset.etag}"'
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)
