"""One ``compare`` run as library calls: plan the stories, then compare each.

``plan_stories`` is cheap (read the inputs, group them when asked; no
model), so a caller can refuse what it cannot render before anything is paid
for; ``compare_plan`` summarizes and compares each story with one engine and
one comparator for the whole run. Rendering a run is
``compare.render.render_run``; this module prints nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from summarizer.article import Article
from summarizer.comparison.group import article_label, clusters, story_text
from summarizer.comparison.model import ComparisonReport
from summarizer.comparison.run import acompare_articles, expand, load_articles
from summarizer.engines import Comparator, build_comparator
from summarizer.errors import InputError
from summarizer.pipeline import Summarizer
from summarizer.portal import Portal
from summarizer.settings import Settings
from summarizer.store import Store

log = logging.getLogger(__name__)


@dataclass
class StoryPlan:
    stories: list[list[Article]]
    """The articles of each story to compare (one story when not grouped)."""
    grouped: bool
    singletons: list[str] = field(default_factory=list)
    """Grouped runs: articles no other article tells the same story as (not compared)."""
    skipped: list[InputError] = field(default_factory=list)
    """Inputs that could not be read (grouped runs: any; one story: files found in a folder)."""
    warnings: list[str] = field(default_factory=list)
    """What the caller should tell the user before comparing (e.g. the inputs hold several stories)."""


@dataclass
class CompareRun:
    reports: list[ComparisonReport]
    """One per story of the plan."""
    plan: StoryPlan
    story_ids: list[int] = field(default_factory=list)
    """With a store: the id each report is kept under (``Store.put_story``)."""

    @property
    def grouped(self) -> bool:
        return self.plan.grouped

    @property
    def singletons(self) -> list[str]:
        return self.plan.singletons


def plan_stories(inputs: Sequence[str], settings: Settings, *, group: bool = False) -> StoryPlan:
    """Read ``inputs`` (files, ``file#n``, folders) as one story, or group them into stories.

    An unreadable file found in a folder (not an article: a JSON of something else, a PNG …) is
    skipped with a warning and listed in ``skipped``, as a batch does; ungrouped, a file named
    explicitly that cannot be read is an ``InputError`` (grouped, it is skipped too)."""
    paths = expand(inputs)
    if len(paths) < 2:
        raise InputError("compare needs at least two articles (files, or a folder holding them)")
    skipped: list[InputError] = []
    articles = load_articles(paths, max_bytes=settings.max_bytes, errors=skipped)
    named = set(inputs)
    if not group:
        for exc in skipped:
            if exc.source in named:
                raise exc
            log.warning("not compared: %s", exc)
        plan = StoryPlan([articles], grouped=False, skipped=skipped, warnings=_several_stories(articles))
        for warning in plan.warnings:
            log.warning("%s", warning)
        return plan
    for exc in skipped:
        log.warning("not grouped: %s", exc)
    return plan_articles(articles, group=True, skipped=skipped)


def plan_articles(
    articles: Sequence[Article], *, group: bool, skipped: Sequence[InputError] = ()
) -> StoryPlan:
    """A plan over articles already read (a server's request): one story, or grouped."""
    if not group:
        return StoryPlan([list(articles)], grouped=False, skipped=list(skipped))
    found = clusters([story_text(a) for a in articles])
    return StoryPlan(
        stories=[[articles[i] for i in c] for c in found if len(c) > 1],
        grouped=True,
        singletons=[article_label(articles[c[0]], articles) for c in found if len(c) == 1],
        skipped=list(skipped),
    )


def _several_stories(articles: Sequence[Article]) -> list[str]:
    """A warning when the inputs fall into two or more stories of two or more articles each: one
    comparison of them would set unrelated reports side by side (``--group`` compares each story)."""
    found = [c for c in clusters([story_text(a) for a in articles]) if len(c) > 1]
    if len(found) < 2:
        return []
    stories = "; ".join(", ".join(Path(articles[i].source).name for i in c) for c in found)
    return [
        f"the inputs look like {len(found)} different stories ({stories}); they are compared as one. "
        "Use --group to compare each story on its own."
    ]


def compare_plan(
    plan: StoryPlan, settings: Settings, *, store: Store | None = None, comparator: Comparator | None = None
) -> CompareRun:
    """Compare every story of ``plan``: the synchronous door onto ``acompare_plan``."""
    portal = Portal()
    try:
        return portal.run(_compare(plan, settings, store, comparator))
    finally:
        portal.close()


async def _compare(
    plan: StoryPlan, settings: Settings, store: Store | None, comparator: Comparator | None
) -> CompareRun:
    chosen = comparator or build_comparator(settings)
    try:
        async with Summarizer(settings) as summarizer:
            return await acompare_plan(plan, summarizer, chosen, store=store)
    finally:
        if comparator is None:
            await chosen.aclose()


async def acompare_plan(
    plan: StoryPlan, summarizer: Summarizer, comparator: Comparator, *, store: Store | None = None
) -> CompareRun:
    """Every story of ``plan`` compared; the caller owns (and closes) the engines. With a store,
    each comparison is kept there as a story with its articles."""
    run = CompareRun([], plan)
    for story in plan.stories:
        started = datetime.now(UTC)
        report = await acompare_articles(story, summarizer, comparator, store=store, started=started)
        run.reports.append(report)
        if store is not None:
            members = {s.id: s.content_hash for s in report.sources}
            with store.transaction():
                for article in story:
                    # where it came from; the article is there already unless its summary was cached
                    store.add_source(None, article)
                story_id = store.put_story(report.comparison.story, report.model_dump_json(), members)
            run.story_ids.append(story_id)
    return run
