"""The engines that turn an ``Article`` into a grounded ``ArticleSummary``, behind one protocol.

An engine has an ``id`` (what identifies its answers in the store's cache
key) and ``async summarize(article) -> EngineAnswer`` (the summary and its
provenance). Three implementations:

- ``OfflineEngine``: the deterministic rule-based engine (``summarizer.offline``);
- ``LLMEngine``: a model endpoint through ``summarizer.llm`` (its client is
  made on first use, so choosing an engine sends nothing and builds no SDK);
- ``FallbackEngine(primary, secondary)``: the primary, and the secondary when
  the primary finally failed (provider failure or invalid output after the
  retry policy); the answer is marked degraded with the reason and carries
  what the failed attempts cost. Configuration errors are never papered over.

``build_engine(settings)`` applies the engine choice in ``summarizer.settings``.
Comparators get the same treatment: ``Comparator`` with typed
``ComparatorInfo``, built by ``build_comparator``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal, Protocol

from summarizer import chunking, prompts
from summarizer.article import Article
from summarizer.attempts import AttemptLog
from summarizer.errors import OutputInvalidError, ProviderError
from summarizer.result import Provenance, Usage
from summarizer.schema import SCHEMA_VERSION, ArticleSummary
from summarizer.settings import STRICT_MODES, EngineChoiceResult, Settings, choose_engine

if TYPE_CHECKING:
    from summarizer.comparison.model import SourceInfo, WireGroup
    from summarizer.comparison.schema import Comparison
    from summarizer.llm import LLMAnswer, LLMClient, LLMConfig
    from summarizer.llm.transport import Pacer, Slots

log = logging.getLogger(__name__)

Kind = Literal["llm", "offline"]


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class EngineId:
    """What identifies an engine's answers: a new offline version, or another endpoint or mode
    for the same model name, never reuses old results."""

    kind: Kind
    name: str
    """``offline/<version>`` or ``llm/<mode>@<host>``: the cache key's engine part."""
    model: str | None = None
    prompt_hash: str | None = None
    base_url: str | None = None
    """The endpoint's URL (``None``: OpenAI's, or no endpoint), for pricing."""
    strict_schema: bool = False
    """Its requests carry the strict form of the tool schema (``tools_strict``), for estimates."""


@dataclass(frozen=True)
class EngineAnswer:
    summary: ArticleSummary
    provenance: Provenance


class Engine(Protocol):
    @property
    def id(self) -> EngineId: ...

    async def summarize(self, article: Article, *, tokens: int = 0) -> EngineAnswer:
        """``tokens``: the request's estimated size, for a shared rate limiter (LLM engines)."""
        ...

    async def aclose(self) -> None: ...


class OfflineEngine:
    """The built-in rule-based engine: no model, no network, deterministic.

    ``offload``: run it in a worker thread, so a server's event loop keeps answering
    other requests while a long article is summarized (batch runs keep it inline)."""

    def __init__(self, *, offload: bool = False) -> None:
        from summarizer.offline import ENGINE_VERSION

        self.id = EngineId("offline", f"offline/{ENGINE_VERSION}")
        self.offload = offload

    async def summarize(self, article: Article, *, tokens: int = 0) -> EngineAnswer:
        from summarizer.offline import limits, summarize_offline

        started = now()
        if self.offload:
            summary = await asyncio.to_thread(summarize_offline, article)
        else:
            summary = summarize_offline(article)
        provenance = Provenance(
            engine="offline",
            schema_version=SCHEMA_VERSION,
            started_at=started,
            finished_at=now(),
            notes=limits(article),
        )
        return EngineAnswer(summary, provenance)

    async def aclose(self) -> None:
        return None


