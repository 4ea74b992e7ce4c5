"""The loopback OpenAI simulator, driven by the real openai SDK and instructor.

Everything runs against 127.0.0.1 with short client timeouts. Rate-limit
tests move an injected clock instead of waiting a minute.
"""

from __future__ import annotations

import _thread
import io
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import instructor
import openai
import pytest
from instructor.core import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletionMessageFunctionToolCall

from summarizer import prompts, scope, tokens
from summarizer.grounding import Source
from summarizer.schema import ArticleSummary
from summarizer.simulator import SimConfig, Simulator, limits, serve_forever, start
from summarizer.simulator.faults import INVENTED_QUOTE
from summarizer.simulator.server import Engine

KEY = "sk-test-not-a-key"
ARTICLE = (
    "Harbour workers strike over pay\n\n"
    "About 400 workers at the Orvik harbour stopped work on Monday after pay talks collapsed.\n\n"
    "The union said the strike would continue until the port authority made a new offer.\n\n"
    "A spokesperson for the port authority declined to comment on the talks.\n\n"
    "Ferries to the outer islands were cancelled for the rest of the week."
)


def grounded_brain(text: str) -> dict[str, Any]:
    """A stand-in model: quotes whole sentences of the article, so the summary is grounded."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) >= 20]
    return {
        "headline": "Harbour workers strike",
        "gist": "Workers stopped work after pay talks failed.",
        "summary": "A strike halted the harbour. Ferries were cancelled.",
        "key_points": [
            {"point": f"Fact {n}.", "evidence": [{"quote": sentence}]}
            for n, sentence in enumerate(sentences[:3])
        ],
        "entities": [],
        "statements": [],
        "dates": [],
        "open_questions": [],
    }


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def messages() -> Any:
    return prompts.load().render(ARTICLE).as_openai()


@pytest.fixture
def context() -> dict[str, Any]:
    return scope.context(Source(ARTICLE))


@pytest.fixture
def sim_factory() -> Iterator[Callable[..., Simulator]]:
    running: list[Simulator] = []

    def make(clock: FakeClock | None = None, **config: Any) -> Simulator:
        sim = start(SimConfig(**config), grounded_brain, clock=clock)
        running.append(sim)
        return sim

    yield make
    for sim in running:
        sim.close()


def client(sim: Simulator, timeout: float = 5.0) -> openai.OpenAI:
    return openai.OpenAI(base_url=sim.base_url, api_key=KEY, max_retries=0, timeout=timeout)


def summary_tool() -> Any:
    return [
        {
            "type": "function",
            "function": {"name": "ArticleSummary", "parameters": ArticleSummary.model_json_schema()},
        }
    ]


def raw(
    sim: Simulator, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request with the standard library, no SDK in between."""
    sent = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json", **(headers or {})}
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(sim.base_url.removesuffix("/v1") + path, data, sent, method=method)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


