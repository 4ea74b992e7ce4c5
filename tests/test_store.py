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
from summarizer.errors import ConfigError
from summarizer.grounding import normalise
from summarizer.pipeline import Summarizer
from summarizer.result import SummaryResult, Usage
from summarizer.schema import SCHEMA_VERSION
from summarizer.settings import Settings
from summarizer.store import KeyParts, Store, StoreError, cache_key, default_db_path, migrations
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

# Migration 1 exactly as released. Migrations are append-only: if this test breaks because
# migration 1 was edited, add a new migration instead.
V1_AS_RELEASED = """
PRAGMA application_id = 1398099277;
CREATE TABLE articles (
    content_hash TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, words INTEGER NOT NULL,
    first_seen TEXT NOT NULL
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, finished_at TEXT,
    params TEXT NOT NULL DEFAULT '{}', counts TEXT, status TEXT NOT NULL DEFAULT 'running'
);
CREATE TABLE sources (
    source TEXT NOT NULL, article_index INTEGER NOT NULL,
    content_hash TEXT NOT NULL REFERENCES articles (content_hash),
    run_id INTEGER NOT NULL REFERENCES runs (id), last_run_id INTEGER NOT NULL REFERENCES runs (id),
    PRIMARY KEY (source, article_index, content_hash)
);
CREATE INDEX sources_by_content ON sources (content_hash);
CREATE TABLE summaries (
    cache_key TEXT PRIMARY KEY, content_hash TEXT NOT NULL REFERENCES articles (content_hash),
    engine TEXT NOT NULL, model TEXT, prompt_hash TEXT, schema_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'degraded', 'failed', 'skipped')), reason TEXT, result TEXT,
    prompt_tokens INTEGER NOT NULL DEFAULT 0, completion_tokens INTEGER NOT NULL DEFAULT 0,
    cached_tokens INTEGER NOT NULL DEFAULT 0, http_attempts INTEGER NOT NULL DEFAULT 0,
    model_attempts INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    CHECK ((status IN ('ok', 'degraded')) = (result IS NOT NULL))
);
CREATE INDEX summaries_by_content ON summaries (content_hash);
CREATE TABLE run_items (
    run_id INTEGER NOT NULL REFERENCES runs (id), source TEXT NOT NULL, article_index INTEGER NOT NULL,
    cache_key TEXT, status TEXT NOT NULL, reason TEXT, from_cache INTEGER NOT NULL DEFAULT 0,
    recorded_at TEXT NOT NULL, PRIMARY KEY (run_id, source, article_index)
);
PRAGMA user_version = 1;
"""
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


def _shape(path: Path) -> dict[str, object]:
    """Every table's columns and indexes, and the header fields: what a schema comparison needs."""
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        shape: dict[str, object] = {
            t: (
                conn.execute(f"PRAGMA table_info({t})").fetchall(),
                sorted(r[1] for r in conn.execute(f"PRAGMA index_list({t})")),
            )
            for t in tables
        }
        shape["user_version"] = conn.execute("PRAGMA user_version").fetchone()[0]
        shape["application_id"] = conn.execute("PRAGMA application_id").fetchone()[0]
    return shape


def _v1_db(path: Path) -> str:
    """A v1 database written with plain sqlite3, holding one article and one failed summary."""
    key = cache_key(ARTICLE.content_hash, "llm", "m1", "p1", "1")
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_AS_RELEASED)
        conn.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, '2024-01-01T00:00:00.000Z')",
            (ARTICLE.content_hash, ARTICLE.title, ARTICLE.text, ARTICLE.word_count),
        )
        conn.execute(
            "INSERT INTO summaries (cache_key, content_hash, engine, model, prompt_hash, schema_version,"
            " status, reason, prompt_tokens, created_at, updated_at)"
            " VALUES (?, ?, 'llm', 'm1', 'p1', '1', 'failed', 'HTTP 503', 77, '2024-01-01T00:00:00.000Z',"
            " '2024-01-01T00:00:00.000Z')",
            (key, ARTICLE.content_hash),
        )
    conn.close()
    return key


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


# --- opening and migrations ---------------------------------------------------------------------


def test_empty_db_is_created_with_parent_dirs_and_migrated_to_latest(db: Path) -> None:
    with Store(db) as store:
        assert store.schema_version() == len(migrations.MIGRATIONS)
    assert db.is_file()
    shape = _shape(db)
    assert {"articles", "sources", "summaries", "runs", "run_items"} <= set(shape)
    assert shape["application_id"] == migrations.APPLICATION_ID


def test_v1_db_written_by_hand_upgrades_to_the_same_schema_as_a_new_one(tmp_path: Path) -> None:
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    key = _v1_db(old)
    with Store(old) as store:
        assert store.schema_version() == len(migrations.MIGRATIONS)
        stored = store.get(key)
    Store(new).close()
    assert _shape(old) == _shape(new)
    assert stored is not None
    assert (stored.status, stored.reason, stored.usage.prompt_tokens) == ("failed", "HTTP 503", 77)


def test_pending_migrations_are_applied_in_order_and_keep_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    key = _v1_db(path)
    v2 = "ALTER TABLE summaries ADD COLUMN note TEXT; CREATE INDEX summaries_by_status ON summaries (status);"
    v3 = "UPDATE summaries SET note = 'from v3';"
    monkeypatch.setattr(migrations, "MIGRATIONS", [migrations.MIGRATIONS[0], v2, v3])
    with Store(path) as store:
        assert store.schema_version() == 3
        stored = store.get(key)
    assert stored is not None and stored.reason == "HTTP 503"
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT note FROM summaries").fetchall() == [("from v3",)]
    conn.close()


def test_a_failing_migration_leaves_the_file_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    _v1_db(path)
    before = _shape(path)
    broken = "CREATE TABLE extra (a INTEGER); INSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(migrations, "MIGRATIONS", [migrations.MIGRATIONS[0], "SELECT 1;", broken])
    with pytest.raises(ConfigError, match=r"could not upgrade .* from schema v1 to v3.*unchanged"):
        Store(path)
    assert _shape(path) == before


def test_a_newer_db_is_refused_with_a_config_error(db: Path) -> None:
    Store(db).close()
    newer = len(migrations.MIGRATIONS) + 1
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {newer}")
    conn.close()
    with pytest.raises(ConfigError, match=rf"schema v{newer}, written by a newer summarizer") as info:
        Store(db)
    assert info.value.exit_code == 2
    assert _user_version(db) == newer


def test_another_programs_db_and_a_non_db_file_are_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "notes.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    with pytest.raises(ConfigError, match="not a summarizer store"):
        Store(foreign)
    assert set(_shape(foreign)) == {"notes", "user_version", "application_id"}

    with pytest.raises(ConfigError, match="cannot open the store"):
        Store(tmp_path)  # a folder

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database\n" * 100)
    with pytest.raises(ConfigError, match="cannot open the store"):
        Store(junk)


def test_wal_mode_is_on_and_memory_dbs_work(db: Path) -> None:
    with Store(db):
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()
    with Store(":memory:") as mem:
        assert mem.schema_version() == len(migrations.MIGRATIONS)


def test_default_path_is_in_the_user_data_dir_and_not_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG_DATA_HOME is honoured on Linux only")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    import summarizer.store as store_module

    assert default_db_path() == tmp_path / "data" / "summarizer" / "summarizer.db"
    assert default_db_path() == store_module.DEFAULT_DB_PATH
    assert not (tmp_path / "data").exists()


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
