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

from summarizer import scope
from summarizer.article import Article
from summarizer.compare.model import SourceInfo, WireGroup
from summarizer.compare.pool import (
    LIMITS,
    RELATED,
    SAME_FACT,
    UNIQUE_PER_ORIGIN,
    Pool,
    Unit,
    _q,
)
from summarizer.compare.questions import _questions
from summarizer.compare.schema import Comparison
from summarizer.compare.units import (
    EventDate,
    Quantity,
    SourceUnits,
    caused_thing,
    causes,
    event_dates,
    gap,
    has_number,
    quantities,
    stem,
    units_from_article,
)
from summarizer.compare.voices import _framing, _shared_speakers
from summarizer.engines import ComparatorAnswer, ComparatorInfo
from summarizer.grounding import Source, normalise
from summarizer.offline.text import squash, wordset
from summarizer.result import Usage
from summarizer.schema import ArticleSummary


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


class OfflineComparator:
    """The deterministic comparator: every sentence of each article plus its summary's questions."""

    info = ComparatorInfo("offline")

    async def compare(
        self,
        sources: Sequence[SourceInfo],
        summaries: Sequence[ArticleSummary],
        wire_groups: Sequence[WireGroup],
    ) -> ComparatorAnswer:
        units = [
            units_from_article(s.id, Article(s.path, 0, s.title, s.text), summary)
            for s, summary in zip(sources, summaries, strict=True)
        ]
        comparison = compare_offline(units, wire_groups, {s.id: Source(s.text) for s in sources})
        return ComparatorAnswer(comparison, Usage(), 1)

    async def aclose(self) -> None:
        return None


def compare_offline(
    units: Sequence[SourceUnits], wire_groups: Sequence[WireGroup], sources: Mapping[str, Source]
) -> Comparison:
    """``compare_units`` validated: every quote located in its own source, offsets filled."""
    return Comparison.model_validate(compare_units(units, wire_groups), context=scope.context(sources))


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
    # "dockworker" counts as "worker" when another source says "port workers" (on the words: the
    # stems "dockwork" and "worker" do not end alike).
    key_of = {q.form: q.key for q, _ in mentions if q.form}
    tail = {
        f: max((t for t in key_of if t != f and len(t) >= 5 and f.endswith(t)), key=len, default=f)
        for f in key_of
    }
    by_key: dict[str, dict[str, list[tuple[Quantity, Unit]]]] = {}
    for q, u in mentions:
        key = key_of[tail[q.form]] if q.form else q.key
        by_key.setdefault(key, {}).setdefault(u.origin, []).append((q, u))
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
