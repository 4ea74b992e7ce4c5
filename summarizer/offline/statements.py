"""Who said what: statements found by reporting verbs and quotation marks.

Owns attribution for the offline engine. A sentence gives at most one
statement, from the first reporting verb outside quotation marks ("said",
"told", "according to", "estimated", "declined to comment" …):

* speaker: the phrase next to the verb ("…," said Peskov / union chair Rosa
  Almeida told … / …, a person familiar with the matter said). A known
  person's surname becomes the full name; "he"/"she" become the last person
  named before; unnamed sources keep their description.
* direct: the sentence quotes at least three words in quotation marks.
* claim: the quotation's first sentence when the sentence is mainly a quote,
  else the reported clause (the part before a tail attribution, or after
  "said that"), else the sentence.

A sentence that is only a quotation continues the statement of the sentence
right before it. The evidence is always the whole sentence. German, French
and Spanish articles are read by ``statements_intl`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from summarizer import textrules as rules
from summarizer.offline.entities import FoundEntity
from summarizer.offline.text import (
    WORD,
    Document,
    Sentence,
    sentence_case,
    split_sentences,
    squash,
    strip_dateline,
)

_VERB = re.compile(
    r"\b(said|says|told|tells|added|adds|stated|confirmed|confirms|announced|announces|estimated|"
    r"estimates|warned|warns|noted|explained|insisted|claimed|claims|denied|wrote|declined to comment|"
    r"according to)\b"
)
_PASSIVE = re.compile(r"\b(was|were|been|being|is|are|be)\s+(\w+ly\s+)?$")
_BOUNDARY = re.compile(r"""[,;:"“”()—–]|\b(?:that|but|and|while|because|after|which|who|when|as)\s""")
_AUX_TAIL = re.compile(r"\s+(?:has|have|had|also|has not|did not|later|then|previously)$")
_NEGATED = re.compile(r"\b(?:not|n't|never)\s+$")
_PRONOUNS = {"he", "she"}
_NAME_AFTER = re.compile(r"^\s+((?:(?:a|an|the|one)\s+)?[^,.;:\"“”]{2,60}?)\s*(?=[,.;:]|$)")
_THAT_CLAUSE = re.compile(r"^(?:\s+\w+){0,6}?\s+that\s+(.+)$")
_QUOTE_CHARS = '"“”'
_PREP_END = re.compile(r"\b(?:of|on|in|at|from|near|for|with|to|by|and|or)\s+(?:the\s+)?$")
# ", who led the inspection," / ", a baker," between a speaker and the verb.
_PARENTHETICAL = re.compile(r",\s+(?:who|whom|which|a|an|the)\s[^,;:\"“”]*,$")
# Where the reported clause starts after "told <someone>": a subject and a verb.
_CLAUSE_START = re.compile(
    r"(?:(?:the|a|an|its|his|her|their|this|these|those)\s+[\w'’-]+(?:\s+[\w'’-]+){0,3}?|"
    r"it|he|she|they|we|I|there|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
    r"\s+(?:\w+ly\s+)?(?:would|will|was|were|is|are|had|has|have|could|should|might|may|must|can|did)\b"
)
_TIME_OPENERS = re.compile(rf"^(?:{rules.WEEKDAY}|{rules.MONTH})\b")
_COLON_QUOTE = re.compile(r"\b(?:said|says|added|told \w+|wrote|stated)\s*:\s*[\"“]")


@dataclass
class Attributed:
    speaker: str
    claim: str
    direct: bool
    sentence: Sentence


def _quoted_words(s: Sentence) -> int:
    return sum(len(WORD.findall(s.text[a:b])) for a, b in s.quoted)


def _first_quote_sentence(s: Sentence) -> str:
    text = " ".join(s.text[a:b].strip(_QUOTE_CHARS + " ,") for a, b in s.quoted)
    return sentence_case(split_sentences(text)[0])


def _last_person(doc: Document, entities: list[FoundEntity], upto: int) -> str | None:
    people = [e.name for e in entities if e.kind == "person"]
    best: tuple[int, str] | None = None
    text = doc.text[:upto]
    for name in people:
        for alias in (name, name.split()[-1]):
            pos = text.rfind(alias)
            if pos >= 0 and (best is None or pos > best[0]):
                best = (pos, name)
    return best[1] if best else None


