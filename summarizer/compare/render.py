"""Render a ``ComparisonReport`` as Markdown, HTML or JSON: the public entry points.

``render_md`` owns the Markdown and the wording both text formats share;
``render_html`` owns the self-contained HTML page (quotes linked to marked
passages in each source's text), drawn by ``templates/compare/report.html.j2``.
This module only picks one. Pure functions: no I/O, no model; the CLI writes
the returned text.
"""

from __future__ import annotations

from summarizer.compare.model import ComparisonReport
from summarizer.compare.render_html import to_html
from summarizer.compare.render_md import to_markdown

__all__ = ["to_html", "to_json", "to_markdown"]


def to_json(report: ComparisonReport) -> str:
    """The report as indented JSON (source texts and quote offsets included), newline-terminated."""
    return report.model_dump_json(indent=2) + "\n"
