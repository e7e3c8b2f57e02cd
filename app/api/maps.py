"""``/v1/body-map.svg``: pictures of referral zones and asked areas."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.api.deps import CatalogDep
from app.api.errors import problem_responses
from app.api.lookup import MAX_REPEATED
from app.api.services import MAX_QUESTION_LENGTH, body_map
from app.web.bodymap import ViewChoice

router = APIRouter(tags=["maps"])

SVG_EXAMPLE = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 832 577" role="img" '
    'aria-labelledby="map-title map-desc"><title id="map-title">Referral pattern of '
    "Infraspinatus</title>…</svg>"
)


@router.get(
    "/body-map.svg",
    response_class=Response,
    summary="Draw a body map",
    description=(
        "An SVG picture of the body with every region as a shape. "
        "`muscle` shades that muscle's referral zones (essential darker than spillover) and "
        "marks its trigger points; `region` highlights areas; `q` draws the areas a free-text "
        "question was understood as. `view` picks the figures: the front and back of the body, "
        "the soles of both feet and the head and neck from each side (by default front and "
        "back, plus the close-ups where something is drawn); left and right are the person's "
        "own and are labelled on every view. `side` limits shading and markers to one side. "
        "Region names show on hover; a legend explains the colours."
    ),
    responses={
        200: {
            "content": {"image/svg+xml": {"schema": {"type": "string"}, "example": SVG_EXAMPLE}},
            "description": "The SVG picture.",
        },
        **problem_responses(404, 422),
    },
)
async def get_body_map(
    catalog: CatalogDep,
    muscle: Annotated[
        list[str],
        Query(max_length=MAX_REPEATED, description="Muscle slug(s).", examples=[["infraspinatus"]]),
    ] = [],  # noqa: B006 - FastAPI copies query defaults
    region: Annotated[
        list[str], Query(max_length=MAX_REPEATED, description="Region slug(s).")
    ] = [],  # noqa: B006
    q: Annotated[
        str | None, Query(max_length=MAX_QUESTION_LENGTH, description="Free-text question.")
    ] = None,
    view: Annotated[
        ViewChoice,
        Query(
            description=(
                "Which views: `front`, `back`, `sole` (both soles, like footprints), `head` (the "
                "head and neck from each side; `side` says the same), `both` (front and back), `all`, or `auto`: front "
                "and back, plus `sole` and `head` where an asked or shaded region is drawn "
                "(every view for a plain map)."
            )
        ),
    ] = "auto",
    side: Annotated[Literal["left", "right"] | None, Query(description="Body side.")] = None,
) -> Response:
    highlight = body_map(catalog, muscle, region, q, side)
    return Response(catalog.body_map.render(highlight, view), media_type="image/svg+xml")
