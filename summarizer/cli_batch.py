"""``summarizer batch``: summarize a folder. A thin door onto ``summarizer.batching``.

Ctrl-C stops the run after committing what had finished, prints the same
summary as a finished run (and writes ``report.json``), and exits 130.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from summarizer.cli_common import (
    EXIT_INTERRUPTED,
    BaseUrlFlag,
    DbFlag,
    EngineFlag,
    FallbackFlag,
    ModeFlag,
    ModelFlag,
    Verbose,
    db_path,
    fail,
    make_settings,
    setup_logging,
)

Via = Literal["online", "provider-batch"]
BatchFormat = Literal["json", "markdown"]
"""``batching.outputs.OutputFormat`` (imported lazily; tests/test_cli_conventions.py checks they match)."""


def batch(
    folder: Annotated[Path, typer.Argument(help="Folder of articles (searched recursively).")],
    glob: Annotated[
        str,
        typer.Option(
            "--glob",
            help="Which files, relative to FOLDER. The default skips README, LICENSE and similar "
            "files (listed as skipped); a pattern you give reads whatever it matches.",
        ),
    ] = "**/*",
    out: Annotated[Path, typer.Option("--out", help="Folder for one result file per article.")] = Path(
        "summaries"
    ),
    db: DbFlag = None,
    fmt: Annotated[BatchFormat, typer.Option("--format", help="Format of the file per article.")] = "json",
    concurrency: Annotated[int, typer.Option(min=1, max=256, help="Requests in flight.")] = 8,
    rpm: Annotated[int | None, typer.Option(min=1, help="Client-side requests-per-minute limit.")] = None,
    tpm: Annotated[int | None, typer.Option(min=1, help="Client-side tokens-per-minute limit.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count tokens and cost; call nothing.")] = False,
    max_cost: Annotated[float | None, typer.Option(min=0, help="Stop cleanly at this many USD.")] = None,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Try stored failures again.")] = False,
    price_in: Annotated[float | None, typer.Option(help="USD per 1M input tokens (overrides table).")] = None,
    price_out: Annotated[float | None, typer.Option(help="USD per 1M output tokens.")] = None,
    via: Annotated[
        Via,
        typer.Option(
            "--via", help="online, or provider-batch: the provider's Batch API (half price, within 24 h)."
        ),
    ] = "online",
    engine: EngineFlag = None,
    fallback: FallbackFlag = None,
    base_url: BaseUrlFlag = None,
    model: ModelFlag = None,
    mode: ModeFlag = None,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Live bar (default: on a terminal).")
    ] = None,
    verbose: Verbose = 0,
) -> None:
    """Summarize every article in a folder. Concurrent, rate-aware, resumable; Ctrl-C exits 130."""
    from summarizer.batching import BatchOptions, BatchReport, run_batch
    from summarizer.batching import dry_run as plan
    from summarizer.batching.runner import BatchInterrupted
    from summarizer.cost import Price
    from summarizer.errors import ConfigError, SummarizerError

    setup_logging(verbose)
    try:
        if (price_in is None) != (price_out is None):
            raise ConfigError("give both --price-in and --price-out, or neither")
        settings = make_settings(engine=engine, fallback=fallback, base_url=base_url, model=model, mode=mode)
        options = BatchOptions(
            root=folder,
            out=out,
            db=db_path(db),
            pattern=glob,
            concurrency=concurrency,
            rpm=rpm,
            tpm=tpm,
            fmt=fmt,
            max_cost=max_cost,
            retry_failed=retry_failed,
            price=Price(price_in, None, price_out)
            if price_in is not None and price_out is not None
            else None,
            live_progress=progress,
        )
        if via == "provider-batch":
            from summarizer.batching.provider import run_provider_batch
            from summarizer.batching.provider_dry import provider_dry_run

            if dry_run:
                typer.echo(provider_dry_run(settings, options).describe())
                return
            report: BatchReport = run_provider_batch(settings, options)
        elif dry_run:
            typer.echo(plan(settings, options).describe())
            return
        else:
            report = run_batch(settings, options)
    except SummarizerError as exc:
        fail(exc)
    except BatchInterrupted as stopped:
        report = stopped.report
    except KeyboardInterrupt:  # before the run had started: nothing to report
        typer.echo("interrupted", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    sys.stdout.write(report.describe() + f"\nreport: {options.out / 'report.json'}\n")
    raise typer.Exit(report.exit_code)
