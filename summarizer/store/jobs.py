"""Service jobs in the store: a batch over uploaded files or an allowed folder, kept across restarts.

A job is ``queued`` when accepted, ``running`` while a worker has it, then
``finished``, ``aborted`` (the provider refused the configuration) or
``failed`` (it could not run: its folder is gone, the store failed). A
service that stops with jobs ``queued`` or ``running`` finds them again at
start (``unfinished_jobs``) and runs them again; the summaries cache makes
that re-run send nothing for the articles already done.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Mapping

from summarizer.store.connection import StoreBase, parse_timestamp, timestamp
from summarizer.store.records import Job

JOB_STATUSES = ("queued", "running", "finished", "aborted", "failed")


class JobsMixin(StoreBase):
    """``Store``'s methods for the ``jobs`` table."""

    def create_job(self, spec: Mapping[str, object]) -> str:
        """Record a new ``queued`` job; return its id (random, not guessable)."""
        job_id = secrets.token_hex(8)
        now = timestamp()
        with self._atomic():
            self._conn.execute(
                "INSERT INTO jobs (id, created_at, updated_at, status, spec) VALUES (?, ?, ?, 'queued', ?)",
                (job_id, now, now, json.dumps(dict(spec), sort_keys=True, ensure_ascii=False)),
            )
        return job_id

    def update_job(
        self,
        job_id: str,
        *,
        status: str | None = None,
        run_id: int | None = None,
        counts: Mapping[str, int] | None = None,
        error: str | None = None,
    ) -> None:
        if status is not None and status not in JOB_STATUSES:
            raise ValueError(f"job status must be one of {', '.join(JOB_STATUSES)}, not {status!r}")
        sets: list[str] = ["updated_at = ?"]
        params: list[object] = [timestamp()]
        for column, value in (("status", status), ("run_id", run_id), ("error", error)):
            if value is not None:
                sets.append(f"{column} = ?")
                params.append(value)
        if counts is not None:
            sets.append("counts = ?")
            params.append(json.dumps(dict(counts), sort_keys=True))
        with self._atomic():
            cur = self._conn.execute(f"UPDATE jobs SET {', '.join(sets)} WHERE id = ?", (*params, job_id))
            if cur.rowcount != 1:
                raise ValueError(f"job {job_id} does not exist")

    def job(self, job_id: str) -> Job | None:
        with self._lock, self._sqlite_errors():
            row = self._conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row is not None else None

    def unfinished_jobs(self) -> list[Job]:
        """Jobs ``queued`` or ``running`` (a stopped service's), oldest first."""
        with self._lock, self._sqlite_errors():
            rows = self._conn.execute(
                "SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at, rowid"
            ).fetchall()
        return [_job(r) for r in rows]


def _job(r: sqlite3.Row) -> Job:
    return Job(
        id=r["id"],
        created_at=parse_timestamp(r["created_at"]),
        updated_at=parse_timestamp(r["updated_at"]),
        status=r["status"],
        spec=json.loads(r["spec"]),
        run_id=r["run_id"],
        counts=json.loads(r["counts"]) if r["counts"] else None,
        error=r["error"],
    )
