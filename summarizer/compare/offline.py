"""The offline comparator: a ``Comparison`` from per-source units, by rules, without a model.

Owns the deterministic reduce step; it reads ``SourceUnits`` (never the
articles side by side) and must not call a model. A wire group counts as one
*origin*: its members' sentences are pooled under the origin (a member's
extra sentences keep their own source id), so a republication never
confirms its wire copy and no shared fact or conflict side counts it twice.

* story: the lead most like the other origins, weighted by how many outlets
  carry it, with disputed numbers and dates taken out;
* shared facts: sentences of different origins with TF-IDF cosine of at
  least ``SAME_FACT``, one per origin; plus people quoted by several origins;
* conflicts: counts of the same thing that differ ("12,000 dockworkers" vs
  "15,000 port workers": same unit, one value per origin; durations,
  percentages and amounts only between sentences that state the same fact),
  days of the same start or closure, and causes that share no word;
* unique facts: sentences no other origin matches, numbers and names first,
  at most ``UNIQUE_PER_ORIGIN`` per origin;
* framing: who each origin quotes, and a side it mentions but never quotes
  while another origin does;
* open questions: every source's, merged when alike, each checked against
  the other origins' sentences: a sentence covering most of the question's
  rarer words answers it (a "when" question needs a date in that clause,
  or a condition: partly); an unnamed speaker makes it ``unattributed_answer``,
  a denial ``contradicted``. A question whose own passage is the answer to
  another source's question is folded into that one.

Why ``SAME_FACT = 0.30``: on the test corpus, pairs that state one fact
score 0.32 to 0.61 ("offered a 5 percent raise" 0.61, 0.38, 0.32; "a 9
percent raise over two years" 0.58; "publish new test results on Friday"
0.33). Once pairs that give different numbers for the same thing are ruled
out (the union's "9 percent raise" beside the authority's "5 percent
raise", 0.29), pairs that do not state one fact score at most 0.25
("diverting vessels to Brenn" vs "Shares in Brenn Harbour Holdings").
``RELATED = 0.15`` only adds a source to a side of a number conflict when
it states that side's number in a sentence this close ("six bathing sites"
beside "six public beaches", 0.17).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from summarizer.compare.model import WireGroup
from summarizer.compare.schema import Comparison, sources_context
from summarizer.compare.units import (
    CLAUSE,
    TIME,
    EventDate,
    Quantity,
    SourceUnits,
    TermSpace,
    caused_thing,
    causes,
    cosine,
    event_dates,
    gap,
    has_number,
    quantities,
    stem,
)
from summarizer.grounding import Source, normalise
from summarizer.offline.lexicon import ORG_WORDS
from summarizer.offline.text import squash, wordset

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
_CONDITION = re.compile(r"\b(?:once|until|unless|as soon as|if|when|after|depend\w*)\b", re.IGNORECASE)
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

    def __init__(self, units: Sequence[SourceUnits], wire_groups: Sequence[WireGroup]) -> None:
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
        self.space = TermSpace(texts)
        self._vectors: dict[str, dict[str, float]] = {}
        self._sims: dict[tuple[str, str], float] = {}
        self._counts: dict[str, dict[str, set[float]]] = {}
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
        copies = self.members[origin][1:]
        return f"{origin} (republished by {', '.join(copies)})" if copies else origin


def compare_units(units: Sequence[SourceUnits], wire_groups: Sequence[WireGroup]) -> dict[str, Any]:
    """A plain dict in the shape of ``Comparison``; validate it with the sources as context."""
    pool = Pool(units, wire_groups)
    contested = _Contested()
    conflicts = _number_conflicts(pool, contested) + _date_conflicts(pool, contested) + _cause_conflicts(pool)
    shared, matched = _shared_facts(pool, contested.units)
    questions, answers = _questions(pool)
    data = {
        "story": _story(pool, contested.phrases),
        "shared_facts": shared + _shared_speakers(pool),
        "conflicts": conflicts,
        "unique_facts": _unique_facts(pool, matched | contested.units, answers),
        "framing": _framing(pool),
        "open_questions": questions,
    }
    return {k: v[: LIMITS[k]] if isinstance(v, list) else v for k, v in data.items()}


def compare_offline(
    units: Sequence[SourceUnits], wire_groups: Sequence[WireGroup], sources: Mapping[str, Source]
) -> Comparison:
    """``compare_units`` validated: every quote located in its own source, offsets filled."""
    return Comparison.model_validate(compare_units(units, wire_groups), context=sources_context(sources))


# --- facts -------------------------------------------------------------------------------------


def _story(pool: Pool, contested: list[str]) -> str:
    """The lead most like the other origins' sentences, weighted by how many outlets carry it,
    with the disputed numbers and dates taken out ("About 12,000 dockworkers walked off …
    on Monday" -> "Dockworkers walked off …"): the story as most outlets tell it, neutrally."""
    leads = [units[0] for units in pool.by_origin.values() if units]

    def weight(lead: Unit) -> float:
        near = sum(pool.sim(lead, u) for u in pool.units if u.origin != lead.origin)
        return near * len(pool.members[lead.origin])

    best = max(leads, key=lambda u: (weight(u), -u.position), default=None)
    if best is None:
        return ""
    story = squash(best.text)
    for phrase in sorted(set(contested), key=len, reverse=True):
        story = re.sub(rf"\s*(?<!\w){re.escape(phrase)}(?!\w)", "", story).strip(" ,")
    return story[:1].upper() + story[1:]


def _shared_facts(pool: Pool, contested: set[Unit]) -> tuple[list[dict[str, Any]], set[Unit]]:
    usable = [u for u in pool.units if u not in contested and not gap(u.text)]
    used: set[Unit] = set()
    facts: list[dict[str, Any]] = []
    for seed in usable:
        if seed in used:
            continue
        cluster = [seed]
        for origin in pool.origins:
            options = [u for u in usable if u.origin == origin != seed.origin and u not in used]
            options = [u for u in options if pool.same_fact(seed, u)]
            best = max(options, key=lambda u: (pool.sim(seed, u), -u.position), default=None)
            if best is not None:
                cluster.append(best)
        if len(cluster) > 1:
            used.update(cluster)
            fact = min((squash(u.text) for u in cluster), key=len)
            facts.append(
                {"fact": fact, "support": [_q(u) for u in sorted(cluster, key=lambda u: u.position)]}
            )
    return facts, used


def _unique_facts(pool: Pool, taken: set[Unit], answers: set[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for origin in pool.origins:
        others = [u for u in pool.units if u.origin != origin]
        alone = [
            u
            for u in pool.by_origin[origin]
            if u not in taken and not gap(u.text) and all(pool.sim(u, o) < SAME_FACT for o in others)
        ]

        def weight(u: Unit) -> int:
            named = any(w[:1].isupper() for w in u.text.split()[1:])
            return 2 * has_number(u.text) + named + (normalise(u.text) in answers)

        best = sorted(alone, key=lambda u: (-weight(u), u.position))[:UNIQUE_PER_ORIGIN]
        out += [{"fact": squash(u.text), "evidence": _q(u)} for u in sorted(best, key=lambda u: u.position)]
    return out


# --- conflicts ---------------------------------------------------------------------------------


@dataclass
class _Contested:
    """What number and date conflicts dispute: their sentences, and the numbers and dates as written."""

    units: set[Unit] = field(default_factory=set)
    phrases: list[str] = field(default_factory=list)


def _side(claim: str, units: list[Unit]) -> dict[str, Any]:
    return {"claim": claim, "support": [_q(u) for u in units]}


def _number_conflicts(pool: Pool, contested: _Contested) -> list[dict[str, Any]]:
    mentions = [(q, u) for u in pool.units for q in quantities(u.text)]
    keys = {q.key for q, _ in mentions}
    # "dockworker" counts as "worker" when another source says "port workers".
    canon = {
        k: max((t for t in keys if t != k and len(t) >= 5 and k.endswith(t)), key=len, default=k)
        for k in keys
    }
    by_key: dict[str, dict[str, list[tuple[Quantity, Unit]]]] = {}
    for q, u in mentions:
        by_key.setdefault(canon[q.key], {}).setdefault(u.origin, []).append((q, u))
    out: list[dict[str, Any]] = []
    for per_origin in by_key.values():
        values = {o: {q.value for q, _ in ms} for o, ms in per_origin.items()}
        if (
            len(values) < 2
            or any(len(v) > 1 for v in values.values())
            or len(set().union(*values.values())) < 2
        ):
            continue  # one source counting several things with one unit: not comparable
        firsts = [ms[0] for ms in per_origin.values()]
        if firsts[0][0].measure and not any(
            pool.sim(a, b) >= SAME_FACT for qa, a in firsts for qb, b in firsts if qa.value != qb.value
        ):
            continue  # durations, percentages, amounts: only when the sentences state the same fact
        sides: dict[float, list[tuple[Quantity, Unit]]] = {}
        for q, u in firsts:
            sides.setdefault(q.value, []).append((q, u))
        contested.units.update(u for _, u in firsts)
        contested.phrases += [q.text.removesuffix(q.unit).strip() for q, _ in firsts]
        for origin in pool.origins:
            if origin in per_origin or firsts[0][0].measure:
                continue
            for value, side in sides.items():
                near = [
                    u
                    for q, u in mentions
                    if u.origin == origin and q.value == value and pool.sim(u, side[0][1]) >= RELATED
                ]
                if near:
                    side.append((side[0][0], near[0]))
                    break
        out.append(
            {
                "about": _about([q for q, _ in firsts]),
                "kind": "number",
                "sides": [_side(side[0][0].text, [u for _, u in side]) for side in sides.values()],
            }
        )
    return out


def _about(found: list[Quantity]) -> str:
    """'number of workers' (the shortest wording), 'raise (percent)', 'amount (€)', 'days'."""
    unit = min((q.unit for q in found if q.unit), key=len, default="")
    first = found[0]
    if first.key.startswith("percent"):
        return f"{unit} (percent)" if unit else "percentage"
    if first.key.startswith("cur:"):
        return f"amount ({first.key[4:]})"
    return unit if first.measure else f"number of {unit.split()[-1]}"


def _date_conflicts(pool: Pool, contested: _Contested) -> list[dict[str, Any]]:
    events: dict[str, dict[str, tuple[EventDate, Unit]]] = {}
    for u in pool.units:
        for ed in event_dates(u.text):
            events.setdefault(ed.event, {}).setdefault(u.origin, (ed, u))
    out: list[dict[str, Any]] = []
    for event, per_origin in events.items():
        found = list(per_origin.values())
        if not any(a.day != b.day and _same_event(pool, a, ua, b, ub) for a, ua in found for b, ub in found):
            continue
        sides: dict[str, list[tuple[EventDate, Unit]]] = {}
        for ed, u in found:
            sides.setdefault(ed.day, []).append((ed, u))
        contested.units.update(u for _, u in found)
        contested.phrases += [ed.text for ed, _ in found]
        noun = next(
            (m.group(1) for ed, _ in found if (m := re.search(rf"\bthe (\w+) {event}", ed.clause))), None
        )
        out.append(
            {
                "about": f"when the {noun} {event}" if noun else f"when it {event}",
                "kind": "date",
                "sides": [_side(side[0][0].text, [u for _, u in side]) for side in sides.values()],
            }
        )
    return out


def _same_event(pool: Pool, a: EventDate, ua: Unit, b: EventDate, ub: Unit) -> bool:
    """Both are their outlet's lead sentence (news opens with the main event), or the two clauses
    share a word besides the verbs and dates ("the strike began …" / "… after the strike began")."""
    said = pool.space.bag(f"{a.verb} {a.text} {b.verb} {b.text}")
    return (ua.lead and ub.lead) or bool((pool.space.bag(a.clause) & pool.space.bag(b.clause)) - said)


def _cause_conflicts(pool: Pool) -> list[dict[str, Any]]:
    """Causes no two of which share a word: "fertilizer running off farmland" vs "sewage overflows"."""
    generic = {stem(w) for w in wordset("likely cause most more nearby town")}
    sides: list[tuple[set[str], str, list[Unit]]] = []
    for u in pool.units:
        for cause in causes(u.text):
            words = pool.space.bag(cause) - generic
            side = next((s for s in sides if s[0] & words), None)
            if side is None:
                sides.append((words, cause, [u]))
            elif u not in side[2]:
                side[0].update(words)
                side[2].append(u)
    if len(sides) < 2 or len({u.origin for s in sides for u in s[2]}) < 2:
        return []
    thing = next((t for s in sides for u in s[2] if (t := caused_thing(u.text))), None)
    return [
        {
            "about": f"cause of the {thing}" if thing else "the cause",
            "kind": "other",
            "sides": [_side(" ".join(cause.split()[:10]), units) for _, cause, units in sides],
        }
    ]


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


# --- voices ------------------------------------------------------------------------------------


def _party(speaker: str, quote: str) -> str | None:
    """The side a speaker speaks for: "union chair Rosa Almeida" -> 'union'; None for a private person."""
    at = quote.find(speaker)
    context = (
        speaker
        if at < 0
        else " ".join(quote[:at].split()[-3:]) + " " + speaker + quote[at + len(speaker) :][:60]
    )
    words = set(re.findall(r"[a-z]+", context.lower()))
    return next((p for p in _PARTIES if p in words), None)


def _person(speaker: str) -> bool:
    words = speaker.split()
    return (
        len(words) >= 2 and all(w[:1].isupper() for w in words) and not {w.lower() for w in words} & ORG_WORDS
    )


def _shared_speakers(pool: Pool) -> list[dict[str, Any]]:
    """People quoted by two or more origins: "Rosa Almeida (union chair) is quoted"."""
    seen: dict[str, dict[str, tuple[str, str]]] = {}
    for origin in pool.origins:
        for sid, speaker, quote in pool.statements(origin):
            if _person(speaker):
                seen.setdefault(speaker, {}).setdefault(origin, (sid, quote))
    facts = []
    for speaker, per_origin in seen.items():
        if len(per_origin) < 2:
            continue
        roles = [
            m.group(1)
            for _, q in per_origin.values()
            if (m := re.search(rf"\b([a-z]+ [a-z]+) {re.escape(speaker)}", q))
        ]
        fact = f"{speaker} ({roles[0]}) is quoted." if roles else f"{speaker} is quoted."
        facts.append({"fact": fact, "support": [{"source": s, "quote": q} for s, q in per_origin.values()]})
    return facts


def _framing(pool: Pool) -> list[dict[str, Any]]:
    parties = {o: {p for _, sp, q in pool.statements(o) if (p := _party(sp, q))} for o in pool.origins}
    notes: list[dict[str, Any]] = []
    for origin in pool.origins:
        said = pool.statements(origin)
        if not said:
            if pool.by_origin[origin]:
                first = pool.by_origin[origin][0]
                notes.append(
                    {
                        "note": f"{pool.label(origin)} quotes no one; it speaks in its own voice.",
                        "evidence": [_q(first)],
                    }
                )
            continue
        speakers = list(dict.fromkeys(sp for _, sp, _ in said))
        unnamed = sum(bool(_UNNAMED.search(sp)) for sp in speakers)
        tail = f" ({unnamed} of {len(speakers)} unnamed)" if unnamed else ""
        evidence: dict[str, dict[str, str]] = {}
        for s, sp, q in said:
            evidence.setdefault(sp, {"source": s, "quote": q})
        notes.append(
            {
                "note": f"{pool.label(origin)} quotes {', '.join(speakers)}{tail}.",
                "evidence": list(evidence.values())[:3],
            }
        )
        for party in sorted(set().union(*parties.values()) - parties[origin]):
            quoted_by = [o for o in pool.origins if party in parties[o]]
            mention = next(
                (u for u in pool.by_origin[origin] if re.search(rf"\b{party}\b", u.text, re.I)), None
            )
            if mention is not None:
                notes.append(
                    {
                        "note": f"{pool.label(origin)} mentions the {party} but quotes no {party} voice; "
                        f"{', '.join(quoted_by)} {'does' if len(quoted_by) == 1 else 'do'}.",
                        "evidence": [_q(mention)],
                    }
                )
    return notes
