"""The comparison report as one self-contained HTML file: the view the template draws.

Owns the mapping from quotes to highlighted passages and the view of a
report (``ReportView``) that ``templates/compare/report.html.j2`` renders;
the markup and stylesheet live in the templates (``base.html.j2`` is the
layout shared with any other page). Every quote links to
``#<source>-<start>-<end>``, a ``<mark>`` around that passage in an appendix
holding each source's full text. Overlapping quotes cannot all be elements of
one tree: quotes that nest become nested marks, quotes that cross are merged
into one mark over their union (both link there). So every mark ``Sx-a-b``
wraps exactly ``text[a:b]``, and every quote links to the smallest mark
containing it.

Everything from an article or written by a model reaches the template as a
variable and is autoescaped; nothing here writes markup, the pages emit no
script, and the Content-Security-Policy meta forbids any network load, so the
file can be opened or mailed safely. Wording is shared with ``render_md``.
Pure functions: no I/O beyond reading the packaged templates, no model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from summarizer import __version__, pages
from summarizer.comparison.model import ComparisonReport, SourceInfo
from summarizer.comparison.render_md import (
    ANSWER_VERB,
    NO_ANSWER,
    STATUS_LABEL,
    Sources,
    flat,
    provenance_parts,
    question_note,
    summary_line,
    title,
)
from summarizer.comparison.schema import Comparison, SourceQuote
from summarizer.render import same_words

TEMPLATE = "compare/report.html.j2"
STORIES_TEMPLATE = "compare/stories.html.j2"
HEADINGS = {
    "sources": "Sources",
    "shared": "Shared facts",
    "conflicts": "Conflicts",
    "unique": "Unique facts",
    "framing": "Framing",
    "questions": "Open questions across sources",
    "wire": "Wire copies",
    "texts": "Source texts",
}
"""Section ids and headings, in page order (the contents list is drawn from it)."""

Span = tuple[int, int]


def mark_id(source: str, span: Span) -> str:
    return f"{source}-{span[0]}-{span[1]}"


def nest_spans(spans: Iterable[Span]) -> list[Span]:
    """Spans that nest or are disjoint, sorted for rendering; any two that cross become their union."""
    current = {s for s in spans if s[0] < s[1]}
    while True:
        ordered = sorted(current, key=lambda s: (s[0], -s[1]))
        stack: list[Span] = []
        crossing: tuple[Span, Span] | None = None
        for span in ordered:
            while stack and stack[-1][1] <= span[0]:
                stack.pop()
            if stack and span[1] > stack[-1][1]:
                crossing = (stack[-1], span)
                break
            stack.append(span)
        if crossing is None:
            return ordered
        a, b = crossing
        current -= {a, b}
        current.add((min(a[0], b[0]), max(a[1], b[1])))


def _cited(c: Comparison) -> Iterator[tuple[str, SourceQuote]]:
    """Every quote with the item it belongs to (``shared fact 1``), in rendering order."""
    for i, fact in enumerate(c.shared_facts, 1):
        yield from ((f"shared fact {i}", q) for q in fact.support)
    for i, conflict in enumerate(c.conflicts, 1):
        yield from ((f"conflict {i}", q) for side in conflict.sides for q in side.support)
    for i, u in enumerate(c.unique_facts, 1):
        yield f"unique fact {i}", u.evidence
    for i, note in enumerate(c.framing, 1):
        yield from ((f"framing note {i}", q) for q in note.evidence)
    for i, question in enumerate(c.open_questions, 1):
        for q in [*question.raised_in, *([question.answer] if question.answer else [])]:
            yield f"question {i}", q


@dataclass
class Marks:
    """Per source, the marks to draw; per quote span, the mark it links to."""

    spans: dict[str, list[Span]]
    target: dict[tuple[str, int, int], str]
    cited_in: dict[str, list[str]]

    @classmethod
    def of(cls, report: ComparisonReport) -> Marks:
        texts = {s.id: s.text for s in report.sources}
        wanted: dict[str, set[Span]] = {sid: set() for sid in texts}
        uses: list[tuple[str, str, int, int]] = []
        for label, q in _cited(report.comparison):
            text = texts.get(q.source)
            if text is None or q.start is None or q.end is None or not 0 <= q.start < q.end <= len(text):
                continue  # unknown source or no offsets (trusted input): shown unlinked
            wanted[q.source].add((q.start, q.end))
            uses.append((label, q.source, q.start, q.end))
        spans = {sid: nest_spans(found) for sid, found in wanted.items()}
        target: dict[tuple[str, int, int], str] = {}
        cited_in: dict[str, list[str]] = {}
        for label, sid, start, end in uses:
            best = min((s for s in spans[sid] if s[0] <= start and end <= s[1]), key=lambda s: s[1] - s[0])
            target[(sid, start, end)] = mark_id(sid, best)
            labels = cited_in.setdefault(mark_id(sid, best), [])
            if label not in labels:
                labels.append(label)
        return cls(spans, target, cited_in)

    def href(self, q: SourceQuote, prefix: str = "") -> str | None:
        if q.start is None or q.end is None:
            return None
        found = self.target.get((q.source, q.start, q.end))
        return f"#{prefix}{found}" if found else None


@dataclass(frozen=True)
class Piece:
    """One step of a source text as drawn: a run of text, a mark opening or closing, a withheld passage."""

    kind: Literal["text", "open", "close", "withheld"]
    text: str = ""
    mark: str = ""
    """The mark's id (``open``)."""
    title: str = ""
    """The mark's tooltip (``open``): which items quote it."""


