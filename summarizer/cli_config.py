"""``summarizer config``: which engine, endpoint and model a command would use, and why.

Never prints a secret. Says where the API key came from (the environment or
``./.env``, and under which name), and when the settings cannot work (a
custom endpoint without a model), shows them anyway with the problem, then
exits 2.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from summarizer import __version__
from summarizer.cli_common import (
    BaseUrlFlag,
    EngineFlag,
    ModeFlag,
    ModelFlag,
    fail,
    make_settings,
    print_error,
)

KEY_NAMES = ("SUMMARIZER_API_KEY", "OPENAI_API_KEY")
"""The names the key is read under, in the settings' order."""


def key_source(env_file: Path = Path(".env")) -> str | None:
    """Where the settings' key comes from: an environment variable wins over ``.env`` (as in
    pydantic-settings), and within each place the first of ``KEY_NAMES`` that is set."""
    for name in KEY_NAMES:
        if os.environ.get(name):
            return f"{name} in the environment"
    if env_file.is_file():
        from dotenv import dotenv_values

        values = dotenv_values(env_file)
        for name in KEY_NAMES:
            if values.get(name):
                return f"{name} in {env_file}"
    return None


def show_config(
    engine: EngineFlag = None, base_url: BaseUrlFlag = None, model: ModelFlag = None, mode: ModeFlag = None
) -> None:
    """Show the engine, endpoint and model a command would use, and why. Never prints the key."""
    from summarizer.errors import ConfigError, SummarizerError
    from summarizer.settings import choose_engine

    try:
        settings = make_settings(engine=engine, base_url=base_url, model=model, mode=mode)
    except SummarizerError as exc:
        fail(exc)
    source = key_source() if settings.api_key else None
    problem: ConfigError | None = None
    try:
        choice = choose_engine(settings, key_from_env=source)
        rows = [
            ("engine", choice.engine),
            ("why", choice.reason),
            ("model", choice.model or "-"),
            ("endpoint", choice.base_url or ("https://api.openai.com/v1" if choice.engine == "llm" else "-")),
            ("mode", choice.mode or "-"),
        ]
    except ConfigError as exc:
        problem = exc
        rows = [
            ("engine", f"{settings.engine} (cannot run: see the problem below)"),
            ("model", settings.model or "- (not set)"),
            ("endpoint", settings.base_url or "-"),
            ("mode", settings.mode),
        ]
    rows += [
        ("api key", f"set (from {source})" if settings.api_key else "not set"),
        ("fallback", settings.fallback),
        ("timeout / deadline", f"{settings.timeout:g}s per request / {settings.deadline:g}s per article"),
        ("retries", f"{settings.transport_attempts} HTTP tries per answer, {settings.reasks} re-asks"),
        ("version", __version__),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        typer.echo(f"{key.ljust(width)}  {value}")
    if problem is not None:
        typer.echo("")
        print_error(problem)
        raise typer.Exit(problem.exit_code)
