"""Client-side rate limiting: when may the next request of a batch run be sent.

One ``RateLimiter`` is shared by every task of a run. It owns admission only:
it never sends, retries or reads bodies (``llm.transport`` owns retries). Call
``acquire(tokens)`` before every HTTP attempt (retries and re-asks included),
``observe_headers`` with every response's headers, 429s included, and
``pause(retry_after)`` on a 429.

How it decides, and why it uses the limit fully without 429s:

* **A mirror of the provider's window.** Providers (and our simulator) count
  requests and tokens over a sliding 60-second window. The limiter keeps the
  same log of what it admitted and admits a request as soon as the window
  holds room for it, so a run shorter than a minute may burst up to the full
  limit at once (the provider allows exactly that), and a longer run is
  admitted at the limit's rate as old entries leave the window. A token
  bucket at a fraction of the limit wastes both. The log is kept ``margin``
  seconds longer than the provider's window: we stamp a request when we admit
  it, the provider when it arrives, and an entry must not leave our window
  before it leaves theirs.
* **The server's view corrects ours.** ``x-ratelimit-remaining-*`` and
  ``x-ratelimit-reset-*`` count what the provider saw, including other
  clients on the same key and usage from a run a minute ago. When the server
  reports more usage than our log explains (or no limit is configured), the
  limiter admits at most ``remaining`` more until ``reset`` has passed; when
  our log explains it, the log is the better model and the hint is dropped
  (at the limit, "remaining 0, reset 59s" only means the window is full, and
  our log knows when its oldest entry leaves). A server limit lower than the
  configured one replaces it.
* **A 429 stops the whole run.** ``pause(seconds)`` holds every waiter until
  then, honouring ``Retry-After``, instead of letting each task find out on
  its own.

Waiters are served first come, first served: only the head of the queue
computes and sleeps; the others wait for their turn, so nothing busy-waits and
a large request cannot be starved by small ones. A cancelled waiter leaves the
queue without consuming capacity. Asyncio only: use one limiter per event
loop, from that loop's thread.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TypedDict

__all__ = ["LimiterStats", "RateLimiter", "parse_duration", "retry_after"]

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60.0
"""The provider's window (OpenAI's limits are per minute)."""
MARGIN_SECONDS = 1.0
"""How much longer than the provider's window our log remembers an admission."""
HINT_SECONDS_WITHOUT_RESET = 1.0
"""How long a ``remaining`` count holds when the response carries no reset header."""

_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)")
_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


class LimiterStats(TypedDict):
    requests: int
    """Requests admitted."""
    tokens: int
    """Tokens admitted (as the callers declared them)."""
    wait_seconds: float
    """Time admitted requests spent waiting in ``acquire``, summed over requests."""
    pauses: int
    """``pause()`` calls (one per 429 the transport reported)."""
    cancelled: int
    """Waiters cancelled before they were admitted (they consumed nothing)."""
    retries: int
    """HTTP tries the transport retried (``retried()`` calls: 429s, 5xx, timeouts …)."""


def parse_duration(text: str | None) -> float | None:
    """Seconds in a reset header: OpenAI's Go-style ``20ms``, ``1.2s``, ``6m0s``, or plain seconds."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    try:
        plain = float(text)
    except ValueError:
        pass
    else:
        return plain if math.isfinite(plain) and plain >= 0 else None
    total, position = 0.0, 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != position:
            return None
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        position = match.end()
    return total if position == len(text) else None


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The wait a 429 asks for: ``retry-after-ms``, else ``Retry-After`` in seconds (dates are ignored)."""
    lowered = {name.lower(): value for name, value in headers.items()}
    for name, scale in (("retry-after-ms", 1e-3), ("retry-after", 1.0)):
        try:
            value = float(lowered[name]) * scale
        except (KeyError, ValueError):
            continue
        if math.isfinite(value) and value >= 0:
            return value
    return None


