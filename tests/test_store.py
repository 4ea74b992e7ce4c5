"""The SQLite store: migrations, cache keys, round trips, failures, runs, crash safety."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer.article import Article
from summarizer.attempts import UsageSoFar
from summarizer.grounding import normalise
from summarizer.pipeline import Summarizer
from summarizer.result import SummaryResult, Usage
from summarizer.schema import SCHEMA_VERSION
from summarizer.settings import Settings
from summarizer.store import KeyParts, Store, StoreError, cache_key
from summarizer.store import connection as store_connection

TEXT = (
    "Council Approves New Bridge\n\n"
    "The city council voted on Tuesday to approve a new bridge over the Varno river, officials said.\n\n"
    "Construction will begin in June and cost 12 million euros, according to the mayor's office.\n\n"
    '"We have waited long enough," said Mayor Ingrid Holm after the vote.\n\n'
    "It is not yet clear who will pay for the maintenance of the bridge."
)
ARTICLE = Article("news/bridge.txt", 0, "Council Approves New Bridge", TEXT)
OTHER = Article(
    "news/other.txt", 0, "Port Reopens", "Port Reopens\n\nThe port reopened on Monday after a strike."
)

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture(scope="module")
def result() -> SummaryResult:
    with Summarizer(Settings(engine="offline")) as summarizer:
        return summarizer.summarize(ARTICLE)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "dir" / "summarizer.db"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with Store(db) as store:
        yield store


# --- cache keys -------------------------------------------------------------------------------


def test_cache_key_ignores_none_versus_empty_and_keeps_parts_apart() -> None:
    h = ARTICLE.content_hash
    assert re.fullmatch(r"[0-9a-f]{64}", cache_key(h, "offline", None, None, "1"))
    assert cache_key(h, "offline", None, None, "1") == cache_key(h, "offline", "", "", "1")
    assert cache_key(h, "llm", "ab", "", "1") != cache_key(h, "llm", "a", "b", "1")


@pytest.mark.parametrize(
    "part, value",
    [
        ("content_hash", OTHER.content_hash),
        ("engine", "llm"),
        ("model", "gpt-4o-mini"),
        ("prompt_hash", "0123456789abcdef"),
        ("schema_version", "2"),
    ],
)
def test_changing_any_key_part_is_a_miss(store: Store, result: SummaryResult, part: str, value: str) -> None:
    parts = KeyParts.of(result)
    store.put_article(ARTICLE)
    store.put_result(parts.key, result, status="ok")
    changed = dataclasses.replace(parts, **{part: value})
    assert changed.key != parts.key
    assert store.get(changed.key) is None
    hit = store.get(parts.key)
    assert hit is not None and hit.hit


def test_same_article_under_two_names_is_one_article_two_sources_one_summary(
    store: Store, result: SummaryResult, db: Path
) -> None:
    run = store.start_run({})
    copy = Article("mirror/bridge-copy.txt", 0, ARTICLE.title, ARTICLE.text)
    keys = []
    for article in (ARTICLE, copy):
        store.add_source(run, article)
        key = cache_key(article.content_hash, "offline", None, None, SCHEMA_VERSION)
        keys.append(key)
        stored = store.get(key)
        if stored is None or not stored.hit:
            store.put_result(key, result, status="ok")
    store.add_source(run, ARTICLE)  # seen again: no new row
    store.close()
    assert keys[0] == keys[1]
    conn = sqlite3.connect(db)
    counts = [
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "sources", "summaries")
    ]
    conn.close()
    assert counts == [1, 2, 1]


# --- results and failures ---------------------------------------------------------------------


def test_result_round_trip_keeps_evidence_offsets(store: Store, result: SummaryResult) -> None:
    key = KeyParts.of(result).key
    store.put_article(ARTICLE)
    store.put_result(key, result, status="ok")
    stored = store.get(key)
    assert stored is not None and stored.status == "ok" and stored.reason is None
    assert stored.result == result
    evidence = stored.result.summary.all_evidence()
    assert evidence
    for before, after in zip(result.summary.all_evidence(), evidence, strict=True):
        assert after.start is not None and after.end is not None
        assert (after.start, after.end) == (before.start, before.end)
        assert normalise(ARTICLE.text[after.start : after.end]) == normalise(after.quote)


def test_degraded_result_is_a_hit_for_the_request_it_stands_in_for(
    store: Store, result: SummaryResult, db: Path
) -> None:
    degraded = result.model_copy(
        update={
            "provenance": result.provenance.model_copy(
                update={"degraded": True, "degraded_reason": "LLM failed: HTTP 503", "http_attempts": 4}
            )
        }
    )
    asked = KeyParts(ARTICLE.content_hash, "llm", "gpt-4o-mini", "0123456789abcdef", SCHEMA_VERSION)
    other = KeyParts(ARTICLE.content_hash, "llm", "gpt-4o", "0123456789abcdef", SCHEMA_VERSION)
    store.put_article(ARTICLE)
    with pytest.raises(ValueError, match="was not computed from"):
        store.put_result(asked.key, degraded, status="degraded", requested=other)
    with pytest.raises(ValueError, match="cannot be stored with status 'ok'"):
        store.put_result(KeyParts.of(degraded).key, degraded, status="ok")

    store.put_result(asked.key, degraded, status="degraded")  # without requested: columns from provenance
    plain = store.get(asked.key)
    assert plain is not None and plain.hit and plain.status == "degraded"
    store.put_result(asked.key, degraded, status="degraded", requested=asked)
    stored = store.get(asked.key)
    assert stored is not None and stored.hit
    assert (stored.status, stored.reason, stored.http_attempts) == ("degraded", "LLM failed: HTTP 503", 4)
    assert stored.result is not None and stored.result.provenance.engine == "offline"
    store.close()
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT engine, model, prompt_hash FROM summaries").fetchone()
    conn.close()
    assert row == ("llm", "gpt-4o-mini", "0123456789abcdef")
    with Store(db) as again:  # a writer that does not know the request keeps the row's labels
        again.put_result(asked.key, degraded, status="degraded")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT engine, model FROM summaries").fetchone() == ("llm", "gpt-4o-mini")
    conn.close()


def test_result_for_an_unstored_article_says_what_to_call(store: Store, result: SummaryResult) -> None:
    with pytest.raises(ValueError, match="add_source"):
        store.put_result(KeyParts.of(result).key, result, status="ok")


def test_failure_keeps_reason_and_usage_and_is_not_a_hit(store: Store, result: SummaryResult) -> None:
    key = cache_key(ARTICLE.content_hash, "offline", None, None, SCHEMA_VERSION)
    store.put_failure(
        key,
        ARTICLE,
        engine="offline",
        model=None,
        prompt_hash=None,
        schema_version=SCHEMA_VERSION,
        reason="TransportError: HTTP 503 after 4 attempts",
        usage=UsageSoFar(prompt_tokens=1200, completion_tokens=340, cached_tokens=1024),
        http_attempts=4,
        model_attempts=2,
    )
    stored = store.get(key)
    assert stored is not None and not stored.hit and stored.result is None
    assert stored.status == "failed"
    assert stored.reason == "TransportError: HTTP 503 after 4 attempts"
    assert stored.usage == Usage(prompt_tokens=1200, completion_tokens=340, cached_tokens=1024)
    assert (stored.http_attempts, stored.model_attempts) == (4, 2)

    store.put_result(key, result, status="ok")  # a retry that worked replaces the failure
    retried = store.get(key)
    assert retried is not None and retried.hit and retried.reason is None
    assert retried.usage == result.provenance.usage


def test_a_failure_never_replaces_a_stored_success(store: Store, result: SummaryResult) -> None:
    key = KeyParts.of(result).key
    store.put_article(ARTICLE)
    store.put_result(key, result, status="ok")
    store.put_failure(
        key, ARTICLE, engine="offline", model="", prompt_hash="", schema_version=SCHEMA_VERSION, reason="late"
    )
    stored = store.get(key)
    assert stored is not None and stored.status == "ok" and stored.result == result


def test_skipped_and_wrong_keys(store: Store) -> None:
    key = cache_key(ARTICLE.content_hash, "llm", "m", "p", "1")
    store.put_failure(
        key,
        ARTICLE,
        engine="llm",
        model="m",
        prompt_hash="p",
        schema_version="1",
        reason="too long",
        status="skipped",
    )
    stored = store.get(key)
    assert stored is not None and stored.status == "skipped" and not stored.hit
    with pytest.raises(ValueError, match="was not computed from"):
        store.put_failure(
            key, ARTICLE, engine="llm", model="other", prompt_hash="p", schema_version="1", reason="x"
        )


def test_a_result_that_no_longer_loads_is_a_miss(db: Path, result: SummaryResult) -> None:
    key = KeyParts.of(result).key
    with Store(db) as store:
        store.put_article(ARTICLE)
        store.put_result(key, result, status="ok")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE summaries SET result = json_remove(result, '$.provenance')")
    conn.close()
    with Store(db) as store:
        assert store.get(key) is None


# --- runs and transactions --------------------------------------------------------------------


def test_runs_record_items_in_input_order(store: Store, db: Path) -> None:
    run = store.start_run({"dir": Path("/in"), "retry_failed": False})
    store.record_item(run, "b.txt", 0, "k2", "failed", "HTTP 503")
    store.record_item(run, "a.txt", 1, None, "skipped", "empty")
    store.record_item(run, "a.txt", 0, "k1", "ok", None, cached=True)
    store.record_item(run, "b.txt", 0, "k2", "ok", None)  # retried within the run: replaces
    with pytest.raises(ValueError, match="item status"):
        store.record_item(run, "c.txt", 0, None, "exploded", None)
    with pytest.raises(ValueError, match="start_run"):
        store.record_item(run + 1, "c.txt", 0, None, "ok", None)
    store.finish_run(run, {"ok": 2, "skipped": 1}, "aborted")

    items = store.run_items(run)
    assert [(i.source, i.index, i.key, i.status, i.reason, i.cached) for i in items] == [
        ("a.txt", 0, "k1", "ok", None, True),
        ("a.txt", 1, None, "skipped", "empty", False),
        ("b.txt", 0, "k2", "ok", None, False),
    ]
    info = store.run(run)
    assert info is not None and info.status == "aborted"
    assert info.params == {"dir": "/in", "retry_failed": False}
    assert info.counts == {"ok": 2, "skipped": 1}
    assert info.finished_at is not None and info.finished_at >= info.started_at
    store.close()
    conn = sqlite3.connect(db)
    started, finished = conn.execute("SELECT started_at, finished_at FROM runs").fetchone()
    conn.close()
    assert ISO_UTC.match(started) and ISO_UTC.match(finished)


def test_transaction_is_all_or_nothing_and_nests_as_savepoints(store: Store) -> None:
    run = store.start_run({})
    with pytest.raises(RuntimeError), store.transaction():
        store.add_source(run, ARTICLE)
        store.record_item(run, ARTICLE.source, 0, None, "ok", None)
        raise RuntimeError("crash before commit")
    assert store.run_items(run) == []

    with store.transaction():
        store.record_item(run, "kept.txt", 0, None, "ok", None)
        try:
            with store.transaction():
                store.record_item(run, "dropped.txt", 0, None, "ok", None)
                raise RuntimeError("inner")
        except RuntimeError:
            pass
    assert [i.source for i in store.run_items(run)] == ["kept.txt"]


def test_writes_from_worker_threads_share_one_store(store: Store) -> None:
    run = store.start_run({})

    def write(worker: int) -> None:
        for i in range(25):
            article = Article(f"w{worker}/{i}.txt", 0, "T", f"T\n\nWorker {worker} item {i}.")
            key = cache_key(article.content_hash, "llm", "m", "p", "1")
            with store.transaction():
                store.add_source(run, article)
                store.put_failure(
                    key, article, engine="llm", model="m", prompt_hash="p", schema_version="1", reason="x"
                )
                store.record_item(run, article.source, 0, key, "failed", "x")

    async def main() -> None:
        await asyncio.gather(*(asyncio.to_thread(write, w) for w in range(8)))

    asyncio.run(main())
    items = store.run_items(run)
    assert len(items) == 200
    assert all(store.get(i.key) is not None for i in items if i.key)


def test_a_db_locked_too_long_by_another_process_is_a_store_error(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_connection, "BUSY_TIMEOUT_S", 0.05)
    with Store(db) as store:
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError, match="another summarizer uses the same file"):
                store.put_article(ARTICLE)
            assert store.get("missing") is None  # WAL: readers are not blocked by the writer
        finally:
            other.execute("ROLLBACK")
            other.close()
        store.put_article(ARTICLE)  # usable again once the lock is gone


def test_queryable_with_plain_sqlite3(db: Path, result: SummaryResult) -> None:
    with Store(db) as store:
        store.put_article(ARTICLE)
        store.put_result(KeyParts.of(result).key, result, status="ok")
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT a.title, s.engine, s.status, json_extract(s.result, '$.summary.headline'), s.updated_at"
        " FROM summaries s JOIN articles a USING (content_hash)"
    ).fetchall()
    conn.close()
    [(title, engine, status, headline, updated_at)] = rows
    assert (title, engine, status) == ("Council Approves New Bridge", "offline", "ok")
    assert headline == result.summary.headline
    assert ISO_UTC.match(updated_at)


# --- crash safety -----------------------------------------------------------------------------

WRITER = """
import sys
from summarizer.article import Article
from summarizer.result import Usage
from summarizer.store import Store, cache_key

