"""Leased counting for the per-client API limit in Redis: fewer round trips, never more requests.

Every API request used to cost one Redis increment (a Lua script round trip, plus CPU on the
Redis server). A process that sees one client's bucket busy (at least ``LEASE_MIN_RATE``
requests in each of its last two quarter seconds) instead counts a few hits ahead in ONE
increment by n, on the very key ``limits``' ``FixedWindowRateLimiter`` counts
(``item.key_for(bucket)``: the sync ``hit``/``exhausted`` and every replica see one shared
count), and spends them here, one per request, without a round trip. Ordinary traffic (a few
requests a second, a page's burst) never leases: each request is one increment by 1, exactly
as before.

Why it never lets more than the limit through: a token exists only if the increment that
counted it returned a count within the limit (granted = clamp(limit - (count - n), 0, n)), and
it is spent only inside the window it was counted in (it expires at a lower bound of that
window's end). Every allowed request was counted in Redis before it passed.

What it costs: tokens a process counted but did not spend are lost when they expire (at the
window's end, and ``LEASE_LIFETIME_S`` after the lease, so an idle process holds no room), so
a client can be refused early by at most n - 1 requests per lease left unspent. n is at most
``MAX_LEASE``, about a quarter second's worth of this process's requests for the bucket, and
at most 1/``ROOM_FRACTION`` of the room left as last seen: near the limit leases shrink to
single increments. A client that keeps sending until it is refused gets exactly the limit.
Near a window's end (and, in a replica that learned the end from the key's TTL, which Redis
rounds to seconds, for up to about 1.5 s before it) requests count singly again.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from limits import RateLimitItem

SLOT_S = 0.25  # the rate is measured over the last two full quarter seconds
LEASE_MIN_RATE = 8  # requests in each of them (32/s for half a second) before leasing at all
MAX_LEASE = 16
ROOM_FRACTION = 8  # a lease takes at most 1/8 of the room left
# Unspent tokens are dropped after this. Long enough that a process stalled for a moment (a
# long garbage collection, a busy machine) does not lose a fresh lease - which would refuse its
# client early - and short enough that an idle process does not hold room for long. (1 s lost
# 15 of 20,000 hits once in a loaded CI run of the two-replica test.)
LEASE_LIFETIME_S = 5.0
MIN_WINDOW_LEFT_S = 0.5  # no lease this close to the window's end (its tokens would die)
TTL_MARGIN_S = 1.0  # Redis rounds TTL to the nearest second: end >= read + ttl - 0.5
_SWEEP_INTERVAL_S = 10.0
_IDLE_S = 2.0


@dataclass
class _Bucket:
    """One bucket's local state in this process (a count, not a request's data)."""

    tokens: int = 0  # counted in Redis, not yet spent
    tokens_until: float = 0.0  # the tokens are void from then on (monotonic)
    window_end: float = 0.0  # a lower bound of the end of the window last seen...
    window_known_since: float = math.inf  # ...true for increments sent at or after this
    next_learn: float = 0.0  # no TTL read before then (the window read last is not over)
    room: int = 0  # limit - count, as last seen
    slot_start: float = -math.inf
    slot_count: int = 0
    last_slot_count: int = 0
    slot_count_before: int = 0
    lease: asyncio.Event | None = None  # set when the lease in flight has been settled
    last_seen: float = 0.0

    def observe(self, now: float) -> None:
        elapsed = now - self.slot_start
        if elapsed >= SLOT_S:
            recent = elapsed < 2 * SLOT_S
            self.slot_count_before = self.last_slot_count if recent else 0
            self.last_slot_count = self.slot_count if recent else 0
            self.slot_start, self.slot_count = now, 0
        self.slot_count += 1
        self.last_seen = now

    def take(self, now: float) -> bool:
        if self.tokens > 0 and now < self.tokens_until:
            self.tokens -= 1
            return True
        self.tokens = 0
        return False

    def lease_size(self) -> int:
        """About a quarter second's worth of this process's requests, if they came steadily
        (a burst fills one quarter second only); within ``MAX_LEASE`` and the room's share."""
        steady = min(self.last_slot_count, self.slot_count_before)
        if steady < LEASE_MIN_RATE:
            return 1
        return max(1, min(MAX_LEASE, steady, self.room // ROOM_FRACTION))

    def window_end_for(self, sent_at: float) -> float:
        """The window's end for an increment sent at ``sent_at``, or ``-inf`` if not known.

        A bound learned at ``window_known_since`` describes the newest window at that moment;
        an increment sent later lands in that window or a newer one. In a newer one it arrived
        after the old window's end, hence after the bound: its tokens are void at once."""
        return self.window_end if self.window_known_since <= sent_at else -math.inf

    def learn_window(self, end: float, since: float) -> None:
        self.window_end, self.window_known_since = end, since


class LeasedCounter:
    """Per-bucket leases over ``limits``' asyncio storage, one per backend (i.e. process),
    used from that process's event loop.

    Bucket state never changes across an ``await``, so coroutines interleaving at a Redis call
    see it consistent. One lease per bucket is in flight at a time; a request that finds no
    token while it is in flight waits for it (the lease is sized for the bucket's concurrent
    requests), and counts itself with a single increment if the lease left it nothing."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage
        self._buckets: dict[str, _Bucket] = {}
        self._next_sweep = 0.0

    async def hit(self, item: RateLimitItem, bucket: str) -> float | None:
        """``None`` if the request may pass, otherwise when the window resets (epoch seconds).
        Storage errors propagate (the caller falls back to counting in the process)."""
        key = item.key_for(bucket)
        now = time.monotonic()
        state = self._bucket(key, now)
        state.observe(now)
        if state.take(now):
            return None
        wanted = state.lease_size()
        if state.lease is not None:  # a lease is on its way: share it
            await state.lease.wait()
            if state.take(time.monotonic()):
                return None
            wanted = 1
        if wanted == 1:
            passed = await self._count(key, 1, item, state)
        else:
            lease = state.lease = asyncio.Event()
            try:
                passed = await self._lease(key, wanted, item, state)
            finally:
                state.lease = None
                lease.set()
        if passed:
            return None
        from limits.errors import StorageError

        try:
            return float(await self.storage.get_expiry(key))
        except StorageError:  # refused all the same: a whole window is the longest wait
            return time.time() + item.get_expiry()

    async def _lease(self, key: str, wanted: int, item: RateLimitItem, state: _Bucket) -> bool:
        """A lease needs the window's end, at least ``MIN_WINDOW_LEFT_S`` away. An increment
        that opens a window tells it; a replica that did not open it reads the key's TTL
        (about once a window). Without it - or near the end - the request counts singly."""
        sent_at = time.monotonic()
        if state.window_end_for(sent_at) <= sent_at and sent_at >= state.next_learn:
            await self._learn_window(key, state)
            sent_at = time.monotonic()
        if state.window_end_for(sent_at) - sent_at < MIN_WINDOW_LEFT_S:
            wanted = 1
        return await self._count(key, wanted, item, state)

    async def _count(self, key: str, n: int, item: RateLimitItem, state: _Bucket) -> bool:
        """One atomic increment by ``n``; keep what it granted beyond this request."""
        window = item.get_expiry()
        sent_at = time.monotonic()
        count = int(await self.storage.incr(key, window, amount=n))
        received_at = time.monotonic()
        granted = max(0, min(n, item.amount - (count - n)))
        state.room = max(0, item.amount - count)
        if count == n:  # this increment opened the window (the script set its expiry)
            window_end = sent_at + window
            state.learn_window(window_end, received_at)
        else:
            window_end = state.window_end_for(sent_at)
        if granted > 1:
            state.tokens_until = min(window_end, received_at + LEASE_LIFETIME_S)
            state.tokens = granted - 1 if received_at < state.tokens_until else 0
        return granted >= 1

    async def _learn_window(self, key: str, state: _Bucket) -> None:
        sent_at = time.monotonic()
        reset_at = float(await self.storage.get_expiry(key))  # time.time() + TTL (0: none)
        received_at = time.monotonic()
        remaining = max(0.0, reset_at - time.time())
        state.next_learn = received_at + remaining + TTL_MARGIN_S  # this window is over then
        if remaining > TTL_MARGIN_S:
            state.learn_window(sent_at + remaining - TTL_MARGIN_S, received_at)

    def _bucket(self, key: str, now: float) -> _Bucket:
        if now >= self._next_sweep:  # forget idle clients (their tokens expired long ago)
            self._next_sweep = now + _SWEEP_INTERVAL_S
            idle = [k for k, b in self._buckets.items()
                    if now - b.last_seen > _IDLE_S and b.lease is None]
            for stale in idle:
                del self._buckets[stale]
        state = self._buckets.get(key)
        if state is None:
            state = self._buckets[key] = _Bucket()
        return state
