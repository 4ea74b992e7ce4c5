"""The one place that talks to a model: openai SDK + instructor, async.

``LLMClient.ask`` sends a prompt through the transport retry owner
(``transport.TransportPolicy``), lets instructor validate the answer against
a response model with the grounding sources active (``summarizer.scope``)
and re-ask on invalid output, and returns the answer with an ``AttemptLog``
(HTTP requests, model answers, usage summed over every answer, re-asks
included). ``summarize`` is ``ask`` for one article. Everything that goes
wrong leaves as a ``SummarizerError``.

One instance serves every task of a run (it holds the connection pool):
every HTTP try, once the SDK has built its request, takes one of the run's
request slots (``Slots``: requests in flight) and waits for the shared rate
limiter (``Pacer``), through the HTTP client's hooks (``transport.EVENT_HOOKS``);
responses' ``x-ratelimit-*`` headers are fed back to it and a 429 pauses the
whole run. Sync callers go through ``summarizer.portal``; there is no second,
synchronous copy of this code.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import json
import logging
import ssl
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

import httpx2
import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.core.exceptions import AsyncValidationError, ResponseParsingError
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from summarizer import scope
from summarizer.article import Article
from summarizer.attempts import AttemptLog
from summarizer.errors import OutputInvalidError, ProviderError, SummarizerError
from summarizer.grounding import Source
from summarizer.llm import shims
from summarizer.llm.transport import (
    EVENT_HOOKS,
    Deadline,
    MalformedResponse,
    Pacer,
    Slots,
    TransportPolicy,
)
from summarizer.prompts import PromptTemplate
from summarizer.schema import ArticleSummary
from summarizer.settings import STRICT_MODES, EngineChoiceResult, Mode, Settings, choose_engine

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

MODES: dict[str, instructor.Mode] = {
    "tools_strict": instructor.Mode.TOOLS,  # plus `strict` and a strict schema (request_args)
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "md_json": instructor.Mode.MD_JSON,
}
"""Our mode names (``settings.Mode``) as instructor's modes."""

REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")

INVALID_OUTPUT = (ValidationError, json.JSONDecodeError, AsyncValidationError, ResponseParsingError)
"""What instructor re-asks: the model's answer did not parse or validate. Any other cause of an
instructor exception is a failure of the call, never 'invalid output'."""


@dataclass(frozen=True)
class LLMConfig:
    """One model endpoint: what ``Settings`` and the engine choice say about it.

    Built with ``from_settings``; the retry, timeout and token limits are read
    from ``settings``, their one home.
    """

    model: str
    mode: Mode
    base_url: str | None
    settings: Settings

    @classmethod
    def from_settings(cls, settings: Settings, choice: EngineChoiceResult | None = None) -> LLMConfig:
        choice = choice or choose_engine(settings)
        if choice.engine != "llm" or choice.model is None or choice.mode is None:
            raise SummarizerError("internal: an LLM configuration for a non-LLM engine choice")
        return cls(model=choice.model, mode=choice.mode, base_url=choice.base_url, settings=settings)

    @property
    def endpoint_host(self) -> str:
        return urlsplit(self.base_url).netloc if self.base_url else "api.openai.com"


@dataclass
class LLMAnswer:
    summary: ArticleSummary
    attempts: AttemptLog


@dataclass
class _Call:
    """One answer's request state, read by the sender instructor calls (first ask and re-asks)."""

    deadline: Deadline
    attempts: AttemptLog
    tokens: int


# instructor's patched create is built once per client; each call's state travels in the
# task's context (every caller is its own asyncio task), not in a per-call closure.
_CALL: ContextVar[_Call] = ContextVar("summarizer_llm_call")


