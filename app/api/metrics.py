"""``/metrics`` in the Prometheus text format (prometheus-client), when
``PAINMAP_METRICS`` is on: requests and latency by route template, response
cache hits and misses, rate-limited requests and the dataset version.

Each process counts its own requests: with ``--workers N`` a scrape answers
for the worker that took it, so prefer one worker per replica and scrape
each replica."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    """One registry per application (so several apps in one process, as in
    the tests, never clash)."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self, version: Callable[[], str | None]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "painmap_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "painmap_http_request_duration_seconds",
            "Time to answer, by method and route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.cache_hits = Counter(
            "painmap_response_cache_hits",
            "Answers replayed from the response cache.",
            registry=self.registry,
        )
        self.cache_misses = Counter(
            "painmap_response_cache_misses",
            "Cacheable requests the response cache did not hold.",
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "painmap_rate_limited_requests",
            "Requests answered 429 by the rate limiter.",
            registry=self.registry,
        )
        self.registry.register(_DatasetCollector(version))

    def observe(self, method: str, route: str, status: int, started: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(time.perf_counter() - started)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _DatasetCollector(Collector):
    def __init__(self, version: Callable[[], str | None]) -> None:
        self.version = version

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "painmap_dataset_info", "The dataset version being served.", labels=["version"]
        )
        version = self.version()
        if version:
            family.add_metric([version], 1)
        yield family
