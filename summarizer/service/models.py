"""What the HTTP API takes and returns (its OpenAPI schema), apart from the library's own models.

Summaries and comparisons are answered with exactly the JSON the command line
writes (``summarize --format json``, ``compare --format json``); the models
here describe requests, jobs and the store's listings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from summarizer.comparison.model import ComparisonReport
from summarizer.comparison.schema import QuestionStatus
from summarizer.result import SummaryResult
from summarizer.schema import QuestionKind

__all__ = ["QuestionKind", "QuestionStatus"]

InputKind = Literal["txt", "md", "html", "json"]


class ArticleIn(BaseModel):
    """One article: its text (plain, Markdown, HTML or JSON), or a URL the server may fetch."""

    text: str | None = Field(
        default=None, description="The article. Its first line is the title unless `title` is given."
    )
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(
        default=None,
        pattern=r"^https?://\S+$",
        max_length=4000,
        description="Fetched only if the server allows URLs.",
    )
    format: InputKind | None = Field(default=None, description="How to read `text`; sniffed when not given.")

    @model_validator(mode="after")
    def _one_source(self) -> ArticleIn:
        if (self.text is None) == (self.url is None):
            raise ValueError("give exactly one of `text` and `url`")
        return self


class ComparisonIn(BaseModel):
    """Several outlets' articles on one story (or, with `group`, a mix to group into stories first)."""

    articles: list[ArticleIn] = Field(min_length=2, max_length=50)
    group: bool = False


class SummariesOut(BaseModel):
    """As ``summarizer summarize --format json``: one result per article the input held."""

    format_version: str
    results: list[SummaryResult]
    errors: list[str]


class StoriesOut(BaseModel):
    """As ``summarizer compare --group --format json``."""

    stories: list[ComparisonReport]
    singletons: list[str]


ComparisonOut = ComparisonReport | StoriesOut
"""One story's report, or (``group``) a report per story."""


class JobItem(BaseModel):
    item: str
    status: str
    reason: str | None = None


class JobOut(BaseModel):
    """A batch job: where it stands. ``counts`` are items per status so far."""

    id: str
    status: Literal["queued", "running", "finished", "aborted", "failed"]
    created_at: datetime
    updated_at: datetime
    total: int | None = Field(default=None, description="Items found so far (while it runs).")
    counts: dict[str, int]
    error: str | None = None
    problems: list[JobItem] = Field(default_factory=list, description="Items that failed or were skipped.")
    events: str = Field(description="Where to follow its progress (server-sent events).")


class ArticleOut(BaseModel):
    content_hash: str
    title: str
    words: int
    first_seen: datetime
    sources: list[str]
    headline: str | None
    stories: list[int]
    outlets: list[str] = Field(default_factory=list, description="The outlets its inputs named.")
    authors: list[str] = Field(default_factory=list)
    published: str | None = Field(default=None, description="The earliest date its inputs gave (YYYY-MM-DD).")
    language: str | None = Field(default=None, description="ISO 639-1 code.")


class ArticleDetail(ArticleOut):
    text: str
    summaries: list[SummaryResult]


class QuestionOut(BaseModel):
    """An open question of a stored summary, and what a later comparison found about it."""

    content_hash: str
    title: str
    first_seen: datetime
    question: str
    kind: QuestionKind
    why_open: str
    quote: str
    story_id: int | None = None
    status: QuestionStatus | None = Field(default=None, description="The comparison's verdict, if any.")
    answer: str | None = None
    answered_by: str | None = Field(default=None, description="Content hash of the answering article.")


class StoryOut(BaseModel):
    id: int
    created_at: datetime
    story: str
    articles: int


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    engine: Literal["llm", "offline"]
    jobs_waiting: int
