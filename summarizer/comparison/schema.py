"""The cross-source comparison: what the model (or the offline comparator) fills.

Sources are named by short ids (``S1``, ``S2`` …) assigned in input order.
Every ``SourceQuote`` must occur in the article of the source it names: the
validator looks the source up in the active grounding sources
(``summarizer.scope``, by source id) and locates the quote there,
storing offsets. A quote attributed to the wrong source, or to an unknown
id, is a validation error naming both, which instructor re-asks like any
grounding failure. Class docstrings and field descriptions are part of the
prompt: written for the model, short.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field, ValidationInfo, model_validator
from pydantic.json_schema import SkipJsonSchema

from summarizer import scope
from summarizer.grounding import MatchKind

COMPARE_SCHEMA_VERSION = "1"


class SourceQuote(BaseModel):
    """Words copied exactly from one source's article."""

    source: str = Field(description="The source id, e.g. 'S2'.")
    quote: str = Field(description="Exact words from that source's article. No paraphrase, no ellipsis.")
    start: SkipJsonSchema[int | None] = None
    end: SkipJsonSchema[int | None] = None
    match: SkipJsonSchema[MatchKind | None] = None

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> SourceQuote:
        sources = scope.sources(info)
        if sources is None:
            return self
        src = sources.get(self.source)
        if src is None:
            known = ", ".join(sorted(sources))
            raise ValueError(f"unknown source id {self.source!r} (known: {known})")
        found = src.align(self.quote)
        if found is None:
            elsewhere = [sid for sid, other in sorted(sources.items()) if other.locate(self.quote)]
            hint = f"; it occurs in {', '.join(elsewhere)}" if elsewhere else ""
            raise ValueError(f"quote not found in source {self.source}: {self.quote!r}{hint}")
        self.quote, self.start, self.end, self.match = found.text, found.start, found.end, found.kind
        return self


class SharedFact(BaseModel):
    """A fact reported by two or more sources."""

    fact: str = Field(description="The fact in one short sentence.")
    support: list[SourceQuote] = Field(min_length=2, description="One quote per supporting source.")


class ConflictKind(StrEnum):
    number = "number"
    date = "date"
    attribution = "attribution"
    sequence = "sequence"
    characterisation = "characterisation"
    other = "other"


class ConflictSide(BaseModel):
    """One side of a disagreement."""

    claim: str = Field(description="What these sources say, briefly (e.g. '12,000 workers').")
    support: list[SourceQuote] = Field(min_length=1)


class Conflict(BaseModel):
    """A point on which sources contradict each other."""

    about: str = Field(description="The point of disagreement, e.g. 'number of workers on strike'.")
    kind: ConflictKind
    sides: list[ConflictSide] = Field(min_length=2)


class UniqueFact(BaseModel):
    """A fact only one origin reports (a wire copy and its republications count as one origin)."""

    fact: str
    evidence: SourceQuote


class FramingNote(BaseModel):
    """A difference in emphasis, tone, or who is quoted and who is missing."""

    note: str
    evidence: list[SourceQuote] = Field(min_length=1)


class QuestionStatus(StrEnum):
    answered = "answered"
    partly_answered = "partly_answered"
    unattributed_answer = "unattributed_answer"
    contradicted = "contradicted"
    open = "open"


class CrossQuestion(BaseModel):
    """An open question from any source, checked against all the others."""

    question: str
    raised_by: list[str] = Field(min_length=1, description="Ids of the sources that leave it open.")
    raised_in: list[SourceQuote] = Field(min_length=1, description="The passages that raise it.")
    status: QuestionStatus
    answer: SourceQuote | None = Field(
        default=None,
        description="For answered/partly/unattributed/contradicted: the passage that answers it.",
    )
    note: str = Field(default="", description="One sentence on why this status.")

    @model_validator(mode="after")
    def _answer_matches_status(self) -> CrossQuestion:
        if self.status is QuestionStatus.open and self.answer is not None:
            raise ValueError("an open question has no answer; give a status or drop the answer")
        if self.status is not QuestionStatus.open and self.answer is None:
            raise ValueError(f"status {self.status.value} needs the answering quote")
        if self.answer is not None and self.answer.source in self.raised_by:
            raise ValueError("the answer must come from a source other than the ones that raise the question")
        return self


class Comparison(BaseModel):
    """How several outlets' reports of one story agree and differ. Every quote names its source."""

    story: str = Field(description="The story in one neutral sentence.")
    shared_facts: list[SharedFact] = Field(default_factory=list, max_length=20)
    conflicts: list[Conflict] = Field(default_factory=list, max_length=15)
    unique_facts: list[UniqueFact] = Field(default_factory=list, max_length=30)
    framing: list[FramingNote] = Field(default_factory=list, max_length=10)
    open_questions: list[CrossQuestion] = Field(default_factory=list, max_length=20)

    def all_quotes(self) -> list[SourceQuote]:
        quotes: list[SourceQuote] = []
        for fact in self.shared_facts:
            quotes += fact.support
        for conflict in self.conflicts:
            for side in conflict.sides:
                quotes += side.support
        quotes += [u.evidence for u in self.unique_facts]
        for note in self.framing:
            quotes += note.evidence
        for q in self.open_questions:
            quotes += q.raised_in + ([q.answer] if q.answer else [])
        return quotes
