"""What the web UI's pages show, as plain values built from the store: no markup, no I/O but the store.

- ``article_page``: one stored article with its newest summary; every quote
  links to a ``<mark id="p-START-END">`` around its passage in the article text
  shown below it. Quotes that cross are drawn as one mark over their union
  (``compare.render_html.nest_spans``), and each quote links to the smallest
  mark that holds it, so a link never points at a mark that was merged away.
- ``passage_target``: the mark a passage ends up in on its article's page,
  so the questions board can link to any passage (an answering one too).
- ``story_report``: a kept comparison with its source texts put back (the
  stored report leaves them out; the articles table holds them).
- ``question_board``: the open-questions board's rows, each quote located
  in its article so it can be opened there.

Everything here reaches the templates as variables and is escaped there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from summarizer import scope
from summarizer.comparison.model import ComparisonReport
from summarizer.comparison.render_html import Piece, Span, mark_id, marked_text, nest_spans
from summarizer.comparison.render_md import ANSWER_VERB, STATUS_LABEL, flat
from summarizer.comparison.run import withheld_spans
from summarizer.comparison.schema import QuestionStatus
from summarizer.grounding import Source
from summarizer.render import restated
from summarizer.result import SummaryResult
from summarizer.schema import Evidence
from summarizer.store import Store
from summarizer.store.records import QuestionRow

MARK_PREFIX = "p"
OPENED = "the passage you opened"
"""How a passage opened from another page is named in its mark's tooltip."""


def kind_label(kind: str) -> str:
    return kind.replace("_", " ")


def status_label(status: str | None) -> str:
    if status is None:
        return "not checked against other outlets"
    try:
        return STATUS_LABEL[QuestionStatus(status)]
    except ValueError:
        return kind_label(status)


@dataclass
class Marks:
    """The marks drawn in one text and, per quoted span, the mark its link opens."""

    text: str
    spans: list[Span] = field(default_factory=list)
    target: dict[Span, str] = field(default_factory=dict)
    cited_in: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str, uses: Iterable[tuple[str, int, int]]) -> Marks:
        valid = [(label, a, b) for label, a, b in uses if 0 <= a < b <= len(text)]
        marks = cls(text, nest_spans((a, b) for _, a, b in valid))
        for label, a, b in valid:
            best = min((s for s in marks.spans if s[0] <= a and b <= s[1]), key=lambda s: s[1] - s[0])
            ident = mark_id(MARK_PREFIX, best)
            marks.target[(a, b)] = ident
            labels = marks.cited_in.setdefault(ident, [])
            if label not in labels:
                labels.append(label)
        return marks

    def href(self, ev: Evidence) -> str | None:
        if ev.start is None or ev.end is None:
            return None
        found = self.target.get((ev.start, ev.end))
        return f"#{found}" if found else None

    def pieces(self) -> list[Piece]:
        return marked_text(self.text, MARK_PREFIX, self.spans, self.cited_in, withheld_spans(self.text))


@dataclass(frozen=True)
class QuoteLink:
    text: str
    href: str | None
    """``#p-10-42`` (or a passage URL on the questions board); None: shown unlinked."""


@dataclass(frozen=True)
class Point:
    """A key point, statement, date or open question: its words and the quotes behind it."""

    n: int
    text: str
    quotes: list[QuoteLink]
    lead: str = ""
    """Speaker (statements), when (dates), or the question itself."""
    note: str = ""
    """Quoted or paraphrased (statements), why it is open (questions)."""
    kind: str = ""
    verbatim: bool = False
    """The words are the one quote word for word: shown once, as the quote (``render.restated``)."""


@dataclass(frozen=True)
class EntityView:
    name: str
    kind: str
    role: str


