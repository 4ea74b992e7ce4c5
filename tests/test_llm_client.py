"""The model client (async, one instance per run): retries, pacing hooks, concurrency."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import pytest

from summarizer.errors import TransportError
from summarizer.llm import LLMClient, LLMConfig
from summarizer.prompts import load as load_prompt
from summarizer.settings import Settings
from summarizer.simulator import SimConfig, start

from .test_retries import ARTICLE


class RecordingPacer:
    def __init__(self) -> None:
        self.acquired: list[int] = []
        self.headers: list[dict[str, str]] = []
        self.pauses: list[float] = []
        self.retries = 0

    async def acquire(self, tokens: int = 0) -> None:
        self.acquired.append(tokens)

    def observe_headers(self, headers: Mapping[str, str]) -> None:
        self.headers.append({k.lower(): v for k, v in headers.items()})

    def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)

    def retried(self) -> None:
        self.retries += 1


async def no_sleep(_: float) -> None:
    return None


def config(base_url: str) -> LLMConfig:
    settings = Settings(model="sim-1", base_url=base_url, transport_attempts=4, reasks=2, backoff_base=0.01)
    return LLMConfig.from_settings(settings)


def test_429_pauses_the_whole_run_and_headers_reach_the_pacer() -> None:
    pacer = RecordingPacer()
    with start(SimConfig(script=("429", "ok"), rpm=1000)) as sim:

        async def go() -> int:
            client = LLMClient(config(sim.base_url), pacer=pacer, sleep=no_sleep)
            try:
                answer = await client.summarize(ARTICLE, load_prompt(), tokens=1500)
            finally:
                await client.close()
            return answer.attempts.http_attempts

        assert asyncio.run(go()) == 2
    assert pacer.acquired == [1500, 1500]  # every HTTP try is paced, retries included
    assert pacer.pauses == [pytest.approx(0.05)]  # the 429's retry-after-ms
    assert len(pacer.headers) == 2
    assert all("x-ratelimit-remaining-requests" in h for h in pacer.headers)


def test_persistent_503_fails_after_the_attempt_budget() -> None:
    with start(SimConfig(script=("503",) * 10)) as sim:

        async def go() -> None:
            client = LLMClient(config(sim.base_url), sleep=no_sleep)
            try:
                await client.summarize(ARTICLE, load_prompt())
            finally:
                await client.close()

        with pytest.raises(TransportError) as info:
            asyncio.run(go())
    assert info.value.attempts.http_attempts == 4


def test_concurrent_articles_share_one_client() -> None:
    with start(SimConfig(latency=0.05)) as sim:

        async def go() -> list[int]:
            client = LLMClient(config(sim.base_url), sleep=no_sleep)
            try:
                answers = await asyncio.gather(*(client.summarize(ARTICLE, load_prompt()) for _ in range(8)))
            finally:
                await client.close()
            return [a.attempts.model_attempts for a in answers]

        assert asyncio.run(go()) == [1] * 8
        assert sum(1 for r in sim.requests if r.status == 200) == 8


def test_unreadable_bodies_are_retried_outside_the_request_slot() -> None:
    """A cut-off or non-JSON 200 is read after the slot is given back, and still retried."""
    from summarizer.inflight import InFlight

    with start(SimConfig(script=("truncated", "nonjson", "ok"))) as sim:

        async def go() -> tuple[int, int, int]:
            slots = InFlight(1)
            client = LLMClient(config(sim.base_url), slots=slots, sleep=no_sleep)
            try:
                answer = await client.summarize(ARTICLE, load_prompt())
            finally:
                await client.close()
            return answer.attempts.http_attempts, answer.attempts.model_attempts, slots.peak

        assert asyncio.run(go()) == (3, 1, 1)
