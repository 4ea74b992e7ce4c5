"""The Python API, through the public names of the package only (``import summarizer``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import summarizer

from .conftest import CORPUS, ROOT

EXAMPLE = ROOT / "examples" / "riverside-bridge.txt"


def test_summarize_a_file_offline_with_grounded_quotes() -> None:
    [result] = summarizer.summarize(EXAMPLE)
    assert isinstance(result, summarizer.SummaryResult)
    assert result.provenance.engine == "offline"
    text = EXAMPLE.read_text(encoding="utf-8")
    for point in result.summary.key_points:
        ev = point.evidence[0]
        assert ev.start is not None and " ".join(text.split()).find(" ".join(ev.quote.split())) >= 0


def test_summarize_text_takes_a_title_and_settings_as_keywords() -> None:
    body = EXAMPLE.read_text(encoding="utf-8").split("\n", 2)[2]
    [result] = summarizer.summarize_text(body, title="Bridge closes for repairs", engine="offline")
    assert result.title == "Bridge closes for repairs"
    with pytest.raises(TypeError, match="unknown setting"):
        summarizer.summarize_text(body, modle="gpt-4o")
    with pytest.raises(summarizer.ConfigError, match="invalid configuration"):
        summarizer.summarize_text(body, timeout=-1)


def test_bad_input_raises_the_project_error() -> None:
    with pytest.raises(summarizer.InputError, match="too short"):
        summarizer.summarize_text("Three words only.")
    with pytest.raises(summarizer.SummarizerError):
        summarizer.summarize("no-such-file.txt")


def test_compare_one_story_and_keep_it_in_a_store(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    report = summarizer.compare([CORPUS / "algae-bloom"], db=db)
    assert isinstance(report, summarizer.ComparisonReport)
    assert len(report.sources) == 3 and report.provenance.summary_calls == 3
    again = summarizer.compare([CORPUS / "algae-bloom"], db=db)
    assert again.provenance.summary_calls == 0  # the store had them


def test_stories_groups_a_mixed_folder() -> None:
    run = summarizer.stories([CORPUS])
    assert isinstance(run, summarizer.CompareRun) and len(run.reports) == 2
    assert any(s.endswith("template-and-delimiters.txt") for s in run.singletons)


def test_batch_summarizes_a_folder_and_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = summarizer.batch(CORPUS / "port-strike", out=out, db=tmp_path / "s.db")
    assert isinstance(report, summarizer.BatchReport)
    assert report.counts["ok"] == 4 and report.exit_code == 0
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["counts"]["ok"] == 4


def test_batch_writes_nothing_to_stderr_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summarizer.batch(CORPUS / "port-strike", out=tmp_path / "a", db=tmp_path / "s.db")
    assert capsys.readouterr().err == ""  # a library call's progress is its caller's business
    summarizer.batch(CORPUS / "port-strike", out=tmp_path / "b", db=tmp_path / "s.db", progress=True)
    assert "batch: 4/4" in capsys.readouterr().err


def test_async_callers_use_the_summarizer() -> None:
    import asyncio

    [article] = (summarizer.Article("ferry.txt", 0, "t", EXAMPLE.read_text(encoding="utf-8")),)

    async def go() -> str:
        async with summarizer.Summarizer(summarizer.Settings(engine="offline")) as s:
            return (await s.asummarize(article)).summary.headline

    assert asyncio.run(go())
