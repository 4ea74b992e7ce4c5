"""The comparison report around the model-facing ``Comparison``: sources, wire groups, provenance."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from summarizer.comparison.schema import Comparison
from summarizer.result import Engine, Usage


class SourceInfo(BaseModel):
    """One input article of a comparison."""

    id: str = Field(description="S1, S2 … in input order")
    path: str
    outlet: str | None = None
    """The publisher of this text: the page's or feed's site name, a byline's or label's outlet;
    a republication is shown under its own name, not its agency's."""
    author: str | None = None
    """The article's author field (for agency copy: the agency it credits)."""
    title: str
    date: str | None = None
    """Publication date, ``YYYY-MM-DD``, when the input says."""
    language: str | None = None
    """ISO 639-1 code of the article's language (declared or guessed)."""
    words: int
    content_hash: str
    wire_group: int | None = None
    """Index into ``ComparisonReport.wire_groups`` when this text is a copy of another."""
    text: str = Field(default="", exclude=True)
    """The cleaned article text every quote of this source is checked against (HTML links need it).
    Not written to JSON: it may hold planted instructions, and the source file has it anyway."""
    withheld: list[tuple[int, int]] = Field(default_factory=list)
    """Spans of ``text`` that address an AI model (possible prompt injection): never shown."""


class WireGroup(BaseModel):
    """Near-identical texts: one origin republished by several outlets (counts as one confirmation)."""

    origin: str = Field(
        description="Source id treated as the origin: the copy the others credit, else the fuller text."
    )
    members: list[str] = Field(min_length=2)
    similarity: float = Field(ge=0, le=1, description="Lowest pairwise similarity inside the group.")


class CompareProvenance(BaseModel):
    engine: Engine
    model: str | None = None
    endpoint: str | None = None
    prompt_name: str | None = None
    prompt_hash: str | None = None
    schema_version: str
    summary_calls: int = 0
    """Model calls spent summarizing sources (0 when every summary came from the store)."""
    compare_calls: int = 0
    usage: Usage = Field(default_factory=Usage)
    started_at: datetime
    finished_at: datetime


class ComparisonReport(BaseModel):
    sources: list[SourceInfo]
    wire_groups: list[WireGroup] = Field(default_factory=list)
    comparison: Comparison
    provenance: CompareProvenance
    notes: list[str] = Field(default_factory=list)
    """What the comparison could not do and the reader should know (sources in several languages
    under the offline comparator)."""


class StoryGroups(BaseModel):
    """A mixed folder grouped into stories; singletons are listed, not compared."""

    groups: list[list[str]]
    """Paths per story (two or more articles each)."""
    singletons: list[str]
