"""Pieces shared by the CLI's commands: the app, flag types, settings, errors → exit codes, help layout.

Exit codes are decided in one place, ``fail``, from the exception class (see
``summarizer.errors``): 0 ok, 1 unexpected, 2 configuration/usage, 3 bad
input, 4 provider failure, 5 invalid model output, 130 interrupted (Ctrl-C).

Importing this module must stay cheap (``summarizer --help`` imports every
command module): settings, pydantic and rich's console are imported where
they are used, and the flag vocabularies below are plain ``Literal`` copies
of the settings' (``tests/test_cli_conventions.py`` checks they match).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, TypeVar, cast

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

if TYPE_CHECKING:
    from rich.console import Console

    from summarizer.errors import SummarizerError
    from summarizer.settings import Settings

EXIT_INTERRUPTED = 130
"""Ctrl-C: 128 + SIGINT, what shells report for a process stopped by it."""

EngineChoice = Literal["auto", "llm", "offline"]
Fallback = Literal["none", "offline"]
ModeChoice = Literal["auto", "tools_strict", "tools", "json", "json_schema", "md_json"]
Format = Literal["text", "markdown", "json"]


class _Help:
    """Help that reads like a man page: no ``<bool>`` after a flag, ``FOLDER`` (not ``{folder}``) in
    the usage line. typer 0.29's rich help prints every option's type, flags included, and
    wraps required arguments in braces; this adjusts the parameters, not typer."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if isinstance(param, TyperOption) and param.is_flag:
                _plain_bool(param)
            if isinstance(param, TyperOption) and (param.is_flag or param.count) and param.metavar is None:
                param.metavar = ""  # a flag takes no value: show no type
            elif isinstance(param, TyperArgument) and param.metavar is None and param.name:
                param.metavar = param.name.upper()
        return params


def _plain_bool(param: TyperOption) -> None:
    """A flag's value is a bool or None: no pydantic ``TypeAdapter`` needed to coerce it.

    typer 0.29 builds one (importing pydantic, ~0.1 s) for each parameter it processes whose value
    is not already a bool, so ``summarizer batch --help`` paid for the group's
    ``--install-completion`` (default None) before printing anything. A pass-through runtime
    parameter returns None as None and a bool as itself, which is all a flag can hold; if typer's
    internals change, nothing is set and typer works as shipped."""
    try:
        from typer._coercion import PassThroughRuntimeParam
    except ImportError:
        return
    descriptor: Any = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_runtime_param", 0) is not None:
        return
    if descriptor.annotation is bool:
        param._runtime_param = PassThroughRuntimeParam(
            parameter_info=descriptor.parameter_info, annotation=bool
        )


class Command(_Help, TyperCommand):
    """Every command's class (``register`` uses it)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = param.display_name_raw if param.required else f"[{param.display_name_raw}]"
                pieces.append(name + ("..." if param.nargs != 1 else ""))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces


class Group(_Help, TyperGroup):
    """The app's and every sub-app's class."""


app = typer.Typer(
    name="summarizer",
    cls=Group,
    help="Grounded, structured news summaries with open questions.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])


def register(name: str, function: F, *, on: typer.Typer = app) -> F:
    """Add ``function`` as the command ``name`` (of ``on``), with the project's help layout."""
    on.command(name, cls=Command)(function)
    return function


def sub_app(name: str, help: str) -> typer.Typer:
    """A command group (``summarizer db …``) with the project's help layout."""
    group = typer.Typer(name=name, cls=Group, help=help, no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(group, name=name)
    return group


def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def fail(exc: SummarizerError) -> NoReturn:
    print_error(exc)
    raise typer.Exit(exc.exit_code)


def print_error(exc: SummarizerError) -> None:
    from rich.text import Text

    # Text, not markup: messages hold file names and quotes that may contain [brackets].
    err_console().print(Text.assemble(("error: ", "bold red"), str(exc)), soft_wrap=True)


def setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # instructor logs every failed attempt at ERROR; our transport layer reports retries itself.
    logging.getLogger("instructor").setLevel(logging.DEBUG if verbose >= 2 else logging.CRITICAL)
    logging.getLogger("httpx2").setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)


def make_settings(**overrides: Any) -> Settings:
    """Settings from flags (``None`` = not given), the environment and ``./.env`` (the CLI's only)."""
    from pydantic import ValidationError

    from summarizer.errors import ConfigError
    from summarizer.settings import Settings

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
    Fallback | None,
    typer.Option(
        "--fallback",
        help="When the LLM finally fails an article: none = report the failure; offline = "
        "summarize it offline, marked degraded.",
    ),
]
BaseUrlFlag = Annotated[
    str | None, typer.Option("--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1")
]
ModelFlag = Annotated[str | None, typer.Option("--model", help="Model name (SUMMARIZER_MODEL).")]
ModeFlag = Annotated[
    ModeChoice | None, typer.Option("--mode", help="instructor mode (default per provider).")
]
Verbose = Annotated[int, typer.Option("-v", "--verbose", count=True, help="-v info, -vv debug.")]
DbFlag = Annotated[
    Path | None, typer.Option("--db", help="SQLite store (default: user data dir; `summarizer db path`).")
]

S = TypeVar("S", bound=str)

SUFFIX_FORMATS = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


def pick_format(given: S | None, output: Path | None, choices: Sequence[str], default: S) -> S:
    """``--format`` when given, else the format ``-o FILE``'s extension names (when it is one of
    ``choices``), else ``default``."""
    if given is not None:
        return given
    if output is not None:
        named = SUFFIX_FORMATS.get(output.suffix.lower())
        if named in choices:
            return cast(S, named)
    return default


def db_path(db: Path | None) -> Path:
    """``--db``, or the default store in the user's data folder."""
    from summarizer.store import default_db_path

    return db if db is not None else default_db_path()


def write_output(output: Path, text: str) -> None:
    """Write ``-o FILE`` atomically; an unwritable path is a clear error, not a traceback."""
    from summarizer.errors import ConfigError
    from summarizer.files import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        fail(ConfigError(f"cannot write {output}: {exc.strerror or exc}"))
    err_console().print(f"wrote {output}", highlight=False)


def shown_path(path: str | Path) -> str:
    """``path`` relative to the current folder when it lies under it (reports name inputs as the
    user gave them, not the machine's absolute paths)."""
    candidate = Path(path)
    if not candidate.is_absolute():
        return str(path)
    try:
        return str(candidate.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
