"""What the German, French and Spanish open-question rules share: the pattern helpers, the
clause a question is built from, and the subject of a "declined to comment" sentence."""

from __future__ import annotations

import re
from collections.abc import Callable

from summarizer.offline import hedges as h

IN_NUMBER = r"|(?<=\d)[.,](?=\d)"
CLAUSE = r"(?P<clause>(?:[^,;:.\"“”«»()]" + IN_NUMBER + r")+)"
APO = "['’]"


Build = Callable[[re.Match[str], h.Ctx], h.Built]
Rules = list[tuple[re.Pattern[str], Build, str]]


def rx(*parts: str) -> re.Pattern[str]:
    return re.compile("".join(parts), re.IGNORECASE)


def kind(wh: str, default: str) -> str:
    """The question kind from the (canonical, English) wh-word."""
    return {"when": "timing_unset", "why": "unclear_cause"}.get(wh, default)


def subject(c: h.Ctx, upto: int, articles: frozenset[str], pronouns: frozenset[str]) -> str | None:
    """The noun phrase that opens the clause ending at ``upto`` (after the last comma), or None."""
    head = c.text[:upto]
    head = re.split(r"[,;:]\s*", head)[-1].strip(' "“”«»')
    words = head.split()
    if not 1 <= len(words) <= 8 or words[0].lower() in pronouns:
        return None
    if not words[0][:1].isupper():
        return None
    if words[0].lower() in articles:
        words[0] = words[0].lower()
    return " ".join(words)


_RELATIVE = re.compile(
    r"^\s*,\s*(?:der|die|das|welche[rsnm]?|qui|que|qu['’]|dont|lequel|laquelle|lesquels|lesquelles|quien|quienes|"
    r"cual|cuales|el\s+cual|la\s+cual)\b",
    re.IGNORECASE,
)


def interrupted(m: re.Match[str], c: h.Ctx) -> bool:
    """Whether the clause was cut by a relative clause ("wann die Firma, die …, …"): what is left
    has no verb of its own, so no question is built from it."""
    return bool(_RELATIVE.match(c.text[m.end("clause") :]))


def wh_rule(
    canon: Callable[[str], str],
    question: Callable[[str, str], str | None],
    default: str,
    why: str,
    *,
    decision: bool = False,
) -> Build:
    """A rule whose question is built from the match's ``wh`` word and ``clause`` in the article's
    language (``question``; None: no grammatical question), its kind from the wh-word's English
    ``canon`` (``kind``; ``decision``: "when" is timing, anything else the ``default``), and
    ``why`` as why it is open. No question from a clause cut by a relative clause."""

    def build(m: re.Match[str], c: h.Ctx) -> h.Built:
        if interrupted(m, c):
            return None
        wh = canon(m["wh"])
        found = ("timing_unset" if wh == "when" else default) if decision else kind(wh, default)
        q = question(m["wh"], m["clause"])
        return None if q is None else (found, q, why)

    return build
