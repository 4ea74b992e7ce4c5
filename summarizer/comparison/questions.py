"""Open questions across sources, for the offline comparator: merge alike ones, find answers elsewhere."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from summarizer.comparison.claims import TIME, gap, undated
from summarizer.comparison.pool import (
    _CONDITION,
    _DENIAL,
    _Q_GENERIC,
    _SOURCING,
    _UNNAMED,
    SAME_FACT,
    SAME_QUESTION,
    Pool,
    Unit,
    _q,
)
from summarizer.comparison.quantity import NUMBER_WORDS, quantities
from summarizer.comparison.senses import sense_stems, senses
from summarizer.comparison.units import stem
from summarizer.grounding import normalise
from summarizer.offline.text import wordset

# --- open questions ----------------------------------------------------------------------------


@dataclass
class _Question:
    question: str
    kind: str
    raised: list[tuple[str, str]]
    """``(source, quote)`` per source that leaves it open."""
    answer: tuple[Unit, str, str] | None = None
    """``(sentence, status, note)``."""


def _questions(pool: Pool) -> tuple[list[dict[str, Any]], set[str]]:
    """Every source's open questions, merged, with the answer another origin gives (if any)."""
    items: list[_Question] = []
    for origin in pool.origins:
        mine: list[_Question] = []
        for sid in pool.members[origin]:
            for question, kind, quote in pool.sources[sid].questions:
                same = next(
                    (
                        q
                        for q in mine
                        if normalise(q.question) == normalise(question)
                        or normalise(q.raised[0][1]) == normalise(quote)
                    ),
                    None,
                )
                if same is None:
                    mine.append(_Question(question, kind, [(sid, quote)]))
                elif sid not in {s for s, _ in same.raised}:
                    same.raised.append((sid, quote))
        items += mine
    for item in items:
        item.answer = _answer(pool, item)
    merged: list[_Question] = []
    for item in items:
        into = next((m for m in merged if _mergeable(pool, m, item)), None)
        if into is None:
            merged.append(item)
            continue
        into.raised += [r for r in item.raised if r[0] not in {s for s, _ in into.raised}]
        into.answer = _answer(pool, into)
    answers = {normalise(m.answer[0].text) for m in merged if m.answer}
    # A question whose raising passage answers another's (e.g. a release's reopening rule) is that answer.
    kept = [
        m
        for m in merged
        if m.answer or m.kind in _SOURCING or not all(normalise(q) in answers for _, q in m.raised)
    ]
    out = []
    for m in kept:
        unit, status, note = m.answer or (None, "open", "No other source answers it.")
        out.append(
            {
                "question": m.question,
                "raised_by": [s for s, _ in m.raised],
                "raised_in": [{"source": s, "quote": q} for s, q in m.raised],
                "status": status,
                "answer": _q(unit) if unit else None,
                "note": note,
            }
        )
    return out, answers


def _mergeable(pool: Pool, a: _Question, b: _Question) -> bool:
    quotes = {normalise(q) for _, q in a.raised + b.raised}
    crossed = any(x.answer and normalise(x.answer[0].text) in quotes for x in (a, b))
    return not crossed and pool.tsim(a.question, b.question) >= SAME_QUESTION


_DURATION = re.compile(
    r"\b(?:\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\s+(?:more\s+)?"
    r"(?:minutes?|hours?|days?|weeks?|months?|years?)\b|\buntil\b|\bby the end of\b",
    re.IGNORECASE,
)
_AMOUNT = re.compile(r"\d|\b(?:million|billion|thousand|hundred)\b", re.IGNORECASE)
_WORK = {
    stem(w)
    for w in wordset("repair repairs replace fix rebuild restore renovate work refurbish mend construct")
}
"""Words for the work a "how long will the repairs take?" asks about: "given ten weeks to replace …"."""


def _same_numbers(a: str, b: str) -> bool:
    """No thing both count gets numbers that cannot both hold ("about 1.8 million crowns" and
    "around 2 million crowns" are two estimates, not one reported twice)."""
    qa, qb = quantities(a), quantities(b)
    return all(x.agrees(y) for x in qa for y in qb if x.key == y.key)


_CLAUSES = re.compile(
    r"\s*[,;:—–]\s*|\s+(?:but|while|whereas)\s+|\s+and\s+(?=(?:said|says|told|added|will|would|is|was|are|"
    r"were|has|had|have|could|can|may|might|then|it|he|she|they|we|its|their)\b)",
    re.IGNORECASE,
)
"""Clause boundaries for answers: punctuation, "but", and an "and" that starts a new predicate ("… met
on Tuesday and said talks would resume"), not one inside a phrase ("clearing the rock and repairing
the track")."""
_WH_WORDS = {"when", "who", "how", "what", "why", "whether", "where", "which"}


def _wh(question: str) -> str:
    words = question.lower().split()
    if words and words[0] not in _WH_WORDS:
        # "Is it known who will pay …?", "Is it clear when …?": the embedded question asks.
        words = next((words[i:] for i, w in enumerate(words[:4]) if w in _WH_WORDS), words)
    if words[:2] in (["how", "long"], ["how", "soon"]):
        return "how long"
    if words[:2] in (["how", "much"], ["how", "many"]):
        return "how much"
    return words[0] if words else ""


