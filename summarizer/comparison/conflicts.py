"""Conflicts for the offline comparator: numbers, days and causes that outlets give differently.

Numbers: mentions of one counted thing (a noun's stem or its class:
"vehicles" = "cars"; a measure with what it measures: "tonnes of barley")
are lined up across origins; a figure reported as superseded or in a
sentence about a place no other origin names is left out. Each origin is
represented by the mention that agrees with another origin if one does,
else by the one most like the other origins' mentions; the representatives
are grouped into sides of mutually compatible values (a hedge's range
counts; rates are compared per day). Two or more sides make a conflict
only between mentions that can be one count (``_same_thing``: scopes that
fit, and a rate, two leads, one fact or a telling word shared), and not
for a total beside a part ("14 of the 38 posts"), a measure whose
sentences do not state the same fact or that one origin gives several
values of, or a noun an origin counts several things with, unless related.

Days: the day given for one event (a start, a closure, a change "from
Monday"), in two origins' leads or in clauses that share a word, grouped by
what closes or starts; the same days in the same sentences under two events
are one conflict. Causes: causes no two of which share a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from summarizer.comparison.claims import EventDate, caused_thing, causes, event_dates
from summarizer.comparison.pool import RELATED, SAME_FACT, Pool, Unit, _q
from summarizer.comparison.qualifiers import compatible
from summarizer.comparison.quantity import Quantity, quantities
from summarizer.comparison.units import stem
from summarizer.offline.text import wordset


@dataclass
class Contested:
    """What number and date conflicts dispute: their sentences, and the numbers and dates as written."""

    units: set[Unit] = field(default_factory=set)
    phrases: list[str] = field(default_factory=list)


def _side(claim: str, units: list[Unit]) -> dict[str, Any]:
    return {"claim": claim, "support": [_q(u) for u in units]}


Mention = tuple[Quantity, Unit]


def _mentions_by_key(pool: Pool) -> dict[str, dict[str, list[Mention]]]:
    """Counts per counted thing and origin; a figure its outlet reports as superseded, or one in a
    sentence about a place no other origin names ("at Tolham, where 30 firefighters …"), is left out."""
    mentions = [
        (q, u)
        for u in pool.units
        if not _elsewhere(pool, u)
        for q in quantities(u.text)
        if not q.scope.superseded
    ]
    # "dockworker" counts as "worker" when another source says "port workers" (on the words: the
    # stems "dockwork" and "worker" do not end alike).
    key_of = {q.form: q.key.removesuffix("/total") for q, _ in mentions if q.form}
    tail = {
        f: max((t for t in key_of if t != f and len(t) >= 5 and f.endswith(t)), key=len, default=f)
        for f in key_of
    }
    by_key: dict[str, dict[str, list[Mention]]] = {}
    for q, u in mentions:
        key = key_of[tail[q.form]] + ("/total" if q.key.endswith("/total") else "") if q.form else q.key
        by_key.setdefault(key, {}).setdefault(u.origin, []).append((q, u))
    return by_key


def _representative(pool: Pool, origin: str, per_origin: dict[str, list[Mention]]) -> tuple[Mention, bool]:
    """The origin's mention to compare, and whether it is unambiguous (the origin gives one value)."""
    mine = per_origin[origin]
    others = [m for o, ms in per_origin.items() if o != origin for m in ms]

    def score(m: Mention) -> tuple[bool, float, int]:
        agrees = any(m[0].agrees(o[0]) and compatible(m[0].scope, o[0].scope) for o in others)
        return agrees, max((pool.sim(m[1], o[1]) for o in others), default=0.0), -m[1].position

    best = max(mine, key=score)
    return best, len({q.value for q, _ in mine}) == 1


