"""``summarizer compare`` through the CLI: formats, grouping, the store, and refusals with exit codes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app

from .conftest import CORPUS

PORT = CORPUS / "port-strike"
ALGAE = CORPUS / "algae-bloom"


@pytest.fixture(autouse=True)
def _in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env file, outputs land here


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["compare", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_folder_is_one_story_in_markdown() -> None:
    code, out, err = run(str(PORT))
    assert code == 0, err
    assert out.startswith("# ") and "## Conflicts" in out
    assert "model calls: 4 summary, 1 compare" in out


def test_json_names_every_source_and_grounds_every_quote() -> None:
    code, out, _ = run(str(PORT), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert [s["id"] for s in report["sources"]] == ["S1", "S2", "S3", "S4"]
    texts = {p.name: p for p in PORT.iterdir()}
    assert {Path(s["path"]).name for s in report["sources"]} == set(texts)
    assert report["provenance"]["engine"] == "offline" and report["wire_groups"]


def test_grouped_json_has_a_report_per_story_and_lists_the_rest(caplog: pytest.LogCaptureFixture) -> None:
    code, out, err = run(str(CORPUS), "--group", "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    assert len(payload["stories"]) == 2
    assert any(s.endswith("template-and-delimiters.txt") for s in payload["singletons"])
    skipped = [r.getMessage() for r in caplog.records if "not grouped" in r.getMessage()]
    assert any("photo.txt: binary" in m for m in skipped)  # unreadable inputs are skipped with a reason


def test_grouped_markdown_lists_what_was_not_compared() -> None:
    code, out, _ = run(str(CORPUS), "--group")
    assert code == 0
    assert out.count("model calls:") == 2
    assert "## Not compared (no other article on the same story)" in out


def test_grouped_html_with_two_stories_is_refused_before_anything_is_summarized(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    code, out, err = run(str(CORPUS), "--group", "--format", "html", "--db", str(db))
    assert code == 2 and out == ""
    assert "--format html writes one story" in err
    assert not db.exists()  # refused at planning: no store opened, no summary made


def test_html_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, _, err = run(str(ALGAE), "--format", "html", "-o", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"wrote {target}" in err


def test_the_store_serves_the_second_run(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert run(str(ALGAE), "--db", str(db))[0] == 0
    code, out, _ = run(str(ALGAE), "--db", str(db))
    assert code == 0 and "model calls: 0 summary, 1 compare" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM summaries WHERE status = 'ok'").fetchone() == (3,)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ([str(PORT / "harbor-ledger.md")], 3, "compare needs at least two articles"),
        ([str(PORT / "harbor-ledger.md"), "missing.txt"], 3, "missing.txt"),
        ([str(PORT), "--format", "pdf"], 2, "pdf"),
        ([str(PORT), "--engine", "llm"], 2, "--engine llm needs an endpoint"),
    ],
)
def test_refusals_have_exit_codes_and_messages(args: list[str], code: int, message: str) -> None:
    got, out, err = run(*args)
    assert got == code and out == ""
    assert message in err
    assert "Traceback" not in err
