"""The comparison report as Markdown, and the wording both renderers share.

Owns what the report *says*: source labels (``S2 (The Harbor Ledger)``),
question-status phrases, the wire-copy sentence, the provenance footer.
``render_html`` reuses these so the two formats never drift apart. Pure
functions: no I/O, no model. Everything taken from an article, and everything
a model wrote about it, is untrusted text and is escaped before it lands in
Markdown (a title with ``|`` must not break the table, ``<script>`` must not
become HTML in a Markdown viewer).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from summarizer.comparison.model import ComparisonReport, SourceInfo, WireGroup
from summarizer.comparison.schema import CrossQuestion, QuestionStatus, SourceQuote
from summarizer.render import same_words

STATUS_LABEL: dict[QuestionStatus, str] = {
    QuestionStatus.answered: "answered",
    QuestionStatus.partly_answered: "partly answered",
    QuestionStatus.unattributed_answer: "answered without attribution",
    QuestionStatus.contradicted: "contradicted",
    QuestionStatus.open: "open",
}
ANSWER_VERB: dict[QuestionStatus, str] = {
    QuestionStatus.answered: "Answered by",
    QuestionStatus.partly_answered: "Partly answered by",
    QuestionStatus.unattributed_answer: "Answered, without attribution, by",
    QuestionStatus.contradicted: "Contradicted by",
    QuestionStatus.open: "Answered by",
}
WIRE_RULE = "one origin, several outlets: counts as one confirmation"
NO_ANSWER = "No other source answers it."

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def flat(text: str) -> str:
    """Whitespace runs (newlines included) to one space: quotes and titles are shown on one line."""
    return " ".join(text.split())


def md(text: str) -> str:
    """Untrusted text made inert in Markdown: one line, every active character backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", flat(text))


class Sources:
    """Look-ups over a report's sources that every section needs."""

    def __init__(self, report: ComparisonReport) -> None:
        self.by_id: dict[str, SourceInfo] = {s.id: s for s in report.sources}
        self.groups: list[WireGroup] = report.wire_groups
        self._order = {s.id: i for i, s in enumerate(report.sources)}

    def label(self, sid: str) -> str:
        """``S2 (The Harbor Ledger)``; just ``S2`` when the outlet is unknown. Plain text, unescaped."""
        info = self.by_id.get(sid)
        return f"{sid} ({flat(info.outlet)})" if info is not None and info.outlet else sid

    def origin(self, sid: str) -> str:
        """The source id that counts for ``sid``: its wire group's origin, else itself."""
        info = self.by_id.get(sid)
        if info is not None and info.wire_group is not None and 0 <= info.wire_group < len(self.groups):
            return self.groups[info.wire_group].origin
        return sid

    def ordered(self, sids: Iterable[str]) -> list[str]:
        """Distinct ids in input order (unknown ids last, as given)."""
        unique = list(dict.fromkeys(sids))
        return sorted(unique, key=lambda s: self._order.get(s, len(self._order)))

    def independent(self, sids: Iterable[str]) -> int:
        """How many independent origins these sources are (wire copies count once)."""
        return len(set(map(self.origin, sids)))

    def wire_note(self, sids: Iterable[str]) -> str:
        """``S1 and S3 are one wire text, counted once``; ``""`` when no two are copies of each other."""
        ids = self.ordered(sids)
        copies = []
        for origin in self.ordered(map(self.origin, ids)):
            members = [s for s in ids if self.origin(s) == origin]
            if len(members) > 1:
                copies.append(f"{', '.join(members[:-1])} and {members[-1]} are one wire text")
        return f"{'; '.join(copies)}, counted once" if copies else ""

    def reported_by(self, sids: Iterable[str]) -> str:
        """``Reported by S1, S2, S3: 2 independent (S1 and S3 are one wire text, counted once).``"""
        ids = self.ordered(sids)
        note = self.wire_note(ids)
        tail = f": {self.independent(ids)} independent ({note})" if note else ""
        return f"Reported by {', '.join(ids)}{tail}."

    def side_sources(self, sids: Iterable[str]) -> str:
        """``S1, S3 (S1 and S3 are one wire text, counted once)`` for one side of a conflict."""
        ids = self.ordered(sids)
        note = self.wire_note(ids)
        return ", ".join(ids) + (f" ({note})" if note else "")

    def copies_of(self, origin: str) -> list[str]:
        """The other members of ``origin``'s wire group, in input order."""
        return [s for s in self.ordered(self.by_id) if s != origin and self.origin(s) == origin]

    def wire_label(self, sid: str) -> str:
        """Table cell: ``W1 (origin)``, ``W1 (copy of S1)`` or ``—``."""
        info = self.by_id.get(sid)
        if info is None or info.wire_group is None or not 0 <= info.wire_group < len(self.groups):
            return "—"
        origin = self.groups[info.wire_group].origin
        name = f"W{info.wire_group + 1}"
        return f"{name} (origin)" if origin == sid else f"{name} (copy of {origin})"

    def wire_sentence(self, index: int) -> str:
        """One wire group in words (plain text, unescaped)."""
        group = self.groups[index]
        members = ", ".join(self.label(m) for m in self.ordered(group.members))
        return (
            f"W{index + 1}: {members} carry one text (origin {group.origin}, "
            f"similarity ≥ {group.similarity:.2f}); {WIRE_RULE}."
        )


