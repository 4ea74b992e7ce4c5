"""What a question asks about, in words another outlet may use instead: pay = fund = foot the bill,
cost = bill = price, resume = restart = reopen = run again, stay = remain, repair = fix = replace.

Owns the equivalence classes the offline comparator matches questions and
answers with (``senses``): a class is named by the Snowball stems of its
words or by a phrase ("foot the bill", "back in service"). An answer must
speak of every class its question speaks of: "who will pay for the launch?"
is not answered by a sentence that only names the launch. General
vocabulary only, no story's words. Pure: no I/O.
"""

from __future__ import annotations

import functools
import re

from summarizer.comparison.units import stem

_WORDS = {
    "pay": "pay paid fund funding finance reimburse bankroll subsidise subsidize",
    "cost": "cost bill price expense",
    "resume": "resume restart reopen",
    "close": "close shut suspend halt",
    "stay": "stay remain",
    "repair": "repair fix mend replace rebuild refurbish renovate",
    "cause": "cause blame trigger",
}
_PHRASES = {
    "pay": r"\bfoot(?:s|ed|ing)?\s+the\s+bill|\bpick(?:s|ed|ing)?\s+up\s+the\s+(?:bill|tab)"
    r"|\b(?:cover|meet|bear)(?:s|ed|ing)?\s+the\s+(?:\w+\s+)?(?:cost|bill)s?\b",
    "resume": r"\b(?:run|runs|sail|sails|operate|operates|open|opens|move|moves)\s+again\b"
    r"|\bback\s+(?:in|into)\s+service\b|\breturn(?:s|ed|ing)?\s+to\s+service\b",
    "close": r"\bout\s+of\s+service\b",
}
_PHRASE = {sense: re.compile(rx, re.IGNORECASE) for sense, rx in _PHRASES.items()}


@functools.cache
def _sense_of() -> dict[str, str]:
    """Stem -> its class ("restart" -> 'resume')."""
    return {stem(w): sense for sense, words in _WORDS.items() for w in words.split()}


def sense_stems() -> frozenset[str]:
    """Every stem that stands for a class (a question's key counts the class, not the stem)."""
    return frozenset(_sense_of())


def senses(text: str, bag: set[str]) -> set[str]:
    """The classes a text speaks of, from its stems (``bag``) and its phrases: 'sense:pay' …"""
    of = _sense_of()
    found = {of[t] for t in bag if t in of}
    found |= {sense for sense, rx in _PHRASE.items() if rx.search(text)}
    return {f"sense:{s}" for s in found}
