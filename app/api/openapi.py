"""OpenAPI document with response examples taken from the loaded dataset,
so every example is a real answer of this very service."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.api.catalog import Catalog
from app.api.errors import PROBLEM_MEDIA_TYPE
from app.api.regions import choir_scheme
from app.api.services import pain_sources, search

EXAMPLE_MUSCLE = "infraspinatus"
EXAMPLE_REGION = "temple"


def _page(items: Sequence[BaseModel], path: str, size: int = 2) -> dict[str, Any]:
    return {
        "count": len(items),
        "next": f"{path}?limit={size}&offset={size}" if len(items) > size else None,
        "previous": None,
        "results": [item.model_dump(mode="json") for item in items[:size]],
    }


def _muscle(catalog: Catalog) -> str:
    return (
        EXAMPLE_MUSCLE
        if EXAMPLE_MUSCLE in catalog.muscle_details
        else next(iter(catalog.muscle_details))
    )


# The operations whose 200 example is a real answer drawn from the loaded dataset.
EXAMPLE_PATHS = (
    "/healthz",
    "/readyz",
    "/v1/muscles",
    "/v1/muscles/{slug}",
    "/v1/muscles/{slug}/trigger-points",
    "/v1/muscles/{slug}/self-care",
    "/v1/regions",
    "/v1/regions/flat",
    "/v1/regions/schemes/choir",
    "/v1/regions/{slug}",
    "/v1/conditions",
    "/v1/conditions/{slug}",
    "/v1/pain-sources",
    "/v1/search",
)


def _examples(catalog: Catalog, data_dir: Path) -> dict[str, Callable[[], Any]]:
    muscle = _muscle(catalog)

    def dump(model: BaseModel | Sequence[BaseModel]) -> Any:
        if not isinstance(model, BaseModel):
            return [item.model_dump(mode="json") for item in model]
        return model.model_dump(mode="json")

    def region_tree() -> dict[str, Any]:
        tree = catalog.region_tree
        return {"count": tree.count, "results": [dump(tree.results[0])]}

    def choir() -> Any:
        scheme = choir_scheme(data_dir, catalog)[1]
        return dump(scheme.model_copy(update={"results": scheme.results[:2]}))

    def condition_detail() -> Any:
        first = next(iter(catalog.condition_details.values()), None)
        return dump(first) if first else {}

    return {
        "/healthz": lambda: {"status": "ok"},
        "/readyz": lambda: {
            "status": "ready",
            "database": "ok",
            "dataset_version": catalog.version,
            "muscles": len(catalog.muscle_details),
        },
        "/v1/muscles": lambda: _page(catalog.muscle_summaries, "/v1/muscles"),
        "/v1/muscles/{slug}": lambda: dump(catalog.muscle_details[muscle]),
        "/v1/muscles/{slug}/trigger-points": lambda: dump(
            catalog.muscle_details[muscle].trigger_points
        ),
        "/v1/muscles/{slug}/self-care": lambda: dump(catalog.self_care_pages[muscle]),
        "/v1/regions": region_tree,
        "/v1/regions/flat": lambda: _page(catalog.region_summaries, "/v1/regions/flat"),
        "/v1/regions/schemes/choir": choir,
        "/v1/regions/{slug}": lambda: dump(catalog.region_details[EXAMPLE_REGION]),
        "/v1/conditions": lambda: _page(catalog.condition_summaries, "/v1/conditions"),
        "/v1/conditions/{slug}": condition_detail,
        "/v1/pain-sources": lambda: pain_sources(
            catalog, "pain between my shoulder blades", [], [], None, "spillover", 3
        ),
        "/v1/search": lambda: dump(search(catalog, "trap", 5)),
    }


def operation_id(route: APIRoute) -> str:
    """The operation id of a route: its function's name (``get_muscle``)."""
    return route.name


def without_dataset_examples(schema: dict[str, Any]) -> dict[str, Any]:
    """The contract alone: ``schema`` less the response examples drawn from
    the loaded dataset, which change with the data while the contract does not."""
    contract = copy.deepcopy(schema)
    for path in EXAMPLE_PATHS:
        operation = contract["paths"].get(path, {}).get("get")
        if operation is not None:
            operation["responses"]["200"]["content"]["application/json"].pop("example", None)
    return contract


def _problem_media_type(schema: dict[str, Any]) -> None:
    """Problem answers are ``application/problem+json``: FastAPI documents a
    response's model under the route's own media type (``application/json``),
    where clients would look for it in vain; move it beside the example."""
    for item in schema["paths"].values():
        for operation in item.values():
            for answer in operation["responses"].values():
                content = answer.get("content", {})
                if PROBLEM_MEDIA_TYPE in content and "application/json" in content:
                    content[PROBLEM_MEDIA_TYPE]["schema"] = content.pop("application/json")[
                        "schema"
                    ]


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        _problem_media_type(schema)
        catalog: Catalog | None = getattr(app.state, "catalog", None)
        if catalog is None:
            return schema  # not cached: examples come once the data is loaded
        examples = _examples(catalog, app.state.settings.data_dir)
        for path in EXAMPLE_PATHS:
            content = schema["paths"][path]["get"]["responses"]["200"]["content"]
            content["application/json"]["example"] = examples[path]()
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
