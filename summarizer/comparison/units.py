"""What a comparator works from: per-source units, and the terms they are measured with.

A ``SourceUnits`` holds, for one source, its sentences, its open questions
``(question, kind, quote)`` and its statements ``(speaker, quote)``; every
sentence and quote is a span of that source's cleaned article text, so any
of them can be cited as a ``SourceQuote`` as it is. Two builders:

* ``units_from_article``: every usable sentence of the article (the offline
  engine's splitter, title, bylines, orders and planted instructions left
  out) plus the summary's questions and statements: the offline comparator.
* ``units_from_summary``: only the summary's evidence quotes, from an
  ``ArticleSummary`` or its JSON dict: what the simulator sees in an LLM
  comparison request.

How one sentence is read: ``TermSpace`` turns texts into TF-IDF vectors
over Snowball-stemmed content words (English unless the caller names the
language; numbers kept, number words as digits, "dockworkers" also counting
as "workers"), which the comparator and the story grouping measure
similarity with. What a sentence states (its numbers, the day of an event,
a cause, a gap) is read by ``quantity.py`` and ``claims.py``. Pure: no
model, no I/O.
"""

from __future__ import annotations

import functools
import math
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from summarizer.article import Article
from summarizer.comparison.quantity import NUMBER_WORDS
from summarizer.grounding import MIN_QUOTE_CHARS, Source, normalise
from summarizer.offline.guard import is_imperative, is_tainted
from summarizer.offline.text import WORD, parse, plain_words, singular, squash, strip_dateline
from summarizer.schema import ArticleSummary

_MIN_FACT_WORDS = 4
_MIN_COMPOUND_TAIL = 5
"""'dockworker' also counts as 'worker'; shorter tails ('port' in 'passport') are too often accidents."""


@dataclass
class SourceUnits:
    """One source as a comparator sees it; every text is a span of the source's article."""

    id: str
    sentences: list[str] = field(default_factory=list)
    questions: list[tuple[str, str, str]] = field(default_factory=list)
    """``(question, kind, quote)`` from the source's summary."""
    statements: list[tuple[str, str]] = field(default_factory=list)
    """``(speaker, quote)`` from the source's summary."""


def _trim_dateline(text: str) -> str:
    """``CALDERRA (Meridian Press) — About 12,000 …`` -> ``About 12,000 …`` (still a span)."""
    trimmed = strip_dateline(text)
    return trimmed if len(normalise(trimmed)) >= MIN_QUOTE_CHARS else text


