"""The async twin of ``LLMClient`` for batch runs: one shared client, a shared pacer.

Same prompt, validation, re-ask and error rules as ``client.LLMClient``; the
differences are that requests go through ``AsyncOpenAI``, every HTTP try
first waits for the shared rate limiter (``Pacer``), every response's
``x-ratelimit-*`` headers are fed back to it, and a 429 pauses the whole run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
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
from summarizer.llm.transport import Deadline, MalformedResponse, Pacer
from summarizer.prompts import PromptTemplate
from summarizer.schema import ArticleSummary, grounding_scope


class AsyncLLMClient:
    """Share one instance across all tasks of a run: it holds the connection pool."""

    def __init__(
        self,
        config: LLMConfig,
        *,
        pacer: Pacer | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.config = config
        self.pacer = pacer
        self._sdk = openai.AsyncOpenAI(**sdk_args(config))
        self._policy = make_policy(config, async_sleep=sleep)

    async def close(self) -> None:
        await self._sdk.close()

    async def summarize(self, article: Article, prompt: PromptTemplate, *, tokens: int = 0) -> LLMAnswer:
        """``tokens``: the request's estimated size, charged to the pacer's token budget."""
        attempts = AttemptLog()
        deadline = Deadline(self.config.deadline)
        create = instructor.patch(
            create=self._sender(deadline, attempts, tokens), mode=MODES[self.config.mode]
        )
        messages = prompt.render(article.text).as_openai()
        try:
            # No `context=` for instructor (it would render messages as Jinja); see client.py.
            with grounding_scope(Source(article.text)):
                summary = await create(**request_args(self.config, ArticleSummary, messages))
        except (InstructorRetryException, IncompleteOutputException) as exc:
            raise translate(exc, attempts, article.label, self.config.reasks) from None
        return LLMAnswer(summary=checked(summary, ArticleSummary, article.label), attempts=attempts)

    def _sender(self, deadline: Deadline, attempts: AttemptLog, tokens: int) -> Callable[..., Any]:
        async def send(**kwargs: Any) -> Any:
            async def one_request(timeout: float) -> Any:
                raw = await self._sdk.chat.completions.with_raw_response.create(**kwargs, timeout=timeout)
                if self.pacer is not None:
                    self.pacer.observe_headers(raw.headers)
                completion = raw.parse()
                if not isinstance(completion, ChatCompletion):
                    raise MalformedResponse(f"expected a chat completion, got {type(completion).__name__}")
                return completion

            completion = await self._policy.acall(
                one_request, deadline=deadline, log_=attempts, pacer=self.pacer, tokens=tokens
            )
            attempts.model_attempts += 1
            add_usage(attempts, completion)
            return completion

        return send
