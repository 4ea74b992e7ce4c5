"""Run a batch: concurrent, rate-aware, resumable, nothing lost.

A producer ingests files in a stable order and feeds a bounded queue; workers
summarize (one shared async client, one shared rate limiter), with at most
``--concurrency`` requests in flight (``InFlight``) and, on the LLM path, twice
as many articles in progress, so the client's own work overlaps the waits for
answers (the offline engine runs one article at a time). Every
item ends in exactly one terminal status, recorded in the store and the
report:

- ``ok``: summarized now, or found in the store under the same cache key
  (content + engine + model + prompt hash + schema version): no model call;
- ``degraded``: the LLM failed and ``--fallback offline`` summarized it;
- ``failed(reason)``: the model path failed after its retry policy (a stored
  failure is reported again without a call unless ``--retry-failed``);
- ``skipped(reason)``: not an article (binary, empty …), or not started
  because the budget was reached or the run was aborted.

Each result is committed to SQLite before its output file is written
(temp file + ``os.replace``; results that finish together share a transaction,
``GroupCommit``), so a run killed at any point loses at most the calls in
flight and the results not yet committed; re-running redoes only those. A
configuration error from the provider (401/403/404) aborts the whole run at
once: requests waiting for a slot or for the rate limiter are never sent, and
their items are skipped (failed, if they had spent something on an earlier
answer).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from summarizer.batching.budget import Budget
from summarizer.batching.commit import GROUP_SIZE, GroupCommit
from summarizer.batching.outputs import OutputFormat, Outputs, stored_json, stored_output
from summarizer.batching.plan import (
    DEFAULT_PATTERN,
    Item,
    Readable,
    Unreadable,
    discover,
    ingest_version,
    items_of,
    store_files,
)
from summarizer.batching.progress import Progress, ProgressView
from summarizer.batching.report import BatchReport, ItemOutcome
from summarizer.cost import Price, estimate_request_tokens
from summarizer.engines import Engine, gated
from summarizer.errors import ConfigError, RunAborted, SummarizerError
from summarizer.inflight import InFlight
from summarizer.limiter import RateLimiter
from summarizer.pipeline import Summarizer
from summarizer.result import Usage
from summarizer.settings import Settings
from summarizer.store import KeyParts, Store

log = logging.getLogger(__name__)

WORKERS_PER_SLOT = 2
"""Articles in progress per request slot (LLM engine; the offline engine runs one at a time)."""


@dataclass
class BatchOptions:
    root: Path
    out: Path
    db: Path
    pattern: str = DEFAULT_PATTERN
    """Which files; the default skips a folder's README, LICENSE … (``plan.PROJECT_FILES``)."""
    concurrency: int = 8
    rpm: int | None = None
    tpm: int | None = None
    fmt: OutputFormat = "json"
    max_cost: float | None = None
    retry_failed: bool = False
    price: Price | None = None
    live_progress: bool | None = None
    show_progress: bool = True
    """False: no progress on stderr at all (the Python API's default); the report says the end."""
    confine: tuple[Path, ...] = ()
    """When set, only files whose real path (symlinks resolved) lies under one of these folders."""
    workers: int | None = None
    """Articles in progress at once; default ``WORKERS_PER_SLOT`` x ``concurrency`` (LLM), 1 (offline).
    1 makes the order of requests the order of the items (tests with scripted faults)."""


class InProgress:
    """Cache keys being summarized now, so two names for one text cost one call."""

    def __init__(self) -> None:
        self._done: dict[str, asyncio.Event] = {}

    async def wait(self, key: str) -> None:
        """Until no other item summarizes ``key``."""
        while (other := self._done.get(key)) is not None:
            await other.wait()

    @contextlib.contextmanager
    def hold(self, key: str) -> Iterator[None]:
        self._done[key] = done = asyncio.Event()
        try:
            yield
        finally:
            del self._done[key]
            done.set()


