"""Open questions, taken from the article's own hedges.

Owns the rules that read "no date has been set", "unclear whether", "has not
said when", "in the near future", "declined to comment", "a person familiar
with the matter", "one analyst estimated" and similar, and turn each into a
question with its ``QuestionKind`` and a one-line reason. Only what the
article itself flags as open is reported; the engine does not guess at gaps.

A sentence gives one question about the story, more when it states several
things outright as open, and at most one about its sourcing (an unnamed
source or an unsourced figure). Near-duplicates are dropped. An article in
German, French or Spanish is read with the rules of ``questions_intl`` instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from summarizer.offline import hedges as h
from summarizer.offline import phrasing as ph
from summarizer.offline import questions_intl
from summarizer.offline.qcheck import check_question
from summarizer.offline.text import Document, Sentence, content_words

log = logging.getLogger(__name__)

# "Up to the end of the clause" classes let a decimal point or thousands comma
# inside a number through, so "2.4 million crowns" is never cut at "2".
_IN_NUMBER = r"|(?<=\d)[.,](?=\d)"
_CLAUSE = r"(?P<clause>(?:[^,;:.\"“”]" + _IN_NUMBER + r")+)"
_NOT = (
    r"(?:has not|have not|had not|hasn't|haven't|did not|didn't|would not|wouldn't|could not|couldn't|"
    r"cannot|can't|declined to|refused to)"
)


@dataclass(frozen=True)
class FoundQuestion:
    question: str
    kind: str
    why: str
    sentence: Sentence
    sourcing: bool


def _rx(*parts: str) -> re.Pattern[str]:
    pattern = "".join(parts).replace("[^,;:.]", "(?:[^,;:.]" + _IN_NUMBER + ")")
    return re.compile(pattern, re.IGNORECASE)


_Build = Callable[[re.Match[str], h.Ctx], h.Built]
_WH = r"(?P<wh>when|whether|if|how|why|what|who)"
_TOPIC = r"(?P<what>questions|issues|details|points|matters)"
_AUTHORITY = (
    r"(?:(?:a|an|one|two|three|several|some|other)\s+)?"
    r"(?:person|people|source|sources|official|officials|someone|diplomat|diplomats)"
)
_VAGUE = r"(?:one|an?|some|several|other)\s+(?:[\w-]+\s+){0,2}"
_VAGUE_WHO = r"(?:analysts?|economists?|experts?|observers?|traders?|sources?)"
_VAGUE_VERB = r"(?:estimated|said|says|estimates|told|calculated|predicted|reckoned|believes?)"
_DECIDED = r"(?:made|taken|reached)"
# Each rule is a pattern, its builder and its group. "explicit": the article
# says outright that something is not known or not decided; "inferred": the
# engine reads a gap from a hedge (a vague time, a condition, "expected to");
# "sourcing": an unnamed source or an unsourced figure. A sentence keeps the
# first story rule that phrases; further explicit ones are kept too when they
# match another part of the sentence ("has not said how …, and a decision on
# whether … is still pending" raises two questions). One sourcing question
# may be added.
_RULES: list[tuple[re.Pattern[str], _Build, str]] = [
    (_rx(r"\bno date (?:has |had )?(?:yet )?(?:been |was |is )?(?:yet )?(?:set )?for (?P<what>[^,;:.]+)"),
     h.no_date, "explicit"),
    (_rx(r"\bno clarity (?:yet )?(?:on|about|over|as to) ", _WH, " ", _CLAUSE), h.no_clarity, "explicit"),
    (_rx(r"\b(?P<state>unclear|not (?:yet )?(?:known|clear|certain)|uncertain|undecided|unknown|"
         r"remains? to be seen) ", _WH, " ", _CLAUSE), h.unclear, "explicit"),
    (_rx(rf"\b(?P<verb>{_NOT} (?:yet )?(?:say|said|disclose|disclosed|reveal|revealed|specify|specified|"
         r"indicate|indicated)) ", _WH, " ", _CLAUSE), h.not_said, "explicit"),
    (_rx(r"\bdecision (?:on|about|over|as to) ", _WH, " ", _CLAUSE,
         r"\s+(?:is|are|remains?|was) (?:still |yet )?(?P<state>pending|awaited|outstanding|due|"
         r"to be (?:made|taken))"), h.decision, "explicit"),
    (_rx(rf"\bno decision (?:has (?:yet )?been|had been|was|is|have been) {_DECIDED}(?: yet)? "
         r"(?:on|about|as to) ", _WH, " ", _CLAUSE), h.decision, "explicit"),
    (_rx(r"\b(?:(?:has|have|had) (?:yet|still) to decide|(?:has|have|had) not (?:yet )?decided|"
         r"(?:is|are) (?:still )?(?:deciding|considering|weighing)) ", _WH, " ", _CLAUSE),
     h.decision, "explicit"),
    (_rx(r"\b(?:work out|set|agree on|agree|decide on|decide|determine|fix|finali[sz]e) the "
         r"(?:timing|date|time|schedule) (?:of|for) (?P<what>.+?)"
         r"(?=\s+(?:once|after|when|until|if|before)\b|[,;:.]|$)"), h.timing_open, "explicit"),
    (_rx(r"\b(?:in the near future|in the coming (?:days|weeks|months)|at a later date|at some point)\b"),
     h.vague_time, "inferred"),
    (_rx(r"\b(?:is|are|was|were)\s+(?:still\s+)?(?P<verb>preparing|planning|expected|likely|poised)\s+to\s+"
         r"(?P<vp>[^,;:.]+)"), h.preparing, "inferred"),
    (_rx(r"\b(?:could|may|might|would)\s+(?P<vp>[^,;:.]+?)\s+(?:if|provided|as long as) "
         r"(?P<cond>[^,;:.]+)"), h.conditional, "inferred"),
    (_rx(r"\s+will\s+(?P<vp>[^,;:.]+?)\s+once\s+(?P<cond>[^,;:.]+)"), h.once, "inferred"),
    (_rx(r"\s+(?:(?:would|will|could|may|might)\s+depend|depends)\s+on\s+(?P<what>[^,;:.]+)"),
     h.depends, "inferred"),
    (_rx(r"\s+(?:has|have|had)\s+not\s+(?:yet\s+)?been\s+(?P<pp>published|announced|decided|set|released|"
         r"disclosed|confirmed|determined|established|identified|agreed)(?P<rest>[^,;:.]*)"),
     h.not_yet_done, "explicit"),
    (_rx(r"\s+(?:(?:is|are)\s+(?:yet|still)|remain(?:s|ed)?(?:\s+(?:yet|still))?)\s+to\s+be\s+"
         r"(?P<pp>(?!seen\b)\w+)(?P<rest>[^,;:.]*)"),
     h.not_yet_done, "explicit"),
    (_rx(r"\b(?:has|have|had) not (?P<pp>estimated|disclosed|published|released|given) (?P<what>[^,;:.]+)"),
     h.not_disclosed, "explicit"),
    (_rx(r"\s+(?P<verb>declined to comment|has not commented|have not commented|did not comment|"
         r"did not respond|could not be reached)(?:\s+to\s+(?:a\s+|the\s+)?(?:questions?|requests?|queries)"
         r"(?:\s+for\s+comment)?)?(?:\s+(?:on|about)\s+(?P<topic>[^,;:.]+))?"),
     h.no_comment, "explicit"),
    (_rx(r"\b", _TOPIC, r"\s+(?:that|which)\s+(?:still\s+)?(?:need|needs|have|has|remain)\s+to\s+be\s+"
         r"(?P<pp>\w+)(?P<rest>[^,;:.\"”]*)"), h.need_answers, "explicit"),
    (_rx(r"\b(?:still a lot to be done|a lot (?:still )?(?:remains|left) to (?:be )?do(?:ne)?|"
         r"much remains to be done)\b"), h.to_be_done, "explicit"),
    (_rx(r"[,\s]+(?:according to\s+)?(?P<source>", _AUTHORITY, r"\s+(?:familiar with|close to|briefed on|"
         r"with knowledge of)[^,;:.]*?)(?=\s+(?:said|says|told|added)\b|[,;:.]|$)"), h.unnamed, "sourcing"),
    (_rx(r"[,\s]+(?P<source>who (?:declined|asked) not to be (?:named|identified)|speaking on condition of "
         r"anonymity)"), h.unnamed, "sourcing"),
    (_rx(r"[,\s]+(?P<source>", _VAGUE, _VAGUE_WHO, r")\s+", _VAGUE_VERB, r"\b"), h.vague_source, "sourcing"),
]  # fmt: skip


def _quoted(s: Sentence, m: re.Match[str]) -> bool:
    """Whether the words a question would be built from (the match's clause) are inside quotation marks."""
    groups = [g for g in ("vp", "clause", "what", "cond", "rest") if g in m.re.groupindex and m[g]]
    return any(s.in_quotes(m.start(g)) for g in groups)


def _similar(a: FoundQuestion, b: FoundQuestion) -> bool:
    wa, wb = set(content_words(a.question)), set(content_words(b.question))
    return a.kind == b.kind and bool(wa | wb) and len(wa & wb) / len(wa | wb) >= 0.6


def _room(story: list[tuple[str, int, int]], group: str) -> bool:
    """Whether a sentence with these story questions may take one more from ``group``."""
    return not story or (group == "explicit" and all(g == "explicit" for g, _, _ in story))


def find_questions(
    doc: Document, limit: int = 12, *, check: bool = True, lang: str | None = None
) -> list[FoundQuestion]:
    """Open questions in document order; with ``check``, only those ``qcheck`` passes (a malformed
    one is withheld and the sentence's next rule tried). ``lang`` (an ISO 639-1 code) picks the
    rules: ``de``, ``fr`` and ``es`` have their own, any other language is read with the English ones."""
    lang = lang if lang in questions_intl.RULES else "en"
    rules = questions_intl.RULES.get(lang, _RULES)
    out: list[FoundQuestion] = []
    previous: Sentence | None = None
    proper = doc.proper_words()
    for s in doc.body:
        ctx = h.Ctx(s, previous, proper)
        sourced = False
        story: list[tuple[str, int, int]] = []  # (group, start, end) of the story questions kept
        for pattern, build, group in rules:
            if (group == "sourcing" and sourced) or (group != "sourcing" and not _room(story, group)):
                continue
            for m in pattern.finditer(s.text):
                if group != "sourcing" and any(a < m.end() and m.start() < b for _, a, b in story):
                    continue
                if group == "inferred" and _quoted(s, m):
                    # A speaker's hypothetical ("I don't know what we would have done if …") is
                    # theirs: a quotation is never turned into a question. A speaker who says
                    # outright that something is open ("questions that need to be answered") is
                    # an explicit hedge and still raises it.
                    continue
                built = build(m, ctx)
                if built is None:
                    continue
                kind, question, why = built
                found = FoundQuestion(ph.capitalise(question), kind, why, s, group == "sourcing")
                if check and (faults := check_question(found.question, found.kind, lang=lang)):
                    log.debug("question withheld (%s): %r", "; ".join(faults), found.question)
                    continue
                if any(q.question.lower() == found.question.lower() or _similar(q, found) for q in out):
                    break
                out.append(found)
                if group == "sourcing":
                    sourced = True
                else:
                    story.append((group, m.start(), m.end()))
                break
        if s.prose:
            previous = s
    return out[:limit]
