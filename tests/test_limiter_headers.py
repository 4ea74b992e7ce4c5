"""The rate limiter and the server's ``x-ratelimit-*`` and ``Retry-After`` headers, on simulated
time (``AutoTime``, ``ManualTime``: see ``test_limiter``)."""

from __future__ import annotations

import asyncio

import pytest

from summarizer.limiter import parse_duration, retry_after

from .test_limiter import SPAN, AutoTime, ManualTime, admit_all, limiter, run, settle

# --- headers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rpm", [None, 100])
def test_remaining_zero_waits_for_the_reset(rpm: int | None) -> None:
    t = AutoTime()
    lim = limiter(t, rpm=rpm)
    lim.observe_headers(
        {
            "x-ratelimit-limit-requests": "100",
            "x-ratelimit-remaining-requests": "0",
            "x-ratelimit-reset-requests": "2s",
        }
    )
    run(lim.acquire())
    assert t.now == 2.0
    run(lim.acquire())  # the hint has expired: the next one goes at once
    assert t.now == 2.0


def test_remaining_is_a_budget_until_the_reset() -> None:
    t = AutoTime()
    lim = limiter(t, rpm=600)
    # Another client (or the last run) used 597 of our 600 in the server's window.
    lim.observe_headers(
        {
            "X-RateLimit-Limit-Requests": "600",
            "X-RateLimit-Remaining-Requests": "3",
            "X-RateLimit-Reset-Requests": "6m0s",
        }
    )
    admitted = run(admit_all(lim, t.clock, [0] * 5))
    assert [at for _, at in admitted] == [0.0, 0.0, 0.0, 360.0, 360.0]


def test_our_own_log_wins_when_it_explains_the_servers_count() -> None:
    t = AutoTime()
    lim = limiter(t, rpm=10)
    run(lim.acquire())
    t.now = 50.0
    run(admit_all(lim, t.clock, [0] * 9))
    # At the limit the server says "0 left, everything clears in 60s"; but our oldest
    # entry leaves at SPAN, and waiting for the full reset would waste the window.
    lim.observe_headers(
        {
            "x-ratelimit-limit-requests": "10",
            "x-ratelimit-remaining-requests": "0",
            "x-ratelimit-reset-requests": "59.95s",
        }
    )
    run(lim.acquire())
    assert t.now == SPAN


def test_a_lower_server_limit_replaces_the_configured_one() -> None:
    t = AutoTime()
    lim = limiter(t, rpm=100, tpm=10_000)
    lim.observe_headers(
        {
            "x-ratelimit-limit-requests": "5",
            "x-ratelimit-remaining-requests": "5",
            "x-ratelimit-reset-requests": "0s",
            "x-ratelimit-limit-tokens": "8000",
        }
    )
    assert (lim.rpm, lim.tpm) == (5, 8000)
    admitted = run(admit_all(lim, t.clock, [0] * 6))
    assert [at for _, at in admitted] == [0.0] * 5 + [SPAN]
    lim.observe_headers({"x-ratelimit-limit-requests": "900"})  # never raised above the configuration
    assert lim.rpm == 5


def test_token_headers_budget_tokens() -> None:
    t = AutoTime()
    lim = limiter(t)
    lim.observe_headers({"x-ratelimit-remaining-tokens": "500", "x-ratelimit-reset-tokens": "10s"})
    admitted = run(admit_all(lim, t.clock, [400, 200]))
    assert admitted == [(0, 0.0), (1, 10.0)]


def test_unreadable_headers_are_ignored() -> None:
    t = AutoTime()
    lim = limiter(t, rpm=10)
    lim.observe_headers(
        {"x-ratelimit-limit-requests": "lots", "x-ratelimit-remaining-requests": "-3", "other": "x"}
    )
    run(lim.acquire())
    assert (t.now, lim.rpm) == (0.0, 10)


def test_a_fresher_header_wakes_a_waiter_early() -> None:
    async def main() -> float:
        t = ManualTime()
        lim = limiter(t)
        lim.observe_headers({"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "30s"})
        waiter = asyncio.create_task(lim.acquire())
        await settle()
        assert t.wake_times == [30.0]
        await t.advance(1.0)
        # A response that left the server later says there is room again.
        lim.observe_headers({"x-ratelimit-remaining-requests": "4", "x-ratelimit-reset-requests": "29s"})
        await settle()
        await waiter
        return t.now

    assert run(main()) == 1.0


def test_a_limit_learned_while_queued_that_can_never_fit_raises() -> None:
    async def main() -> None:
        t = ManualTime()
        lim = limiter(t, tpm=1000)
        await lim.acquire(900)
        waiter = asyncio.create_task(lim.acquire(800))
        await settle()
        lim.observe_headers({"x-ratelimit-limit-tokens": "500"})
        await settle()
        with pytest.raises(ValueError, match="can never fit"):
            await waiter
        assert lim.waiting == 0

    run(main())


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1.2s", 1.2),
        ("6m0s", 360.0),
        ("20ms", 0.02),
        ("1h2m3.5s", 3723.5),
        ("0s", 0.0),
        ("2", 2.0),
        ("850us", 0.00085),
        ("", None),
        ("soon", None),
        ("1s junk", None),
        ("-1", None),
        (None, None),
    ],
)
def test_parse_duration(text: str | None, seconds: float | None) -> None:
    assert parse_duration(text) == (pytest.approx(seconds) if seconds is not None else None)


def test_retry_after_prefers_milliseconds() -> None:
    assert retry_after({"retry-after-ms": "1500", "retry-after": "2"}) == 1.5
    assert retry_after({"Retry-After": "3"}) == 3.0
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) is None
    assert retry_after({}) is None
