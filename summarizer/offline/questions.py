"""Open questions, taken from the article's own hedges.

Owns the rules that read "no date has been set", "unclear whether", "has not
said when", "in the near future", "declined to comment", "a person familiar
with the matter", "one analyst estimated" and similar, and turn each into a
question with its ``QuestionKind`` and a one-line reason. Only what the
article itself flags as open is reported; the engine does not guess at gaps.

A sentence gives at most one question about the story and one about its
sourcing (an unnamed source or an unsourced figure). Near-duplicates are
dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from summarizer.offline import hedges as h
from summarizer.offline import phrasing as ph
from summarizer.offline.text import Document, Sentence, content_words

_CLAUSE = r"(?P<clause>[^,;:.\"“”]+)"
_NOT = r"(?:has not|have not|had not|hasn't|haven't|did not|didn't|would not|wouldn't|declined to|refused to)"


@dataclass(frozen=True)
class FoundQuestion:
    question: str
    kind: str
    why: str
    sentence: Sentence
    sourcing: bool


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("".join(parts), re.IGNORECASE)


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
# Story rules first, in priority order (a sentence keeps the first that phrases),
# then the sourcing rules (the bool), which may add one more question.
_RULES: list[tuple[re.Pattern[str], _Build, bool]] = [
    (_rx(r"\bno date (?:has |had )?(?:yet )?(?:been |was |is )?(?:yet )?(?:set )?for (?P<what>[^,;:.]+)"),
     h.no_date, False),
    (_rx(r"\bno clarity (?:yet )?(?:on|about|over|as to) ", _WH, " ", _CLAUSE), h.no_clarity, False),
    (_rx(r"\b(?P<state>unclear|not (?:yet )?(?:known|clear|certain)|uncertain|undecided|unknown|"
         r"remains? to be seen) ", _WH, " ", _CLAUSE), h.unclear, False),
    (_rx(rf"\b(?P<verb>{_NOT} (?:yet )?(?:say|said|disclose|disclosed|reveal|revealed|specify|specified|"
         r"indicate|indicated)) ", _WH, " ", _CLAUSE), h.not_said, False),
    (_rx(r"\b(?:work out|set|agree on|agree|decide on|decide|determine|fix|finali[sz]e) the "
         r"(?:timing|date|time|schedule) (?:of|for) (?P<what>.+?)"
         r"(?=\s+(?:once|after|when|until|if|before)\b|[,;:.]|$)"), h.timing_open, False),
    (_rx(r"\b(?:in the near future|in the coming (?:days|weeks|months)|at a later date|at some point)\b"),
     h.vague_time, False),
    (_rx(r"\b(?:is|are|was|were)\s+(?:still\s+)?(?P<verb>preparing|planning|expected|likely|poised)\s+to\s+"
         r"(?P<vp>[^,;:.]+)"), h.preparing, False),
    (_rx(r"\bcould\s+(?P<vp>[^,;:.]+?)\s+if (?:necessary|needed|required)\b"), h.if_necessary, False),
    (_rx(r"\s+will\s+(?P<vp>[^,;:.]+?)\s+once\s+(?P<cond>[^,;:.]+)"), h.once, False),
    (_rx(r"\s+(?:(?:would|will|could|may|might)\s+depend|depends)\s+on\s+(?P<what>[^,;:.]+)"),
     h.depends, False),
    (_rx(r"\s+(?:has|have|had)\s+not\s+(?:yet\s+)?been\s+(?P<pp>published|announced|decided|set|released|"
         r"disclosed|confirmed|determined|agreed)(?P<rest>[^,;:.]*)"), h.not_yet_done, False),
    (_rx(r"\s+(?:(?:is|are)\s+(?:yet|still)|remain(?:s|ed)?(?:\s+(?:yet|still))?)\s+to\s+be\s+"
         r"(?P<pp>(?!seen\b)\w+)(?P<rest>[^,;:.]*)"),
     h.not_yet_done, False),
    (_rx(r"\b(?:has|have|had) not (?P<pp>estimated|disclosed|published|released|given) (?P<what>[^,;:.]+)"),
     h.not_disclosed, False),
    (_rx(r"\s+(?P<verb>declined to comment|has not commented|have not commented|did not comment|"
         r"did not respond|could not be reached)(?:\s+(?:on|about)\s+(?P<topic>[^,;:.]+))?"),
     h.no_comment, False),
    (_rx(r"\b", _TOPIC, r"\s+(?:that|which)\s+(?:still\s+)?(?:need|needs|have|has|remain)\s+to\s+be\s+"
         r"(?P<pp>\w+)(?P<rest>[^,;:.\"”]*)"), h.need_answers, False),
    (_rx(r"\b(?:still a lot to be done|a lot (?:still )?(?:remains|left) to (?:be )?do(?:ne)?|"
         r"much remains to be done)\b"), h.to_be_done, False),
    (_rx(r"[,\s]+(?:according to\s+)?(?P<source>", _AUTHORITY, r"\s+(?:familiar with|close to|briefed on|"
         r"with knowledge of)[^,;:.]*?)(?=\s+(?:said|says|told|added)\b|[,;:.]|$)"), h.unnamed, True),
    (_rx(r"[,\s]+(?P<source>who (?:declined|asked) not to be (?:named|identified)|speaking on condition of "
         r"anonymity)"), h.unnamed, True),
    (_rx(r"[,\s]+(?P<source>", _VAGUE, _VAGUE_WHO, r")\s+", _VAGUE_VERB, r"\b"), h.vague_source, True),
]  # fmt: skip


def _similar(a: FoundQuestion, b: FoundQuestion) -> bool:
    wa, wb = set(content_words(a.question)), set(content_words(b.question))
    return a.kind == b.kind and bool(wa | wb) and len(wa & wb) / len(wa | wb) >= 0.6


def find_questions(doc: Document, limit: int = 12) -> list[FoundQuestion]:
    """Open questions in document order."""
    out: list[FoundQuestion] = []
    previous: Sentence | None = None
    proper = doc.proper_words()
    for s in doc.body:
        ctx = h.Ctx(s, previous, proper)
        taken = {False: False, True: False}
        for pattern, build, sourcing in _RULES:
            if taken[sourcing]:
                continue
            m = pattern.search(s.text)
            built = build(m, ctx) if m else None
            if built is None:
                continue
            kind, question, why = built
            found = FoundQuestion(ph.capitalise(question), kind, why, s, sourcing)
            if any(q.question.lower() == found.question.lower() or _similar(q, found) for q in out):
                continue
            out.append(found)
            taken[sourcing] = True
        if s.prose:
            previous = s
    return out[:limit]
