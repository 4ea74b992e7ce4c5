"""Transport retries: the one owner of retrying failed HTTP requests.

Retry layers, one per kind of failure (see ARCHITECTURE.md):

* **Transport** (this module, tenacity): 408, 409, 429, 5xx, timeouts,
  connection errors and unreadable response bodies. Honours ``retry-after-ms``
  and ``Retry-After``; otherwise exponential backoff with full jitter. Bounded
  by ``attempts`` per model call and by the article's deadline.
* **Invalid output** (instructor): validation / JSON errors in a *successful*
  answer are re-asked, at most ``reasks`` times. instructor retries nothing
  else: any exception from the transport propagates straight out of it.
* **The openai SDK** is built with ``max_retries=0``: it never retries.

So the worst case of HTTP requests per article is
``(reasks + 1) * attempts``, and the deadline cuts it shorter.

400/401/403/404/422 are never retried: they become ``BadRequestError`` or
``ProviderConfigError`` at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import httpx2
import openai
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.stop import stop_base
from tenacity.wait import wait_base, wait_random_exponential

from summarizer.attempts import AttemptLog
from summarizer.errors import (
    BadRequestError,
    DeadlineExceeded,
    ProviderConfigError,
    RunAborted,
    SummarizerError,
    TransportError,
)
from summarizer.limiter import retry_after
from summarizer.redaction import redact
from summarizer.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

RETRYABLE_STATUS = frozenset({408, 409, 429})
CONFIG_STATUS = {401: "the API key was rejected", 403: "the key has no access", 404: "not found"}


@dataclass
class Deadline:
    """A wall-clock budget shared by every request made for one article.

    It starts with the article's first request, not before: time spent queued
    for a request slot or the rate limiter is the batch's own doing, not the
    provider's, and must not fail an article.
    """

    seconds: float
    clock: Callable[[], float] = time.monotonic
    started: float | None = field(default=None, init=False)

    def start(self) -> None:
        if self.started is None:
            self.started = self.clock()

    def remaining(self) -> float:
        if self.started is None:
            return self.seconds
        return self.seconds - (self.clock() - self.started)


class MalformedResponse(Exception):
    """A 2xx answer whose body is not a chat completion (HTML from a proxy, a cut-off body)."""


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
    # Timeouts are a subclass of APIConnectionError. A 200 whose body is not the
    # JSON we asked for is a broken transport too: the SDK raises JSONDecodeError
    # for a cut-off body, and instructor would otherwise spend a re-ask on it.
    return isinstance(
        exc,
        openai.APIConnectionError
        | openai.APIResponseValidationError
        | json.JSONDecodeError
        | MalformedResponse,
    )


def retry_after_seconds(exc: BaseException) -> float | None:
    """The server's requested wait, from ``retry-after-ms`` or ``Retry-After`` (finite, >= 0)."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    return retry_after(response.headers)


class _WaitPolicy(wait_base):
    def __init__(self, base: float, cap: float) -> None:
        self._backoff = wait_random_exponential(multiplier=base, max=cap)

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        requested = retry_after_seconds(exc) if exc is not None else None
        if requested is not None:
            return requested
        return float(self._backoff(retry_state))


class _StopAtDeadline(stop_base):
    """Stop when the next wait would end past the deadline."""

    def __init__(self, deadline: Deadline) -> None:
        self._deadline = deadline

    def __call__(self, retry_state: RetryCallState) -> bool:
        upcoming = retry_state.upcoming_sleep or 0.0
        return self._deadline.remaining() - upcoming <= 0


class Slots(Protocol):
    """A shared cap on requests in flight (``summarizer.inflight.InFlight``)."""

    async def acquire(self) -> None: ...

    def release(self) -> None: ...

    def admission(self, wait: Awaitable[None]) -> Awaitable[None]: ...


class Pacer(Protocol):
    """A shared client-side rate limiter (``summarizer.limiter.RateLimiter``)."""

    async def acquire(self, tokens: int = 0) -> None: ...

    def observe_headers(self, headers: Mapping[str, str]) -> None: ...

    def pause(self, seconds: float) -> None: ...

    def retried(self) -> None: ...


