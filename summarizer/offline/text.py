"""The article as the offline engine sees it: paragraphs, sentences, words.

Owns sentence splitting (pysbd, rule based, no data files), the character
offsets of every sentence in ``article.text``, where quotation marks open and
close (``requote``: by the pairs of one language, for German „…“ and »…«), and
the small word helpers the other offline modules share. Each
``Sentence.text`` is an exact slice of the article text, so any sentence can
be used as an evidence quote as it is. Pure: no I/O, nothing done at import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache, cached_property

import pysbd

from summarizer import language
from summarizer import textrules as rules
from summarizer.grounding import MIN_QUOTE_CHARS, normalise
from summarizer.offline.guard import is_imperative, is_tainted

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A newline inside a paragraph ends a sentence after end punctuation or
# before a list bullet; otherwise it is a wrapped line and counts as a space.
_LINE_BREAK = re.compile(r"(?<=[.!?:;\"”’)])[ \t]*\n\s*|\n(?=\s*[-*•]\s)")
_TERMINAL = re.compile(r"[.!?。！？][\"”’')\]」』]*$|[\"”’」』][.!?。]?$")
WORD = re.compile(r"[^\W\d_](?:[\w\-]|['’](?=\w))*['’]?|\d[\d,.]*")
_INNER_END = re.compile(r"[.!?…][\"'”’)\]]*\s+\S")
_OPEN_QUOTES = "“«„"
_CLOSE_QUOTES = "”»"


def wordset(words: str) -> frozenset[str]:
    """A set of words written as one string, for readable word lists."""
    return frozenset(words.split())


STOPWORDS = wordset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours said says say told tell tells added according would could
    may might must shall upon via yet still already very"""
)


@dataclass(frozen=True)
class Sentence:
    """One sentence: an exact slice ``text[start:end]`` of the article."""

    index: int
    para: int
    start: int
    end: int
    text: str
    quoted: tuple[tuple[int, int], ...]
    """Spans inside quotation marks, relative to ``start``."""
    is_title: bool
    tainted: bool
    """Addresses a model or carries model markup: never quoted or used."""
    imperative: bool
    prose: bool
    """Ends like a sentence and has a few words (not a byline or a label)."""
    quotable: bool
    """Long enough to be an evidence quote."""

    @property
    def words(self) -> list[str]:
        return WORD.findall(self.text)

    def in_quotes(self, pos: int) -> bool:
        """Whether the character at ``pos`` (relative to the sentence) is inside quotation marks."""
        return any(a <= pos < b for a, b in self.quoted)

    @property
    def all_quoted(self) -> bool:
        """Whether the sentence is one quotation with no attribution outside it."""
        outside, pos = [], 0
        for a, b in self.quoted:
            outside.append(self.text[pos:a])
            pos = b
        outside.append(self.text[pos:])
        return not WORD.search(" ".join(outside))


@dataclass(frozen=True)
class Document:
    text: str
    title: str
    sentences: tuple[Sentence, ...]

    @cached_property
    def body(self) -> list[Sentence]:
        """Sentences after the title that may be used at all: not tainted, long enough to quote."""
        return [s for s in self.sentences if not s.is_title and not s.tainted and s.quotable]

    def proper_words(self) -> frozenset[str]:
        """Capitalised words seen after a sentence's first word: names, not sentence openers."""
        out: set[str] = set()
        for s in self.body:
            out.update(w for w in s.words[1:] if w[0].isupper())
        return frozenset(out)


@cache
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def _quote_spans(paragraph: str) -> list[tuple[int, int]]:
    """Spans of a paragraph inside quotation marks; an unclosed quote runs to the end."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for i, ch in enumerate(paragraph):
        if ch in _OPEN_QUOTES or (ch == '"' and opened is None):
            if opened is None:
                opened = i
        elif (ch in _CLOSE_QUOTES or ch == '"') and opened is not None:
            spans.append((opened, i + 1))
            opened = None
    if opened is not None:
        spans.append((opened, len(paragraph)))
    return spans


def _paired_spans(paragraph: str, closers: Mapping[str, str]) -> list[tuple[int, int]]:
    """Spans inside quotation marks where each opener is closed only by its own closers; an
    unclosed quote runs to the end, and marks inside an open quote do not nest."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    close = ""
    for i, ch in enumerate(paragraph):
        if opened is None:
            if ch in closers:
                opened, close = i, closers[ch]
        elif ch in close:
            spans.append((opened, i + 1))
            opened = None
    if opened is not None:
        spans.append((opened, len(paragraph)))
    return spans


def requote(doc: Document, closers: Mapping[str, str]) -> Document:
    """The document with its quoted spans found by ``closers`` (opener -> the marks that close it)
    instead of the default marks, which read German „…“ and »…« as never closed. Sentences, their
    texts and offsets are unchanged."""
    sentences: list[Sentence] = []
    paragraphs: dict[int, list[Sentence]] = {}
    for s in doc.sentences:
        paragraphs.setdefault(s.para, []).append(s)
    for _, group in sorted(paragraphs.items()):
        start = group[0].start
        spans = _paired_spans(doc.text[start : group[-1].end], closers)
        for s in group:
            a, b = s.start - start, s.end - start
            quoted = tuple((max(qa, a) - a, min(qb, b) - a) for qa, qb in spans if qa < b and qb > a)
            sentences.append(replace(s, quoted=quoted))
    return Document(text=doc.text, title=doc.title, sentences=tuple(sentences))


