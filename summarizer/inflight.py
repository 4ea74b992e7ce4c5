"""``InFlight``: at most N model requests in flight across a batch run.

``--concurrency N`` means N HTTP requests open at the provider at once, not
N articles being worked on: the batch runner keeps more articles going than
that, so that ingesting, validating, storing and writing one article happen
while N others wait for their answers, and a slot freed by an answer is
taken at once by a request that is already prepared.

The transport takes a slot around each HTTP try (retries and re-asks each
take one; backoff sleeps hold none), before the rate limiter admits the try,
so a request is stamped by the limiter only when it is about to be sent.
``close(reason)`` (the run aborted) makes every waiting and later ``slot()``
raise ``RunAborted``: after a 401 no queued request is sent. Asyncio only:
one instance per event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from summarizer.errors import RunAborted


class InFlight:
    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"in-flight limit must be at least 1, not {limit}")
        self.limit = limit
        self._free = asyncio.Semaphore(limit)
        self._closed: str | None = None
        self.peak = 0
        """The most slots held at once (for tests and benchmarks)."""
        self._held = 0

    def close(self, reason: str) -> None:
        """Refuse every slot from now on; waiters raise ``RunAborted(reason)``."""
        if self._closed is None:
            self._closed = reason
            # Wake every waiter: each finds the gate closed and gives its slot back.
            for _ in range(self.limit):
                self._free.release()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        self._refuse_if_closed()
        async with self._free:
            self._refuse_if_closed()
            self._held += 1
            self.peak = max(self.peak, self._held)
            try:
                yield
            finally:
                self._held -= 1

    def _refuse_if_closed(self) -> None:
        if self._closed is not None:
            raise RunAborted(f"run aborted: {self._closed}")
