"""Plain records the store hands back, and its statuses (its run-time error is ``errors.StoreError``)."""

from __future__ import annotations

from dataclasses import dataclass
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