store = Store(sys.argv[1])
run = store.start_run({"writer": "crash test"})
for i in range(1_000_000):
    article = Article(f"f{i}.txt", 0, f"T{i}", f"T{i}\\n\\nBody number {i} of the crash test.")
    key = cache_key(article.content_hash, "llm", "m", "p", "1")
    with store.transaction():
        store.add_source(run, article)
        store.put_failure(key, article, engine="llm", model="m", prompt_hash="p", schema_version="1",
                          reason=f"reason {i}", usage=Usage(prompt_tokens=i, completion_tokens=2 * i),
                          http_attempts=i % 5, model_attempts=1)
        store.record_item(run, article.source, 0, key, "failed", f"reason {i}")
    print(i, flush=True)
"""


@pytest.mark.slow
def test_sigkill_mid_write_loses_nothing_committed(db: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    committed: list[int] = []
    buffer = b""
    deadline = time.monotonic() + 20
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while len(committed) < 300 and time.monotonic() < deadline and proc.poll() is None:
            if sel.select(timeout=0.5):
                buffer += os.read(proc.stdout.fileno(), 65536)
                *lines, buffer = buffer.split(b"\n")
                committed.extend(int(line) for line in lines)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    assert len(committed) >= 300, f"writer stopped early: {stderr}"
    assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = [
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("summaries", "sources", "run_items")
    ]
    run_status = conn.execute("SELECT status FROM runs").fetchone()[0]
    conn.close()
    # Each item is one transaction: no table holds an item the others lack.
    assert counts[0] == counts[1] == counts[2] >= len(committed)
    assert run_status == "running"

    with Store(db) as store:
        for i in committed:
            article = Article(f"f{i}.txt", 0, f"T{i}", f"T{i}\n\nBody number {i} of the crash test.")
            stored = store.get(cache_key(article.content_hash, "llm", "m", "p", "1"))
            assert stored is not None, i
            assert (stored.status, stored.reason) == ("failed", f"reason {i}")
            assert (stored.usage.prompt_tokens, stored.usage.completion_tokens) == (i, 2 * i)
            assert (stored.http_attempts, stored.model_attempts) == (i % 5, 1)


def test_a_run_whose_process_is_gone_is_marked_interrupted_when_the_next_run_starts(
    store: Store, db: Path
) -> None:
    import socket
    import subprocess
    import sys

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(gone.stdout)
    killed = store.start_run({})
    mine = store.start_run({})
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE runs SET pid = ? WHERE id = ?", (dead_pid, killed))
        other_host = conn.execute(
            "INSERT INTO runs (started_at, status, pid, host)"
            " VALUES ('2026-01-01T00:00:00.000Z', 'running', ?, ?)",
            (dead_pid, socket.gethostname() + "-elsewhere"),
        ).lastrowid
    conn.close()
    store.start_run({})
    assert killed is not None and other_host is not None
    status = {r: getattr(store.run(r), "status", None) for r in (killed, mine, other_host)}
    assert status[killed] == "interrupted"
    assert status[mine] == "running"  # this process is alive
    assert status[other_host] == "running"  # cannot tell from here
