"""The unit of work: one cleaned article taken from an input."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from summarizer import language

METADATA = ("site_name", "author", "published", "language")
"""``Article``'s fields besides its place and text, as the store keeps them."""


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
    site_name: str | None = None
    """The outlet that published this text (a page's ``og:site_name``, a feed's ``site_name``, a
    byline's or release label's outlet), when the input says."""
    author: str | None = None
    published: str | None = None
    """Publication date, ``YYYY-MM-DD``, when the input says."""
    language: str | None = None
    """ISO 639-1 code, declared by the input or guessed from the text (``summarizer.language``)."""

    def metadata(self) -> dict[str, str | None]:
        """What the input said about the article besides its text, in ``METADATA`` order."""
        return {
            "site_name": self.site_name,
            "author": self.author,
            "published": self.published,
            "language": self.language,
        }

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
        """Words, script-aware: Chinese and Japanese characters count as half a word each."""
        return language.length(self.text)
