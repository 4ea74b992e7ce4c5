"""``GroupCommit``: finished batch items are committed to the store in groups.

Each SQLite commit writes the changed pages to the WAL and rewrites the same
index pages again; committing the items that finish close together in one
transaction (up to ``size`` items, or whatever finished within ``delay``
seconds of the first) costs much less per item. Each item's writes are a
savepoint of their own, so a failing item rolls back alone and the others
commit.

``add`` returns only once the item is committed, and the runner writes an
item's output file after that: the store never lags behind the outputs, and
a run killed at any point loses at most the items of the open group, which
the next run summarizes again. Asyncio only: one instance per event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from summarizer.errors import StoreError
from summarizer.store import Store

GROUP_SIZE = 16
GROUP_DELAY_S = 0.02
"""How long the first item of a group waits for others: short next to any model's latency."""


class GroupCommit:
    def __init__(self, store: Store, *, size: int = GROUP_SIZE, delay: float = GROUP_DELAY_S) -> None:
        self.store = store
        self.size = size
        self.delay = delay
        self.commits = 0
        """Transactions committed (for tests and benchmarks)."""
        self._pending: list[tuple[Callable[[], None], asyncio.Future[None]]] = []
        self._timer: asyncio.TimerHandle | None = None

    async def add(self, writes: Callable[[], None]) -> None:
        """Run ``writes`` (store calls) in the next group's transaction; return once it committed.

        Raises what ``writes`` raised (nothing of it is stored), or a ``StoreError``
        when the database failed for any item or the commit (nothing of the group
        is stored).
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        self._pending.append((writes, future))
        if len(self._pending) >= self.size:
            self.flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.delay, self.flush)
        await future

    def flush(self) -> None:
        """Commit every pending item now (the timer, a full group, or a run that stops early)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        group, self._pending = self._pending, []
        if not group:
            return
        outcomes: list[Exception | None] = []
        try:
            with self.store.transaction():
                for writes, _ in group:
                    try:
                        with self.store.transaction():  # a savepoint: a failing item rolls back alone
                            writes()
                    except StoreError:
                        raise  # the database failed (SQLite may have rolled the whole group back)
                    except Exception as exc:
                        outcomes.append(exc)
                    else:
                        outcomes.append(None)
        except Exception as exc:  # the database or the commit failed: nothing of the group is stored
            outcomes = [exc] * len(group)
        else:
            self.commits += 1
        for (_, future), problem in zip(group, outcomes, strict=True):
            if future.done():  # its worker was cancelled
                continue
            if problem is None:
                future.set_result(None)
            else:
                future.set_exception(problem)
