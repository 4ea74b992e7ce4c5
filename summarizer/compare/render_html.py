"""The comparison report as one self-contained HTML file.

Owns the markup, the inline stylesheet, and the mapping from quotes to
highlighted passages. Every quote links to ``#<source>-<start>-<end>``, a
``<mark>`` around that passage in an appendix holding each source's full
text. Overlapping quotes cannot all be elements of one tree: quotes that
nest become nested marks, quotes that cross are merged into one mark over
their union (both link there). So every mark ``Sx-a-b`` wraps exactly
``text[a:b]``, and every quote links to the smallest mark containing it.

Everything from an article or written by a model is escaped with
``html.escape``; nothing here emits a script, and the Content-Security-Policy
meta forbids any network load, so the file can be opened or mailed safely.
Wording is shared with ``render_md``. Pure functions: no I/O, no model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from html import escape

from summarizer import __version__
from summarizer.compare.model import ComparisonReport, SourceInfo
from summarizer.compare.render_md import (
    ANSWER_VERB,
    STATUS_LABEL,
    Sources,
    flat,
    provenance_parts,
    summary_line,
    title,
)
from summarizer.compare.schema import Comparison, SourceQuote

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

Span = tuple[int, int]

_CSS = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5a5a60; --rule: #d6d6db; --link: #0b57a4;
  --mark: #fff1a8; --mark2: #ffd966; --target: #ffb347; }
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 1.5rem 1.25rem 4rem; max-width: 48rem; color: var(--ink); background: #fff;
  font: 1.0625rem/1.6 Georgia, "Times New Roman", serif; }
h1, h2, h3, nav, table, .meta, footer, .sid, .status { font-family: system-ui, -apple-system, "Segoe UI",
  Roboto, Helvetica, Arial, sans-serif; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: .25rem 0 .5rem; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 .75rem; padding-bottom: .25rem;
  border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
a { color: var(--link); }
.eyebrow, .meta { color: var(--muted); font-size: .9rem; margin: 0; }
nav ol { display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; list-style: none; font-size: .9rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--rule); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.date { white-space: nowrap; }
ol.items > li, ul.items > li { margin-bottom: 1.1rem; }
.claim { font-weight: bold; margin: 0; }
.support, .note { margin: .15rem 0; color: var(--muted); }
.claim .support, h3 .support { font-weight: normal; font-size: .9rem; }
ul.quotes { list-style: none; padding-left: 1rem; margin: .25rem 0; border-left: 3px solid var(--rule); }
ul.quotes li { margin: .2rem 0; }
.sid { font-size: .85rem; }
a.quote { color: var(--ink); text-decoration-color: var(--link); text-underline-offset: .15em; }
.status { display: inline-block; font-size: .8rem; padding: 0 .4rem; border: 1px solid var(--rule);
  border-radius: .25rem; color: var(--muted); }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin-top: .75rem; }
.withheld { font-style: italic; color: #8a4b00; }
mark { background: var(--mark); color: inherit; scroll-margin-top: 4rem; }
mark mark { background: var(--mark2); }
mark:target { background: var(--target); outline: 2px solid #b35900; }
article.source { margin-top: 2rem; padding-top: .5rem; border-top: 1px solid var(--rule); }
footer { margin-top: 3rem; font-size: .85rem; color: var(--muted); border-top: 1px solid var(--rule); }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav, .back { display: none; }
  a, a.quote { color: inherit; text-decoration: none; }
  mark, mark mark { print-color-adjust: exact; -webkit-print-color-adjust: exact; outline: none; }
  #texts { break-before: page; }
  li, tr { break-inside: avoid; }
}
"""

_TEXTS_NOTE = "Quoted passages are highlighted; each quote above links to its passage here."
_SECTIONS = (
    ("sources", "Sources"),
    ("shared", "Shared facts"),
    ("conflicts", "Conflicts"),
    ("unique", "Unique facts"),
    ("framing", "Framing"),
    ("questions", "Open questions across sources"),
    ("wire", "Wire copies"),
    ("texts", "Source texts"),
)


def _e(text: str) -> str:
    return escape(text, quote=True)


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

    def href(self, q: SourceQuote) -> str | None:
        if q.start is None or q.end is None:
            return None
        found = self.target.get((q.source, q.start, q.end))
        return f"#{found}" if found else None


WITHHELD = (
    '<span class="withheld">[passage withheld: it addresses an AI model '
    "(possible prompt injection); see the source file]</span>"
)


def _plain(text: str, a: int, b: int, withheld: Sequence[Span]) -> str:
    """Escaped ``text[a:b]`` with every withheld span replaced by a notice."""
    out: list[str] = []
    pos = a
    for ws, we in withheld:
        if we <= pos or ws >= b:
            continue
        out.append(_e(text[pos : max(ws, pos)]))
        out.append(WITHHELD)
        pos = min(we, b)
    out.append(_e(text[pos:b]))
    return "".join(out)


