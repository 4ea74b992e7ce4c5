"""``summarizer compare``: several outlets on one story. A thin door onto ``summarizer.compare``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
from summarizer.errors import ConfigError, InputError, SummarizerError
from summarizer.settings import Settings

if TYPE_CHECKING:
    from summarizer.compare.run import Comparator

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json"}


def _expand(inputs: list[Path]) -> list[str]:
    """Files as given; a folder contributes its article files (recursively, sorted)."""
    paths: list[str] = []
    for item in inputs:
        if item.is_dir():
            found = sorted(
                p
                for p in item.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
            )
            paths += [str(p) for p in found]
        else:
            paths.append(str(item))
    return paths


def compare(
    inputs: Annotated[list[Path], typer.Argument(help="Article files, or one folder holding one story.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="markdown, json or html.")] = "markdown",
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
    from summarizer.compare import render
    from summarizer.compare.run import compare_paths, group_paths
    from summarizer.store import Store

    setup_logging(verbose)
    try:
        if fmt not in {"markdown", "json", "html"}:
            raise ConfigError(f"--format must be markdown, json or html, not {fmt!r}")
        settings = make_settings(engine=engine, base_url=base_url, model=model, mode=mode)
        paths = _expand(inputs)
        if len(paths) < 2:
            raise InputError("compare needs at least two articles (files, or a folder holding them)")
        store = Store(db) if db is not None else None
        try:
            comparator = _comparator(settings)
            if group:
                stories = group_paths(paths)
                reports = [
                    compare_paths(g, settings, store=store, comparator=comparator) for g in stories.groups
                ]
                singles = stories.singletons
            else:
                reports = [compare_paths(paths, settings, store=store, comparator=comparator)]
                singles = []
        finally:
            if store is not None:
                store.close()
    except SummarizerError as exc:
        fail(exc)
    if fmt == "json":
        if group:
            text = (
                json.dumps(
                    {"stories": [json.loads(render.to_json(r)) for r in reports], "singletons": singles},
                    ensure_ascii=False,
                    indent=2,
                )
                + "\n"
            )
        else:
            text = render.to_json(reports[0])
    elif fmt == "html":
        if len(reports) != 1:
            fail(ConfigError("--format html writes one story; compare each group separately"))
        text = render.to_html(reports[0])
    else:
        parts = [render.to_markdown(r) for r in reports]
        if singles:
            parts.append(
                "## Not compared (no other article on the same story)\n\n"
                + "\n".join(f"- {s}" for s in singles)
                + "\n"
            )
        text = "\n\n".join(parts)
    if output is None:
        sys.stdout.write(text)
        return
    write_output(output, text)


def _comparator(settings: Settings) -> Comparator | None:
    """The LLM comparator when the engine is an LLM; None lets compare_paths use the offline one."""
    from summarizer.pipeline import Summarizer

    summarizer = Summarizer(settings)
    if summarizer.engine != "llm":
        return None
    from summarizer.llm.compare import LLMComparator

    return LLMComparator(summarizer.llm_config())
