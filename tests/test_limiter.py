"""The client-side rate limiter, on simulated time, and once against the simulator.

Unit tests inject a clock and a sleep, so minutes pass in microseconds and
every admission time is exact: ``AutoTime`` jumps the clock by whatever the
limiter sleeps (only the head of the queue ever sleeps, so time stays
consistent); ``ManualTime`` holds sleepers until the test advances time, to
interleave pauses, headers and cancellations with a sleeping waiter. The
integration test runs the real simulator and a real HTTP client on a clock
sped up 20 times, so two rate-limit windows pass in about four seconds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx2
import pytest

from summarizer import prompts
from summarizer.limiter import MARGIN_SECONDS, WINDOW_SECONDS, RateLimiter
from summarizer.simulator import SimConfig, start

SPAN = WINDOW_SECONDS + MARGIN_SECONDS  # how long the limiter remembers an admission


class AutoTime:
    """Simulated time that jumps forward by each requested sleep."""

    def __init__(self) -> None:
        self.now = 0.0
        self.naps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.naps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


class ManualTime:
    """Simulated time that moves only when the test calls ``advance``."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        entry = (self.now + seconds, asyncio.get_running_loop().create_future())
        self._sleepers.append(entry)
        try:
            await entry[1]
        finally:
            self._sleepers.remove(entry)

    @property
    def wake_times(self) -> list[float]:
        return sorted(at for at, _ in self._sleepers)

    async def advance(self, seconds: float) -> None:
        self.now += seconds
        for at, future in list(self._sleepers):
            if at <= self.now and not future.done():
                future.set_result(None)
        await settle()


async def settle() -> None:
    """Let every runnable task run until it blocks again."""
    for _ in range(50):
        await asyncio.sleep(0)


def run(coro: Awaitable[Any]) -> Any:
    async def main() -> Any:
        # Simulated time makes every test instant; the guard turns a hang into a failure.
        return await asyncio.wait_for(coro, timeout=10)

    return asyncio.run(main())


def limiter(time_: AutoTime | ManualTime, rpm: int | None = None, tpm: int | None = None) -> RateLimiter:
    return RateLimiter(rpm, tpm, clock=time_.clock, sleep=time_.sleep)


async def admit_all(
    lim: RateLimiter, clock: Callable[[], float], sizes: Sequence[int]
) -> list[tuple[int, float]]:
    """Start one task per size, in order; return (task index, admission time) in admission order."""
    admitted: list[tuple[int, float]] = []

    async def one(index: int, tokens: int) -> None:
        await lim.acquire(tokens)
        admitted.append((index, clock()))

    tasks = [asyncio.create_task(one(i, size)) for i, size in enumerate(sizes)]
    await asyncio.gather(*tasks)
    return admitted


def most_in_window(times: Sequence[float], weights: Sequence[int] | None = None, window: float = 60.0) -> int:
    """The largest total admitted in any half-open window of ``window`` seconds."""
    weights = weights if weights is not None else [1] * len(times)
    return max(
        sum(w for t, w in zip(times, weights, strict=True) if start <= t < start + window) for start in times
    )


# --- no limit -----------------------------------------------------------------------------------------


def test_without_limits_acquire_returns_at_once() -> None:
    t = AutoTime()
    lim = limiter(t)
    admitted = run(admit_all(lim, t.clock, [0] * 60))
    assert [at for _, at in admitted] == [0.0] * 60
    assert t.naps == []
    assert lim.stats == {
        "requests": 60,
        "tokens": 0,
        "wait_seconds": 0.0,
        "pauses": 0,
        "cancelled": 0,
        "retries": 0,
    }


def test_without_limits_a_pause_still_holds_every_request() -> None:
    t = AutoTime()
    lim = limiter(t)
    lim.pause(3.5)
    admitted = run(admit_all(lim, t.clock, [0] * 50))
    assert {at for _, at in admitted} == {3.5}
    assert t.naps == [3.5]  # one sleeper, the head of the queue; the rest wait their turn
    assert lim.stats["pauses"] == 1
    assert lim.stats["wait_seconds"] == pytest.approx(50 * 3.5)


# --- requests per minute ------------------------------------------------------------------------------


def test_rpm_admits_a_full_window_at_once_then_as_entries_leave_it() -> None:
    t = AutoTime()
    lim = limiter(t, rpm=10)
    admitted = run(admit_all(lim, t.clock, [0] * 35))
    times = [at for _, at in admitted]
    assert times == [0.0] * 10 + [SPAN] * 10 + [2 * SPAN] * 10 + [3 * SPAN] * 5
    assert most_in_window(times) == 10  # never more than the limit in any 60 s window
    assert t.naps == [SPAN, SPAN, SPAN]  # three sleeps in all, no polling
    assert lim.stats["requests"] == 35
    assert lim.stats["wait_seconds"] == pytest.approx(10 * SPAN + 10 * 2 * SPAN + 5 * 3 * SPAN)


