"""Requests in flight: ``--concurrency`` caps HTTP requests, not articles in progress."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from summarizer.batching import BatchOptions, run_batch
from summarizer.errors import RunAborted
from summarizer.inflight import InFlight
from summarizer.llm import LLMClient, LLMConfig
from summarizer.prompts import load as load_prompt
from summarizer.settings import Settings
from summarizer.simulator import RequestRecord, SimConfig, Simulator, start

from .conftest import CORPUS
from .test_retries import ARTICLE

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
    assert 2 <= most_at_once(records) <= 3  # six workers, at most three requests in flight


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
            seen.append("released")

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
    # The waiter is refused at once, while the holder still has its slot, not when it lets go.
    assert seen == ["held", "run aborted: HTTP 401", "released", "run aborted: HTTP 401"]
    assert gate.peak == 1


def test_in_flight_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        InFlight(0)


class HeldAtAcquire:
    """A pacer that notes how many slots are held when it is asked, and can hold a request back."""

    def __init__(self, gate: InFlight, *, block_from: int | None = None) -> None:
        self.gate = gate
        self.block_from = block_from
        self.held: list[int] = []

    async def acquire(self, tokens: int = 0) -> None:
        self.held.append(self.gate.held)
        if self.block_from is not None and len(self.held) >= self.block_from:
            await asyncio.Event().wait()  # until cancelled

    def observe_headers(self, headers: Mapping[str, str]) -> None:
        pass

    def retried(self) -> None:
        pass

    def pause(self, seconds: float) -> None:
        pass


def client(sim: Simulator, gate: InFlight, pacer: HeldAtAcquire | None = None, **over: Any) -> LLMClient:
    config = LLMConfig.from_settings(
        Settings(model="sim-1", base_url=sim.base_url, backoff_base=0.01, **over)
    )
    return LLMClient(config, pacer=pacer, slots=gate)


def test_the_rate_limiter_is_asked_with_a_slot_held_and_the_answer_read_after_it_is_free(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import httpx2

    gate = InFlight(2)
    pacer = HeldAtAcquire(gate)
    held_when_parsed: list[int] = []
    parse = httpx2.Response.json

    def watched(self: httpx2.Response, **kwargs: Any) -> Any:  # the SDK decodes every answer here
        held_when_parsed.append(gate.held)
        return parse(self, **kwargs)

    monkeypatch.setattr(httpx2.Response, "json", watched)
    with start(SimConfig(script=("truncated", "ok", "ok"))) as sim:

        async def go() -> None:
            llm = client(sim, gate, pacer)
            try:
                await asyncio.gather(*(llm.summarize(ARTICLE, load_prompt()) for _ in range(2)))
            finally:
                await llm.close()

        asyncio.run(go())
    assert len(pacer.held) == 3 and all(n >= 1 for n in pacer.held)  # retries too
    assert len(held_when_parsed) == 3 and all(n <= 1 for n in held_when_parsed)
    assert held_when_parsed[-1] == 0  # the last answer is read with no request in flight


def test_a_request_waiting_for_the_rate_limiter_is_not_sent_after_the_gate_closes_and_keeps_its_cost() -> (
    None
):
    gate = InFlight(1)
    pacer = HeldAtAcquire(gate, block_from=2)  # the re-ask after an invalid answer is held back
    with start(SimConfig(script=("schema", "ok"))) as sim:

        async def go() -> RunAborted:
            llm = client(sim, gate, pacer)
            try:
                task = asyncio.create_task(llm.summarize(ARTICLE, load_prompt()))
                for _ in range(500):  # bounded: 5 s
                    if len(pacer.held) == 2:
                        break
                    await asyncio.sleep(0.01)
                gate.close("HTTP 401")
                with pytest.raises(RunAborted) as info:
                    await asyncio.wait_for(task, timeout=5)
                return info.value
            finally:
                await llm.close()

        aborted = asyncio.run(go())
        assert len(chats(sim)) == 1  # the re-ask was never sent
    assert aborted.attempts.http_attempts == 1 and aborted.attempts.model_attempts == 1
    assert aborted.attempts.usage.prompt_tokens > 0  # the first answer was paid for


def test_time_queued_for_a_slot_does_not_count_against_the_article_deadline() -> None:
    gate = InFlight(1)
    with start(SimConfig()) as sim:

        async def go() -> int:
            llm = client(sim, gate, deadline=0.3)
            try:
                async with gate.slot():  # another request holds the only slot for longer than that
                    waiting = asyncio.create_task(llm.summarize(ARTICLE, load_prompt()))
                    await asyncio.sleep(0.5)
                answer = await asyncio.wait_for(waiting, timeout=10)
                return answer.attempts.http_attempts
            finally:
                await llm.close()

        assert asyncio.run(go()) == 1


def test_a_request_is_built_before_it_takes_a_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SDK builds the request before the try takes its slot: a slot covers the HTTP
    exchange only, so a request is ready to go the moment a slot is freed."""
    import openai

    gate = InFlight(1)
    held_when_built: list[int] = []
    build = openai.AsyncOpenAI._build_request

    def watched(self: Any, *args: Any, **kwargs: Any) -> Any:
        held_when_built.append(gate.held)
        return build(self, *args, **kwargs)

    monkeypatch.setattr(openai.AsyncOpenAI, "_build_request", watched)
    with start(SimConfig()) as sim:

        async def go() -> int:
            llm = client(sim, gate)
            try:
                sent = 0
                for _ in range(3):  # one at a time: no other request holds the slot
                    sent += (await llm.summarize(ARTICLE, load_prompt())).attempts.http_attempts
                return sent
            finally:
                await llm.close()

        assert asyncio.run(go()) == 3
        assert len(chats(sim)) == 3
    assert held_when_built == [0, 0, 0]  # was [1, 1, 1]: each request was built inside its slot
    assert gate.peak == 1 and gate.held == 0