class LLMEngine:
    """A model endpoint; the client (and its connection pool) is made on first use."""

    def __init__(self, config: LLMConfig, *, pacer: Pacer | None = None, slots: Slots | None = None) -> None:
        self.config = config
        self.prompt = prompts.load("summarize")
        self.pacer = pacer
        self.slots = slots
        self.id = EngineId(
            "llm",
            f"llm/{config.mode}@{config.endpoint_host}",
            config.model,
            self.prompt.hash,
            config.base_url,
            config.mode in STRICT_MODES,
        )
        self._client: LLMClient | None = None

    @property
    def client(self) -> LLMClient:
        if self._client is None:
            from summarizer.llm import LLMClient

            self._client = LLMClient(self.config, pacer=self.pacer, slots=self.slots)
        return self._client

    @functools.cached_property
    def budget(self) -> int:
        """Article tokens one request may carry; a longer article is summarized in chunks."""
        return chunking.budget(self.config.settings, self.config.model)

    def prompt_hash(self, article: Article) -> str:
        """The prompt part of ``article``'s cache key: the summarize prompt's hash, or for an
        article over the budget ``chunking.chunked_prompt_hash`` (a new merge prompt, chunk budget
        or overlap never reuses an old answer; they change nothing for articles that fit)."""
        if chunking.fits(article.text, self.budget):
            return self.prompt.hash
        overlap = self.config.settings.chunk_overlap
        return chunking.chunked_prompt_hash(self.prompt.hash, self.budget, overlap)

    async def summarize(self, article: Article, *, tokens: int = 0) -> EngineAnswer:
        started = now()
        chunks = chunking.plan(article.text, self.budget, self.config.settings.chunk_overlap)
        answer: LLMAnswer | chunking.LongAnswer
        if chunks is None:
            answer = await self.client.summarize(article, self.prompt, tokens=tokens)
        else:
            answer = await chunking.summarize_chunks(
                self.client, article, self.prompt, chunks, limit=self.budget, tokens=tokens
            )
        spent = answer.attempts
        provenance = self.provenance(
            model_attempts=spent.model_attempts,
            http_attempts=spent.http_attempts,
            usage=Usage.spent(spent),
            started_at=started,
            chunks=len(chunks) if chunks else None,
            prompt_hash=self.prompt_hash(article) if chunks else None,
        )
        return EngineAnswer(answer.summary, provenance)

    def provenance(
        self,
        *,
        model_attempts: int,
        http_attempts: int,
        usage: Usage,
        started_at: datetime,
        chunks: int | None = None,
        batch_id: str | None = None,
        prompt_hash: str | None = None,
    ) -> Provenance:
        """Where an answer of this engine came from (online, or from a provider batch).
        ``prompt_hash``: the cache key's prompt part when it is not the summarize prompt's."""
        return Provenance(
            engine="llm",
            model=self.config.model,
            endpoint=self.config.endpoint_host,
            mode=self.config.mode,
            prompt_name=self.prompt.name,
            prompt_version=self.prompt.version,
            prompt_hash=prompt_hash or self.prompt.hash,
            schema_version=SCHEMA_VERSION,
            model_attempts=model_attempts,
            http_attempts=http_attempts,
            usage=usage,
            started_at=started_at,
            finished_at=now(),
            chunks=chunks,
            batch_id=batch_id,
        )

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    def with_slots(self, slots: Slots) -> LLMEngine:
        """This engine with its requests capped by ``slots`` (shares the connection pool and the
        rate limiter; closing it closes nothing of this one's)."""
        view = LLMEngine(self.config, pacer=self.pacer, slots=slots)
        view._client = self.client.with_slots(slots)
        return view


class FallbackEngine:
    """``primary``; ``secondary`` when the primary finally failed (degraded, with the reason)."""

    def __init__(self, primary: Engine, secondary: Engine) -> None:
        self.primary = primary
        self.secondary = secondary

    @property
    def id(self) -> EngineId:
        # Stored under the request the caller made: a degraded answer is found again as such.
        return self.primary.id

    async def summarize(self, article: Article, *, tokens: int = 0) -> EngineAnswer:
        try:
            return await self.primary.summarize(article, tokens=tokens)
        except (ProviderError, OutputInvalidError) as exc:
            log.warning("%s: %s failed (%s); falling back", article.label, self.primary.id.kind, exc.message)
            answer = await self.secondary.summarize(article, tokens=tokens)
            return EngineAnswer(answer.summary, _degraded(answer.provenance, exc.message, exc.attempts))

    async def aclose(self) -> None:
        await self.primary.aclose()
        await self.secondary.aclose()


