"""``Store``: one SQLite connection, the only code that writes the store's tables.

Threads: one connection opened with ``check_same_thread=False`` and an
``RLock`` around every call. The batch runner is one process; its event loop
thread and ``asyncio.to_thread`` workers share the store. One connection
(rather than one per thread) keeps ``:memory:`` usable, avoids SQLITE_BUSY
between our own threads, and costs nothing that matters: SQLite admits one
writer at a time anyway and every transaction here is a few rows long.

Durability: WAL with ``synchronous=NORMAL``. In WAL mode that never
corrupts the file and survives any crash of the process (SIGKILL, OOM);
only an OS crash or power cut can lose the last few commits, and a lost
commit is an item the next run summarizes again. FULL would fsync on every
item to protect against that alone.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from summarizer.article import Article
from summarizer.errors import ConfigError, StoreError
from summarizer.result import SummaryResult, Usage
from summarizer.schema import trusted_context
from summarizer.store.keys import KeyParts
from summarizer.store.migrations import migrate
from summarizer.store.records import STATUSES, Run, RunItem, Status, Stored, TokenCounts

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 10.0


def _now() -> str:
    """ISO-8601 UTC with milliseconds and ``Z``: sorts as text, readable in ``sqlite3``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _connect(path: Path | str) -> tuple[sqlite3.Connection, str]:
    if str(path) == ":memory:":
        where = ":memory:"
    else:
        target = Path(path).expanduser()
        where = str(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the folder for the store {where}: {exc}") from exc
    try:
        # isolation_level=None: autocommit; the store issues BEGIN/COMMIT itself.
        conn = sqlite3.connect(where, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise ConfigError(f"cannot open the store at {where}: {exc}; choose another file with --db") from exc
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode not in ("wal", "memory"):
            log.warning("store %s: WAL is unavailable here (journal mode %s); writes are slower", where, mode)
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn, where)
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.Error):
            raise ConfigError(
                f"cannot open the store at {where}: {exc}; choose another file with --db"
            ) from exc
        raise
    return conn, where


