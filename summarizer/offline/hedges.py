"""How each hedge becomes a question: one builder per rule in ``questions``.

A builder gets the rule's match and the sentence context and returns the
question's kind, the question and a one-line reason, or None when the
sentence does not have the shape needed to phrase a sensible question (then
the next rule is tried). Grammar helpers live in ``phrasing``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.offline import phrasing as ph
from summarizer.offline.text import Sentence

_NUMBER = re.compile(
    r"(?:(?:about|around|roughly|some|up to|nearly|almost|more than|at least)\s+)?[€$£]?\d[\d,.]*"
    r"(?:\s*(?:million|billion|bn|percent|per cent|%))?(?:\s+(?:a|per)\s+(?:day|week|month|year))?"
)

Built = tuple[str, str, str] | None
"""(kind, question, why_open) or None when the match cannot be phrased."""


@dataclass(frozen=True)
class Ctx:
    sentence: Sentence
    previous: Sentence | None
    proper: frozenset[str]

    @property
    def text(self) -> str:
        return self.sentence.text

    def the(self, np: str) -> str:
        return ph.the(np, self.proper)

    def subject(self, upto: int) -> str:
        """The subject of the clause ending at ``upto``; after "… and" the sentence's subject."""
        head = self.text[:upto].rstrip()
        if re.search(r"\s(?:and|but)$", head):
            return ph.antecedent(self.text, self.proper) or ""
        return ph.subject_before(head)

    def referent(self, match: re.Match[str]) -> str | None:
        """What "it" means in the match: the sentence's subject, else the previous one's."""
        own = ph.antecedent(self.text[: match.start()] + " is", self.proper)
        if own:
            return own
        return ph.antecedent(self.previous.text, self.proper) if self.previous else None

    def wh(self, word: str, clause: str, referent: str | None = None) -> str:
        return ph.wh(word, clause, referent, self.proper)


_FUTURE = re.compile(r"\b(?:will|would|could|should|must|can|may|might|going to)\b", re.IGNORECASE)
_ATTRIBUTED = re.compile(r"\b(?:said|says|told|according to|estimated|estimates|calculated|reported)\b")


def _timing_kind(wh: str, clause: str) -> str:
    if wh == "when" or re.search(r"\b(this|next) (year|month|week)|\bdate\b|\bsoon\b", clause):
        return "timing_unset"
    if wh in {"how", "what", "who"} and _FUTURE.search(clause):
        # "how the work will be paid for": a plan nobody has given, not a fact.
        return "outcome_unknown"
    return {"why": "unclear_cause", "whether": "outcome_unknown", "if": "outcome_unknown"}.get(wh, "other")


_HEDGE_WORDS = re.compile(r"^(?:about|around|roughly|some|up to|nearly|almost|more than|at least)\s+", re.I)
_COUNTED = re.compile(r"\s+(?!(?:a|per|in|by|to|for|and|or|the|of)\b)([a-zà-ÿ]+s)\b")


def _figure(number: re.Match[str], text: str) -> str:
    """ "about 1.8 million" (+ "crowns") -> "the 1.8 million crowns": the figure as a noun phrase."""
    figure = _HEDGE_WORDS.sub("", number.group().strip())
    counted = _COUNTED.match(text, number.end())
    if counted and not re.search(r"\b(?:a|per)\s+(?:day|week|month|year)$", figure):
        figure += " " + counted.group(1)
    return f"the {figure}"


def no_date(m: re.Match[str], c: Ctx) -> Built:
    return "timing_unset", f"When will {c.the(m['what'])} take place?", "No date has been set yet."


def no_clarity(m: re.Match[str], c: Ctx) -> Built:
    q = c.wh(m["wh"], m["clause"], c.referent(m))
    return _timing_kind(m["wh"].lower(), m["clause"]), q, "The article says there is no clarity on this yet."


def unclear(m: re.Match[str], c: Ctx) -> Built:
    q = c.wh(m["wh"], m["clause"], c.referent(m))
    return _timing_kind(m["wh"].lower(), m["clause"]), q, f"The article says it is {m['state'].lower()}."


