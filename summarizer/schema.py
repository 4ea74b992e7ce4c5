"""The structured summary the model fills, and the checks that ground it.

Class docstrings and field descriptions are sent to the model as part of the
JSON schema, so they are written for it: short and direct.

Grounding: every ``Evidence.quote`` must occur in the article the active
grounding scope names (``summarizer.scope``); names of entities and speakers
must occur too. A failure raises a validation error that names the bad
quote, which instructor sends back to the model as a re-ask.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from summarizer import scope
from summarizer.grounding import MatchKind

SCHEMA_VERSION = "1"


class Evidence(BaseModel):
    """A passage copied word for word from the article."""

    quote: str = Field(
        description=(
            "Exact words from the article, copied verbatim (a clause or one sentence). "
            "No paraphrase, no ellipsis, no added words."
        )
    )
    start: SkipJsonSchema[int | None] = None
    end: SkipJsonSchema[int | None] = None
    match: SkipJsonSchema[MatchKind | None] = None

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Evidence:
        source = scope.article(info)
        if source is None:
            return self
        found = source.align(self.quote)
        if found is None:
            raise ValueError(
                f"quote not found in the article: {self.quote!r}. "
                "Copy the words exactly as they appear in the article."
            )
        # The article's own words for the span, whatever the model sent: nothing shown is the model's.
        self.quote, self.start, self.end, self.match = found.text, found.start, found.end, found.kind
        return self


EvidenceList = list[Evidence]


class KeyPoint(BaseModel):
    """One important fact the article reports."""

    point: str = Field(description="The fact in one short sentence, in your words.")
    evidence: EvidenceList = Field(min_length=1, description="Quotes that state this fact.")


class EntityKind(StrEnum):
    person = "person"
    organization = "organization"
    place = "place"
    other = "other"


class Entity(BaseModel):
    """A person, organisation or place that matters to the story."""

    name: str = Field(description="The name as written in the article.")
    kind: EntityKind
    role: str = Field(description="Its role in this story, a few words.")

    @field_validator("name")
    @classmethod
    def _named_in_article(cls, name: str, info: ValidationInfo) -> str:
        source = scope.article(info)
        if source is not None and not source.contains_name(name):
            raise ValueError(f"entity {name!r} does not occur in the article")
        return name


class Statement(BaseModel):
    """Something a named or unnamed source said, as the article attributes it."""

    speaker: str = Field(
        description=(
            "Who said it, as the article names or describes them (e.g. 'a person familiar with the matter')."
        )
    )
    claim: str = Field(description="What they said, in one short sentence.")
    direct: bool = Field(description="True if the article quotes their words directly.")
    evidence: EvidenceList = Field(
        min_length=1, description="The passage with the statement and its attribution."
    )

    @field_validator("speaker")
    @classmethod
    def _speaker_in_article(cls, speaker: str, info: ValidationInfo) -> str:
        source = scope.article(info)
        if source is not None and not source.contains_name(speaker):
            raise ValueError(f"speaker {speaker!r} does not occur in the article; use the article's words")
        return speaker


class DateMention(BaseModel):
    """A date or time the story refers to."""

    when: str = Field(description="The date or time as written, e.g. 'on Tuesday', 'in June'.")
    event: str = Field(description="What happened or will happen then.")
    evidence: EvidenceList = Field(min_length=1)


class QuestionKind(StrEnum):
    timing_unset = "timing_unset"
    decision_pending = "decision_pending"
    unattributed_claim = "unattributed_claim"
    unsourced_number = "unsourced_number"
    missing_perspective = "missing_perspective"
    unclear_cause = "unclear_cause"
    outcome_unknown = "outcome_unknown"
    other = "other"


class OpenQuestion(BaseModel):
    """Something the article leaves unresolved."""

    question: str = Field(description="The unresolved point as a question.")
    kind: QuestionKind
    why_open: str = Field(description="Why the article does not settle it, one sentence.")
    evidence: EvidenceList = Field(min_length=1, description="The passage that raises it.")


class ArticleSummary(BaseModel):
    """A grounded summary of one news article. Every quote must be copied exactly from the article."""

    headline: str = Field(description="A neutral headline, at most 15 words.")
    gist: str = Field(description="The story in one sentence.")
    summary: str = Field(description="A short paragraph, 2-4 sentences.")
    key_points: list[KeyPoint] = Field(min_length=1, max_length=12)
    entities: list[Entity] = Field(default_factory=list, max_length=30)
    statements: list[Statement] = Field(default_factory=list, max_length=20)
    dates: list[DateMention] = Field(default_factory=list, max_length=20)
    open_questions: list[OpenQuestion] = Field(
        default_factory=list,
        max_length=12,
        description=(
            "What the article leaves unresolved: unset timing, pending decisions, "
            "unattributed claims, unsourced numbers, missing sides."
        ),
    )

    def all_evidence(self) -> list[Evidence]:
        """Every evidence quote in the summary, in document order of the fields."""
        items: list[Evidence] = []
        for group in (self.key_points, self.statements, self.dates, self.open_questions):
            for item in group:
                items.extend(item.evidence)
        return items