@dataclass(frozen=True)
class ArticlePage:
    content_hash: str
    title: str
    words: int
    headline: str
    gist: str
    summary: str
    key_points: list[Point]
    statements: list[Point]
    entities: list[EntityView]
    dates: list[Point]
    questions: list[Point]
    pieces: list[Piece]
    provenance: list[str]
    degraded: str
    """Why the summary is degraded (an LLM failure, summarized offline instead); "" if it is not."""
    notes: list[str]
    """What the engine could not do for this article (``Provenance.notes``)."""
    summaries: int
    """How many summaries the store holds for this article (this page shows the newest)."""
    stories: list[int]


def _uses(result: SummaryResult) -> list[tuple[str, Evidence]]:
    s = result.summary
    uses: list[tuple[str, Evidence]] = []
    uses += [(f"key point {i}", ev) for i, kp in enumerate(s.key_points, 1) for ev in kp.evidence]
    uses += [(f"statement {i}", ev) for i, st in enumerate(s.statements, 1) for ev in st.evidence]
    uses += [(f"date {i}", ev) for i, d in enumerate(s.dates, 1) for ev in d.evidence]
    uses += [(f"open question {i}", ev) for i, q in enumerate(s.open_questions, 1) for ev in q.evidence]
    return uses


def provenance_parts(result: SummaryResult) -> list[str]:
    p = result.provenance
    head = (
        "offline engine (extractive; no LLM was used)"
        if p.engine == "offline"
        else f"LLM {p.model} at {p.endpoint} (mode {p.mode})"
    )
    parts = [head, f"schema v{p.schema_version}", f"summarized {_when(p.finished_at)}"]
    if p.prompt_name:
        parts.insert(1, f"prompt {p.prompt_name} v{p.prompt_version}")
    if p.http_attempts:
        parts.append(f"{p.http_attempts} HTTP request(s), {p.usage.total_tokens} tokens")
    return parts


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def article_page(
    store: Store, content_hash: str, *, opened: Span | None = None, stories: Sequence[int] = ()
) -> ArticlePage | None:
    """The article's page, or None when the store does not hold it. ``opened``: a passage to mark
    as well (one opened from the questions board)."""
    stored = store.article_text(content_hash)
    if stored is None:
        return None
    title, text = stored
    results = store.results_for(content_hash)
    result = results[0] if results else None
    uses = _uses(result) if result else []
    spans = [(label, ev.start, ev.end) for label, ev in uses if ev.start is not None and ev.end is not None]
    if opened is not None:
        spans.append((OPENED, *opened))
    marks = Marks.of(text, spans)

    def points(items: Iterable[tuple[int, str, list[Evidence], str, str, str]]) -> list[Point]:
        return [
            Point(
                n,
                words,
                [QuoteLink(flat(ev.quote), marks.href(ev)) for ev in evs],
                lead,
                note,
                kind,
                restated(words, evs),
            )
            for n, words, evs, lead, note, kind in items
        ]

    if result is None:
        key_points = statements = dates = questions = []
        entities: list[EntityView] = []
    else:
        s = result.summary
        key_points = points((i, kp.point, kp.evidence, "", "", "") for i, kp in enumerate(s.key_points, 1))
        statements = points(
            (i, st.claim, st.evidence, st.speaker, "quoted" if st.direct else "paraphrased", "")
            for i, st in enumerate(s.statements, 1)
        )
        dates = points((i, d.event, d.evidence, d.when, "", "") for i, d in enumerate(s.dates, 1))
        questions = points(
            (i, q.question, q.evidence, "", q.why_open, kind_label(q.kind.value))
            for i, q in enumerate(s.open_questions, 1)
        )
        entities = [EntityView(e.name, e.kind.value, e.role) for e in s.entities]
    return ArticlePage(
        content_hash=content_hash,
        title=title,
        words=len(text.split()),
        headline=result.summary.headline if result else "",
        gist=result.summary.gist if result else "",
        summary=result.summary.summary if result else "",
        key_points=key_points,
        statements=statements,
        entities=entities,
        dates=dates,
        questions=questions,
        pieces=marks.pieces(),
        provenance=provenance_parts(result) if result else [],
        degraded=(result.provenance.degraded_reason or "degraded")
        if result and result.provenance.degraded
        else "",
        notes=list(result.provenance.notes) if result else [],
        summaries=len(results),
        stories=list(stories),
    )


