"""``/v1/pain-sources`` and ``/v1/search``: the questions people ask."""

from __future__ import annotations

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Query, Request, Response
from fastapi.openapi.models import Example
from pydantic import BaseModel, Field

from app.api.deps import CatalogDep, get_catalog
from app.api.errors import V1_RESPONSES, problem_responses
from app.api.openapi import operation_id
from app.api.querymodel import QueryModelRoute
from app.api.regions import ChoirCode, get_choir
from app.api.schemas import PainSources, SearchResults
from app.api.services import MAX_QUESTION_LENGTH, choir_regions, pain_sources, search
from app.domain import CHOIR_SEGMENTS

router = APIRouter(tags=["lookup"])
# The lookup's query is one model, validated in one call (app.api.querymodel);
# its route is added to the app directly (app.api.lookup_routes), so it
# carries the /v1 prefix and responses itself.
pain_sources_router = APIRouter(
    prefix="/v1",
    tags=["lookup"],
    responses=V1_RESPONSES,
    route_class=QueryModelRoute,
    generate_unique_id_function=operation_id,
)

MAX_REPEATED = 10

QUESTION_EXAMPLES: dict[str, Example] = {
    "headache": {
        "summary": "A general question",
        "value": "where might a headache be coming from",
    },
    "between-shoulder-blades": {
        "summary": "Lay words for a region",
        "value": "pain between my shoulder blades",
    },
    "several-areas": {
        "summary": "Several areas and a side",
        "value": "pain in my left jaw, neck and shoulder",
    },
    "condition": {"summary": "A condition", "value": "tennis elbow"},
    "typo": {"summary": "Typos are tolerated", "value": "my temlpes throb after work"},
}


class PainSourcesQuery(BaseModel):
    """What ``/v1/pain-sources`` takes; unknown parameters are ignored."""

    # Query() rather than Field(): FastAPI documents each as a parameter
    # with its named examples.
    q: str | None = Query(
        None,
        max_length=MAX_QUESTION_LENGTH,
        description="Free-text question.",
        openapi_examples=QUESTION_EXAMPLES,
    )
    region: list[str] = Query(
        [],
        max_length=MAX_REPEATED,
        description="Region slug(s); see /v1/regions.",
        openapi_examples={
            "one": {"summary": "One region", "value": ["lateral-elbow"]},
            "two": {"summary": "Two regions", "value": ["temple", "upper-teeth"]},
        },
    )
    condition: list[str] = Query(
        [],
        max_length=MAX_REPEATED,
        description="Condition slug(s); see /v1/conditions.",
        openapi_examples={"tennis-elbow": {"summary": "Tennis elbow", "value": ["tennis-elbow"]}},
    )
    choir: list[ChoirCode] = Query(
        [],
        max_length=len(CHOIR_SEGMENTS),
        description="CHOIR Body Map segment number(s), front 101-136 and back 201-238 "
        "(male-form numbering), each asked as its regions on its side; see "
        "/v1/regions/schemes/choir.",
        openapi_examples={
            "two": {"summary": "Left upper arm and left shoulder", "value": [112, 207]}
        },
    )
    side: Literal["left", "right"] | None = Field(None, description="Body side.")
    include: Literal["spillover", "essential"] = Field(
        "spillover", description="Which referral zones count."
    )
    limit: int = Field(10, ge=1, le=100, description="How many muscles (1-100).")


@pain_sources_router.get(
    "/pain-sources",
    response_model=PainSources,
    summary="Where might this pain be coming from?",
    description=(
        "Ranks the muscles whose trigger points refer pain to the asked areas, with a score in "
        "[0, 1], the matched referral zones and a one-sentence explanation.\n\n"
        "Ask with free text `q` (lay words, typos and plurals tolerated; `left`/`right` "
        "recognised; several areas in one question), with `region` slugs (repeatable), with "
        "`condition` slugs (repeatable), or any mix. A parent region includes everything below "
        "it (`head` includes `temple`). Muscles that explain every asked area rank above those "
        "that explain some; essential zones above spillover zones; a condition's associated "
        "muscles are boosted.\n\n"
        "`include=spillover` (the default) also counts spillover zones, at half the weight of "
        "essential ones; `include=essential` counts essential zones only.\n\n"
        "A question that names nothing known answers 200 with empty `results` and "
        "`suggestions`. Symptoms that need medical care add `warnings`. Every answer carries "
        "the `disclaimer`."
    ),
    responses=problem_responses(404, 422),
)
async def get_pain_sources(
    request: Request, asked: Annotated[PainSourcesQuery, Query()]
) -> Response:
    catalog = await get_catalog(request)
    region, side = asked.region, asked.side
    if asked.choir:  # a clinic's pain drawing: its segments' regions, on their side
        areas, choir_side = choir_regions(await get_choir(request, catalog), asked.choir)
        region, side = [*region, *(a for a in areas if a not in region)], side or choir_side
    # Serialised once, straight from prepared parts: a new question costs no
    # second validation of what was built from valid data.
    answer = pain_sources(
        catalog, asked.q, region, asked.condition, side, asked.include, asked.limit
    )
    return Response(orjson.dumps(answer), media_type="application/json")


@router.get(
    "/search",
    response_model=SearchResults,
    summary="Autocomplete across muscles, regions and conditions",
    description="Matches names, synonyms and aliases: prefix matches first, then "
    "typo-tolerant ones. Use it to turn what a user types into slugs.",
    responses=problem_responses(422),
)
async def get_search(
    catalog: CatalogDep,
    q: Annotated[str, Query(min_length=1, max_length=100, examples=["trap"])],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SearchResults:
    return search(catalog, q, limit)