def not_said(m: re.Match[str], c: Ctx) -> Built:
    subject = c.subject(m.start())
    referent = c.the(subject) if subject else c.referent(m)
    q = c.wh(m["wh"], m["clause"], referent)
    kind = _timing_kind(m["wh"].lower(), m["clause"])
    if kind == "outcome_unknown":
        kind = "decision_pending"
    who = ph.capitalise(c.the(subject)) if subject else "The source"
    said = f"{m['verb'].lower()} when" if m["wh"].lower() == "when" else m["verb"].lower()
    return kind, q, f"{who} {said}."


def decision(m: re.Match[str], c: Ctx) -> Built:
    wh, clause = m["wh"].lower(), ph.clean(m["clause"])
    subject = c.subject(m.start())
    if clause.startswith("to ") and subject and wh in {"whether", "if"}:
        q = f"Will {c.the(subject)} {clause[3:]}?"
    else:
        q = c.wh(wh, clause, c.referent(m))
    kind = "timing_unset" if _timing_kind(wh, clause) == "timing_unset" else "decision_pending"
    state = m.groupdict().get("state")
    return kind, q, f"A decision is still {state.lower()}." if state else "No decision has been made yet."


def timing_open(m: re.Match[str], c: Ctx) -> Built:
    return (
        "timing_unset",
        f"When will {c.the(m['what'])} take place?",
        "The timing is still to be worked out.",
    )


def vague_time(m: re.Match[str], c: Ctx) -> Built:
    head = c.text[: m.start()]
    modal = list(re.finditer(r"\b(would|will|could|should|might|may)\s+", head))
    if not modal:
        return None
    last = modal[-1]
    before = head[: last.start()].split()
    np_start = max(
        (k for k, w in enumerate(before) if w.lower() in {"the", "a", "an", "its", "their"}), default=-1
    )
    if np_start < 0 or len(before) - np_start > 6:
        return None
    clause = " ".join(before[np_start:]) + " " + head[last.start() :]
    return (
        "timing_unset",
        c.wh("when", clause),
        f"Only a vague time frame is given ({ph.clean(m.group())!r}).",
    )


def preparing(m: re.Match[str], c: Ctx) -> Built:
    subject = c.subject(m.start())
    if not subject:
        return None
    vp = re.split(r"\s+(?:that|which|who)\s+", m["vp"])[0]
    q = f"Will {c.the(subject)} {ph.clean(vp)}?"
    if m["verb"] in {"expected", "likely"}:
        number = _NUMBER.search(vp)
        outside = "".join(ch for k, ch in enumerate(c.text) if not c.sentence.in_quotes(k))
        if number and re.search(r"[a-z%]|\d{3}", number.group()) and not _ATTRIBUTED.search(outside):
            why = "It is an estimate, and the article does not say whose or how it was reached."
            return (
                "unsourced_number",
                f"Whose estimate is {_figure(number, vp)}, and how was it reached?",
                why,
            )
        return "outcome_unknown", q, "It is expected, not confirmed."
    return "decision_pending", q, "Preparations are reported, but no decision or date."


_NOT_CONDITION = re.compile(
    r"^(?:not|never|n't)\b|\b(?:say|tell|know|confirm|determine|see|ask|check|decide|wonder)$", re.IGNORECASE
)


def conditional(m: re.Match[str], c: Ctx) -> Built:
    """ "A footbridge could be installed if the budget allows" -> "Will a footbridge be installed?"."""
    subject = c.subject(m.start())
    if not subject or subject.lower() in {"it", "they", "he", "she", "we", "i", "you", "this", "that"}:
        return None
    # A thing that may yet come about keeps "a": "Will a temporary footbridge be installed?".
    np = subject[0].lower() + subject[1:] if re.match(r"^An?\s", subject) else None
    vp = re.sub(r"^(?:also|still|only|then)\s+", "", ph.clean(m["vp"]))
    if _NOT_CONDITION.search(vp):  # "could not say if …" is a hedge about knowing, not a condition
        return None
    q = f"Will {np} {vp}?" if np else ph.yes_no(f"{subject} will {vp}", None, c.proper)
    return "decision_pending", q, f"It is conditional: only if {ph.clean(m['cond'])}."


def once(m: re.Match[str], c: Ctx) -> Built:
    subject = c.subject(m.start())
    if not subject:
        return None
    q = f"When will {c.the(subject)} {ph.clean(m['vp'])}?"
    return "timing_unset", q, f"No date is given, only a condition: once {ph.clean(m['cond'])}."


