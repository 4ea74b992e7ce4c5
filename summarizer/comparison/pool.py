"""Shared state of the offline comparator: sources pooled by wire origin, and its thresholds."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.comparison.model import WireGroup
from summarizer.comparison.quantity import quantities
from summarizer.comparison.units import (
    DEFAULT_LANGUAGE,
    SourceUnits,
    TermSpace,
    cosine,
    stem,
)
from summarizer.grounding import normalise
from summarizer.offline.text import wordset

SAME_FACT = 0.30
RELATED = 0.15
SAME_QUESTION = 0.6
UNIQUE_PER_ORIGIN = 5
LIMITS = {"shared_facts": 20, "conflicts": 15, "unique_facts": 30, "framing": 10, "open_questions": 20}
"""The schema's list bounds."""

_PARTIES = (
    *("union", "authority", "agency", "association", "council", "ministry", "government", "police"),
    *("company", "bank", "chamber", "commission", "committee", "board", "department", "court", "clinic"),
    "hospital",
)
"""Words that name the side a speaker speaks for, in order of preference."""
_UNNAMED = re.compile(
    r"^(?:a|an|one|two|three|several|some|other|local)\b|\b(?:familiar with|sources?|people|insiders?)\b",
    re.IGNORECASE,
)
_DENIAL = re.compile(
    r"\b(?:ruled out|rules out|denied|denies|rejected|rejects|dismissed|no plans? to|will not|won't)\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"\b(?:once|until|unless|as soon as|if|when|after|depend\w*)\b|\b(?:not|n't|never)\b[^.;]*?\bbefore\b",
    re.IGNORECASE,
)
"""A condition, not a date: "once …", "until …", "will not sail again before …"."""
_Q_GENERIC = {stem(w) for w in wordset("new take place happen basis figure confirmed known plan next say")}
_SOURCING = {"unattributed_claim", "unsourced_number"}


@dataclass(frozen=True, eq=False)
class Unit:
    """One sentence of one source, filed under its origin."""

    source: str
    origin: str
    text: str
    position: int
    lead: bool


def _q(unit: Unit) -> dict[str, str]:
    return {"source": unit.source, "quote": unit.text}


class Pool:
    """Every source's sentences, pooled per origin, with one TF-IDF space for all of them."""

    def __init__(
        self,
        units: Sequence[SourceUnits],
        wire_groups: Sequence[WireGroup],
        *,
        language: str = DEFAULT_LANGUAGE,
    ) -> None:
        ids = [u.id for u in units]
        self.sources = {u.id: u for u in units}
        self.origin_of: dict[str, str] = {}
        for group in wire_groups:
            present = [m for m in group.members if m in self.sources]
            origin = group.origin if group.origin in present else present[0] if present else ""
            for member in present if len(present) > 1 else []:
                self.origin_of.setdefault(member, origin)
        self.members: dict[str, list[str]] = {}
        for sid in ids:
            self.members.setdefault(self.origin_of.setdefault(sid, sid), []).append(sid)
        self.origins = list(self.members)
        texts = [s for u in units for s in u.sentences] + [q for u in units for q, _, _ in u.questions]
        self.space = TermSpace(texts, language=language)
        self._vectors: dict[str, dict[str, float]] = {}
        self._sims: dict[tuple[str, str], float] = {}
        self._counts: dict[str, dict[str, set[float]]] = {}
        self._outside: dict[str, str] = {}
        self._story: set[str] | None = None
        self.by_origin: dict[str, list[Unit]] = {o: [] for o in self.origins}
        self.units: list[Unit] = []
        for origin in self.origins:
            for sid in sorted(self.members[origin], key=lambda s: s != origin):
                for text in self.sources[sid].sentences:
                    pooled = self.by_origin[origin]
                    if any(
                        normalise(text) == normalise(u.text) or self.tsim(text, u.text) >= 0.9 for u in pooled
                    ):
                        continue
                    unit = Unit(sid, origin, text, len(self.units), not pooled)
                    pooled.append(unit)
                    self.units.append(unit)

    def texts_outside(self, origin: str) -> str:
        """Every other origin's sentences, joined (to see whether they name something)."""
        if origin not in self._outside:
            self._outside[origin] = "\n".join(u.text for u in self.units if u.origin != origin)
        return self._outside[origin]

    def story_terms(self) -> set[str]:
        """Terms the leads of two or more origins share: what the story is about (place, event)."""
        if self._story is None:
            seen: dict[str, int] = {}
            for units in self.by_origin.values():
                for term in self.space.bag(units[0].text) if units else ():
                    seen[term] = seen.get(term, 0) + 1
            self._story = {t for t, n in seen.items() if n >= 2}
        return self._story

    def vector(self, text: str) -> dict[str, float]:
        if text not in self._vectors:
            self._vectors[text] = self.space.vector(text)
        return self._vectors[text]

    def tsim(self, a: str, b: str) -> float:
        key = (a, b) if a <= b else (b, a)
        if key not in self._sims:
            self._sims[key] = cosine(self.vector(a), self.vector(b))
        return self._sims[key]

    def sim(self, a: Unit, b: Unit) -> float:
        return self.tsim(a.text, b.text)

    def counts(self, unit: Unit) -> dict[str, set[float]]:
        """The values a sentence gives per counted thing."""
        if unit.text not in self._counts:
            found: dict[str, set[float]] = {}
            for q in quantities(unit.text):
                found.setdefault(q.key, set()).add(q.value)
            self._counts[unit.text] = found
        return self._counts[unit.text]

    def same_fact(self, a: Unit, b: Unit) -> bool:
        """Close enough (``SAME_FACT``), and no thing both count gets different numbers."""
        if self.sim(a, b) < SAME_FACT:
            return False
        ca, cb = self.counts(a), self.counts(b)
        return not any(not (ca[k] & cb[k]) for k in ca.keys() & cb.keys())

    def statements(self, origin: str) -> list[tuple[str, str, str]]:
        """``(source, speaker, quote)`` of every member of the origin, each passage once."""
        seen: set[str] = set()
        out: list[tuple[str, str, str]] = []
        for sid in self.members[origin]:
            for speaker, quote in self.sources[sid].statements:
                if normalise(quote) not in seen:
                    seen.add(normalise(quote))
                    out.append((sid, speaker, quote))
        return out

    def speaker_of(self, unit: Unit) -> str | None:
        for sid, speaker, quote in self.statements(unit.origin):
            if sid == unit.source and (
                normalise(quote) in normalise(unit.text) or normalise(unit.text) in normalise(quote)
            ):
                return speaker
        return None

    def label(self, origin: str) -> str:
        copies = [m for m in self.members[origin] if m != origin]
        return f"{origin} (republished by {', '.join(copies)})" if copies else origin
