"""Transport retries and re-asks, counted in HTTP requests against the loopback simulator.

Each test runs the real client (openai SDK + instructor + our transport
policy) against ``summarizer.simulator`` with a scripted sequence of
outcomes, and checks how many requests were sent. Sleeps are recorded, not
slept, so Retry-After handling is checked without waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from summarizer.article import Article
from summarizer.errors import (
    BadRequestError,
    DeadlineExceeded,
    OutputInvalidError,
    ProviderConfigError,
    TransportError,
)
from summarizer.llm import LLMAnswer, LLMClient, LLMConfig, worst_case_requests
from summarizer.prompts import load as load_prompt
from summarizer.settings import Settings
from summarizer.simulator import SimConfig, Simulator, start

TEXT = (
    "Night ferry starts service\n\n"
    "A night ferry between Orvik and the outer islands began service on Friday, the harbour office said.\n\n"
    "The service runs three nights a week for a trial period of six months. Harbour director Elin Berg "
    "said a decision on whether to keep it would depend on passenger numbers.\n\n"
    "Ticket prices have not yet been published for the winter season."
)
ARTICLE = Article(source="ferry.txt", index=0, title="Night ferry starts service", text=TEXT)
ATTEMPTS, REASKS = 4, 2


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def config_for(sim: Simulator, **over: float) -> LLMConfig:
    settings = Settings(
        model="sim-1",
        base_url=sim.base_url,
        transport_attempts=ATTEMPTS,
        reasks=REASKS,
        timeout=float(over.get("timeout", 5.0)),
        deadline=float(over.get("deadline", 30.0)),
        backoff_base=0.01,
    )
    return LLMConfig.from_settings(settings)


def summarize(sim: Simulator, sleeps: Sleeps, **over: float) -> LLMAnswer:
    """One article through a fresh client (its own event loop), sleeps recorded, not slept."""

    async def go() -> LLMAnswer:
        client = LLMClient(config_for(sim, **over), sleep=sleeps)
        try:
            return await client.summarize(ARTICLE, load_prompt())
        finally:
            await client.close()

    return asyncio.run(go())


@pytest.fixture
def sim_factory() -> Iterator[list[Simulator]]:
    running: list[Simulator] = []
    yield running
    for sim in running:
        sim.close()


def simulator(running: list[Simulator], *script: str, **config: float) -> Simulator:
    sim = start(SimConfig(script=script, **config))  # type: ignore[arg-type]
    running.append(sim)
    return sim


def chat_requests(sim: Simulator) -> int:
    return sum(1 for r in sim.requests if r.path.endswith("/chat/completions"))


def test_429_honours_retry_after_then_succeeds(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, "429", "ok")
    answer = summarize(sim, sleeps)
    assert answer.attempts.http_attempts == 2 == chat_requests(sim)
    assert answer.attempts.model_attempts == 1
    # the simulator's retry-after-ms: 50, not the backoff
    assert len(sleeps) == 1 and sleeps[0] == pytest.approx(0.05)


def test_500_then_success(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, "500", "ok")
    answer = summarize(sim, sleeps)
    assert answer.attempts.http_attempts == 2 == chat_requests(sim)
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 0.02  # jittered exponential backoff, first step


def test_persistent_503_stops_after_the_attempt_budget(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, *["503"] * 10)
    with pytest.raises(TransportError) as info:
        summarize(sim, sleeps)
    assert info.value.status == 503
    assert info.value.attempts.http_attempts == ATTEMPTS == chat_requests(sim)
    assert len(sleeps) == ATTEMPTS - 1


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("400", BadRequestError),
        ("401", ProviderConfigError),
        ("403", ProviderConfigError),
        ("404", ProviderConfigError),
    ],
)
def test_client_errors_are_never_retried(
    sim_factory: list[Simulator], sleeps: Sleeps, fault: str, error: type[Exception]
) -> None:
    sim = simulator(sim_factory, fault, "ok")
    with pytest.raises(error):
        summarize(sim, sleeps)
    assert chat_requests(sim) == 1
    assert sleeps == []


def test_timeout_is_retried_within_the_deadline(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, *["hang"] * 10, hang_seconds=3.0)
    with pytest.raises((DeadlineExceeded, TransportError)) as info:
        summarize(sim, sleeps, timeout=0.3, deadline=0.8)
    # each try gets min(timeout, time left); the deadline, not the attempt budget, ends it
    assert isinstance(info.value, DeadlineExceeded)
    assert 2 <= info.value.attempts.http_attempts <= 3


def test_cut_off_body_is_a_transport_retry_not_a_reask(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, "truncated", "nonjson", "ok")
    answer = summarize(sim, sleeps)
    assert answer.attempts.http_attempts == 3
    assert answer.attempts.model_attempts == 1  # no re-ask was spent on broken transport


def test_schema_violations_are_reasked_up_to_the_bound(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, *["schema"] * 10)
    with pytest.raises(OutputInvalidError) as info:
        summarize(sim, sleeps)
    assert info.value.attempts.model_attempts == REASKS + 1 == chat_requests(sim)


def test_length_cut_answer_is_reported_not_retried(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, "length", "ok")
    with pytest.raises(OutputInvalidError, match="finish_reason=length"):
        summarize(sim, sleeps)
    assert chat_requests(sim) == 1


def test_worst_case_request_count_is_attempts_times_answers(
    sim_factory: list[Simulator], sleeps: Sleeps
) -> None:
    # every answer is invalid and each one is preceded by transient failures
    script = (["503"] * (ATTEMPTS - 1) + ["invented_quote"]) * (REASKS + 1) + ["ok"]
    sim = simulator(sim_factory, *script)
    with pytest.raises(OutputInvalidError) as info:
        summarize(sim, sleeps)
    bound = worst_case_requests(ATTEMPTS, REASKS)
    assert bound == 12
    assert info.value.attempts.http_attempts == bound == chat_requests(sim)
    assert info.value.attempts.model_attempts == REASKS + 1
    assert "quote not found" in info.value.message


def test_usage_is_summed_over_reasks(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, "invented_quote", "ok")
    answer = summarize(sim, sleeps)
    billed = [r.usage for r in sim.requests if r.usage is not None]
    assert len(billed) == 2
    assert answer.attempts.usage.prompt_tokens == sum(u["prompt_tokens"] for u in billed)
    assert answer.attempts.usage.completion_tokens == sum(u["completion_tokens"] for u in billed)


@pytest.mark.parametrize("value", ["nan", "inf", "-5"])
def test_a_retry_after_that_is_not_a_finite_wait_falls_back_to_backoff(
    sim_factory: list[Simulator], sleeps: Sleeps, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    from summarizer.simulator import limits

    monkeypatch.setattr(limits, "retry_headers", lambda wait: {"retry-after-ms": value, "retry-after": value})
    sim = simulator(sim_factory, "429", "ok")
    answer = summarize(sim, sleeps)
    assert answer.attempts.http_attempts == 2 == chat_requests(sim)
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 0.02  # jittered backoff, not NaN or forever


def test_persistent_429s_with_a_nan_retry_after_are_a_provider_failure_not_invalid_output(
    sim_factory: list[Simulator], sleeps: Sleeps, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarizer.simulator import limits

    monkeypatch.setattr(limits, "retry_headers", lambda wait: {"retry-after-ms": "nan"})
    sim = simulator(sim_factory, *["429"] * 10)
    with pytest.raises(TransportError) as info:
        summarize(sim, sleeps)
    assert info.value.exit_code == 4 and info.value.status == 429
    assert info.value.attempts.http_attempts == ATTEMPTS == chat_requests(sim)


def test_an_unexpected_cause_is_a_provider_error_never_invalid_output() -> None:
    from instructor.core import InstructorRetryException

    from summarizer.attempts import AttemptLog
    from summarizer.errors import ProviderError
    from summarizer.llm.client import translate

    try:
        raise InstructorRetryException("boom", n_attempts=1, total_usage=0) from ValueError(
            "Invalid value NaN"
        )
    except InstructorRetryException as exc:
        error = translate(exc, AttemptLog(http_attempts=1), "a.txt", REASKS)
    assert type(error) is ProviderError and error.exit_code == 4
    assert "ValueError: Invalid value NaN" in error.message and "invalid" not in error.message.split("(")[0]
    assert error.source == "a.txt" and error.attempts.http_attempts == 1


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class _ClockPacer:
    """A rate limiter whose wait moves a fake clock instead of sleeping."""

    def __init__(self, clock: _Clock, wait: float) -> None:
        self.clock, self.wait = clock, wait

    async def acquire(self, tokens: int = 0) -> None:
        self.clock.now += self.wait

    def observe_headers(self, headers: object) -> None:
        pass

    def retried(self) -> None:
        pass

    def pause(self, seconds: float) -> None:
        pass


def test_a_try_that_waited_to_be_let_in_gets_no_more_time_than_the_deadline_has_left() -> None:
    import httpx2

    from summarizer.attempts import AttemptLog
    from summarizer.llm.transport import EVENT_HOOKS, Deadline, TransportPolicy

    clock = _Clock()
    deadline = Deadline(1.5, clock=clock)
    deadline.start()
    clock.now = 1.0  # a retry: 0.5 s of the article's deadline left when the try is made
    seen: list[dict[str, float]] = []

    def answer(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.extensions["timeout"])
        return httpx2.Response(200, json={})

    async def go() -> AttemptLog:
        log = AttemptLog()
        transport = httpx2.MockTransport(answer)
        async with httpx2.AsyncClient(transport=transport, event_hooks=EVENT_HOOKS) as client:
            policy = TransportPolicy(attempts=1, backoff_base=0.01, backoff_cap=0.1, request_timeout=10)
            await policy.call(
                lambda timeout: client.post("http://127.0.0.1:9/x", timeout=timeout),
                deadline=deadline,
                log_=log,
                read=lambda response: response,
                pacer=_ClockPacer(clock, 0.3),  # the limiter held it 0.3 s
            )
        return log

    log = asyncio.run(go())
    assert log.http_attempts == 1
    # Set from the 0.5 s left when the try began, then cut to what was left when it went out.
    assert seen[0] == pytest.approx({"connect": 0.2, "read": 0.2, "write": 0.2, "pool": 0.2})


def test_a_try_begun_after_the_deadline_is_not_sent_or_counted() -> None:
    from summarizer.attempts import AttemptLog
    from summarizer.errors import DeadlineExceeded
    from summarizer.llm.transport import Deadline, TransportPolicy

    clock = _Clock()
    deadline = Deadline(1.0, clock=clock)
    deadline.start()
    clock.now = 2.0
    sent: list[float] = []

    async def send(timeout: float) -> None:
        sent.append(timeout)

    log = AttemptLog()
    policy = TransportPolicy(attempts=3, backoff_base=0.01, backoff_cap=0.1, request_timeout=5)
    with pytest.raises(DeadlineExceeded):
        asyncio.run(policy.call(send, deadline=deadline, log_=log, read=lambda x: x))
    assert sent == [] and log.http_attempts == 0
