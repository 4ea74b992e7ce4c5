"""Runs in the store: opening and closing a batch run, and each input item's outcome in it."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping

from summarizer.store.connection import StoreBase, parse_timestamp, timestamp
from summarizer.store.records import STATUSES, Run, RunItem


class RunsMixin(StoreBase):
    """``Store``'s methods for the ``runs`` and ``run_items`` tables."""

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
                    timestamp(),
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
                (run_id, source, index, key, status, reason, int(cached), timestamp()),
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
                (timestamp(), json.dumps(dict(counts), sort_keys=True), status, run_id),
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
            started_at=parse_timestamp(row["started_at"]),
            finished_at=parse_timestamp(row["finished_at"]) if row["finished_at"] else None,
            params=json.loads(row["params"]),
            counts=json.loads(row["counts"]) if row["counts"] else None,
            status=row["status"],
        )

    def latest_run_id(self) -> int | None:
        """The newest batch run's id (``None`` in a store no run has used)."""
        with self._lock, self._sqlite_errors():
            row = self._conn.execute("SELECT max(id) AS id FROM runs").fetchone()
        return None if row["id"] is None else int(row["id"])

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
                recorded_at=parse_timestamp(r["recorded_at"]),
            )
            for r in rows
        ]


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