class Store:
    """The batch store: articles, cached summaries, runs. See the package docstring."""

    def __init__(self, path: Path | str) -> None:
        self._conn, self.where = _connect(path)
        self._lock = threading.RLock()
        self._depth = 0

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        with self._lock, self._sqlite_errors():
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several calls into one atomic commit (e.g. a result and its run item).

        Holds the store's lock throughout, so keep the block short and never
        await inside it. Nested blocks are savepoints.
        """
        with self._lock, self._sqlite_errors():
            depth = self._depth
            begin, commit, rollback = (
                ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
                if depth == 0
                else (f"SAVEPOINT s{depth}", f"RELEASE s{depth}", f"ROLLBACK TO s{depth}")
            )
            self._conn.execute(begin)
            self._depth = depth + 1
            try:
                yield
                self._conn.execute(commit)
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute(rollback)
                    if depth:
                        self._conn.execute(commit)  # ROLLBACK TO keeps the savepoint open
                raise
            finally:
                self._depth = depth

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """The store's own multi-statement writes: a transaction of their own when called alone,
        part of the caller's when inside ``transaction()`` (no savepoint per call: a batch item
        commits an article, a source, a result and a run item, and each savepoint is two more
        statements)."""
        with self._lock:
            if self._depth:
                with self._sqlite_errors():
                    yield
                return
            with self.transaction():
                yield

    @contextmanager
    def _sqlite_errors(self) -> Iterator[None]:
        """Turn run-time database failures into ``StoreError``; programming errors stay as they are."""
        try:
            yield
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"the store at {self.where} failed: {exc}. If another summarizer uses the same file, "
                "let it finish or pass a different --db; otherwise check free disk space and permissions"
            ) from exc

    # --- articles and sources --------------------------------------------------------------

    def put_article(self, article: Article) -> None:
        """Record the article's content once; later calls with the same text change nothing."""
        with self._atomic():
            self._conn.execute(
                "INSERT INTO articles (content_hash, title, text, words, first_seen) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (content_hash) DO NOTHING",
                (article.content_hash, article.title, article.text, article.word_count, _now()),
            )

    def add_source(self, run_id: int, article: Article) -> None:
        """Record where ``article`` was found in run ``run_id`` (and the article itself)."""
        with self._atomic():
            self.put_article(article)
            self._write(
                "INSERT INTO sources (source, article_index, content_hash, run_id, last_run_id)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (source, article_index, content_hash)"
                " DO UPDATE SET last_run_id = excluded.last_run_id",
                (article.source, article.index, article.content_hash, run_id, run_id),
                missing=f"run {run_id} does not exist; start it with start_run()",
            )

    # --- summaries -------------------------------------------------------------------------

    def get(self, key: str) -> Stored | None:
        """The stored state for ``key``, or ``None`` when it was never tried (a miss).

        A result that no longer loads (an edited row, a model change without a
        schema version bump) is logged and reported as a miss, so it is
        summarized again and overwritten.
        """
        with self._lock, self._sqlite_errors():
            row = self._conn.execute("SELECT * FROM summaries WHERE cache_key = ?", (key,)).fetchone()
        if row is None:
            return None
        result = None
        if row["result"] is not None:
            try:
                result = SummaryResult.model_validate_json(row["result"], context=trusted_context())
            except ValidationError as exc:
                log.warning("store: result %s… no longer loads (%s); treating it as a miss", key[:12], exc)
                return None
        return Stored(
            key=key,
            status=row["status"],
            reason=row["reason"],
            result=result,
            usage=Usage(
                prompt_tokens=row["prompt_tokens"],
                completion_tokens=row["completion_tokens"],
                cached_tokens=row["cached_tokens"],
            ),
            http_attempts=row["http_attempts"],
            model_attempts=row["model_attempts"],
            updated_at=_when(row["updated_at"]),
        )

    def put_result(
        self,
        key: str,
        result: SummaryResult,
        *,
        status: Literal["ok", "degraded"],
        requested: KeyParts | None = None,
        dumped: str | None = None,
    ) -> None:
        """Store a usable result under ``key``, replacing a failure (or a degraded result, if ok).

        ``dumped`` is ``result``'s JSON when the caller has it already (a batch
        writes the same text to the item's output file): the result is then
        serialised once. It must be a dump of ``result`` itself.

        ``requested`` is the request ``key`` was computed from; when given it
        is checked against ``key`` and fills the row's engine, model, prompt
        hash and schema version columns. Without it a new row takes them from
        the result's provenance (an existing row keeps its own): the same
        thing for ``ok``, but for a degraded result that is the offline engine
        that stood in for the LLM, so pass the LLM request to keep the row
        readable as what was asked. The article must already be stored
        (``add_source`` or ``put_article``).
        """
        if requested is not None:
            _check_key(key, requested)
            if requested.content_hash != result.content_hash:
                raise ValueError("requested.content_hash differs from the result's content hash")
        elif key != KeyParts.of(result).key:
            log.debug("store: result for %s… stored under a key its provenance does not give", key[:12])
        if status == "ok" and result.provenance.degraded:
            raise ValueError("a degraded result cannot be stored with status 'ok'")
        p = result.provenance
        reason = p.degraded_reason if status == "degraded" else None
        parts = requested or KeyParts.of(result)
        self._put_summary(
            key,
            parts,
            status,
            reason,
            dumped if dumped is not None else result.model_dump_json(),
            p.usage,
            p.http_attempts,
            p.model_attempts,
            parts_known=requested is not None,
        )

    def put_failure(
        self,
        key: str,
        article: Article,
        *,
        engine: str,
        model: str | None,
        prompt_hash: str | None,
        schema_version: str,
        reason: str,
        usage: TokenCounts | None = None,
        http_attempts: int = 0,
        model_attempts: int = 0,
        status: Literal["failed", "skipped"] = "failed",
    ) -> None:
        """Store that ``key`` could not be summarized, with what the attempt cost.

        Never replaces an ``ok`` or ``degraded`` result: a failure that races a
        success (two runs on one file) must not throw the success away.
        ``skipped`` is for items deliberately not sent (e.g. an input error no
        retry can fix).
        """
        parts = KeyParts(article.content_hash, engine, model, prompt_hash, schema_version)
        _check_key(key, parts)
        with self._atomic():
            self.put_article(article)
            self._put_summary(
                key,
                parts,
                status,
                reason,
                None,
                usage or Usage(),
                http_attempts,
                model_attempts,
                parts_known=True,
            )

    def _put_summary(
        self,
        key: str,
        parts: KeyParts,
        status: Status,
        reason: str | None,
        result_json: str | None,
        usage: TokenCounts,
        http_attempts: int,
        model_attempts: int,
        *,
        parts_known: bool,
    ) -> None:
        # A row's key-part columns are only replaced by a writer that knows the request
        # (put_failure, put_result with requested=): not by parts guessed from provenance.
        relabel = (
            " engine = excluded.engine, model = excluded.model, prompt_hash = excluded.prompt_hash,"
            " schema_version = excluded.schema_version,"
            if parts_known
            else ""
        )
        # Never trade a better stored outcome for a worse one (two runs racing on one key).
        keep_better = {
            "ok": "",
            "degraded": " WHERE summaries.status != 'ok'",
        }.get(status, " WHERE summaries.status NOT IN ('ok', 'degraded')")
        now = _now()
        with self._atomic():
            self._write(
                "INSERT INTO summaries (cache_key, content_hash, engine, model, prompt_hash, schema_version,"
                " status, reason, result, prompt_tokens, completion_tokens, cached_tokens,"
                " http_attempts, model_attempts, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (cache_key) DO UPDATE SET" + relabel + " status = excluded.status,"
                " reason = excluded.reason,"
                " result = excluded.result, prompt_tokens = excluded.prompt_tokens,"
                " completion_tokens = excluded.completion_tokens, cached_tokens = excluded.cached_tokens,"
                " http_attempts = excluded.http_attempts, model_attempts = excluded.model_attempts,"
                " updated_at = excluded.updated_at" + keep_better,
                (
                    key,
                    parts.content_hash,
                    parts.engine,
                    parts.model or None,
                    parts.prompt_hash or None,
                    parts.schema_version,
                    status,
                    reason,
                    result_json,
                    usage.prompt_tokens,
                    usage.completion_tokens,
                    usage.cached_tokens,
                    http_attempts,
                    model_attempts,
                    now,
                    now,
                ),
                missing=f"article {parts.content_hash[:12]}… is not stored; call add_source() first",
            )

    # --- runs ------------------------------------------------------------------------------

    def start_run(self, params: Mapping[str, object]) -> int:
        """Open a run and return its id; ``params`` are stored as JSON (paths as text).

        Runs still ``running`` whose process on this host is gone (killed, or the
        machine restarted) are marked ``interrupted`` first.
        """
        host = socket.gethostname()
        with self._atomic():
            stale = self._conn.execute(
                "SELECT id, pid FROM runs WHERE status = 'running' AND host = ? AND pid IS NOT NULL", (host,)
            ).fetchall()
            for row in stale:
                if not _alive(row["pid"]):
                    self._conn.execute("UPDATE runs SET status = 'interrupted' WHERE id = ?", (row["id"],))
            cur = self._conn.execute(
                "INSERT INTO runs (started_at, params, status, pid, host) VALUES (?, ?, 'running', ?, ?)",
                (
                    _now(),
                    json.dumps(dict(params), sort_keys=True, default=str, ensure_ascii=False),
                    os.getpid(),
                    host,
                ),
            )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def record_item(
        self,
        run_id: int,
        source: str,
        index: int,
        key: str | None,
        status: str,
        reason: str | None,
        *,
        cached: bool = False,
    ) -> None:
        """Record one input item's outcome in a run; recording it again replaces it.

        ``key`` is ``None`` for inputs that never became an article (unreadable
        files); ``cached`` says the outcome came from the store, not the model.
        """
        if status not in STATUSES:
            raise ValueError(f"item status must be one of {', '.join(STATUSES)}, not {status!r}")
        with self._atomic():
            self._write(
                "INSERT INTO run_items (run_id, source, article_index, cache_key, status, reason, from_cache,"
                " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (run_id, source, article_index) DO UPDATE SET cache_key = excluded.cache_key,"
                " status = excluded.status, reason = excluded.reason, from_cache = excluded.from_cache,"
                " recorded_at = excluded.recorded_at",
                (run_id, source, index, key, status, reason, int(cached), _now()),
                missing=f"run {run_id} does not exist; start it with start_run()",
            )

    def finish_run(self, run_id: int, counts: Mapping[str, int], status: str = "finished") -> None:
        """Close a run. ``status`` is the runner's word ("finished", "aborted" …); not checked here.

        A run still ``running`` with no ``finished_at`` is going on now, or was killed and no
        run has started since (``start_run`` marks killed runs ``interrupted``).
        """
        with self._atomic():
            cur = self._conn.execute(
                "UPDATE runs SET finished_at = ?, counts = ?, status = ? WHERE id = ?",
                (_now(), json.dumps(dict(counts), sort_keys=True), status, run_id),
            )
            if cur.rowcount != 1:
                raise ValueError(f"run {run_id} does not exist")

    def run(self, run_id: int) -> Run | None:
        with self._lock, self._sqlite_errors():
            row = self._conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            return None
        return Run(
            id=row["id"],
            started_at=_when(row["started_at"]),
            finished_at=_when(row["finished_at"]) if row["finished_at"] else None,
            params=json.loads(row["params"]),
            counts=json.loads(row["counts"]) if row["counts"] else None,
            status=row["status"],
        )

    def run_items(self, run_id: int) -> list[RunItem]:
        """The run's items in input order (source, then position in the source)."""
        with self._lock, self._sqlite_errors():
            rows = self._conn.execute(
                "SELECT * FROM run_items WHERE run_id = ? ORDER BY source, article_index", (run_id,)
            ).fetchall()
        return [
            RunItem(
                run_id=r["run_id"],
                source=r["source"],
                index=r["article_index"],
                key=r["cache_key"],
                status=r["status"],
                reason=r["reason"],
                cached=bool(r["from_cache"]),
                recorded_at=_when(r["recorded_at"]),
            )
            for r in rows
        ]

    def _write(self, sql: str, params: tuple[object, ...], *, missing: str) -> None:
        """Execute one write; a broken foreign key becomes a ``ValueError`` saying what to do."""
        try:
            self._conn.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                raise ValueError(missing) from exc
            raise


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _check_key(key: str, parts: KeyParts) -> None:
    if key != parts.key:
        raise ValueError(
            f"cache key {key[:12]}… was not computed from {parts}; "
            "use cache_key() with the same content hash, engine, model, prompt hash and schema version"
        )