def _plain(text: str, a: int, b: int, withheld: Sequence[Span]) -> Iterator[Piece]:
    """``text[a:b]`` with every withheld span replaced by a notice."""
    pos = a
    for ws, we in withheld:
        if we <= pos or ws >= b:
            continue
        if ws > pos:
            yield Piece("text", text[pos:ws])
        yield Piece("withheld")
        pos = min(we, b)
    if b > pos:
        yield Piece("text", text[pos:b])


def marked_text(
    text: str,
    sid: str,
    spans: Sequence[Span],
    cited_in: dict[str, list[str]],
    withheld: Sequence[Span] = (),
    prefix: str = "",
) -> list[Piece]:
    """The text as pieces with a mark around each span (spans must nest, sorted by start, -end);
    withheld spans (planted instructions) become notices. ``prefix`` starts every mark's id."""
    out: list[Piece] = []
    pos = 0
    open_ends: list[int] = []

    def close_until(limit: int) -> None:
        nonlocal pos
        while open_ends and open_ends[-1] <= limit:
            end = open_ends.pop()
            out.extend(_plain(text, pos, end, withheld))
            out.append(Piece("close"))
            pos = end

    for start, end in spans:
        close_until(start)
        out.extend(_plain(text, pos, start, withheld))
        pos = start
        ident = mark_id(sid, (start, end))
        where = ", ".join(cited_in.get(ident, []))
        out.append(Piece("open", mark=prefix + ident, title=f"Quoted in {where}" if where else "Quoted"))
        open_ends.append(end)
    close_until(len(text))
    out.extend(_plain(text, pos, len(text), withheld))
    return out


@dataclass(frozen=True)
class SourceRef:
    """A source id as shown: linked to its text when the report has that source, outlet after it."""

    id: str
    outlet: str
    """`` (The Harbor Ledger)``, or ``""`` when the outlet is unknown."""
    linked: bool


@dataclass(frozen=True)
class QuoteView:
    source: SourceRef
    text: str
    href: str | None
    """``#S1-10-42``, or None for a quote without offsets (shown unlinked)."""


@dataclass(frozen=True)
class Finding:
    """A shared fact, unique fact or framing note: numbered, with its quotes."""

    n: int
    text: str
    quotes: list[QuoteView]
    support: str = ""
    verbatim: bool = False
    """The text is its one quote word for word: shown once, as the quote."""


@dataclass(frozen=True)
class Side:
    claim: str
    sources: str
    quotes: list[QuoteView]


@dataclass(frozen=True)
class Conflict:
    n: int
    about: str
    kind: str
    sides: list[Side]


@dataclass(frozen=True)
class UniqueGroup:
    """The unique facts of one origin, with the wire copies that carry the same text."""

    origin: SourceRef
    copies: list[SourceRef]
    facts: list[Finding]


@dataclass(frozen=True)
class Question:
    n: int
    text: str
    status: str
    raised_by: list[SourceRef]
    raised_in: list[QuoteView]
    answered_by: str
    """``Partly answered by``; ``""`` when no source answers it."""
    answer: list[QuoteView]
    note: str


@dataclass(frozen=True)
class SourceRow:
    id: str
    outlet: str
    title: str
    date: str
    words: int
    wire: str


@dataclass(frozen=True)
class SourceText:
    id: str
    title: str
    meta: str
    pieces: list[Piece]


@dataclass(frozen=True)
class ReportView:
    """Everything the report template shows, as plain values (the template escapes them all)."""

    title: str
    heading: str
    summary: str
    headings: dict[str, str]
    sources: list[SourceRow]
    shared: list[Finding]
    conflicts: list[Conflict]
    unique: list[UniqueGroup]
    framing: list[Finding]
    questions: list[Question]
    wire: list[str]
    texts: list[SourceText]
    provenance: list[str]
    prefix: str = ""
    """Starts every id and in-page link of this report (``s1-`` … on a grouped page)."""
    no_answer: str = NO_ANSWER
    skipped: list[str] = field(default_factory=list)
    """Inputs that were not read as articles, with the reason."""


@dataclass(frozen=True)
class RunView:
    """A grouped run on one page: every story's view (ids prefixed), and what was left out."""

    title: str
    summary: str
    stories: list[ReportView]
    singletons: list[str]
    skipped: list[str]


