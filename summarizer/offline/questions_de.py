"""Open-question rules for German news wording (see ``questions_intl``)."""

from __future__ import annotations

import re

from summarizer.offline import hedges as h
from summarizer.offline import intl_base as b
from summarizer.offline import phrasing as ph

_DE_WH = (
    r"(?P<wh>wann|warum|weshalb|wieso|wie\s+(?:lange|viele?|hoch|oft|schnell|teuer)|wie|wer|wen|wem|was|"
    r"wo|woher|wohin|ob|welche[rsnm]?\s+\w+)"
)
_DE_CANON = {"wann": "when", "warum": "why", "weshalb": "why", "wieso": "why", "ob": "whether"}
_DE_STILL = r"(?:\s+(?:noch|bislang|bisher|weiterhin|zunächst|derzeit|jedoch|aber|allerdings))*"
_DE_AUX = frozenset(
    [
        "wird",
        "werden",
        "wurde",
        "wurden",
        "ist",
        "sind",
        "war",
        "waren",
        "hat",
        "haben",
        "hatte",
        "hatten",
        "kann",
        "können",
        "konnte",
        "konnten",
        "soll",
        "sollen",
        "sollte",
        "sollten",
        "muss",
        "müssen",
        "musste",
        "mussten",
        "darf",
        "dürfen",
        "will",
        "wollen",
        "würde",
        "würden",
        "könnte",
        "könnten",
        "müsste",
        "müssten",
        "sei",
        "seien",
    ]
)
_DE_PREFIX = re.compile(
    r"^(?:ab|an|auf|aus|bei|ein|fest|fort|her|hin|los|mit|nach|statt|vor|weg|zu|zurück|zusammen|wieder|"
    r"weiter|dar|heraus|hinaus|voran)"
)
_DE_ARTICLES = frozenset(
    ["der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines"]
)


def _de_question(wh: str, clause: str) -> str | None:
    """ "wann", "die Leitung repariert sein wird" -> "Wann wird die Leitung repariert sein?": the verb
    at the end of the subordinate clause moves to second place. A verb that may be separable
    ("stattfindet") is not moved: "Ist bekannt, wann das Treffen stattfindet?" is always right.
    A clause that does not end in a verb (a capitalised noun: it was cut short) gives None."""
    words = ph.clean(clause).split()
    wh = " ".join(wh.lower().split())
    verb = words[-1] if words else ""
    if not verb.islower():
        return None
    movable = verb.islower() and (verb in _DE_AUX or not _DE_PREFIX.match(verb)) and len(words) >= 2
    if not movable or (wh.startswith("welch") and not wh.split()[-1][:1].isupper()):
        return f"Ist bekannt, {wh} {' '.join(words)}?"
    rest = " ".join(words[:-1])
    if wh == "ob":
        return f"{verb[:1].upper()}{verb[1:]} {rest}?"
    head = wh.split()
    return f"{head[0].capitalize()} {' '.join([*head[1:], verb])} {rest}?".replace("  ", " ")


def _de_canon(wh: str) -> str:
    return _DE_CANON.get(wh.lower().split()[0], "what")


de_not_said = b.wh_rule(
    _de_canon, _de_question, "decision_pending", "Laut Artikel wurde das noch nicht mitgeteilt."
)


de_unclear = b.wh_rule(_de_canon, _de_question, "outcome_unknown", "Laut Artikel ist das noch unklar.")


de_decision = b.wh_rule(
    _de_canon,
    _de_question,
    "decision_pending",
    "Laut Artikel ist darüber noch nicht entschieden.",
    decision=True,
)


def de_decision_on(m: re.Match[str], c: h.Ctx) -> h.Built:
    what = ph.clean(m["what"])
    return (
        "decision_pending",
        f"Wann wird über {what} entschieden?",
        "Laut Artikel steht die Entscheidung noch aus.",
    )


def de_cause(m: re.Match[str], c: h.Ctx) -> h.Built:
    what = ph.clean(m["what"])
    return (
        "unclear_cause",
        f"Was ist {what[:1].lower()}{what[1:]}?",
        "Laut Artikel ist die Ursache noch unklar.",
    )


