"""Command line: a thin door onto the library.

Commands build ``Settings`` from flags and environment, call library
functions, and print. Exit codes are decided in one place, ``_fail``, from
the exception class (see ``summarizer.errors``): 0 ok, 1 unexpected,
2 configuration/usage, 3 bad input, 4 provider failure, 5 invalid model output.
"""

from __future__ import annotations

import logging
import os
import sys
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markdown import Markdown
from rich.text import Text

from summarizer import __version__, render
from summarizer.errors import ConfigError, SummarizerError
from summarizer.result import SummaryResult
from summarizer.settings import Settings, choose_engine

app = typer.Typer(
    name="summarizer",
    help="Grounded, structured news summaries with open questions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


class Format(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


class EngineOpt(StrEnum):
    auto = "auto"
    llm = "llm"
    offline = "offline"


class FallbackOpt(StrEnum):
    none = "none"
    offline = "offline"


class ModeOpt(StrEnum):
    auto = "auto"
    tools = "tools"
    json = "json"
    json_schema = "json_schema"
    md_json = "md_json"


def _fail(exc: SummarizerError) -> NoReturn:
    _print_error(exc)
    raise typer.Exit(exc.exit_code)


def _print_error(exc: SummarizerError) -> None:
    # Text, not markup: messages hold file names and quotes that may contain [brackets].
    err_console.print(Text.assemble(("error: ", "bold red"), str(exc)), soft_wrap=True)


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # instructor logs every failed attempt at ERROR; our transport layer reports retries itself.
    logging.getLogger("instructor").setLevel(logging.DEBUG if verbose >= 2 else logging.CRITICAL)
    logging.getLogger("httpx2").setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)


def _settings(**overrides: Any) -> Settings:
    given = {k: (v.value if isinstance(v, Enum) else v) for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid configuration: {problems}") from None


EngineFlag = Annotated[EngineOpt | None, typer.Option("--engine", help="Force the engine (default: auto).")]
BaseUrlFlag = Annotated[
    str | None, typer.Option("--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1")
]
ModelFlag = Annotated[str | None, typer.Option("--model", help="Model name (SUMMARIZER_MODEL).")]
ModeFlag = Annotated[ModeOpt | None, typer.Option("--mode", help="instructor mode (default per provider).")]
Verbose = Annotated[int, typer.Option("-v", "--verbose", count=True, help="-v info, -vv debug.")]


@app.command()
def summarize(
    source: Annotated[str, typer.Argument(help="A file, an http(s):// URL, or - for standard input.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
    engine: EngineFlag = None,
    fallback: Annotated[
        FallbackOpt | None, typer.Option("--fallback", help="On final LLM failure: offline = degrade.")
    ] = None,
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

    _setup_logging(verbose)
    try:
        settings = _settings(
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
        _fail(exc)
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
                    _fail(exc)  # the same error would hit every article
                failures.append(exc)
    _emit(results, [str(f) for f in failures], fmt, output)
    if failures:
        _fail_many(failures)


def _fail_many(failures: list[SummarizerError]) -> NoReturn:
    """Report every failed article; exit with the most severe code among them."""
    for f in failures:
        _print_error(f)
    raise typer.Exit(max(f.exit_code for f in failures))


def _emit(results: list[SummaryResult], errors: list[str], fmt: Format, output: Path | None) -> None:
    if not results and not errors:
        return
    as_json = fmt is Format.json
    text = render.to_json(results, errors) if as_json else render.many_to_markdown(results, errors)
    if output is not None:
        try:
            tmp = output.with_name(f".{output.name}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, output)
        except OSError as exc:
            _fail(ConfigError(f"cannot write {output}: {exc.strerror or exc}"))
        err_console.print(f"wrote {output}", highlight=False)
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
        settings = _settings(engine=engine, base_url=base_url, model=model, mode=mode)
        key_source = next(
            (name for name in ("SUMMARIZER_API_KEY", "OPENAI_API_KEY") if os.environ.get(name)), None
        )
        choice = choose_engine(settings, key_from_env=key_source)
    except SummarizerError as exc:
        _fail(exc)
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
        _fail(exc)
    typer.echo(report.describe())
    if show:
        typer.echo("\n" + report.system)


@app.command()
def simulate(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0 = any free port).")] = 8088,
    latency: Annotated[float, typer.Option(help="Seconds added to each answer.")] = 0.0,
    jitter: Annotated[float, typer.Option(help="Random +- seconds on top of latency.")] = 0.0,
    rpm: Annotated[int | None, typer.Option(help="Requests per minute before 429.")] = None,
    tpm: Annotated[int | None, typer.Option(help="Tokens per minute before 429.")] = None,
    fault_rate: Annotated[float, typer.Option(help="Probability of a random fault per request.")] = 0.0,
    faults: Annotated[str, typer.Option(help="Comma list of faults fault-rate draws from.")] = "",
    script: Annotated[str, typer.Option(help="Comma list of outcomes for the first requests.")] = "",
    seed: Annotated[int, typer.Option(help="Seed for jitter and faults.")] = 0,
    model: Annotated[str, typer.Option(help="Model name the server reports.")] = "sim-1",
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
        )
        serve_forever(config)
    except ValueError as exc:
        _fail(ConfigError(str(exc)))
    except OSError as exc:
        _fail(ConfigError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}"))


def main() -> None:
    app()