class LLMClient:
    """A configured model endpoint. Share one instance across tasks: it holds the connection pool."""

    def __init__(
        self,
        config: LLMConfig,
        *,
        pacer: Pacer | None = None,
        slots: Slots | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.config = config
        self.pacer = pacer
        self.slots = slots
        self._sdk = openai.AsyncOpenAI(**sdk_args(config))
        self._policy = TransportPolicy.from_settings(config.settings, sleep=sleep)
        shims.install()
        self._create = instructor.patch(create=self._send, mode=MODES[config.mode])
        self._owner = True

    def with_slots(self, slots: Slots) -> LLMClient:
        """A view of this client whose requests take ``slots`` instead: same connection pool,
        policy and pacer (a service job gets its own cap on requests in flight, which its abort
        closes, without closing the service's). Closing the view closes nothing."""
        view = copy.copy(self)
        view.slots = slots
        view._create = instructor.patch(create=view._send, mode=MODES[self.config.mode])
        view._owner = False
        return view

    async def close(self) -> None:
        if self._owner:
            await self._sdk.close()

    async def summarize(self, article: Article, prompt: PromptTemplate, *, tokens: int = 0) -> LLMAnswer:
        """``tokens``: the request's estimated size, charged to the pacer's token budget."""
        messages = prompt.render(article.text).as_openai()
        summary, attempts = await self.ask(
            ArticleSummary, messages, Source(article.text), label=article.label, tokens=tokens
        )
        return LLMAnswer(summary=summary, attempts=attempts)

    async def ask(
        self,
        response_model: type[M],
        messages: list[dict[str, str]],
        sources: Source | Mapping[str, Source],
        *,
        label: str,
        tokens: int = 0,
    ) -> tuple[M, AttemptLog]:
        """One validated structured answer, its quotes checked against ``sources``."""
        call = _Call(Deadline(self.config.settings.deadline), AttemptLog(), tokens)
        active = _CALL.set(call)
        try:
            # No `context=` for instructor: given one, it renders every message as a Jinja
            # template, and article text must never be template source. The grounding
            # sources are made active for the validators with a scope instead.
            with scope.scope(sources):
                answer = await self._create(**request_args(self.config, response_model, messages))
        except (InstructorRetryException, IncompleteOutputException) as exc:
            raise translate(exc, call.attempts, label, self.config.settings.reasks) from None
        except SummarizerError as exc:
            exc.source = exc.source or label
            raise
        finally:
            _CALL.reset(active)
        return checked(answer, response_model, label), call.attempts

    async def _send(self, **kwargs: Any) -> Any:
        """What instructor calls once per model answer (first ask and re-asks)."""
        call = _CALL.get()
        kwargs = outgoing(self.config, kwargs)

        async def one_request(timeout: float) -> Any:
            # The SDK's own way to post a body as it is (its README: undocumented endpoints).
            # `chat.completions.create` would first walk the body against its typed parameters,
            # about 0.5 ms per request for the tool schema, and give back the same dict: the body
            # is plain JSON already, the same bytes a Batch API line carries (`outgoing`).
            return await self._sdk.post(
                "/chat/completions",
                body=kwargs,
                cast_to=ChatCompletion,
                options={"timeout": timeout, "security": {"bearer_auth": True}},  # as create's
            )

        completion = await self._policy.call(
            one_request,
            deadline=call.deadline,
            log_=call.attempts,
            read=_completion,
            pacer=self.pacer,
            slots=self.slots,
            tokens=call.tokens,
        )
        call.attempts.model_attempts += 1
        add_usage(call.attempts, completion)
        return completion


def outgoing(config: LLMConfig, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The request instructor shaped, as it is sent (online, and as a Batch API line)."""
    return strict_tools(kwargs) if config.mode in STRICT_MODES else kwargs


def strict_tools(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The request with its forced tool marked ``strict`` (its schema is already the strict one,
    ``prepared(strict=True)``); instructor's own ``strict`` is about validation, not the tool."""
    tools = [{**t, "function": {**t["function"], "strict": True}} for t in kwargs.get("tools", [])]
    return {**kwargs, "tools": tools}


def _completion(completion: Any) -> ChatCompletion:
    """The answer as a chat completion (a body that is not one is a transport failure: the SDK
    gives back the text of a 2xx answer that is not JSON, such as a proxy's HTML page)."""
    if not isinstance(completion, ChatCompletion):
        raise MalformedResponse(f"expected a chat completion, got {type(completion).__name__}")
    return completion


def sdk_args(config: LLMConfig) -> dict[str, Any]:
    """Arguments for ``openai.AsyncOpenAI``."""
    key = config.settings.api_key
    return {
        "api_key": key.get_secret_value() if key else "no-key-needed",  # local servers ignore it
        "base_url": config.base_url,
        "max_retries": 0,  # the transport policy owns retries
        "timeout": config.settings.timeout,
        # The hooks gate every try once its request is built (request slots, rate limiter).
        "http_client": openai.DefaultAsyncHttpxClient(verify=tls_context(), event_hooks=EVENT_HOOKS),
    }


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The HTTP library's own default TLS context (its CA bundle, ``SSL_CERT_FILE``/``SSL_CERT_DIR``
    honoured), made once per process: making one costs about 27 ms, and every client (each batch
    run, comparison, service job view) would otherwise make its own before its first request."""
    return httpx2.create_ssl_context()


def request_args(
    config: LLMConfig, response_model: type[BaseModel], messages: list[dict[str, str]]
) -> dict[str, Any]:
    """Keyword arguments for instructor's patched create.

    OpenAI's reasoning models (o-series, gpt-5) refuse ``max_tokens`` and any
    temperature but the default; they get ``max_completion_tokens`` instead.
    Other servers keep ``max_tokens``, which every OpenAI-compatible server knows.
    """
    limit = config.settings.max_output_tokens
    strict = config.mode in STRICT_MODES
    args: dict[str, Any] = {
        "response_model": prepared(response_model, strict=strict),
        "messages": messages,
        "model": config.model,
        "max_retries": config.settings.reasks,
    }
    if config.base_url is None and config.model.startswith(REASONING_PREFIXES):
        args["max_completion_tokens"] = limit
    else:
        args["max_tokens"] = limit
        args["temperature"] = 0
    return args


@functools.cache
def prepared(response_model: type[M], *, strict: bool = False) -> type[M]:
    """The response model wrapped for instructor once: given the bare class, instructor 1.17
    builds a new subclass, and so a new JSON schema, on every request (about a third of its
    CPU per call at zero latency; see bench/README.md).

    ``strict``: its tool schema is the one OpenAI's strict structured outputs accept, as the
    openai SDK's own ``pydantic_function_tool`` makes it (every object closed with
    ``additionalProperties: false``, every property required, optional ones nullable); the
    sender marks the tool ``strict`` (``strict_tools``). Validation is unchanged."""
    base = cast(type[M], instructor.openai_schema(response_model))
    if not strict:
        return base
    schema = strict_schema(response_model)

    class Strict(base):  # type: ignore[valid-type, misc]
        @classmethod
        def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
            return copy.deepcopy(schema)

    Strict.__name__ = Strict.__qualname__ = response_model.__name__
    return cast(type[M], Strict)


def strict_schema(response_model: type[BaseModel]) -> dict[str, Any]:
    """The strict form of ``response_model``'s JSON schema, as the SDK's ``pydantic_function_tool``
    makes it, titled and described as instructor's own."""
    tool = openai.pydantic_function_tool(response_model)["function"]
    return {
        **tool.get("parameters", {}),
        "title": response_model.__name__,
        "description": tool.get("description") or response_model.__doc__ or "",
    }


