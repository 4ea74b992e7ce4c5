"""The unit of work: one cleaned article taken from an input."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    """One article after ingest and cleaning.

    ``text`` is the cleaned article as it is sent to the model and as every
    evidence quote is checked against: the title as its first paragraph, then
    the body, paragraphs separated by a blank line.
    """

    source: str
    """Where it came from: a path, a URL or ``-`` for standard input."""
    index: int
    """Position of the article inside its source (0 for the first)."""
    title: str
    text: str

    @functools.cached_property
    def content_hash(self) -> str:
        """SHA-256 of the cleaned text: the identity of the article's content."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def label(self) -> str:
        """A human label: the source, with ``#n`` when a file holds several articles."""
        return self.source if self.index == 0 else f"{self.source}#{self.index + 1}"

    @functools.cached_property
    def word_count(self) -> int:
        return len(self.text.split())
