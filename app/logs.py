"""Logs as one JSON object a line, with a timestamp and the request id on
every line, the server's own lines included.

python-json-logger is a formatter for the standard ``logging`` module, so the
``logging.getLogger`` calls across Painmap and uvicorn's own loggers stay as
they are and only the output changes; structlog would have meant its own
logger API or a bridge for every library that logs through ``logging``."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS

# Set by the HTTP policy layer for the task serving one request; copied into
# threads that the request starts (FastAPI's thread pool copies context).
REQUEST_ID: ContextVar[str | None] = ContextVar("painmap_request_id", default=None)

JSON_FORMATTER = "pythonjsonlogger.json.JsonFormatter"
RENAMED = {"levelname": "level", "name": "logger"}
# uvicorn adds a copy of some messages with terminal colours: not for JSON.
RESERVED = [*RESERVED_ATTRS, "color_message"]


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (None outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        return True


def log_config(level: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for ``painmap serve``: uvicorn's loggers
    and ours, all JSON on standard output. Access lines carry their fields at
    the top level (``method``, ``path``, ``status``, ``duration_ms``, …)."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "json": {
                "()": JSON_FORMATTER,
                "fmt": ["levelname", "name", "message", "request_id"],
                "rename_fields": RENAMED,
                "reserved_attrs": RESERVED,
                "timestamp": True,
            },
            "access": {
                "()": JSON_FORMATTER,
                "fmt": ["levelname", "name", "request_id"],
                "rename_fields": RENAMED,
                "reserved_attrs": RESERVED,
                "timestamp": True,
            },
        },
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id"],
                "stream": "ext://sys.stdout",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "filters": ["request_id"],
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["json"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "painmap": {"handlers": ["json"], "level": level, "propagate": False},
            "painmap.access": {"handlers": ["access"], "level": level, "propagate": False},
        },
        "root": {"handlers": ["json"], "level": "WARNING"},
    }
