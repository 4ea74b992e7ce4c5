"""What one sentence states, for the offline comparator: a gap, the day of an event, a cause.

``gap`` ("No date has been set …", "has not said …"), ``event_dates`` ("the
stoppage began at midnight on Sunday", "sailings were suspended on
Wednesday", "seit Mittwochfrüh gesperrt"), ``causes`` ("fed by fertilizer
running off …", "put the crack down to …") and ``undated`` (the day a
statement was *made*, "said on Wednesday that …", blanked so that it is
not read as the day of what it reports). Pure: no model, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer import textrules as rules

_GAP = re.compile(
    r"\b(?:not (?:yet )?(?:known|clear)|no date|unclear|declined to|refused to|"
    r"(?:would|will|could) not (?:say|comment)|(?:won't|wouldn't|couldn't) (?:say|comment)|no word (?:on|of)|"
    r"(?:has|have|had|is|are|was|were) (?:still )?yet to (?:say|set|decide|announce|confirm|disclose|give)|"
    r"(?:has|have|had|did|does|do) not (?:yet )?(?:said|say|set|decided|commented|estimated|announced|"
    r"confirmed|disclosed|given))\b",
    re.IGNORECASE,
)


def gap(text: str) -> bool:
    """Whether the sentence says something is *not* known or said: a gap, not a fact."""
    return bool(_GAP.search(text))


_MONTH = rules.MONTH
_DAY_PART = (
    r"(?:morning|afternoon|evening|night|morgen|abend|nachmittag|mittag|vormittag|nacht|früh|frueh"
    r"|matin|soir|après-midi)"
)
WHEN = re.compile(
    r"(?:(?i:early|late)\s+)?(?:(?i:on|by|from|since|at|starting|as of|ab|seit|am|depuis|dès|desde|el)\s+)?"
    r"(?:(?i:this|next|coming|diesem|kommenden|ce|este|el próximo)\s+)?(?:(?:midnight|dawn|noon)\s+on\s+)?"
    rf"(?P<day>(?i:{rules.WEEKDAY_ANY})(?={_DAY_PART}|\b)|\d{{1,2}}\s+(?:{_MONTH})|(?:{_MONTH})\s+\d{{1,2}})"
    rf"(?:\s*(?i:{_DAY_PART}))?"
)
"""A day: "on Monday", "at midnight on Sunday", "from this Friday", "seit Mittwochmorgen", "12 December"."""
TIME = re.compile(
    rf"{WHEN.pattern}|\b(?:at\s+)?\d{{1,2}}[:.]\d{{2}}\b|\b(?:today|tomorrow|tonight|next (?:week|month))\b"
    rf"|\bin (?:{_MONTH}|(?:19|20)\d\d)\b|\b(?:by|on|until|from) \d{{1,2}} (?:{_MONTH})\b"
    rf"|\b(?:by|on|until|from) (?:{_MONTH}) \d{{1,2}}\b"
)
"""Any date or time an answer to "when?" can give."""
_SAID = re.compile(
    r"\b(?:said|says|told(?:\s+\w+){0,2}?|announced|confirmed|stated|added|warned|insisted|explained|"
    r"wrote|informed|notified|voted|decided|agreed|approved|ordered|ruled|resolved|met|"
    r"sagte|erklärte|beschloss|a\s+déclaré|a\s+annoncé|a\s+décidé|dijo|declaró|anunció|decidió)"
    r"(?:\s+in\s+an?\s+(?:statement|interview|letter|briefing))?\s+"
    rf"(?P<when>(?:(?:late|early)\s+)?(?:on\s+|am\s+|el\s+)?(?:{rules.WEEKDAY_ANY})(?:\s*{_DAY_PART})?\b"
    r"|today|yesterday|tonight|this\s+(?:morning|afternoon|evening)|last\s+night)",
    re.IGNORECASE,
)
"""The day of a statement or a decision ("the operator said on Wednesday that …", "councillors
voted on Monday to close …", "residents were told on Monday"): when it was said or decided, not
when what it reports happens."""


def undated(text: str) -> str:
    """The text with the days statements were made on blanked (same length, so offsets hold):
    "The operator said on Wednesday that sailings would not restart until …" keeps no day."""
    return _SAID.sub(lambda m: m.group(0)[: m.start("when") - m.start()] + " " * len(m["when"]), text)


_EVENTS = {
    "began": re.compile(r"\b(?:began|begun|started|walked (?:off|out)|went on strike|broke out|erupted)\b"),
    "closed": re.compile(
        r"\b(?:clos(?:e|ed|es|ing)|shut(?:s|ting)?|suspend(?:s|ed|ing)?|halt(?:s|ed|ing)?|"
        r"withdr(?:aw|aws|awn|ew)|(?:taken|pulled|withdrawn|removed)\s+(?:out\s+of|from)\s+service|"
        r"gesperrt|geschlossen|eingestellt|stillgelegt|ferm(?:é|ée|és|ées)|suspendu(?:e|s|es)?|"
        r"cerrad[oa]s?|suspendid[oa]s?|cortad[oa]s?)\b",
        re.IGNORECASE,
    ),
    "starts": re.compile(
        r"\b(?i:from|starting|as of|with effect from|ab|seit|depuis|à partir d[eu]|dès|desde"
        r"|a partir del?)\s+"
        rf"(?:(?i:this|next|coming|diesem|kommenden|ce|este)\s+)?(?i:{rules.WEEKDAY_ANY})"
    ),
}
"""Events a day is given for: a start, a closure (closed, shut, suspended, halted, taken out of
service, gesperrt, fermé, cerrado …), and a change that applies from a day on ("will stop
delivering babies overnight from Monday", "seit Mittwochmorgen")."""
CLAUSE = re.compile(r"\s*[,;:—–]\s*|\s+(?:and|but|while)\s+")


@dataclass(frozen=True)
class EventDate:
    """The day a sentence gives for an event: "the stoppage began at midnight on Sunday"."""

    event: str
    """'began', 'closed' or 'starts'."""
    verb: str
    """As written: "began", "walked off"."""
    day: str
    """Lower case: 'sunday', '12 december'."""
    text: str
    """The date as written: "at midnight on Sunday"."""
    clause: str


def event_dates(text: str) -> list[EventDate]:
    """The day in the same clause as a start or closure verb ("the stoppage began at midnight on Sunday")."""
    found: list[EventDate] = []
    for clause in CLAUSE.split(undated(text)):
        for event, verbs in _EVENTS.items():
            verb = verbs.search(clause)
            when = _day_of(clause, verb) if verb else None
            if verb and when:
                day = rules.WEEKDAY_OF.get(when["day"].casefold(), when["day"].lower())
                found.append(
                    EventDate(event, verb.group(0), day, when.group(0).strip(), " ".join(clause.split()))
                )
    return found


def _day_of(clause: str, verb: re.Match[str]) -> re.Match[str] | None:
    """The day the event verb takes: the first after it ("announced that the school would be
    closed on Monday"), else the last before it ("seit Dienstagabend … gesperrt")."""
    days = list(WHEN.finditer(clause))
    after = [m for m in days if m.start() >= verb.start()]
    before = [m for m in days if m.start() < verb.start()]
    return after[0] if after else before[-1] if before else None


_CAUSES = (
    re.compile(r"\b(?:fed|caused|triggered|driven|sparked|fuel?led) by (?P<cause>[^,.;]+)"),
    re.compile(r"\bblam(?:e|es|ed|ing) (?!on\b)(?P<cause>[^,.;]+?)(?: for [^,.;]+)?(?=[,.;]|$)"),
    re.compile(r"\b(?:blamed on|because of|due to|the result of|a result of) (?P<cause>[^,.;]+)"),
    re.compile(
        r"\b(?:put(?:s|ting)?\s+(?:[\w'’-]+\s+){0,3}?down|(?:attribut|trac)(?:e|es|ed|ing)\s+(?:[\w'’-]+\s+){0,3}?)"
        r"\s*to (?P<cause>[^,.;]+)"
    ),
    re.compile(r"(?P<cause>[^,.;]+?) (?:was|were|is|are) (?:the |a )?(?:most |more )?likely cause"),
)
_CAUSE_LEAD = re.compile(r"^.*\b(?:that|saying|and)\s+")
_CAUSED = re.compile(r"\bthe (\w+) (?:was|were|is|are) (?:\w+ )?(?:\w+ )?(?:fed|caused|triggered|driven)\b")


def causes(text: str) -> list[str]:
    """Causes a sentence names or reports: "fertilizer running off nearby farmland", "sewage overflows …"."""
    return [_CAUSE_LEAD.sub("", m["cause"]).strip() for rx in _CAUSES for m in rx.finditer(text)]


def caused_thing(text: str) -> str | None:
    """What the cause is of, when the sentence says: "the bloom was most likely fed by …" -> 'bloom'."""
    m = _CAUSED.search(text)
    return m.group(1) if m else None
