"""Problem answers (RFC 9457) as exceptions."""

from __future__ import annotations

import httpx
from pydantic import ValidationError

from painmap_client.models import Problem


class ProblemError(Exception):
    """The service answered with an RFC 9457 problem (``problem``)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.status} {problem.title}: {problem.detail or ''}".strip())
        self.problem = problem
        self.status = problem.status


class NotFoundError(ProblemError):
    """An unknown slug; ``problem.suggestions`` holds close matches."""


def problem_error(response: httpx.Response) -> ProblemError:
    """The exception for an answer of 400 or more (a problem, or not: a
    proxy's own error page, a not-ready ``/readyz``)."""
    try:
        problem = Problem.model_validate_json(response.content)
    except ValidationError:
        problem = Problem(
            title=response.reason_phrase or "Error",
            status=response.status_code,
            detail=response.text[:200] or None,
        )
    return (NotFoundError if problem.status == 404 else ProblemError)(problem)
