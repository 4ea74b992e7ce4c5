"""The Python API: summarize, batch and compare from code, with the command line's behaviour.

    import summarizer

    [result] = summarizer.summarize("article.html")            # offline unless a key or URL is set
    result.summary.key_points[0].evidence[0].quote              # checked against the article
    summarizer.summarize("https://…", model="gpt-4o-mini", api_key="sk-…")
    summarizer.summarize_text(text, title="Council votes on bridge")
    report = summarizer.compare(["wire.txt", "local.html", "radio.md"])
    run = summarizer.stories(["folder/"])                       # a mixed folder, grouped first
    totals = summarizer.batch("folder/", out="summaries/", db="store.db")

Every function takes the settings as keywords (the fields of ``Settings``:
``engine``, ``model``, ``base_url``, ``api_key``, ``mode``, ``fallback``,
``timeout``, ``deadline``, ``reasks`` …), or a whole ``settings=Settings(…)``.
Environment variables (``SUMMARIZER_*``, ``OPENAI_API_KEY``) apply as on the
command line; a ``.env`` file is not read. Failures raise ``SummarizerError``
subclasses (``InputError`` for a bad article, ``ProviderError`` when the
model could not answer …), the same the command line turns into exit codes.
These are synchronous; inside an event loop, use ``Summarizer.asummarize``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from summarizer.article import Article
from summarizer.batching.report import BatchReport
from summarizer.comparison.model import ComparisonReport
from summarizer.comparison.stories import CompareRun
from summarizer.errors import ConfigError
from summarizer.result import SummaryResult
from summarizer.settings import Settings

Source = str | os.PathLike[str]


def settings_of(settings: Settings | None, options: dict[str, Any]) -> Settings:
    """``settings`` with ``options`` on top (keywords named as ``Settings``' fields)."""
    unknown = sorted(set(options) - set(Settings.model_fields))
    if unknown:
        raise TypeError(f"unknown setting(s) {', '.join(unknown)}; see summarizer.Settings")
    try:
        if settings is None:
            return Settings(**options)
        return Settings(**{**settings.model_dump(), **options}) if options else settings
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid configuration: {problems}") from None


def summarize(source: Source, *, settings: Settings | None = None, **options: Any) -> list[SummaryResult]:
    """Summarize the article(s) in a file, an ``http(s)://`` URL or ``"-"`` (standard input).

    A file may hold several articles (a scraped page with two stories): one result each, in order.
    """
    from summarizer import ingest

    chosen = settings_of(settings, options)
    articles = ingest.load(os.fspath(source), max_bytes=chosen.max_bytes, timeout=chosen.timeout)
    return _summarize(articles, chosen)


def summarize_text(
    text: str,
    *,
    title: str | None = None,
    kind: Literal["txt", "md", "html", "json"] | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> list[SummaryResult]:
    """Summarize article text given as a string (plain text, Markdown, HTML or JSON; sniffed
    unless ``kind`` says). Its first line is the title unless ``title`` is given."""
    from summarizer import ingest

    chosen = settings_of(settings, options)
    body = f"{title}\n\n{text}" if title else text
    articles = ingest.from_bytes(body.encode("utf-8"), source="text", kind=kind, max_bytes=chosen.max_bytes)
    return _summarize(articles, chosen)


def _summarize(articles: list[Article], settings: Settings) -> list[SummaryResult]:
    from summarizer.pipeline import Summarizer

    with Summarizer(settings) as summarizer:
        return [summarizer.summarize(article) for article in articles]


def compare(
    sources: Sequence[Source], *, db: Source | None = None, settings: Settings | None = None, **options: Any
) -> ComparisonReport:
    """Compare several outlets' reports of one story (files, ``file#n``, folders).

    ``db``: a store to reuse summaries from and keep the comparison in."""
    run = _compare(sources, group=False, db=db, settings=settings_of(settings, options))
    return run.reports[0]


def stories(
    sources: Sequence[Source], *, db: Source | None = None, settings: Settings | None = None, **options: Any
) -> CompareRun:
    """Group a mix of articles into stories, then compare each story (``compare --group``)."""
    return _compare(sources, group=True, db=db, settings=settings_of(settings, options))


def _compare(sources: Sequence[Source], *, group: bool, db: Source | None, settings: Settings) -> CompareRun:
    from summarizer.comparison.stories import compare_plan, plan_stories
    from summarizer.store import Store

    plan = plan_stories([os.fspath(s) for s in sources], settings, group=group)
    if db is None:
        return compare_plan(plan, settings)
    with Store(Path(db)) as store:
        return compare_plan(plan, settings, store=store)


def batch(
    folder: Source,
    *,
    out: Source = "summaries",
    db: Source | None = None,
    glob: str = "**/*",
    fmt: Literal["json", "markdown"] = "json",
    concurrency: int = 8,
    rpm: int | None = None,
    tpm: int | None = None,
    max_cost: float | None = None,
    retry_failed: bool = False,
    progress: bool = False,
    settings: Settings | None = None,
    **options: Any,
) -> BatchReport:
    """Summarize every article under ``folder`` into ``out`` (one file each, plus ``report.json``),
    concurrently and resumably, as ``summarizer batch`` does; ``db`` defaults to the user's store.
    ``progress``: show the progress on stderr as the command does (a bar on a terminal)."""
    from summarizer.batching import BatchOptions, run_batch
    from summarizer.store import default_db_path

    options_ = BatchOptions(
        root=Path(folder),
        out=Path(out),
        db=Path(db) if db is not None else default_db_path(),
        pattern=glob,
        concurrency=concurrency,
        rpm=rpm,
        tpm=tpm,
        fmt=fmt,
        max_cost=max_cost,
        retry_failed=retry_failed,
        live_progress=None if progress else False,
        show_progress=progress,
    )
    return run_batch(settings_of(settings, options), options_)
