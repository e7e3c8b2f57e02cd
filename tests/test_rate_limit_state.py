"""The in-process rate-limit state: counters of clients gone idle are
dropped (when met after they expire, or when the bound makes room for new
clients, least recently allowed first), and a forgotten client starts with a
full allowance."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from app.api.middleware import RateLimitMiddleware
from app.api.ratelimit import BoundedMemoryStorage


def test_expired_counters_are_dropped_when_met() -> None:
    async def scenario() -> None:
        storage = BoundedMemoryStorage()
        assert await storage.incr("idle", expiry=0.05) == 1
        assert await storage.incr("idle", expiry=0.05) == 2
        assert await storage.incr("busy", expiry=60) == 1
        await asyncio.sleep(0.1)
        assert "idle" in storage._counters  # nothing sweeps in the background ...
        assert await storage.get("idle") == 0  # ... it goes when next looked at
        assert "idle" not in storage._counters
        assert await storage.get("busy") == 1
        # An expired counter counts again from zero, with a new expiry.
        await storage.incr("busy2", expiry=0.05)
        await asyncio.sleep(0.1)
        assert await storage.decr("busy2") == 0 and "busy2" not in storage._counters
        assert await storage.incr("busy2", expiry=60) == 1
        assert await storage.get_expiry("busy2") > time.time() + 50

    asyncio.run(scenario())


def test_the_bound_forgets_the_least_recently_used_counter() -> None:
    async def scenario() -> None:
        storage = BoundedMemoryStorage(max_counters=3)
        for key in ("a", "b", "c"):
            await storage.incr(key, expiry=60)
        await storage.incr("a", expiry=60)  # a is used again: b is now the oldest
        await storage.incr("d", expiry=60)
        assert list(storage._counters) == ["c", "a", "d"]
        assert await storage.get("a") == 2 and await storage.get("b") == 0

    asyncio.run(scenario())


def _request(client: str) -> dict[str, Any]:
    return {
        "type": "http",
        "method": "GET",
        "path": "/v1/muscles",
        "client": (client, 40000),
        "headers": [],
    }


def test_idle_clients_are_forgotten_and_start_afresh() -> None:
    """One request a minute each, room for two clients' counters: a new
    client pushes out the one allowed longest ago, never a more recent one."""

    async def ok(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def receive() -> Any:
        return {"type": "http.request", "body": b""}

    limiter = RateLimitMiddleware(ok, per_minute=1)
    limiter.limiter.storage.max_counters = 2

    async def status(client: str) -> int:
        sent: list[dict[str, Any]] = []

        async def send(message: Any) -> None:
            sent.append(message)

        await limiter(_request(client), receive, send)
        return int(sent[0]["status"])

    clients = ["10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.1", "10.0.0.3", "10.0.0.2"]

    async def scenario() -> list[int]:
        return [await status(client) for client in clients]

    # A new minute's window mid-test would give the limited client its
    # allowance back for a reason other than being forgotten.
    if time.time() % 60 > 58:
        time.sleep(2.5)
    assert asyncio.run(scenario()) == [
        200,  # .1 is allowed
        429,  # .1 has used its minute
        200,  # .2 is allowed
        200,  # .3 is allowed, and .1, the least recently allowed, is forgotten
        200,  # .1 again: a full allowance (and .2 is forgotten)
        429,  # .3 is still remembered: it was allowed after .2
        200,  # .2 was forgotten
    ]
