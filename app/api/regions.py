"""``/v1/regions``: the body-region tree (and the CHOIR Body Map's segments)."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import AfterValidator

from app.api.deps import CatalogDep, PageDep, paginate
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
from app.data.catalog import Catalog
from app.data.dataset import CHOIR_SEGMENTS, ChoirFile, load_choir

router = APIRouter(prefix="/regions", tags=["regions"])


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


async def _choir_scheme(request: Request, catalog: Catalog) -> tuple[ChoirFile, ChoirScheme]:
    """``data/choir.yaml`` beside the dataset being served, read once per version."""
    key = (request.app.state.settings.data_dir, catalog.version)
    if not _choir or _choir[0][0] != key:
        choir = await run_in_threadpool(load_choir, key[0], catalog.dataset.regions)
        _choir[:] = [(key, choir, _listing(choir, catalog))]
    return _choir[0][1], _choir[0][2]


async def get_choir(request: Request, catalog: CatalogDep) -> ChoirFile:
    return (await _choir_scheme(request, catalog))[0]


ChoirDep = Annotated[ChoirFile, Depends(get_choir)]


@router.get(
    "",
    response_model=RegionTree | Page[RegionSummary] | ChoirScheme,
    summary="List body regions",
    description="By default the tree: `count` is the number of all regions and `results` holds "
    "the top-level regions with their `children` nested. With `flat=true`, a paginated flat "
    "list in tree order.\n\n"
    "`scheme=choir` lists the 74 segments of the CHOIR Body Map (front 101-136, back 201-238, "
    "male-form numbering) with the person's side and the regions each is asked as by "
    "`/v1/pain-sources?choir=…`, and the map's sources (never paginated).",
    responses=problem_responses(422),
)
async def list_regions(
    catalog: CatalogDep,
    page: PageDep,
    request: Request,
    response: Response,
    flat: Annotated[bool, Query(description="Return a flat paginated list.")] = False,
    scheme: Annotated[
        Literal["choir"] | None,
        Query(description="List a clinical body map's segments instead: `choir`."),
    ] = None,
) -> RegionTree | Page[RegionSummary] | ChoirScheme:
    if scheme == "choir":
        return (await _choir_scheme(request, catalog))[1]
    if flat:
        return paginate(catalog.region_summaries, page, request, response)
    return catalog.region_tree


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