def number_conflicts(pool: Pool, contested: Contested) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for key, per_origin in _mentions_by_key(pool).items():
        if len(per_origin) < 2 or key.endswith("/total"):
            continue
        reps = {o: _representative(pool, o, per_origin) for o in per_origin}
        firsts = [m for m, _ in reps.values()]
        sides: list[list[Mention]] = []
        for q, u in firsts:
            side = next((s for s in sides if all(q.agrees(o) for o, _ in s)), None)
            if side is None:
                sides.append([(q, u)])
            else:
                side.append((q, u))
        if len(sides) < 2:
            continue
        across = [(a, b) for i, s in enumerate(sides) for a in s for t in sides[i + 1 :] for b in t]
        across = [(a, b) for a, b in across if _same_thing(pool, a, b)]
        kept = [s for s in sides if any(a in s or b in s for a, b in across)]
        if len(kept) < 2:
            continue  # different numbers, but of different things: a day's count and a total …
        sides, firsts = kept, [m for s in kept for m in s]
        measure = firsts[0][0].measure
        ambiguous = not all(single for _, single in reps.values())
        if measure and ambiguous:
            continue  # a source giving several percentages or amounts: which one is which is a guess
        need = SAME_FACT if measure else RELATED if ambiguous else 0.0
        if need and not any(pool.sim(a[1], b[1]) >= need for a, b in across):
            continue  # durations, amounts, or a noun counting several things: only the same fact
        contested.units.update(u for _, u in firsts)
        contested.phrases += [q.text.removesuffix(q.unit).strip() for q, _ in firsts]
        if not measure:
            _add_unkeyed_origins(pool, per_origin, sides)
        out.append(
            {
                "about": _about([q for q, _ in firsts]),
                "kind": "number",
                "sides": [_side(_claim(side), [u for _, u in side]) for side in sides],
            }
        )
    return out


_PLACE = re.compile(r"\b(?:[Ii]n|[Aa]t|near|outside)\s+(?:neighbouring\s+|nearby\s+)?([A-Z][\w'’-]+)")
_ATTRIBUTION = re.compile(
    r",\s*[^,.;]{0,60}?\b(?:said|says|reported|added)\b[^,.;]*|\baccording to [^,.;]*|^[A-Z][A-Z .()'-]+:\s*"
)
_TIME_WORDS = "monday tuesday wednesday thursday friday saturday sunday morning afternoon evening night day"


def _elsewhere(pool: Pool, unit: Unit) -> bool:
    """The sentence names a place ("in Hebble", "at Tolham") that no other origin names."""
    others = pool.texts_outside(unit.origin)
    return any(place not in others for place in _PLACE.findall(unit.text))


def _same_thing(pool: Pool, a: Mention, b: Mention) -> bool:
    """Whether two counts of one noun can be one count: their scopes fit (``compatible``), and
    they are rates, or both in their outlets' leads, or their sentences state one fact, or they
    share a telling word (``_context``: "14 people were injured" and "230 people stayed at the
    rest centre" share none)."""
    (qa, ua), (qb, ub) = a, b
    if not compatible(qa.scope, qb.scope):
        return False
    if (qa.rate and qb.rate) or (ua.lead and ub.lead) or pool.sim(ua, ub) >= SAME_FACT:
        return True
    return bool(_context(pool, qa, ua) & _context(pool, qb, ub))


def _context(pool: Pool, q: Quantity, u: Unit) -> set[str]:
    """The sentence's words that can tell one count from another: not the number, the noun, the
    time, who said it, or the words of the story itself (those of two origins' leads: the town,
    the event), which every sentence of the story may repeat."""
    noun = q.unit.split()[-1] if q.unit else ""  # "replacement buses": "replacement" tells what
    said = pool.space.bag(f"{q.text.removesuffix(q.unit)} {noun} {_TIME_WORDS}")
    return pool.space.bag(_ATTRIBUTION.sub(" ", u.text)) - said - pool.story_terms()


def _claim(side: list[Mention]) -> str:
    """The side's number as one of its sources writes it, in digits if one does ("About 12,000
    passengers" rather than "some twelve thousand passengers")."""
    return next((q.text for q, _ in side if any(ch.isdigit() for ch in q.text)), side[0][0].text)


def _add_unkeyed_origins(
    pool: Pool, per_origin: dict[str, list[Mention]], sides: list[list[Mention]]
) -> None:
    """An origin that counts the thing in other words joins the side whose number it states in a
    related sentence ("six bathing sites" beside "six public beaches")."""
    everything = [(q, u) for u in pool.units for q in quantities(u.text)]
    for origin in pool.origins:
        if origin in per_origin:
            continue
        for side in sides:
            value = side[0][0]
            near = [
                u
                for q, u in everything
                if u.origin == origin and q.agrees(value) and pool.sim(u, side[0][1]) >= RELATED
            ]
            if near:
                side.append((value, near[0]))
                break


