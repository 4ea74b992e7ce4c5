"""The one place that talks to a model: openai SDK + instructor.

``LLMClient.summarize`` renders the prompt, sends it through the transport
retry owner (``transport.TransportPolicy``), lets instructor validate the
answer against ``ArticleSummary`` with the article as grounding context and
re-ask on invalid output, and returns the summary with an ``AttemptLog``
(HTTP requests, model answers, usage summed over every answer, re-asks
included). Everything that goes wrong leaves as a ``SummarizerError``.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from summarizer.article import Article
from summarizer.errors import AttemptLog, OutputInvalidError, SummarizerError
from summarizer.grounding import Source
from summarizer.llm.transport import Deadline, MalformedResponse, TransportPolicy
from summarizer.prompts import PromptTemplate
from summarizer.schema import ArticleSummary, grounding_scope

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "md_json": instructor.Mode.MD_JSON,
}


REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")


@dataclass(frozen=True)
class LLMConfig:
    model: str
    mode: str = "tools"
    base_url: str | None = None
    api_key: str | None = None
    timeout: float = 60.0
    deadline: float = 180.0
    transport_attempts: int = 4
    reasks: int = 2
    max_output_tokens: int = 4096
    backoff_base: float = 0.5
    backoff_cap: float = 20.0

    @property
    def endpoint_host(self) -> str:
        return urlsplit(self.base_url).netloc if self.base_url else "api.openai.com"


@dataclass
class LLMAnswer:
    summary: ArticleSummary
    attempts: AttemptLog


class LLMClient:
    """A configured model endpoint. Reuse one instance: it holds the HTTP connection pool."""

    def __init__(self, config: LLMConfig, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = config
        self._sdk = openai.OpenAI(**sdk_args(config))
        self._policy = make_policy(config, sleep=sleep)

    def close(self) -> None:
        self._sdk.close()

    def summarize(self, article: Article, prompt: PromptTemplate) -> LLMAnswer:
        messages = prompt.render(article.text).as_openai()
        summary, attempts = self.ask(
            ArticleSummary, messages, grounding_scope(Source(article.text)), label=article.label
        )
        return LLMAnswer(summary=summary, attempts=attempts)

    def ask(
        self,
        response_model: type[M],
        messages: list[dict[str, str]],
        scope: AbstractContextManager[None],
        *,
        label: str,
    ) -> tuple[M, AttemptLog]:
        """One validated structured answer; ``scope`` activates the grounding sources."""
        attempts = AttemptLog()
        deadline = Deadline(self.config.deadline)
        create = instructor.patch(create=self._sender(deadline, attempts), mode=MODES[self.config.mode])
        try:
            # No `context=` for instructor: given one, it renders every message as a Jinja
            # template, and article text must never be template source. The grounding
            # sources are made active for the validators with a scope instead.
            with scope:
                answer = create(**request_args(self.config, response_model, messages))
        except (InstructorRetryException, IncompleteOutputException) as exc:
            raise translate(exc, attempts, label, self.config.reasks) from None
        return checked(answer, response_model, label), attempts

    def _sender(self, deadline: Deadline, attempts: AttemptLog) -> Callable[..., Any]:
        """The function instructor calls once per model answer (first ask and re-asks)."""

        def send(**kwargs: Any) -> Any:
            def one_request(timeout: float) -> Any:
                completion = self._sdk.chat.completions.create(**kwargs, timeout=timeout)
                if not isinstance(completion, ChatCompletion):
                    raise MalformedResponse(f"expected a chat completion, got {type(completion).__name__}")
                return completion

            completion = self._policy.call(one_request, deadline=deadline, log_=attempts)
            attempts.model_attempts += 1
            add_usage(attempts, completion)
            return completion

        return send


def sdk_args(config: LLMConfig) -> dict[str, Any]:
    """Arguments for ``openai.OpenAI`` / ``AsyncOpenAI``, after checking the mode."""
    if config.mode not in MODES:
        raise SummarizerError(f"unknown mode {config.mode!r}; choose one of {', '.join(MODES)}")
    return {
        "api_key": config.api_key or "no-key-needed",  # local servers ignore it; the SDK insists
        "base_url": config.base_url,
        "max_retries": 0,  # the transport policy owns retries
        "timeout": config.timeout,
    }


def make_policy(config: LLMConfig, **sleepers: Any) -> TransportPolicy:
    return TransportPolicy(
        attempts=config.transport_attempts,
        backoff_base=config.backoff_base,
        backoff_cap=config.backoff_cap,
        request_timeout=config.timeout,
        **sleepers,
    )


def request_args(
    config: LLMConfig, response_model: type[BaseModel], messages: list[dict[str, str]]
) -> dict[str, Any]:
    """Keyword arguments for instructor's patched create (sync or async).

    OpenAI's reasoning models (o-series, gpt-5) refuse ``max_tokens`` and any
    temperature but the default; they get ``max_completion_tokens`` instead.
    Other servers keep ``max_tokens``, which every OpenAI-compatible server knows.
    """
    args: dict[str, Any] = {
        "response_model": prepared(response_model),
        "messages": messages,
        "model": config.model,
        "max_retries": config.reasks,
    }
    if config.base_url is None and config.model.startswith(REASONING_PREFIXES):
        args["max_completion_tokens"] = config.max_output_tokens
    else:
        args["max_tokens"] = config.max_output_tokens
        args["temperature"] = 0
    return args


@functools.cache
def prepared(response_model: type[M]) -> type[M]:
    """The response model wrapped for instructor once: given the bare class, instructor 1.17
    builds a new subclass, and so a new JSON schema, on every request (about a third of its
    CPU per call at zero latency; see bench/README.md)."""
    return cast(type[M], instructor.openai_schema(response_model))


def checked(answer: object, response_model: type[M], label: str) -> M:
    if not isinstance(answer, response_model):  # pragma: no cover - instructor contract
        raise OutputInvalidError(f"model answer did not parse as {response_model.__name__}", source=label)
    return answer


def translate(exc: Exception, attempts: AttemptLog, label: str, reasks: int) -> SummarizerError:
    """An instructor exception as the project error a user should see."""
    if isinstance(exc, IncompleteOutputException):
        return OutputInvalidError(
            "the model's answer was cut off (finish_reason=length); "
            "raise SUMMARIZER_MAX_OUTPUT_TOKENS or use a model with a larger output limit",
            attempts=attempts,
            source=label,
        )
    cause = exc.__cause__
    if isinstance(cause, SummarizerError):
        cause.source = label
        return cause
    return OutputInvalidError(
        f"model output still invalid after {attempts.model_attempts} answer(s) "
        f"({reasks} re-ask(s)): {_validation_problems(cause)}",
        attempts=attempts,
        source=label,
    )


def add_usage(attempts: AttemptLog, completion: Any) -> None:
    usage = getattr(completion, "usage", None)
    if usage is None:
        return
    attempts.usage.prompt_tokens += usage.prompt_tokens or 0
    attempts.usage.completion_tokens += usage.completion_tokens or 0
    details = getattr(usage, "prompt_tokens_details", None)
    attempts.usage.cached_tokens += (getattr(details, "cached_tokens", 0) or 0) if details else 0


def _validation_problems(cause: BaseException | None, limit: int = 5) -> str:
    if isinstance(cause, ValidationError):
        msgs = [str(err.get("msg", "")).removeprefix("Value error, ") for err in cause.errors()]
        head = "; ".join(msgs[:limit])
        more = f" (+{len(msgs) - limit} more)" if len(msgs) > limit else ""
        return head + more
    return str(cause) if cause else "unknown validation error"