def provenance_parts(report: ComparisonReport) -> list[str]:
    """The footer as plain-text parts; each renderer joins and escapes them."""
    p = report.provenance
    if p.engine == "offline":
        parts = ["Engine: offline (no LLM was used)"]
    else:
        parts = [f"Engine: LLM {p.model or 'unknown model'}" + (f" at {p.endpoint}" if p.endpoint else "")]
    if p.prompt_name:
        parts.append(f"prompt {p.prompt_name}" + (f" #{p.prompt_hash}" if p.prompt_hash else ""))
    parts.append(f"schema v{p.schema_version}")
    n = len(report.sources)
    stored = n - p.summary_calls
    summaries = f"{n} summar{'y' if n == 1 else 'ies'}" + (
        f" ({stored} from the store)" if stored > 0 else ""
    )
    comparisons = f"{p.compare_calls} comparison{'' if p.compare_calls == 1 else 's'}"
    if p.engine == "offline":  # the offline engine calls no model: say what it did instead
        parts.append(f"offline: {summaries}, {comparisons}, no model calls")
    else:
        parts.append(f"model calls: {p.summary_calls} summary, {p.compare_calls} compare")
    u = p.usage
    if u.total_tokens:
        parts.append(f"tokens: {u.prompt_tokens} in ({u.cached_tokens} cached), {u.completion_tokens} out")
    parts.append(f"finished {p.finished_at.isoformat(timespec='seconds')}")
    return parts


def title(report: ComparisonReport) -> str:
    story = flat(report.comparison.story)
    return f"Comparison: {story}" if story else f"Comparison of {len(report.sources)} sources"


def summary_line(report: ComparisonReport, sources: Sources) -> str:
    """``3 sources from 3 outlets, 2 independent``."""
    n = len(report.sources)
    outlets = len({s.outlet for s in report.sources if s.outlet})
    line = f"{n} source{'s' if n != 1 else ''}"
    if outlets:
        line += f" from {outlets} outlet{'s' if outlets != 1 else ''}"
    origins = sources.independent(s.id for s in report.sources)
    return line + (f", {origins} independent" if origins != n else "")


# --- Markdown -----------------------------------------------------------------------------------


def _quote(sources: Sources, q: SourceQuote) -> str:
    return f"{md(sources.label(q.source))}: “{md(q.quote)}”"


def _quote_lines(sources: Sources, quotes: Sequence[SourceQuote], indent: str) -> list[str]:
    return [f"{indent}{_quote(sources, q)}  " for q in quotes]


def _end_item(lines: list[str]) -> list[str]:
    """Drop the hard break after an item's last line."""
    if lines:
        lines[-1] = lines[-1].rstrip()
    return lines