def _about(found: list[Quantity]) -> str:
    """'number of workers' (the shortest wording), 'raise (percent)', 'amount (€)', 'days'."""
    unit = min((q.unit for q in found if q.unit), key=len, default="")
    first = found[0]
    if first.key.startswith("percent"):
        return f"{unit} (percent)" if unit else "percentage"
    if first.key.startswith("cur:"):
        return f"amount ({first.key[4:]})"
    return unit if first.measure else f"number of {unit.split()[-1]}"


def date_conflicts(pool: Pool, contested: Contested) -> list[dict[str, Any]]:
    events: dict[str, list[tuple[EventDate, Unit]]] = {}
    for u in pool.units:
        for ed in event_dates(u.text):
            events.setdefault(ed.event, []).append((ed, u))
    out: list[dict[str, Any]] = []
    disputed: list[set[tuple[str, Unit]]] = []
    for event, found in ((e, f) for e, items in events.items() for f in _one_event(pool, items)):
        if not any(a.day != b.day and _same_event(pool, a, ua, b, ub) for a, ua in found for b, ub in found):
            continue
        dispute = {(ed.day, u) for ed, u in found}
        if any(dispute <= d or d <= dispute for d in disputed):
            continue  # "seit Dienstagabend gesperrt" is a start and a closure: one dispute, once
        disputed.append(dispute)
        sides: dict[str, list[tuple[EventDate, Unit]]] = {}
        for ed, u in found:
            sides.setdefault(ed.day, []).append((ed, u))
        contested.units.update(u for _, u in found)
        contested.phrases += [ed.text for ed, _ in found]
        noun = next(
            (m.group(1) for ed, _ in found if (m := re.search(rf"\bthe (\w+) {event}", ed.clause))), None
        )
        what = {"starts": "it starts", "closed": "it closes", "began": "it began"}[event]
        out.append(
            {
                "about": f"when the {noun} {event}" if noun else f"when {what}",
                "kind": "date",
                "sides": [_side(side[0][0].text, [u for _, u in side]) for side in sides.values()],
            }
        )
    return out


def _one_event(pool: Pool, items: list[tuple[EventDate, Unit]]) -> list[list[tuple[EventDate, Unit]]]:
    """The mentions grouped by what closes or starts: mentions of different origins are of one event
    when ``_same_event`` links them (the bridge's closure apart from the car park's); one per origin:
    a day another origin also gives for it, else the origin's first mention of such an event (a later
    one may settle a dispute, never start one)."""
    group = list(range(len(items)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i, (a, ua) in enumerate(items):
        for j, (b, ub) in enumerate(items[:i]):
            if ua.origin != ub.origin and _same_event(pool, a, ua, b, ub):
                group[root(i)] = root(j)

    def agreed(i: int) -> bool:
        (a, ua), k = items[i], root(i)
        return any(
            root(j) == k and ub.origin != ua.origin and b.day == a.day and _same_event(pool, a, ua, b, ub)
            for j, (b, ub) in enumerate(items)
        )

    first = {u.origin: i for i, (_, u) in reversed(list(enumerate(items)))}
    out: dict[int, dict[str, tuple[EventDate, Unit]]] = {}
    for i in sorted(range(len(items)), key=lambda i: not agreed(i)):  # a day another origin gives first
        if agreed(i) or first[items[i][1].origin] == i:  # else only the origin's first mention disputes
            out.setdefault(root(i), {}).setdefault(items[i][1].origin, items[i])
    return [list(per_origin.values()) for per_origin in out.values() if len(per_origin) > 1]


def _same_event(pool: Pool, a: EventDate, ua: Unit, b: EventDate, ub: Unit) -> bool:
    """Both are their outlet's lead sentence (news opens with the main event), or the two clauses
    share a word besides the verbs and dates ("the strike began …" / "… after the strike began")."""
    said = pool.space.bag(f"{a.verb} {a.text} {b.verb} {b.text}")
    return (ua.lead and ub.lead) or bool((pool.space.bag(a.clause) & pool.space.bag(b.clause)) - said)


def cause_conflicts(pool: Pool) -> list[dict[str, Any]]:
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
