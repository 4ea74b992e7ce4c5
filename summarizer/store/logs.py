"""The store's log of summaries: newest first, what each cost, optionally the whole stored result.

Read-only queries over ``summaries`` (joined to ``articles``, ``sources`` and
``run_items``) for ``summarizer logs``; like ``llm logs``: the last few, a
text search, or those of one batch run.
"""

from __future__ import annotations

import json

from summarizer.store.connection import StoreBase, parse_timestamp
from summarizer.store.records import LogRow
from summarizer.store.stories import IN_RUN, like_pattern


class LogsMixin(StoreBase):
    """``Store``'s read-only log queries."""

    def logs(
        self,
        *,
        limit: int | None = 3,
        query: str | None = None,
        run: int | None = None,
        results: bool = False,
    ) -> list[LogRow]:
        """Stored summaries, newest first (``limit=None``: all); ``query`` searches titles and texts;
        ``run``: those a batch run produced or served; ``results``: include each stored result."""
        where: list[str] = []
        params: list[object] = []
        if query:
            where.append("(a.title LIKE ? ESCAPE '\\' OR a.text LIKE ? ESCAPE '\\')")
            params += [like_pattern(query)] * 2
        if run is not None:
            where.append("s." + IN_RUN)
            params.append(run)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        result = "s.result" if results else "NULL"
        with self._lock, self._sqlite_errors():
            rows = self._conn.execute(
                "SELECT s.*, a.title, json_extract(s.result, '$.summary.headline') AS headline,"
                f" {result} AS full_result,"
                " (SELECT json_group_array(DISTINCT source) FROM sources o"
                "   WHERE o.content_hash = s.content_hash) AS names"
                f" FROM summaries s JOIN articles a USING (content_hash) {clause}"
                " ORDER BY s.updated_at DESC, s.rowid DESC LIMIT ?",
                (*params, -1 if limit is None else limit),
            ).fetchall()
        return [
            LogRow(
                cache_key=r["cache_key"],
                content_hash=r["content_hash"],
                title=r["title"],
                sources=[n for n in json.loads(r["names"]) if n],
                engine=r["engine"],
                model=r["model"],
                status=r["status"],
                reason=r["reason"],
                prompt_tokens=r["prompt_tokens"],
                completion_tokens=r["completion_tokens"],
                cached_tokens=r["cached_tokens"],
                http_attempts=r["http_attempts"],
                model_attempts=r["model_attempts"],
                updated_at=parse_timestamp(r["updated_at"]),
                headline=r["headline"],
                result=json.loads(r["full_result"]) if r["full_result"] else None,
            )
            for r in rows
        ]