def passage_target(store: Store, content_hash: str, span: Span) -> str | None:
    """The id of the mark that holds ``span`` on the article's page (drawn with ``opened=span``),
    or None when the article is unknown or the span lies outside its text."""
    stored = store.article_text(content_hash)
    if stored is None or not 0 <= span[0] < span[1] <= len(stored[1]):
        return None
    results = store.results_for(content_hash)
    uses = _uses(results[0]) if results else []
    spans = [(label, ev.start, ev.end) for label, ev in uses if ev.start is not None and ev.end is not None]
    marks = Marks.of(stored[1], [*spans, (OPENED, *span)])
    return marks.target.get(span)


def story_report(store: Store, story_id: int) -> ComparisonReport | None:
    """A kept comparison with every source's text restored from the articles table."""
    found = store.story_report(story_id)
    if found is None:
        return None
    report_json, members = found
    report = ComparisonReport.model_validate_json(report_json, context=scope.trusted())
    for source in report.sources:
        stored = store.article_text(members.get(source.id, source.content_hash))
        if stored is not None:
            source.text = stored[1]
    return report


@dataclass(frozen=True)
class BoardRow:
    """One open question on the board: where it was raised, and what a comparison found."""

    question: str
    kind: str
    why_open: str
    status: str
    status_key: str
    article: str
    article_href: str
    quote: QuoteLink
    story_id: int | None
    answered_by: str
    """The title of the article whose passage answers it; "" when none does."""
    answer_verb: str
    """``Partly answered by`` …"""
    answered_by_href: str
    answer: QuoteLink | None


def passage_href(content_hash: str, span: Span | None) -> str | None:
    if span is None:
        return None
    return f"/articles/{content_hash}/passage?start={span[0]}&end={span[1]}"


class _Texts:
    """Article titles and texts fetched once per page, with a quote locator per text."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._found: dict[str, tuple[str, Source] | None] = {}

    def get(self, content_hash: str) -> tuple[str, Source] | None:
        if content_hash not in self._found:
            stored = self.store.article_text(content_hash)
            self._found[content_hash] = (stored[0], Source(stored[1])) if stored else None
        return self._found[content_hash]

    def link(self, content_hash: str, quote: str) -> QuoteLink:
        found = self.get(content_hash)
        span = found[1].locate(quote) if found else None
        return QuoteLink(flat(quote), passage_href(content_hash, span))


def _answer_verb(status: str | None) -> str:
    try:
        return ANSWER_VERB[QuestionStatus(status or "answered")]
    except ValueError:
        return "Answered by"


def question_board(store: Store, rows: Sequence[QuestionRow]) -> list[BoardRow]:
    texts = _Texts(store)
    board: list[BoardRow] = []
    for r in rows:
        answer: QuoteLink | None = None
        answered_by = answered_by_href = ""
        if r.answer and r.answered_by:
            answer = texts.link(r.answered_by, r.answer)
            found = texts.get(r.answered_by)
            answered_by = found[0] if found else r.answered_by[:12]
            answered_by_href = f"/articles/{r.answered_by}"
        board.append(
            BoardRow(
                question=r.question,
                kind=kind_label(r.kind),
                why_open=r.why_open,
                status=status_label(r.status),
                status_key=r.status or "unchecked",
                article=r.title,
                article_href=f"/articles/{r.content_hash}",
                quote=texts.link(r.content_hash, r.quote),
                story_id=r.story_id,
                answered_by=answered_by,
                answer_verb=_answer_verb(r.status),
                answered_by_href=answered_by_href,
                answer=answer,
            )
        )
    return board
