"""Provider batches in the store (``--via provider-batch``): each input file, its batch, its requests.

A batch row is written with its requests once its input file is complete on
disk (status ``planned``), then gets its provider file id (``uploaded``), its
batch id and the provider's statuses, its output and error file ids, and
``collected`` once every line of them is processed. A request is ``sent``
while its batch may still answer it, ``done`` once its outcome is in the
summaries table, ``retry`` when the batch did not answer it (expired, a 5xx:
another batch may), ``failed`` when no batch will (the batch failed validation
or was cancelled; nothing is stored in summaries, so a later run tries again).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summarizer.store.connection import StoreBase, timestamp
from summarizer.store.keys import KeyParts

REQUEST_STATES = ("sent", "done", "retry", "failed")
BATCH_FIELDS = frozenset(
    {"status", "input_file_id", "batch_id", "output_file_id", "error_file_id", "errors", "collected"}
)


@dataclass(frozen=True)
class ProviderBatch:
    id: int
    name: str
    """The input file's name on the provider: unique, so a lost upload is found again by it."""
    endpoint: str
    requests: int
    bytes: int
    sha256: str
    status: str
    input_file_id: str | None
    batch_id: str | None
    output_file_id: str | None
    error_file_id: str | None
    errors: list[str]
    collected: bool
    run_id: int | None
    created_at: str


@dataclass(frozen=True)
class BatchRequest:
    batch: int
    custom_id: str
    cache_key: str
    content_hash: str
    state: str
    detail: str | None


