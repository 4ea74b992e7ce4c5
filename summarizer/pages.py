"""HTML pages rendered from the package's Jinja2 templates: one environment, autoescape always on.

The templates are package data under ``summarizer/templates`` and are read
through ``importlib.resources``, so an installed wheel, a zip import and an
editable checkout behave the same and nothing depends on the working
directory. ``base.html.j2`` is the shared layout (the head with the
Content-Security-Policy, the inline stylesheet ``base.css``, a ``style`` and
a ``body`` block); every page extends it, so a server-rendered UI can reuse
it next to the comparison report.

Untrusted text is data: callers pass article text and model output as
variables of a fixed template, never as template source, and autoescape
turns ``<script>`` into text. ``StrictUndefined`` makes a misspelt variable
an error instead of an empty string. Pure: no I/O beyond reading templates.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import resources

import jinja2

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
"""No scripts, no network loads: a rendered page can be opened from disk or mailed safely."""

_ROOT = ("templates",)


def _source(name: str) -> tuple[str, str | None, Callable[[], bool]] | None:
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    resource = resources.files("summarizer").joinpath(*_ROOT, *parts)
    if not resource.is_file():
        return None
    # Package data does not change while the process runs: compile once.
    return resource.read_text(encoding="utf-8"), None, lambda: True


@functools.cache
def environment() -> jinja2.Environment:
    """The one environment for HTML pages (built on first use: importing this module reads nothing)."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_source),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["csp"] = CSP
    return env


def render(name: str, /, **values: object) -> str:
    """Render the template ``name`` (a path under ``summarizer/templates``) with ``values`` as data."""
    return environment().get_template(name).render(**values)