def test_rpm_steady_rate_is_the_limit_less_the_margin() -> None:
    t = AutoTime()
    lim = limiter(t, rpm=60)
    admitted = run(admit_all(lim, t.clock, [0] * 600))
    times = [at for _, at in admitted]
    assert most_in_window(times) == 60
    # 600 requests at 60 per minute: ten windows, the first at t=0.
    assert times[-1] == pytest.approx(9 * SPAN)
    assert 600 / (times[-1] + SPAN) * 60 >= 0.98 * 60


def test_rpm_waiters_are_served_in_arrival_order() -> None:
    t = AutoTime()
    lim = limiter(t, rpm=5)
    admitted = run(admit_all(lim, t.clock, [0] * 60))
    assert [index for index, _ in admitted] == list(range(60))


# --- tokens per minute ---------------------------------------------------------------------------------


def test_tpm_paces_by_tokens() -> None:
    t = AutoTime()
    lim = limiter(t, tpm=1000)
    sizes = [300] * 10
    admitted = run(admit_all(lim, t.clock, sizes))
    times = [at for _, at in admitted]
    assert times == [0.0] * 3 + [SPAN] * 3 + [2 * SPAN] * 3 + [3 * SPAN]
    assert most_in_window(times, sizes) <= 1000
    assert lim.stats["tokens"] == 3000


def test_a_large_request_is_not_overtaken_by_small_ones() -> None:
    t = AutoTime()
    lim = limiter(t, tpm=1000)
    admitted = run(admit_all(lim, t.clock, [300, 800, 100, 100]))
    # 100 would fit at t=0 beside the 300, but it arrived after the 800.
    assert admitted == [(0, 0.0), (1, SPAN), (2, SPAN), (3, SPAN)]


def test_rpm_and_tpm_together_with_many_tasks() -> None:
    t = AutoTime()
    lim = limiter(t, rpm=20, tpm=5000)
    sizes = [100 + (i * 37) % 900 for i in range(120)]
    admitted = run(admit_all(lim, t.clock, sizes))
    assert [index for index, _ in admitted] == list(range(120))
    times = [at for _, at in admitted]
    assert most_in_window(times) <= 20
    assert most_in_window(times, sizes) <= 5000
    assert lim.stats["requests"] == 120
    assert lim.stats["tokens"] == sum(sizes)


def test_a_request_larger_than_tpm_is_refused() -> None:
    lim = limiter(AutoTime(), tpm=1000)
    with pytest.raises(ValueError, match="1001 tokens can never fit the limit of 1000"):
        run(lim.acquire(1001))
    with pytest.raises(ValueError, match="negative"):
        run(lim.acquire(-1))
    run(lim.acquire(1000))
    assert lim.stats["requests"] == 1


# --- pause -------------------------------------------------------------------------------------------


def test_pause_holds_every_waiter_until_its_time() -> None:
    async def main() -> tuple[list[tuple[int, float]], list[float]]:
        t = ManualTime()
        lim = limiter(t, rpm=10)
        first = await admit_all(lim, t.clock, [0] * 10)  # the window is now full until SPAN
        lim.pause(100.0)  # a 429 asks for more than the window would
        admitted: list[tuple[int, float]] = []

        async def one(index: int) -> None:
            await lim.acquire()
            admitted.append((index, t.now))

        tasks = [asyncio.create_task(one(i)) for i in range(5)]
        await settle()
        wake_times = t.wake_times
        await t.advance(SPAN)  # the window has room again, but the pause holds
        assert admitted == []
        await t.advance(100.0 - SPAN - 0.001)
        assert admitted == []
        await t.advance(0.001)
        await asyncio.gather(*tasks)
        assert [at for _, at in first] == [0.0] * 10
        return admitted, wake_times

    admitted, wake_times = run(main())
    assert admitted == [(i, 100.0) for i in range(5)]
    assert wake_times == [100.0]  # one sleeper only


