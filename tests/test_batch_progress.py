"""What a batch run shows and reports: the total before the first item, progress figures, logging
above the live bar, retries and 429s, one line for an abort with the server's request count,
README-like files, ``format_version`` in every JSON file it writes."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.batching import BatchOptions, run_batch
from summarizer.batching.progress import ProgressView, status_line
from summarizer.batching.report import BatchReport, ItemOutcome
from summarizer.batching.runner import BatchRun, inputs
from summarizer.cli import app
from summarizer.settings import Settings
from summarizer.simulator import SimConfig, start
from summarizer.store import Store

from .conftest import CORPUS
from .test_batch import STORIES, calls, folder, llm, options


class Recorder:
    """A ``Progress`` that records what it is told, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def grow(self, n: int) -> None:
        self.events.append(("grow", n))

    def update(self, report: BatchReport, *, force: bool = False) -> None:
        self.events.append(("update", len(report.outcomes)))


def test_the_total_is_known_before_the_first_item_and_grows_by_extra_articles(tmp_path: Path) -> None:
    root = folder(tmp_path)
    shutil.copy(CORPUS / "singles" / "two-articles-one-file.txt", root / "two.txt")
    opts = options(tmp_path, root)
    recorder = Recorder()
    with Store(opts.db) as store:
        batch = BatchRun(Settings(engine="offline"), opts, store)
        report = asyncio.run(batch.run(inputs(opts), recorder))
    assert recorder.events[0] == ("grow", 5)  # five files, counted before anything is read
    first_update = next(i for i, (kind, _) in enumerate(recorder.events) if kind == "update")
    assert all(kind == "grow" for kind, _ in recorder.events[:first_update])
    total = sum(n for kind, n in recorder.events if kind == "grow")
    assert total == len(report.outcomes) == 6  # the two-article file adds one


def test_status_line_has_separators_cost_so_far_and_retries() -> None:
    report = BatchReport(1, "llm", "gpt-4o-mini")
    for i in range(3):
        report.add(ItemOutcome(f"a{i}", "ok"))
    report.prompt_tokens, report.completion_tokens = 1_234_000, 5_678
    report.cost_usd = 1234.5
    report.retries, report.rate_limited = 7, 3
    line = status_line(report, 2.0, priced=True)
    assert "ok 3 failed 0 skipped 0" in line
    assert "1.5/s" in line and "1,239,678 tokens" in line
    assert "$1,234.5000" in line
    assert "7 retried (3 × 429)" in line
    assert "$" not in status_line(report, 2.0, priced=False)  # no prices: no cost, never a guess


def test_plain_progress_lines_show_elapsed_and_eta() -> None:
    stream = io.StringIO()
    view = ProgressView(live=False, stream=stream, every=0)
    report = BatchReport(1, "offline", None)
    with view:
        view.grow(4)
        report.add(ItemOutcome("a", "ok"))
        view.update(report)
    line = stream.getvalue().splitlines()[0]
    assert line.startswith("batch: 1/4 · 0:00:0") and " · eta 0:00:0" in line


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_log_records_go_through_the_live_bar_and_handlers_are_restored() -> None:
    from rich.logging import RichHandler

    stream = Terminal()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with ProgressView(stream=stream):
            assert handler not in root.handlers
            assert any(isinstance(h, RichHandler) for h in root.handlers)
            logging.getLogger("summarizer.llm.transport").warning("model request failed (HTTP 503); retry 1")
        assert handler in root.handlers
        assert not any(isinstance(h, RichHandler) for h in root.handlers)
    finally:
        root.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    logged = [line for line in lines if "model request failed" in line]
    assert logged and all("summarizing" not in line for line in logged)  # its own line, not the bar's


