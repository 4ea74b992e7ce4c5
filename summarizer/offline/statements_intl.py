"""Who said what in German, French and Spanish articles (issue 12: beyond English).

Owns reading attributions in these languages; the wording of each lives in
``statements_de``, ``statements_fr`` and ``statements_es`` as a ``Wording``.
A sentence gives at most one statement, from the first of these outside
quotation marks:

* no comment: "X wollte sich nicht äußern", "X n'a pas souhaité commenter",
  "X no quiso hacer comentarios" (the claim is the sentence);
* tail: the claim, then the verb and the speaker ("„…“, sagte X", "…, a
  déclaré X", "…, dijo X", "…, so X");
* lead: the speaker, the verb, the reported clause ("X sagte, …", "X a déclaré
  que …", "X dijo que …");
* source: "laut X", "nach Angaben von X", "selon X", "d'après X", "según X".

A negated verb ("sagte nicht", "n'a pas dit", "no dijo") gives nothing. The
speaker is a found entity when the phrase ends in one, else the name in the
phrase ("Sprecher Holger Kamp", "la alcaldesa, Inés Carvajal"), else the
phrase; a pronoun (er/sie, il/elle, él/ella) is the last person named before.
Quotation marks are read by the language's pairs (``text.requote``); direct,
the claim of a mainly quoted sentence and quote continuation work as in
``statements``. English never comes here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from summarizer.offline.entities import FoundEntity
from summarizer.offline.statements import Attributed, Reading, _last_person, _quoted_words, _resolve, collect
from summarizer.offline.text import (
    Document,
    Sentence,
    requote,
    sentence_case,
    split_sentences,
    strip_dateline,
)

CAP = r"[A-ZÀ-ÖØ-Þ](?!['’][a-zà-ÿ])[\w'’.-]*"
"""A capitalised word; an elided article before a lower-case word ("L'entreprise") is not one."""
MARKS = '„“”»«"'
_SPACES = " \u00a0\u202f"
_NAME = re.compile(rf"{CAP}(?:\s+{CAP}){{1,2}}")


@dataclass(frozen=True)
class Wording:
    """How one language attributes what was said. ``tail``, ``lead`` and ``source`` set ``verb``
    (``tail``: its ``speaker`` follows; ``lead``: a ``gap`` of words, then the ``claim``; ``source``:
    its ``speaker``). ``no_comment`` matches after its speaker."""

    quotes: Mapping[str, str]
    """Each opening quotation mark and the marks that close it."""
    tail: re.Pattern[str]
    lead: re.Pattern[str]
    source: re.Pattern[str]
    no_comment: re.Pattern[str]
    oblique: dict[str, str]
    """Articles of a ``source`` speaker that are not those of a subject, and what they become
    ("" drops one: "nach Angaben der Stadtwerke" is "Stadtwerke"); a speaker must stay the
    article's own words."""
    stop: re.Pattern[str]
    """Where a speaker phrase after the verb ends: a medium, a time, a place of saying."""
    negated: re.Pattern[str]
    """A negation in the verb or its gap ("nicht", "pas", "no")."""
    negated_before: re.Pattern[str]
    """A negation right before the verb ("n'", "no")."""
    clause_words: re.Pattern[str]
    """Words after which a speaker phrase before the verb starts ("und", "mais", "porque")."""
    relative: re.Pattern[str]
    """A comma part opening with a relative pronoun: not the speaker."""
    articles: frozenset[str]
    pronouns: frozenset[str]
    """Third person singular pronouns: the last person named."""
    not_speakers: frozenset[str]
    """Other pronouns and words that never name a speaker ("man", "on", "nosotros")."""
    plural: re.Pattern[str]
    """A verb form of a plural subject: with it "sie" is "they", not "she"."""
    back_reference: re.Pattern[str]
    """A description of the last person named ("die 74-Jährige")."""
    name_lead: re.Pattern[str]
    """The word before a name that may follow a role ("Sprecher Holger Kamp", "le maire Paul Martin")."""
    name_words: tuple[int, ...]
    """How many words a name at the end of a phrase may have, the first tried first."""
    honorifics: frozenset[str]
    """Words before a name that are not part of it ("Dr.", "Mme", "Sra.")."""


