"""``summarizer compare``: several outlets on one story. A thin door onto ``summarizer.comparison``.

Inputs given as absolute paths are shown relative to the current folder when
they lie under it, else relative to the folder that holds them, so a report
does not carry the machine's directory layout.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, get_args

import typer

from summarizer.cli_common import (
    BaseUrlFlag,
    EngineFlag,
    ModeFlag,
    ModelFlag,
    Verbose,
    fail,
    make_settings,
    pick_format,
    setup_logging,
    write_output,
)

if TYPE_CHECKING:
    from summarizer.comparison.stories import StoryPlan

log = logging.getLogger(__name__)

CompareFormat = Literal["markdown", "json", "html"]
"""``comparison.render.Format`` (imported lazily; ``tests/test_cli_conventions.py`` checks they match)."""


def compare(
    inputs: Annotated[list[Path], typer.Argument(help="Article files, or one folder holding one story.")],
    fmt: Annotated[
        CompareFormat | None,
        typer.Option("--format", "-f", help="Output format (default: markdown, or -o's extension)."),
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
    group: Annotated[
        bool, typer.Option("--group", help="Group a mixed folder into stories first (html: one page).")
    ] = False,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Reuse summaries from this store, and keep the comparison there."),
    ] = None,
    engine: EngineFlag = None,
    base_url: BaseUrlFlag = None,
    model: ModelFlag = None,
    mode: ModeFlag = None,
    verbose: Verbose = 0,
) -> None:
    """Compare how several sources report one story. Shared facts, conflicts, unique facts, framing,
    open questions checked across the sources."""
    from summarizer.comparison.render import check_format, render_run
    from summarizer.comparison.stories import compare_plan, plan_stories
    from summarizer.errors import SummarizerError
    from summarizer.store import Store

    setup_logging(verbose)
    chosen: CompareFormat = pick_format(fmt, output, get_args(CompareFormat), "markdown")
    try:
        settings = make_settings(engine=engine, base_url=base_url, model=model, mode=mode)
        plan = shown(plan_stories([str(p) for p in inputs], settings, group=group), inputs)
        check_format(chosen, plan)
        store = Store(db) if db is not None else None
        try:
            # With a store, each comparison is kept there as a story (`summarizer questions --story N`).
            run = compare_plan(plan, settings, store=store)
            for story_id in run.story_ids:
                log.info("stored the comparison as story %d", story_id)
        finally:
            if store is not None:
                store.close()
        text = render_run(run, chosen)
    except SummarizerError as exc:
        fail(exc)
    if output is None:
        sys.stdout.write(text)
        return
    write_output(output, text)


def display_prefixes(inputs: list[Path], cwd: Path) -> dict[str, str]:
    """For each absolute input, the prefix to show instead: relative to ``cwd`` when under it,
    else the input's own name (a folder's files then read ``folder/x.txt``)."""
    out: dict[str, str] = {}
    for given in inputs:
        if not given.is_absolute():
            continue
        try:
            out[str(given)] = str(given.relative_to(cwd))
        except ValueError:
            out[str(given)] = given.name
    return out


def _rename(name: str, prefixes: dict[str, str]) -> str:
    for prefix, shown_as in prefixes.items():
        if name == prefix or name.startswith(prefix.rstrip("/") + "/"):
            return shown_as + name[len(prefix.rstrip("/")) :]
    return name


def shown(plan: StoryPlan, inputs: list[Path]) -> StoryPlan:
    """``plan`` with its articles' sources named as ``display_prefixes`` says (texts unchanged, so
    content hashes and cache keys are the same)."""
    prefixes = display_prefixes(inputs, Path.cwd())
    if not prefixes:
        return plan
    plan.stories = [
        [dataclasses.replace(a, source=_rename(a.source, prefixes)) for a in story] for story in plan.stories
    ]
    plan.singletons = [_rename(s, prefixes) for s in plan.singletons]
    for exc in plan.skipped:
        if exc.source:
            exc.source = _rename(exc.source, prefixes)
    return plan
