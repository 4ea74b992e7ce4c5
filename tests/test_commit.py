"""Group commits: items that finish together share one transaction; a failing item fails alone."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from pathlib import Path

import pytest

from summarizer.article import Article
from summarizer.batching.commit import GroupCommit
from summarizer.errors import StoreError
from summarizer.store import Store


def article(i: int) -> Article:
    return Article(f"a{i}.txt", 0, f"Title {i}", f"Title {i}\n\nBody number {i} of the test.")


def stored_sources(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT source FROM sources ORDER BY source")]


def test_items_that_finish_together_commit_in_one_transaction_before_add_returns(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        run = store.start_run({})
        commits = GroupCommit(store, size=16, delay=0.01)
        seen_after_add: list[list[str]] = []

        async def one(i: int) -> None:
            await commits.add(lambda: store.add_source(run, article(i)))
            seen_after_add.append(stored_sources(db))  # another connection: only committed rows

        async def go() -> None:
            await asyncio.gather(*(one(i) for i in range(5)))

        asyncio.run(go())
        assert commits.commits == 1
        assert all(len(rows) == 5 for rows in seen_after_add)


def test_a_full_group_commits_at_once_without_waiting(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        run = store.start_run({})
        commits = GroupCommit(store, size=3, delay=60.0)  # the timer would never fire in this test

        async def go() -> None:
            await asyncio.wait_for(
                asyncio.gather(
                    *(commits.add(functools.partial(store.add_source, run, article(i))) for i in range(6))
                ),
                timeout=5,
            )

        asyncio.run(go())
        assert commits.commits == 2


def test_a_failing_item_rolls_back_alone(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        run = store.start_run({})
        commits = GroupCommit(store, delay=0.01)

        def broken() -> None:
            store.add_source(run, article(1))  # written, then rolled back with the rest of this item
            raise ValueError("this item's writes fail")

        async def go() -> list[BaseException | None]:
            results = await asyncio.gather(
                commits.add(lambda: store.add_source(run, article(0))),
                commits.add(broken),
                commits.add(lambda: store.add_source(run, article(2))),
                return_exceptions=True,
            )
            return list(results)

        outcomes = asyncio.run(go())
        assert outcomes[0] is None and outcomes[2] is None
        assert isinstance(outcomes[1], ValueError)
        assert stored_sources(db) == ["a0.txt", "a2.txt"]


def test_a_commit_that_fails_fails_every_item_of_the_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.db"
    monkeypatch.setattr(
        "summarizer.store.connection.BUSY_TIMEOUT_S", 0.05
    )  # keep the wait for the lock short
    with Store(db) as store:
        run = store.start_run({})
        commits = GroupCommit(store, delay=0.01)
        blocker = sqlite3.connect(db, timeout=0)
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock past the busy timeout

        async def go() -> list[BaseException | None]:
            adds = [commits.add(functools.partial(store.add_source, run, article(i))) for i in range(3)]
            return list(await asyncio.gather(*adds, return_exceptions=True))

        try:
            outcomes = asyncio.run(go())
        finally:
            blocker.rollback()
            blocker.close()
        assert all(isinstance(o, StoreError) for o in outcomes)
        assert commits.commits == 0
        assert stored_sources(db) == []


def test_flush_with_nothing_pending_does_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        commits = GroupCommit(store)
        commits.flush()
        assert commits.commits == 0


@pytest.mark.parametrize("size", [1, 4])
def test_every_item_is_committed_whatever_the_group_size(tmp_path: Path, size: int) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        run = store.start_run({})
        commits = GroupCommit(store, size=size, delay=0.005)

        async def go() -> None:
            await asyncio.gather(
                *(commits.add(functools.partial(store.add_source, run, article(i))) for i in range(9))
            )

        asyncio.run(go())
    assert stored_sources(db) == [f"a{i}.txt" for i in range(9)]
