"""The store's file: creating it, migrating old schemas (append-only migrations), refusing files
it cannot use, WAL mode, the default path."""

from __future__ import annotations

import dataclasses
import sqlite3
import sys
from pathlib import Path

import pytest

from summarizer.errors import ConfigError
from summarizer.store import Store, cache_key, default_db_path, migrations

from .test_store import ARTICLE


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "dir" / "summarizer.db"


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


def test_migration_7_keeps_every_source_and_lets_a_source_belong_to_no_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v6.db"
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:6])
        with Store(path) as store:
            run = store.start_run({"folder": "news"})
            store.add_source(run, dataclasses.replace(ARTICLE, site_name="Harbour Gazette", language="en"))
    conn = sqlite3.connect(path)
    with conn, pytest.raises(sqlite3.IntegrityError):  # v6: every source needs a run
        conn.execute(
            "INSERT INTO sources (source, article_index, content_hash, run_id, last_run_id)"
            " VALUES ('pasted', 0, ?, NULL, NULL)",
            (ARTICLE.content_hash,),
        )
    conn.close()
    pasted = dataclasses.replace(ARTICLE, source="pasted.txt", author="R. Mole")
    with Store(path) as store:
        assert store.schema_version() == 7
        store.add_source(None, pasted)
        store.add_source(None, ARTICLE)  # seen again outside a run: its run is kept
        [row] = store.articles()
    assert sorted(row.sources) == ["news/bridge.txt", "pasted.txt"]
    assert (row.outlets, row.authors, row.language) == (["Harbour Gazette"], ["R. Mole"], "en")
    with sqlite3.connect(path) as conn:
        runs = dict(conn.execute("SELECT source, last_run_id FROM sources").fetchall())
    conn.close()
    assert runs == {"news/bridge.txt": run, "pasted.txt": None}
    assert _shape(path) == _shape(_fresh(tmp_path))


def _fresh(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.db"
    Store(path).close()
    return path
