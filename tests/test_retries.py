"""Transport retries and re-asks, counted in HTTP requests against the loopback simulator.

Each test runs the real client (openai SDK + instructor + our transport
policy) against ``summarizer.simulator`` with a scripted sequence of
outcomes, and checks how many requests were sent. Sleeps are recorded, not
slept, so Retry-After handling is checked without waiting.
"""

from __future__ import annotations

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
from summarizer.llm import LLMClient, LLMConfig, worst_case_requests
from summarizer.prompts import load as load_prompt
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
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def client_for(sim: Simulator, sleeps: Sleeps, **over: float) -> LLMClient:
    config = LLMConfig(
        model="sim-1",
        base_url=sim.base_url,
        transport_attempts=ATTEMPTS,
        reasks=REASKS,
        timeout=float(over.get("timeout", 5.0)),
        deadline=float(over.get("deadline", 30.0)),
        backoff_base=0.01,
    )
    return LLMClient(config, sleep=sleeps)


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
    answer = client_for(sim, sleeps).summarize(ARTICLE, load_prompt())
    assert answer.attempts.http_attempts == 2 == chat_requests(sim)
    assert answer.attempts.model_attempts == 1
    assert sleeps == [pytest.approx(0.05)]  # the simulator's retry-after-ms: 50, not the backoff


def test_500_then_success(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, "500", "ok")
    answer = client_for(sim, sleeps).summarize(ARTICLE, load_prompt())
    assert answer.attempts.http_attempts == 2 == chat_requests(sim)
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 0.02  # jittered exponential backoff, first step


def test_persistent_503_stops_after_the_attempt_budget(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, *["503"] * 10)
    with pytest.raises(TransportError) as info:
        client_for(sim, sleeps).summarize(ARTICLE, load_prompt())
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
        client_for(sim, sleeps).summarize(ARTICLE, load_prompt())
    assert chat_requests(sim) == 1
    assert sleeps == []


def test_timeout_is_retried_within_the_deadline(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, *["hang"] * 10, hang_seconds=3.0)
    with pytest.raises((DeadlineExceeded, TransportError)) as info:
        client_for(sim, sleeps, timeout=0.3, deadline=0.8).summarize(ARTICLE, load_prompt())
    # each try gets min(timeout, time left); the deadline, not the attempt budget, ends it
    assert isinstance(info.value, DeadlineExceeded)
    assert 2 <= info.value.attempts.http_attempts <= 3


def test_cut_off_body_is_a_transport_retry_not_a_reask(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, "truncated", "nonjson", "ok")
    answer = client_for(sim, sleeps).summarize(ARTICLE, load_prompt())
    assert answer.attempts.http_attempts == 3
    assert answer.attempts.model_attempts == 1  # no re-ask was spent on broken transport


def test_schema_violations_are_reasked_up_to_the_bound(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, *["schema"] * 10)
    with pytest.raises(OutputInvalidError) as info:
        client_for(sim, sleeps).summarize(ARTICLE, load_prompt())
    assert info.value.attempts.model_attempts == REASKS + 1 == chat_requests(sim)


def test_length_cut_answer_is_reported_not_retried(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, "length", "ok")
    with pytest.raises(OutputInvalidError, match="finish_reason=length"):
        client_for(sim, sleeps).summarize(ARTICLE, load_prompt())
    assert chat_requests(sim) == 1


def test_worst_case_request_count_is_attempts_times_answers(
    sim_factory: list[Simulator], sleeps: Sleeps
) -> None:
    # every answer is invalid and each one is preceded by transient failures
    script = (["503"] * (ATTEMPTS - 1) + ["invented_quote"]) * (REASKS + 1) + ["ok"]
    sim = simulator(sim_factory, *script)
    with pytest.raises(OutputInvalidError) as info:
        client_for(sim, sleeps).summarize(ARTICLE, load_prompt())
    bound = worst_case_requests(ATTEMPTS, REASKS)
    assert bound == 12
    assert info.value.attempts.http_attempts == bound == chat_requests(sim)
    assert info.value.attempts.model_attempts == REASKS + 1
    assert "quote not found" in info.value.message


def test_usage_is_summed_over_reasks(sim_factory: list[Simulator], sleeps: Sleeps) -> None:
    sim = simulator(sim_factory, "invented_quote", "ok")
    answer = client_for(sim, sleeps).summarize(ARTICLE, load_prompt())
    billed = [r.usage for r in sim.requests if r.usage is not None]
    assert len(billed) == 2
    assert answer.attempts.usage.prompt_tokens == sum(u["prompt_tokens"] for u in billed)
    assert answer.attempts.usage.completion_tokens == sum(u["completion_tokens"] for u in billed)