class BatchesMixin(StoreBase):
    """``Store``'s methods for the ``provider_batches`` and ``provider_batch_requests`` tables."""

    def add_provider_batch(
        self,
        *,
        name: str,
        endpoint: str,
        parts: KeyParts,
        requests: Sequence[tuple[str, str, str]],
        size: int,
        sha256: str,
        run_id: int | None,
    ) -> int:
        """Record a planned batch and its requests (custom id, cache key, content hash) together.

        ``parts`` gives the engine, model, prompt hash and schema version every request shares
        (its content hash is not used). The articles must be stored already."""
        now = timestamp()
        with self._atomic():
            cur = self._conn.execute(
                "INSERT INTO provider_batches (name, endpoint, engine, model, prompt_hash, schema_version,"
                " requests, bytes, sha256, run_id, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    name,
                    endpoint,
                    parts.engine,
                    parts.model or None,
                    parts.prompt_hash or None,
                    parts.schema_version,
                    len(requests),
                    size,
                    sha256,
                    run_id,
                    now,
                    now,
                ),
            )
            batch = cur.lastrowid
            assert batch is not None
            self._conn.executemany(
                "INSERT INTO provider_batch_requests (batch, custom_id, cache_key, content_hash, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(batch, custom, key, content, now) for custom, key, content in requests],
            )
        return batch

    def update_provider_batch(self, batch: int, **values: object) -> None:
        """Set some of ``status``, ``input_file_id``, ``batch_id``, ``output_file_id``,
        ``error_file_id``, ``errors`` (a list of messages) and ``collected``."""
        unknown = set(values) - BATCH_FIELDS
        if unknown:
            raise ValueError(f"not a provider batch field: {', '.join(sorted(unknown))}")
        if "errors" in values:
            values["errors"] = json.dumps(list(values["errors"]), ensure_ascii=False)  # type: ignore[call-overload]
        if "collected" in values:
            values["collected"] = int(bool(values["collected"]))
        columns = ", ".join(f"{name} = ?" for name in values)
        with self._atomic():
            cur = self._conn.execute(
                f"UPDATE provider_batches SET {columns}, updated_at = ? WHERE id = ?",
                (*values.values(), timestamp(), batch),
            )
            if cur.rowcount != 1:
                raise ValueError(f"provider batch {batch} does not exist")

    def provider_batches(
        self, parts: KeyParts | None = None, *, open_only: bool = True
    ) -> list[ProviderBatch]:
        """Batches not yet collected (all of them: ``open_only=False``), oldest first; with ``parts``,
        only those of its engine, model, prompt hash and schema version."""
        sql = "SELECT * FROM provider_batches"
        where: list[str] = ["collected = 0"] if open_only else []
        params: list[object] = []
        if parts is not None:
            where.append("engine = ? AND model IS ? AND prompt_hash IS ? AND schema_version = ?")
            params += [parts.engine, parts.model or None, parts.prompt_hash or None, parts.schema_version]
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._lock, self._sqlite_errors():
            rows = self._conn.execute(sql + " ORDER BY id", params).fetchall()
        return [
            ProviderBatch(
                id=r["id"],
                name=r["name"],
                endpoint=r["endpoint"],
                requests=r["requests"],
                bytes=r["bytes"],
                sha256=r["sha256"],
                status=r["status"],
                input_file_id=r["input_file_id"],
                batch_id=r["batch_id"],
                output_file_id=r["output_file_id"],
                error_file_id=r["error_file_id"],
                errors=json.loads(r["errors"]) if r["errors"] else [],
                collected=bool(r["collected"]),
                run_id=r["run_id"],
                created_at=r["created_at"],
            )
            for r in rows
        ]

    def batch_requests(self, batch: int) -> list[BatchRequest]:
        with self._lock, self._sqlite_errors():
            rows = self._conn.execute(
                "SELECT * FROM provider_batch_requests WHERE batch = ? ORDER BY rowid", (batch,)
            ).fetchall()
        return [
            BatchRequest(
                r["batch"], r["custom_id"], r["cache_key"], r["content_hash"], r["state"], r["detail"]
            )
            for r in rows
        ]

    def set_batch_request(self, batch: int, custom_id: str, state: str, detail: str | None = None) -> None:
        if state not in REQUEST_STATES:
            raise ValueError(f"request state must be one of {', '.join(REQUEST_STATES)}, not {state!r}")
        with self._atomic():
            self._conn.execute(
                "UPDATE provider_batch_requests SET state = ?, detail = ?, updated_at = ?"
                " WHERE batch = ? AND custom_id = ?",
                (state, detail, timestamp(), batch, custom_id),
            )

    def keys_in_batches(self, keys: Iterable[str]) -> dict[str, int]:
        """Of ``keys``, those a batch not yet collected may still answer, with that batch."""
        found: dict[str, int] = {}
        wanted = list(keys)
        with self._lock, self._sqlite_errors():
            for at in range(0, len(wanted), 500):
                chunk = wanted[at : at + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    "SELECT r.cache_key, r.batch FROM provider_batch_requests r"
                    " JOIN provider_batches b ON b.id = r.batch"
                    f" WHERE r.state = 'sent' AND b.collected = 0 AND r.cache_key IN ({marks})",
                    chunk,
                ).fetchall()
                found.update((row["cache_key"], row["batch"]) for row in rows)
        return found

    def summarized(self, keys: Iterable[str]) -> set[str]:
        """Of ``keys``, those the summaries table holds an outcome for (ok, degraded or failed)."""
        found: set[str] = set()
        wanted = list(keys)
        with self._lock, self._sqlite_errors():
            for at in range(0, len(wanted), 500):
                chunk = wanted[at : at + 500]
                rows = self._conn.execute(
                    "SELECT cache_key FROM summaries WHERE status IN ('ok', 'degraded', 'failed')"
                    f" AND cache_key IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
                found.update(row["cache_key"] for row in rows)
        return found

    def other_runs(self, run_id: int) -> int:
        """Runs of this store other than ``run_id`` still ``running`` (killed ones are marked when a
        run starts: see ``start_run``)."""
        with self._lock, self._sqlite_errors():
            row = self._conn.execute(
                "SELECT count(*) FROM runs WHERE status = 'running' AND id != ?", (run_id,)
            ).fetchone()
        return int(row[0])

    def batch_attempts(self, key: str, *, since_run: int | None = None) -> tuple[int, str | None]:
        """How many batches left ``key`` unanswered (``retry``), and the last one's reason;
        ``since_run``: only batches planned by that run or later."""
        with self._lock, self._sqlite_errors():
            rows = self._conn.execute(
                "SELECT r.detail FROM provider_batch_requests r JOIN provider_batches b ON b.id = r.batch"
                " WHERE r.cache_key = ? AND r.state = 'retry' AND coalesce(b.run_id, 0) >= ?"
                " ORDER BY r.rowid",
                (key, since_run or 0),
            ).fetchall()
        return len(rows), (rows[-1]["detail"] if rows else None)

    def article_text(self, content_hash: str) -> tuple[str, str] | None:
        """A stored article's (title, text)."""
        with self._lock, self._sqlite_errors():
            row = self._conn.execute(
                "SELECT title, text FROM articles WHERE content_hash = ?", (content_hash,)
            ).fetchone()
        return None if row is None else (row["title"], row["text"])
