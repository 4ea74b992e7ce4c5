"""Summarize articles with the chosen engine and wrap the answer with the article's identity.

This is the library's front door for one engine: the CLI, the batch runner,
compare and the service build ``Settings`` and call ``Summarizer``. Which
engine runs, and the ``--fallback offline`` rule, are ``summarizer.engines``'
business; this module owns the result (``SummaryResult``), the cache key a
result is stored under, and the sync door onto the async core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from summarizer.article import Article
from summarizer.engines import Engine, EngineAnswer, build_engine, key_prompt_hash
from summarizer.portal import Portal
from summarizer.result import SummaryResult
from summarizer.schema import SCHEMA_VERSION
from summarizer.settings import EngineChoiceResult, Settings

if TYPE_CHECKING:
    from summarizer.engines import Kind
    from summarizer.llm.transport import Pacer, Slots
    from summarizer.store import KeyParts


class Summarizer:
    """Summarizes articles with one engine; reuse it across articles.

    ``asummarize`` is the core (batch runs and the service share one instance
    inside their event loop: one async client, paced by ``pacer``, at most as
    many requests in flight as ``slots`` holds); ``summarize`` is the same for
    synchronous callers, run on a private loop (``summarizer.portal``).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        choice: EngineChoiceResult | None = None,
        pacer: Pacer | None = None,
        slots: Slots | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine or build_engine(settings, choice=choice, pacer=pacer, slots=slots)
        self._portal: Portal | None = None

    @property
    def kind(self) -> Kind:
        """``llm`` or ``offline``: the engine asked first (a fallback's primary)."""
        return self.engine.id.kind

    @property
    def model(self) -> str | None:
        return self.engine.id.model

    def cache_key(self, article: Article) -> KeyParts:
        """What identifies this engine's summary of ``article`` in the store (batch and compare)."""
        from summarizer.store import KeyParts

        e = self.engine.id
        prompt = key_prompt_hash(self.engine, article)
        return KeyParts(article.content_hash, e.name, e.model, prompt, SCHEMA_VERSION)

    async def asummarize(self, article: Article, *, tokens: int = 0) -> SummaryResult:
        """``tokens``: the request's estimated size, charged to a shared rate limiter."""
        return result_of(article, await self.engine.summarize(article, tokens=tokens))

    def summarize(self, article: Article, *, tokens: int = 0) -> SummaryResult:
        if self._portal is None:
            self._portal = Portal()
        return self._portal.run(self.asummarize(article, tokens=tokens))

    async def aclose(self) -> None:
        await self.engine.aclose()

    def close(self) -> None:
        """Close what ``summarize`` opened (``aclose`` inside an event loop)."""
        if self._portal is not None:
            self._portal.run(self.engine.aclose())
            self._portal.close()
            self._portal = None

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Summarizer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def result_of(article: Article, answer: EngineAnswer) -> SummaryResult:
    return SummaryResult(
        source=article.source,
        index=article.index,
        title=article.title,
        content_hash=article.content_hash,
        words=article.word_count,
        summary=answer.summary,
        provenance=answer.provenance,
    )