class _Window:
    """What was admitted in the last ``span`` seconds: (time, tokens) entries and their token sum."""

    def __init__(self, span: float) -> None:
        self.span = span
        self.entries: deque[tuple[float, int]] = deque()
        self.tokens = 0

    def expire(self, now: float) -> None:
        while self.entries and self.entries[0][0] + self.span <= now:
            _, spent = self.entries.popleft()
            self.tokens -= spent

    def add(self, now: float, tokens: int) -> None:
        self.entries.append((now, tokens))
        self.tokens += tokens

    def request_fits_at(self, limit: int) -> float:
        """When one more request fits under ``limit`` (``-inf``: now)."""
        excess = len(self.entries) + 1 - limit
        if excess <= 0:
            return -math.inf
        return self.entries[excess - 1][0] + self.span

    def tokens_fit_at(self, limit: int, tokens: int) -> float:
        """When ``tokens`` more fit under ``limit`` (``-inf``: now, ``inf``: never)."""
        if tokens > limit:
            return math.inf
        used = self.tokens
        if used + tokens <= limit:
            return -math.inf
        for admitted_at, spent in self.entries:
            used -= spent
            if used + tokens <= limit:
                return admitted_at + self.span
        return math.inf  # unreachable: an empty window holds any tokens <= limit


@dataclass
class _Hint:
    """The server said: at most ``budget`` more (requests or tokens) until ``until``."""

    budget: int
    until: float


