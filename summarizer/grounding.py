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
from bisect import bisect_right
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
    """A normalised copy of a text, and where each of its chunks starts in the original.

    Chunks are runs of non-space characters (copied as they are) and single
    spaces standing for a whitespace run; a position maps back through the
    chunk it falls in (``bisect``), so building one costs per chunk, not per
    character: batch runs build one per article.
    """

    text: str
    starts: tuple[int, ...]
    """Normalised offset where each chunk starts."""
    origins: tuple[int, ...]
    """Original offset where each chunk starts."""

    @classmethod
    def of(cls, original: str) -> NormalisedText:
        translated = original.translate(_QUOTE_MARKS)
        starts: list[int] = []
        origins: list[int] = []
        length = 0
        after_space = 0
        for run in _SPACE.finditer(translated):
            if run.start() > after_space:  # the word chunk before this whitespace run
                starts.append(length)
                origins.append(after_space)
                length += run.start() - after_space
            if length and run.end() < len(translated):  # an inner run becomes one space
                starts.append(length)
                origins.append(run.start())
                length += 1
            after_space = run.end()
        if after_space < len(translated):
            starts.append(length)
            origins.append(after_space)
        return cls(_SPACE.sub(" ", translated).strip(), tuple(starts), tuple(origins))

    def original(self, pos: int) -> int:
        """Offset in the original text of normalised position ``pos``."""
        i = bisect_right(self.starts, pos) - 1
        return self.origins[i] + (pos - self.starts[i])


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
        return self._norm.original(pos), self._norm.original(pos + len(needle) - 1) + 1

    def contains_name(self, name: str) -> bool:
        """Whether a name occurs in the text (case-insensitive, normalised)."""
        needle = normalise(name).casefold()
        return bool(needle) and needle in self._norm.text.casefold()