class _Builder:
    def __init__(self, report: ComparisonReport, prefix: str = "") -> None:
        self.report = report
        self.sources = Sources(report)
        self.marks = Marks.of(report)
        self.prefix = prefix

    def ref(self, sid: str) -> SourceRef:
        return SourceRef(sid, self.sources.label(sid)[len(sid) :], sid in self.sources.by_id)

    def quotes(self, quotes: Iterable[SourceQuote]) -> list[QuoteView]:
        return [QuoteView(self.ref(q.source), flat(q.quote), self.marks.href(q, self.prefix)) for q in quotes]

    def rows(self) -> list[SourceRow]:
        return [
            SourceRow(
                s.id, s.outlet or "—", flat(s.title), s.date or "—", s.words, self.sources.wire_label(s.id)
            )
            for s in self.report.sources
        ]

    def shared(self) -> list[Finding]:
        return [
            Finding(
                i,
                flat(fact.fact),
                self.quotes(fact.support),
                self.sources.reported_by(q.source for q in fact.support),
            )
            for i, fact in enumerate(self.report.comparison.shared_facts, 1)
        ]

    def conflicts(self) -> list[Conflict]:
        return [
            Conflict(
                i,
                flat(conflict.about),
                conflict.kind.value,
                [
                    Side(
                        flat(side.claim),
                        self.sources.side_sources(q.source for q in side.support),
                        self.quotes(side.support),
                    )
                    for side in conflict.sides
                ],
            )
            for i, conflict in enumerate(self.report.comparison.conflicts, 1)
        ]

    def unique(self) -> list[UniqueGroup]:
        by_origin: dict[str, list[Finding]] = {}
        for i, u in enumerate(self.report.comparison.unique_facts, 1):
            verbatim = same_words(u.fact, u.evidence.quote)
            finding = Finding(i, flat(u.fact), self.quotes([u.evidence]), verbatim=verbatim)
            by_origin.setdefault(self.sources.origin(u.evidence.source), []).append(finding)
        return [
            UniqueGroup(
                self.ref(origin), [self.ref(c) for c in self.sources.copies_of(origin)], by_origin[origin]
            )
            for origin in self.sources.ordered(by_origin)
        ]

    def framing(self) -> list[Finding]:
        return [
            Finding(i, flat(n.note), self.quotes(n.evidence))
            for i, n in enumerate(self.report.comparison.framing, 1)
        ]

    def questions(self) -> list[Question]:
        return [
            Question(
                i,
                flat(q.question),
                STATUS_LABEL[q.status],
                [self.ref(s) for s in self.sources.ordered(q.raised_by)],
                self.quotes(q.raised_in),
                ANSWER_VERB[q.status] if q.answer is not None else "",
                self.quotes([q.answer] if q.answer is not None else []),
                question_note(q),
            )
            for i, q in enumerate(self.report.comparison.open_questions, 1)
        ]

    def text(self, s: SourceInfo) -> SourceText:
        meta = " · ".join(x for x in (s.outlet, s.date, f"{s.words} words", s.path) if x)
        spans = self.marks.spans.get(s.id, [])
        pieces = marked_text(s.text, s.id, spans, self.marks.cited_in, s.withheld, self.prefix)
        return SourceText(s.id, flat(s.title), meta, pieces)

    def view(self) -> ReportView:
        report = self.report
        return ReportView(
            title=title(report),
            heading=flat(report.comparison.story) or title(report),
            summary=summary_line(report, self.sources),
            headings=HEADINGS,
            sources=self.rows(),
            shared=self.shared(),
            conflicts=self.conflicts(),
            unique=self.unique(),
            framing=self.framing(),
            questions=self.questions(),
            wire=[self.sources.wire_sentence(i) for i in range(len(report.wire_groups))],
            texts=[self.text(s) for s in report.sources],
            provenance=provenance_parts(report),
            prefix=self.prefix,
        )


def report_view(report: ComparisonReport, prefix: str = "") -> ReportView:
    """What the HTML report shows, before any markup."""
    return _Builder(report, prefix).view()


def _generator(reports: Sequence[ComparisonReport]) -> str:
    versions = sorted({r.provenance.schema_version for r in reports}) or ["?"]
    return f"summarizer {__version__} compare (schema v{', v'.join(versions)})"


def to_html(report: ComparisonReport, skipped: Sequence[str] = ()) -> str:
    """The whole report as one HTML document with inline CSS, no scripts and no external resources;
    ``skipped``: inputs not read as articles, listed at the end."""
    page = dataclasses.replace(report_view(report), skipped=list(skipped))
    return pages.render(TEMPLATE, page=page, generator=_generator([report]))


def run_to_html(
    reports: Sequence[ComparisonReport], singletons: Sequence[str] = (), skipped: Sequence[str] = ()
) -> str:
    """A grouped run as one page: a section per story (ids prefixed ``s1-``, ``s2-`` …), then the
    articles no other article tells the same story as, and the inputs that could not be read."""
    n = len(reports)
    run = RunView(
        title=f"Source comparison: {n} stor{'y' if n == 1 else 'ies'}",
        summary=f"{sum(len(r.sources) for r in reports)} articles grouped into {n} stor"
        f"{'y' if n == 1 else 'ies'}; {len(singletons)} not compared, {len(skipped)} skipped",
        stories=[report_view(r, f"s{i}-") for i, r in enumerate(reports, 1)],
        singletons=list(singletons),
        skipped=list(skipped),
    )
    return pages.render(STORIES_TEMPLATE, run=run, generator=_generator(reports))