def depends(m: re.Match[str], c: Ctx) -> Built:
    subject = c.subject(m.start())
    what = ph.clean(m["what"])
    if not subject:
        return None
    decision = re.match(r"^(?:a|the) decision (?:on|about) (.+)$", subject, re.IGNORECASE)
    if decision:
        rest = decision.group(1)
        referent = ph.antecedent(c.previous.text, c.proper) if c.previous else None
        if referent and rest.endswith(" it"):
            rest = rest[:-2] + referent
        return "decision_pending", f"How will {what} decide {rest}?", f"It depends on {what}, not yet known."
    return "outcome_unknown", f"What will {what} mean for {c.the(subject)}?", f"It depends on {what}."


_CAUSE_OF = re.compile(r"^(?:the\s+)?(?:cause|causes|origin)\s+of\s+(?P<what>.+)$", re.IGNORECASE)


def not_yet_done(m: re.Match[str], c: Ctx) -> Built:
    subject = c.subject(m.start())
    if not subject:
        return None
    cause = _CAUSE_OF.match(subject)
    if cause and m["pp"] in {"determined", "established", "confirmed", "known", "identified"}:
        # "The cause of the fire has not been determined": what is open is the cause, not a date.
        return (
            "unclear_cause",
            f"What caused {c.the(cause['what'])}?",
            f"The cause has not been {m['pp']} yet.",
        )
    rest = ph.clean(m["rest"] or "")
    q = f"When will {c.the(subject)} be {m['pp']}{' ' + rest if rest else ''}?"
    return "timing_unset", q, f"It has not been {m['pp']} yet."


def not_disclosed(m: re.Match[str], c: Ctx) -> Built:
    subject = c.subject(m.start())
    what = c.the(m["what"])
    who = ph.capitalise(c.the(subject)) if subject else "The source"
    kind = "outcome_unknown" if m["pp"] == "estimated" else "other"
    return kind, f"What is {what}?", f"{who} has not {m['pp']} it."


def no_comment(m: re.Match[str], c: Ctx) -> Built:
    subject = c.subject(m.start())
    if not subject:
        return None
    topic = ph.clean(m["topic"]) if m["topic"] else "this"
    q = f"What does {c.the(subject)} say about {topic}?"
    return "missing_perspective", q, f"{ph.capitalise(c.the(subject))} {m['verb']}, so that side is missing."


def need_answers(m: re.Match[str], c: Ctx) -> Built:
    rest = ph.clean(m["rest"] or "")
    q = f"What {m['what'].lower()} need to be {m['pp']}{' ' + rest if rest else ''}?"
    return "other", q, f"The article does not say which {m['what'].lower()} they are."


def to_be_done(m: re.Match[str], c: Ctx) -> Built:
    return (
        "outcome_unknown",
        "What remains to be done?",
        "The article says a lot remains to be done without saying what.",
    )


def _claim_of(c: Ctx, m: re.Match[str]) -> str:
    """What the unnamed source is said to have said: the words around the attribution."""
    before = ph.clean(c.text[: m.start()])
    if len(before.split()) >= 4:
        return before
    after = re.sub(r"^[\s,]*(?:said|says|told \w+|added|estimated)\s+(?:that\s+)?", "", c.text[m.end() :])
    return ph.clean(after)


def _lower_first(text: str, proper: frozenset[str]) -> str:
    return text if ph.first_is_proper(text, proper) else text[:1].lower() + text[1:]


def unnamed(m: re.Match[str], c: Ctx) -> Built:
    claim = _lower_first(_claim_of(c, m), c.proper)
    if len(claim.split()) < 3:
        return None
    why = f"The claim rests on an unnamed source ({ph.clean(m['source'])})."
    return "unattributed_claim", f"Is it confirmed that {claim}?", why


def vague_source(m: re.Match[str], c: Ctx) -> Built:
    source = ph.clean(m["source"])
    number = _NUMBER.search(_claim_of(c, m))
    if number and re.search(r"[a-z%]|\d{3}", number.group()):
        q = f"What is the basis for the figure of {number.group()}?"
        return (
            "unsourced_number",
            q,
            f"The figure comes from an unnamed source ({source}) with no method given.",
        )
    return "unattributed_claim", f"Who is {source}, and is the claim confirmed?", "The source is not named."
