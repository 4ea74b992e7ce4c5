"""Stories in the store: comparisons kept with the articles they compared, and the queries that span
the store (articles, open questions across articles and what later articles answered).

A story is made by a comparison (``summarizer compare --db``, ``POST /v1/comparisons``): the
report is stored as JSON (without article texts, which ``articles`` holds) and each source
id is tied to its article. The open-questions board reads every stored summary's
questions and, for articles in a story, the comparison's verdict on each: answered
(by which article, with which passage), partly, contradicted, or still open.
"""

from __future__ import annotations

import json
from typing import Any

from summarizer import scope
from summarizer.result import SummaryResult
from summarizer.store.connection import StoreBase, parse_timestamp, timestamp
from summarizer.store.records import ArticleRow, QuestionRow

IN_RUN = "cache_key IN (SELECT cache_key FROM run_items WHERE run_id = ? AND cache_key IS NOT NULL)"
"""A summary (by its cache key) that a batch run produced or served."""


def like_pattern(text: str) -> str:
    """``%text%`` for ``LIKE … ESCAPE '\\'``, the wildcards in ``text`` taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class StoriesMixin(StoreBase):
    """``Store``'s methods for ``stories``, ``story_articles`` and the cross-store queries."""

    def put_story(self, story: str, report_json: str, sources: dict[str, str]) -> int:
        """Keep a comparison; ``sources`` maps its source ids to content hashes (articles stored)."""
        with self._atomic():
            cur = self._conn.execute(
                "INSERT INTO stories (created_at, story, report) VALUES (?, ?, ?)",
                (timestamp(), story, report_json),
            )
            story_id = cur.lastrowid
            assert story_id is not None
            for source_id, content_hash in sources.items():
                self._write(
                    "INSERT INTO story_articles (story_id, source_id, content_hash) VALUES (?, ?, ?)",
                    (story_id, source_id, content_hash),
                    missing=f"article {content_hash[:12]}… is not stored; store it before its story",
                )
        return story_id

    def story_report(self, story_id: int) -> tuple[str, dict[str, str]] | None:
        """The stored report JSON and its source ids' content hashes."""
        with self._lock, self._sqlite_errors():
            row = self._conn.execute("SELECT report FROM stories WHERE id = ?", (story_id,)).fetchone()
            if row is None:
                return None
            members = self._conn.execute(
                "SELECT source_id, content_hash FROM story_articles WHERE story_id = ?", (story_id,)
            ).fetchall()
        return row["report"], {m["source_id"]: m["content_hash"] for m in members}

    def stories(self, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Newest first: id, created_at, story, number of articles."""
        with self._lock, self._sqlite_errors():
            rows = self._conn.execute(
                "SELECT s.id, s.created_at, s.story, count(m.source_id) AS articles FROM stories s"
                " LEFT JOIN story_articles m ON m.story_id = s.id GROUP BY s.id"
                " ORDER BY s.id DESC LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
        return [
            {
                "id": r["id"],
                "created_at": parse_timestamp(r["created_at"]),
                "story": r["story"],
                "articles": r["articles"],
            }
            for r in rows
        ]

    def stories_of(self, content_hash: str) -> list[int]:
        """Ids of the stories an article is part of, newest first."""
        with self._lock, self._sqlite_errors():
            rows = self._conn.execute(
                "SELECT DISTINCT story_id FROM story_articles WHERE content_hash = ? ORDER BY story_id DESC",
                (content_hash,),
            ).fetchall()
        return [r["story_id"] for r in rows]

    def results_for(self, content_hash: str) -> list[SummaryResult]:
        """Every usable stored summary of one article, newest first."""
        with self._lock, self._sqlite_errors():
            rows = self._conn.execute(
                "SELECT result FROM summaries WHERE content_hash = ? AND status IN ('ok', 'degraded')"
                " ORDER BY updated_at DESC",
                (content_hash,),
            ).fetchall()
        return [SummaryResult.model_validate_json(r["result"], context=scope.trusted()) for r in rows]

    def article_text(self, content_hash: str) -> tuple[str, str] | None:
        """``(title, cleaned text)`` of a stored article."""
        with self._lock, self._sqlite_errors():
            row = self._conn.execute(
                "SELECT title, text FROM articles WHERE content_hash = ?", (content_hash,)
            ).fetchone()
        return (row["title"], row["text"]) if row is not None else None

    def articles(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        query: str | None = None,
        story: int | None = None,
        content_hash: str | None = None,
        run: int | None = None,
    ) -> list[ArticleRow]:
        """Stored articles, newest first, each with its newest usable summary's headline;
        ``run``: only the articles that batch run summarized or served from the store."""
        where: list[str] = []
        params: list[object] = []
        if content_hash is not None:
            where.append("a.content_hash = ?")
            params.append(content_hash)
        if query:
            where.append("(a.title LIKE ? ESCAPE '\\' OR a.text LIKE ? ESCAPE '\\')")
            params += [like_pattern(query)] * 2
        if story is not None:
            where.append("a.content_hash IN (SELECT content_hash FROM story_articles WHERE story_id = ?)")
            params.append(story)
        if run is not None:
            where.append(f"a.content_hash IN (SELECT content_hash FROM summaries WHERE {IN_RUN})")
            params.append(run)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self._lock, self._sqlite_errors():
            rows = self._conn.execute(
                "SELECT a.content_hash, a.title, a.words, a.first_seen,"
                " (SELECT json_group_array(DISTINCT source) FROM sources s"
                "   WHERE s.content_hash = a.content_hash) AS sources,"
                " (SELECT json_group_array(DISTINCT site_name) FROM sources s"
                "   WHERE s.content_hash = a.content_hash AND site_name IS NOT NULL) AS outlets,"
                " (SELECT json_group_array(DISTINCT author) FROM sources s"
                "   WHERE s.content_hash = a.content_hash AND author IS NOT NULL) AS authors,"
                " (SELECT min(published) FROM sources s WHERE s.content_hash = a.content_hash) AS published,"
                " (SELECT language FROM sources s WHERE s.content_hash = a.content_hash"
                "   AND language IS NOT NULL ORDER BY s.rowid DESC LIMIT 1) AS language,"
                " (SELECT json_group_array(DISTINCT story_id) FROM story_articles m"
                "   WHERE m.content_hash = a.content_hash) AS stories,"
                " (SELECT cache_key FROM summaries u WHERE u.content_hash = a.content_hash"
                "   AND u.status IN ('ok', 'degraded') ORDER BY u.updated_at DESC LIMIT 1) AS cache_key"
                f" FROM articles a {clause} ORDER BY a.first_seen DESC, a.rowid DESC LIMIT ? OFFSET ?",
                (*params, limit, offset),
            ).fetchall()
            headlines = self._headlines([r["cache_key"] for r in rows if r["cache_key"]])
        return [
            ArticleRow(
                content_hash=r["content_hash"],
                title=r["title"],
                words=r["words"],
                first_seen=parse_timestamp(r["first_seen"]),
                sources=[s for s in json.loads(r["sources"]) if s],
                headline=headlines.get(r["cache_key"]),
                cache_key=r["cache_key"],
                stories=[s for s in json.loads(r["stories"]) if s is not None],
                outlets=json.loads(r["outlets"]),
                authors=json.loads(r["authors"]),
                published=r["published"],
                language=r["language"],
            )
            for r in rows
        ]

    def _headlines(self, keys: list[str]) -> dict[str, str]:
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        rows = self._conn.execute(
            "SELECT cache_key, json_extract(result, '$.summary.headline') AS headline FROM summaries"
            f" WHERE cache_key IN ({marks})",
            keys,
        ).fetchall()
        return {r["cache_key"]: r["headline"] for r in rows}

    def questions(
        self,
        *,
        kind: str | None = None,
        story: int | None = None,
        status: str | None = None,
        run: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[QuestionRow]:
        """Open questions of stored summaries (the ``open_questions`` view), newest article first,
        each with the verdict of the newest comparison that holds its article; ``run``: only the
        summaries that batch run produced or served from the store."""
        where: list[str] = []
        params: list[object] = []
        if kind:
            where.append("q.kind = ?")
            params.append(kind)
        if story is not None:
            where.append("q.content_hash IN (SELECT content_hash FROM story_articles WHERE story_id = ?)")
            params.append(story)
        if run is not None:
            where.append(IN_RUN.replace("cache_key", "q.cache_key", 1))
            params.append(run)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self._lock, self._sqlite_errors():
            rows = self._conn.execute(
                f"SELECT q.* FROM open_questions q {clause}"
                " ORDER BY q.first_seen DESC, q.content_hash, q.position",
                params,
            ).fetchall()
            verdicts = self._verdicts({r["content_hash"] for r in rows}, story)
        found: list[QuestionRow] = []
        seen: set[tuple[str, str]] = set()
        for r in rows:
            if (r["content_hash"], r["question"]) in seen:  # the same article summarized by two engines
                continue
            seen.add((r["content_hash"], r["question"]))
            verdict = verdicts.get((r["content_hash"], r["quote"]), {})
            row = QuestionRow(
                cache_key=r["cache_key"],
                content_hash=r["content_hash"],
                title=r["title"],
                first_seen=parse_timestamp(r["first_seen"]),
                question=r["question"],
                kind=r["kind"],
                why_open=r["why_open"],
                quote=r["quote"],
                **verdict,
            )
            if status is None or (row.status or "open") == status:
                found.append(row)
        return found[offset : offset + limit]

    def _verdicts(self, hashes: set[str], story: int | None) -> dict[tuple[str, str], dict[str, Any]]:
        """(content hash, raising quote) -> the newest comparison's verdict on that question."""
        if not hashes:
            return {}
        marks = ",".join("?" * len(hashes))
        sql = (
            "SELECT DISTINCT s.id, s.report FROM stories s JOIN story_articles m ON m.story_id = s.id"
            f" WHERE m.content_hash IN ({marks})"
        )
        params: list[object] = list(hashes)
        if story is not None:
            sql += " AND s.id = ?"
            params.append(story)
        verdicts: dict[tuple[str, str], dict[str, Any]] = {}
        for row in self._conn.execute(sql + " ORDER BY s.id", params).fetchall():
            members = dict(
                self._conn.execute(
                    "SELECT source_id, content_hash FROM story_articles WHERE story_id = ?", (row["id"],)
                ).fetchall()
            )
            for question in json.loads(row["report"])["comparison"]["open_questions"]:
                answer = question.get("answer") or {}
                for raised in question["raised_in"]:
                    owner = members.get(raised["source"])
                    if owner is None:
                        continue
                    verdicts[(owner, raised["quote"])] = {  # newer stories (higher ids) win
                        "story_id": row["id"],
                        "status": question["status"],
                        "answer": answer.get("quote"),
                        "answered_by": members.get(answer.get("source", "")),
                    }
        return verdicts
