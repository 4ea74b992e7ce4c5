"""Dates and times the article mentions, found by regular expressions.

Owns date detection for the offline engine: weekdays ("on Tuesday", "late on
Monday"), calendar dates ("September 16, 2024", "on 12 December"), months
("in late October"), years with a preposition ("in 2019", "before 2030"),
clock times and relative expressions ("yesterday", "this year", "in the near
future"). German, French and Spanish articles are read with their own words
(``dates_intl``).

Why not dateparser: its ``search_dates`` misreads news prose ("in late
October the treaty" -> "October the"), resolves relative words against
today's date (so output would change from day to day), costs about 2 ms per
sentence and the schema has no field for a resolved date anyway. ``when``
is the expression as written; ``event`` is the clause around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer import textrules as rules
from summarizer.offline import dates_intl
from summarizer.offline.text import Document, Sentence, squash, strip_dateline

_WEEKDAY = rf"(?:{rules.WEEKDAY})"
_MONTH = rf"(?:{rules.MONTH}|{rules.MONTH_ABBREVIATION})"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}(?![\d%])"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_PREP = r"(?i:on|in|at|by|since|until|till|from|before|after|during|through|of|as of)"
_MOD = r"(?i:early|late|mid|mid-|end of|the end of|the start of)"
_LEAD = rf"(?:(?:{_PREP}\s+)?(?:{_MOD}\s*(?:on\s+|in\s+)?)?|(?i:last|next|this|every)\s+)"

_CORES = [
    rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?",
    rf"(?:{_WEEKDAY},?\s+)?{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?",
    rf"{_MONTH}\s+{_YEAR}",
    rf"{_WEEKDAY}{_PART}",
    r"(?:yesterday|today|tomorrow|tonight)(?:\s+(?:morning|afternoon|evening))?",
    r"(?:earlier|later)\s+(?:this|next|last)\s+(?:week|month|year)",
    r"(?:this|next|last)\s+(?:week|month|year|weekend|summer|winter|spring|autumn|season)",
    r"(?:in|within)\s+the\s+(?:near|coming|next)\s+(?:future|days|weeks|months|years)",
    r"within\s+(?:hours|days|weeks)",
    r"midnight|dawn|noon",
    r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?",
]
# Month names and bare years only count after a preposition or modifier,
# so "May" the verb and "2000 workers" stay out.
_GUARDED = [
    rf"(?:{_PREP}|{_MOD}|last|next|this)\s+(?:{_MOD}\s*)?{_MONTH}(?!\w)",
    rf"(?:{_PREP}|between|and)\s+{_YEAR}",
]
_PATTERN = re.compile(
    rf"(?<![\w,.$€£])(?:{'|'.join(f'{_LEAD}(?:{c})' for c in _CORES)}|{'|'.join(_GUARDED)})(?!\w)",
)
# "up 3 percent on last year", "fewer than last year": a comparison, not when something happened.
# "rose 3 percent last year" is a date, so a figure only counts with "on", "over" or "from".
_THAN = re.compile(r"\b(?:than|versus|vs\.?|compared (?:with|to)|against)\s+$", re.IGNORECASE)
_FIGURE = re.compile(
    r"(?:\d|percent|per cent|%|\b(?:up|down|higher|lower|more|less|fewer))[^,;.]{0,20}$", re.IGNORECASE
)
_PREVIOUS = re.compile(
    r"^(?P<prep>(?i:on|over|from)\s+)?(?i:last|the previous)\s+(?:year|month|week|season|quarter)$"
)
_CLAUSE = re.compile(r",\s+")


@dataclass(frozen=True)
class FoundDate:
    when: str
    event: str
    sentence: Sentence


def _expressions(text: str) -> list[tuple[int, int]]:
    return dates_intl.merged(text, (m.span() for m in _PATTERN.finditer(text) if not _baseline(m, text)))


def _baseline(m: re.Match[str], text: str) -> bool:
    """ "up 3 percent on last year": the period is what a figure is compared with."""
    previous = _PREVIOUS.match(m.group())
    head = text[: m.start()]
    return bool(previous and (_THAN.search(head) or (previous["prep"] and _FIGURE.search(head))))


def _event(sentence: Sentence, start: int, end: int) -> str:
    text = sentence.text
    # Clauses are looked for after a dateline ("MARSEILLE, 4 mars (AFP) - …"), whose comma opens none;
    # a date inside the dateline is the story's day, and its event the sentence after the dateline.
    dateline = rules.DATELINE.match(text)
    after = dateline.end() if dateline else 0
    clause_start = after
    clause_end = len(text)
    for m in _CLAUSE.finditer(text, after):
        if m.end() <= start:
            clause_start = m.end()
        elif m.start() >= end:
            clause_end = m.start()
            break
    clause = text[clause_start:clause_end]
    if len(clause.split()) < 5:
        clause = text
    words = squash(strip_dateline(clause)).split()
    event = " ".join(words[:30]) + (" …" if len(words) > 30 else "")
    return event[0].upper() + event[1:] if event else event


def find_dates(doc: Document, limit: int = 15, *, lang: str | None = None) -> list[FoundDate]:
    """Date expressions in document order, one entry per expression and sentence; German, French
    and Spanish by their own words (``dates_intl``), every other language by the English rules."""
    out: list[FoundDate] = []
    seen: set[tuple[str, str]] = set()
    abroad = lang if lang in dates_intl.LANGUAGES else None
    for s in doc.body:
        if len(s.text) < 8:
            continue
        for start, end in dates_intl.expressions(s.text, abroad) if abroad else _expressions(s.text):
            when = squash(s.text[start:end])
            if not abroad:
                when = re.sub(r"^on (?=(?:this|next|last) )", "", when)
            event = _event(s, start, end)
            key = (when.lower(), event)
            if key in seen:
                continue
            seen.add(key)
            out.append(FoundDate(when, event, s))
    return out[:limit]
