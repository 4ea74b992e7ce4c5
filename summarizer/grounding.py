"""Finding evidence quotes in the article text.

A quote is grounded when, after normalising whitespace and quote marks (and
nothing else: case, words and punctuation must match), it occurs in the
cleaned article text. ``locate`` returns the character offsets of the match in
the *original* text, so a reader can jump to the passage.

This module is pure: no model, no I/O. The pydantic validators in
``summarizer.schema`` call it with the article passed as validation context.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass

MIN_QUOTE_CHARS = 8
"""Shorter quotes ground nothing ("the", "said") and are rejected."""

_QUOTE_MARKS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
}
"""Curly, angle and prime quote marks, each one character for one (so offsets survive)."""


def straighten(text: str) -> str:
    """Curly and angle quote marks (and backticks) to straight ones, character for character."""
    # str.replace per mark, not str.translate: translate looks up every character of a
    # non-ASCII text in a dict (about 0.1 us each), and ingest and grounding straighten
    # every line and quote of every article.
    if "`" in text:
        text = text.replace("`", "'")
    if text.isascii():
        return text
    for mark, plain in _QUOTE_MARKS.items():
        if mark in text:
            text = text.replace(mark, plain)
    return text


_IRREGULAR_SPACE = re.compile(r"\s{2,}|[^\S ]")
"""Whitespace that normalising changes in length or kind; a single plain space maps to itself."""


@dataclass(frozen=True)
class NormalisedText:
    """A normalised copy of a text, and how to map its positions back to the original.

    Quote marks are translated one character for one, and a single plain
    space stays as it is, so the offset between the two texts changes only at
    the other whitespace runs (paragraph breaks, double spaces, tabs) and at
    the leading ones that are stripped: ``starts[i]`` is the normalised
    position from which ``shifts[i]`` is added. Building one costs per
    irregular run, a handful per article: batch runs build one per article.
    """

    text: str
    starts: tuple[int, ...]
    shifts: tuple[int, ...]

    @classmethod
    def of(cls, original: str) -> NormalisedText:
        translated = straighten(original)
        text = " ".join(translated.split())
        lead = len(translated) - len(translated.lstrip())
        starts, shifts = [0], [lead]
        for run in _IRREGULAR_SPACE.finditer(translated, lead):
            if run.end() == len(translated):  # trailing space is stripped: nothing maps past it
                break
            # The run becomes one space at normalised position run.start() - shift; after it the
            # original is ahead by the rest of the run.
            shift = shifts[-1]
            starts.append(run.start() - shift + 1)
            shifts.append(shift + run.end() - run.start() - 1)
        return cls(text, tuple(starts), tuple(shifts))

    def original(self, pos: int) -> int:
        """Offset in the original text of normalised position ``pos``."""
        return pos + self.shifts[bisect_right(self.starts, pos) - 1]


def normalise(text: str) -> str:
    """Whitespace runs to one space, curly and angle quote marks to straight ones."""
    return " ".join(straighten(text).split())  # str.split() splits exactly where \s+ matches


class Source:
    """An article text prepared for repeated quote look-ups.

    A quote copied verbatim (what a good model sends) is found in the
    original text directly; the normalised copy of the article is built only
    when a quote or name differs from it in spacing or quote marks.
    """

    def __init__(self, text: str) -> None:
        self.original = text

    @functools.cached_property
    def _norm(self) -> NormalisedText:
        return NormalisedText.of(self.original)

    @functools.cached_property
    def _folded(self) -> str:
        return self._norm.text.casefold()

    def locate(self, quote: str) -> tuple[int, int] | None:
        """Offsets ``(start, end)`` of ``quote`` in the original text, or None."""
        needle = normalise(quote)
        if len(needle) < MIN_QUOTE_CHARS:
            return None
        if needle == quote:  # single spaces, straight marks: a verbatim copy is a normalised match
            pos = self.original.find(quote)
            if pos >= 0:
                return pos, pos + len(quote)
        pos = self._norm.text.find(needle)
        if pos < 0:
            return None
        return self._norm.original(pos), self._norm.original(pos + len(needle) - 1) + 1

    def contains_name(self, name: str) -> bool:
        """Whether a name occurs in the text (case-insensitive, normalised)."""
        if name.strip() and name in self.original:
            return True
        needle = normalise(name).casefold()
        return bool(needle) and needle in self._folded
