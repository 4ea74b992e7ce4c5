"""Numbers written as words: "twelve", "a dozen", "two thousand four hundred", "zwölf", "douze".

Owns ``NUMBER_WORDS`` (one word -> its value: English to ninety-nine,
hyphenated tens included, and the small numbers of German, French and
Spanish), ``NUMBER_PHRASE`` (the regular expression of a whole spelled-out
number, scale words inside it: "three hundred and twenty", "twelve
thousand") and ``phrase_value``, which reads one. Words that are also
ordinary words in another of these languages are left out ("once" is
Spanish eleven and English "one time"; "sept" also abbreviates September; "cent"
is French hundred and a coin; "ein"/"un" are articles). Pure: no I/O.
"""

from __future__ import annotations

import re

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty"
)
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_OTHER = {
    "de": "zwei drei vier fünf sechs sieben acht neun zehn elf zwölf",
    "fr": "deux trois quatre cinq six - huit neuf dix onze douze",
    "es": "dos tres cuatro cinco seis siete ocho nueve diez - doce",
}
_OTHER_TENS = {"zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "vingt": 20, "trente": 30}
_OTHER_TENS |= {"quarante": 40, "cinquante": 50, "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50}

NUMBER_WORDS: dict[str, int] = {w: n for n, w in enumerate(_ONES.split())} | _TENS
_UNITS = [(o, n) for o, n in NUMBER_WORDS.items() if 0 < n < 10]
NUMBER_WORDS |= {f"{t}-{o}": v + n for t, v in _TENS.items() for o, n in _UNITS}
for _words in _OTHER.values():
    NUMBER_WORDS |= {w: n for n, w in enumerate(_words.split(), start=2) if w != "-"}
NUMBER_WORDS |= _OTHER_TENS
"""One word -> its value ("twelve" 12, "forty-two" 42, "zwölf" 12)."""

_MULTIPLIERS = {"dozen": 12, "hundred": 100, "thousand": 1000, "hundert": 100, "tausend": 1000, "mille": 1000}
_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_MULT = "|".join(_MULTIPLIERS)
_PART = rf"(?:a\s+(?:{_MULT})|(?:{_WORD})(?:[\s-]+(?:{_WORD}))?)"
NUMBER_PHRASE = rf"(?:{_PART}(?:\s+(?:{_MULT}))+(?:\s+(?:and\s+)?{_PART}(?:\s+(?:{_MULT}))*)*|{_PART})(?!\w)"
"""A spelled-out number, multipliers inside it ("two thousand four hundred and ten"), as a regex
fragment (for case-insensitive use). "Dozens" is not a number; "a dozen" is; "and" only after a
multiplier ("one and two" is two numbers)."""


def phrase_value(phrase: str) -> float | None:
    """The value of a spelled-out number ("two thousand four hundred and ten" -> 2410.0), None when
    the words are not one number ("four two", "hundred" alone)."""
    words = [w for w in re.split(r"[\s-]+", phrase.lower()) if w and w != "and"]
    total = current = 0
    last: int | None = None
    """The previous word's value when it was a number word (not a multiplier)."""
    for i, word in enumerate(words):
        if word == "a" and i == 0:  # "a dozen", "a hundred"
            current, last = 1, None
        elif word in NUMBER_WORDS:
            n = NUMBER_WORDS[word]
            if last is not None and not (last >= 20 and last % 10 == 0 and 0 < n < 10):
                return None  # "four two": two numbers, not one
            current, last = current + n, n
        elif word in _MULTIPLIERS and (i or words[0] == "a"):
            current = max(current, 1) * _MULTIPLIERS[word]
            if _MULTIPLIERS[word] >= 1000:
                total, current = total + current, 0
            last = None
        else:
            return None
    return float(total + current) if words else None
