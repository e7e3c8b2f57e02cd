"""A route whose whole query string is one pydantic model, validated by the
model alone.

FastAPI solves a route's parameters anew for every request: for the lookup
that took as long as ranking the question. :class:`QueryModelRoute` keeps
FastAPI's declaration (so the OpenAPI document lists each field as a query
parameter, with its examples) but answers requests by reading the query the
way FastAPI does and validating it with one ``model_validate`` call; invalid
input raises the same ``RequestValidationError``, located under ``query``.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any
from urllib.parse import parse_qsl

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

Endpoint = Callable[[Request, Any], Awaitable[Response]]


def query_model(endpoint: Callable[..., Any]) -> type[BaseModel]:
    """The one pydantic model among the endpoint's parameters."""
    hints = typing.get_type_hints(endpoint)
    models = [
        hint
        for name, hint in hints.items()
        if name != "return" and inspect.isclass(hint) and issubclass(hint, BaseModel)
    ]
    if len(models) != 1:
        raise TypeError(f"{endpoint.__name__} must take exactly one query model")
    return models[0]


def query_fields(model: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """Each field's query name and whether it is repeated (a list)."""
    return tuple(
        (field.alias or name, typing.get_origin(field.annotation) in (list, tuple, set))
        for name, field in model.model_fields.items()
    )


class QueryModelRoute(APIRoute):
    """For endpoints ``async def (request, asked: Model) -> Response``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint: Endpoint = self.endpoint
        model = query_model(endpoint)
        fields = query_fields(model)

        async def handler(request: Request) -> Response:
            # Read as Starlette reads a query (blank values kept), and taken
            # as FastAPI takes it: every value of a list, else the last one.
            sent: dict[str, list[str]] = {}
            query = request.scope["query_string"].decode("latin-1")
            for name, value in parse_qsl(query, keep_blank_values=True):
                sent.setdefault(name, []).append(value)
            values: dict[str, Any] = {}
            for name, repeated in fields:
                if name in sent:
                    values[name] = sent[name] if repeated else sent[name][-1]
            try:
                asked = model.model_validate(values)
            except ValidationError as exc:
                errors = exc.errors(include_url=False)
                raise RequestValidationError(
                    [{**error, "loc": ("query", *error["loc"])} for error in errors]
                ) from None
            return await endpoint(request, asked)

        return handler