def _gives(wh: str, kind: str, clause: str) -> str | None:
    """What the clause gives that this question asks for: 'time', 'condition', or None when it says
    nothing of the kind (a traffic count does not say how long repairs take)."""
    if wh == "how long":
        return "time" if _DURATION.search(clause) else None
    if wh == "how much":
        return "time" if _AMOUNT.search(clause) else None
    if wh == "when" or kind == "timing_unset":
        if TIME.search(undated(clause)):  # "said on Wednesday that … until …" gives no day
            return "time"
        return "condition" if _CONDITION.search(clause) else None
    return "time"


def _answer(pool: Pool, item: _Question) -> tuple[Unit, str, str] | None:
    raising = {pool.origin_of[s] for s, _ in item.raised}
    others = [u for u in pool.units if u.origin not in raising and not gap(u.text)]
    if item.kind in _SOURCING:
        # An unsourced claim is settled when another origin reports the same (the same numbers,
        # not a rival estimate) and says who says so.
        quote = item.raised[0][1]
        near = [u for u in others if pool.tsim(quote, u.text) >= SAME_FACT and _same_numbers(quote, u.text)]
        named = [u for u in near if (who := pool.speaker_of(u)) and not _UNNAMED.search(who)]
        return next(((u, *_attributed(pool, u, "reports it too")) for u in named), None)
    words = pool.space.bag(item.question) - _Q_GENERIC
    if not words:
        return None
    # The question's words, a class counted once for its words ("pay" and "fund" are one thing); an
    # answer must speak of every class the question does.
    asked = senses(item.question, words)
    key = (words - sense_stems()) | asked
    weight = {k: pool.space.idf(k) for k in key - asked}
    weight |= {
        s: max((pool.space.idf(w) for w in words if senses("", {w}) == {s}), default=1.0) for s in asked
    }
    total = sum(weight.values())
    wh = _wh(item.question)
    scored = []
    for u in others:
        bag = _terms(pool, u.text)
        if not asked <= bag:
            continue  # "who will pay for the launch?" / a sentence about the launch that pays nothing
        cover = sum(weight[k] for k in key & bag) / total
        # "How long will the repairs take?" / "… given ten weeks to replace the bearings": the work
        # and a duration, in other words.
        work = (
            wh == "how long" and bool(words & _WORK) and bool(bag & _WORK) and bool(_DURATION.search(u.text))
        )
        if cover > 0.5 or work:
            scored.append((-max(cover, 0.51 if work else 0.0), u.position, u))
    condition: Unit | None = None
    """The first sentence that gives only a condition: a partial answer, if nothing gives a time."""
    for _, _, u in sorted(scored, key=lambda s: s[:2]):
        # Only a clause about what is asked can give it: "The union met on Tuesday and said talks
        # would resume" gives no day for the talks.
        clauses = _asked_in(pool, u.text, key, asked, weight)
        found = {_gives(wh, item.kind, c) for c in clauses}
        given = "time" if "time" in found else "condition" if "condition" in found else None
        if given is None:
            continue  # the sentence shares the words but answers something else
        if given == "condition":
            condition = condition or u
            continue
        if item.kind == "missing_perspective" and pool.speaker_of(u) is None:
            continue
        what = "gives the time" if wh in {"when", "how long"} or item.kind == "timing_unset" else "answers it"
        return (u, *_attributed(pool, u, what))
    if condition is not None:
        # "We will not reopen until it is safe": a condition, no date, and no denial either.
        status, note = _attributed(pool, condition, "gives a condition but no date")
        return condition, "partly_answered" if status == "answered" else status, note
    return None


def _asked_in(pool: Pool, text: str, key: set[str], asked: set[str], weight: dict[str, float]) -> list[str]:
    """The clauses of a sentence that speak of what the question asks: those naming every class it
    asks about ("resume"), else those covering most of its words."""
    parts = [(c, _terms(pool, c)) for c in _CLAUSES.split(text)]
    if asked:
        return [c for c, terms in parts if asked <= terms]
    best = max(sum(weight[k] for k in key & terms) for _, terms in parts)
    return [c for c, terms in parts if sum(weight[k] for k in key & terms) == best]


def _terms(pool: Pool, text: str) -> set[str]:
    """A text's stems and the classes it speaks of ("will foot the bill" -> 'sense:pay')."""
    bag = pool.space.bag(text)
    return bag | senses(text, bag)


def _attributed(pool: Pool, unit: Unit, what: str) -> tuple[str, str]:
    """``(status, note)``: answered, unless the passage denies it or only an unnamed source says so.
    "Will not … until …" sets a condition; it denies nothing."""
    speaker = pool.speaker_of(unit)
    denial = _DENIAL.search(unit.text)
    if denial and not re.search(
        r"\b(?:until|unless|before|till)\b", unit.text[denial.end() :], re.IGNORECASE
    ):
        return "contradicted", f"{unit.source} says otherwise" + (f", citing {speaker}." if speaker else ".")
    if speaker and _UNNAMED.search(speaker):
        return "unattributed_answer", f"Only an unnamed source in {unit.source} ({speaker}) {what}."
    return "answered", f"{unit.source} {what}" + (f", citing {speaker}." if speaker else ".")
