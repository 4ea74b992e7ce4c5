"""Finding evidence quotes in the article text.

A quote is grounded when, after normalising whitespace and quote marks (and
nothing else: case, words and punctuation must match), it occurs in the
cleaned article text. ``locate`` returns the character offsets of the match in
the *original* text, so a reader can jump to the passage.

This module is pure: no model, no I/O. The pydantic validators in
``summarizer.schema`` call it with the article passed as validation context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_QUOTE_CHARS = 8
"""Shorter quotes ground nothing ("the", "said") and are rejected."""

_QUOTE_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class NormalisedText:
    """A normalised copy of a text plus, per character, its offset in the original."""

    text: str
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, original: str) -> NormalisedText:
        chars: list[str] = []
        offsets: list[int] = []
        in_space = False
        for i, ch in enumerate(original.translate(_QUOTE_MARKS)):
            if ch.isspace():
                if in_space or not chars:
                    continue
                in_space = True
                chars.append(" ")
                offsets.append(i)
                continue
            in_space = False
            chars.append(ch)
            offsets.append(i)
        if chars and chars[-1] == " ":
            chars.pop()
            offsets.pop()
        return cls("".join(chars), tuple(offsets))


def normalise(text: str) -> str:
    """Whitespace runs to one space, curly and angle quote marks to straight ones."""
    return _SPACE.sub(" ", text.translate(_QUOTE_MARKS)).strip()


class Source:
    """An article text prepared for repeated quote look-ups."""

    def __init__(self, text: str) -> None:
        self.original = text
        self._norm = NormalisedText.of(text)

    def locate(self, quote: str) -> tuple[int, int] | None:
        """Offsets ``(start, end)`` of ``quote`` in the original text, or None."""
        needle = normalise(quote)
        if len(needle) < MIN_QUOTE_CHARS:
            return None
        pos = self._norm.text.find(needle)
        if pos < 0:
            return None
        start = self._norm.offsets[pos]
        end = self._norm.offsets[pos + len(needle) - 1] + 1
        return start, end

    def contains_name(self, name: str) -> bool:
        """Whether a name occurs in the text (case-insensitive, normalised)."""
        needle = normalise(name).casefold()
        return bool(needle) and needle in self._norm.text.casefold()
