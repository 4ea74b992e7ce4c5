"""What a number counts beyond its noun: when, how badly, whether it still stands, how exactly.

Two outlets' "people" or "homes" are one count only if the rest of what the
sentence says lets them be. Owns ``Scope`` and ``scope_of`` (read from the
sentence around the number): the time it holds for ("by Monday evening",
"since Sunday", "on Wednesday": that day; "so far", "in all": a running
total; "at the height of": a peak), a past year ("in 2014"), a severity
("seriously injured", "minor injuries"), and whether the figure is one the
outlet reports as superseded ("initially said 60 …, later revised").
``compatible`` says whether two scopes can be of one count. Also the
tolerance an unhedged round number carries (5,000 stands for 4,950-5,050)
and the conversion of a measure's unit to a base unit (miles and kilometres
to metres, tonnes to kilograms). General vocabulary only; pure, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from summarizer import textrules as rules

if TYPE_CHECKING:
    from summarizer.comparison.quantity import Quantity

_DAY_PART = r"(?:\s*(?:morning|afternoon|evening|night|morgen|abend|nachmittag|nacht|früh|matin|soir))?"
_DAY = re.compile(
    rf"\b(?:(?:on|by|until|till|since|from|am|bis|seit|ab|le|depuis|el|desde|hasta)\s+)?"
    rf"(?P<day>{rules.WEEKDAY_ANY})(?:['’]s)?{_DAY_PART}\b",
    re.IGNORECASE,
)
"""A day a count is anchored to: "by Monday evening", "since Sunday" (its start day), "Monday night"."""
_RUNNING = re.compile(
    r"\b(?:so far|to date|in all|in total|altogether|all told|until now|up to now|insgesamt|bisher|"
    r"bislang|en total|au total|jusqu'ici|hasta ahora|hasta el momento)\b",
    re.IGNORECASE,
)
_PEAK = re.compile(
    r"\b(?:at (?:the|its) (?:height|peak)|at one (?:point|stage|time)|at any one time|at the same time|"
    r"in Spitzenzeiten|zeitweise|au plus fort|en el momento álgido)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"\b(?:in|during|since|back in|im Jahr|en)\s+(?P<year>(?:19|20)\d\d)\b|\blast year\b|\byears? ago\b",
    re.IGNORECASE,
)
_GRAVE = re.compile(
    r"\b(?:serious(?:ly)?|critical(?:ly)?|severe(?:ly)?|badly|gravely|life-threatening|"
    r"schwer(?:\s*verletzt\w*)|graves?|gravement|grièvement)\b",
    re.IGNORECASE,
)
_MINOR = re.compile(
    r"\b(?:minor|slight(?:ly)?|light(?:ly)?\s+(?:injured|hurt)|leicht(?:\s*verletzt\w*)|léger\w*|leves?)\b",
    re.IGNORECASE,
)
_SUPERSEDED = re.compile(
    r"\b(?:initially|originally|at first|first reported|previously|an earlier|the earlier|zunächst|"
    r"ursprünglich|anfangs|inicialmente|initialement|d'abord)\b",
    re.IGNORECASE,
)
_BREAK = re.compile(r"[.;:!?—–]|,(?!\d)")
_WINDOW = 90
"""How far from the number (in characters, within its sentence) a qualifier is read."""


@dataclass(frozen=True)
class Scope:
    """What a count holds for, beyond its noun."""

    when: str = ""
    """'day:monday', 'running' (a total so far), 'peak', or '' (not said)."""
    year: str = ""
    """A past year the count is about ('2014', 'past'), or ''."""
    severity: str = ""
    """'grave', 'minor' or ''."""
    superseded: bool = False
    """The outlet reports the figure as replaced ("initially …")."""


def _nearest(rx: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """The match of ``rx`` nearest the number at ``start:end``, within ``_WINDOW`` characters."""
    best: tuple[int, re.Match[str]] | None = None
    for m in rx.finditer(text):
        gap = start - m.end() if m.end() <= start else m.start() - end if m.start() >= end else 0
        if gap <= _WINDOW and (best is None or gap < best[0]):
            best = (gap, m)
    return best[1] if best else None


def scope_of(text: str, start: int, end: int) -> Scope:
    """The scope of the number at ``text[start:end]`` (``text`` is its sentence)."""
    when = ""
    day, running, peak = (_nearest(rx, text, start, end) for rx in (_DAY, _RUNNING, _PEAK))
    candidates = [(m, tag) for m, tag in ((running, "running"), (peak, "peak")) if m]
    if day:
        candidates.append((day, "day:" + rules.WEEKDAY_OF.get(day["day"].casefold(), day["day"].lower())))
    if candidates:
        when = min(candidates, key=lambda c: abs((c[0].start() + c[0].end()) / 2 - (start + end) / 2))[1]
    year = _nearest(_YEAR, text, start, end)
    breaks = [m.start() for m in _BREAK.finditer(text, end)]
    after = text[end : breaks[0] if breaks else len(text)]
    severity = "grave" if _GRAVE.search(after) else "minor" if _MINOR.search(after) else ""
    before = text[([m.end() for m in _BREAK.finditer(text, 0, start)] or [0])[-1] : start]
    return Scope(
        when,
        (year["year"] or "past") if year else "",
        severity,
        bool(_SUPERSEDED.search(before)),
    )


def compatible(a: Scope, b: Scope) -> bool:
    """Whether two counts' scopes allow them to be one count: not two different days or a day
    beside a running total or a peak, not a past year beside the present, not different
    severities ("seriously injured" is not "injured"). A scope one side does not state fits."""
    if a.when and b.when and a.when != b.when:
        return False
    return a.year == b.year and a.severity == b.severity


def rounding(value: float) -> float:
    """The half-width an unhedged round number stands for: 5,000 for 4,950-5,050, 300 for
    295-305 (a number ending in two or more zeros, taken as rounded to one digit fewer)."""
    if value < 100 or value != int(value):
        return 0.0
    zeros = len(str(int(value))) - len(str(int(value)).rstrip("0"))
    return 0.5 * 10 ** (zeros - 1) if zeros >= 2 else 0.0


_UNITS = {
    "metr": ("length", 1.0),
    "metre": ("length", 1.0),
    "meter": ("length", 1.0),
    "km": ("length", 1000.0),
    "kilometr": ("length", 1000.0),
    "kilomet": ("length", 1000.0),
    "kilometern": ("length", 1000.0),
    "mile": ("length", 1609.344),
    "kg": ("mass", 1.0),
    "kilogram": ("mass", 1.0),
    "kilogramm": ("mass", 1.0),
    "tonn": ("mass", 1000.0),
    "tonne": ("mass", 1000.0),
    "tonnen": ("mass", 1000.0),
}
"""Measure stems (English Snowball, and German forms as the English stemmer leaves them) -> the
dimension and the factor to its base unit."""
CONVERTED = 0.05
"""The tolerance of a value converted from another unit: writers round what they convert."""


def base_unit(stem: str) -> tuple[str, float] | None:
    """``('length', 1609.344)`` for 'mile': the dimension a measure's unit measures and its factor."""
    return _UNITS.get(stem.lower())