class RateLimiter:
    """Admits requests under requests-per-minute and tokens-per-minute limits; see the module docstring."""

    def __init__(
        self,
        rpm: int | None = None,
        tpm: int | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        window: float = WINDOW_SECONDS,
        margin: float = MARGIN_SECONDS,
    ) -> None:
        for name, value in (("rpm", rpm), ("tpm", tpm)):
            if value is not None and value < 1:
                raise ValueError(f"{name} must be a positive number per minute, or None (got {value})")
        if not (math.isfinite(window) and window > 0 and math.isfinite(margin) and margin >= 0):
            raise ValueError(f"window must be positive and margin non-negative (got {window}, {margin})")
        self.rpm = rpm
        self.tpm = tpm
        self._clock = clock
        self._sleep = sleep
        self._window = _Window(window + margin)
        self._paused_until = -math.inf
        self._hints: dict[str, _Hint] = {}
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._kick: asyncio.Future[None] | None = None
        self._stats = LimiterStats(requests=0, tokens=0, wait_seconds=0.0, pauses=0, cancelled=0, retries=0)

    @property
    def stats(self) -> LimiterStats:
        """A copy of the counters (see ``LimiterStats``)."""
        return LimiterStats(**self._stats)

    @property
    def waiting(self) -> int:
        """Tasks currently queued in ``acquire``."""
        return len(self._waiters)

    async def acquire(self, tokens: int = 0) -> None:
        """Wait until one request of ``tokens`` tokens may be sent, then count it as sent.

        FIFO among waiters. If the calling task is cancelled while waiting, it
        consumes nothing. ValueError if the request can never fit the tpm limit.
        """
        self._check_size(tokens)
        started = self._clock()
        if not self._waiters and self._ready_at(tokens, started) <= started:
            self._admit(tokens, started, started)
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(turn)
        try:
            if self._waiters[0] is not turn:
                await turn  # set by the waiter ahead of us when it leaves the queue
            while True:
                now = self._clock()
                ready = self._ready_at(tokens, now)
                if ready <= now:
                    break
                if math.isinf(ready):  # a server limit learned while we queued is below our size
                    self._check_size(tokens)
                await self._nap(ready - now)
            self._admit(tokens, started, now)
        except asyncio.CancelledError:
            self._stats["cancelled"] += 1
            raise
        finally:
            was_head = self._waiters[0] is turn
            self._waiters.remove(turn)
            if was_head and self._waiters and not self._waiters[0].done():
                self._waiters[0].set_result(None)

    def pause(self, seconds: float) -> None:
        """Stop admitting anything, for every task, until ``seconds`` from now (a 429's retry-after)."""
        if not (math.isfinite(seconds) and seconds >= 0):
            raise ValueError(f"pause needs a finite, non-negative number of seconds (got {seconds})")
        self._stats["pauses"] += 1
        until = self._clock() + seconds
        if until > self._paused_until:
            self._paused_until = until
            log.info("rate limited: pausing all requests for %.3fs", seconds)

    def retried(self) -> None:
        """The transport is about to retry a failed try (counted for progress and the report)."""
        self._stats["retries"] += 1

    def observe_headers(self, headers: Mapping[str, str]) -> None:
        """Adapt to a response's ``x-ratelimit-*`` headers (any status, 429s included)."""
        lowered = {name.lower(): value for name, value in headers.items()}
        now = self._clock()
        self._window.expire(now)
        changed = False
        for kind in ("requests", "tokens"):
            limit = _count(lowered.get(f"x-ratelimit-limit-{kind}"))
            remaining = _count(lowered.get(f"x-ratelimit-remaining-{kind}"))
            reset = parse_duration(lowered.get(f"x-ratelimit-reset-{kind}"))
            before = self.rpm if kind == "requests" else self.tpm
            configured = self._lower_to(kind, limit)
            changed |= configured != before  # a waiter may no longer fit at all: let it find out
            if remaining is None:
                continue
            if configured is not None:
                server_used = (limit if limit is not None else configured) - remaining
                local_used = len(self._window.entries) if kind == "requests" else self._window.tokens
                if server_used <= local_used:
                    # Our log accounts for everything the server counts, and it knows when each
                    # entry leaves the window; the hint would only hold us until a full reset.
                    changed |= self._hints.pop(kind, None) is not None
                    continue
            until = now + (reset if reset is not None else HINT_SECONDS_WITHOUT_RESET)
            self._hints[kind] = _Hint(budget=remaining, until=until)
            changed = True
        if changed and self._kick is not None and not self._kick.done():
            self._kick.set_result(None)  # the head re-reads the limits now

    def _lower_to(self, kind: str, limit: int | None) -> int | None:
        """Adopt a server limit below the configured one; return the configured limit in force."""
        configured = self.rpm if kind == "requests" else self.tpm
        if configured is None or limit is None or limit < 1 or limit >= configured:
            return configured
        log.warning(
            "the server's limit is %d %s per minute, below the configured %d: using %d",
            limit,
            kind,
            configured,
            limit,
        )
        if kind == "requests":
            self.rpm = limit
        else:
            self.tpm = limit
        return limit

    def _check_size(self, tokens: int) -> None:
        if tokens < 0:
            raise ValueError(f"a request cannot need a negative number of tokens (got {tokens})")
        if self.tpm is not None and tokens > self.tpm:
            raise ValueError(
                f"a request of {tokens} tokens can never fit the limit of {self.tpm} tokens per minute; "
                "shorten the input or lower max_output_tokens"
            )

    def _ready_at(self, tokens: int, now: float) -> float:
        """The earliest time every limit admits a request of ``tokens`` (<= now: at once)."""
        ready = self._paused_until
        self._window.expire(now)
        if self.rpm is not None:
            ready = max(ready, self._window.request_fits_at(self.rpm))
        if self.tpm is not None:
            ready = max(ready, self._window.tokens_fit_at(self.tpm, tokens))
        for kind, need in (("requests", 1), ("tokens", tokens)):
            hint = self._hints.get(kind)
            if hint is None:
                continue
            if hint.until <= now:
                del self._hints[kind]
            elif hint.budget < need:
                ready = max(ready, hint.until)
        return ready

    def _admit(self, tokens: int, started: float, now: float) -> None:
        self._window.add(now, tokens)
        for kind, spent in (("requests", 1), ("tokens", tokens)):
            hint = self._hints.get(kind)
            if hint is not None:
                hint.budget -= spent
        self._stats["requests"] += 1
        self._stats["tokens"] += tokens
        self._stats["wait_seconds"] += now - started

    async def _nap(self, seconds: float) -> None:
        """Sleep ``seconds``, or less if ``observe_headers`` relaxes a limit meanwhile."""
        kick: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._kick = kick
        nap = asyncio.ensure_future(self._sleep(seconds))
        try:
            await asyncio.wait((nap, kick), return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._kick = None
            if nap.done():
                nap.result()  # a failing sleep must not pass silently
            else:
                nap.cancel()


def _count(value: str | None) -> int | None:
    """A non-negative count from a header value, or None if absent or unreadable."""
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return int(number) if math.isfinite(number) and number >= 0 else None