def key_prompt_hash(engine: Engine, article: Article) -> str | None:
    """The prompt part of ``article``'s cache key under ``engine`` (see ``LLMEngine.prompt_hash``;
    a fallback engine's key is its primary's)."""
    asked = engine.primary if isinstance(engine, FallbackEngine) else engine
    if isinstance(asked, LLMEngine):
        return asked.prompt_hash(article)
    return engine.id.prompt_hash


def gated(engine: Engine, slots: Slots) -> Engine:
    """``engine`` with its model requests capped by ``slots`` (see ``LLMEngine.with_slots``);
    engines that send no requests come back as they are."""
    if isinstance(engine, LLMEngine):
        return engine.with_slots(slots)
    if isinstance(engine, FallbackEngine):
        return FallbackEngine(gated(engine.primary, slots), gated(engine.secondary, slots))
    return engine


def _degraded(provenance: Provenance, reason: str, failed: AttemptLog) -> Provenance:
    return provenance.model_copy(
        update={
            "degraded": True,
            "degraded_reason": f"LLM failed: {reason}",
            "model_attempts": provenance.model_attempts + failed.model_attempts,
            "http_attempts": provenance.http_attempts + failed.http_attempts,
            "usage": provenance.usage + Usage.spent(failed),
        }
    )


def build_engine(
    settings: Settings,
    *,
    choice: EngineChoiceResult | None = None,
    pacer: Pacer | None = None,
    slots: Slots | None = None,
    offload: bool = False,
) -> Engine:
    """The engine ``settings`` choose (see ``summarizer.settings``), with its fallback.

    ``offload``: the offline engine runs in a worker thread (``OfflineEngine``)."""
    choice = choice or choose_engine(settings)
    if choice.engine == "offline":
        return OfflineEngine(offload=offload)
    from summarizer.llm import LLMConfig

    engine: Engine = LLMEngine(LLMConfig.from_settings(settings, choice), pacer=pacer, slots=slots)
    if settings.fallback == "offline":
        engine = FallbackEngine(engine, OfflineEngine(offload=offload))
    return engine


@dataclass(frozen=True)
class ComparatorInfo:
    """Which comparator ran, for the comparison's provenance."""

    kind: Kind
    model: str | None = None
    endpoint: str | None = None
    prompt_name: str | None = None
    prompt_hash: str | None = None


@dataclass(frozen=True)
class ComparatorAnswer:
    comparison: Comparison
    usage: Usage
    calls: int
    """Comparator invocations (model answers for an LLM, re-asks included; 1 offline)."""


class Comparator(Protocol):
    """The reduce step of a comparison: several sources' summaries in, one ``Comparison`` out."""

    @property
    def info(self) -> ComparatorInfo: ...

    async def compare(
        self,
        sources: Sequence[SourceInfo],
        summaries: Sequence[ArticleSummary],
        wire_groups: Sequence[WireGroup],
    ) -> ComparatorAnswer: ...

    async def aclose(self) -> None: ...


def build_comparator(settings: Settings, *, choice: EngineChoiceResult | None = None) -> Comparator:
    """The LLM comparator when ``settings`` choose an LLM, else the offline one."""
    choice = choice or choose_engine(settings)
    if choice.engine == "offline":
        from summarizer.comparison.offline import OfflineComparator

        return OfflineComparator()
    from summarizer.llm import LLMConfig
    from summarizer.llm.compare import LLMComparator

    return LLMComparator(LLMConfig.from_settings(settings, choice))


__all__ = [
    "Comparator",
    "ComparatorAnswer",
    "ComparatorInfo",
    "Engine",
    "EngineAnswer",
    "EngineId",
    "FallbackEngine",
    "LLMEngine",
    "OfflineEngine",
    "build_comparator",
    "build_engine",
    "gated",
]
