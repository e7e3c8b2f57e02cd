"""One error shape everywhere: RFC 9457 ``application/problem+json``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.schemas import Problem, ValidationIssue
from app.domain import NotFound

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


def problem_response(problem: Problem, headers: Mapping[str, str] | None = None) -> JSONResponse:
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
    """Answer every error, expected or not, with a problem document."""
    app.exception_handler(ProblemException)(_problem)
    app.exception_handler(NotFound)(_not_found)
    app.exception_handler(RequestValidationError)(_invalid)
    app.exception_handler(StarletteHTTPException)(_http)
    app.exception_handler(Exception)(_unexpected)


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


async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
    """An unknown slug: 404, naming the close matches the catalog found."""
    names = ", ".join(repr(s["slug"]) for s in exc.suggestions)
    hint = f" Did you mean {names}?" if names else ""
    detail = f"No {exc.kind} has the slug {exc.key!r}.{hint}"
    suggestions: list[dict[str, Any]] = [dict(s) for s in exc.suggestions]
    return await _problem(request, ProblemException(404, detail, suggestions=suggestions))


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [_validation_issue(err) for err in exc.errors()]
    summary = "; ".join(f"{_where(issue)}: {issue.msg}" for issue in errors)
    return problem_response(
        Problem(
            type=_problem_type(422),
            title="Unprocessable Content",
            status=422,
            detail=summary or "The request is not valid.",
            instance=request.url.path,
            errors=errors,
        )
    )


def _validation_issue(err: Any) -> ValidationIssue:
    return ValidationIssue(
        loc=[part if isinstance(part, int) else str(part) for part in err.get("loc", ())],
        msg=err.get("msg", ""),
        type=err.get("type", ""),
    )


def _where(issue: ValidationIssue) -> str:
    """A validation error's place without its first part ("query", "path"):
    ``limit``, ``region.1``; the first part alone when that is all there is."""
    if not issue.loc:
        return "request"
    return ".".join(str(part) for part in issue.loc[1:]) or str(issue.loc[0])


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return problem_response(
        Problem(
            type=_problem_type(exc.status_code),
            title=status_title(exc.status_code),
            status=exc.status_code,
            detail=str(exc.detail) if exc.detail else None,
            instance=request.url.path,
        ),
        exc.headers,
    )


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
                ValidationIssue(
                    loc=["query", "limit"],
                    msg="Input should be less than or equal to 100",
                    type="less_than_equal",
                )
            ],
        ),
        429: Problem(
            type=_problem_type(429),
            title="Too Many Requests",
            status=429,
            detail="Rate limit reached; retry in 12 s.",
            instance="/v1/pain-sources",
        ),
        503: Problem(
            type=_problem_type(503),
            title="Service Unavailable",
            status=503,
            detail="The dataset is not loaded yet.",
            instance="/v1/muscles",
        ),
    }
    retry_after = {
        "Retry-After": {
            "description": "Seconds to wait before asking again.",
            "schema": {"type": "integer"},
        }
    }
    return {
        status: {
            "model": Problem,
            "description": status_title(status),
            "content": {
                PROBLEM_MEDIA_TYPE: {"example": examples[status].model_dump(exclude_none=True)}
            },
            **({"headers": retry_after} if status in (429, 503) else {}),
        }
        for status in statuses
    }


# Every /v1 operation can answer these: 429 past PAINMAP_RATE_LIMIT (the rate
# limiter covers /v1 only), 503 while the dataset is not loaded yet.
V1_RESPONSES = problem_responses(429, 503)