def checked(answer: object, response_model: type[M], label: str) -> M:
    if not isinstance(answer, response_model):  # pragma: no cover - instructor contract
        raise OutputInvalidError(f"model answer did not parse as {response_model.__name__}", source=label)
    return answer


def translate(exc: Exception, attempts: AttemptLog, label: str, reasks: int) -> SummarizerError:
    """An instructor exception as the project error a user should see.

    Only answers that did not parse or validate are "invalid output"; any other
    cause (a bug, a library failure) is a failed call, reported with its type.
    """
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
    if isinstance(cause, INVALID_OUTPUT):
        return OutputInvalidError(
            f"model output still invalid after {attempts.model_attempts} answer(s) "
            f"({reasks} re-ask(s)): {_validation_problems(cause)}",
            attempts=attempts,
            source=label,
        )
    what = f"{type(cause).__name__}: {cause}" if cause is not None else str(exc)
    log.debug("unexpected failure in the model call", exc_info=cause)
    return ProviderError(f"the model call failed unexpectedly ({what})", attempts=attempts, source=label)


def add_usage(attempts: AttemptLog, completion: Any) -> None:
    usage = getattr(completion, "usage", None)
    if usage is None:
        return
    attempts.usage.prompt_tokens += usage.prompt_tokens or 0
    attempts.usage.completion_tokens += usage.completion_tokens or 0
    details = getattr(usage, "prompt_tokens_details", None)
    attempts.usage.cached_tokens += (getattr(details, "cached_tokens", 0) or 0) if details else 0


def _validation_problems(cause: BaseException, limit: int = 5) -> str:
    if isinstance(cause, ValidationError):
        msgs = [str(err.get("msg", "")).removeprefix("Value error, ") for err in cause.errors()]
        head = "; ".join(msgs[:limit])
        more = f" (+{len(msgs) - limit} more)" if len(msgs) > limit else ""
        return head + more
    return str(cause)
