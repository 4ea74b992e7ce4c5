"""Cache keys: what makes two summarization requests the same request.

A key is the SHA-256 of the article's content hash and every setting that
changes the answer the summary would get: engine, model, prompt hash and
schema version. ``None`` and ``""`` are the same for model and prompt hash
(the offline engine has neither), so callers cannot split the cache by
spelling "no model" two ways. Pure: no I/O.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass

from summarizer.result import SummaryResult


def cache_key(
    content_hash: str, engine: str, model: str | None, prompt_hash: str | None, schema_version: str
) -> str:
    """The cache key for one article summarized one way; 64 hex characters."""
    # A JSON array is unambiguous where a joined string is not ("a|b" + "c" vs "a" + "b|c").
    parts = [content_hash, engine, model or "", prompt_hash or "", schema_version]
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class KeyParts:
    """The request a cache key stands for; stored beside the key so rows are readable."""

    content_hash: str
    engine: str
    model: str | None
    prompt_hash: str | None
    schema_version: str

    @functools.cached_property
    def key(self) -> str:
        return cache_key(self.content_hash, self.engine, self.model, self.prompt_hash, self.schema_version)

    @classmethod
    def of(cls, result: SummaryResult) -> KeyParts:
        """The request a result answers, read from its provenance.

        For a degraded result (the LLM failed, the offline engine answered)
        this is the offline request, not the LLM request the caller made.
        """
        p = result.provenance
        return cls(result.content_hash, p.engine, p.model, p.prompt_hash, p.schema_version)