def _back_reference(phrase: str, entities: list[FoundEntity]) -> str | None:
    """ "the department" after "the county roads department": the one organisation it can mean."""
    m = re.fullmatch(r"[Tt]he ((?:[a-z'’-]+ ){0,3}[a-z]+)", phrase)
    if not m:
        return None
    tail = " " + m.group(1)
    orgs = [e.name for e in entities if e.kind == "organization" and (" " + e.name.casefold()).endswith(tail)]
    if len(orgs) != 1:
        return None
    return orgs[0] if orgs[0][:1].isupper() else "the " + orgs[0]


def _resolve(phrase: str, entities: list[FoundEntity]) -> str:
    """A speaker phrase as the summary names it.

    A known name stands for the phrase only when it is the phrase's head:
    "union chair Rosa Almeida" is Rosa Almeida and "the bus operator Almsby
    Coaches" is Almsby Coaches, but "Shop owners on Bridge Street" stay whole.
    """
    for e in entities:
        if e.kind not in {"person", "organization"} or not e.name[:1].isupper():
            continue
        aliases = (e.name, e.name.split()[-1]) if e.kind == "person" else (e.name,)
        for alias in aliases:
            if phrase == alias or (
                phrase.endswith(" " + alias) and not _PREP_END.search(phrase[: -len(alias)])
            ):
                return e.name
    back = _back_reference(phrase, entities)
    if back:
        return back
    if re.match(r"^the [A-Z]", phrase, re.IGNORECASE) and phrase[4:5].isupper():
        return phrase[4:]
    if re.match(r"^(The|A|An|One|Its|Their)\s", phrase):
        return phrase[0].lower() + phrase[1:]
    return phrase


def _speaker_before(s: Sentence, verb_start: int) -> tuple[str, int]:
    """The phrase before the verb up to a clause boundary, and where it starts."""
    head = s.text[:verb_start].rstrip()
    cut = 0
    for m in _BOUNDARY.finditer(head):
        cut = m.end()
    phrase = _AUX_TAIL.sub("", head[cut:].strip())
    return phrase, cut


def _told_clause(after: str) -> str | None:
    """ "told state television in late October the treaty would be signed" -> "the treaty would …"."""
    starts = [m.start() for m in re.finditer(r"(?<=\s)\S", after)]
    for pos in starts[1:12]:
        if _TIME_OPENERS.match(after[pos:]):
            continue
        if _CLAUSE_START.match(after, pos) and "," not in after[:pos]:
            return after[pos:]
    return None


def _tidy_claim(claim: str) -> str:
    """ "safe for now but that the work could not wait" -> "safe for now but the work could not wait"."""
    return re.sub(r"(,?\s+)but that\s+", r"\1but ", claim)


def _attribution(s: Sentence) -> tuple[str, str, bool] | None:
    """(speaker phrase, claim, speaker is a pronoun to resolve) for one sentence."""
    for m in _VERB.finditer(s.text):
        head = s.text[: m.start()]
        if s.in_quotes(m.start()) or _PASSIVE.search(head) or _NEGATED.search(head):
            continue
        verb = m.group(1)
        before = s.text[: m.start()].rstrip()
        after = s.text[m.end() :]
        if verb == "according to":
            name = _NAME_AFTER.match(after)
            if not name:
                continue
            claim = (before.rstrip(",") + after[name.end() :]) if before else after[name.end() :]
            return name.group(1), sentence_case(claim.lstrip(" ,")), False
        parenthetical = _PARENTHETICAL.search(before)
        inverted = not parenthetical and (before.endswith((",", ',"', ",”", '."', ".”")) or not before)
        phrase, cut = _speaker_before(s, parenthetical.start() if parenthetical else m.start())
        if inverted and re.match(r"^\s+[A-Z]|^\s+(a|an|the|one)\s", after):
            name = _NAME_AFTER.match(after)
            if name:
                return name.group(1), sentence_case(before), False
        if not phrase or len(phrase.split()) > 8 or not re.search(r"[A-Za-z]", phrase):
            continue
        pronoun = phrase.lower() in _PRONOUNS
        if phrase.lower() in {"it", "they", "we", "i", "you"}:
            continue
        if verb == "declined to comment":
            return phrase, sentence_case(s.text), pronoun
        if cut > 0 and s.text[:cut].rstrip().endswith(","):
            return phrase, sentence_case(s.text[:cut].rstrip().rstrip(",")), pronoun
        that = _THAT_CLAUSE.match(after)
        if that:
            return phrase, sentence_case(_tidy_claim(that.group(1))), pronoun
        if verb in {"said", "says", "added"}:
            tail = after.strip()
            if len(tail.split()) >= 4:
                return phrase, sentence_case(_tidy_claim(tail)), pronoun
        told = _told_clause(after) if verb in {"told", "tells"} else None
        if told:
            return phrase, sentence_case(_tidy_claim(told)), pronoun
        return phrase, sentence_case(s.text), pronoun
    return None


