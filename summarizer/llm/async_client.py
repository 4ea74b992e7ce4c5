"""The async twin of ``LLMClient`` for batch runs: one shared client, a shared pacer.

Same prompt, validation, re-ask and error rules as ``client.LLMClient``; the
differences are that requests go through ``AsyncOpenAI``, every HTTP try
first takes one of the run's request slots (``Slots``: requests in flight) and
waits for the shared rate limiter (``Pacer``), every response's
``x-ratelimit-*`` headers are fed back to it, and a 429 pauses the whole run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion

from summarizer.article import Article
from summarizer.errors import AttemptLog
from summarizer.grounding import Source
from summarizer.llm.client import (
    MODES,
    LLMAnswer,
    LLMConfig,
    add_usage,
    checked,
    make_policy,
    request_args,
    sdk_args,
    translate,
)
from summarizer.llm.transport import Deadline, MalformedResponse, Pacer, Slots
from summarizer.prompts import PromptTemplate
from summarizer.schema import ArticleSummary, grounding_scope


@dataclass
class _Call:
    """One article's request state, read by the sender instructor calls (first ask and re-asks)."""

    deadline: Deadline
    attempts: AttemptLog
    tokens: int


# instructor's patched create is built once per client; each article's state travels in the
# task's context (every worker is its own asyncio task), not in a per-call closure.
_CALL: ContextVar[_Call] = ContextVar("summarizer_llm_call")


class AsyncLLMClient:
    """Share one instance across all tasks of a run: it holds the connection pool."""

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
        self._policy = make_policy(config, async_sleep=sleep)
        self._create = instructor.patch(create=self._send, mode=MODES[config.mode])

    async def close(self) -> None:
        await self._sdk.close()

    async def summarize(self, article: Article, prompt: PromptTemplate, *, tokens: int = 0) -> LLMAnswer:
        """``tokens``: the request's estimated size, charged to the pacer's token budget."""
        call = _Call(Deadline(self.config.deadline), AttemptLog(), tokens)
        messages = prompt.render(article.text).as_openai()
        active = _CALL.set(call)
        try:
            # No `context=` for instructor (it would render messages as Jinja); see client.py.
            with grounding_scope(Source(article.text)):
                summary = await self._create(**request_args(self.config, ArticleSummary, messages))
        except (InstructorRetryException, IncompleteOutputException) as exc:
            raise translate(exc, call.attempts, article.label, self.config.reasks) from None
        finally:
            _CALL.reset(active)
        return LLMAnswer(summary=checked(summary, ArticleSummary, article.label), attempts=call.attempts)

    async def _send(self, **kwargs: Any) -> Any:
        call = _CALL.get()

        async def one_request(timeout: float) -> Any:
            raw = await self._sdk.chat.completions.with_raw_response.create(**kwargs, timeout=timeout)
            if self.pacer is not None:
                self.pacer.observe_headers(raw.headers)
            return raw

        completion = await self._policy.acall(
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


def _completion(raw: Any) -> ChatCompletion:
    """The chat completion in a raw response (a body that is not one is a transport failure)."""
    completion = raw.parse()
    if not isinstance(completion, ChatCompletion):
        raise MalformedResponse(f"expected a chat completion, got {type(completion).__name__}")
    return completion