def _quote_claim(s: Sentence) -> str:
    text = " ".join(s.text[a:b].strip(MARKS + _SPACES + ",") for a, b in s.quoted)
    return sentence_case(split_sentences(text)[0])


def _name(phrase: str, w: Wording) -> str | None:
    """The name a phrase ends in: "Lindenbachs Bürgermeister Erwin Stahl" -> "Erwin Stahl"; None for
    a phrase that does not ("die Stadtwerke Brelingen": after an article it is not a name)."""
    words = phrase.split()
    for n in w.name_words:
        tail = words[-n:]
        if len(words) < n or not _NAME.fullmatch(" ".join(tail)) or tail[0] in w.honorifics:
            continue
        if any(t.lower() in w.articles for t in tail):
            continue
        before = words[-n - 1] if len(words) > n else None
        if (
            before is None
            or before in w.honorifics
            or (before.lower() not in w.articles and w.name_lead.fullmatch(before))
        ):
            return " ".join(tail)
    return None


def _speaker(phrase: str, w: Wording, entities: list[FoundEntity], known: list[str]) -> str:
    """A speaker phrase as the summary names it: the entity or the name it ends in, the person
    named before whose surname it is, else the phrase with its article in lower case."""
    parts = [p.strip() for p in phrase.split(",") if p.strip() and not w.relative.match(p.strip())]
    for part in parts:
        name = _name(part, w)
        if name:
            return _resolve(name, entities)
    phrase = parts[-1] if parts else phrase
    resolved = _resolve(phrase, entities)
    if resolved != phrase:
        return resolved
    name = _name(phrase, w)
    if name:
        return name
    full = next((k for k in reversed(known) if k.split()[-1] == phrase), None)
    if full:
        return full
    first = phrase.split()[0].lower()
    return phrase[0].lower() + phrase[1:] if first in w.articles or first[:2] in {"l'", "l’"} else phrase


def _clean(phrase: str, w: Wording) -> str:
    """A speaker phrase after the verb, cut where a medium, a time or a place of saying starts."""
    phrase = phrase.strip(MARKS + _SPACES + ".!?")
    stop = w.stop.search(phrase)
    return phrase[: stop.start()].strip() if stop else phrase


def _head(s: Sentence, end: int, w: Wording) -> str:
    """The phrase before a verb: after the last quotation mark, semicolon, colon or clause word."""
    head = s.text[:end]
    # Clause words in any case: "Wie ein Sprecher sagte, …" opens the sentence with one.
    words = re.finditer(w.clause_words.pattern, head, re.IGNORECASE)
    cut = max([head.rfind(ch) + 1 for ch in MARKS + ";:"] + [m.end() for m in words])
    return head[cut:].strip(" ,")


def _usable(phrase: str, w: Wording) -> bool:
    words = phrase.split()
    if not 1 <= len(words) <= 10 or phrase.lower() in w.not_speakers or words[-1].lower() in w.articles:
        return False
    return bool(re.search(r"[^\W\d_]", phrase))


Found = tuple[int, str, str, str]
"""Where the attribution starts in the sentence, the speaker phrase, the claim, the verb."""


def _tail(s: Sentence, w: Wording) -> Found | None:
    for m in w.tail.finditer(s.text):
        if s.in_quotes(m.start("verb")) or w.negated_before.search(s.text[: m.start("verb")]):
            continue
        speaker = _clean(m["speaker"], w)
        rest = s.text[m.end("speaker") :]
        app = re.fullmatch(r",\s*([^,;:]+?)\s*[.!?]?", rest)
        if app and (_name(speaker, w) or _name(app.group(1).strip(), w)):
            speaker = f"{speaker}, {_clean(app.group(1), w)}"  # "dijo la alcaldesa, Inés Carvajal."
        elif m["verb"] == "so" and not re.fullmatch(r"\s*[.!?]?", rest):
            continue  # "so" names a speaker only at the end of the sentence
        before = s.text[: m.start("verb")].rstrip(" ,")
        if _usable(speaker, w) and before:
            return m.start("verb"), speaker, before, m["verb"]
    return None