def test_retries_and_429s_are_counted_in_the_report(tmp_path: Path) -> None:
    root = folder(tmp_path, STORIES[:2])
    with start(SimConfig(script=("429", "500", "ok", "ok"))) as sim:
        report = run_batch(llm(sim, transport_attempts=4), options(tmp_path, root))
        assert calls(sim) == 4
    assert report.counts["ok"] == 2
    assert report.retries == 2 and report.rate_limited == 1
    saved = json.loads((tmp_path / "out" / "report.json").read_text())
    assert saved["retries"] == 2 and saved["rate_limited"] == 1
    assert "2 retried (1 × 429)" in report.describe()


def test_an_abort_is_one_line_and_counts_every_request_the_server_saw(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    body = (CORPUS / "algae-bloom" / "north-valley-broadcast.txt").read_text()
    for i in range(16):
        (root / f"a{i:02d}.txt").write_text(body.replace("six public beaches", f"{i + 2} public beaches"))
    with start(SimConfig(script=("401",) * 40, latency=0.05)) as sim:
        report = run_batch(llm(sim), options(tmp_path, root, concurrency=4))
        seen = calls(sim)
    assert seen > 1  # several requests were in flight when the first 401 came back
    assert report.http_requests == seen
    text = report.describe()
    assert text.count("401") == 1  # the reason once, not once per item
    assert "run aborted" not in text
    assert f"failed with it: {report.counts['failed']} item(s)" in text
    assert f"not started because of it: {report.counts['skipped']} item(s)" in text
    assert report.counts["failed"] + report.counts["skipped"] == 16


def test_readme_and_license_are_skipped_under_the_default_glob(tmp_path: Path) -> None:
    root = folder(tmp_path, STORIES[:1])
    readme = (
        "# Scrapes\n\nThese files were collected in March for the regional desk by the night editor. "
        "Each one holds a story from a different outlet, saved as the page showed it. Ask Mira Holt "
        "before you delete anything here, since the archive keeps no second copy of them.\n"
    )
    (root / "README.md").write_text(readme)
    (root / "LICENSE").write_text("Permission is hereby granted, free of charge, to any person.\n" * 10)
    report = run_batch(Settings(engine="offline"), options(tmp_path, root))
    reasons = {o.label: (o.status, o.reason or "") for o in report.outcomes}
    assert reasons["README.md"][0] == "skipped" and "documentation" in reasons["README.md"][1]
    assert reasons["LICENSE"][0] == "skipped"
    assert report.counts == {"ok": 1, "degraded": 0, "failed": 0, "skipped": 2}
    chosen = run_batch(
        Settings(engine="offline"), options(tmp_path, root, pattern="*.md", out=tmp_path / "o2")
    )
    assert {o.label: o.status for o in chosen.outcomes}["README.md"] == "ok"  # asked for: read


def test_item_files_and_the_report_carry_format_version(tmp_path: Path) -> None:
    root = folder(tmp_path, STORIES[:1])
    run_batch(Settings(engine="offline"), options(tmp_path, root))
    out = tmp_path / "out"
    assert json.loads((out / "report.json").read_text())["format_version"] == "1"
    [item] = [p for p in out.rglob("*.json") if p.name != "report.json"]
    assert json.loads(item.read_text())["format_version"] == "1"


def test_the_cli_prints_the_report_once_with_thousands_separators(tmp_path: Path) -> None:
    root = folder(tmp_path, STORIES[:1])
    args = ["batch", str(root), "--out", str(tmp_path / "o"), "--db", str(tmp_path / "s.db"), "--no-progress"]
    result = CliRunner().invoke(app, [*args, "--engine", "offline"])
    assert result.exit_code == 0
    assert result.stdout.count("run 1: 1 item(s)") == 1


@pytest.mark.parametrize("pattern", ["**/*"])
def test_dry_run_lists_skipped_project_files(tmp_path: Path, pattern: str) -> None:
    from summarizer.batching import dry_run

    root = folder(tmp_path, STORIES[:1])
    (root / "README.txt").write_text("About this folder. " * 20)
    plan = dry_run(Settings(engine="offline"), BatchOptions(root, tmp_path / "o", tmp_path / "s.db", pattern))
    assert any("README.txt" in reason for reason in plan.unreadable)
