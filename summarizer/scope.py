"""Which article texts the grounding validators check quotes against.

One mechanism for summaries (one article) and comparisons (several, by
source id). Sources are given in one of three ways:

- ``scope(sources)``: a context manager that makes them active for every
  validation inside it. The LLM path uses it because instructor, once given
  a validation ``context``, renders every message as a Jinja template, and
  article text must never be template source (see ARCHITECTURE.md);
- ``context(sources)``: the same as a pydantic validation context (the
  offline engine, tests);
- ``trusted()``: a context for data grounded when it was produced (rows in
  the store); the validators skip the check.

Validating without any of them is refused, so no code path can skip the
check by accident. A summary is checked against the one source under
``ARTICLE``; a comparison against every source under its id.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from pydantic import ValidationInfo

from summarizer.grounding import Source

ARTICLE = "article"
"""The id a summary's one article is known by."""

_KEY = "summarizer.grounding"


@dataclass(frozen=True)
class _Grounding:
    sources: Mapping[str, Source] | None
    """None: the data is trusted (it was grounded when produced)."""


_ACTIVE: ContextVar[_Grounding | None] = ContextVar("summarizer_grounding", default=None)


def _named(sources: Source | Mapping[str, Source]) -> Mapping[str, Source]:
    return {ARTICLE: sources} if isinstance(sources, Source) else dict(sources)


@contextmanager
def scope(sources: Source | Mapping[str, Source]) -> Iterator[None]:
    """Check everything validated inside this block against ``sources``."""
    token = _ACTIVE.set(_Grounding(_named(sources)))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def context(sources: Source | Mapping[str, Source]) -> dict[str, object]:
    """A pydantic validation context that checks every quote against ``sources``."""
    return {_KEY: _Grounding(_named(sources))}


def trusted() -> dict[str, object]:
    """A validation context for data grounded when it was produced (the store)."""
    return {_KEY: _Grounding(None)}


def sources(info: ValidationInfo) -> Mapping[str, Source] | None:
    """The sources a validator checks against (None: trusted data, skip the check)."""
    ctx = info.context
    given = ctx.get(_KEY) if isinstance(ctx, dict) else None
    grounding = given if isinstance(given, _Grounding) else _ACTIVE.get()
    if grounding is None:
        raise ValueError("internal: validated without grounding context")
    return grounding.sources


def article(info: ValidationInfo) -> Source | None:
    """The one article a summary is checked against (None: trusted data)."""
    found = sources(info)
    if found is None:
        return None
    source = found.get(ARTICLE)
    if source is None:
        raise ValueError("internal: a summary was validated against sources that hold no single article")
    return source
