"""Summarize articles with the chosen engine and wrap the result with provenance.

This is the library's front door: the CLI (and later the batch runner) only
build ``Settings`` and call ``Summarizer``. It owns the fallback rule: with
``fallback="offline"``, an article whose LLM call finally failed (after the
retry policy) is summarized offline and marked ``degraded`` with the reason;
configuration errors are never papered over.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from summarizer import prompts
from summarizer.article import Article
from summarizer.errors import AttemptLog, OutputInvalidError, ProviderError
from summarizer.result import Provenance, SummaryResult, Usage
from summarizer.schema import SCHEMA_VERSION, ArticleSummary
from summarizer.settings import EngineChoiceResult, Settings, choose_engine

if TYPE_CHECKING:
    from summarizer.llm import AsyncLLMClient, LLMAnswer, LLMClient, LLMConfig
    from summarizer.llm.transport import Pacer, Slots
    from summarizer.store import KeyParts

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


class Summarizer:
    """Summarizes articles with one engine; reuse it across articles.

    ``summarize`` is for one-off use; ``asummarize`` is for batch runs inside an
    event loop (one shared async client, paced by ``pacer``, at most as many
    requests in flight as ``slots`` holds).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        choice: EngineChoiceResult | None = None,
        pacer: Pacer | None = None,
        slots: Slots | None = None,
    ) -> None:
        self.settings = settings
        self.choice = choice or choose_engine(settings)
        self.prompt = prompts.load("summarize")
        self.pacer = pacer
        self.slots = slots
        self._llm: LLMClient | None = None
        self._allm: AsyncLLMClient | None = None
        self._config: LLMConfig | None = None

    @property
    def engine(self) -> str:
        return self.choice.engine

    @property
    def model(self) -> str | None:
        return self.choice.model if self.choice.engine == "llm" else None

    @property
    def engine_id(self) -> str:
        """The engine as part of the cache key: a new offline version or another
        endpoint/mode for the same model name never reuses old results."""
        if self.choice.engine == "offline":
            from summarizer.offline import ENGINE_VERSION

            return f"offline/{ENGINE_VERSION}"
        config = self.llm_config()
        return f"llm/{config.mode}@{config.endpoint_host}"

    def cache_key(self, article: Article) -> KeyParts:
        """What identifies this engine's summary of ``article`` in the store (batch and compare)."""
        from summarizer.store import KeyParts

        return KeyParts(article.content_hash, self.engine_id, self.model, self.prompt_hash, SCHEMA_VERSION)

    @property
    def prompt_hash(self) -> str | None:
        return self.prompt.hash if self.choice.engine == "llm" else None

    def close(self) -> None:
        if self._llm is not None:
            self._llm.close()

    async def aclose(self) -> None:
        self.close()
        if self._allm is not None:
            await self._allm.close()

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def summarize(self, article: Article) -> SummaryResult:
        started = _now()
        if self.choice.engine == "offline":
            return self._offline(article, started=started)
        try:
            answer = self._client().summarize(article, self.prompt)
        except (ProviderError, OutputInvalidError) as exc:
            return self._fallback(article, started, exc)
        return self._llm_result(article, answer, started)

    async def asummarize(self, article: Article, *, tokens: int = 0) -> SummaryResult:
        started = _now()
        if self.choice.engine == "offline":
            return self._offline(article, started=started)
        try:
            answer = await self._aclient().summarize(article, self.prompt, tokens=tokens)
        except (ProviderError, OutputInvalidError) as exc:
            return self._fallback(article, started, exc)
        return self._llm_result(article, answer, started)

    def llm_config(self) -> LLMConfig:
        """The model endpoint's configuration (built once: batch runs ask for it per article)."""
        if self._config is None:
            self._config = self._build_config()
        return self._config

    def _build_config(self) -> LLMConfig:
        from summarizer.llm import LLMConfig

        s = self.settings
        return LLMConfig(
            model=self.choice.model or "",
            mode=self.choice.mode or "tools",
            base_url=self.choice.base_url,
            api_key=s.api_key.get_secret_value() if s.api_key else None,
            timeout=s.timeout,
            deadline=s.deadline,
            transport_attempts=s.transport_attempts,
            reasks=s.reasks,
            max_output_tokens=s.max_output_tokens,
            backoff_base=s.backoff_base,
            backoff_cap=s.backoff_cap,
        )

    def _client(self) -> LLMClient:
        if self._llm is None:
            from summarizer.llm import LLMClient

            self._llm = LLMClient(self.llm_config())
        return self._llm

    def _aclient(self) -> AsyncLLMClient:
        if self._allm is None:
            from summarizer.llm import AsyncLLMClient

            self._allm = AsyncLLMClient(self.llm_config(), pacer=self.pacer, slots=self.slots)
        return self._allm

    def _fallback(
        self, article: Article, started: datetime, exc: ProviderError | OutputInvalidError
    ) -> SummaryResult:
        if self.settings.fallback != "offline":
            raise exc
        log.warning("%s: LLM failed (%s); falling back to the offline engine", article.label, exc.message)
        return self._offline(
            article, started=started, degraded_reason=f"LLM failed: {exc.message}", failed=exc.attempts
        )

    def _llm_result(self, article: Article, answer: LLMAnswer, started: datetime) -> SummaryResult:
        config = self.llm_config()
        provenance = Provenance(
            engine="llm",
            model=config.model,
            endpoint=config.endpoint_host,
            mode=config.mode,
            prompt_name=self.prompt.name,
            prompt_version=self.prompt.version,
            prompt_hash=self.prompt.hash,
            schema_version=SCHEMA_VERSION,
            model_attempts=answer.attempts.model_attempts,
            http_attempts=answer.attempts.http_attempts,
            usage=Usage.spent(answer.attempts),
            started_at=started,
            finished_at=_now(),
        )
        return _result(article, answer.summary, provenance)

    def _offline(
        self,
        article: Article,
        *,
        started: datetime,
        degraded_reason: str | None = None,
        failed: AttemptLog | None = None,
    ) -> SummaryResult:
        from summarizer.offline import summarize_offline

        summary = summarize_offline(article)
        spent = failed or AttemptLog()
        provenance = Provenance(
            engine="offline",
            schema_version=SCHEMA_VERSION,
            model_attempts=spent.model_attempts,
            http_attempts=spent.http_attempts,
            usage=Usage.spent(spent),
            started_at=started,
            finished_at=_now(),
            degraded=degraded_reason is not None,
            degraded_reason=degraded_reason,
        )
        return _result(article, summary, provenance)


def _result(article: Article, summary: ArticleSummary, provenance: Provenance) -> SummaryResult:
    return SummaryResult(
        source=article.source,
        index=article.index,
        title=article.title,
        content_hash=article.content_hash,
        words=article.word_count,
        summary=summary,
        provenance=provenance,
    )