QUOTE_PAIRS: dict[str, Mapping[str, str]] = {
    "de": {"„": "“”", "»": "«", "«": "»", "“": "”", '"': '"'},
    "fr": {"«": "»", "“": "”", "„": "“”", '"': '"'},
    "es": {"«": "»", "“": "”", '"': '"'},
}
"""Quotation marks by language: each opener and the marks that close it (German „…“ and »…«)."""


def quoting(doc: Document, lang: str | None) -> Document:
    """``doc`` with its quotes read by ``lang``'s pairs where ``QUOTE_PAIRS`` has them (German needs
    them: by the default marks „…“ and »…« never close, and the rest of the paragraph reads as a
    quotation); other languages keep the default reading."""
    pairs = QUOTE_PAIRS.get(lang or "")
    return requote(doc, pairs) if pairs else doc


def _pieces(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph, relative to it, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    breaks = [m.span() for m in _LINE_BREAK.finditer(paragraph)] + [(len(paragraph), len(paragraph))]
    for brk_start, brk_end in breaks:
        chunk = paragraph[line_start:brk_start]
        cursor = 0
        # pysbd is the slow step; a chunk without inner end punctuation is one sentence.
        segments = _segmenter().segment(chunk) if _INNER_END.search(chunk.rstrip()) else [chunk]
        for seg in segments if chunk.strip() else []:
            piece = seg.strip()
            if not piece:
                continue
            pos = chunk.find(piece, cursor)
            if pos < 0:  # pysbd altered the text; fall back to the rest of the chunk
                pos = cursor + len(chunk[cursor:]) - len(chunk[cursor:].lstrip())
                piece = chunk[pos:].strip()
            spans.append((line_start + pos, line_start + pos + len(piece)))
            cursor = pos + len(piece)
            if cursor >= len(chunk.rstrip()):
                break
        line_start = brk_end
    return _ordinal_dates_joined(paragraph, spans)


_ORDINAL_END = re.compile(r"(?<![\d.])\d{1,2}\.$")
_GERMAN_MONTH_START = re.compile(
    r"^(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
    r"|Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sept?|Okt|Nov|Dez)\b"
)


def _ordinal_dates_joined(paragraph: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans with a German ordinal date put back together: the splitter ends a sentence at the
    ordinal's dot ("am 3." | "Dezember statt."); no English sentence ends on a day number that a
    German month name follows."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if (
            out
            and _ORDINAL_END.search(paragraph[out[-1][0] : out[-1][1]])
            and _GERMAN_MONTH_START.match(paragraph[start:end])
        ):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def is_prose(text: str) -> bool:
    return (
        (len(WORD.findall(text)) >= 5 or language.length(text) >= 5)
        and bool(_TERMINAL.search(text.rstrip()))
        and not rules.BOILERPLATE.match(text)
    )


def split_sentences(text: str) -> list[str]:
    """Sentences of a short text (a quotation), whitespace trimmed."""
    if not _INNER_END.search(text.rstrip()):
        return [text.strip()]
    return [p for p in (seg.strip() for seg in _segmenter().segment(text)) if p] or [text]


def parse(text: str) -> Document:
    """Split an article text (title paragraph first) into sentences with offsets."""
    sentences: list[Sentence] = []
    title = ""
    paragraphs: list[tuple[int, str]] = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        paragraphs.append((pos, text[pos : m.start()]))
        pos = m.end()
    paragraphs.append((pos, text[pos:]))
    paragraphs = [(offset, p) for offset, p in paragraphs if p.strip()]
    for para_index, (offset, paragraph) in enumerate(paragraphs):
        quotes = _quote_spans(paragraph)
        spans = _pieces(paragraph)
        tainted = any(is_tainted(paragraph[a:b]) for a, b in spans)
        if para_index == 0:
            title = paragraph.strip()
        for a, b in spans:
            piece = paragraph[a:b]
            sentences.append(
                Sentence(
                    index=len(sentences),
                    para=para_index,
                    start=offset + a,
                    end=offset + b,
                    text=piece,
                    quoted=tuple((max(qa, a) - a, min(qb, b) - a) for qa, qb in quotes if qa < b and qb > a),
                    is_title=para_index == 0,
                    tainted=tainted,
                    imperative=is_imperative(piece),
                    prose=is_prose(piece),
                    quotable=len(normalise(piece)) >= MIN_QUOTE_CHARS,
                )
            )
    return Document(text=text, title=title, sentences=tuple(sentences))


def strip_dateline(text: str) -> str:
    """``CALDERRA (Meridian Press) — About 12,000 …`` -> ``About 12,000 …``."""
    return rules.DATELINE.sub("", text, count=1)


def squash(text: str) -> str:
    """One line, single spaces."""
    return " ".join(text.split())


def plain_words(text: str) -> list[str]:
    """Lower-cased words minus stop words and a possessive ``'s``, otherwise as written."""
    out: list[str] = []
    for word in WORD.findall(text):
        w = word.lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        w = w.strip("'")
        if w not in STOPWORDS and len(w) >= 2:
            out.append(w)
    return out


def singular(word: str) -> str:
    """A crude singular ("cities" -> "city", "workers" -> "worker"); "news" -> "new" is its known miss."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(text: str) -> list[str]:
    """Lower-cased words minus stop words, crudely singular: for similarity, not display."""
    return [singular(w) for w in plain_words(text)]


def sentence_case(text: str) -> str:
    """First letter upper case, ends with end punctuation."""
    text = squash(text).strip(" ,;:—–-")
    if not text:
        return text
    text = text[0].upper() + text[1:]
    if not re.search(r"[.!?][\"”’']?$", text):
        text += "."
    return text
