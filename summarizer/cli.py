"""Command line: a thin door onto the library.

Commands build ``Settings`` from flags and environment, call library
functions, and print. Exit codes come from ``cli_common.fail``; the batch,
compare and store commands live in ``cli_batch``, ``cli_compare`` and
``cli_store``. A command is added with ``register(name, function)`` (the
project's help layout). Library modules are imported inside the commands, so
``summarizer --help`` and shell completion stay fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, get_args

import typer

from summarizer import __version__
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
    pick_format,
    print_error,
    register,
    setup_logging,
    sub_app,
    write_output,
)
from summarizer.cli_compare import compare
from summarizer.cli_config import show_config
from summarizer.cli_serve import serve
from summarizer.cli_store import articles, db_path_command, logs, questions

if TYPE_CHECKING:
    from summarizer.errors import SummarizerError
    from summarizer.result import SummaryResult

__all__ = ["app", "main"]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"summarizer {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Grounded, structured news summaries with open questions."""


def summarize(
    source: Annotated[str, typer.Argument(help="A file, an http(s):// URL, or - for standard input.")],
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format", "-f", help="Output format (default: text, or what -o's extension names: .md, .json)."
        ),
    ] = None,
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
    """Summarize one article. A file that holds several gives one summary each."""
    from summarizer import ingest
    from summarizer.errors import ConfigError, InputError, SummarizerError
    from summarizer.pipeline import Summarizer

    setup_logging(verbose)
    if Path(source).is_dir():
        fail(
            InputError(
                f"is a folder: `summarizer batch {source}` summarizes every article in it, "
                f"`summarizer compare {source}` compares them as one story",
                source=source,
            )
        )
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
    chosen: Format = pick_format(fmt, output, get_args(Format), "text")
    _emit(results, [str(f) for f in failures], chosen, output)
    if failures:
        _fail_many(failures)


def _fail_many(failures: list[SummarizerError]) -> NoReturn:
    """Report every failed article; exit with the most severe code among them."""
    for f in failures:
        print_error(f)
    raise typer.Exit(max(f.exit_code for f in failures))


def _emit(results: list[SummaryResult], errors: list[str], fmt: Format, output: Path | None) -> None:
    from summarizer import render

    if not results and not errors:
        return
    text = render.to_json(results, errors) if fmt == "json" else render.many_to_markdown(results, errors)
    if output is not None:
        write_output(output, text)
        return
    if fmt == "text" and results and sys.stdout.isatty():
        # Rendered for the terminal; piped or redirected, the Markdown itself is the plain text
        # (rich would pad every line to the terminal's width).
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        sys.stdout.write(text)


def show_prompt(
    show: Annotated[bool, typer.Option("--show", help="Print the system message too.")] = False,
) -> None:
    """Show the prompt template. Its version, hash and cacheable prefix in tokens."""
    from summarizer.errors import SummarizerError
    from summarizer.promptinfo import prefix_report

    try:
        report = prefix_report()
    except SummarizerError as exc:
        fail(exc)
    typer.echo(report.describe())
    if show:
        typer.echo("\n" + report.system)


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
    """Run the OpenAI-compatible simulator on loopback. Its answers come from the offline engine."""
    from summarizer.errors import ConfigError
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


register("batch", batch)
register("compare", compare)
register("summarize", summarize)
register("config", show_config)
register("prompt", show_prompt)
register("simulate", simulate)
register("serve", serve)
register("questions", questions)
register("articles", articles)
register("logs", logs)
register("path", db_path_command, on=sub_app("db", "The store. Where it is; query it with sqlite3."))


def main() -> None:
    app()
