"""Render a ``ComparisonReport`` (or a whole run) as Markdown, HTML or JSON: the public entry points.

``render_md`` owns the Markdown and the wording both text formats share;
``render_html`` owns the self-contained HTML page (quotes linked to marked
passages in each source's text), drawn by ``templates/compare/report.html.j2``.
This module picks one, and renders a grouped run (several stories, and the
articles left out). Pure functions: no I/O, no model; the caller writes the
returned text.
"""

from __future__ import annotations

import json
from typing import Literal

from summarizer.compare.model import ComparisonReport
from summarizer.compare.render_html import to_html
from summarizer.compare.render_md import to_markdown
from summarizer.compare.stories import CompareRun, StoryPlan
from summarizer.errors import ConfigError

__all__ = ["Format", "check_format", "render_run", "to_html", "to_json", "to_markdown"]

Format = Literal["markdown", "json", "html"]


def to_json(report: ComparisonReport) -> str:
    """The report as indented JSON (source texts and quote offsets included), newline-terminated."""
    return report.model_dump_json(indent=2) + "\n"


def check_format(fmt: Format, plan: StoryPlan) -> None:
    """Refuse a format the planned run cannot be rendered in, before anything is paid for."""
    if fmt == "html" and plan.grouped and len(plan.stories) != 1:
        raise ConfigError("--format html writes one story; compare each group separately")


def render_run(run: CompareRun, fmt: Format) -> str:
    check_format(fmt, run.plan)
    if fmt == "html":
        return to_html(run.reports[0])
    if fmt == "json":
        if not run.grouped:
            return to_json(run.reports[0])
        stories = {
            "stories": [json.loads(to_json(r)) for r in run.reports],
            "singletons": run.singletons,
        }
        return json.dumps(stories, ensure_ascii=False, indent=2) + "\n"
    parts = [to_markdown(r) for r in run.reports]
    if run.singletons:
        parts.append(
            "## Not compared (no other article on the same story)\n\n"
            + "\n".join(f"- {s}" for s in run.singletons)
            + "\n"
        )
    return "\n\n".join(parts)
