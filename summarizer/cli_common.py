"""Pieces shared by the CLI's commands: the app, flag types, settings, errors → exit codes.

Exit codes are decided in one place, ``fail``, from the exception class (see
``summarizer.errors``): 0 ok, 1 unexpected, 2 configuration/usage, 3 bad
input, 4 provider failure, 5 invalid model output.
"""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.text import Text

from summarizer.errors import ConfigError, SummarizerError
from summarizer.files import write_atomic
from summarizer.settings import EngineChoice, Fallback, ModeChoice, Settings

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


def fail(exc: SummarizerError) -> NoReturn:
    print_error(exc)
    raise typer.Exit(exc.exit_code)


def print_error(exc: SummarizerError) -> None:
    # Text, not markup: messages hold file names and quotes that may contain [brackets].
    err_console.print(Text.assemble(("error: ", "bold red"), str(exc)), soft_wrap=True)


def setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # instructor logs every failed attempt at ERROR; our transport layer reports retries itself.
    logging.getLogger("instructor").setLevel(logging.DEBUG if verbose >= 2 else logging.CRITICAL)
    logging.getLogger("httpx2").setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)


def make_settings(**overrides: Any) -> Settings:
    """Settings from flags (``None`` = not given), the environment and ``./.env`` (the CLI's only)."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(_env_file=".env", **given)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid configuration: {problems}") from None


EngineFlag = Annotated[
    EngineChoice | None, typer.Option("--engine", help="Force the engine (default: auto).")
]
FallbackFlag = Annotated[
    Fallback | None, typer.Option("--fallback", help="On final LLM failure: offline = degrade.")
]
BaseUrlFlag = Annotated[
    str | None, typer.Option("--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1")
]
ModelFlag = Annotated[str | None, typer.Option("--model", help="Model name (SUMMARIZER_MODEL).")]
ModeFlag = Annotated[
    ModeChoice | None, typer.Option("--mode", help="instructor mode (default per provider).")
]
Verbose = Annotated[int, typer.Option("-v", "--verbose", count=True, help="-v info, -vv debug.")]


def write_output(output: Path, text: str) -> None:
    """Write ``-o FILE`` atomically; an unwritable path is a clear error, not a traceback."""
    try:
        write_atomic(output, text)
    except OSError as exc:
        fail(ConfigError(f"cannot write {output}: {exc.strerror or exc}"))
    err_console.print(f"wrote {output}", highlight=False)
