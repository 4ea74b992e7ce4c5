"""``InFlight``: at most N model requests in flight across a batch run.

``--concurrency N`` means N HTTP requests open at the provider at once, not
N articles being worked on: the batch runner keeps more articles going than
that, so that ingesting, validating, storing and writing one article happen
while N others wait for their answers, and a slot freed by an answer is
taken at once by a request that is already prepared.

The transport takes a slot for each HTTP try (retries and re-asks each
take one; backoff sleeps hold none) once the SDK has built the request, then
waits for the rate limiter inside ``admission``, so a request is stamped by
the limiter only when it is about to be sent; a successful try gives its
slot back as its answer's headers arrive (a non-streamed answer's headers come
when the provider has finished; a server that sent them early and the body
slowly would have more than N answers still arriving). ``close(reason)`` (the
run aborted) makes every waiting and later
``slot()`` raise ``RunAborted``, and ends the limiter waits of requests that
already hold a slot: after a 401 no queued request is sent. A request whose
HTTP exchange has begun is left to finish. Asyncio only: one instance per
event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any

from summarizer.errors import RunAborted


class InFlight:
    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"in-flight limit must be at least 1, not {limit}")
        self.limit = limit
        self._free = asyncio.Semaphore(limit)
        self._closed: str | None = None
        self._admitting: set[asyncio.Task[Any]] = set()
        self.held = 0
        """Slots held now."""
        self.peak = 0
        """The most slots held at once (for tests and benchmarks)."""

    def close(self, reason: str) -> None:
        """Refuse every slot from now on; waiters raise ``RunAborted(reason)``."""
        if self._closed is not None:
            return
        self._closed = reason
        # One waiter wakes, finds the gate closed and gives its slot back, waking the next.
        self._free.release()
        for task in self._admitting:  # holding a slot, waiting for the rate limiter
            task.cancel(_CLOSED)

    async def acquire(self) -> None:
        """Take a slot (waiting for one); ``RunAborted`` once the gate is closed."""
        self._refuse_if_closed()
        await self._free.acquire()
        try:
            self._refuse_if_closed()
        except RunAborted:
            self._free.release()
            raise
        self.held += 1
        self.peak = max(self.peak, self.held)

    def release(self) -> None:
        """Give back a slot taken with ``acquire``."""
        self.held -= 1
        self._free.release()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self.acquire()
        try:
            yield
        finally:
            self.release()

    async def admission(self, wait: Awaitable[None]) -> None:
        """Await ``wait`` (the rate limiter, while holding a slot) unless the gate closes first."""
        task = asyncio.current_task()
        assert task is not None
        self._admitting.add(task)
        try:
            await wait
        except asyncio.CancelledError as exc:
            if exc.args == (_CLOSED,) and task.uncancel() == 0:
                raise RunAborted(f"run aborted: {self._closed}") from None
            raise
        finally:
            self._admitting.discard(task)
        self._refuse_if_closed()

    def _refuse_if_closed(self) -> None:
        if self._closed is not None:
            raise RunAborted(f"run aborted: {self._closed}")


_CLOSED = "summarizer.inflight: the run was aborted"