def _saying(s: Sentence, entities: list[FoundEntity]) -> tuple[str, str, bool] | None:
    """ "The Varno Farmers' Association rejected that, saying …": the named subject said it."""
    m = re.search(r",\s+saying\s+(?:that\s+)?(.+)$", s.text)
    if not m or s.in_quotes(m.start()):
        return None
    opening = re.sub(r"^(?:The|the)\s+", "", s.text)
    for e in entities:
        if e.kind in {"person", "organization"} and opening.startswith(e.name):
            return e.name, sentence_case(m.group(1)), False
    return None


def find_statements(
    doc: Document, entities: list[FoundEntity], limit: int = 20, *, lang: str | None = None
) -> list[Attributed]:
    """Statements in document order, at most one per sentence. ``lang`` (an ISO 639-1 code) picks the
    rules: ``de``, ``fr`` and ``es`` have their own wording (``statements_intl``), any other language
    is read with the English rules of this module."""
    if lang in {"de", "fr", "es"}:
        # Imported here: those modules build on this one's helpers.
        from summarizer.offline import statements_de, statements_es, statements_fr, statements_intl

        wording = {"de": statements_de.WORDING, "fr": statements_fr.WORDING, "es": statements_es.WORDING}
        return statements_intl.find(doc, entities, wording[lang], limit)

    def read(s: Sentence) -> Reading:
        attribution = _attribution(s) or _saying(s, entities)
        if attribution is None:
            return False, None
        phrase, claim, pronoun = attribution
        speaker = _last_person(doc, entities, s.start) if pronoun else _resolve(phrase, entities)
        if not speaker:
            return True, None
        direct = _quoted_words(s) >= 3
        leads_to_quote = s.text.lstrip()[:1] in _QUOTE_CHARS or bool(_COLON_QUOTE.search(s.text))
        mostly_quote = direct and (leads_to_quote or sum(b - a for a, b in s.quoted) >= 0.5 * len(s.text))
        claim = _first_quote_sentence(s) if mostly_quote else sentence_case(strip_dateline(claim))
        return True, Attributed(speaker, claim, direct, s)

    return collect(doc, read, _first_quote_sentence, limit)


Reading = tuple[bool, Attributed | None]
"""What one sentence says: whether it attributes something, and the statement (None when the
attribution names no one the rules can tell)."""


def collect(
    doc: Document, read: Callable[[Sentence], Reading], quote_claim: Callable[[Sentence], str], limit: int
) -> list[Attributed]:
    """Statements in document order, at most one per sentence: what ``read`` finds, and a sentence
    that is only a quotation, with no attribution of its own, continues the direct statement of the
    sentence right before it (its claim is ``quote_claim``). English and the other languages alike."""
    out: list[Attributed] = []
    previous: Attributed | None = None
    for s in doc.body:
        attributes, found = read(s)
        if (
            not attributes
            and s.all_quoted
            and _quoted_words(s) >= 3
            and previous is not None
            and previous.direct
            and previous.sentence.index == s.index - 1
        ):
            found = Attributed(previous.speaker, quote_claim(s), True, s)
        if found is not None and squash(found.claim):
            out.append(found)
            if len(out) == limit:  # the rest would be cut: a long article need not be read on
                break
        previous = found
    return out
