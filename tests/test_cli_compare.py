"""``summarizer compare`` through the CLI: formats, grouping, the store, and refusals with exit codes."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app

from .conftest import CORPUS
from .test_compare_render_html import Page

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
    assert "offline: 4 summaries, 1 comparison, no model calls" in out


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
    assert out.count("no model calls") == 2
    assert "## Not compared (no other article on the same story)" in out


def test_grouped_html_is_one_page_with_a_section_per_story() -> None:
    code, out, err = run(str(CORPUS), "--group", "--format", "html")
    assert code == 0, err
    page = Page(out)  # well nested, or it raises
    assert out.count('<section class="story"') == 2
    for href, _, _ in page.links:  # stories never share an id: every in-page link has one target
        assert page.ids.count(href[1:]) == 1, href
    assert page.ids.count("s1-src-S1") == 1 and page.ids.count("s2-src-S1") == 1
    quote_targets = [href[1:] for href, cls, _ in page.links if cls == "quote"]
    assert quote_targets and all(t in page.marks for t in quote_targets)  # each quote links to a mark
    assert {t.split("-")[0] for t in quote_targets} == {"s1", "s2"}
    assert "Not compared (no other article on the same story)" in out
    assert "template-and-delimiters.txt" in out
    assert "Skipped (not read as articles)" in out and "photo.txt: binary, not text" in out


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
    assert code == 0 and "offline: 3 summaries (3 from the store), 1 comparison, no model calls" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM summaries WHERE status = 'ok'").fetchone() == (3,)


def test_compared_articles_in_the_store_name_their_files(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert run(str(ALGAE), "--db", str(db))[0] == 0
    listed = CliRunner().invoke(app, ["articles", "--json", "--db", str(db)])
    rows = json.loads(listed.stdout)
    assert listed.exit_code == 0 and len(rows) == 3
    files = sorted(Path(f).name for r in rows for f in r["sources"])
    assert files == sorted(p.name for p in ALGAE.iterdir() if p.is_file())
    assert all(r["language"] == "en" for r in rows)


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


def test_a_wire_origin_is_labelled_with_its_copies_not_itself() -> None:
    code, out, _ = run(str(PORT))
    assert code == 0
    framing = out.split("## Framing")[1].split("## Open questions")[0]
    assert "republished by S4" not in framing
    assert "- S4 (republished by S1) quotes" in framing


def test_an_unanswered_question_says_so_once() -> None:
    code, out, _ = run(str(PORT))
    assert code == 0
    questions = out.split("## Open questions across sources")[1].split("## Wire copies")[0]
    items = re.split(r"\n(?=\d+\. )", questions.strip())
    unanswered = [item for item in items if "(open)" in item.splitlines()[0]]
    assert unanswered
    for item in unanswered:
        assert item.count("No other source answers it.") == 1, item
    _, html, _ = run(str(PORT), "--format", "html")
    assert html.count("No other source answers it.") == len(unanswered)


def test_absolute_inputs_are_shown_relative(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(CORPUS)  # under the current folder: relative to it
    code, out, _ = run(str(PORT.resolve()), "--format", "json")
    assert code == 0
    paths = [s["path"] for s in json.loads(out)["sources"]]
    assert paths[0] == "port-strike/calderra-evening-post.html"
    monkeypatch.chdir(tmp_path)  # elsewhere: relative to the folder holding the input
    code, html, _ = run(str(PORT.resolve()), "--format", "html")
    assert code == 0 and str(CORPUS) not in html
    assert "port-strike/harbor-ledger.md" in html


def test_a_file_in_the_folder_that_is_no_article_is_skipped_with_its_reason(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    shutil.copytree(PORT, folder)
    (folder / "metadata.json").write_text('{"items": [1, 2], "version": 2}', encoding="utf-8")
    code, out, err = run("story")
    assert code == 0, err
    assert "## Skipped (not read as articles)" in out
    assert "- story/metadata.json: the JSON has no non-empty text" in out
    assert len(re.findall(r"^\| S\d \|", out, flags=re.M)) == 4  # the four articles are compared
    code, data, _ = run("story", "--format", "json")
    assert json.loads(data)["skipped"][0].startswith("story/metadata.json: ")
    code, _, err = run(str(folder / "metadata.json"), str(PORT / "harbor-ledger.md"))
    assert code == 3 and "metadata.json" in err  # a file named on purpose must be readable


def test_compare_json_carries_format_version() -> None:
    code, out, _ = run(str(PORT), "--format", "json")
    assert code == 0
    assert json.loads(out)["format_version"] == "1"
    _, grouped, _ = run(str(CORPUS), "--group", "--format", "json")
    assert json.loads(grouped)["format_version"] == "1"


def test_output_extension_picks_the_format(tmp_path: Path) -> None:
    code, _, err = run(str(PORT), "-o", "out.json")
    assert code == 0, err
    assert json.loads((tmp_path / "out.json").read_text())["format_version"] == "1"
    code, _, _ = run(str(PORT), "-o", "page.html")
    assert (tmp_path / "page.html").read_text().startswith("<!DOCTYPE html>")
    code, _, _ = run(str(PORT), "-o", "forced.json", "--format", "markdown")
    assert (tmp_path / "forced.json").read_text().startswith("# Comparison")
