"""Render a ``ComparisonReport`` (or a whole run) as Markdown, HTML or JSON: the public entry points.

``render_md`` owns the Markdown and the wording both text formats share;
``render_html`` owns the self-contained HTML page (quotes linked to marked
passages in each source's text), drawn by ``templates/compare/report.html.j2``.
This module picks one, and renders a whole run: a grouped run (several
stories, the articles left out) and the inputs skipped because they are not
articles; in HTML a grouped run is one page with a section per story. Pure
functions: no I/O, no model; the caller writes the returned text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal, get_args

from summarizer.comparison.model import ComparisonReport
from summarizer.comparison.render_html import run_to_html, to_html
from summarizer.comparison.render_md import md, to_markdown
from summarizer.comparison.stories import CompareRun, StoryPlan
from summarizer.errors import ConfigError

__all__ = ["FORMAT_VERSION", "Format", "check_format", "render_run", "to_html", "to_json", "to_markdown"]

Format = Literal["markdown", "json", "html"]
FORMAT_VERSION = "1"
"""Version of the comparison JSON's layout (``format_version``, as in ``summarize --format json``)."""


def _report_data(report: ComparisonReport) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(report.model_dump_json())
    return data


def to_json(report: ComparisonReport, skipped: Sequence[str] = ()) -> str:
    """The report as indented JSON (quote offsets included; source texts are not), newline-terminated,
    with ``format_version`` and the inputs ``skipped`` (not read as articles) at the top level."""
    data = {"format_version": FORMAT_VERSION, **_report_data(report), "skipped": list(skipped)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def check_format(fmt: Format, plan: StoryPlan) -> None:
    """Refuse a format the planned run cannot be rendered in, before anything is paid for. (Every
    plan renders in every format today: a grouped run in HTML is one page with a section per story.)"""
    if fmt not in get_args(Format):
        raise ConfigError(f"unknown format {fmt!r}: use one of {', '.join(get_args(Format))}")


def render_run(run: CompareRun, fmt: Format) -> str:
    check_format(fmt, run.plan)
    skipped = [str(exc) for exc in run.plan.skipped]
    if fmt == "html":
        if not run.grouped:
            return to_html(run.reports[0], skipped)
        return run_to_html(run.reports, run.singletons, skipped)
    if fmt == "json":
        if not run.grouped:
            return to_json(run.reports[0], skipped)
        stories = {
            "format_version": FORMAT_VERSION,
            "stories": [_report_data(r) for r in run.reports],
            "singletons": run.singletons,
            "skipped": skipped,
        }
        return json.dumps(stories, ensure_ascii=False, indent=2) + "\n"
    parts = [to_markdown(r) for r in run.reports]
    if run.singletons:
        parts.append(
            "## Not compared (no other article on the same story)\n\n"
            + "\n".join(f"- {md(s)}" for s in run.singletons)
            + "\n"
        )
    if skipped:
        parts.append(
            "## Skipped (not read as articles)\n\n" + "\n".join(f"- {md(s)}" for s in skipped) + "\n"
        )
    return "\n\n".join(parts)
