"""CLI conventions: --version, completion, help layout, format choices and picking, piped output,
folder hints, ``config``'s account of where the key came from, and the flag vocabularies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, get_args

import pytest
import typer
from typer.testing import CliRunner

from summarizer import __version__, cli_batch, cli_common, cli_compare, cli_store, settings
from summarizer.batching.outputs import OutputFormat
from summarizer.cli import app
from summarizer.comparison.render import Format as CompareFormat
from summarizer.comparison.schema import QuestionStatus
from summarizer.schema import QuestionKind

from .conftest import CORPUS, ROOT

EXAMPLE = ROOT / "examples" / "riverside-bridge.txt"


@pytest.fixture(autouse=True)
def _in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SUMMARIZER_API_KEY", "OPENAI_API_KEY", "SUMMARIZER_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env file; outputs land here


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def all_commands() -> list[list[str]]:
    """Every command path, sub-apps' commands included (``["db", "path"]``)."""
    root: Any = typer.main.get_command(app)
    found: list[list[str]] = [[]]

    def walk(group: Any, path: list[str]) -> None:
        for name, command in group.commands.items():
            found.append([*path, name])
            if hasattr(command, "commands"):
                walk(command, [*path, name])

    walk(root, [])
    return found


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out == f"summarizer {__version__}\n"


def test_shell_completion_is_offered() -> None:
    code, out, _ = run("--help")
    assert code == 0 and "--install-completion" in out and "--show-completion" in out


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "summarizer")
def test_help_shows_no_bool_type_and_no_braces(path: list[str]) -> None:
    code, out, _ = run(*path, "--help")
    assert code == 0
    assert "<bool>" not in out
    usage = out.split("\n\n")[0]
    assert usage.startswith("Usage: ") and "{" not in usage and "}" not in usage


def test_every_command_is_listed_with_usage_naming_its_argument() -> None:
    assert {" ".join(p) for p in all_commands()} >= {
        "summarize",
        "batch",
        "compare",
        "config",
        "questions",
        "articles",
        "logs",
        "db path",
    }
    _, out, _ = run("batch", "--help")
    assert out.startswith("Usage: summarizer batch [OPTIONS] FOLDER\n")
    _, out, _ = run("compare", "--help")
    assert out.startswith("Usage: summarizer compare [OPTIONS] INPUTS...\n")


def test_format_flags_list_their_choices_and_fallback_has_help() -> None:
    _, summarize, _ = run("summarize", "--help")
    assert (
        "--format, -f <text|markdown|json>" in summarize or "-f, --format <text|markdown|json>" in summarize
    )
    _, batch, _ = run("batch", "--help")
    assert "--format <json|markdown>" in batch
    assert "--fallback <none|offline>" in batch and "degraded" in batch.split("--fallback")[1][:250]
    _, compare, _ = run("compare", "--help")
    assert "<markdown|json|html>" in compare


def test_flag_vocabularies_are_the_settings_and_libraries() -> None:
    # The CLI keeps plain copies so that --help need not import the settings or the schema.
    assert get_args(cli_common.EngineChoice) == get_args(settings.EngineChoice)
    assert get_args(cli_common.Fallback) == get_args(settings.Fallback)
    assert get_args(cli_common.ModeChoice) == get_args(settings.ModeChoice)
    assert get_args(cli_batch.BatchFormat) == get_args(OutputFormat)
    assert get_args(cli_compare.CompareFormat) == get_args(CompareFormat)
    assert get_args(cli_store.QuestionKind) == tuple(k.value for k in QuestionKind)
    assert get_args(cli_store.QuestionStatus) == tuple(s.value for s in QuestionStatus)


@pytest.mark.parametrize(
    ("name", "extra", "starts"),
    [
        ("out.json", [], "{"),
        ("out.md", [], "# "),
        ("out.txt", [], "# "),
        ("forced.json", ["--format", "markdown"], "# "),
    ],
)
def test_output_extension_picks_the_format_unless_given(
    tmp_path: Path, name: str, extra: list[str], starts: str
) -> None:
    code, _, err = run("summarize", str(EXAMPLE), "-o", name, *extra)
    assert code == 0, err
    body = (tmp_path / name).read_text(encoding="utf-8")
    assert body.startswith(starts)
    if starts == "{":
        assert json.loads(body)["format_version"] == "1"


def test_piped_text_is_the_plain_markdown_not_padded() -> None:
    code, out, _ = run("summarize", str(EXAMPLE))  # CliRunner's stdout is not a terminal
    assert code == 0
    first = out.splitlines()[0]
    assert first == "# Riverside Bridge to Close for Six Weeks of Repairs"
    assert not any(len(line) == 80 and line.endswith(" ") for line in out.splitlines())


def test_summarize_on_a_folder_points_to_batch_and_compare() -> None:
    folder = CORPUS / "port-strike"
    code, _, err = run("summarize", str(folder))
    assert code == 3
    assert f"summarizer batch {folder}" in err and f"summarizer compare {folder}" in err


def test_config_names_a_key_found_only_in_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SUMMARIZER_API_KEY=sk-only-in-dotenv-secret\n", encoding="utf-8")
    code, out, _ = run("config")
    assert code == 0
    assert "an API key is configured (SUMMARIZER_API_KEY in .env)" in out
    assert "set (from SUMMARIZER_API_KEY in .env)" in out
    assert "None" not in out and "(configured)" not in out and "secret" not in out


def test_config_says_an_environment_key_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SUMMARIZER_API_KEY=sk-dotenv\n", encoding="utf-8")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    code, out, _ = run("config")
    assert code == 0 and "set (from OPENAI_API_KEY in the environment)" in out


def test_config_with_an_endpoint_but_no_model_shows_the_settings_and_the_problem() -> None:
    code, out, err = run("config", "--base-url", "http://127.0.0.1:9/v1")
    assert code == 2
    rows = dict(line.split(None, 1) for line in out.splitlines() if line and not line.startswith(" "))
    assert rows["endpoint"] == "http://127.0.0.1:9/v1"
    assert rows["model"] == "- (not set)"
    assert "timeout" in out and "retries" in out
    assert "a model is needed for a custom endpoint: pass --model NAME" in err


@pytest.mark.parametrize("args", [["--help"], ["batch", "--help"], ["compare", "--help"], ["--version"]])
def test_help_imports_no_library_module(args: list[str]) -> None:
    # What keeps `summarizer --help` fast (bench/startup.py times it): nothing heavy is imported.
    code = (
        "import sys\n"
        "from summarizer.cli import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('pydantic', 'summarizer.settings', 'summarizer.schema', 'summarizer.result',\n"
        "         'summarizer.offline', 'openai', 'instructor', 'jinja2', 'rich.markdown', 'markdown_it')\n"
        "print(sorted(m for m in sys.modules if m in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
