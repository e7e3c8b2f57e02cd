"""``/v1/regions``: the body-region tree (and the CHOIR Body Map's segments)."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import AfterValidator

from app.api.catalog import Catalog
from app.api.deps import MAX_OFFSET, MAX_PAGE_SIZE, CatalogDep, PageDep, paginate
from app.api.errors import problem_responses
from app.api.schemas import (
    ChoirScheme,
    ChoirSegment,
    Page,
    RegionDetail,
    RegionSummary,
    RegionTree,
    SourceOut,
)
from app.data.dataset import load_choir
from app.data.files import ChoirFile
from app.domain import CHOIR_SEGMENTS

router = APIRouter(prefix="/regions", tags=["regions"])

# Declared before "/{slug}", so these win; no region may take these slugs
# (tests/test_api_regions.py checks).
FLAT_PATH = "/v1/regions/flat"
CHOIR_PATH = "/v1/regions/schemes/choir"
RESERVED_SLUGS = frozenset({"flat"})


def _choir_code(code: int) -> int:
    if code not in CHOIR_SEGMENTS:
        raise ValueError(
            f"unknown CHOIR body-map segment {code} (front segments are 101-136, back 201-238)"
        )
    return code


ChoirCode = Annotated[int, AfterValidator(_choir_code)]

# data/choir.yaml as read for a dataset version, and its listing: (key, file, listing).
_choir: list[tuple[tuple[FilePath, str], ChoirFile, ChoirScheme]] = []


def _listing(choir: ChoirFile, catalog: Catalog) -> ChoirScheme:
    segments = [
        ChoirSegment(
            code=s.code,
            view=s.view.value,
            side=s.side,
            name=s.name,
            regions=[catalog.region_refs[slug] for slug in s.regions],
            pain_sources_url=f"/v1/pain-sources?choir={s.code}",
        )
        for s in sorted(choir.segments, key=lambda s: s.code)
    ]
    sources = [SourceOut(title=s.title, url=str(s.url) if s.url else None) for s in choir.sources]
    return ChoirScheme(name=choir.name, sources=sources, count=len(segments), results=segments)


def choir_scheme(data_dir: FilePath, catalog: Catalog) -> tuple[ChoirFile, ChoirScheme]:
    """``data/choir.yaml`` beside the dataset being served, read once per version."""
    key = (data_dir, catalog.version)
    if not _choir or _choir[0][0] != key:
        choir = load_choir(data_dir, catalog.dataset.regions)
        _choir[:] = [(key, choir, _listing(choir, catalog))]
    return _choir[0][1], _choir[0][2]


async def _choir_scheme(request: Request, catalog: Catalog) -> tuple[ChoirFile, ChoirScheme]:
    key = (request.app.state.settings.data_dir, catalog.version)
    if _choir and _choir[0][0] == key:  # the usual case: no thread hop
        return _choir[0][1], _choir[0][2]
    return await run_in_threadpool(choir_scheme, key[0], catalog)


async def get_choir(request: Request, catalog: Catalog) -> ChoirFile:
    """The CHOIR segments of the dataset being served."""
    return (await _choir_scheme(request, catalog))[0]


@router.get(
    "",
    response_model=RegionTree,
    summary="Get the body-region tree",
    description="`count` is the number of all regions and `results` holds the top-level "
    "regions with their `children` nested.\n\n"
    "`flat=true` and `scheme=choir` are deprecated: they answer a permanent redirect to "
    "`/v1/regions/flat` and `/v1/regions/schemes/choir`, which answer those shapes.",
    responses={
        308: {
            "description": "Permanent Redirect: a deprecated parameter was given; `Location` "
            "names the operation that answers it.",
            "headers": {"Location": {"schema": {"type": "string"}}},
        },
        **problem_responses(422),
    },
)
async def get_region_tree(
    catalog: CatalogDep,
    flat: Annotated[
        bool, Query(deprecated=True, description="Redirects to `/v1/regions/flat`.")
    ] = False,
    scheme: Annotated[
        Literal["choir"] | None,
        Query(deprecated=True, description="Redirects to `/v1/regions/schemes/choir`."),
    ] = None,
    limit: Annotated[
        int | None,
        Query(ge=1, le=MAX_PAGE_SIZE, deprecated=True, description="With `flat=true`, kept."),
    ] = None,
    offset: Annotated[
        int | None,
        Query(ge=0, le=MAX_OFFSET, deprecated=True, description="With `flat=true`, kept."),
    ] = None,
) -> Response | RegionTree:
    # Earlier URLs keep working, without one operation answering three shapes.
    if scheme == "choir":
        return RedirectResponse(CHOIR_PATH, status_code=308)
    if flat:
        # The page asked for is kept: a client walking pages must not start over.
        kept = {k: v for k, v in (("limit", limit), ("offset", offset)) if v is not None}
        query = f"?{urlencode(kept)}" if kept else ""
        return RedirectResponse(f"{FLAT_PATH}{query}", status_code=308)
    return catalog.region_tree


@router.get(
    "/flat",
    response_model=Page[RegionSummary],
    summary="List body regions",
    description="Every region as a paginated flat list, in tree order, each naming its parent.",
    responses=problem_responses(422),
)
async def list_regions(
    catalog: CatalogDep, page: PageDep, request: Request, response: Response
) -> Page[RegionSummary]:
    return paginate(catalog.region_summaries, page, request, response)


@router.get(
    "/schemes/choir",
    response_model=ChoirScheme,
    summary="List the CHOIR Body Map's segments",
    description="The 74 segments of the CHOIR Body Map (front 101-136, back 201-238, male-form "
    "numbering) with the person's side and the regions each is asked as by "
    "`/v1/pain-sources?choir=…`, and the map's sources (never paginated).",
    responses=problem_responses(),
)
async def get_choir_scheme(request: Request, catalog: CatalogDep) -> ChoirScheme:
    return (await _choir_scheme(request, catalog))[1]


@router.get(
    "/{slug}",
    response_model=RegionDetail,
    summary="Get a body region",
    description="A region with its place in the tree and the muscles whose trigger points refer "
    "pain to it or to any region below it, essential referrals first.",
    responses=problem_responses(404, 422),
)
async def get_region(
    slug: Annotated[str, Path(max_length=100, examples=["temple"])], catalog: CatalogDep
) -> RegionDetail:
    catalog.require("region", [slug])
    return catalog.region_details[slug]