def marked_text(
    text: str,
    sid: str,
    spans: Sequence[Span],
    cited_in: dict[str, list[str]],
    withheld: Sequence[Span] = (),
) -> str:
    """The escaped text with a ``<mark id=…>`` around each span (spans must nest, sorted by start, -end);
    withheld spans (planted instructions) are replaced by a notice."""
    out: list[str] = []
    pos = 0
    open_ends: list[int] = []

    def close_until(limit: int) -> None:
        nonlocal pos
        while open_ends and open_ends[-1] <= limit:
            end = open_ends.pop()
            out.append(_plain(text, pos, end, withheld) + "</mark>")
            pos = end

    for start, end in spans:
        close_until(start)
        out.append(_plain(text, pos, start, withheld))
        pos = start
        ident = mark_id(sid, (start, end))
        where = ", ".join(cited_in.get(ident, []))
        out.append(f'<mark id="{_e(ident)}" title="{_e("Quoted in " + where if where else "Quoted")}">')
        open_ends.append(end)
    close_until(len(text))
    out.append(_plain(text, pos, len(text), withheld))
    return "".join(out)


class _Page:
    def __init__(self, report: ComparisonReport) -> None:
        self.report = report
        self.sources = Sources(report)
        self.marks = Marks.of(report)

    def sid(self, sid: str) -> str:
        """A source id linked to its text, with the outlet after it."""
        label = _e(self.sources.label(sid)[len(sid) :])
        if sid in self.sources.by_id:
            return f'<a class="sid" href="#src-{_e(sid)}">{_e(sid)}</a>{label}'
        return f'<span class="sid">{_e(sid)}</span>{label}'

    def quote(self, q: SourceQuote) -> str:
        text = f"“{_e(flat(q.quote))}”"
        href = self.marks.href(q)
        link = (
            f'<a class="quote" href="{_e(href)}">{text}</a>' if href else f'<span class="quote">{text}</span>'
        )
        return f"{self.sid(q.source)}: {link}"

    def quotes(self, quotes: Sequence[SourceQuote]) -> str:
        return '<ul class="quotes">' + "".join(f"<li>{self.quote(q)}</li>" for q in quotes) + "</ul>"

    def source_table(self) -> str:
        head = "".join(
            f'<th scope="col">{h}</th>' for h in ("Id", "Outlet", "Title", "Date", "Words", "Wire group")
        )
        rows = []
        for s in self.report.sources:
            rows.append(
                f'<tr><th scope="row"><a href="#src-{_e(s.id)}">{_e(s.id)}</a></th>'
                f"<td>{_e(s.outlet or '—')}</td><td>{_e(flat(s.title))}</td>"
                f'<td class="date">{_e(s.date or "—")}</td>'
                f'<td class="num">{s.words}</td><td>{_e(self.sources.wire_label(s.id))}</td></tr>'
            )
        return (
            '<div class="table-wrap"><table><caption class="meta">The articles compared, in input order'
            f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )

    def shared(self) -> list[str]:
        items = []
        for i, fact in enumerate(self.report.comparison.shared_facts, 1):
            support = self.sources.reported_by(q.source for q in fact.support)
            items.append(
                f'<li id="fact-{i}"><p class="claim">{_e(flat(fact.fact))}</p>'
                f'<p class="support">{_e(support)}</p>{self.quotes(fact.support)}</li>'
            )
        return items

    def conflicts(self) -> list[str]:
        items = []
        for i, conflict in enumerate(self.report.comparison.conflicts, 1):
            sides = []
            for side in conflict.sides:
                who = self.sources.side_sources(q.source for q in side.support)
                sides.append(
                    f'<li><p class="claim">{_e(flat(side.claim))} <span class="support">{_e(who)}</span></p>'
                    f"{self.quotes(side.support)}</li>"
                )
            items.append(
                f'<li id="conflict-{i}"><h3>{_e(flat(conflict.about))} '
                f'<span class="status">{_e(conflict.kind.value)}</span></h3>{_list(sides)}</li>'
            )
        return items

    def unique(self) -> list[str]:
        by_origin: dict[str, list[str]] = {}
        for i, u in enumerate(self.report.comparison.unique_facts, 1):
            item = (
                f'<li id="unique-{i}"><p class="claim">{_e(flat(u.fact))}</p>{self.quotes([u.evidence])}</li>'
            )
            by_origin.setdefault(self.sources.origin(u.evidence.source), []).append(item)
        blocks = []
        for origin in self.sources.ordered(by_origin):
            copies = ", ".join(map(self.sid, self.sources.copies_of(origin)))
            also = f' <span class="support">wire origin; also carried by {copies}</span>' if copies else ""
            blocks.append(f"<li><h3>{self.sid(origin)}{also}</h3>{_list(by_origin[origin])}</li>")
        return blocks

    def framing(self) -> list[str]:
        return [
            f'<li id="framing-{i}"><p class="claim">{_e(flat(n.note))}</p>{self.quotes(n.evidence)}</li>'
            for i, n in enumerate(self.report.comparison.framing, 1)
        ]

    def questions(self) -> list[str]:
        items = []
        for i, q in enumerate(self.report.comparison.open_questions, 1):
            raised = ", ".join(self.sid(s) for s in self.sources.ordered(q.raised_by))
            answer = (
                f'<p class="support">{_e(ANSWER_VERB[q.status])}</p>{self.quotes([q.answer])}'
                if q.answer is not None
                else '<p class="support">No other source answers it.</p>'
            )
            note = f'<p class="note"><em>{_e(flat(q.note))}</em></p>' if q.note else ""
            items.append(
                f'<li id="question-{i}"><p class="claim">{_e(flat(q.question))} '
                f'<span class="status">{_e(STATUS_LABEL[q.status])}</span></p>'
                f'<p class="support">Raised by {raised}</p>{self.quotes(q.raised_in)}{answer}{note}</li>'
            )
        return items

    def wire(self) -> list[str]:
        return [f"<li>{_e(self.sources.wire_sentence(i))}</li>" for i in range(len(self.report.wire_groups))]

    def source_text(self, s: SourceInfo) -> str:
        meta = " · ".join(x for x in (s.outlet, s.date, f"{s.words} words", s.path) if x)
        body = marked_text(s.text, s.id, self.marks.spans.get(s.id, []), self.marks.cited_in, s.withheld)
        return (
            f'<article class="source" id="src-{_e(s.id)}" aria-labelledby="src-{_e(s.id)}-h">'
            f'<h3 id="src-{_e(s.id)}-h">{_e(s.id)}: {_e(flat(s.title))}</h3><p class="meta">{_e(meta)}</p>'
            f'<div class="text">{body}</div><p class="back"><a href="#top">Back to top</a></p></article>'
        )