def test_a_pause_during_a_wait_extends_it() -> None:
    async def main() -> float:
        t = ManualTime()
        lim = limiter(t, rpm=1)
        await lim.acquire()
        waiter = asyncio.create_task(lim.acquire())
        await settle()
        assert t.wake_times == [SPAN]
        await t.advance(30.0)
        lim.pause(45.0)  # until 75, past the window's SPAN
        await t.advance(SPAN - 30.0)
        assert not waiter.done()
        assert t.wake_times == [75.0]
        await t.advance(75.0 - SPAN)
        await waiter
        return t.now

    assert run(main()) == 75.0


def test_pause_rejects_nonsense() -> None:
    lim = limiter(AutoTime())
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            lim.pause(bad)


# --- cancellation ------------------------------------------------------------------------------------


def test_a_cancelled_waiter_consumes_nothing() -> None:
    async def main() -> list[tuple[str, float]]:
        t = ManualTime()
        lim = limiter(t, rpm=2)
        await lim.acquire()
        await lim.acquire()
        admitted: list[tuple[str, float]] = []

        async def one(name: str) -> None:
            await lim.acquire()
            admitted.append((name, t.now))

        tasks = {name: asyncio.create_task(one(name)) for name in "ABC"}
        await settle()
        tasks["B"].cancel()  # queued behind A
        await settle()
        tasks["A"].cancel()  # the head, asleep until SPAN
        await settle()
        assert lim.waiting == 1
        await t.advance(SPAN)
        await tasks["C"]
        assert lim.stats["cancelled"] == 2
        assert lim.stats["requests"] == 3
        return admitted

    assert run(main()) == [("C", SPAN)]


def test_a_waiter_cancelled_just_after_its_turn_came_passes_the_turn_on() -> None:
    async def main() -> list[str]:
        t = ManualTime()
        lim = limiter(t)
        lim.pause(10.0)
        admitted: list[str] = []
        tasks: dict[str, asyncio.Task[None]] = {}

        async def one(name: str) -> None:
            await lim.acquire()
            admitted.append(name)
            if name == "A":
                tasks["B"].cancel()  # B was just handed the turn but has not run yet

        for name in "ABC":
            tasks[name] = asyncio.create_task(one(name))
        await settle()
        await t.advance(10.0)
        await asyncio.gather(*tasks.values(), return_exceptions=True)
        assert tasks["B"].cancelled()
        assert lim.waiting == 0
        return admitted

    assert run(main()) == ["A", "C"]


# --- against the simulator ---------------------------------------------------------------------------

SPEEDUP = 20.0  # simulated seconds per real second: one 60 s window takes 3 s
TEST_MARGIN = 10.0
"""The margin covers the delay between our admission and the server's. On loopback that is a few
milliseconds, up to ~150 on a loaded two-core machine while 20 connections open at once, and once
more than 200 in a full suite run here (a 429 then). A 20x clock makes each real millisecond 20
simulated ones, so the margin is scaled up to keep 500 real ms of cover; the default 1 s is a full
second of cover in real time."""


def test_no_429s_against_the_simulator_where_a_burst_gets_them() -> None:
    """40 requests at 20 per minute: a plain burst loses half; the limiter sends all, none refused."""
    rpm, count = 20, 40
    epoch = time.monotonic()

    def clock() -> float:
        return (time.monotonic() - epoch) * SPEEDUP

    async def fast_sleep(seconds: float) -> None:
        await asyncio.sleep(seconds / SPEEDUP)

    body = {
        "model": "sim-1",
        "messages": prompts.load().render("Ferry\n\nThe night ferry started on Friday.").as_openai(),
    }

    def brain(text: str) -> dict[str, Any]:
        return {"headline": "Ferry starts"}

    async def send_all(base_url: str, lim: RateLimiter | None) -> list[int]:
        async with httpx2.AsyncClient(
            base_url=base_url, headers={"Authorization": "Bearer test"}, timeout=10.0
        ) as client:

            async def one() -> int:
                if lim is not None:
                    await lim.acquire()
                response = await client.post("/chat/completions", json=body)
                if lim is not None:
                    lim.observe_headers(response.headers)
                return response.status_code

            return list(await asyncio.gather(*(one() for _ in range(count))))

    with start(SimConfig(rpm=rpm), brain, clock=clock) as sim:
        naive = asyncio.run(send_all(sim.base_url, None))
    assert naive.count(200) == rpm
    assert naive.count(429) == count - rpm

    with start(SimConfig(rpm=rpm), brain, clock=clock) as sim:
        lim = RateLimiter(rpm, clock=clock, sleep=fast_sleep, margin=TEST_MARGIN)
        limited = asyncio.run(send_all(sim.base_url, lim))
        statuses = [record.status for record in sim.requests]
    assert limited == [200] * count
    assert statuses == [200] * count
    assert lim.stats["requests"] == count
