"""Engines behind one protocol: the fallback rule, the engine choice, the sync door's parity.

A fake engine stands in where HTTP is not what is tested (``tests/test_retries.py``
and the cassette tests cover the real LLM path).
"""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

from summarizer.article import Article
from summarizer.attempts import AttemptLog, UsageSoFar
from summarizer.batching import BatchOptions, run_batch
from summarizer.engines import (
    EngineAnswer,
    EngineId,
    FallbackEngine,
    LLMEngine,
    OfflineEngine,
    build_comparator,
    build_engine,
)
from summarizer.errors import OutputInvalidError, ProviderConfigError, SummarizerError, TransportError
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings

from .test_retries import ARTICLE


class FakeEngine:
    """Raises the scripted errors in turn, then answers as the offline engine would."""

    def __init__(self, *errors: SummarizerError) -> None:
        self.id = EngineId("llm", "llm/fake@nowhere", "fake-1", "p" * 8)
        self.errors = list(errors)
        self.calls: list[str] = []
        self.closed = False

    async def summarize(self, article: Article, *, tokens: int = 0) -> EngineAnswer:
        self.calls.append(article.label)
        if self.errors:
            raise self.errors.pop(0)
        return await OfflineEngine().summarize(article)

    async def aclose(self) -> None:
        self.closed = True


def spent(http: int, prompt: int) -> AttemptLog:
    return AttemptLog(http_attempts=http, model_attempts=1, usage=UsageSoFar(prompt_tokens=prompt))


def test_fallback_degrades_on_a_final_provider_failure_and_keeps_what_it_cost() -> None:
    primary = FakeEngine(TransportError("HTTP 503 after 3 attempt(s)", status=503, attempts=spent(3, 120)))
    engine = FallbackEngine(primary, OfflineEngine())
    answer = asyncio.run(engine.summarize(ARTICLE))
    p = answer.provenance
    assert p.engine == "offline" and p.degraded
    assert p.degraded_reason == "LLM failed: HTTP 503 after 3 attempt(s)"
    assert p.http_attempts == 3 and p.model_attempts == 1 and p.usage.prompt_tokens == 120
    assert engine.id == primary.id  # stored under the request the caller made


def test_fallback_covers_invalid_output_but_never_a_configuration_error() -> None:
    invalid = FallbackEngine(FakeEngine(OutputInvalidError("quote not found")), OfflineEngine())
    assert asyncio.run(invalid.summarize(ARTICLE)).provenance.degraded
    refused = FallbackEngine(FakeEngine(ProviderConfigError("HTTP 401", status=401)), OfflineEngine())
    with pytest.raises(ProviderConfigError):
        asyncio.run(refused.summarize(ARTICLE))


def test_build_engine_follows_the_settings_and_sends_nothing() -> None:
    assert isinstance(build_engine(Settings()), OfflineEngine)
    llm = build_engine(Settings(base_url="http://127.0.0.1:9/v1", model="m"))
    assert isinstance(llm, LLMEngine) and llm._client is None  # no SDK client until the first call
    assert llm.id.name == "llm/tools@127.0.0.1:9" and llm.id.model == "m" and llm.id.prompt_hash
    both = build_engine(Settings(base_url="http://127.0.0.1:9/v1", model="m", fallback="offline"))
    assert isinstance(both, FallbackEngine) and both.id == llm.id
    assert build_comparator(Settings()).info.kind == "offline"
    assert build_comparator(Settings(base_url="http://127.0.0.1:9/v1", model="m")).info.model == "m"


def _public(obj: type) -> dict[str, inspect.Signature]:
    return {
        n: inspect.signature(f) for n, f in inspect.getmembers(obj) if callable(f) and not n.startswith("_")
    }


def test_the_sync_door_mirrors_the_async_core() -> None:
    """Every async method of ``Summarizer`` has a sync twin with the same parameters (llm's parity rule)."""
    methods = _public(Summarizer)
    for name, sig in methods.items():
        if name.startswith("a") and inspect.iscoroutinefunction(getattr(Summarizer, name)):
            twin = name[1:]
            assert twin in methods, f"{name} has no sync twin"
            assert list(methods[twin].parameters) == list(sig.parameters), name


def test_sync_and_async_give_the_same_summary() -> None:
    settings = Settings(engine="offline")
    with Summarizer(settings) as summarizer:
        sync = summarizer.summarize(ARTICLE)

    async def go() -> object:
        async with Summarizer(settings) as s:
            return await s.asummarize(ARTICLE)

    result = asyncio.run(go())
    assert sync.summary == result.summary  # type: ignore[attr-defined]


def test_the_sync_door_works_inside_a_running_event_loop() -> None:
    """A notebook or an async web handler already runs a loop in this thread."""

    async def inside() -> str:
        with Summarizer(Settings(engine="offline")) as summarizer:
            return summarizer.summarize(ARTICLE).summary.headline

    assert asyncio.run(inside())


def test_a_fake_engine_runs_a_batch_without_any_http(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    for name in ("a", "b"):
        (root / f"{name}.txt").write_text(ARTICLE.text.replace("Friday", f"Friday {name}"), encoding="utf-8")
    fake = FakeEngine(TransportError("HTTP 503 after 4 attempt(s)", status=503, attempts=spent(4, 50)))
    options = BatchOptions(
        root=root, out=tmp_path / "out", db=tmp_path / "s.db", live_progress=False, workers=1
    )
    report = run_batch(Settings(engine="offline"), options, engine=fake)
    assert report.counts == {"ok": 1, "degraded": 0, "failed": 1, "skipped": 0}
    assert report.http_requests == 4 and report.prompt_tokens == 50
    assert [Path(c).name for c in fake.calls] == ["a.txt", "b.txt"] and fake.closed
    again = run_batch(Settings(engine="offline"), options, engine=fake)
    assert again.counts["ok"] == 1 and again.counts["failed"] == 1 and len(fake.calls) == 2  # no call
