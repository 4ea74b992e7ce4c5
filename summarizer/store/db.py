"""``Store``: the only code that writes the store's tables (articles, sources, summaries here;
runs in ``runs.py``; the connection and its transactions in ``connection.py``)."""

from __future__ import annotations

import logging
from typing import Literal

from pydantic import ValidationError

from summarizer import scope
from summarizer.article import Article
from summarizer.result import SummaryResult, Usage
from summarizer.store.batches import BatchesMixin
from summarizer.store.connection import parse_timestamp, timestamp
from summarizer.store.ingests import IngestsMixin
from summarizer.store.jobs import JobsMixin
from summarizer.store.keys import KeyParts
from summarizer.store.logs import LogsMixin
from summarizer.store.records import Status, Stored, StoredText, TokenCounts
from summarizer.store.runs import RunsMixin
from summarizer.store.stories import StoriesMixin

log = logging.getLogger(__name__)


class Store(RunsMixin, JobsMixin, StoriesMixin, LogsMixin, IngestsMixin, BatchesMixin):
    """The store: articles, cached summaries, runs, service jobs, stories. See the package docstring."""

    # --- articles and sources --------------------------------------------------------------

    def put_article(self, article: Article) -> None:
        """Record the article's content once; later calls with the same text change nothing."""
        with self._atomic():
            self._conn.execute(
                "INSERT INTO articles (content_hash, title, text, words, first_seen) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (content_hash) DO NOTHING",
                (article.content_hash, article.title, article.text, article.word_count, timestamp()),
            )

    def add_source(self, run_id: int | None, article: Article, *, stored: bool = False) -> None:
        """Record where ``article`` was found in run ``run_id``, or outside a batch run (``None``: a
        service summary, a comparison), and the article itself, unless ``stored`` (the caller knows
        it is in the store, e.g. a summary of it was just found)."""
        with self._atomic():
            if not stored:
                self.put_article(article)
            self._write(
                "INSERT INTO sources (source, article_index, content_hash, run_id, last_run_id,"
                " site_name, author, published, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (source, article_index, content_hash)"
                " DO UPDATE SET last_run_id = coalesce(excluded.last_run_id, last_run_id),"
                " site_name = coalesce(excluded.site_name, site_name),"
                " author = coalesce(excluded.author, author),"
                " published = coalesce(excluded.published, published),"
                " language = coalesce(excluded.language, language)",
                (
                    article.source,
                    article.index,
                    article.content_hash,
                    run_id,
                    run_id,
                    *article.metadata().values(),
                ),
                missing=f"run {run_id} does not exist; start it with start_run()",
            )

    # --- summaries -------------------------------------------------------------------------

    def peek(self, key: str) -> StoredText | None:
        """The stored state for ``key`` with the result as the stored JSON text, not validated
        (a cache hit whose JSON is written out as it is; ``get`` loads and checks it)."""
        with self._lock, self._sqlite_errors():
            row = self._conn.execute(
                "SELECT status, reason, result FROM summaries WHERE cache_key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        return StoredText(key=key, status=row["status"], reason=row["reason"], result_json=row["result"])

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
                result = SummaryResult.model_validate_json(row["result"], context=scope.trusted())
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
            updated_at=parse_timestamp(row["updated_at"]),
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
        now = timestamp()
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


def _check_key(key: str, parts: KeyParts) -> None:
    if key != parts.key:
        raise ValueError(
            f"cache key {key[:12]}… was not computed from {parts}; "
            "use cache_key() with the same content hash, engine, model, prompt hash and schema version"
        )
