"""The store's SQL schema as an ordered list of migrations, and the code that applies them.

``PRAGMA user_version`` holds how many migrations a database has had.
Opening a database applies the missing ones, all in one transaction, so a
file is either fully upgraded or left exactly as it was. Migrations are
append-only: once released, a script is never edited; a change is a new
script at the end. ``PRAGMA application_id`` marks the file as ours, so
``--db`` pointed at some other program's database is refused, not altered.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator

from summarizer.errors import ConfigError

log = logging.getLogger(__name__)

APPLICATION_ID = 0x53554D4D
"""``"SUMM"``: written into the file header by migration 1."""

_V1 = f"""
PRAGMA application_id = {APPLICATION_ID};

CREATE TABLE articles (
    content_hash TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    text         TEXT NOT NULL,
    words        INTEGER NOT NULL,
    first_seen   TEXT NOT NULL
);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    params      TEXT NOT NULL DEFAULT '{{}}',
    counts      TEXT,
    status      TEXT NOT NULL DEFAULT 'running'
);

CREATE TABLE sources (
    source        TEXT NOT NULL,
    article_index INTEGER NOT NULL,
    content_hash  TEXT NOT NULL REFERENCES articles (content_hash),
    run_id        INTEGER NOT NULL REFERENCES runs (id),
    last_run_id   INTEGER NOT NULL REFERENCES runs (id),
    PRIMARY KEY (source, article_index, content_hash)
);
CREATE INDEX sources_by_content ON sources (content_hash);

CREATE TABLE summaries (
    cache_key         TEXT PRIMARY KEY,
    content_hash      TEXT NOT NULL REFERENCES articles (content_hash),
    engine            TEXT NOT NULL,
    model             TEXT,
    prompt_hash       TEXT,
    schema_version    TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('ok', 'degraded', 'failed', 'skipped')),
    reason            TEXT,
    result            TEXT,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cached_tokens     INTEGER NOT NULL DEFAULT 0,
    http_attempts     INTEGER NOT NULL DEFAULT 0,
    model_attempts    INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK ((status IN ('ok', 'degraded')) = (result IS NOT NULL))
);
CREATE INDEX summaries_by_content ON summaries (content_hash);

CREATE TABLE run_items (
    run_id        INTEGER NOT NULL REFERENCES runs (id),
    source        TEXT NOT NULL,
    article_index INTEGER NOT NULL,
    cache_key     TEXT,
    status        TEXT NOT NULL,
    reason        TEXT,
    from_cache    INTEGER NOT NULL DEFAULT 0,
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (run_id, source, article_index)
);
"""

_V2 = """
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN host TEXT;
"""
"""Which process runs a run, so a later run can tell one that was killed (status 'interrupted')."""

_V3 = """
CREATE TABLE jobs (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('queued', 'running', 'finished', 'aborted', 'failed')),
    spec       TEXT NOT NULL,
    run_id     INTEGER REFERENCES runs (id),
    counts     TEXT,
    error      TEXT
);
CREATE INDEX jobs_by_status ON jobs (status);

CREATE TABLE stories (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    story      TEXT NOT NULL,
    report     TEXT NOT NULL
);

CREATE TABLE story_articles (
    story_id     INTEGER NOT NULL REFERENCES stories (id),
    source_id    TEXT NOT NULL,
    content_hash TEXT NOT NULL REFERENCES articles (content_hash),
    PRIMARY KEY (story_id, source_id)
);
CREATE INDEX story_articles_by_content ON story_articles (content_hash);

CREATE VIEW key_points AS
SELECT s.cache_key, s.content_hash, a.title, s.engine, s.model, k.key AS position,
       json_extract(k.value, '$.point') AS point,
       json_extract(k.value, '$.evidence[0].quote') AS quote
FROM summaries s JOIN articles a USING (content_hash), json_each(s.result, '$.summary.key_points') k
WHERE s.status IN ('ok', 'degraded');

CREATE VIEW entities AS
SELECT s.cache_key, s.content_hash, a.title, s.engine, s.model,
       json_extract(e.value, '$.name') AS name,
       json_extract(e.value, '$.kind') AS kind,
       json_extract(e.value, '$.role') AS role
FROM summaries s JOIN articles a USING (content_hash), json_each(s.result, '$.summary.entities') e
WHERE s.status IN ('ok', 'degraded');

CREATE VIEW open_questions AS
SELECT s.cache_key, s.content_hash, a.title, a.first_seen, s.engine, s.model, q.key AS position,
       json_extract(q.value, '$.question') AS question,
       json_extract(q.value, '$.kind') AS kind,
       json_extract(q.value, '$.why_open') AS why_open,
       json_extract(q.value, '$.evidence[0].quote') AS quote
