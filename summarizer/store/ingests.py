"""What unchanged input files became: the ``ingests`` table (raw bytes' hash → articles).

A batch re-run reads every file again; decoding, cleaning and splitting it is
most of a cached item's cost. The runner keeps, per file content (SHA-256 of
the bytes) and ingest version (``batch.plan.ingest_version``: the ingest
code and the libraries it uses), the content hashes of the articles it gave
and what the input said about each (site name, author, date, language); a
later run with the same bytes and version takes the articles from the
``articles`` table instead. Only files that gave articles are kept; a missing
article (a run killed between two articles of one file) makes it a miss.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from summarizer.article import METADATA, Article
from summarizer.store.connection import StoreBase, timestamp

Remembered = tuple[str, str, dict[str, str]]
"""An article the memo keeps: its title, cleaned text and the metadata its input gave."""


class IngestsMixin(StoreBase):
    """``Store``'s methods for the ``ingests`` table."""

    def ingested(self, raw_hash: str, version: str) -> list[Remembered] | None:
        """``(title, cleaned text, metadata)`` of the articles these bytes gave under ``version``,
        or None (metadata: ``Article.metadata``'s fields the input gave; none from a memo of a
        version before the store kept them)."""
        with self._lock, self._sqlite_errors():
            rows = self._conn.execute(
                "SELECT json_array_length(i.articles) AS n, a.title, a.text, j.value AS item, j.type"
                " FROM ingests i, json_each(i.articles) j JOIN articles a ON a.content_hash ="
                " (CASE j.type WHEN 'object' THEN json_extract(j.value, '$.hash') ELSE j.value END)"
                " WHERE i.raw_hash = ? AND i.version = ? ORDER BY j.key",
                (raw_hash, version),
            ).fetchall()
        if not rows or len(rows) != rows[0]["n"]:  # not kept, or an article is missing
            return None
        found: list[Remembered] = []
        for r in rows:
            item = json.loads(r["item"]) if r["type"] == "object" else {}
            found.append((r["title"], r["text"], {k: item[k] for k in METADATA if item.get(k)}))
        return found

    def remember_ingest(self, raw_hash: str, version: str, articles: Sequence[Article]) -> None:
        """Keep what these bytes gave (their articles must be stored in the same transaction or before)."""
        items = [
            {"hash": a.content_hash, **{k: v for k, v in a.metadata().items() if v is not None}}
            for a in articles
        ]
        with self._atomic():
            self._conn.execute(
                "INSERT INTO ingests (raw_hash, version, articles, recorded_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (raw_hash) DO UPDATE SET version = excluded.version,"
                " articles = excluded.articles, recorded_at = excluded.recorded_at",
                (raw_hash, version, json.dumps(items), timestamp()),
            )
