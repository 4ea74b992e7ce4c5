"""The command line: exit codes, output formats, error messages, provider selection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.simulator import SimConfig, start

from .conftest import CORPUS, ROOT

EXAMPLE = ROOT / "examples" / "riverside-bridge.txt"
SINGLES = CORPUS / "singles"


@pytest.fixture(autouse=True)
def _fast_retries_and_no_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUMMARIZER_BACKOFF_BASE", "0.01")  # keep retry waits short
    monkeypatch.chdir(tmp_path)  # no stray .env file


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_offline_default_prints_a_summary_and_says_no_llm_was_used() -> None:
    code, out, err = run("summarize", str(EXAMPLE))
    assert code == 0, err
    assert "Open questions" in out
    assert "no LLM was used" in out


def test_json_output_is_the_validated_model() -> None:
    code, out, _ = run("summarize", str(EXAMPLE), "--format", "json")
    assert code == 0
    payload = json.loads(out)
    [result] = payload["results"]
    assert payload["errors"] == []
    assert result["provenance"]["engine"] == "offline"
    assert result["title"] == "Riverside Bridge to Close for Six Weeks of Repairs"
    text = EXAMPLE.read_text(encoding="utf-8")
    for kp in result["summary"]["key_points"]:
        for ev in kp["evidence"]:
            assert " ".join(ev["quote"].split()) in " ".join(text.split())


def test_markdown_to_file(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    code, _, err = run("summarize", str(EXAMPLE), "--format", "markdown", "-o", str(target))
    assert code == 0
    body = target.read_text(encoding="utf-8")
    assert body.startswith("# ")
    assert "## Key points" in body and "## Open questions" in body
    assert f"wrote {target}" in err


def test_stdin_is_read_with_a_dash() -> None:
    code, out, _ = run("summarize", "-", "--format", "json", stdin=EXAMPLE.read_text(encoding="utf-8"))
    assert code == 0
    assert json.loads(out)["results"][0]["source"] == "-"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty"),
        ("only-boilerplate.txt", "boilerplate"),
        ("photo.txt", "binary"),
    ],
)
def test_bad_input_is_a_clear_error_with_exit_3(name: str, reason: str) -> None:
    path = SINGLES / name
    code, out, err = run("summarize", str(path))
    assert code == 3
    assert str(path) in err and reason in err.lower()
    assert "Traceback" not in err + out


def test_missing_file_is_exit_3() -> None:
    code, _, err = run("summarize", "no/such/file.txt")
    assert code == 3
    assert "no/such/file.txt" in err


def test_forced_llm_without_endpoint_is_exit_2_with_how_to() -> None:
    code, _, err = run("summarize", str(EXAMPLE), "--engine", "llm")
    assert code == 2
    assert "OPENAI_API_KEY" in err and "--base-url" in err


def test_config_shows_choice_and_never_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef-secret")
    code, out, _ = run("config")
    assert code == 0
    assert "engine" in out and "llm" in out and "OPENAI_API_KEY" in out
    assert "sk-test" not in out and "secret" not in out


def test_config_without_anything_is_offline() -> None:
    code, out, _ = run("config")
    assert code == 0
    assert "offline" in out and "no API key and no base URL" in out


def test_prompt_reports_the_prefix_size() -> None:
    code, out, _ = run("prompt")
    assert code == 0
    assert "prefix" in out and "tokens" in out


def llm_args(base_url: str, *extra: str) -> list[str]:
    return ["summarize", str(EXAMPLE), "--base-url", base_url, "--model", "sim-1", *extra]


def test_llm_path_against_the_simulator() -> None:
    with start(SimConfig()) as sim:
        code, out, err = run(*llm_args(sim.base_url, "--format", "json"))
    assert code == 0, err
    prov = json.loads(out)["results"][0]["provenance"]
    assert prov["engine"] == "llm" and prov["model"] == "sim-1" and prov["http_attempts"] == 1


def test_rejected_key_is_exit_2() -> None:
    with start(SimConfig(script=("401",))) as sim:
        code, _, err = run(*llm_args(sim.base_url))
    assert code == 2
    assert "401" in err
    assert len(sim.requests) == 1


def test_persistent_503_fails_with_exit_4() -> None:
    with start(SimConfig(script=("503",) * 10)) as sim:
        code, _, err = run(*llm_args(sim.base_url))
    assert code == 4
    assert "503" in err


def test_persistent_503_with_fallback_gives_a_degraded_offline_result() -> None:
    with start(SimConfig(script=("503",) * 10)) as sim:
        code, out, _ = run(*llm_args(sim.base_url, "--fallback", "offline", "--format", "json"))
    assert code == 0
    prov = json.loads(out)["results"][0]["provenance"]
    assert prov["engine"] == "offline" and prov["degraded"] is True
    assert "503" in prov["degraded_reason"]
    assert prov["http_attempts"] == 4  # the LLM's tries are still accounted for


def test_two_articles_in_one_file_give_two_results() -> None:
    code, out, _ = run("summarize", str(SINGLES / "two-articles-one-file.txt"), "--format", "json")
    assert code == 0
    titles = [r["title"] for r in json.loads(out)["results"]]
    assert titles == ["Orvik Opens Night Ferry to Islands", "Library Extends Opening Hours for Exam Season"]