def _source_table(report: ComparisonReport, sources: Sources) -> list[str]:
    out = ["| Id | Outlet | Title | Date | Words | Wire group |", "|---|---|---|---|---:|---|"]
    for s in report.sources:
        cells = [
            s.id,
            md(s.outlet or "—"),
            md(s.title),
            md(s.date or "—"),
            str(s.words),
            sources.wire_label(s.id),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return out


def _shared(report: ComparisonReport, sources: Sources) -> list[str]:
    out: list[str] = []
    for i, fact in enumerate(report.comparison.shared_facts, 1):
        item = [
            f"{i}. **{md(fact.fact)}**  ",
            f"   {md(sources.reported_by(q.source for q in fact.support))}  ",
        ]
        out += _end_item(item + _quote_lines(sources, fact.support, "   "))
    return out


def _conflicts(report: ComparisonReport, sources: Sources) -> list[str]:
    out: list[str] = []
    for conflict in report.comparison.conflicts:
        out += [f"### {md(conflict.about)} ({conflict.kind.value})", ""]
        for side in conflict.sides:
            who = md(sources.side_sources(q.source for q in side.support))
            head = f"- **{md(side.claim)}**: {who}"
            out += _end_item([head + "  ", *_quote_lines(sources, side.support, "  ")])
        out.append("")
    return out[:-1]


def _unique(report: ComparisonReport, sources: Sources) -> list[str]:
    by_origin: dict[str, list[str]] = {}
    for u in report.comparison.unique_facts:
        # An extractive fact is its quote: shown once, as the quote (labelled, as every quote is).
        shown = "" if same_words(u.fact, u.evidence.quote) else f"{md(u.fact)}  \n  "
        line = f"- {shown}{_quote(sources, u.evidence)}"
        by_origin.setdefault(sources.origin(u.evidence.source), []).append(line)
    out: list[str] = []
    for origin in sources.ordered(by_origin):
        copies = ", ".join(md(sources.label(c)) for c in sources.copies_of(origin))
        also = f" (wire origin; also carried by {copies})" if copies else ""
        out += [f"### {md(sources.label(origin))}{also}", "", *by_origin[origin], ""]
    return out[:-1]


def _framing(report: ComparisonReport, sources: Sources) -> list[str]:
    out: list[str] = []
    for note in report.comparison.framing:
        out += _end_item([f"- {md(note.note)}  ", *_quote_lines(sources, note.evidence, "  ")])
    return out


def question_note(q: CrossQuestion) -> str:
    """The comparator's note on a question, unless it only repeats that no source answers it."""
    note = flat(q.note) if q.note else ""
    return "" if q.answer is None and note == NO_ANSWER else note


def _question(i: int, q: CrossQuestion, sources: Sources) -> list[str]:
    raised = ", ".join(md(sources.label(s)) for s in sources.ordered(q.raised_by))
    item = [f"{i}. **{md(q.question)}** ({STATUS_LABEL[q.status]})  ", f"   Raised by {raised}  "]
    item += _quote_lines(sources, q.raised_in, "   ")
    if q.answer is not None:
        item.append(f"   {ANSWER_VERB[q.status]} {_quote(sources, q.answer)}  ")
    else:
        item.append(f"   {NO_ANSWER}  ")
    if note := question_note(q):
        item.append(f"   *{md(note)}*  ")
    return _end_item(item)


def _section(heading: str, body: list[str], empty: str) -> list[str]:
    return ["", f"## {heading}", "", *(body or [empty])]


def to_markdown(report: ComparisonReport) -> str:
    """The whole report as Markdown: sources, then each kind of finding, then provenance."""
    sources = Sources(report)
    c = report.comparison
    out = [f"# {md(title(report))}", "", f"*{summary_line(report, sources)}*", "", "## Sources", ""]
    out += _source_table(report, sources)
    out += _section("Shared facts", _shared(report, sources), "- None found.")
    out += _section("Conflicts", _conflicts(report, sources), "- None found.")
    out += _section("Unique facts", _unique(report, sources), "- None found.")
    out += _section("Framing", _framing(report, sources), "- None noted.")
    questions = [line for i, q in enumerate(c.open_questions, 1) for line in _question(i, q, sources)]
    out += _section("Open questions across sources", questions, "- None found.")
    wire = [f"- {md(sources.wire_sentence(i))}" for i in range(len(report.wire_groups))]
    out += _section("Wire copies", wire, "- None found: every source counts as its own confirmation.")
    out += ["", "---", "", md(" · ".join(provenance_parts(report))), ""]
    return "\n".join(out)
