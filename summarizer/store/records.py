"""Plain records the store hands back, and its statuses (its run-time error is ``errors.StoreError``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol, get_args

from summarizer.result import SummaryResult, Usage

Status = Literal["ok", "degraded", "failed", "skipped"]
STATUSES: tuple[str, ...] = get_args(Status)
HIT_STATUSES = ("ok", "degraded")
"""Statuses whose stored result is served instead of calling the model."""


class TokenCounts(Protocol):
    """``Usage`` or ``errors.UsageSoFar``: anything with the three counters."""

    @property
    def prompt_tokens(self) -> int: ...
    @property
    def completion_tokens(self) -> int: ...
    @property
    def cached_tokens(self) -> int: ...


@dataclass(frozen=True)
class Stored:
    """What the store holds for one cache key."""

    key: str
    status: Status
    reason: str | None
    result: SummaryResult | None
    """Set for ``ok`` and ``degraded``; ``None`` otherwise."""
    usage: Usage
    http_attempts: int
    model_attempts: int
    updated_at: datetime

    @property
    def hit(self) -> bool:
        """True when the stored result can be served without calling the model."""
        return self.status in HIT_STATUSES and self.result is not None


@dataclass(frozen=True)
class StoredText:
    """``Store.peek``: what is stored for one cache key, the result as its stored JSON text."""

    key: str
    status: Status
    reason: str | None
    result_json: str | None

    @property
    def hit(self) -> bool:
        return self.status in HIT_STATUSES and self.result_json is not None


@dataclass(frozen=True)
class RunItem:
    """One input item's outcome in one run."""

    run_id: int
    source: str
    index: int
    key: str | None
    status: str
    reason: str | None
    cached: bool
    recorded_at: datetime


@dataclass(frozen=True)
class Run:
    id: int
    started_at: datetime
    finished_at: datetime | None
    params: dict[str, Any]
    counts: dict[str, int] | None
    status: str


@dataclass(frozen=True)
class Job:
    """A service batch job (``store.jobs``)."""

    id: str
    created_at: datetime
    updated_at: datetime
    status: str
    spec: dict[str, Any]
    run_id: int | None
    counts: dict[str, int] | None
    error: str | None


@dataclass(frozen=True)
class ArticleRow:
    """A stored article with its newest usable summary's headline (``Store.articles``)."""

    content_hash: str
    title: str
    words: int
    first_seen: datetime
    sources: list[str]
    headline: str | None
    cache_key: str | None
    stories: list[int]
    outlets: list[str] = field(default_factory=list)
    """The outlets its inputs named (a page's site name, a feed's, a byline's agency)."""
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    """The earliest publication date its inputs gave, ``YYYY-MM-DD``."""
    language: str | None = None


@dataclass(frozen=True)
class QuestionRow:
    """One open question of a stored summary, with what a comparison found about it (``Store.questions``)."""

    cache_key: str
    content_hash: str
    title: str
    first_seen: datetime
    question: str
    kind: str
    why_open: str
    quote: str
    story_id: int | None = None
    status: str | None = None
    """The comparison's verdict (answered, partly_answered, contradicted …) when the article is in a story."""
    answer: str | None = None
    answered_by: str | None = None
    """Content hash of the article whose passage answers it."""


@dataclass(frozen=True)
class LogRow:
    """One stored summary (or stored failure) with its article and what it cost (``Store.logs``)."""

    cache_key: str
    content_hash: str
    title: str
    sources: list[str]
    engine: str
    model: str | None
    status: str
    reason: str | None
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int
    http_attempts: int
    model_attempts: int
    updated_at: datetime
    headline: str | None
    result: dict[str, Any] | None
    """The stored result (``SummaryResult`` as JSON), when asked for."""
