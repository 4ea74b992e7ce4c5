"""A rule-based check that a generated question is a well-formed English question.

Owns the rules only; the offline engine runs them on every question before
emitting it (``offline.questions``), and ``bench/quality.py`` over every
question the product writes. Each rule looks for one shape of malformed question seen in
generated output (a wh-phrase split by its auxiliary, "How will much repairs
cost"; two questions glued with "or"; a dangling conjunction; a repeated
word; inversion inside an indirect question; an auxiliary with no subject;
a yes/no question built around an unsourced estimate, which asks the reader
to confirm a number instead of asking whose it is; a first-person pronoun,
the sign of a quotation turned into a question). It is conservative: a
question it passes may still read badly, but every flag names a concrete
fault. Questions in other scripts or languages get only the
language-neutral checks (question mark, repeated word, balanced quotes);
German, French and Spanish ones get a few cheap checks of their own as well
(``_intl``: a capital first, Spanish's opening "¿", no dangling conjunction,
no first person, German's verb in second place, French's elided "qu'").
"""

from __future__ import annotations

import itertools
import re

from summarizer import language


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


WH = _set("what when where why how who whom whose which")
AUX = _set("is are was were will would can could should shall may might must do does did has have had")
_PREPOSITIONS = _set("by for in on at from to with until since under according after before during")
_QUANTIFIERS = _set("much many long far often soon big large old high deep wide")
_NO_SUBJECT_WH = _set("when where why how")
"""Wh-words that cannot be the subject themselves ("Who will pay?" is fine, "When will reopen?" is not)."""
_BARE_VERBS = _set(
    """say said tell mean think want reopen resume restart start begin end happen be take cost pay decide
    return close open come go make give"""
)
_MODALS = AUX - {"have", "has", "had", "do", "does", "did"}
"""Auxiliaries that cannot follow a subject in a question ("Will they have to pay?", "Did they do it?")."""
_PRONOUNS = _set("i you we they he she it")
_TRAILING = _set("or and but nor whether if of the a an to")
_HEDGED_NUMBER = re.compile(
    r"\b(?:about|around|roughly|some|nearly|almost|approximately|an estimated|more than|up to|over)\s+"
    r"[€$£]?\d",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_LATIN = re.compile(r"^[\x00-\x7f\u00c0-\u024f\u2018-\u201f\u2013\u2014\u20ac£]*$")
_FIRST_PERSON = _set("i me my we us our i'm i've we're we've")
_REPEAT_OK = frozenset({"had", "that"})
"""English allows "had had" and "that that"."""


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def check_question(question: str, kind: str | None = None, *, lang: str | None = None) -> list[str]:
    """The faults found in ``question`` (empty when it passes).

    ``kind`` is the product's question kind when known; ``unsourced_number``
    makes any yes/no form a fault, because the question to ask about an
    unsourced number is whose it is and how it was reached. ``lang`` is the
    question's language when known; without it, a German, French or Spanish
    question is told by its form (``_guess``), anything else is checked as English.
    """
    text = " ".join(question.split()).replace("？", "?")  # the full-width mark of CJK text
    faults: list[str] = []
    if not text.endswith("?"):
        faults.append("does not end with a question mark")
    if "?" in text[:-1]:
        faults.append("several question marks: more than one question in one")
    faults += _repeats(text)
    if text.count("(") != text.count(")") or text.count('"') % 2 or text.count("“") != text.count("”"):
        faults.append("unbalanced brackets or quote marks")
    lang = lang if lang is not None else _guess(text)
    if lang in _INTL:
        return faults + _intl(text, lang)
    if not _LATIN.match(text):
        return faults
    words = _words(text)
    if not words:
        return [*faults, "no words"]
    if text[:1].islower():
        faults.append("starts with a lower-case letter")
    faults += _opening(words)
    faults += _inner(text, words)
    first_person = sorted(set(words) & _FIRST_PERSON)
    if first_person:
        faults.append(f"first person ({first_person[0]!r}): a quotation turned into a question")
    yes_no = words[0] in AUX
    if yes_no and (kind == "unsourced_number" or _HEDGED_NUMBER.search(text)):
        faults.append(
            "yes/no question built around an unsourced estimate (ask whose it is and how it was reached)"
        )
    return faults


def is_grammatical(question: str, kind: str | None = None, *, lang: str | None = None) -> bool:
    return not check_question(question, kind, lang=lang)


def _repeats(text: str) -> list[str]:
    tokens = re.findall(r"\w+", text.lower())
    return [
        f"repeated word {a!r}"
        for a, b in itertools.pairwise(tokens)
        if a == b and not a.isdigit() and a not in _REPEAT_OK
    ]


def _negated(word: str) -> bool:
    return word.endswith(("n't", "n’t"))


def _opening(words: list[str]) -> list[str]:
    first = words[0]
    if first in WH or first in AUX:
        pass
    elif first in _PREPOSITIONS and len(words) > 1 and (words[1] in WH or words[1] in {"what", "which"}):
        words = words[1:]
    else:
        return [f"does not open like a question ({first!r} is neither a wh-word nor an auxiliary)"]
    faults: list[str] = []
    if words[0] == "how" and len(words) > 2 and words[1] in AUX and words[2] in _QUANTIFIERS:
        faults.append(
            f"wh-phrase split by the auxiliary ('how {words[1]} {words[2]}': 'how {words[2]} {words[1]}')"
        )
    if words[0] in WH and len(words) > 2 and words[1] in AUX and words[2] in AUX:
        faults.append(f"two auxiliaries in a row ({words[1]!r}, {words[2]!r})")
    if (
        words[0] in AUX
        and len(words) > 1
        and words[1] in AUX
        and words[1] not in {"have", "has", "had", "be"}
    ):
        faults.append(f"two auxiliaries in a row ({words[0]!r}, {words[1]!r})")
    if (
        words[0] in AUX
        and len(words) > 2
        and words[1] in _PRONOUNS
        and (words[2] in _MODALS or _negated(words[2]))
    ):
        faults.append(f"two finite verbs: a statement inside a yes/no question ('{' '.join(words[:3])}')")
    if words[0] in _NO_SUBJECT_WH and len(words) > 2 and words[1] in AUX and words[2] in _BARE_VERBS:
        faults.append(f"no subject between {words[1]!r} and {words[2]!r}")
    subject_wh = words[0] in {"what", "who", "which"}
    if subject_wh and len(words) > 2 and words[1] in {"do", "does", "did"} and words[2] in _BARE_VERBS:
        faults.append(f"no subject between {words[1]!r} and {words[2]!r}")
    return faults


def _inner(text: str, words: list[str]) -> list[str]:
    faults: list[str] = []
    if words[-1] in _TRAILING:
        faults.append(f"dangling {words[-1]!r} at the end")
    joined = re.search(r"\bor\s+(who|what|when|where|why|how|which|whose|whether)\b", text, re.IGNORECASE)
    if joined:
        faults.append(f"two questions joined with 'or {joined.group(1).lower()}'")
    inverted = re.search(
        r"\b(?:known|clear|unclear|say|said|asked|wonder)\s+(when|where|why|how|whether|if)\s+"
        r"(will|is|are|was|were|does|did|do|has|have|can|could|would|should)\b",
        text,
        re.IGNORECASE,
    )
    if inverted:
        faults.append(f"inverted word order inside an indirect question ('{inverted.group(0)}')")
    return faults


# --- German, French, Spanish -------------------------------------------------------------------------

_INTL = {
    "de": {
        "trailing": _set("und oder aber ob dass der die das den dem des ein eine zu von mit"),
        "first_person": _set("ich wir mich mir uns unser unsere"),
    },
    "fr": {
        "trailing": _set("et ou mais si que de le la les un une à du des"),
        "first_person": _set("je j nous me moi notre nos"),
    },
    "es": {
        "trailing": _set("y o pero si que de el la los las un una a del"),
        "first_person": _set("yo nosotros nosotras mi mis nuestro nuestra nuestros nuestras"),
    },
}
_DE_WH = _set("wann warum weshalb wieso wie wer wen wem was wo woher wohin")
_DE_OPENERS = _DE_WH - {"was"} | _set(
    "ist sind wird werden hat haben kann können soll sollen welche welcher welches"
)
_DE_ARTICLES = _set("der die das den dem des ein eine einen einem einer")
_INTL_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _guess(text: str) -> str | None:
    """The language of a question written by the German, French or Spanish rules, by its form alone:
    "¿…?" is Spanish, " ?" (the space French typography puts before it) French, a German wh-word or
    verb first German; a question that opens with neither an English wh-word, auxiliary nor
    preposition goes by its function words (``language.detect``). Anything else is None, and
    checked as English as before."""
    if text.startswith("¿"):
        return "es"
    if text.endswith(" ?"):
        return "fr"
    first = text.split(" ", 1)[0].lower().rstrip(",")
    if first in _DE_OPENERS or (first == "was" and re.search(r"\b(?:der|die|das|dazu|sagt|sagen)\b", text)):
        return "de"
    if first in WH | AUX | _PREPOSITIONS:
        return None
    code = language.detect(text)
    return code if code in _INTL else None


def _intl(text: str, lang: str) -> list[str]:
    faults: list[str] = []
    body = text
    if lang == "es":
        if not text.startswith("¿"):
            faults.append("a Spanish question opens with '¿'")
        if text.count("¿") != text.count("?"):
            faults.append("unbalanced '¿' and '?'")
        body = text.lstrip("¿")
    words = [w.lower() for w in _INTL_WORD.findall(body)]
    if not words:
        return [*faults, "no words"]
    if not body[:1].isupper():
        faults.append("starts with a lower-case letter")
    rules = _INTL[lang]
    if words[-1] in rules["trailing"]:
        faults.append(f"dangling {words[-1]!r} at the end")
    first_person = sorted(set(words) & rules["first_person"])
    if first_person:
        faults.append(f"first person ({first_person[0]!r}): a quotation turned into a question")
    if lang == "de" and words[0] in _DE_WH and len(words) > 1 and words[1] in _DE_ARTICLES:
        faults.append(f"the verb is not in second place ('{words[0]} {words[1]}'): indirect word order")
    if lang == "fr" and re.search(r"\best-ce que [aeiouyàâéèêîôû]", text, re.IGNORECASE):
        faults.append("'que' not elided before a vowel ('est-ce qu'')")
    return faults
