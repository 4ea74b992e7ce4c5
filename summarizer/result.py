"""What a summarization returns: the summary plus where it came from."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from summarizer.attempts import AttemptLog
from summarizer.schema import ArticleSummary

Engine = Literal["llm", "offline"]


class Usage(BaseModel):
    """Tokens billed for one article, summed over every attempt (re-asks included)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0

    @classmethod
    def spent(cls, attempts: AttemptLog) -> Usage:
        """What the model layer's attempts cost, re-asks and failed tries included."""
        counted = attempts.usage
        return cls(
            prompt_tokens=counted.prompt_tokens,
            completion_tokens=counted.completion_tokens,
            cached_tokens=counted.cached_tokens,
        )

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
        )


class Provenance(BaseModel):
    """How a summary was produced."""

    engine: Engine
    model: str | None = None
    endpoint: str | None = Field(default=None, description="Host of the model endpoint; never a key.")
    mode: str | None = None
    prompt_name: str | None = None
    prompt_version: str | None = None
    prompt_hash: str | None = None
    schema_version: str
    model_attempts: int = Field(default=0, description="Model answers requested, re-asks included.")
    http_attempts: int = Field(default=0, description="HTTP requests sent, transport retries included.")
    usage: Usage = Field(default_factory=Usage)
    started_at: datetime
    finished_at: datetime
    degraded: bool = False
    degraded_reason: str | None = None
    notes: list[str] = Field(
        default_factory=list,
        description="What the engine could not do for this article (the offline rules read English only).",
    )
    chunks: int | None = Field(
        default=None,
        description="Set when the article was over the per-request budget: the parts it was summarized in.",
    )
    batch_id: str | None = Field(
        default=None, description="The provider batch that answered (--via provider-batch)."
    )


class SummaryResult(BaseModel):
    """One article's summary with its provenance."""

    source: str
    index: int
    title: str
    content_hash: str
    words: int
    summary: ArticleSummary
    provenance: Provenance