@dataclass
class _Gate:
    """One HTTP try's way in: a request slot, then the rate limiter, then the deadline's check.

    The SDK builds the request first; the HTTP client's request hook (``EVENT_HOOKS``) then
    enters the gate of the try running in its task (``_TRY``), and the response hook gives the
    slot back as a successful answer's headers arrive. A failed try keeps its slot until the
    failure has left ``TransportPolicy.call`` (a 401 closes the run's slots before a waiting
    request can take this one)."""

    slots: Slots | None
    pacer: Pacer | None
    tokens: int
    deadline: Deadline
    log_: AttemptLog
    request_timeout: float
    entered: bool = False
    holding: bool = False

    async def enter(self, request: httpx2.Request) -> None:
        if self.entered:  # a redirect of the same try
            return
        self.entered = True
        if self.slots is not None:
            await self.slots.acquire()
            self.holding = True
        if self.pacer is not None:
            waiting = self.pacer.acquire(self.tokens)
            await (self.slots.admission(waiting) if self.slots is not None else waiting)
        self.deadline.start()
        remaining = self.deadline.remaining()
        if remaining <= 0:
            raise _DeadlineReached
        # The request's timeouts were set before it waited here: no longer than the deadline now.
        cap = min(self.request_timeout, remaining)
        given = request.extensions.get("timeout")
        phases = ("connect", "read", "write", "pool")
        timeouts = {k: cap if given is None or given.get(k) is None else min(given[k], cap) for k in phases}
        request.extensions = {**request.extensions, "timeout": timeouts}
        self.log_.http_attempts += 1

    def leave(self) -> None:
        if self.holding and self.slots is not None:
            self.holding = False
            self.slots.release()


_TRY: ContextVar[_Gate] = ContextVar("summarizer_http_try")


async def _on_request(request: httpx2.Request) -> None:
    gate = _TRY.get(None)
    if gate is not None:
        await gate.enter(request)


async def _on_response(response: httpx2.Response) -> None:
    gate = _TRY.get(None)
    if gate is None:
        return
    if gate.pacer is not None:  # x-ratelimit-* of every answer, failures too
        gate.pacer.observe_headers(response.headers)
    if response.is_success:
        gate.leave()  # the next request may go out while this answer's body is read and parsed


EVENT_HOOKS: dict[str, list[Callable[..., Awaitable[None]]]] = {
    "request": [_on_request],
    "response": [_on_response],
}
"""The HTTP client's hooks that gate each try (``summarizer.llm.client.sdk_args`` installs them):
every request of a try goes through them whatever transport or proxy carries it."""


@dataclass
class TransportPolicy:
    """How one model answer's HTTP tries are retried; built from ``Settings``, the only home
    of its defaults (``from_settings``)."""

    attempts: int
    backoff_base: float
    backoff_cap: float
    request_timeout: float
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _shared: dict[str, Any] = field(init=False, repr=False, compare=False)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        request_timeout: float | None = None,
    ) -> TransportPolicy:
        """``request_timeout``: instead of ``settings.timeout`` (file transfers take longer)."""
        return cls(
            attempts=settings.transport_attempts,
            backoff_base=settings.backoff_base,
            backoff_cap=settings.backoff_cap,
            request_timeout=settings.timeout if request_timeout is None else request_timeout,
            sleep=sleep,
        )

    def __post_init__(self) -> None:
        # The wait and retry rules hold no state: built once per policy, not once per request.
        self._shared = {
            "wait": _WaitPolicy(self.backoff_base, self.backoff_cap),
            "retry": retry_if_exception(is_retryable),
            "reraise": True,
            "before_sleep": _log_retry,
        }

    def _retry_args(self, deadline: Deadline, pacer: Pacer | None) -> dict[str, Any]:
        args = {"stop": stop_after_attempt(self.attempts) | _StopAtDeadline(deadline), **self._shared}
        if pacer is not None:  # the run's progress counts retries where the limiter keeps its stats

            def before_sleep(state: RetryCallState) -> None:
                _log_retry(state)
                pacer.retried()

            args["before_sleep"] = before_sleep
        return args

    def _timeout(self, deadline: Deadline) -> float:
        """The try's timeout. Taken before the try waits for a slot, which the deadline does not
        count (it starts when the first try is let in); the gate checks the deadline again."""
        remaining = deadline.remaining()
        if remaining <= 0:
            raise _DeadlineReached
        return min(self.request_timeout, remaining)

    async def call(
        self,
        send: Callable[[float], Awaitable[R]],
        *,
        deadline: Deadline,
        log_: AttemptLog,
        read: Callable[[R], T],
        pacer: Pacer | None = None,
        slots: Slots | None = None,
        tokens: int = 0,
    ) -> T:
        """Run ``send(timeout)`` with retries; map final failures to project errors.

        ``send(timeout)`` is one HTTP exchange through a client built with ``EVENT_HOOKS``:
        once its request is built it takes one of the shared ``slots`` (requests in flight),
        then waits for the shared pacer; a 429 pauses the whole run. Backoff sleeps hold no
        slot. ``read(response)`` turns the response into the answer after the slot is given
        back (its errors, an unreadable body, are retried like the exchange's)."""

        async def attempt() -> T:
            timeout = self._timeout(deadline)  # raises before anything is sent or counted
            gate = _Gate(slots, pacer, tokens, deadline, log_, self.request_timeout)
            active = _TRY.set(gate)
            try:
                answer = await send(timeout)
            except openai.APIConnectionError as exc:
                # The SDK wraps what the request hook raised; the gate's refusals are not
                # connection errors and are never retried.
                if isinstance(exc.__cause__, RunAborted | _DeadlineReached):
                    raise exc.__cause__ from None
                raise
            except openai.APIStatusError as exc:
                if pacer is not None and exc.status_code == 429:
                    pacer.pause(retry_after_seconds(exc) or self.backoff_base)
                raise
            finally:
                _TRY.reset(active)
                gate.leave()
                if not gate.entered:  # a sender outside the hooked client: no slot to take
                    deadline.start()
                    log_.http_attempts += 1
            if not gate.entered and (slots is not None or pacer is not None):
                raise SummarizerError("internal: a gated request was sent by an unhooked HTTP client")
            if slots is not None:
                # Let the request that waited for this slot go out before this answer is parsed,
                # validated, stored and written (milliseconds without an await).
                await asyncio.sleep(0)
            return read(answer)

        try:
            return await AsyncRetrying(sleep=self.sleep, **self._retry_args(deadline, pacer))(attempt)
        except Exception as exc:
            final = _final_error(exc, log_, deadline)
            if final is exc:
                raise
            raise final from exc


