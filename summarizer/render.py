"""Turn results into Markdown or JSON text. Pure functions: no I/O, no model.

The terminal view is this Markdown rendered by rich (``summarizer.cli``).
Anything taken from the article appears as a quote; the footer says which
engine produced the summary, and says plainly when no LLM was used.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from summarizer.grounding import MatchKind
from summarizer.result import SummaryResult
from summarizer.schema import Evidence

JSON_FORMAT_VERSION = "1"


def _quote(ev: Evidence) -> str:
    # A fuzzy match says so: the words are the article's, the model's copy of them was not exact.
    how = ", fuzzy match" if ev.match is MatchKind.fuzzy else ""
    where = f" [{ev.start}:{ev.end}{how}]" if ev.start is not None else ""
    text = " ".join(ev.quote.split()).replace("`", "'")
    return f"“{text}”{where}"


def _quotes(evidence: Sequence[Evidence]) -> str:
    return "; ".join(_quote(ev) for ev in evidence)


def same_words(text: str, quote: str) -> bool:
    """Whether ``text`` is ``quote`` word for word (whitespace aside): then a view shows it once,
    as the quote, not as a line and the same line quoted (summaries and comparisons alike)."""
    return " ".join(text.split()) == " ".join(quote.split())


def restated(text: str, evidence: Sequence[Evidence]) -> bool:
    """Whether ``text`` is its one quote word for word (an extractive point, a date's whole sentence)."""
    return len(evidence) == 1 and same_words(text, evidence[0].quote)


def _item(text: str, evidence: Sequence[Evidence], indent: str) -> str:
    """An item's words and the quotes behind them; only the quote when the words are the quote."""
    return _quotes(evidence) if restated(text, evidence) else f"{text}  \n{indent}{_quotes(evidence)}"


def provenance_line(result: SummaryResult) -> str:
    p = result.provenance
    if p.engine == "offline":
        head = "Engine: offline (extractive; no LLM was used)"
    else:
        head = f"Engine: LLM {p.model} at {p.endpoint} (mode {p.mode})"
    parts = [head]
    if p.prompt_name:
        parts.append(f"prompt {p.prompt_name} v{p.prompt_version} #{p.prompt_hash}")
    parts.append(f"schema v{p.schema_version}")
    if p.http_attempts:
        parts.append(f"{p.model_attempts} model answer(s), {p.http_attempts} HTTP request(s)")
        parts.append(
            f"tokens: {p.usage.prompt_tokens} in ({p.usage.cached_tokens} cached), "
            f"{p.usage.completion_tokens} out"
        )
    line = " · ".join(parts)
    if p.degraded:
        line += f"\n\n**Degraded:** {p.degraded_reason}"
    for note in p.notes:
        line += f"\n\n**Note:** {note}"
    return line


def to_markdown(result: SummaryResult) -> str:
    s = result.summary
    out: list[str] = [f"# {s.headline}", ""]
    out += [
        f"*Source: {result.source}"
        + (f" (article {result.index + 1})" if result.index else "")
        + f" · “{result.title}” · {result.words} words*",
        "",
    ]
    out += [f"**Gist:** {s.gist}", "", s.summary, ""]
    out += ["## Key points", ""]
    out += [f"{i}. {_item(kp.point, kp.evidence, '   ')}" for i, kp in enumerate(s.key_points, 1)]
    if s.statements:
        out += ["", "## Who said what", ""]
        for st in s.statements:
            kind = "quoted" if st.direct else "paraphrased"
            out.append(f"- **{st.speaker}** ({kind}): {_item(st.claim, st.evidence, '  ')}")
    if s.entities:
        out += ["", "## Entities", ""]
        out += [f"- **{e.name}** ({e.kind.value}): {e.role}" for e in s.entities]
    if s.dates:
        out += ["", "## Dates", ""]
        out += [f"- **{d.when}**: {_item(d.event, d.evidence, '  ')}" for d in s.dates]
    out += ["", "## Open questions", ""]
    if s.open_questions:
        for q in s.open_questions:
            out.append(
                f"- **{q.question}** *({q.kind.value.replace('_', ' ')})* {q.why_open}  \n"
                f"  {_quotes(q.evidence)}"
            )
    elif result.provenance.notes:
        out.append("- None found (the note below says what this engine cannot read in this article).")
    else:
        out.append("- None found in the article.")
    out += ["", "---", "", provenance_line(result), ""]
    return "\n".join(out)


def many_to_markdown(results: Sequence[SummaryResult], errors: Sequence[str] = ()) -> str:
    parts = [to_markdown(r) for r in results]
    if errors:
        parts.append("## Not summarized\n\n" + "\n".join(f"- {e}" for e in errors) + "\n")
    return "\n\n".join(parts)


def to_json(results: Sequence[SummaryResult], errors: Sequence[str] = (), *, indent: int | None = 2) -> str:
    """The results as ``summarize --format json`` writes them (``indent=None``: the same document,
    compact, as the service sends it)."""
    payload = {
        "format_version": JSON_FORMAT_VERSION,
        "results": [r.model_dump(mode="json") for r in results],
        "errors": list(errors),
    }
    return json.dumps(payload, ensure_ascii=False, indent=indent) + "\n"
