"""OpenAPI document with response examples taken from the loaded dataset,
so every example is a real answer of this very service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from app.api.services import pain_sources, search
from app.data.catalog import Catalog

EXAMPLE_MUSCLE = "infraspinatus"
EXAMPLE_REGION = "temple"


def _page(items: list[BaseModel], path: str, size: int = 2) -> dict[str, Any]:
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


def _examples(catalog: Catalog) -> dict[str, Callable[[], Any]]:
    muscle = _muscle(catalog)

    def dump(model: BaseModel | list[BaseModel]) -> Any:
        if isinstance(model, list):
            return [item.model_dump(mode="json") for item in model]
        return model.model_dump(mode="json")

    def region_tree() -> dict[str, Any]:
        tree = catalog.region_tree
        return {"count": tree.count, "results": [dump(tree.results[0])]}

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
        "/v1/regions/{slug}": lambda: dump(catalog.region_details[EXAMPLE_REGION]),
        "/v1/conditions": lambda: _page(catalog.condition_summaries, "/v1/conditions"),
        "/v1/conditions/{slug}": condition_detail,
        "/v1/pain-sources": lambda: pain_sources(
            catalog, "pain between my shoulder blades", [], [], None, "spillover", 3
        ),
        "/v1/search": lambda: dump(search(catalog, "trap", 5)),
    }


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
        catalog: Catalog | None = getattr(app.state, "catalog", None)
        if catalog is None:
            return schema  # not cached: examples come once the data is loaded
        for path, make in _examples(catalog).items():
            operation = schema["paths"].get(path, {}).get("get")
            if operation is None:
                continue
            content = operation["responses"]["200"]["content"]["application/json"]
            content["example"] = make()
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