def _final_error(exc: Exception, log_: AttemptLog, deadline: Deadline) -> Exception:
    if isinstance(exc, RunAborted):
        exc.attempts = log_  # what the article spent before the gate closed
        return exc
    if isinstance(exc, _DeadlineReached):
        return DeadlineExceeded(f"per-article deadline of {deadline.seconds:g}s reached", attempts=log_)
    if isinstance(exc, openai.APIError):
        return to_project_error(exc, log_, deadline)
    if isinstance(exc, json.JSONDecodeError | MalformedResponse):
        return TransportError(
            f"unreadable response body after {log_.http_attempts} attempt(s): {exc}", attempts=log_
        )
    return exc


class _DeadlineReached(Exception):
    pass


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.warning(
        "model request failed (%s); retry %d in %.2fs",
        describe(exc) if exc else "?",
        state.attempt_number,
        state.upcoming_sleep or 0.0,
    )


def describe(exc: BaseException) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection error"
    if isinstance(exc, json.JSONDecodeError | MalformedResponse):
        return "unreadable response body"
    return type(exc).__name__


def _error_message(exc: openai.APIError) -> str:
    """The provider's message, without any key it echoes back (``redaction``)."""
    body: Any = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return redact(str(inner["message"]))
    return redact(exc.message)


def to_project_error(exc: openai.APIError, log_: AttemptLog, deadline: Deadline) -> SummarizerError:
    """Map a final SDK error to the project's exception tree."""
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _error_message(exc)
        if status in CONFIG_STATUS:
            what = CONFIG_STATUS[status]
            if status == 404:
                what = "the model or endpoint was not found (check --model and --base-url)"
            return ProviderConfigError(f"HTTP {status}: {what}: {detail}", status=status, attempts=log_)
        if status in RETRYABLE_STATUS or status >= 500:
            hint = ""
            if status == 500:
                hint = (
                    " (a 500 on every try can be a misconfiguration: llama-cpp-python's server "
                    "answers json_schema requests with 500; try --mode json)"
                )
            return TransportError(
                f"HTTP {status} after {log_.http_attempts} attempt(s): {detail}{hint}",
                status=status,
                attempts=log_,
            )
        return BadRequestError(f"HTTP {status}, not retried: {detail}", status=status, attempts=log_)
    if deadline.remaining() <= 0:
        return DeadlineExceeded(
            f"per-article deadline of {deadline.seconds:g}s reached ({describe(exc)})", attempts=log_
        )
    return TransportError(
        f"{describe(exc)} after {log_.http_attempts} attempt(s): {_error_message(exc)}", attempts=log_
    )


def worst_case_requests(attempts: int, reasks: int) -> int:
    """Upper bound on HTTP requests for one article (before the deadline cuts in)."""
    return attempts * (reasks + 1)
