"""Turning an article's clauses into questions: subjects, determiners, inversion.

Owns the small amount of English grammar the offline engine needs to write
"When will the beaches reopen?" from "not yet known when the beaches will
reopen". Heuristic and conservative: when a clause does not have the shape
these rules expect, callers fall back to "Is it known whether …?", which is
always grammatical.
"""

from __future__ import annotations

import re

_AUX = {
    "will": "will",
    "would": "will",
    "might": "will",
    "may": "will",
    "shall": "will",
    "could": "could",
    "can": "can",
    "should": "should",
    "is": "is",
    "was": "is",
    "are": "are",
    "were": "are",
    "has": "has",
    "have": "have",
    "had": "has",
    "must": "will",
}
_VERBISH = set(_AUX) | {"did", "does", "do", "said", "says", "told"}
_SUBJECT_BOUNDARY = re.compile(r"""[,;:"“”—–(]|\b(?:that|but|while|because|said|says|told \w+)\s""")
_PRONOUNS = {"it", "they", "he", "she", "this"}
_DETERMINERS = {"The", "Its", "Their", "His", "Her", "Our", "This", "These", "Those", "Some", "Any"}
_TRAILING = re.compile(r"[\s,;:.!?\"“”'’]+$")
_ADVERB_TAIL = re.compile(
    r"(?:\s+(?:very|quite|so|too))?\s+(?:quickly|soon|swiftly|rapidly|immediately|promptly|eventually)$"
)


def clean(text: str) -> str:
    """One line, no trailing punctuation or quote marks."""
    return _TRAILING.sub("", " ".join(text.split())).lstrip("\"“”' ")


def the(np: str, proper: frozenset[str] | None = None) -> str:
    """A noun phrase as it reads mid-question: "A visit to Russia" -> "the visit to Russia".

    Given ``proper`` (names seen mid-sentence), a capitalised first word not in
    it was only capitalised because it opened the sentence, so it is lowered.
    """
    np = clean(np)
    m = re.match(r"^(a|an)\s+", np, re.IGNORECASE)
    if m:
        return "the " + np[m.end() :]
    if first_is_proper(np, proper):
        return np
    return np[0].lower() + np[1:]


def first_is_proper(text: str, proper: frozenset[str] | None) -> bool:
    """Whether the text's first word must keep its capital.

    Determiners never do. Otherwise, without ``proper`` everything does; with
    it (names seen mid-sentence), a word keeps its capital if it is such a
    name, an acronym, or the start of a multi-word name ("Mr. Starmer").
    """
    words = text.split(" ", 2)
    first = words[0].rstrip(".,")
    if first in _DETERMINERS:
        return False
    if proper is None or not first[:1].isupper() or first.isupper() or first in proper:
        return True
    return len(words) > 1 and words[1][:1].isupper()


def subject_before(text: str) -> str:
    """The subject of the clause that ends where ``text`` ends ("…, but that a date for the trip")."""
    cut = 0
    for m in _SUBJECT_BOUNDARY.finditer(text):
        cut = m.end()
    return clean(text[cut:])


def antecedent(sentence: str, proper: frozenset[str] | None = None) -> str | None:
    """The subject of a sentence (words before its first auxiliary), for resolving "it"."""
    words = sentence.split()
    for k, word in enumerate(words[:12]):
        if word.lower() in _VERBISH:
            if k == 0:
                return None
            np = " ".join(words[:k])
            if np.lower() in _PRONOUNS or "," in np or '"' in np:
                return None
            return the(np, proper)
    return None


def _split(clause: str, referent: str | None, proper: frozenset[str] | None) -> tuple[str, str, str] | None:
    """(auxiliary, subject, rest) of a declarative clause, or None."""
    words = clean(clause).split()
    for k, word in enumerate(words[:12]):
        aux = _AUX.get(word.lower())
        if aux is None:
            continue
        if k == 0:
            return None
        np = " ".join(words[:k])
        if np.lower() in _PRONOUNS:
            if referent is None:
                return None
            np = referent
        rest = _ADVERB_TAIL.sub("", " ".join(words[k + 1 :]))
        if not rest:
            return None
        if word.lower() == "must":
            rest = "have to " + rest
        return aux, the(np, proper), rest
    return None


def yes_no(clause: str, referent: str | None = None, proper: frozenset[str] | None = None) -> str:
    """ "the visit would happen this year" -> "Will the visit happen this year?"."""
    parts = _split(clause, referent, proper)
    if parts is None:
        return f"Is it known whether {clean(clause)}?"
    aux, np, rest = parts
    return f"{aux.capitalize()} {np} {rest}?"


_HOW_ADVERBS = {"long", "soon", "often", "far", "quickly", "late", "early"}
_HOW_AMOUNTS = {"much", "many"}
_NP_START = {"the", "a", "an", "its", "their", "his", "her", "this", "these", "those", "it", "they"}


def wh(word: str, clause: str, referent: str | None = None, proper: frozenset[str] | None = None) -> str:
    """ "when", "the beaches might reopen" -> "When will the beaches reopen?"; "how", "long the
    repairs will take" -> "How long will the repairs take?" (the quantifier stays with "how")."""
    word = word.lower()
    if word in {"whether", "if"}:
        return yes_no(clause, referent, proper)
    first, _, after = clean(clause).partition(" ")
    if word == "how" and after and first.lower() in _HOW_ADVERBS | _HOW_AMOUNTS:
        quantifier = first.lower()
        if quantifier in _HOW_AMOUNTS and after.split()[0].lower() not in _NP_START:
            # "how many people were hurt": the wh-phrase is the subject, nothing to invert
            return f"How {quantifier} {after}?"
        word, clause = f"how {quantifier}", after
    parts = _split(clause, referent, proper)
    if parts is None:
        return f"Is it known {word} {clean(clause)}?"
    aux, np, rest = parts
    return f"{word[:1].upper()}{word[1:]} {aux} {np} {rest}?"


def capitalise(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]