def _lead(s: Sentence, w: Wording) -> Found | None:
    for m in w.lead.finditer(s.text):
        start = m.start("verb")
        if s.in_quotes(start) or w.negated.search(m["verb"] + m["gap"]):
            continue
        if w.negated_before.search(s.text[:start]):
            continue
        if w.relative.match(s.text[:start].rsplit(",", 1)[-1].strip()):
            continue  # "L'homme, qui a déclaré …": the verb of a relative clause, not an attribution
        head = _head(s, start, w)
        gap = _clean(m["gap"], w)
        first = head.split()[0].lower() if head else ""
        # "Das Ministerium erklärte": an article opening a longer phrase is no pronoun.
        pronoun_like = first in w.not_speakers and not (first in w.articles and len(head.split()) > 1)
        if head and not pronoun_like and _usable(head, w):
            return start, head, m["claim"], m["verb"]
        # The verb before its subject: "Am Dienstag sagte der Bürgermeister, …".
        if _usable(gap, w) and (gap.split()[0].lower() in w.articles | w.pronouns or gap[0].isupper()):
            return start, gap, m["claim"], m["verb"]
    return None


def _source(s: Sentence, w: Wording) -> Found | None:
    for m in w.source.finditer(s.text):
        if s.in_quotes(m.start()) or not _usable(m["speaker"], w):
            continue
        before, after = s.text[: m.start()].rstrip(" ,"), s.text[m.end() :].lstrip(" ,")
        if not before and not after.strip(" .!?"):
            continue
        if not before:  # "Laut Polizei wurde …": without the phrase the clause would open with its verb
            claim = after if s.text[m.end() :].startswith(",") else s.text
        else:  # "…, selon la préfecture, …", "… befanden sich nach Angaben der Firma 40.000 …"
            claim = f"{before} {after}" if after.strip(" .!?") else before
        speaker = m["speaker"]
        article = speaker.split()[0]
        if article in w.oblique:  # "nach Angaben der Firma": "Firma"
            speaker = f"{w.oblique[article]} {speaker[len(article) :].strip()}".strip()
        return m.start(), speaker, claim, ""
    return None


def _no_comment(s: Sentence, w: Wording) -> Found | None:
    m = w.no_comment.search(s.text)
    if not m or s.in_quotes(m.start()):
        return None
    head = _head(s, m.start(), w)
    return (m.start(), head, s.text, m.group()) if _usable(head, w) else None


def _attribution(s: Sentence, w: Wording) -> Found | None:
    found = [f for f in (_tail(s, w), _lead(s, w), _source(s, w)) if f is not None]
    return _no_comment(s, w) or min(found, default=None)


def find(doc: Document, entities: list[FoundEntity], w: Wording, limit: int) -> list[Attributed]:
    """Statements in document order, at most one per sentence (``statements.find_statements``)."""
    doc = requote(doc, w.quotes)
    known: list[str] = []
    """Full names named so far: a bare surname or a pronoun may stand for one of them."""
    people = [e for e in entities if e.kind == "person"]

    def read(s: Sentence) -> Reading:
        attribution = _attribution(s, w)
        if attribution is None:
            return False, None
        _, phrase, claim, verb = attribution
        speaker: str | None
        if phrase.lower() in w.pronouns or w.back_reference.fullmatch(phrase):
            they = phrase.lower() == "sie" and w.plural.search(verb)  # "sagten sie": not one person
            extra = [FoundEntity(k, "person", "") for k in known]
            speaker = None if they else _last_person(doc, people + extra, s.start)
        else:
            speaker = _speaker(phrase, w, entities, known)
        if not speaker:
            return True, None
        direct = _quoted_words(s) >= 3
        opens = s.text.lstrip(_SPACES)[:1] in MARKS or bool(re.search(r":\s*[„“»«\"]", s.text))
        mostly_quote = direct and (opens or sum(b - a for a, b in s.quoted) >= 0.5 * len(s.text))
        claim = _quote_claim(s) if mostly_quote else sentence_case(strip_dateline(claim))
        if _NAME.fullmatch(speaker):
            known.append(speaker)
        return True, Attributed(speaker, claim, direct, s)

    return collect(doc, read, _quote_claim, limit)