def _dedup(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = normalise(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def units_from_article(id: str, article: Article, summary: ArticleSummary) -> SourceUnits:
    """Every prose sentence of the article, plus the summary's open questions and statements."""
    doc = parse(article.text)
    sentences = _dedup(_trim_dateline(s.text) for s in doc.body if s.prose and not s.imperative)
    return _anchored(id, sentences, summary.model_dump(mode="json"), article.text)


def units_from_summary(
    id: str, summary: ArticleSummary | Mapping[str, Any], *, text: str | None = None
) -> SourceUnits:
    """The summary's evidence quotes as the source's sentences (for a comparator that sees no article).

    Works on the JSON form too, where evidence has only ``quote``. With
    ``text`` (the article), quotes are re-anchored to exact spans and quotes
    from a paragraph that addresses a model are dropped.
    """
    data = summary.model_dump(mode="json") if isinstance(summary, ArticleSummary) else summary
    quotes: list[str] = []
    for group in ("key_points", "statements", "dates", "open_questions"):
        for item in _items(data, group):
            quotes += [q for q in _quotes(item) if not is_tainted(q)]
    # Datelines ("Issued Tuesday") and orders ("Do not swim …") are evidence, not facts to compare.
    facts = [q for q in quotes if len(WORD.findall(q)) >= _MIN_FACT_WORDS and not is_imperative(q)]
    return _anchored(id, _dedup(_trim_dateline(q) for q in facts), data, text)


def _items(data: Mapping[str, Any], group: str) -> list[Mapping[str, Any]]:
    items = data.get(group)
    return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []


def _quotes(item: Mapping[str, Any]) -> list[str]:
    evidence = item.get("evidence")
    if not isinstance(evidence, list):
        return []
    return [e["quote"] for e in evidence if isinstance(e, Mapping) and isinstance(e.get("quote"), str)]


def _anchored(id: str, sentences: list[str], data: Mapping[str, Any], text: str | None) -> SourceUnits:
    source = Source(text) if text is not None else None
    banned: list[tuple[int, int]] = []
    if text is not None:
        banned = [(s.start, s.end) for s in parse(text).sentences if s.tainted]

    def fix(quote: str) -> str | None:
        if is_tainted(quote):
            return None
        if source is None:
            return quote
        span = source.locate(quote)
        if span is None or any(a < span[1] and span[0] < b for a, b in banned):
            return None
        return source.original[span[0] : span[1]]

    units = SourceUnits(id, [s for s in (fix(s) for s in sentences) if s])
    for item in _items(data, "open_questions"):
        quotes = [q for q in (fix(q) for q in _quotes(item)) if q]
        question = item.get("question")
        if quotes and isinstance(question, str) and not is_tainted(question):
            units.questions.append((squash(question), str(item.get("kind") or "other"), quotes[0]))
    for item in _items(data, "statements"):
        quotes = [q for q in (fix(q) for q in _quotes(item)) if q]
        speaker = item.get("speaker")
        if quotes and isinstance(speaker, str) and not is_tainted(speaker):
            units.statements.append((squash(speaker), quotes[0]))
    return units


# --- terms -------------------------------------------------------------------------------


SNOWBALL = {"en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian"}
SNOWBALL |= {"nl": "dutch", "pt": "portuguese"}
"""ISO 639-1 code -> the Snowball algorithm for it."""
DEFAULT_LANGUAGE = "english"
"""Snowball algorithm used when the caller does not know the text's language (no input declares one yet)."""

_local = threading.local()


def _stemmer(language: str) -> Any:
    # Stemmer objects keep state between calls, and the simulator compares in its own thread: one each.
    stemmers: dict[str, Any] = _local.__dict__.setdefault("stemmers", {})
    if language not in stemmers:
        import snowballstemmer  # imported here: ~25 ms of start-up that only comparisons need

        if language not in snowballstemmer.algorithms():
            known = ", ".join(sorted(snowballstemmer.algorithms()))
            raise ValueError(f"no Snowball stemmer for {language!r}; known: {known}")
        stemmers[language] = snowballstemmer.stemmer(language)
    return stemmers[language]


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Snowball stem of one lower-case word: closed/closes/closing -> close, ordering -> order."""
    stemmed: str = _stemmer(language).stemWord(word)
    return stemmed


def _term_forms(text: str, language: str) -> list[tuple[str, str]]:
    """``(term, form)`` per word: the term is what is counted, the form (a crude singular of the word)
    is what compound tails are found on ("dockworker" ends with "worker"; their stems do not)."""
    out: list[tuple[str, str]] = []
    for word in WORD.findall(text):
        low = word.lower()
        if low in NUMBER_WORDS:
            out.append((str(NUMBER_WORDS[low]), low))
        elif word[0].isdigit():
            number = word.rstrip(".,").replace(",", "")
            out.append((number, number))
        else:
            out += [(stem(w, language), singular(w)) for w in plain_words(word)]
    return out


def terms(text: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Stemmed content words of a text; numbers kept as digits ("six" -> "6", "12,000" -> "12000")."""
    return [term for term, _ in _term_forms(text, language)]


Vector = dict[str, float]


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


class TermSpace:
    """TF-IDF over a fixed set of texts (sentences or whole articles), for cosine similarity.

    IDF is ``log((N + 1) / (df + 0.5))``: a term in every text weighs almost
    nothing, which suits sentences of one story (its names are everywhere).
    ``smooth`` uses ``1 + log((N + 1) / (df + 1))`` instead, a floor that
    keeps shared ordinary words meaningful when whole articles are compared.
    A compound also counts as its tail when the tail is a word of the space
    ("dockworkers" ~ "port workers"), found on the words' crude singulars
    because Snowball stems of a compound and its tail can differ.
    """

    def __init__(
        self, texts: Sequence[str], *, smooth: bool = False, language: str = DEFAULT_LANGUAGE
    ) -> None:
        self._smooth = smooth
        self._language = language
        pairs = [_term_forms(t, language) for t in texts]
        bags = [[term for term, _ in pair] for pair in pairs]
        forms: dict[str, set[str]] = {}
        """Form -> the terms it was counted as."""
        for term, form in (p for pair in pairs for p in pair):
            if not term[0].isdigit():
                forms.setdefault(form, set()).add(term)
        found: dict[str, set[str]] = {}
        for form, owners in forms.items():
            for i in range(1, len(form) - _MIN_COMPOUND_TAIL + 1):
                for tail in forms.get(form[i:], ()):
                    for owner in owners - {tail}:
                        found.setdefault(owner, set()).add(tail)
        self._tails = {t: max(tails, key=lambda v: (len(v), v)) for t, tails in sorted(found.items())}
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(set(self._expand(bag)))
        self._n = len(texts)
        self._df = df

    def _expand(self, bag: list[str]) -> list[str]:
        return bag + [self._tails[t] for t in bag if t in self._tails]

    def idf(self, term: str) -> float:
        df = self._df.get(term, 0)
        if self._smooth:
            return 1.0 + math.log((self._n + 1) / (df + 1))
        return math.log((self._n + 1) / (df + 0.5))

    def bag(self, text: str) -> set[str]:
        """The text's terms, compounds' tails included."""
        return set(self._expand(terms(text, self._language)))

    def vector(self, text: str) -> Vector:
        counts = Counter(self._expand(terms(text, self._language)))
        vec = {t: c * self.idf(t) for t, c in sorted(counts.items())}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}
