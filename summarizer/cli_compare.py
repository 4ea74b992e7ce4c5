"""``summarizer compare``: several outlets on one story. A thin door onto ``summarizer.compare``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli_common import (
    BaseUrlFlag,
    EngineFlag,
    ModeFlag,
    ModelFlag,
    Verbose,
    fail,
    make_settings,
    setup_logging,
    write_output,
)
from summarizer.compare.render import Format
from summarizer.errors import SummarizerError


def compare(
    inputs: Annotated[list[Path], typer.Argument(help="Article files, or one folder holding one story.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = "markdown",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
    group: Annotated[bool, typer.Option("--group", help="Group a mixed folder into stories first.")] = False,
    db: Annotated[Path | None, typer.Option("--db", help="Reuse summaries from this store.")] = None,
    engine: EngineFlag = None,
    base_url: BaseUrlFlag = None,
    model: ModelFlag = None,
    mode: ModeFlag = None,
    verbose: Verbose = 0,
) -> None:
    """Compare how several sources report one story: agreements, conflicts, unique facts, open questions."""
    from summarizer.compare.render import check_format, render_run
    from summarizer.compare.stories import compare_plan, plan_stories
    from summarizer.store import Store

    setup_logging(verbose)
    try:
        settings = make_settings(engine=engine, base_url=base_url, model=model, mode=mode)
        plan = plan_stories([str(p) for p in inputs], settings, group=group)
        check_format(fmt, plan)
        store = Store(db) if db is not None else None
        try:
            run = compare_plan(plan, settings, store=store)
        finally:
            if store is not None:
                store.close()
        text = render_run(run, fmt)
    except SummarizerError as exc:
        fail(exc)
    if output is None:
        sys.stdout.write(text)
        return
    write_output(output, text)
