"""Where rate-limit counters live, and who counts as one client.

The limiting itself is the ``limits`` package's sliding-window counter.
Shared storage (Redis, or anything speaking its protocol) is ``limits``'
own; in-process storage is :class:`BoundedMemoryStorage` below, because
``limits``' memory storage scans every key after each hit (its cost grows
with the number of clients seen) and keeps any number of them."""

from __future__ import annotations

import ipaddress
import time
from collections import OrderedDict
from math import floor

from limits.aio.storage import SlidingWindowCounterSupport, Storage
from limits.storage import storage_from_string
from limits.storage.base import TimestampedSlidingWindow
from starlette.types import Scope

# Two counters a client (this window's and the last one's): 100,000 counters
# are about 20 MB and 50,000 clients active in the same two minutes.
MAX_COUNTERS = 100_000
REDIS_TIMEOUT = 0.5  # seconds: a slow Redis must not hold requests up


def make_storage(uri: str) -> Storage:
    if uri.startswith("memory://"):
        return BoundedMemoryStorage()
    storage = storage_from_string(
        f"async+{uri}",
        implementation="redispy",
        wrap_exceptions=True,
        socket_connect_timeout=REDIS_TIMEOUT,
        socket_timeout=REDIS_TIMEOUT,
    )
    # An "async+" URI always gives the asyncio flavour the middleware awaits.
    if not isinstance(storage, Storage):
        raise TypeError(f"{uri!r} gave a synchronous rate-limit storage")
    return storage


def client_key(scope: Scope) -> str:
    """The peer address (or the one a trusted proxy forwarded); IPv6
    addresses count by their /64, which one subscriber usually holds whole."""
    host = (scope.get("client") or ("unknown", 0))[0]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return host


class BoundedMemoryStorage(Storage, SlidingWindowCounterSupport, TimestampedSlidingWindow):
    """In-process counters for ``limits``' sliding-window counter: constant
    work per hit, expired counters dropped when met, and at most
    ``max_counters`` of them (the least recently used forgotten first)."""

    STORAGE_SCHEME = None  # not registered: made by make_storage only

    def __init__(self, max_counters: int = MAX_COUNTERS) -> None:
        super().__init__()
        self.max_counters = max_counters
        self._counters: OrderedDict[str, tuple[int, float]] = OrderedDict()

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return ValueError

    def _live(self, key: str, now: float) -> tuple[int, float]:
        entry = self._counters.get(key)
        if entry is None:
            return 0, 0.0
        if entry[1] <= now:
            del self._counters[key]
            return 0, 0.0
        return entry

    def _put(self, key: str, count: int, expires: float) -> None:
        self._counters[key] = (count, expires)
        self._counters.move_to_end(key)
        while len(self._counters) > self.max_counters:
            self._counters.popitem(last=False)

    async def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        count, expires = self._live(key, now)
        if count == 0:
            expires = now + expiry
        self._put(key, count + amount, expires)
        return count + amount

    async def decr(self, key: str, amount: int = 1) -> int:
        now = time.time()
        count, expires = self._live(key, now)
        if count:
            self._put(key, max(count - amount, 0), expires)
        return max(count - amount, 0)

    async def get(self, key: str) -> int:
        return self._live(key, time.time())[0]

    async def get_expiry(self, key: str) -> float:
        now = time.time()
        count, expires = self._live(key, now)
        return expires if count else now

    async def check(self) -> bool:
        return True

    async def reset(self) -> int | None:
        count = len(self._counters)
        self._counters.clear()
        return count

    async def clear(self, key: str) -> None:
        self._counters.pop(key, None)

    async def acquire_sliding_window_entry(
        self, key: str, limit: int, expiry: int, amount: int = 1
    ) -> bool:
        if amount > limit:
            return False
        now = time.time()
        previous, previous_ttl, current, _ = self._window(key, expiry, now)
        if floor(previous * previous_ttl / expiry + current) + amount > limit:
            return False
        # The counter outlives its window by one more, to weigh the next one.
        await self.incr(self.sliding_window_keys(key, expiry, now)[1], 2 * expiry, amount)
        return True

    async def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        return self._window(key, expiry, time.time())

    async def clear_sliding_window(self, key: str, expiry: int) -> None:
        for window_key in self.sliding_window_keys(key, expiry, time.time()):
            await self.clear(window_key)

    def _window(self, key: str, expiry: int, now: float) -> tuple[int, float, int, float]:
        previous_key, current_key = self.sliding_window_keys(key, expiry, now)
        previous = self._live(previous_key, now)[0]
        current = self._live(current_key, now)[0]
        previous_ttl = 0.0 if previous == 0 else (1 - (((now - expiry) / expiry) % 1)) * expiry
        current_ttl = (1 - ((now / expiry) % 1)) * expiry + expiry
        return previous, previous_ttl, current, current_ttl