def _list(items: Sequence[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f'<{tag} class="items">{"".join(items)}</{tag}>'


def _section(ident: str, heading: str, body: str) -> str:
    h2 = f'<h2 id="{ident}-h">{_e(heading)}</h2>'
    return f'<section id="{ident}" aria-labelledby="{ident}-h">{h2}{body}</section>'


def _items(ident: str, heading: str, items: list[str], empty: str, ordered: bool = False) -> str:
    return _section(ident, heading, _list(items, ordered) if items else f'<p class="meta">{_e(empty)}</p>')


def to_html(report: ComparisonReport) -> str:
    """The whole report as one HTML document with inline CSS, no scripts and no external resources."""
    page = _Page(report)
    head_title = _e(title(report))
    heading = _e(flat(report.comparison.story)) or head_title
    generator = f"summarizer {__version__} compare (schema v{report.provenance.schema_version})"
    nav = "".join(f'<li><a href="#{ident}">{_e(name)}</a></li>' for ident, name in _SECTIONS)
    sections = [
        _section("sources", "Sources", page.source_table()),
        _items("shared", "Shared facts", page.shared(), "None found.", ordered=True),
        _items("conflicts", "Conflicts", page.conflicts(), "None found.", ordered=True),
        _items("unique", "Unique facts", page.unique(), "None found."),
        _items("framing", "Framing", page.framing(), "None noted."),
        _items("questions", "Open questions across sources", page.questions(), "None found.", ordered=True),
        _items(
            "wire", "Wire copies", page.wire(), "None found: every source counts as its own confirmation."
        ),
    ]
    texts = "".join(page.source_text(s) for s in report.sources)
    provenance = " · ".join(_e(p) for p in provenance_parts(report))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
            '<meta name="referrer" content="no-referrer">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="{_e(generator)}">',
            f"<title>{head_title}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            '<header id="top"><p class="eyebrow">Source comparison</p>'
            f'<h1>{heading}</h1><p class="meta">{_e(summary_line(report, page.sources))}</p></header>',
            f'<nav aria-label="Contents"><ol>{nav}</ol></nav>',
            "<main>",
            *sections,
            _section("texts", "Source texts", f'<p class="meta">{_TEXTS_NOTE}</p>{texts}'),
            "</main>",
            f'<footer id="provenance"><p>{provenance}</p></footer>',
            "</body>",
            "</html>",
            "",
        ]
    )
