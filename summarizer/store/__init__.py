"""The batch store: one SQLite file that makes re-runs free and crashes harmless.

Owns the database file and everything in it: the schema and its migrations
(``migrations``), cache keys (``keys``), the ``Store`` class (``db``) and the
records it returns (``records``).
It must not summarize, ingest or render: the batch runner asks it "what is
stored for this key?" and tells it what happened; the runner decides what
to do with a failed or missing entry.

The default file is ``default_db_path()`` (the user's data folder); the CLI's
``--db`` chooses another. Any ``sqlite3`` shell can read it: plain column
names, JSON as TEXT, timestamps as ISO-8601 UTC text (``…Z``)::

    articles                   sources                            summaries (the cache)
    ─────────────────────      ─────────────────────────────      ─────────────────────────────────
    content_hash  PK  ◄─────── content_hash                       cache_key  PK
    title                      source         ┐                   content_hash  ──► articles
    text  (cleaned)            article_index  ├ PK                engine, model, prompt_hash,
    words                      content_hash   ┘                   schema_version  (the key's parts)
    first_seen                 run_id       ──► runs (first seen) status  ok|degraded|failed|skipped
                               last_run_id  ──► runs (last seen)  reason
                                 (both NULL outside a batch run:
                                 service summaries, comparisons)
                               site_name, author, published,      result  JSON, ok/degraded only
                               language  (what the input said)
                                                                  prompt_tokens, completion_tokens,
                                                                  cached_tokens
                                                                  http_attempts, model_attempts
                                                                  created_at, updated_at

    runs                                   run_items (one row per input item per run)
    ───────────────────────────────        ──────────────────────────────────────────────
    id  PK  ◄───────────────────────────── run_id         ┐
    started_at, finished_at                source         ├ PK
    params  JSON (the command's options)   article_index  ┘
    counts  JSON (items per status)        cache_key      NULL if no article; no FK
    status  running|finished|aborted|      status  ok|degraded|failed|skipped
            interrupted (killed, Ctrl-C)   reason
    pid, host  (the process running it)    from_cache  0/1: served from the store
                                           recorded_at

Also: ``ingests`` (a file's raw-bytes hash and ingest version → its articles'
content hashes and metadata, so a re-run does not clean an unchanged file again), ``jobs``
(service batches), ``stories`` + ``story_articles`` (comparisons), and the
views ``open_questions``, ``key_points``, ``entities`` (README: "Querying
the store with sqlite3").

The same text under two file names is one ``articles`` row, two ``sources``
rows and, summarized the same way, one ``summaries`` row. Only ``ok`` and
``degraded`` rows are cache hits; a ``failed`` row is returned as such, for
the runner to report or, with ``--retry-failed``, to retry.

Example::

    SELECT a.title, s.status, s.model, json_extract(s.result, '$.summary.headline')
    FROM summaries s JOIN articles a USING (content_hash);
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from summarizer.errors import StoreError
from summarizer.store.db import Store
from summarizer.store.keys import KeyParts, cache_key
from summarizer.store.migrations import MIGRATIONS
from summarizer.store.records import HIT_STATUSES, STATUSES, Run, RunItem, Status, Stored


def default_db_path() -> Path:
    """``summarizer.db`` in the user's data folder (e.g. ``~/.local/share/summarizer``); not created."""
    from platformdirs import user_data_path

    return user_data_path("summarizer") / "summarizer.db"


if TYPE_CHECKING:
    DEFAULT_DB_PATH: Path
else:

    def __getattr__(name: str) -> Path:
        # Computed on first use, not at import: the data folder depends on the environment.
        if name == "DEFAULT_DB_PATH":
            return default_db_path()
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_DB_PATH",
    "HIT_STATUSES",
    "MIGRATIONS",
    "STATUSES",
    "KeyParts",
    "Run",
    "RunItem",
    "Status",
    "Store",
    "StoreError",
    "Stored",
    "cache_key",
    "default_db_path",
]
