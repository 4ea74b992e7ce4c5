"""One service process's shared state: settings, store, engine, comparator, rate limiter, jobs.

Made once at start-up (``start``) and closed at shutdown (``stop``), inside
the server's event loop: every request and every job shares the same store
connection, the same model client (one connection pool), the same rate
limiter and the same cap on requests in flight. ``summarize`` is what a
summary request does: the store first (same cache key as a batch run, so
nothing is paid for twice), then the engine; two requests for the same
text at once cost one call.
"""

from __future__ import annotations

import logging
import urllib.request
from dataclasses import dataclass
from typing import Literal

from summarizer import netguard
from summarizer.article import Article
from summarizer.batching.runner import InProgress
from summarizer.engines import Comparator, Engine, FallbackEngine, LLMEngine, build_comparator, build_engine
from summarizer.inflight import InFlight
from summarizer.limiter import RateLimiter
from summarizer.pipeline import Summarizer
from summarizer.result import SummaryResult
from summarizer.service.config import ServiceConfig
from summarizer.service.jobs import JobManager
from summarizer.store import Store

log = logging.getLogger(__name__)


@dataclass
class Running:
    """What exists only while the service runs (made inside its event loop)."""

    store: Store
    limiter: RateLimiter
    slots: InFlight
    engine: Engine
    summarizer: Summarizer
    comparator: Comparator
    jobs: JobManager


class Service:
    def __init__(self, config: ServiceConfig, *, engine: Engine | None = None) -> None:
        """``engine``: instead of the one the settings choose (a test's fake engine)."""
        config.check()
        self._given_engine = engine
        self.config = config
        self.settings = config.settings
        token = config.settings.service_token
        self.token = token.get_secret_value() if token is not None else None
        key = config.settings.api_key
        self.secrets = tuple(s for s in (self.token, key.get_secret_value() if key else None) if s)
        """Never shown in an answer or a log line (``problems.redact``)."""
        self.opener: urllib.request.OpenerDirector | None = netguard.opener() if config.allow_urls else None
        self._running: Running | None = None
        self._in_progress = InProgress()

    @property
    def running(self) -> Running:
        if self._running is None:
            raise RuntimeError("the service is not started")
        return self._running

    @property
    def store(self) -> Store:
        return self.running.store

    @property
    def engine(self) -> Engine:
        return self.running.engine

    @property
    def limiter(self) -> RateLimiter:
        return self.running.limiter

    @property
    def jobs(self) -> JobManager:
        return self.running.jobs

    async def start(self) -> None:
        c = self.config
        store = Store(c.db)
        limiter = RateLimiter(c.rpm, c.tpm)
        slots = InFlight(c.concurrency)
        engine = self._given_engine or build_engine(self.settings, pacer=limiter, slots=slots, offload=True)
        self._running = Running(
            store=store,
            limiter=limiter,
            slots=slots,
            engine=engine,
            summarizer=Summarizer(self.settings, engine=engine),
            comparator=_comparator(self, engine),
            jobs=JobManager(self),
        )
        _warm(engine)
        await self.running.jobs.start()
        log.info("serving with the %s engine, store %s", engine.id.kind, store.where)

    async def stop(self) -> None:
        if self._running is None:
            return
        r = self._running
        try:
            await r.jobs.shutdown()
            await r.comparator.aclose()
            await r.engine.aclose()
        finally:
            r.store.close()
            self._running = None

    async def summarize(self, article: Article) -> SummaryResult:
        """The stored summary of ``article`` for this engine, or a new one (then stored)."""
        return (await self.summarize_json(article))[0]

    async def summarize_json(self, article: Article) -> tuple[SummaryResult, str]:
        """``summarize``, with the result's JSON (serialised once, for the store and the answer)."""
        r = self.running
        parts = r.summarizer.cache_key(article)
        await self._in_progress.wait(parts.key)
        stored = r.store.get(parts.key)
        if stored is not None and stored.hit and stored.result is not None:
            # Stored already, but perhaps under another name: where this copy came from is kept.
            r.store.add_source(None, article, stored=True)
            return stored.result, stored.result.model_dump_json()
        with self._in_progress.hold(parts.key):
            result = await r.summarizer.asummarize(article)
            status: Literal["ok", "degraded"] = "degraded" if result.provenance.degraded else "ok"
            dumped = result.model_dump_json()
            with r.store.transaction():
                r.store.add_source(None, article)
                r.store.put_result(parts.key, result, status=status, requested=parts, dumped=dumped)
        return result, dumped


def _warm(engine: Engine) -> None:
    """Make the model client now (it imports the SDK: a second on a cold start), not on the
    first request."""
    primary = engine.primary if isinstance(engine, FallbackEngine) else engine
    if isinstance(primary, LLMEngine):
        primary.client  # noqa: B018 - built on first access


def _comparator(service: Service, engine: Engine) -> Comparator:
    """The LLM comparator shares the engine's client (pool, pacer, slots); else the offline one."""
    primary = engine.primary if isinstance(engine, FallbackEngine) else engine
    if isinstance(primary, LLMEngine):
        from summarizer.llm.compare import LLMComparator

        return LLMComparator(primary.config, client=primary.client)
    return build_comparator(service.settings)