# --- configuration ---------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", ""])
def test_refuses_non_loopback_hosts(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        SimConfig(host=host)


@pytest.mark.parametrize(
    "bad",
    [{"script": ("ok", "explode")}, {"faults": ("502",)}, {"fault_rate": 1.5}, {"latency": -1.0}, {"rpm": 0}],
)
def test_rejects_bad_settings(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        SimConfig(**bad)


def test_localhost_binds_to_loopback(sim_factory: Callable[..., Simulator]) -> None:
    sim = sim_factory(host="localhost")
    assert sim.base_url.startswith("http://127.0.0.1:")


# --- the happy path through the SDK and instructor ---------------------------------------------------


def test_models_list_and_retrieve(sim_factory: Callable[..., Simulator]) -> None:
    sim = sim_factory(model="sim-7")
    api = client(sim)
    assert [m.id for m in api.models.list()] == ["sim-7"]
    assert api.models.retrieve("sim-7").id == "sim-7"
    with pytest.raises(openai.NotFoundError):
        api.models.retrieve("gpt-nothing")


def test_tool_call_is_a_grounded_summary(
    sim_factory: Callable[..., Simulator], messages: Any, context: dict[str, Any]
) -> None:
    sim = sim_factory()
    completion = client(sim).chat.completions.create(
        model="sim-1",
        messages=messages,
        tools=summary_tool(),
        tool_choice={"type": "function", "function": {"name": "ArticleSummary"}},
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.tool_calls is not None
    call = choice.message.tool_calls[0]
    assert isinstance(call, ChatCompletionMessageFunctionToolCall)
    assert call.function.name == "ArticleSummary"
    summary = ArticleSummary.model_validate_json(call.function.arguments, context=context)
    assert all(e.start is not None for e in summary.all_evidence())
    assert completion.object == "chat.completion" and completion.model == "sim-1"
    assert completion.id.startswith("chatcmpl-") and completion.created > 0 and completion.system_fingerprint
    usage = completion.usage
    assert usage is not None and usage.prompt_tokens_details is not None
    assert usage.prompt_tokens > tokens.count_messages(messages)  # the tool schema is billed too
    assert usage.completion_tokens == tokens.count(call.function.arguments)
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    assert usage.prompt_tokens_details.cached_tokens == 0
    assert sim.requests[-1].usage == usage.model_dump(exclude_none=True)


def test_plain_request_bills_messages_and_answers_in_a_json_block(
    sim_factory: Callable[..., Simulator], messages: Any
) -> None:
    completion = client(sim_factory()).chat.completions.create(model="sim-1", messages=messages)
    assert completion.usage is not None
    assert completion.usage.prompt_tokens == tokens.count_messages(messages)
    content = completion.choices[0].message.content or ""
    assert content.startswith("```json\n") and content.endswith("\n```")
    assert completion.choices[0].finish_reason == "stop"


@pytest.mark.parametrize(
    "mode",
    [instructor.Mode.TOOLS, instructor.Mode.JSON, instructor.Mode.JSON_SCHEMA, instructor.Mode.MD_JSON],
)
def test_instructor_modes_succeed(
    sim_factory: Callable[..., Simulator],
    messages: Any,
    context: dict[str, Any],
    mode: instructor.Mode,
) -> None:
    sim = sim_factory()
    result = instructor.from_openai(client(sim), mode=mode).chat.completions.create(
        model="sim-1", response_model=ArticleSummary, messages=messages, context=context, max_retries=2
    )
    assert result.key_points[0].evidence[0].start is not None
    assert len(sim.requests) == 1


@pytest.mark.parametrize("mode", [instructor.Mode.TOOLS, instructor.Mode.JSON])
def test_invented_quote_is_reasked_and_usage_is_summed(
    sim_factory: Callable[..., Simulator],
    messages: Any,
    context: dict[str, Any],
    mode: instructor.Mode,
) -> None:
    sim = sim_factory(script=("invented_quote", "ok"))
    result, completion = instructor.from_openai(
        client(sim), mode=mode
    ).chat.completions.create_with_completion(
        model="sim-1", response_model=ArticleSummary, messages=messages, context=context, max_retries=2
    )
    assert INVENTED_QUOTE not in {e.quote for e in result.all_evidence()}
    first, second = sim.requests
    assert (first.fault, second.fault) == ("invented_quote", None)
    reask = second.body["messages"]
    assert [m["role"] for m in reask[-2:]] == [
        "assistant",
        "tool" if mode is instructor.Mode.TOOLS else "user",
    ]
    assert "quote not found in the article" in reask[-1]["content"]
    assert first.usage is not None and second.usage is not None
    # The same system prompt and schema again: the second request reads the prefix from the cache.
    assert first.usage["prompt_tokens_details"]["cached_tokens"] == 0
    assert second.usage["prompt_tokens_details"]["cached_tokens"] >= limits.CACHE_MIN_TOKENS
    # instructor sums usage over the attempts into the final completion's usage (and _total_usage).
    private: Any = result
    assert private._raw_response is completion
    for usage in (completion.usage, private._total_usage):
        assert usage.prompt_tokens == first.usage["prompt_tokens"] + second.usage["prompt_tokens"]
        assert usage.completion_tokens == first.usage["completion_tokens"] + second.usage["completion_tokens"]
        assert (
            usage.prompt_tokens_details.cached_tokens
            == second.usage["prompt_tokens_details"]["cached_tokens"]
        )


def test_prompt_cache_needs_a_long_prefix_seen_before(
    sim_factory: Callable[..., Simulator], messages: Any
) -> None:
    sim = sim_factory()
    api = client(sim)

    def cached(msgs: Any, **extra: Any) -> tuple[int, int]:
        usage = api.chat.completions.create(model="sim-1", messages=msgs, **extra).usage
        assert usage is not None and usage.prompt_tokens_details is not None
        return usage.prompt_tokens_details.cached_tokens or 0, usage.prompt_tokens

    assert cached(messages, tools=summary_tool())[0] == 0
    other = prompts.load().render(ARTICLE.replace("400", "500")).as_openai()
    hit, prompt = cached(other, tools=summary_tool())  # another article, same system prompt and tools
    assert hit >= 1024 and hit % 128 == 0 and hit < prompt
    assert cached(messages)[0] == 0  # no tools: system prompt alone is under 1,024 tokens
    assert cached(messages)[0] == 0


def test_max_tokens_cuts_the_answer(sim_factory: Callable[..., Simulator], messages: Any) -> None:
    completion = client(sim_factory()).chat.completions.create(
        model="sim-1",
        messages=messages,
        tools=summary_tool(),
        max_tokens=10,
    )
    assert completion.choices[0].finish_reason == "length"
    assert completion.usage is not None and completion.usage.completion_tokens <= 10


# --- faults -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        ("429", openai.RateLimitError, 429),
        ("500", openai.InternalServerError, 500),
        ("503", openai.InternalServerError, 503),
        ("400", openai.BadRequestError, 400),
        ("401", openai.AuthenticationError, 401),
        ("403", openai.PermissionDeniedError, 403),
        ("404", openai.NotFoundError, 404),
    ],
)
def test_http_faults_raise_the_sdk_error(
    sim_factory: Callable[..., Simulator],
    messages: Any,
    fault: str,
    error: type[openai.APIStatusError],
    status: int,
) -> None:
    sim = sim_factory(script=(fault,))
    with pytest.raises(error) as caught:
        client(sim).chat.completions.create(model="sim-1", messages=messages)
    assert caught.value.status_code == status
    assert isinstance(caught.value.body, dict) and {"message", "type", "code"} <= caught.value.body.keys()
    if fault == "429":
        assert caught.value.response.headers["retry-after-ms"] == "50"
        assert caught.value.response.headers["retry-after"] == "1"
    if fault == "404":
        assert caught.value.code == "model_not_found"
    assert [(r.status, r.fault) for r in sim.requests] == [(status, fault)]


def test_hang_times_out_and_close_interrupts_it(sim_factory: Callable[..., Simulator], messages: Any) -> None:
    sim = sim_factory(script=("hang",), hang_seconds=2.0)
    with pytest.raises(openai.APITimeoutError):
        client(sim, timeout=0.3).chat.completions.create(model="sim-1", messages=messages)
    began = time.monotonic()
    sim.close()
    assert time.monotonic() - began < 1.5  # bounded, well under hang_seconds
    assert [(r.status, r.fault) for r in sim.requests] == [(0, "hang")]


def test_truncated_body_raises_json_decode_error(
    sim_factory: Callable[..., Simulator], messages: Any
) -> None:
    sim = sim_factory(script=("truncated",))
    with pytest.raises(json.JSONDecodeError):  # the SDK does not wrap it in an openai error
        client(sim).chat.completions.create(model="sim-1", messages=messages)


def test_nonjson_body_comes_back_as_text(
    sim_factory: Callable[..., Simulator], messages: Any, context: dict[str, Any]
) -> None:
    sim = sim_factory(script=("nonjson", "nonjson"))
    answer = client(sim).chat.completions.create(model="sim-1", messages=messages)
    assert isinstance(answer, str) and "<html>" in answer  # the SDK returns the text, it does not raise
    with pytest.raises(InstructorRetryException):  # instructor finds no choices in it
        instructor.from_openai(client(sim)).chat.completions.create(
            model="sim-1", response_model=ArticleSummary, messages=messages, context=context, max_retries=0
        )


def test_schema_fault_exhausts_instructor_retries(
    sim_factory: Callable[..., Simulator], messages: Any, context: dict[str, Any]
) -> None:
    sim = sim_factory(script=("schema",) * 3)
    with pytest.raises(InstructorRetryException) as caught:
        instructor.from_openai(client(sim)).chat.completions.create(
            model="sim-1", response_model=ArticleSummary, messages=messages, context=context, max_retries=2
        )
    assert caught.value.n_attempts == 3
    assert "Field required" in str(caught.value)
    assert [r.fault for r in sim.requests] == ["schema"] * 3


def test_length_fault_raises_incomplete_output(
    sim_factory: Callable[..., Simulator], messages: Any, context: dict[str, Any]
) -> None:
    sim = sim_factory(script=("length",))
    with pytest.raises(IncompleteOutputException):
        instructor.from_openai(client(sim)).chat.completions.create(
            model="sim-1", response_model=ArticleSummary, messages=messages, context=context, max_retries=2
        )
    assert len(sim.requests) == 1  # instructor does not re-ask a truncated answer


def test_request_without_data_block_is_a_bad_request(sim_factory: Callable[..., Simulator]) -> None:
    with pytest.raises(openai.BadRequestError, match="No article found"):
        client(sim_factory()).chat.completions.create(
            model="sim-1", messages=[{"role": "user", "content": "hi"}]
        )


def test_a_failing_brain_is_a_server_error(messages: Any) -> None:
    def broken(text: str) -> dict[str, Any]:
        raise RuntimeError("no summary today")

    with (
        start(SimConfig(), broken) as sim,
        pytest.raises(openai.InternalServerError, match="no summary today"),
    ):
        client(sim).chat.completions.create(model="sim-1", messages=messages)


def test_latency_is_added(sim_factory: Callable[..., Simulator], messages: Any) -> None:
    sim = sim_factory(latency=0.05, jitter=0.01)
    client(sim).chat.completions.create(model="sim-1", messages=messages)
    assert sim.requests[-1].latency >= 0.04


class RecordedWaits:
    """Stands in for the engine's stop event: records how long each wait would be, waits for none."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def wait(self, timeout: float) -> bool:
        self.waits.append(timeout)
        return False


def test_latency_is_counted_from_arrival_with_the_servers_own_work_inside_it(messages: Any) -> None:
    engine = Engine(SimConfig(latency=5.0), grounded_brain)
    waits = RecordedWaits()
    engine.stop = waits  # type: ignore[assignment]
    body = {"model": "sim-1", "messages": messages}
    now = time.monotonic()
    assert engine.chat(body, arrived=now).status == 200
    assert engine.chat(body, arrived=now - 4.0).status == 200  # four seconds already went on reading it
    assert engine.chat(body, arrived=now - 9.0).status == 200  # answered at once, never early
    fresh, late, overdue = waits.waits
    assert 4.0 < fresh <= 5.0 and 0.0 < late <= 1.0 and overdue == 0.0


def test_http_edges(sim_factory: Callable[..., Simulator]) -> None:
    sim = sim_factory()
    status, _, body = raw(sim, "GET", "/v1/models", headers={"Authorization": ""})
    assert status == 401 and b"API key" in body
    assert raw(sim, "POST", "/v1/completions", {"model": "sim-1"})[0] == 404
    assert raw(sim, "POST", "/v1/chat/completions", {"messages": []})[0] == 400
    status, _, body = raw(
        sim, "POST", "/v1/chat/completions", {"model": "sim-1", "messages": [], "stream": True}
    )
    assert status == 400 and json.loads(body)["error"]["type"] == "invalid_request_error"


def test_same_seed_same_outcomes(sim_factory: Callable[..., Simulator], messages: Any) -> None:
    def run(seed: int) -> list[tuple[int, str | None, Any]]:
        sim = sim_factory(seed=seed, fault_rate=0.5, faults=("500", "400", "schema", "invented_quote"))
        outcomes = []
        for _ in range(12):
            status, _, body = raw(
                sim, "POST", "/v1/chat/completions", {"model": "sim-1", "messages": messages}
            )
            answer = json.loads(body)
            answer.pop("created", None)
            outcomes.append((status, sim.requests[-1].fault, answer))
        return outcomes

    first = run(7)
    assert first == run(7)
    assert {fault for _, fault, _ in first} > {None}  # some faults were drawn, some answers were plain
    assert [f for _, f, _ in first] != [f for _, f, _ in run(8)]


# --- serving in the foreground ------------------------------------------------------------------------


def test_serve_forever_logs_one_line_per_request_and_stops_on_ctrl_c(messages: Any) -> None:
    log = io.StringIO()

    def drive() -> None:
        for _ in range(100):  # wait for the banner, at most 5 s
            found = re.search(r"http://127\.0\.0\.1:(\d+)/v1", log.getvalue())
            if found:
                break
            time.sleep(0.05)
        assert found
        url = f"http://127.0.0.1:{found.group(1)}/v1"
        api = openai.OpenAI(base_url=url, api_key=KEY, max_retries=0, timeout=5)
        api.chat.completions.create(model="sim-1", messages=messages)
        _thread.interrupt_main()

    helper = threading.Thread(target=drive, daemon=True)
    helper.start()
    serve_forever(SimConfig(), grounded_brain, log=log)
    helper.join(timeout=5)
    lines = log.getvalue().splitlines()
    assert re.fullmatch(r"POST /v1/chat/completions 200 \d+\.\d{3}s", lines[1])
    assert lines[-1] == "simulator stopped"
    assert "Orvik" not in log.getvalue()  # bodies are never logged


def test_default_brain_is_the_offline_engine(messages: Any, context: dict[str, Any]) -> None:
    offline = pytest.importorskip("summarizer.offline")
    if not hasattr(offline, "summarize_offline"):
        pytest.skip("summarizer.offline.summarize_offline is not written yet")
    with start(SimConfig()) as sim:
        result = instructor.from_openai(client(sim)).chat.completions.create(
            model="sim-1", response_model=ArticleSummary, messages=messages, context=context, max_retries=0
        )
    assert result.key_points
