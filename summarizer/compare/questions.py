"""Open questions across sources, for the offline comparator: merge alike ones, find answers elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summarizer.compare.pool import (
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
from summarizer.compare.units import (
    CLAUSE,
    TIME,
    gap,
)
from summarizer.grounding import normalise

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


def _answer(pool: Pool, item: _Question) -> tuple[Unit, str, str] | None:
    raising = {pool.origin_of[s] for s, _ in item.raised}
    others = [u for u in pool.units if u.origin not in raising and not gap(u.text)]
    if item.kind in _SOURCING:
        # An unsourced claim is settled when another origin reports it with a named source.
        quote = item.raised[0][1]
        near = [u for u in others if pool.tsim(quote, u.text) >= SAME_FACT]
        return next(((u, *_attributed(pool, u, "reports it too")) for u in near), None)
    key = pool.space.bag(item.question) - _Q_GENERIC
    if not key:
        return None
    weight = {k: pool.space.idf(k) for k in key}
    total = sum(weight.values())
    scored = []
    for u in others:
        cover = sum(weight[k] for k in key & pool.space.bag(u.text)) / total
        if cover > 0.5:
            scored.append((-cover, u.position, u))
    for _, _, u in sorted(scored, key=lambda s: s[:2]):
        if item.kind == "timing_unset":
            clause = max(CLAUSE.split(u.text), key=lambda c: sum(weight[k] for k in key & pool.space.bag(c)))
            if TIME.search(clause):
                return (u, *_attributed(pool, u, "gives the time"))
            if _CONDITION.search(clause):
                unit, status, note = u, *_attributed(pool, u, "gives a condition but no date")
                return unit, "partly_answered" if status == "answered" else status, note
            continue
        if item.kind == "missing_perspective" and pool.speaker_of(u) is None:
            continue
        return (u, *_attributed(pool, u, "answers it"))
    return None


def _attributed(pool: Pool, unit: Unit, what: str) -> tuple[str, str]:
    """``(status, note)``: answered, unless the passage denies it or only an unnamed source says so."""
    speaker = pool.speaker_of(unit)
    if _DENIAL.search(unit.text):
        return "contradicted", f"{unit.source} says otherwise" + (f", citing {speaker}." if speaker else ".")
    if speaker and _UNNAMED.search(speaker):
        return "unattributed_answer", f"Only an unnamed source in {unit.source} ({speaker}) {what}."
    return "answered", f"{unit.source} {what}" + (f", citing {speaker}." if speaker else ".")
