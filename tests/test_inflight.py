"""Requests in flight: ``--concurrency`` caps HTTP requests, not articles in progress."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from summarizer.batch import BatchOptions, run_batch
from summarizer.errors import RunAborted
from summarizer.inflight import InFlight
from summarizer.settings import Settings
from summarizer.simulator import RequestRecord, SimConfig, Simulator, start

from .conftest import CORPUS

BODY = (CORPUS / "algae-bloom" / "north-valley-broadcast.txt").read_text(encoding="utf-8")


def articles(root: Path, n: int) -> Path:
    """``n`` distinct articles (the content-keyed cache must not merge them)."""
    root.mkdir()
    for i in range(n):
        (root / f"a{i:02d}.txt").write_text(BODY.replace("six public beaches", f"{i + 2} public beaches"))
    return root


def settings(sim: Simulator) -> Settings:
    return Settings(engine="llm", base_url=sim.base_url, model="sim-1", backoff_base=0.01)


def options(tmp_path: Path, root: Path, **over: object) -> BatchOptions:
    given: dict[str, object] = {
        "root": root,
        "out": tmp_path / "out",
        "db": tmp_path / "s.db",
        "live_progress": False,
    }
    given.update(over)
    return BatchOptions(**given)  # type: ignore[arg-type]


def chats(sim: Simulator) -> list[RequestRecord]:
    return [r for r in sim.requests if r.path.endswith("/chat/completions")]


def most_at_once(records: list[RequestRecord]) -> int:
    """The most requests the server held at the same moment."""
    edges = sorted([(r.arrived, 1) for r in records] + [(r.arrived + r.latency, -1) for r in records])
    held = peak = 0
    for _, step in edges:  # at a tie the -1 sorts first: one leaving as another arrives is not overlap
        held += step
        peak = max(peak, held)
    return peak


def test_concurrency_caps_requests_at_the_server_not_articles_in_progress(tmp_path: Path) -> None:
    root = articles(tmp_path / "in", 10)
    with start(SimConfig(latency=0.1)) as sim:
        report = run_batch(settings(sim), options(tmp_path, root, concurrency=3))
        records = chats(sim)
    assert report.counts["ok"] == 10 and len(records) == 10
    assert most_at_once(records) == 3  # six workers, three requests in flight, never four


def test_the_same_text_under_two_names_costs_one_call_when_both_are_in_progress(tmp_path: Path) -> None:
    root = articles(tmp_path / "in", 1)
    for name in ("b.txt", "c.txt", "d.txt"):
        (root / name).write_text((root / "a00.txt").read_text())
    with start(SimConfig(latency=0.1)) as sim:
        report = run_batch(settings(sim), options(tmp_path, root, concurrency=4))
        assert len(chats(sim)) == 1
    assert report.counts["ok"] == 4 and report.cache_hits == 3


def test_401_skips_the_requests_waiting_for_a_slot(tmp_path: Path) -> None:
    root = articles(tmp_path / "in", 8)
    with start(SimConfig(script=("401",) * 20, latency=0.05)) as sim:
        report = run_batch(settings(sim), options(tmp_path, root, concurrency=2))
        sent = len(chats(sim))
    assert 1 <= sent <= 2  # what was in flight when the first 401 came back; nothing queued is sent
    assert report.exit_code == 2 and report.aborted and "401" in report.aborted
    assert report.counts["failed"] == sent and report.counts["skipped"] == 8 - sent
    assert all("run aborted" in (o.reason or "") for o in report.outcomes if o.status == "skipped")


def test_closing_fails_waiters_and_later_requests() -> None:
    async def go() -> tuple[list[str], InFlight]:
        gate = InFlight(1)
        seen: list[str] = []

        async def holder() -> None:
            async with gate.slot():
                seen.append("held")
                await asyncio.sleep(0.05)

        async def waiter() -> None:
            try:
                async with gate.slot():
                    seen.append("waiter got a slot")
            except RunAborted as exc:
                seen.append(exc.message)

        first = asyncio.create_task(holder())
        await asyncio.sleep(0)  # the holder takes the only slot
        second = asyncio.create_task(waiter())
        await asyncio.sleep(0)
        gate.close("HTTP 401")
        await asyncio.gather(first, second)
        await waiter()  # after close, at once
        return seen, gate

    seen, gate = asyncio.run(go())
    assert seen == ["held", "run aborted: HTTP 401", "run aborted: HTTP 401"]
    assert gate.peak == 1


def test_in_flight_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        InFlight(0)
