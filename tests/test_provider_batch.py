"""``--via provider-batch``: the Batch API path against the simulator's /v1/files and /v1/batches.

Every test runs a real ``ProviderBatchRun`` (openai SDK, instructor) against an
in-process loopback simulator whose batches complete at once unless a test
slows them down; the subprocess test kills a run with SIGKILL.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer import prompts
from summarizer.batching import BatchOptions, run_batch
from summarizer.batching.progress import ProgressView
from summarizer.batching.provider import ProviderBatchRun, run_provider_batch, workdir
from summarizer.batching.provider_dry import provider_dry_run
from summarizer.batching.runner import inputs
from summarizer.cli import app
from summarizer.cost import Price, batch_price, cost_of
from summarizer.llm import LLMConfig
from summarizer.llm.batchapi import request_body
from summarizer.result import Usage
from summarizer.schema import ArticleSummary
from summarizer.settings import Settings
from summarizer.simulator import SimConfig, Simulator, start
from summarizer.store import Store

TOWNS = ["Karlsby", "Oddvik", "Penmarrow", "Sillevik", "Torrin Bay", "Uddholm", "Veyla", "Wenmouth"]


def story(i: int) -> str:
    town = TOWNS[i % len(TOWNS)]
    return (
        f"{town} Library Extends Opening Hours\n\n"
        f"The public library in {town} will open {i + 2} extra hours a week from 1 April, the town "
        f"council said on Tuesday. Head librarian Maren Solvik said {i * 40 + 310} people had signed a "
        "petition for evening opening.\n\n"
        f'"Students asked us for quiet space after school," Solvik said. The change will cost about '
        f"{(i + 3) * 11000} crowns a year.\n\n"
        "The council has not said whether weekend hours will follow, and a decision on new staff is still "
        "pending."
    )


def folder(tmp_path: Path, n: int) -> Path:
    root = tmp_path / "in"
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"s{i:02d}.txt").write_text(story(i), encoding="utf-8")
    return root


def options(tmp_path: Path, root: Path, **over: Any) -> BatchOptions:
    given: dict[str, Any] = {
        "root": root,
        "out": tmp_path / "out",
        "db": tmp_path / "store.db",
        "concurrency": 2,
        "live_progress": False,
    }
    given.update(over)
    return BatchOptions(**given)


def settings(sim: Simulator, **over: Any) -> Settings:
    given: dict[str, Any] = {
        "base_url": sim.base_url,
        "model": "sim-1",
        "backoff_base": 0.01,
        "transport_attempts": 2,
        "timeout": 5,
        "batch_poll": 0.01,
        "batch_poll_max": 0.05,
    }
    given.update(over)
    return Settings(**given)


def posts(sim: Simulator, path: str) -> int:
    return sum(1 for r in sim.requests if r.method == "POST" and r.path == path and r.status == 200)


def chats(sim: Simulator) -> list[Any]:
    return [r for r in sim.requests if r.path.endswith("/chat/completions")]


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.parametrize("mode", ["tools_strict", "tools", "json"])
def test_a_batch_line_is_the_body_the_online_path_sends(tmp_path: Path, mode: str) -> None:
    root = folder(tmp_path, 1)
    with start(SimConfig()) as sim:
        online = run_batch(settings(sim, mode=mode), options(tmp_path, root))
        sent = chats(sim)[0].body
        config = LLMConfig.from_settings(settings(sim, mode=mode))
    assert online.counts["ok"] == 1
    ((content,),) = rows(tmp_path / "store.db", "SELECT text FROM articles")
    body = request_body(config, ArticleSummary, prompts.load().render(content).as_openai())
    assert body == sent  # same messages, tools or response format, limits, model


def test_a_folder_through_the_batch_api_gives_the_online_outputs_and_fills_the_same_cache(
    tmp_path: Path,
) -> None:
    root = folder(tmp_path, 4)
    with start(SimConfig()) as sim:
        report = run_provider_batch(settings(sim), options(tmp_path, root))
        assert report.counts == {"ok": 4, "degraded": 0, "failed": 0, "skipped": 0}
        assert chats(sim) == [] and posts(sim, "/v1/files") == 1 and posts(sim, "/v1/batches") == 1
        assert sim._server.engine.desk.files == {}  # input and output deleted on the provider once collected
        again = run_batch(settings(sim), options(tmp_path, root, out=tmp_path / "again"))
        assert again.cache_hits == 4 and chats(sim) == []  # an online run finds the batch results
        clean = run_batch(
            settings(sim), options(tmp_path, root, out=tmp_path / "clean", db=tmp_path / "c.db")
        )
    assert clean.counts["ok"] == 4
    for path in sorted((tmp_path / "out").glob("*.txt.json")):
        mine, theirs = json.loads(path.read_text()), json.loads((tmp_path / "clean" / path.name).read_text())
        assert mine["summary"] == theirs["summary"]  # validated and grounded the same way
        assert mine["provenance"]["batch_id"] and mine["provenance"]["model_attempts"] == 1
    (batch_id,) = rows(tmp_path / "store.db", "SELECT batch_id FROM provider_batches")[0:1]
    assert batch_id[0].startswith("batch_")
    assert json.loads((tmp_path / "out" / "report.json").read_text())["provider_batch"]["batch_answers"] == 4


def test_an_ungrounded_batch_answer_is_re_asked_online_with_instructor_s_re_ask(tmp_path: Path) -> None:
    root = folder(tmp_path, 3)
    with start(SimConfig(batch_script=("invented_quote",))) as sim:
        report = run_provider_batch(settings(sim), options(tmp_path, root))
        (reask,) = chats(sim)
    assert report.counts["ok"] == 3 and report.reasked == 1 and report.reask_ok == 1
    roles = [m["role"] for m in reask.body["messages"]]
    assert roles == ["system", "user", "assistant", "tool"]  # the batch answer and the errors
    assert "quote not found in the article" in reask.body["messages"][-1]["content"]
    fixed = [json.loads(p.read_text()) for p in (tmp_path / "out").glob("*.txt.json")]
    assert sorted(r["provenance"]["model_attempts"] for r in fixed) == [1, 1, 2]


def test_with_no_re_asks_an_ungrounded_batch_answer_fails_and_is_stored_as_online(tmp_path: Path) -> None:
    root = folder(tmp_path, 2)
    with start(SimConfig(batch_script=("invented_quote",))) as sim:
        report = run_provider_batch(settings(sim, reasks=0), options(tmp_path, root))
        assert chats(sim) == []
    assert report.counts["ok"] == 1 and report.counts["failed"] == 1
    assert rows(tmp_path / "store.db", "SELECT status FROM summaries ORDER BY status") == [
        ("failed",),
        ("ok",),
    ]


def test_errors_and_expiry_inside_a_batch_are_sent_again_boundedly(tmp_path: Path) -> None:
    root = folder(tmp_path, 4)
    config = SimConfig(batches_script=("expire",), batch_script=("ok", "500"))
    with start(config) as sim:
        report = run_provider_batch(settings(sim), options(tmp_path, root))
        assert posts(sim, "/v1/batches") == 2
    assert report.counts["ok"] == 4 and report.resubmitted == 3  # one 500, two expired
    statuses = rows(tmp_path / "store.db", "SELECT status FROM provider_batches ORDER BY id")
    assert statuses == [("expired",), ("completed",)]
    with start(SimConfig(batch_script=("503",) * 20)) as sim:
        stuck = run_provider_batch(
            settings(sim, batch_resubmits=1), options(tmp_path / "b", folder(tmp_path / "b", 1))
        )
        assert posts(sim, "/v1/batches") == 2  # the first send and one more, no further
    assert stuck.counts["failed"] == 1 and "no provider batch answered it in 2 tries" in stuck.describe()


def test_a_batch_that_fails_validation_fails_its_items_and_stores_nothing(tmp_path: Path) -> None:
    root = folder(tmp_path, 2)
    with start(SimConfig(batches_script=("fail",))) as sim:
        report = run_provider_batch(settings(sim), options(tmp_path, root))
        assert report.counts["failed"] == 2 and "failed validation" in report.describe()
        assert rows(tmp_path / "store.db", "SELECT count(*) FROM summaries") == [(0,)]
        again = run_provider_batch(settings(sim), options(tmp_path, root))
    assert again.counts["ok"] == 2  # the next run tries again


def test_inputs_over_the_limits_are_split_into_several_files_and_batches(tmp_path: Path) -> None:
    root = folder(tmp_path, 5)
    with start(SimConfig()) as sim:
        dry = provider_dry_run(settings(sim, batch_max_requests=2), options(tmp_path, root))
        assert [len(f.requests) for f in dry.input_files] == [2, 2, 1]
        report = run_provider_batch(settings(sim, batch_max_requests=2), options(tmp_path, root))
        assert posts(sim, "/v1/files") == 3 and posts(sim, "/v1/batches") == 3
        stored = provider_dry_run(settings(sim), options(tmp_path, root))
        line = dry.input_files[-1].size  # one request line
        fresh = options(tmp_path, root, db=tmp_path / "fresh.db")
        by_size = provider_dry_run(settings(sim, batch_max_bytes=2 * line + 100), fresh)
    assert report.counts["ok"] == 5 and len(report.batches) == 3
    assert stored.input_files == [] and stored.cache_hits == 5  # all in the store now
    assert [len(f.requests) for f in by_size.input_files] == [2, 2, 1]
    assert all(f.size <= 2 * line + 100 for f in by_size.input_files)


def test_the_dry_run_shows_files_requests_and_the_half_price(tmp_path: Path) -> None:
    root = folder(tmp_path, 3)
    price = Price(0.15, 0.075, 0.60)
    with start(SimConfig()) as sim:
        dry = provider_dry_run(settings(sim), options(tmp_path, root, price=price))
        assert sim.requests == []  # nothing sent
    assert dry.batched is not None and dry.batched.cost_usd is not None
    full = dry.batched.prompt_tokens * 0.15 + dry.batched.output_tokens * 0.60
    assert dry.batched.cost_usd == pytest.approx(full / 2 / 1_000_000)
    text = dry.describe()
    assert "input files   1 for the Batch API (3 request(s))" in text and "Batch API x 0.5" in text


def test_the_run_s_cost_is_the_batch_price_of_what_the_batch_billed(tmp_path: Path) -> None:
    root = folder(tmp_path, 2)
    price = Price(2.0, 1.0, 8.0)
    with start(SimConfig()) as sim:
        report = run_provider_batch(settings(sim), options(tmp_path, root, price=price))
    usage = Usage(
        prompt_tokens=report.prompt_tokens,
        completion_tokens=report.completion_tokens,
        cached_tokens=report.cached_tokens,
    )
    assert report.cost_usd == pytest.approx(cost_of(usage, "sim-1", batch_price(price)))
    assert report.cost_usd == pytest.approx((cost_of(usage, "sim-1", price) or 0) / 2)


def test_a_lost_upload_or_create_answer_is_found_on_the_provider_not_made_again(tmp_path: Path) -> None:
    root = folder(tmp_path, 2)
    with start(
        SimConfig(api_script=("drop", "drop"))
    ) as sim:  # the upload and the create are made, unanswered
        report = run_provider_batch(settings(sim), options(tmp_path, root))
        assert posts(sim, "/v1/files") == 0 and posts(sim, "/v1/batches") == 0  # neither answered
        desk = sim._server.engine.desk
        assert len(desk.made) == 2  # the input file and the batch's output
        assert desk.files == {}  # deleted once the batch was collected
        assert len(sim._server.engine.desk.batches) == 1
    assert report.counts["ok"] == 2


def test_a_run_stopped_after_an_unrecorded_upload_adopts_it_next_time(tmp_path: Path) -> None:
    root = folder(tmp_path, 2)
    with start(SimConfig(api_script=("drop",))) as sim:
        first = run_provider_batch(settings(sim, transport_attempts=1), options(tmp_path, root))
        assert first.counts["skipped"] == 2 and "not sent" in first.describe()
        assert rows(tmp_path / "store.db", "SELECT status, input_file_id FROM provider_batches") == [
            ("planned", None)
        ]
        second = run_provider_batch(settings(sim), options(tmp_path, root))
        desk = sim._server.engine.desk
        inputs = [f for f in desk.made if f.purpose == "batch"]
    assert second.counts["ok"] == 2 and second.adopted == 1 and second.uploaded == 0
    assert len(inputs) == 1  # uploaded once, in the first run


def test_a_run_that_stops_waiting_leaves_items_pending_and_the_next_one_collects(tmp_path: Path) -> None:
    root = folder(tmp_path, 2)
    with start(SimConfig(batch_validating=0.3)) as sim:
        first = run_provider_batch(settings(sim, batch_wait=0.05), options(tmp_path, root))
        assert first.counts["skipped"] == 2 and first.pending == 2 and first.exit_code == 1
        time.sleep(0.35)
        second = run_provider_batch(settings(sim), options(tmp_path, root))
        assert posts(sim, "/v1/files") == 1 and posts(sim, "/v1/batches") == 1
    assert second.counts["ok"] == 2 and second.uploaded == 0


def test_the_cli_takes_via_provider_batch(tmp_path: Path) -> None:
    root = folder(tmp_path, 1)
    with start(SimConfig()) as sim:
        args = ["batch", str(root), "--via", "provider-batch", "--db", str(tmp_path / "s.db")]
        args += [
            "--out",
            str(tmp_path / "o"),
            "--base-url",
            sim.base_url,
            "--model",
            "sim-1",
            "--no-progress",
        ]
        done = CliRunner().invoke(app, args, env={"SUMMARIZER_BATCH_POLL": "0.01"})
        dry = CliRunner().invoke(app, [*args, "--dry-run"])
        offline = CliRunner().invoke(app, [*args[:6], "--engine", "offline"])
        wrong = CliRunner().invoke(app, [*args, "--via", "carrier-pigeon"])
    assert done.exit_code == 0 and "provider batch: 1 batch(es)" in done.output
    assert dry.exit_code == 0 and "(1 already in the store: no call" in dry.output
    assert offline.exit_code == 2 and "needs a model endpoint" in offline.output
    assert (
        wrong.exit_code == 2 and "'carrier-pigeon' is not one of 'online', 'provider-batch'" in wrong.output
    )


@pytest.mark.slow
def test_killed_at_any_point_a_run_resumes_without_uploading_twice_or_losing_an_item(tmp_path: Path) -> None:
    root = folder(tmp_path, 12)
    out, db = tmp_path / "out", tmp_path / "s.db"
    with start(SimConfig(batch_validating=0.05, batch_request_seconds=0.03)) as sim:
        cmd = [sys.executable, "-m", "summarizer", "batch", str(root), "--via", "provider-batch"]
        cmd += ["--out", str(out), "--db", str(db), "--base-url", sim.base_url, "--model", "sim-1"]
        cmd += ["--no-progress", "--concurrency", "2"]
        env = {**os.environ, "SUMMARIZER_BATCH_POLL": "0.02", "SUMMARIZER_BATCH_MAX_REQUESTS": "5"}
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (db.exists() and _collected(db)):
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert _collected(db) and len(list(out.glob("*.txt.json"))) < 12, "the kill must land mid-run"
        second = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
        inputs = [f for f in sim._server.engine.desk.made if f.purpose == "batch"]
        created = len(sim._server.engine.desk.batches)
    assert second.returncode == 0, second.stderr
    assert len(inputs) == created == 3  # 12 requests in files of 5: each uploaded and batched once
    assert len({f.data for f in inputs}) == 3
    assert len(list(out.glob("*.txt.json"))) == 12
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["ok"] == 12
    assert not list(workdir(db).glob("*")), "input files and downloads are removed once used"


def _collected(db: Path) -> bool:
    try:
        return bool(rows(db, "SELECT 1 FROM provider_batches WHERE collected = 1"))
    except sqlite3.OperationalError:
        return False


def test_long_articles_and_lines_too_big_for_a_file_go_online_while_the_rest_is_batched(
    tmp_path: Path,
) -> None:
    root = folder(tmp_path, 3)
    (root / "long.txt").write_text(
        "\n\n".join([story(9), *(story(i).split("\n\n", 1)[1] for i in range(10))])
    )
    with start(SimConfig()) as sim:
        report = run_provider_batch(settings(sim, chunk_tokens=600), options(tmp_path, root))
        assert posts(sim, "/v1/batches") == 1 and len(chats(sim)) > 2  # the long one: chunks + merge
        small = run_provider_batch(
            settings(sim, batch_max_bytes=1024), options(tmp_path / "b", folder(tmp_path / "b", 2))
        )
        assert posts(sim, "/v1/batches") == 1  # no file for lines over 1 KB: both online
    assert report.counts["ok"] == 4 and report.online == 1 and report.batch_answers == 3
    (long,) = [json.loads(p.read_text()) for p in (tmp_path / "out").glob("long.txt.json")]
    assert long["provenance"]["chunks"] > 1 and long["provenance"]["batch_id"] is None
    assert small.counts["ok"] == 2 and small.online == 2


def test_max_cost_sends_only_what_the_budget_covers_at_the_batch_price(tmp_path: Path) -> None:
    root = folder(tmp_path, 4)
    price = Price(2.0, 1.0, 8.0)
    with start(SimConfig()) as sim:
        dry = provider_dry_run(settings(sim), options(tmp_path, root, price=price))
        assert dry.batched is not None and dry.batched.cost_usd is not None
        budget = dry.batched.cost_usd / 4 * 2.5  # about two and a half requests' worth
        report = run_provider_batch(settings(sim), options(tmp_path, root, price=price, max_cost=budget))
    assert report.counts["ok"] == 2 and report.counts["skipped"] == 2 and report.budget_stopped
    assert "budget reached (--max-cost)" in report.describe() and report.exit_code == 1


def test_online_re_asks_go_through_the_run_s_rate_limiter(tmp_path: Path) -> None:
    root = folder(tmp_path, 2)
    opts = options(tmp_path, root, rpm=600)
    with start(SimConfig(batch_script=("invented_quote", "invented_quote"))) as sim, Store(opts.db) as store:
        run = ProviderBatchRun(settings(sim), opts, store)
        report = asyncio.run(run.run(inputs(opts), ProgressView(live=False)))
    assert report.reasked == 2 and report.counts["ok"] == 2
    assert run.base.limiter.stats["requests"] == 2  # admitted like online requests


def test_a_file_the_provider_will_not_delete_is_logged_and_the_run_still_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from summarizer.errors import TransportError
    from summarizer.llm.batchapi import Batches

    async def refuse(self: Batches, file_id: str) -> None:
        raise TransportError(f"HTTP 500 deleting {file_id}")

    monkeypatch.setattr(Batches, "delete_file", refuse)
    root = folder(tmp_path, 2)
    with start(SimConfig()) as sim:
        report = run_provider_batch(settings(sim), options(tmp_path, root))
        left = len(sim._server.engine.desk.files)
    assert report.counts["ok"] == 2 and left == 2
    assert any("not deleted (HTTP 500 deleting" in r.getMessage() for r in caplog.records)
