"""summarizer: grounded, structured news summaries with open questions.

The Python API (``summarizer.api``; nothing is imported until first use)::

    import summarizer
    [result] = summarizer.summarize("article.txt")
    report = summarizer.compare(["wire.txt", "local.html"])
    totals = summarizer.batch("folder/", out="summaries/")

``summarize``, ``summarize_text``, ``compare``, ``stories`` and ``batch``;
``Settings``, ``Summarizer`` (the engine door, with ``asummarize`` for async
code), the result types and ``SummarizerError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "summarize": "summarizer.api",
    "summarize_text": "summarizer.api",
    "compare": "summarizer.api",
    "stories": "summarizer.api",
    "batch": "summarizer.api",
    "Settings": "summarizer.settings",
    "Summarizer": "summarizer.pipeline",
    "Article": "summarizer.article",
    "SummaryResult": "summarizer.result",
    "ArticleSummary": "summarizer.schema",
    "ComparisonReport": "summarizer.comparison.model",
    "CompareRun": "summarizer.comparison.stories",
    "BatchReport": "summarizer.batching.report",
    "SummarizerError": "summarizer.errors",
    "ConfigError": "summarizer.errors",
    "InputError": "summarizer.errors",
    "ProviderError": "summarizer.errors",
    "OutputInvalidError": "summarizer.errors",
}

__all__ = [
    "Article",
    "ArticleSummary",
    "BatchReport",
    "CompareRun",
    "ComparisonReport",
    "ConfigError",
    "InputError",
    "OutputInvalidError",
    "ProviderError",
    "Settings",
    "Summarizer",
    "SummarizerError",
    "SummaryResult",
    "__version__",
    "batch",
    "compare",
    "stories",
    "summarize",
    "summarize_text",
]

if TYPE_CHECKING:
    from summarizer.api import batch, compare, stories, summarize, summarize_text
    from summarizer.article import Article
    from summarizer.batching.report import BatchReport
    from summarizer.comparison.model import ComparisonReport
    from summarizer.comparison.stories import CompareRun
    from summarizer.errors import ConfigError, InputError, OutputInvalidError, ProviderError, SummarizerError
    from summarizer.pipeline import Summarizer
    from summarizer.result import SummaryResult
    from summarizer.schema import ArticleSummary
    from summarizer.settings import Settings


def __getattr__(name: str) -> Any:
    # Importing the package stays cheap (the CLI's start-up time): the API loads on first use.
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
