"""Running a comparison: paths in, ``ComparisonReport`` out. The library door the CLI calls.

Owns the map-reduce and its accounting. Map: every source is summarized on
its own with ``pipeline.Summarizer`` (served from the store when one is
given, under the same cache key as the batch runner). Reduce: one
``Comparator`` reads the summaries (or per-source units), never the raw
articles together. N sources cost at most N summary calls (0 when cached)
plus the comparator's calls; both counts, the tokens and the engine land in
``CompareProvenance``. Calls are engine invocations: the offline engine's
summaries count too (they are what the store saves), its comparison counts
as one call with no tokens.

Also ``group_paths`` (``compare --group``) and ``load_articles``, which
reads ``path#n`` (1-based) as the n-th article of a file holding several,
the way ``group_paths`` names them. It must not render or print.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from summarizer import ingest
from summarizer.article import Article
from summarizer.comparison.group import group_articles
from summarizer.comparison.model import CompareProvenance, ComparisonReport, SourceInfo, StoryGroups
from summarizer.comparison.outlets import credited_origin, language_notes, republisher_names, source_outlet
from summarizer.comparison.schema import COMPARE_SCHEMA_VERSION
from summarizer.comparison.wire import find_wire_groups
from summarizer.engines import Comparator, build_comparator
from summarizer.errors import InputError
from summarizer.pipeline import Summarizer
from summarizer.portal import Portal
from summarizer.result import Usage
from summarizer.schema import ArticleSummary
from summarizer.settings import Settings
from summarizer.store import Store

log = logging.getLogger(__name__)

_SELECTOR = re.compile(r"^(?P<path>.+)#(?P<n>[1-9]\d*)$")


def compare_paths(
    paths: Sequence[str],
    settings: Settings,
    *,
    store: Store | None = None,
    comparator: Comparator | None = None,
) -> ComparisonReport:
    """Compare the articles in ``paths`` (files, ``file#n``, folders) as reports of one story."""
    started = datetime.now(UTC)
    articles = load_articles(paths, max_bytes=settings.max_bytes)
    return compare_articles(articles, settings, store=store, comparator=comparator, started=started)


def compare_articles(
    articles: Sequence[Article],
    settings: Settings,
    *,
    store: Store | None = None,
    comparator: Comparator | None = None,
    started: datetime | None = None,
) -> ComparisonReport:
    """Summarize each article (or take its summary from ``store``), then compare them.

    The synchronous door onto ``acompare_articles``; the engine and, unless one is
    given, the comparator are made for this call and closed after it."""
    portal = Portal()
    try:
        return portal.run(_compare_once(articles, settings, store, comparator, started))
    finally:
        portal.close()


async def _compare_once(
    articles: Sequence[Article],
    settings: Settings,
    store: Store | None,
    comparator: Comparator | None,
    started: datetime | None,
) -> ComparisonReport:
    own = comparator is None
    chosen = comparator or build_comparator(settings)
    try:
        async with Summarizer(settings) as summarizer:
            return await acompare_articles(articles, summarizer, chosen, store=store, started=started)
    finally:
        if own:
            await chosen.aclose()


async def acompare_articles(
    articles: Sequence[Article],
    summarizer: Summarizer,
    comparator: Comparator,
    *,
    store: Store | None = None,
    started: datetime | None = None,
) -> ComparisonReport:
    """The map-reduce: each article summarized alone (or taken from ``store``), then compared.

    ``summarizer`` and ``comparator`` belong to the caller (a service shares them across
    requests) and are not closed here."""
    started = started or datetime.now(UTC)
    if len(articles) < 2:
        got = f"got one ({articles[0].label})" if articles else "got none"
        raise InputError(
            f"compare needs at least two articles on one story; {got}. "
            "Pass two or more files, or a folder holding them."
        )
    ids = [f"S{i + 1}" for i in range(len(articles))]
    groups = find_wire_groups([(sid, a.text) for sid, a in zip(ids, articles, strict=True)])
    in_group = {m: n for n, g in enumerate(groups) for m in g.members}
    sources = [_info(sid, a, articles, in_group.get(sid)) for sid, a in zip(ids, articles, strict=True)]
    groups = [credited_origin(g, sources) for g in groups]
    sources = republisher_names(groups, sources)
    summaries: list[ArticleSummary] = []
    summary_calls, usage = 0, Usage()
    for article in articles:
        parts = summarizer.cache_key(article)
        stored = store.get(parts.key) if store is not None else None
        if stored is not None and stored.hit and stored.result is not None:
            summaries.append(stored.result.summary)
            continue
        result = await summarizer.asummarize(article)
        summary_calls += 1
        usage += result.provenance.usage
        if store is not None:
            store.add_source(None, article)
            status: Literal["ok", "degraded"] = "degraded" if result.provenance.degraded else "ok"
            store.put_result(parts.key, result, status=status, requested=parts)
        summaries.append(result.summary)
    info = comparator.info
    log.info("comparing %d sources (%d wire groups) with the %s comparator", len(ids), len(groups), info.kind)
    answer = await comparator.compare(sources, summaries, groups)
    provenance = CompareProvenance(
        engine=info.kind,
        model=info.model,
        endpoint=info.endpoint,
        prompt_name=info.prompt_name,
        prompt_hash=info.prompt_hash,
        schema_version=COMPARE_SCHEMA_VERSION,
        summary_calls=summary_calls,
        compare_calls=answer.calls,
        usage=usage + answer.usage,
        started_at=started,
        finished_at=datetime.now(UTC),
    )
    notes = language_notes(sources, info.kind)
    for note in notes:
        log.warning("%s", note)
    return ComparisonReport(
        sources=sources, wire_groups=groups, comparison=answer.comparison, provenance=provenance, notes=notes
    )


def group_paths(
    paths: Sequence[str], settings: Settings | None = None, *, errors: list[InputError] | None = None
) -> StoryGroups:
    """Put each article of a mixed folder in its story (``compare --group``).

    Unreadable files (empty, binary, boilerplate only) are skipped with a
    warning and appended to ``errors`` when a list is given. A file holding
    several articles lists each as ``path#n``, which ``compare_paths`` reads back.
    """
    skipped: list[InputError] = []
    max_bytes = settings.max_bytes if settings is not None else ingest.DEFAULT_MAX_BYTES
    articles = load_articles(paths, max_bytes=max_bytes, errors=skipped)
    for exc in skipped:
        log.warning("not grouped: %s", exc)
    if errors is not None:
        errors += skipped
    return group_articles(articles)


def load_articles(
    paths: Sequence[str], *, max_bytes: int = ingest.DEFAULT_MAX_BYTES, errors: list[InputError] | None = None
) -> list[Article]:
    """Articles in input order; a folder gives its article files in name order.

    Raises the first ``InputError``, unless ``errors`` is given: then each is
    collected there and the input skipped.
    """
    articles: list[Article] = []
    for path in expand(paths):
        try:
            articles += _load(path, max_bytes)
        except InputError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return articles


def expand(paths: Sequence[str]) -> list[str]:
    """Files as given; a folder contributes the article files under it (recursively, sorted by
    path, hidden files and folders left out, only suffixes ingest reads: ``READABLE_SUFFIXES``)."""
    out: list[str] = []
    for path in paths:
        folder = Path(path)
        if folder.is_dir():
            out += sorted(
                str(p)
                for p in folder.rglob("*")
                if p.is_file()
                and p.suffix.lower() in ingest.READABLE_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            )
        else:
            out.append(path)
    return out


def _load(path: str, max_bytes: int) -> list[Article]:
    selector = _SELECTOR.match(path)
    if selector is None or Path(path).exists() or not Path(selector["path"]).is_file():
        return ingest.load(path, max_bytes=max_bytes)
    found = ingest.load(selector["path"], max_bytes=max_bytes)
    n = int(selector["n"])
    if n > len(found):
        raise InputError(f"has {len(found)} article(s), not {n}", source=selector["path"])
    return [found[n - 1]]


def _info(sid: str, article: Article, articles: Sequence[Article], wire_group: int | None) -> SourceInfo:
    several = sum(a.source == article.source for a in articles) > 1
    return SourceInfo(
        id=sid,
        path=f"{article.source}#{article.index + 1}" if several else article.source,
        outlet=source_outlet(article),
        author=article.author,
        title=article.title,
        date=article.published,
        language=article.language,
        words=article.word_count,
        content_hash=article.content_hash,
        wire_group=wire_group,
        text=article.text,
        withheld=withheld_spans(article.text),
    )


def withheld_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs that address a model (the offline guard's test): shown as withheld, never repeated."""
    from summarizer.offline.guard import is_tainted

    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        if is_tainted(match.group(0)):
            spans.append((match.start(), match.end()))
    return spans