RANGE = re.compile(r"\s*(?:and|to|-|–|und|bis|y|a|et|à)\s*", re.IGNORECASE)
"""Between the two ends of a range: "between 300 and 400", "300 to 400"."""
_PART_OF = re.compile(r"\s+of\s+(?:them|those|whom|these)\b|\s+davon\b|\s+d'entre eux\b", re.IGNORECASE)
_REVISED = re.compile(
    r"\b(?:revised|corrected|raised|lowered|updated|put|increased|reduced)(?:\s+(?:it|that|this|the\s+\w+))?"
    r"(?:\s+(?:up|down)(?:wards)?)?\s+to\s*$",
    re.IGNORECASE,
)


def inherited(found: list[Quantity], text: str, spans: list[tuple[int, int]]) -> list[Quantity]:
    """A bare number that counts what the number before it counts: a part ("eleven people …, five
    of them") or a revised figure ("initially said 60 homes …, later revised to 140")."""
    out = list(found)
    for i in range(1, len(found)):
        q, prev = found[i], out[i - 1]
        start, end = spans[i]
        if q.key or not prev.key:
            continue
        if _PART_OF.match(text, end) or _REVISED.search(text[:start]):
            scope = replace(prev.scope, superseded=False, severity=q.scope.severity)
            out[i] = replace(q, unit=prev.unit, key=prev.key, form=prev.form, rate=prev.rate, scope=scope)
    return out


def parts_of_totals(found: list[Quantity]) -> list[Quantity]:
    """ "14 of the unit's 38 posts": the 14 counts posts as well (the 38 is their total)."""
    out = list(found)
    for i, q in enumerate(found):
        if q.key.endswith("/total") and i and not found[i - 1].key:
            part = found[i - 1]
            key = q.key.removesuffix("/total")
            out[i - 1] = replace(part, unit=q.unit, key=key, form=q.form, rate=q.rate)
    return out
