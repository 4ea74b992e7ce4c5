"""The simulator's rate limits (requests and tokens per sliding minute, OpenAI's headers and
429s), on an injected clock instead of waiting a minute."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import openai
import pytest

from summarizer.simulator import Simulator, limits
from summarizer.simulator.chat import ChatRequest

from .test_simulator import FakeClock, client, messages, raw, sim_factory

__all__ = ["messages", "sim_factory"]  # fixtures, used by name


# --- rate limits --------------------------------------------------------------------------------------


def test_rpm_limit(sim_factory: Callable[..., Simulator], messages: Any) -> None:
    clock = FakeClock()
    sim = sim_factory(clock, rpm=5)
    api = client(sim)
    for n in range(5):
        raw_response = api.chat.completions.with_raw_response.create(model="sim-1", messages=messages)
        assert raw_response.headers["x-ratelimit-limit-requests"] == "5"
        assert raw_response.headers["x-ratelimit-remaining-requests"] == str(4 - n)
        assert raw_response.headers["x-ratelimit-reset-requests"] == "59.95s"
        clock.now += 1.0
    with pytest.raises(openai.RateLimitError) as caught:
        api.chat.completions.create(model="sim-1", messages=messages)
    headers = caught.value.response.headers
    assert headers["x-ratelimit-remaining-requests"] == "0"
    assert headers["retry-after-ms"] == "54950"  # the first request leaves the window at +59.95 s
    assert headers["retry-after"] == "55"
    assert "requests per min" in caught.value.message
    assert sim.requests[-1].fault == "rate_limit"
    clock.now += int(headers["retry-after-ms"]) / 1000  # wait exactly as told
    api.chat.completions.create(model="sim-1", messages=messages)


def test_tpm_limit(sim_factory: Callable[..., Simulator], messages: Any) -> None:
    body = {"model": "sim-1", "messages": messages, "max_tokens": 2000}
    cost = ChatRequest.parse(body).cost
    sim = sim_factory(FakeClock(), tpm=2 * cost + 10)
    for remaining in (cost + 10, 10):
        status, headers, _ = raw(sim, "POST", "/v1/chat/completions", body)
        assert status == 200 and headers["x-ratelimit-remaining-tokens"] == str(remaining)
        assert headers["x-ratelimit-limit-tokens"] == str(2 * cost + 10)
        assert "x-ratelimit-limit-requests" not in headers  # only the limits that are set
    status, headers, answer = raw(sim, "POST", "/v1/chat/completions", body)
    error = json.loads(answer)["error"]
    assert status == 429 and "tokens per min" in error["message"] and error["type"] == "tokens"
    assert int(headers["retry-after-ms"]) > 0 and "x-should-retry" not in headers
    too_big = {**body, "max_tokens": 10 * cost}
    status, headers, _ = raw(sim, "POST", "/v1/chat/completions", too_big)
    assert status == 429 and headers["x-should-retry"] == "false" and "retry-after" not in headers


def test_pacing_exactly_at_the_limit_is_never_limited(
    sim_factory: Callable[..., Simulator], messages: Any
) -> None:
    clock = FakeClock()
    sim = sim_factory(clock, rpm=3)
    for _ in range(10):  # one request every 20 s: exactly 3 per minute, for over three minutes
        assert raw(sim, "POST", "/v1/chat/completions", {"model": "sim-1", "messages": messages})[0] == 200
        clock.now += 20.0
    assert {r.status for r in sim.requests} == {200}


def test_rate_limit_holds_under_concurrency(sim_factory: Callable[..., Simulator], messages: Any) -> None:
    sim = sim_factory(FakeClock(), rpm=5)
    statuses: list[int] = []
    body = {"model": "sim-1", "messages": messages}

    def send() -> None:
        statuses.append(raw(sim, "POST", "/v1/chat/completions", body)[0])

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(statuses) == [200] * 5 + [429] * 15


def test_limiter_window_is_half_open() -> None:
    clock = FakeClock()
    limiter = limits.RateLimiter(rpm=2, tpm=None, clock=clock, grace=0.0)
    assert limiter.admit(1).allowed and limiter.admit(1).allowed
    denied = limiter.admit(1)
    assert not denied.allowed and denied.retry_after == 60.0
    clock.now += 59.999
    assert not limiter.admit(1).allowed
    clock.now += 0.001
    assert limiter.admit(1).allowed  # the first two left the window at exactly +60 s


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (0.02, "20ms"), (1.2, "1.2s"), (59.95, "59.95s"), (360, "6m0s"), (3725.5, "1h2m5.5s")],
)
def test_reset_durations_read_like_openai(seconds: float, text: str) -> None:
    assert limits.format_duration(seconds) == text
