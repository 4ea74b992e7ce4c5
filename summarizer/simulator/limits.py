"""Metering for the simulator: token usage, simulated prompt caching, rate limits.

Owns every number a client reads in ``usage`` and in the ``x-ratelimit-*`` and
``retry-after`` headers. Pure bookkeeping with an injectable clock, so tests
can move time without sleeping; no HTTP here.

Rate limits are a sliding one-minute window log, one per server, shared by
requests and tokens: a request is admitted when the requests admitted in the
last minute, plus this one, stay within ``rpm`` and their estimated tokens,
plus this request's, stay within ``tpm``. Rejected requests do not count.
The window is half-open, so a client that waits exactly the advertised
``retry-after`` is admitted, and a short grace absorbs the scheduling jitter
between a client's clock and the moment the server looks at the request.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from summarizer import tokens

WINDOW_SECONDS = 60.0
GRACE_SECONDS = 0.05
"""Requests this close to leaving the window count as gone (arrival jitter on loopback)."""
DEFAULT_MAX_TOKENS = 4096
"""Completion tokens reserved for TPM when a request sets no max_tokens (OpenAI reserves too)."""
CACHE_MIN_TOKENS = 1024
CACHE_BLOCK_TOKENS = 128
_FLOAT_SLACK = 1e-6

Clock = Callable[[], float]


def _text(value: Any) -> str:
    """A message field as the text that is billed: strings as they are, anything else as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def count_prompt(messages: Sequence[Mapping[str, Any]], extras: Sequence[Any] = ()) -> int:
    """Prompt tokens: the messages as ``tokens.count_messages`` bills them, plus tools and schemas."""
    flat = [
        {key: _text(value) for key, value in message.items() if value is not None} for message in messages
    ]
    return tokens.count_messages(flat) + sum(tokens.count(_text(extra)) for extra in extras)


def count_prefix(system: str | None, extras: Sequence[Any]) -> int:
    """Tokens of the shared prefix: tools and response schema, then the system message."""
    total = sum(tokens.count(_text(extra)) for extra in extras)
    if system is not None:
        total += tokens.TOKENS_PER_MESSAGE + tokens.count(system)
    return total


class PromptCache:
    """Which prefixes this server has seen; answers ``cached_tokens`` like OpenAI's automatic cache.

    A hit needs a prefix of at least 1,024 tokens seen before; it is billed in
    128-token blocks. Nothing expires (the real cache keeps prefixes minutes).
    """

    def __init__(self, max_entries: int = 10_000) -> None:
        self._seen: dict[str, None] = {}
        self._max = max_entries
        self._lock = threading.Lock()

    def lookup(self, key: str, prefix_tokens: int) -> int:
        """Cached tokens for a request with this prefix, and remember the prefix."""
        with self._lock:
            hit = key in self._seen
            self._seen[key] = None
            while len(self._seen) > self._max:
                del self._seen[next(iter(self._seen))]
        if not hit or prefix_tokens < CACHE_MIN_TOKENS:
            return 0
        return prefix_tokens // CACHE_BLOCK_TOKENS * CACHE_BLOCK_TOKENS


def format_duration(seconds: float) -> str:
    """A duration the way OpenAI's reset headers write it (Go style): ``20ms``, ``1.2s``, ``6m0s``."""
    ms = max(0, math.ceil(seconds * 1000 - _FLOAT_SLACK))
    if ms == 0:
        return "0s"
    if ms < 1000:
        return f"{ms}ms"
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs = f"{rest // 1000}" if rest % 1000 == 0 else f"{rest / 1000:.3f}".rstrip("0")
    text = f"{hours}h" if hours else ""
    if hours or minutes:
        text += f"{minutes}m"
    return f"{text}{secs}s"


@dataclass(frozen=True)
class Decision:
    """The limiter's answer for one request."""

    allowed: bool
    headers: dict[str, str] = field(default_factory=dict)
    retry_after: float | None = None
    """Seconds until the request would be admitted; ``math.inf`` if it never can be."""
    message: str = ""
    kind: str = "requests"
    """Which limit refused the request ("requests" or "tokens"), as OpenAI's error ``type`` says."""