class BatchRun:
    """One run: items in, one terminal outcome each (store, output file, report), see the module
    docstring. Spending is ``Budget``'s, output files ``Outputs``', commits ``GroupCommit``'s."""

    def __init__(
        self,
        settings: Settings,
        options: BatchOptions,
        store: Store,
        *,
        engine: Engine | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        """``engine`` and ``limiter``: a server's, shared with its other work; the run caps the
        engine's requests with its own slots (``engines.gated``), so an abort stops this run only."""
        self.settings = settings
        self.options = options
        self.store = store
        self.limiter = limiter or RateLimiter(options.rpm, options.tpm)
        self.slots = InFlight(options.concurrency)
        engine = gated(engine, self.slots) if engine is not None else None
        self.summarizer = Summarizer(settings, engine=engine, pacer=self.limiter, slots=self.slots)
        chosen = self.summarizer.engine.id
        self.llm = chosen.kind == "llm"
        # More articles in progress than requests in flight: while `concurrency` requests wait
        # for answers, the other workers ingest, validate, store and write, so a freed slot is
        # taken at once by a prepared request. The slots, not the workers, cap the requests.
        self.workers = options.workers or (options.concurrency * WORKERS_PER_SLOT if self.llm else 1)
        # A group never waits for more items than there are workers to finish them.
        self.commits = GroupCommit(store, size=min(GROUP_SIZE, self.workers))
        self.budget = Budget(
            priced=self.llm,
            model=chosen.model,
            base_url=chosen.base_url,
            price=options.price,
            max_cost=options.max_cost,
            max_output_tokens=settings.max_output_tokens,
        )
        self.outputs = Outputs(options.out, options.fmt)
        self.in_progress = InProgress()
        self.run_id = store.start_run(
            {
                "root": str(options.root),
                "pattern": options.pattern,
                "engine": chosen.kind,
                "model": chosen.model,
                "concurrency": options.concurrency,
                "format": options.fmt,
            }
        )
        self.report = BatchReport(self.run_id, chosen.kind, chosen.model)
        self._limiter_at_start = self.limiter.stats
        self.abort: str | None = None
        self.draining = False
        self.skip_docs = options.pattern == DEFAULT_PATTERN

    async def record(
        self,
        item: Item,
        outcome: ItemOutcome,
        key: str | None,
        *,
        also: Callable[[], None] | None = None,
        stored: bool = False,
    ) -> None:
        """Commit the item's outcome, its article and ``also``'s writes (its result) together;
        ``stored``: the article is known to be in the store already (a cache hit)."""

        def writes() -> None:
            if isinstance(item, Readable):
                self.store.add_source(self.run_id, item.article, stored=stored or item.remembered)
                if item.raw_hash is not None and not item.remembered:
                    self.store.remember_ingest(item.raw_hash, ingest_version(), list(item.siblings))
            if also is not None:
                also()
            self.store.record_item(
                self.run_id, item.rel, item.index, key, outcome.status, outcome.reason, cached=outcome.cached
            )

        await self.commits.add(writes)

    async def finish(
        self, item: Item, outcome: ItemOutcome, key: str | None, *, also: Callable[[], None] | None = None
    ) -> None:
        """An outcome with no output file: commit it, then count it."""
        await self.record(item, outcome, key, also=also)
        self.report.add(outcome)

    async def deliver(self, item: Item, text: str, outcome: ItemOutcome, key: str) -> None:
        """Write the output (``text``) of an item whose result is committed, then count it. A failed
        write is that item's failure (the store keeps the result: the next run writes it again)."""
        try:
            self.outputs.write(item, text)
        except OSError as exc:
            outcome = ItemOutcome(item.label, "failed", f"cannot write output: {exc}")
            await self.record(item, outcome, key)
        self.report.add(outcome)

    def live_counts(self) -> BatchReport:
        """The report with the limiter's retry and 429 counts of this run, for progress and the end."""
        now, then = self.limiter.stats, self._limiter_at_start
        self.report.retries = now["retries"] - then["retries"]
        self.report.rate_limited = now["pauses"] - then["pauses"]
        return self.report

    def account(self, usage: Usage, http_attempts: int) -> None:
        """Add what an article cost (its tokens and requests) to the report."""
        r = self.report
        r.prompt_tokens += usage.prompt_tokens
        r.completion_tokens += usage.completion_tokens
        r.cached_tokens += usage.cached_tokens
        r.http_requests += http_attempts
        if self.llm:
            r.add_cost(self.budget.cost(usage))

    async def process(self, item: Item) -> None:
        if isinstance(item, Unreadable):
            await self.finish(item, ItemOutcome(item.label, "skipped", item.error.message), None)
            return
        if self.abort:
            await self.finish(item, ItemOutcome(item.label, "skipped", f"run aborted: {self.abort}"), None)
            return
        parts = self.summarizer.cache_key(item.article)
        # The same text under another name, being summarized now: wait, then take its result.
        await self.in_progress.wait(parts.key)
        if await self.from_store(item, parts.key):
            return
        with self.in_progress.hold(parts.key):
            await self.summarize(item, parts)

    async def from_store(self, item: Item, key: str) -> bool:
        """Finish ``item`` from the store when it holds an outcome for ``key`` (no model call)."""
        if self.options.fmt == "json":  # the stored JSON is the output: no need to load and dump it
            peeked = self.store.peek(key)
            text = stored_output(peeked.result_json) if peeked is not None and peeked.result_json else None
            if peeked is not None and peeked.hit and text is not None:
                out = self.outputs.name(item)
                outcome = ItemOutcome(item.label, peeked.status, peeked.reason, cached=True, output=out)
                await self.record(item, outcome, key, stored=True)
                await self.deliver(item, text, outcome, key)
                return True
        stored = self.store.get(key)
        if stored is not None and stored.status in {"ok", "degraded"} and stored.result is not None:
            out = self.outputs.name(item)
            outcome = ItemOutcome(item.label, stored.status, stored.reason, cached=True, output=out)
            await self.record(item, outcome, key, stored=True)
            await self.deliver(item, self.outputs.render(stored.result), outcome, key)
            return True
        if stored is not None and stored.status == "failed" and not self.options.retry_failed:
            reason = f"{stored.reason} (stored failure; --retry-failed to try again)"
            await self.finish(item, ItemOutcome(item.label, "failed", reason, cached=True), key)
            return True
        return False

    async def summarize(self, item: Readable, parts: KeyParts) -> None:
        key, article = parts.key, item.article
        # The estimate costs a prompt render and a tokenization: only when a limit or budget uses it.
        needs_estimate = self.options.tpm is not None or self.options.max_cost is not None
        strict = self.summarizer.engine.id.strict_schema
        tokens = estimate_request_tokens(article.text, strict=strict) if self.llm and needs_estimate else 0
        expected = self.budget.expected(article.text, tokens)
        # Providers charge prompt + max_tokens against a tokens-per-minute limit at admission.
        paced = tokens + self.settings.max_output_tokens if tokens else 0
        if self.budget.exceeded_by(expected, self.report.cost_usd):
            self.report.budget_stopped = True
            await self.finish(item, ItemOutcome(item.label, "skipped", "budget reached (--max-cost)"), key)
            return
        try:
            with self.budget.reserve(expected):
                result = await self.summarizer.asummarize(article, tokens=paced)
        except ConfigError as exc:
            self.stop(exc.message)
            # Its requests reached the server (a 401 is an answer): count them like any other.
            self.account(Usage.spent(exc.attempts), exc.attempts.http_attempts)
            await self.finish(item, ItemOutcome(item.label, "failed", exc.message), key)
            return
        except RunAborted as exc:  # its request was queued when another item aborted the run
            self.account(Usage.spent(exc.attempts), exc.attempts.http_attempts)
            outcome = ItemOutcome(item.label, "skipped", exc.message)
            if exc.attempts.http_attempts:  # an earlier answer was paid for: started, not skipped
                reason = f"{exc.message} (after {exc.attempts.http_attempts} request(s))"
                outcome = ItemOutcome(item.label, "failed", reason)
            await self.finish(item, outcome, key)  # not stored as a failure: the next run tries again
            return
        except SummarizerError as exc:
            await self.failed(item, parts, exc)
            return
        p = result.provenance
        self.account(p.usage, p.http_attempts)
        status: Literal["ok", "degraded"] = "degraded" if p.degraded else "ok"
        outcome = ItemOutcome(item.label, status, p.degraded_reason, output=self.outputs.name(item))
        text = self.outputs.render(result)
        dumped = stored_json(text, self.options.fmt)
        await self.record(
            item,
            outcome,
            key,
            also=lambda: self.store.put_result(key, result, status=status, requested=parts, dumped=dumped),
        )
        await self.deliver(item, text, outcome, key)

    async def failed(self, item: Readable, parts: KeyParts, exc: SummarizerError) -> None:
        """The model path failed after its retry policy: store the failure with what it cost."""
        spent, usage = exc.attempts, Usage.spent(exc.attempts)
        self.account(usage, spent.http_attempts)

        def put_failure() -> None:
            self.store.put_failure(
                parts.key,
                item.article,
                engine=parts.engine,
                model=parts.model,
                prompt_hash=parts.prompt_hash,
                schema_version=parts.schema_version,
                reason=exc.message,
                usage=usage,
                http_attempts=spent.http_attempts,
                model_attempts=spent.model_attempts,
            )

        await self.finish(item, ItemOutcome(item.label, "failed", exc.message), parts.key, also=put_failure)

    def close_report(self, started: float, *, interrupted: bool) -> None:
        self.live_counts()
        self.report.aborted = self.abort
        self.report.interrupted = interrupted
        self.report.wall_seconds = time.monotonic() - started

    def stop(self, reason: str) -> None:
        """Abort the run: items not started are skipped, queued requests are never sent."""
        self.abort = self.abort or reason
        self.slots.close(self.abort)

    def drain(self) -> None:
        """Finish the items in progress and start no more (a server shutting down): the run ends
        ``interrupted`` with the rest unrecorded, for the next run of the same folder to do."""
        self.draining = True

    async def run(self, paths: list[Path], view: Progress) -> BatchReport:
        started = time.monotonic()
        queue: asyncio.Queue[Item | None] = asyncio.Queue(maxsize=self.options.concurrency * 4)
        workers = self.workers

        view.grow(len(paths))  # one item per file; a multi-article file adds its extra articles

        async def produce() -> None:
            for path in paths:
                if self.draining:
                    break
                items = items_of(
                    path,
                    self.options.root,
                    max_bytes=self.settings.max_bytes,
                    skip_project_files=self.skip_docs,
                    memo=self.store,
                )
                view.grow(len(items) - 1)
                for item in items:
                    await queue.put(item)
                # One file at a time: the first requests need not wait for a full queue.
                await asyncio.sleep(0)
            for _ in range(workers):
                await queue.put(None)

        async def work() -> None:
            while (item := await queue.get()) is not None:
                if self.draining:
                    continue
                try:
                    await self.process(item)
                except OSError as exc:  # outside the output write (`deliver` owns that): keep going
                    self.report.add(ItemOutcome(item.label, "failed", f"I/O error: {exc}"))
                except SummarizerError as exc:  # the store failed (disk full, locked): stop cleanly
                    self.stop(f"store error: {exc.message}")
                    self.report.add(ItemOutcome(item.label, "failed", exc.message))
                view.update(self.live_counts())

        tasks = [asyncio.ensure_future(produce()), *(asyncio.ensure_future(work()) for _ in range(workers))]
        try:
            await asyncio.gather(*tasks)
        except BaseException:  # Ctrl-C, cancellation or a bug: keep what finished, say the run stopped
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            with contextlib.suppress(SummarizerError):
                self.commits.flush()
                self.store.finish_run(self.run_id, self.report.counts, "interrupted")
            self.close_report(started, interrupted=True)
            with contextlib.suppress(OSError):
                self.outputs.write_report(self.report.to_json())
            raise
        finally:
            await self.summarizer.aclose()
        self.close_report(started, interrupted=self.draining)
        view.update(self.report, force=True)
        status = "aborted" if self.abort else "interrupted" if self.draining else "finished"
        self.store.finish_run(self.run_id, self.report.counts, status)
        self.outputs.write_report(self.report.to_json())
        return self.report


def inputs(options: BatchOptions) -> list[Path]:
    """The files a run (or a dry run) reads: not its own outputs or store files, and (a server's
    runs) none whose real path is outside ``options.confine``."""
    if not options.root.is_dir():
        raise ConfigError(f"{options.root}: not a folder")
    exclude = (options.out, *store_files(options.db))
    return discover(options.root, options.pattern, exclude=exclude, confine=options.confine)


def run_batch(settings: Settings, options: BatchOptions, *, engine: Engine | None = None) -> BatchReport:
    """Summarize every article under ``options.root``; see the module docstring.

    ``engine``: the engine to use instead of the one ``settings`` choose (a test's fake engine;
    it is not paced or limited by the run's rate limiter unless it was built with them)."""
    paths = inputs(options)
    with Store(options.db) as store:
        batch = BatchRun(settings, options, store, engine=engine)
        priced = batch.llm and batch.budget.cost(Usage()) is not None
        with ProgressView(live=options.live_progress, priced=priced, shown=options.show_progress) as view:
            try:
                return asyncio.run(batch.run(paths, view))
            except KeyboardInterrupt:
                raise BatchInterrupted(batch.report) from None


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a run: what had finished is stored, and ``report`` (also in report.json) says so."""

    def __init__(self, report: BatchReport) -> None:
        super().__init__("batch run interrupted")
        self.report = report