def de_no_comment(m: re.Match[str], c: h.Ctx) -> h.Built:
    subject = b.subject(c, m.start(), _DE_ARTICLES, frozenset(["er", "sie", "es", "man", "wir", "ich"]))
    if subject is None:
        return None
    plural = m["verb"].lower().endswith("en")
    topic = f"zu {ph.clean(m['topic'])}" if m.groupdict().get("topic") else "dazu"
    q = f"Was {'sagen' if plural else 'sagt'} {subject} {topic}?"
    return "missing_perspective", q, "Diese Seite hat sich nicht geäußert; ihre Sicht fehlt."


_DE_STATE = r"(?P<state>unklar|offen|ungewiss|ungeklärt|unbekannt|nicht\s+(?:bekannt|klar|geklärt|sicher))"
_SAID = r"(?P<verb>gesagt|mitgeteilt|bekanntgegeben|bekannt\s+gegeben|erklärt|angegeben|verraten|präzisiert)"
_DECIDED = r"(?:(?:endgültig|abschließend)\s+)?(?:entschieden|beschlossen|festgelegt)(?:\s+worden)?"
_WH_CLAUSE = r"\s*,\s*" + _DE_WH + r"\s+" + b.CLAUSE
RULES: b.Rules = [
    (b.rx(r"\b(?:hat|haben|hatte|hatten)", _DE_STILL, r"\s+(?:nicht|nichts)(?:\s+dazu)?\s+", _SAID,
         _WH_CLAUSE), de_not_said, "explicit"),
    (b.rx(r"\b(?:sagte|sagten|teilte|teilten|gab|gaben|wollte|wollten)(?:\s+\w+){0,3}?", _DE_STILL,
         r"\s+nicht(?:\s+(?:mit|an|bekannt|sagen|mitteilen))?", _WH_CLAUSE), de_not_said, "explicit"),
    (b.rx(r"\b", _DE_STATE, r"(?:\s+(?:ist|sind|bleibt|blieb|war))?", _DE_STILL, _WH_CLAUSE),
     de_unclear, "explicit"),
    (b.rx(r"^[\"“„]?", _DE_WH, r"\s+", b.CLAUSE, r",\s+(?:ist|bleibt|war|sei)", _DE_STILL, r"\s+", _DE_STATE),
     de_unclear, "explicit"),
    (b.rx(r"\b(?:ist|sei|wurde|wird|sind|hat|haben|hatte)", _DE_STILL, r"\s+nicht\s+", _DECIDED, _WH_CLAUSE),
     de_decision, "explicit"),
    (b.rx(r"\büber\s+(?P<what>[^,;:.]+?)\s+(?:ist|wurde|sei)", _DE_STILL, r"\s+nicht\s+", _DECIDED, r"\b"),
     de_decision_on, "explicit"),
    (b.rx(r"\bEntscheidung\s+über\s+(?P<what>[^,;:.]+?)\s+steht", _DE_STILL, r"\s+aus\b"),
     de_decision_on, "explicit"),
    (b.rx(r"^(?P<what>die\s+(?:Ursache|Ursachen)\s+[^,;:.]+?)\s+(?:ist|bleibt|sind|bleiben)", _DE_STILL,
         r"\s+(?:unklar|unbekannt|ungeklärt|offen)"), de_cause, "explicit"),
    (b.rx(r"\s+(?P<verb>wollte|wollten|mochte|mochten)\s+sich", _DE_STILL,
         r"(?:\s+dazu|\s+zu\s+(?P<topic>[^,;:.]+?))?", _DE_STILL,
         r"\s+nicht(?:\s+dazu)?\s+(?:äußern|äussern)"), de_no_comment, "explicit"),
    (b.rx(r"\s+(?P<verb>reagierte|reagierten|antwortete|antworteten)\s+(?:zunächst\s+)?nicht\s+auf\s+"
         r"(?:eine|die|mehrere)\s+Anfragen?"), de_no_comment, "explicit"),
]  # fmt: skip
