"""Finding evidence quotes in the article text.

A quote is grounded when ``Source.align`` finds it in the cleaned article
text, trying three levels in order, the cheap ones first:

1. ``exact``: the quote occurs verbatim (what a good model sends; one
   ``str.find``, no normalisation of the article);
2. ``normalized``: it occurs once whitespace runs and curly, angle and prime
   quote marks are normalised, or, failing that, also dashes (hyphen, en and
   em dash, minus) and letter case; words and punctuation must match;
3. ``fuzzy``: its tokens align to the article by ``summarizer.alignment``'s
   near-verbatim rules (a dropped word, an added filler word, numbers written
   another way, an ellipsis joining two parts of one passage, two adjacent
   sentences joined), with numbers and negations matching exactly and no word
   replaced by another.

Whatever the level, the alignment gives character offsets into the
*original* text and the article's own text for that span (``Alignment.text``):
callers store and show that text, so a shown quote is always the article's
words. ``strict()`` turns the tolerant levels off (exact and whitespace and
quote-mark normalisation only, the behaviour before fuzzy alignment), for
measurements.

This module is pure: no model, no I/O. The pydantic validators in
``summarizer.schema`` and ``summarizer.comparison.schema`` call it.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum

from summarizer import alignment

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


_DASHES = ("\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212")


def fold(text: str) -> str:
    """Dashes to hyphens and letters to lower case, character for character (offsets survive)."""
    for dash in _DASHES:
        if dash in text:
            text = text.replace(dash, "-")
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters lower to two ("\u0130"); keep those as they are so positions still line up.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class MatchKind(StrEnum):
    """How a quote was found in the article."""

    exact = "exact"
    normalized = "normalized"
    fuzzy = "fuzzy"


@dataclass(frozen=True)
class Alignment:
    """Where a quote is in the article: offsets into the original text, the level, the article's text."""

    start: int
    end: int
    kind: MatchKind
    text: str
    """``original[start:end]``: what is stored and shown in place of the quote as sent."""


_TOLERANT: ContextVar[bool] = ContextVar("grounding_tolerant", default=True)


@contextmanager
def strict() -> Iterator[None]:
    """Inside this block only exact and whitespace/quote-mark matches count (for before/after figures)."""
    token = _TOLERANT.set(False)
    try:
        yield
    finally:
        _TOLERANT.reset(token)


class Source:
    """An article text prepared for repeated quote look-ups.

    A quote copied verbatim (what a good model sends) is found in the
    original text directly; the normalised copy of the article is built only
    when a quote or name differs from it in spacing or quote marks, and the
    token index only when a quote is not found by normalising.
    """

    def __init__(self, text: str) -> None:
        self.original = text

    @functools.cached_property
    def _norm(self) -> NormalisedText:
        return NormalisedText.of(self.original)

    @functools.cached_property
    def _folded(self) -> str:
        return self._norm.text.casefold()

    @functools.cached_property
    def _loose(self) -> str:
        return fold(self._norm.text)

    @functools.cached_property
    def _tokens(self) -> alignment.TokenIndex:
        return alignment.TokenIndex.of(self.original)

    def align(self, quote: str) -> Alignment | None:
        """Where ``quote`` is in the article and how it was found; None if it is not there."""
        needle = normalise(quote)
        if len(needle) < MIN_QUOTE_CHARS:
            return None
        if quote.strip() == quote:
            pos = self.original.find(quote)
            if pos >= 0:
                return self._span(pos, pos + len(quote), MatchKind.exact)
        pos = self._norm.text.find(needle)
        if pos < 0 and _TOLERANT.get():
            pos = self._loose.find(fold(needle))
        if pos >= 0:
            start, end = self._norm.original(pos), self._norm.original(pos + len(needle) - 1) + 1
            return self._span(start, end, MatchKind.normalized)
        if not _TOLERANT.get():
            return None
        span = alignment.align(quote, self._tokens)
        return None if span is None else self._span(*span, MatchKind.fuzzy)

    def _span(self, start: int, end: int, kind: MatchKind) -> Alignment:
        return Alignment(start, end, kind, self.original[start:end])

    def locate(self, quote: str) -> tuple[int, int] | None:
        """Offsets ``(start, end)`` of ``quote`` in the original text, or None (see ``align``)."""
        found = self.align(quote)
        return None if found is None else (found.start, found.end)

    def contains_name(self, name: str) -> bool:
        """Whether a name occurs in the text (case-insensitive, normalised)."""
        if name.strip() and name in self.original:
            return True
        needle = normalise(name).casefold()
        return bool(needle) and needle in self._folded