class RateLimiter:
    """Requests-per-minute and tokens-per-minute limits over a sliding window; thread-safe."""

    def __init__(
        self,
        rpm: int | None,
        tpm: int | None,
        *,
        clock: Clock = time.monotonic,
        window: float = WINDOW_SECONDS,
        grace: float = GRACE_SECONDS,
    ) -> None:
        if rpm is not None and rpm < 1:
            raise ValueError(f"rpm must be at least 1 (got {rpm})")
        if tpm is not None and tpm < 1:
            raise ValueError(f"tpm must be at least 1 (got {tpm})")
        if not 0 <= grace < window:
            raise ValueError("grace must be shorter than the window")
        self.rpm = rpm
        self.tpm = tpm
        self._clock = clock
        self._span = window - grace
        self._log: deque[tuple[float, int]] = deque()
        self._tokens = 0
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        return self.rpm is not None or self.tpm is not None

    def admit(self, cost: int, model: str = "the model") -> Decision:
        """Admit a request estimated at ``cost`` tokens, or say how long to wait."""
        if not self.active:
            return Decision(allowed=True)
        with self._lock:
            now = self._clock()
            self._expire(now)
            waits: list[float] = []
            reasons: list[str] = []
            if self.rpm is not None and len(self._log) + 1 > self.rpm:
                waits.append(self._wait_for_requests(now))
                reasons.append(
                    f"requests per min (RPM): Limit {self.rpm}, Used {len(self._log)}, Requested 1"
                )
            if self.tpm is not None and self._tokens + cost > self.tpm:
                waits.append(self._wait_for_tokens(now, cost))
                reasons.append(
                    f"tokens per min (TPM): Limit {self.tpm}, Used {self._tokens}, Requested {cost}"
                )
            if not waits:
                self._log.append((now, cost))
                self._tokens += cost
                return Decision(allowed=True, headers=self._headers(now))
            wait = max(waits)
            if math.isinf(wait):
                advice = "This request can never fit the limit; send fewer tokens or lower max_tokens."
            else:
                advice = f"Please try again in {format_duration(wait)}."
            message = f"Rate limit reached for {model} on {' and '.join(reasons)}. {advice}"
            kind = "requests" if reasons[0].startswith("requests") else "tokens"
            return Decision(False, self._headers(now), wait, message, kind)

    def snapshot(self) -> dict[str, str]:
        """The ``x-ratelimit-*`` headers for the current state, without admitting anything."""
        if not self.active:
            return {}
        with self._lock:
            now = self._clock()
            self._expire(now)
            return self._headers(now)

    def _expire(self, now: float) -> None:
        # Half-open window: an entry admitted at t stops counting at t + span exactly
        # (give or take float noise, so that waiting the advertised retry-after is enough).
        while self._log and self._log[0][0] + self._span <= now + _FLOAT_SLACK:
            _, cost = self._log.popleft()
            self._tokens -= cost

    def _wait_for_requests(self, now: float) -> float:
        assert self.rpm is not None
        excess = len(self._log) + 1 - self.rpm
        admitted_at, _ = self._log[excess - 1]
        return admitted_at + self._span - now

    def _wait_for_tokens(self, now: float, cost: int) -> float:
        assert self.tpm is not None
        if cost > self.tpm:
            return math.inf
        used = self._tokens
        for admitted_at, spent in self._log:
            used -= spent
            if used + cost <= self.tpm:
                return admitted_at + self._span - now
        return 0.0  # unreachable: an empty window always fits a cost <= tpm

    def _headers(self, now: float) -> dict[str, str]:
        reset = format_duration(self._log[-1][0] + self._span - now) if self._log else "0s"
        headers: dict[str, str] = {}
        if self.rpm is not None:
            headers["x-ratelimit-limit-requests"] = str(self.rpm)
            headers["x-ratelimit-remaining-requests"] = str(max(0, self.rpm - len(self._log)))
            headers["x-ratelimit-reset-requests"] = reset
        if self.tpm is not None:
            headers["x-ratelimit-limit-tokens"] = str(self.tpm)
            headers["x-ratelimit-remaining-tokens"] = str(max(0, self.tpm - self._tokens))
            headers["x-ratelimit-reset-tokens"] = reset
        return headers


def retry_headers(wait: float) -> dict[str, str]:
    """``retry-after-ms`` and ``Retry-After`` (whole seconds), rounded up so waiting them is enough."""
    wait = max(wait, 0.001)
    return {
        "retry-after-ms": str(math.ceil(wait * 1000 - _FLOAT_SLACK)),
        "retry-after": str(math.ceil(wait - _FLOAT_SLACK)),
    }