FROM summaries s JOIN articles a USING (content_hash), json_each(s.result, '$.summary.open_questions') q
WHERE s.status IN ('ok', 'degraded');
"""
"""Service jobs (a batch over uploads or an allowed folder, resumable), stories (comparisons kept with
their articles), and views that flatten stored summaries for plain ``sqlite3`` users."""

_V4 = """
CREATE TABLE ingests (
    raw_hash    TEXT PRIMARY KEY,
    version     TEXT NOT NULL,
    articles    TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
"""
"""What a file's bytes became when ingested (``raw_hash``: SHA-256 of the bytes; ``version``: of the
ingest code and libraries; ``articles``: JSON list of content hashes in file order), so an unchanged
file is not decoded, cleaned and split again on a re-run."""

_V5 = """
CREATE TABLE provider_batches (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE,
    endpoint       TEXT NOT NULL,
    engine         TEXT NOT NULL,
    model          TEXT,
    prompt_hash    TEXT,
    schema_version TEXT NOT NULL,
    requests       INTEGER NOT NULL,
    bytes          INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'planned',
    input_file_id  TEXT,
    batch_id       TEXT UNIQUE,
    output_file_id TEXT,
    error_file_id  TEXT,
    errors         TEXT,
    collected      INTEGER NOT NULL DEFAULT 0 CHECK (collected IN (0, 1)),
    run_id         INTEGER REFERENCES runs (id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX provider_batches_open ON provider_batches (collected, engine, model);

CREATE TABLE provider_batch_requests (
    batch        INTEGER NOT NULL REFERENCES provider_batches (id),
    custom_id    TEXT NOT NULL,
    cache_key    TEXT NOT NULL,
    content_hash TEXT NOT NULL REFERENCES articles (content_hash),
    state        TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'done', 'retry', 'failed')),
    detail       TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (batch, custom_id)
);
CREATE INDEX provider_batch_requests_by_key ON provider_batch_requests (cache_key, state);
"""
"""Provider batches (``--via provider-batch``): every input file and batch id, and each request's state,
so a killed run is resumed without uploading or creating anything twice."""

_V6 = """
ALTER TABLE sources ADD COLUMN site_name TEXT;
ALTER TABLE sources ADD COLUMN author TEXT;
ALTER TABLE sources ADD COLUMN published TEXT;
ALTER TABLE sources ADD COLUMN language TEXT;
"""
"""What each input said about its article (``Article.site_name``, ``author``, ``published``,
``language``): per source, as wire copies share one text under several outlets' names."""

_V7 = """
CREATE TABLE sources_v7 (
    source        TEXT NOT NULL,
    article_index INTEGER NOT NULL,
    content_hash  TEXT NOT NULL REFERENCES articles (content_hash),
    run_id        INTEGER REFERENCES runs (id),
    last_run_id   INTEGER REFERENCES runs (id),
    site_name     TEXT,
    author        TEXT,
    published     TEXT,
    language      TEXT,
    PRIMARY KEY (source, article_index, content_hash)
);
INSERT INTO sources_v7 (source, article_index, content_hash, run_id, last_run_id,
                        site_name, author, published, language)
    SELECT source, article_index, content_hash, run_id, last_run_id, site_name, author, published, language
    FROM sources;
DROP TABLE sources;
ALTER TABLE sources_v7 RENAME TO sources;
CREATE INDEX sources_by_content ON sources (content_hash);
"""
"""A source may belong to no batch run: an article summarized by the service or compared by
``compare`` keeps where it came from and what it said of itself (outlet, author, date, language),
with ``run_id`` NULL. SQLite cannot drop a NOT NULL constraint, so the table is rebuilt."""

MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4, _V5, _V6, _V7]
"""Migration ``n`` (1-based) takes a database from ``user_version`` n-1 to n."""


def statements(script: str) -> Iterator[str]:
    """Split a script into single statements, with SQLite's own idea of where one ends.

    ``executescript`` would be simpler but commits any open transaction
    first, and the migrations must run inside one.
    """
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip() != ";":
                yield pending.strip()
            pending = ""
    if pending.rstrip(";").strip():
        raise ValueError(f"incomplete SQL statement at the end of a migration: {pending.strip()[:80]!r}")


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _check_ours(conn: sqlite3.Connection, where: str) -> int:
    """The file's schema version, after checking it is a store this code can use."""
    version = _version(conn)
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if app_id not in (0, APPLICATION_ID) or (version == 0 and _has_tables(conn)):
        raise ConfigError(
            f"{where} is not a summarizer store (it holds another program's tables); "
            "choose another file with --db"
        )
    if version > len(MIGRATIONS):
        raise ConfigError(
            f"the store at {where} has schema v{version}, written by a newer summarizer; "
            f"this version knows up to v{len(MIGRATIONS)}. "
            "Upgrade summarizer, or choose another file with --db"
        )
    return version


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def migrate(conn: sqlite3.Connection, where: str) -> int:
    """Bring the database up to the latest schema; return its version.

    ``conn`` must be in autocommit mode (``isolation_level=None``). The
    version is read again under the write lock, so two processes opening
    the same old file at once upgrade it once.
    """
    latest = len(MIGRATIONS)
    version = _check_ours(conn, where)
    if version == latest:
        return latest
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _check_ours(conn, where)
        for number in range(version + 1, latest + 1):
            for statement in statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {latest}")
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise ConfigError(
                f"could not upgrade the store at {where} from schema v{version} to v{latest}: {exc}. "
                "The file is unchanged."
            ) from exc
        raise
    if version != latest:
        log.info("store %s upgraded from schema v%d to v%d", where, version, latest)
    return latest
