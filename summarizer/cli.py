"""Command line: a thin door onto the library.

Commands build ``Settings`` from flags and environment, call library
functions, and print. Exit codes come from ``cli_common.fail``; the batch
command lives in ``cli_batch``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markdown import Markdown

from summarizer import __version__, render
from summarizer.cli_batch import batch
from summarizer.cli_common import (
    BaseUrlFlag,
    EngineFlag,
    FallbackFlag,
    Format,
    ModeFlag,
    ModelFlag,
    Verbose,
    app,
    fail,
    make_settings,
    print_error,
    setup_logging,
    write_output,
)
from summarizer.cli_compare import compare
from summarizer.cli_serve import serve
from summarizer.errors import ConfigError, SummarizerError
from summarizer.result import SummaryResult
from summarizer.settings import choose_engine

__all__ = ["app", "main"]

app.command("batch")(batch)
app.command("compare")(compare)
app.command("serve")(serve)


@app.command()
def summarize(
    source: Annotated[str, typer.Argument(help="A file, an http(s):// URL, or - for standard input.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
    engine: EngineFlag = None,
    fallback: FallbackFlag = None,
    base_url: BaseUrlFlag = None,
    model: ModelFlag = None,
    mode: ModeFlag = None,
    timeout: Annotated[float | None, typer.Option(help="Seconds per HTTP request.")] = None,
    deadline: Annotated[float | None, typer.Option(help="Seconds per article, all attempts.")] = None,
    max_bytes: Annotated[int | None, typer.Option(help="Reject inputs larger than this.")] = None,
    verbose: Verbose = 0,
) -> None:
    """Summarize one article (or each article in a file that holds several)."""
    from summarizer import ingest
    from summarizer.pipeline import Summarizer

    setup_logging(verbose)
    try:
        settings = make_settings(
            engine=engine,
            fallback=fallback,
            base_url=base_url,
            model=model,
            mode=mode,
            timeout=timeout,
            deadline=deadline,
            max_bytes=max_bytes,
        )
        summarizer = Summarizer(settings)
        articles = ingest.load(source, max_bytes=settings.max_bytes, timeout=settings.timeout)
    except SummarizerError as exc:
        fail(exc)
    results: list[SummaryResult] = []
    failures: list[SummarizerError] = []
    with summarizer:
        for article in articles:
            try:
                results.append(summarizer.summarize(article))
            except SummarizerError as exc:
                if exc.source is None:
                    exc.source = article.label
                if isinstance(exc, ConfigError):
                    fail(exc)  # the same error would hit every article
                failures.append(exc)
    _emit(results, [str(f) for f in failures], fmt, output)
    if failures:
        _fail_many(failures)


def _fail_many(failures: list[SummarizerError]) -> NoReturn:
    """Report every failed article; exit with the most severe code among them."""
    for f in failures:
        print_error(f)
    raise typer.Exit(max(f.exit_code for f in failures))


def _emit(results: list[SummaryResult], errors: list[str], fmt: Format, output: Path | None) -> None:
    if not results and not errors:
        return
    as_json = fmt is Format.json
    text = render.to_json(results, errors) if as_json else render.many_to_markdown(results, errors)
    if output is not None:
        write_output(output, text)
        return
    if fmt is Format.text and results:
        Console().print(Markdown(text))
    else:
        sys.stdout.write(text)


@app.command("config")
def show_config(
    engine: EngineFlag = None, base_url: BaseUrlFlag = None, model: ModelFlag = None, mode: ModeFlag = None
) -> None:
    """Show which engine, endpoint and model will be used, and why (never prints secrets)."""
    try:
        settings = make_settings(engine=engine, base_url=base_url, model=model, mode=mode)
        key_source = next(
            (name for name in ("SUMMARIZER_API_KEY", "OPENAI_API_KEY") if os.environ.get(name)), None
        )
        choice = choose_engine(settings, key_from_env=key_source)
    except SummarizerError as exc:
        fail(exc)
    rows = [
        ("engine", choice.engine),
        ("why", choice.reason),
        ("model", choice.model or "-"),
        ("endpoint", choice.base_url or ("https://api.openai.com/v1" if choice.engine == "llm" else "-")),
        ("mode", choice.mode or "-"),
        ("api key", f"set (from {key_source})" if settings.api_key else "not set"),
        ("fallback", settings.fallback),
        ("timeout / deadline", f"{settings.timeout:g}s per request / {settings.deadline:g}s per article"),
        ("retries", f"{settings.transport_attempts} HTTP tries per answer, {settings.reasks} re-asks"),
        ("version", __version__),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        typer.echo(f"{key.ljust(width)}  {value}")


@app.command("prompt")
def show_prompt(
    show: Annotated[bool, typer.Option("--show", help="Print the system message too.")] = False,
) -> None:
    """Show the prompt template and the size of the cacheable prefix in tokens."""
    from summarizer.promptinfo import prefix_report

    try:
        report = prefix_report()
    except SummarizerError as exc:
        fail(exc)
    typer.echo(report.describe())
    if show:
        typer.echo("\n" + report.system)


@app.command()
def simulate(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0 = any free port).")] = 8088,
    latency: Annotated[
        float, typer.Option(help="Seconds from a request's arrival to its answer (own work included).")
    ] = 0.0,
    jitter: Annotated[float, typer.Option(help="Random +- seconds on top of latency.")] = 0.0,
    rpm: Annotated[int | None, typer.Option(help="Requests per minute before 429.")] = None,
    tpm: Annotated[int | None, typer.Option(help="Tokens per minute before 429.")] = None,
    fault_rate: Annotated[float, typer.Option(help="Probability of a random fault per request.")] = 0.0,
    faults: Annotated[str, typer.Option(help="Comma list of faults fault-rate draws from.")] = "",
    script: Annotated[str, typer.Option(help="Comma list of outcomes for the first requests.")] = "",
    seed: Annotated[int, typer.Option(help="Seed for jitter and faults.")] = 0,
    model: Annotated[str, typer.Option(help="Model name the server reports.")] = "sim-1",
    realism: Annotated[
        str, typer.Option(help="Real-model habits on the quotes: off, typical or sloppy.")
    ] = "off",
) -> None:
    """Run the OpenAI-compatible simulator on loopback (answers with the offline engine)."""
    from summarizer.simulator import SimConfig, serve_forever

    def split(text: str) -> tuple[str, ...]:
        return tuple(x.strip() for x in text.split(",") if x.strip())

    try:
        config = SimConfig(
            port=port,
            latency=latency,
            jitter=jitter,
            rpm=rpm,
            tpm=tpm,
            fault_rate=fault_rate,
            faults=split(faults),
            script=split(script),
            seed=seed,
            model=model,
            realism=realism,
        )
        serve_forever(config)
    except ValueError as exc:
        fail(ConfigError(str(exc)))
    except OSError as exc:
        fail(ConfigError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}"))


def main() -> None:
    app()
