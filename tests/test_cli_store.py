"""Store queries from the command line: ``questions``, ``articles``, ``logs``, ``db path``, and the
README's SQL for plain ``sqlite3`` users run against a real store."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app

from .conftest import CORPUS, ROOT


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run 1: the algae-bloom folder; run 2: the port-strike folder; then a comparison of run 1's
    articles (so their questions get verdicts)."""
    work = tmp_path_factory.mktemp("store")
    db = work / "s.db"
    for name in ("algae-bloom", "port-strike"):
        shutil.copytree(CORPUS / name, work / name)
        result = CliRunner().invoke(
            app,
            ["batch", str(work / name), "--out", str(work / f"out-{name}"), "--db", str(db), "--no-progress"],
        )
        assert result.exit_code == 0, result.output
    compared = CliRunner().invoke(app, ["compare", str(work / "algae-bloom"), "--db", str(db)])
    assert compared.exit_code == 0, compared.output
    return db


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    return result.exit_code, result.stdout, result.stderr


def titles(db: Path, name: str) -> set[str]:
    """The titles of the articles batch run 1 (algae-bloom) or 2 (port-strike) read."""
    run = {"algae-bloom": 1, "port-strike": 2}[name]
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT DISTINCT a.title FROM run_items r JOIN summaries s USING (cache_key)"
            " JOIN articles a USING (content_hash) WHERE r.run_id = ?",
            (run,),
        )
        return {r[0] for r in rows}


def test_questions_of_one_run(store: Path) -> None:
    code, out, _ = run(store, "questions", "--run", "1", "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows and {r["title"] for r in rows} <= titles(store, "algae-bloom")
    code, out, _ = run(store, "questions", "--run", "latest", "--json")
    latest = json.loads(out)
    assert latest and {r["title"] for r in latest} <= titles(store, "port-strike")
    code, out, _ = run(store, "questions", "--json")
    assert len(json.loads(out)) == len(rows) + len(latest)


def test_questions_by_kind_status_and_story(store: Path) -> None:
    _, everything, _ = run(store, "questions", "--json")
    kinds = {r["kind"] for r in json.loads(everything)}
    kind = sorted(kinds)[0]
    _, out, _ = run(store, "questions", "--kind", kind, "--json")
    assert {r["kind"] for r in json.loads(out)} == {kind}
    _, out, _ = run(store, "questions", "--story", "1", "--json")
    in_story = json.loads(out)
    assert {r["title"] for r in in_story} == titles(store, "algae-bloom")  # the compared articles
    assert {r["story_id"] for r in in_story} <= {1, None}  # None: a question the comparison did not take up
    statuses = {r["status"] for r in in_story if r["status"]}
    verdict = sorted(statuses - {"open"})[0]
    _, out, _ = run(store, "questions", "--status", verdict, "--json")
    matched = json.loads(out)
    assert matched and {r["status"] for r in matched} == {verdict}
    code, _, _ = run(store, "questions", "--kind", "no_such_kind")
    assert code == 2  # the choices are checked


def test_questions_as_text(store: Path) -> None:
    code, out, _ = run(store, "questions", "--story", "1", "-n", "2")
    assert code == 0
    blocks = [b for b in out.split("\n\n") if b.strip()]
    assert len(blocks) == 2
    for block in blocks:
        head, article, why, quote, *_ = block.splitlines()
        assert "· story 1" in head and article.startswith("  article: ")
        assert why.startswith("  why open: ") and quote.startswith("  “")


def test_articles_search_limit_and_json(store: Path) -> None:
    code, out, _ = run(store, "articles", "-q", "Calderra", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {r["title"] for r in rows} == titles(store, "port-strike")
    assert all(r["headline"] for r in rows)
    _, out, _ = run(store, "articles", "-n", "1")
    assert len([line for line in out.splitlines() if not line.startswith(" ")]) == 1
    _, out, _ = run(store, "articles", "--run", "1", "--json")
    assert {r["title"] for r in json.loads(out)} == titles(store, "algae-bloom")


def test_articles_show_what_their_inputs_said(store: Path) -> None:
    _, out, _ = run(store, "articles", "-q", "Calderra", "--json")
    page = [r for r in json.loads(out) if "Calderra Evening Post" in r["outlets"]]
    assert len(page) == 1  # the HTML page's og:site_name; its author meta names the agency
    assert page[0]["authors"] == ["Meridian Press"] and page[0]["language"] == "en"
    _, text, _ = run(store, "articles", "-q", "Calderra")
    assert "outlet Calderra Evening Post · by Meridian Press · language en" in text


def test_logs_like_llm_logs(store: Path) -> None:
    code, out, _ = run(store, "logs")
    assert code == 0 and out.count("\n## ") + out.startswith("## ") == 3  # three by default
    _, out, _ = run(store, "logs", "-n", "0", "--json")
    rows = json.loads(out)
    assert len(rows) == 7  # 3 + 4 articles, each summarized once
    assert all(r["result"]["summary"]["headline"] == r["headline"] for r in rows)
    _, out, _ = run(store, "logs", "-q", "beaches", "-n", "0", "--json")
    assert {r["title"] for r in json.loads(out)} <= titles(store, "algae-bloom")


def test_db_path(store: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert run(store, "db", "path")[1] == f"{store}\n"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["db", "path"])
    assert result.stdout == f"{tmp_path / 'data' / 'summarizer' / 'summarizer.db'}\n"


def test_a_missing_store_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    for command in ("questions", "articles", "logs"):
        code, _, err = run(missing, command)
        assert code == 2 and "no store at" in err
    assert not missing.exists()


def test_bad_run_values(store: Path) -> None:
    assert run(store, "questions", "--run", "x")[0] == 2
    code, out, _ = run(store, "questions", "--run", "99", "--json")
    assert code == 0 and json.loads(out) == []


def readme_sql() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Querying the store with sqlite3")[1].split("\n## ")[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def test_the_readme_sql_runs_against_a_store(store: Path) -> None:
    queries = readme_sql()
    assert len(queries) >= 3
    with sqlite3.connect(store) as conn:
        for sql in queries:
            assert conn.execute(sql).fetchall(), sql  # every example finds something
