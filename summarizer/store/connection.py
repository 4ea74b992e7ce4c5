"""The store's SQLite connection: opening it, transactions, and turning database failures into
``StoreError``. ``StoreBase`` is the part of ``Store`` every table's code shares.

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

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from summarizer.errors import ConfigError, StoreError
from summarizer.store.migrations import migrate

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 10.0


def timestamp() -> str:
    """ISO-8601 UTC with milliseconds and ``Z``: sorts as text, readable in ``sqlite3``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime:
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


class StoreBase:
    """One connection, its lock and its transactions; ``Store`` adds the tables' methods."""

    def __init__(self, path: Path | str) -> None:
        self._conn, self.where = _connect(path)
        self._lock = threading.RLock()
        self._depth = 0

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
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

    def _write(self, sql: str, params: tuple[object, ...], *, missing: str) -> None:
        """Execute one write; a broken foreign key becomes a ``ValueError`` saying what to do."""
        try:
            self._conn.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                raise ValueError(missing) from exc
            raise
