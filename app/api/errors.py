"""One error shape everywhere: RFC 9457 ``application/problem+json``."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.schemas import Problem

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("painmap.errors")


def status_title(status: int) -> str:
    # RFC 9110 renamed 422; Python's table still has the old phrase.
    return "Unprocessable Content" if status == 422 else HTTPStatus(status).phrase


class ProblemException(Exception):
    """Raised by services and routes; rendered as a problem response."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        suggestions: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or status_title(status)
        self.suggestions = suggestions
        self.headers = headers


class NotFound(ProblemException):
    def __init__(self, kind: str, slug: str, suggestions: list[dict[str, Any]]) -> None:
        hint = (
            f" Did you mean {', '.join(repr(s['slug']) for s in suggestions)}?"
            if suggestions
            else ""
        )
        super().__init__(404, f"No {kind} has the slug {slug!r}.{hint}", suggestions=suggestions)


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _problem_type(status: int) -> str:
    # RFC 9457: "about:blank" means the title is the HTTP status phrase and the
    # detail carries the specifics; we define no problem types of our own.
    del status
    return "about:blank"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemException)
    async def _problem(request: Request, exc: ProblemException) -> JSONResponse:
        return problem_response(
            Problem(
                type=_problem_type(exc.status),
                title=exc.title,
                status=exc.status,
                detail=exc.detail,
                instance=request.url.path,
                suggestions=exc.suggestions,
            ),
            exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "loc": [
                    part if isinstance(part, int) else str(part) for part in err.get("loc", ())
                ],
                "msg": err.get("msg", ""),
                "type": err.get("type", ""),
            }
            for err in exc.errors()
        ]
        summary = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0] if e['loc'] else 'request'}: {e['msg']}"
            for e in errors
        )
        return problem_response(
            Problem(
                type=_problem_type(422),
                title="Unprocessable Content",
                status=422,
                detail=summary or "The request is not valid.",
                instance=request.url.path,
                errors=errors,  # type: ignore[arg-type]
            )
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(
            Problem(
                type=_problem_type(exc.status_code),
                title=status_title(exc.status_code),
                status=exc.status_code,
                detail=str(exc.detail) if exc.detail else None,
                instance=request.url.path,
            ),
            getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Never leak a stack trace; log it with the request path instead.
        log.exception("unhandled error on %s", request.url.path)
        return problem_response(
            Problem(
                type=_problem_type(500),
                title="Internal Server Error",
                status=500,
                detail="Something went wrong on our side.",
                instance=request.url.path,
            )
        )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the problem shapes a route can return."""
    examples = {
        404: Problem(
            type=_problem_type(404),
            title="Not Found",
            status=404,
            detail="No muscle has the slug 'temporalys'. Did you mean 'temporalis'?",
            instance="/v1/muscles/temporalys",
            suggestions=[
                {"slug": "temporalis", "name": "Temporalis", "url": "/v1/muscles/temporalis"}
            ],
        ),
        422: Problem(
            type=_problem_type(422),
            title="Unprocessable Content",
            status=422,
            detail="limit: Input should be less than or equal to 100",
            instance="/v1/muscles",
            errors=[
                {
                    "loc": ["query", "limit"],
                    "msg": "Input should be less than or equal to 100",
                    "type": "less_than_equal",
                }
            ],  # type: ignore[list-item]
        ),
        503: Problem(
            type=_problem_type(503),
            title="Service Unavailable",
            status=503,
            detail="The dataset is not loaded yet.",
            instance="/readyz",
        ),
    }
    return {
        status: {
            "model": Problem,
            "description": status_title(status),
            "content": {
                PROBLEM_MEDIA_TYPE: {"example": examples[status].model_dump(exclude_none=True)}
            },
        }
        for status in statuses
    }
