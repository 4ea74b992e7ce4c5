"""Batch runs: statuses, outputs, cache keys, poison items, aborts, budget, resume after SIGKILL."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.batching import BatchOptions, dry_run, run_batch
from summarizer.batching.outputs import render_output
from summarizer.cli import app
from summarizer.settings import Settings
from summarizer.simulator import SimConfig, Simulator, start
from summarizer.store import Store

from .conftest import CORPUS

STORIES = [
    "port-strike/meridian-press-wire.txt",
    "port-strike/harbor-ledger.md",
    "algae-bloom/north-valley-broadcast.txt",
    "algae-bloom/varno-gazette-scrape.txt",
]


def folder(tmp_path: Path, names: list[str] = STORIES, poison: bool = False) -> Path:
    root = tmp_path / "in"
    for name in names:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / name, target)
    if poison:
        shutil.copy(CORPUS / "singles" / "photo.txt", root / "photo.txt")
        shutil.copy(CORPUS / "singles" / "empty.txt", root / "empty.txt")
    return root


def options(tmp_path: Path, root: Path, **over: object) -> BatchOptions:
    base: dict[str, object] = {
        "root": root,
        "out": tmp_path / "out",
        "db": tmp_path / "store.db",
        "concurrency": 1,
        "live_progress": False,
    }
    base.update(over)
    return BatchOptions(**base)  # type: ignore[arg-type]


def llm(sim: Simulator, **over: object) -> Settings:
    given: dict[str, object] = {
        "engine": "llm",
        "base_url": sim.base_url,
        "model": "sim-1",
        "backoff_base": 0.01,
        "transport_attempts": 2,
    }
    given.update(over)
    return Settings(**given)  # type: ignore[arg-type]


def calls(sim: Simulator) -> int:
    return sum(1 for r in sim.requests if r.path.endswith("/chat/completions"))


def test_offline_batch_writes_one_file_per_article_and_a_report(tmp_path: Path) -> None:
    root = folder(tmp_path, poison=True)
    shutil.copy(CORPUS / "singles" / "two-articles-one-file.txt", root / "two.txt")
    report = run_batch(Settings(engine="offline"), options(tmp_path, root))
    assert report.counts == {"ok": 6, "degraded": 0, "failed": 0, "skipped": 2}
    assert report.exit_code == 0  # unreadable files are skipped with a reason, not failures
    out = tmp_path / "out"
    assert (out / "port-strike" / "meridian-press-wire.txt.json").is_file()
    assert (out / "two.txt.part1.json").is_file() and (out / "two.txt.part2.json").is_file()
    saved = json.loads((out / "report.json").read_text())
    reasons = {f["item"]: f["reason"] for f in saved["failures"]}
    assert "binary" in reasons["photo.txt"] and "empty" in reasons["empty.txt"]


def test_same_stem_in_two_subfolders_gives_two_outputs(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for sub, name in (
        ("a", "port-strike/meridian-press-wire.txt"),
        ("b", "algae-bloom/north-valley-broadcast.txt"),
    ):
        (root / sub).mkdir(parents=True)
        shutil.copy(CORPUS / name, root / sub / "story.txt")
    run_batch(Settings(engine="offline"), options(tmp_path, root))
    a = json.loads((tmp_path / "out" / "a" / "story.txt.json").read_text())
    b = json.loads((tmp_path / "out" / "b" / "story.txt.json").read_text())
    assert a["title"] != b["title"]


def test_rerun_of_an_unchanged_folder_makes_zero_model_calls(tmp_path: Path) -> None:
    root = folder(tmp_path)
    with start(SimConfig()) as sim:
        first = run_batch(llm(sim), options(tmp_path, root, concurrency=4))
        assert calls(sim) == 4 and first.counts["ok"] == 4
        before = {p: p.read_text() for p in (tmp_path / "out").rglob("*.txt.json")}
        second = run_batch(llm(sim), options(tmp_path, root, concurrency=4))
        assert calls(sim) == 4  # nothing new was sent
    assert second.cache_hits == 4 and second.http_requests == 0
    assert before == {p: p.read_text() for p in (tmp_path / "out").rglob("*.txt.json")}


def test_the_stored_result_is_the_output_file_s_json(tmp_path: Path) -> None:
    root = folder(tmp_path, ["port-strike/meridian-press-wire.txt"])
    with start(SimConfig()) as sim:
        run_batch(llm(sim), options(tmp_path, root))
    written = (tmp_path / "out" / "port-strike" / "meridian-press-wire.txt.json").read_text(encoding="utf-8")
    with sqlite3.connect(tmp_path / "store.db") as conn:
        (stored,) = conn.execute("SELECT result FROM summaries WHERE status = 'ok'").fetchone()
    assert stored + "\n" == written  # serialised once, for the store and the file
    with Store(tmp_path / "store.db") as store:
        (row,) = store.run_items(1)
        assert row.key is not None
        got = store.get(row.key)
    assert got is not None and got.result is not None
    assert render_output(got.result, "json") == written  # the item file, format_version first


def test_same_article_under_two_names_is_summarized_once(tmp_path: Path) -> None:
    root = folder(tmp_path, ["port-strike/meridian-press-wire.txt"])
    shutil.copy(root / "port-strike" / "meridian-press-wire.txt", root / "copy-of-wire.txt")
    with start(SimConfig()) as sim:
        report = run_batch(llm(sim), options(tmp_path, root))
        assert calls(sim) == 1
    assert report.counts["ok"] == 2 and report.cache_hits == 1


@pytest.mark.parametrize("change", ["content", "model", "engine", "prompt", "schema"])
def test_changing_any_key_part_recomputes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    root = folder(tmp_path, ["algae-bloom/north-valley-broadcast.txt"])
    with start(SimConfig()) as sim:
        run_batch(llm(sim), options(tmp_path, root))
        assert calls(sim) == 1
        settings = llm(sim)
        if change == "content":
            path = root / "algae-bloom" / "north-valley-broadcast.txt"
            path.write_text(path.read_text() + "\nThe agency will update its advice on Monday.\n")
        elif change == "model":
            settings = llm(sim, model="sim-2")
        elif change == "engine":
            settings = llm(sim, mode="json")
        elif change == "prompt":
            import summarizer.prompts as prompts

            original = prompts.load("summarize")
            changed = prompts.PromptTemplate(original.name, "2", original.source + "\n")
            monkeypatch.setattr(prompts, "load", lambda name="summarize": changed)
        else:
            monkeypatch.setattr("summarizer.pipeline.SCHEMA_VERSION", "999")
        report = run_batch(settings, options(tmp_path, root))
        assert calls(sim) == 2, f"changing the {change} must call the model again"
    assert report.cache_hits == 0


def test_poison_items_fail_or_skip_and_the_batch_goes_on(tmp_path: Path) -> None:
    root = folder(tmp_path, poison=True)
    # sorted order: algae-bloom/north…, algae-bloom/varno…, port-strike/harbor…, port-strike/meridian…
    script = ("ok", "400", "schema", "schema", "schema", "ok")
    with start(SimConfig(script=script)) as sim:  # one article at a time: requests in item order
        report = run_batch(llm(sim), options(tmp_path, root, workers=1))
    statuses = {o.label: (o.status, o.reason or "") for o in report.outcomes}
    assert statuses["algae-bloom/north-valley-broadcast.txt"][0] == "ok"
    assert statuses["algae-bloom/varno-gazette-scrape.txt"][0] == "failed"
    assert "400" in statuses["algae-bloom/varno-gazette-scrape.txt"][1]
    assert statuses["port-strike/harbor-ledger.md"][0] == "failed"
    assert "invalid" in statuses["port-strike/harbor-ledger.md"][1]
    assert statuses["port-strike/meridian-press-wire.txt"][0] == "ok"
    assert statuses["photo.txt"][0] == "skipped" and statuses["empty.txt"][0] == "skipped"
    assert report.exit_code == 1
    assert not (tmp_path / "out" / "algae-bloom" / "varno-gazette-scrape.txt.json").exists()


def test_an_output_that_cannot_be_written_fails_that_item_only_and_is_written_next_run(
    tmp_path: Path,
) -> None:
    root = folder(tmp_path)
    blocker = tmp_path / "out" / "port-strike" / "harbor-ledger.md.json"
    blocker.mkdir(parents=True)  # a folder where the output file must go
    with start(SimConfig()) as sim:
        report = run_batch(llm(sim), options(tmp_path, root))
        statuses = {o.label: (o.status, o.reason or "") for o in report.outcomes}
        assert statuses["port-strike/harbor-ledger.md"][0] == "failed"
        assert "cannot write output" in statuses["port-strike/harbor-ledger.md"][1]
        assert report.counts == {"ok": 3, "degraded": 0, "failed": 1, "skipped": 0}
        with Store(tmp_path / "store.db") as store:
            items = {i.source: i.status for i in store.run_items(report.run_id)}
        assert items["port-strike/harbor-ledger.md"] == "failed"
        blocker.rmdir()
        again = run_batch(llm(sim), options(tmp_path, root))
        assert calls(sim) == 4  # the summary was stored: writing it needs no call
    assert again.counts["ok"] == 4 and again.cache_hits == 4
    assert json.loads(blocker.read_text())["summary"]["headline"]


def test_stored_failures_are_not_resent_unless_asked(tmp_path: Path) -> None:
    root = folder(tmp_path, ["algae-bloom/north-valley-broadcast.txt"])
    with start(SimConfig(script=("400",))) as sim:
        assert run_batch(llm(sim), options(tmp_path, root)).counts["failed"] == 1
        again = run_batch(llm(sim), options(tmp_path, root))
        assert calls(sim) == 1 and again.counts["failed"] == 1
        retried = run_batch(llm(sim), options(tmp_path, root, retry_failed=True))
        assert calls(sim) == 2 and retried.counts["ok"] == 1


def test_fallback_marks_items_degraded(tmp_path: Path) -> None:
    root = folder(tmp_path, ["algae-bloom/north-valley-broadcast.txt"])
    with start(SimConfig(script=("503",) * 5)) as sim:
        report = run_batch(llm(sim, fallback="offline"), options(tmp_path, root))
    assert report.counts["degraded"] == 1 and report.exit_code == 0
    assert "503" in (report.outcomes[0].reason or "")


def test_401_aborts_the_run_early(tmp_path: Path) -> None:
    root = folder(tmp_path)
    with start(SimConfig(script=("401",) * 10)) as sim:
        report = run_batch(llm(sim), options(tmp_path, root))
        assert calls(sim) == 1  # not one failed request per item
    assert report.aborted and "401" in report.aborted
    assert report.exit_code == 2
    assert report.counts["skipped"] == 3


def test_429s_slow_the_whole_run_and_nothing_is_lost(tmp_path: Path) -> None:
    root = folder(tmp_path)
    with start(SimConfig(script=("429", "429", "ok", "429"))) as sim:
        report = run_batch(llm(sim, transport_attempts=4), options(tmp_path, root, concurrency=4))
    assert report.counts["ok"] == 4
    assert report.http_requests == 4 + 3


def test_dry_run_counts_without_calling(tmp_path: Path) -> None:
    root = folder(tmp_path, poison=True)
    with start(SimConfig()) as sim:
        plan = dry_run(llm(sim), options(tmp_path, root))
        assert calls(sim) == 0
    assert plan.files == 6 and len(plan.unreadable) == 2
    assert plan.estimate is not None and plan.estimate.calls == 4
    assert plan.estimate.prompt_tokens > 4 * 1000
    assert plan.estimate.cost_usd == 0.0  # the simulator is local


@pytest.mark.parametrize("mode", ["tools_strict", "tools"])
def test_the_dry_run_counts_the_prompt_tokens_the_run_is_billed(tmp_path: Path, mode: str) -> None:
    """The estimate counts the schema the mode sends (the strict one is longer): within 1.5 % of what
    the simulator bills the real run (one request per article here)."""
    root = folder(tmp_path)
    with start(SimConfig()) as sim:
        plan = dry_run(llm(sim, mode=mode), options(tmp_path, root))
        report = run_batch(llm(sim, mode=mode), options(tmp_path, root))
    assert plan.estimate is not None and report.http_requests == plan.estimate.calls == 4
    assert abs(plan.estimate.prompt_tokens - report.prompt_tokens) <= 0.015 * report.prompt_tokens


def test_max_cost_stops_cleanly(tmp_path: Path) -> None:
    root = folder(tmp_path)
    with start(SimConfig()) as sim:
        code = CliRunner().invoke(
            app,
            [
                "batch",
                str(root),
                "--out",
                str(tmp_path / "out"),
                "--db",
                str(tmp_path / "s.db"),
                "--base-url",
                sim.base_url,
                "--model",
                "sim-1",
                "--concurrency",
                "1",
                "--no-progress",
                "--price-in",
                "1000",
                "--price-out",
                "1000",
                "--max-cost",
                "5",
            ],
        )
        sent = calls(sim)
    assert code.exit_code == 1, code.output
    assert "budget" in code.output
    assert 1 <= sent < 4
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["budget_stopped"] is True and report["cost_usd"] <= 5


def test_cli_exit_codes(tmp_path: Path) -> None:
    root = folder(tmp_path, ["algae-bloom/north-valley-broadcast.txt"])
    ok = CliRunner().invoke(
        app,
        [
            "batch",
            str(root),
            "--out",
            str(tmp_path / "o"),
            "--db",
            str(tmp_path / "s.db"),
            "--engine",
            "offline",
            "--no-progress",
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert "ok 1" in ok.output
    missing = CliRunner().invoke(app, ["batch", str(tmp_path / "nope"), "--db", str(tmp_path / "s.db")])
    assert missing.exit_code == 2 and "not a folder" in missing.output


@pytest.mark.slow
def test_resume_after_sigkill_sends_no_finished_article_again(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    for i in range(12):
        body = (CORPUS / "algae-bloom" / "north-valley-broadcast.txt").read_text()
        (root / f"a{i:02d}.txt").write_text(body.replace("six public beaches", f"{i + 2} public beaches"))
    out, db = tmp_path / "out", tmp_path / "s.db"
    with start(SimConfig(latency=0.15)) as sim:
        cmd = [
            sys.executable,
            "-m",
            "summarizer",
            "batch",
            str(root),
            "--out",
            str(out),
            "--db",
            str(db),
            "--base-url",
            sim.base_url,
            "--model",
            "sim-1",
            "--concurrency",
            "2",
            "--no-progress",
        ]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(out.glob("*.txt.json"))) < 4:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        time.sleep(0.5)  # requests the killed run had in flight finish (and are recorded) on the server
        done_before = {p.name for p in out.glob("*.txt.json")}
        with sqlite3.connect(db) as conn:
            stored = conn.execute("SELECT count(*) FROM summaries WHERE status = 'ok'").fetchone()[0]
        assert 4 <= len(done_before) <= stored < 12, "the kill must land mid-run"
        sent_before = calls(sim)
        second = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env={**os.environ})
        assert second.returncode == 0, second.stderr
        resent = [r for r in sim.requests[sent_before:] if r.path.endswith("/chat/completions")]
        clean = run_batch(llm(sim), options(tmp_path, root, out=tmp_path / "clean", db=tmp_path / "clean.db"))
    assert len(resent) == 12 - stored  # only what was not finished (committed) is sent again
    assert clean.counts["ok"] == 12
    with sqlite3.connect(db) as conn:
        statuses = [row[0] for row in conn.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["interrupted", "finished"]  # the second run found the first one's process gone
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["ok"] == 12 and report["cache_hits"] == stored
    resumed = sorted(out.glob("*.txt.json"))
    assert [p.name for p in resumed] == sorted(p.name for p in (tmp_path / "clean").glob("*.txt.json"))
    for path in resumed:
        mine = json.loads(path.read_text())
        theirs = json.loads((tmp_path / "clean" / path.name).read_text())
        assert mine["summary"] == theirs["summary"] and mine["content_hash"] == theirs["content_hash"]


@pytest.mark.slow
def test_ctrl_c_keeps_what_finished_and_marks_the_run_interrupted(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    body = (CORPUS / "algae-bloom" / "north-valley-broadcast.txt").read_text()
    for i in range(12):
        (root / f"a{i:02d}.txt").write_text(body.replace("six public beaches", f"{i + 2} public beaches"))
    out, db = tmp_path / "out", tmp_path / "s.db"
    with start(SimConfig(latency=0.3)) as sim:
        cmd = [sys.executable, "-m", "summarizer", "batch", str(root), "--out", str(out), "--db", str(db)]
        cmd += ["--base-url", sim.base_url, "--model", "sim-1", "--concurrency", "2", "--no-progress"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(out.glob("*.txt.json"))) < 3:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        summary, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "Traceback" not in err
    with sqlite3.connect(db) as conn:
        (status,) = conn.execute("SELECT status FROM runs").fetchone()
        stored = conn.execute("SELECT count(*) FROM summaries WHERE status = 'ok'").fetchone()[0]
    assert status == "interrupted"
    assert 3 <= len(list(out.glob("*.txt.json"))) <= stored < 12  # every output written is stored
    # The same summary as a finished run, and report.json, say what was done before the stop.
    report = json.loads((out / "report.json").read_text())
    assert report["interrupted"] is True and report["format_version"] == "1"
    assert 3 <= report["counts"]["ok"] < 12
    assert "INTERRUPTED" in summary and f"ok {report['counts']['ok']}" in summary
    assert f"report: {out / 'report.json'}" in summary
