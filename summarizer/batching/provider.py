"""``summarizer batch DIR --via provider-batch``: a folder through the provider's Batch API, resumable.

A run:

1. **plan**: every item is ingested; a cache hit or a stored failure is
   finished as online; an article over the per-request budget goes through
   the online path (``chunking``: it needs N + 1 answers, the last depending
   on the others); every other cache key waits for a batch answer.
2. **submit**: keys no open batch holds are written as request lines
   (``llm.batchapi.request_body``: the online path's body) into input files
   under the provider's limits (``inputs.Packer``); each complete file is
   recorded with its requests in the store (``store.batches``), then uploaded
   (``/v1/files``) and made a batch (``/v1/batches``), every file and batch id
   recorded as soon as it is known (``submit.Submitter``).
3. **poll** the open batches with a backoff (``Settings.batch_poll`` doubling to
   ``batch_poll_max``), at most ``batch_wait`` seconds in all.
4. **collect** a finished batch: its output and error files are downloaded and
   read line by line (``collect``); each answer is validated and grounded as
   online (``llm.batchapi.read_answer``); one that fails is re-asked online
   with instructor's own re-ask (``Batches.reask``, bounded by
   ``Settings.reasks``; counted); results and failures go to the summaries
   table under the online cache key, so an online run finds them and vice
   versa. A request the batch did not answer (expired, a 5xx inside it) is
   sent again in a new batch, at most ``batch_resubmits`` times.
5. **deliver**: every item of a finished key gets its output file and run item.

Kill it at any point and run it again: the store says what each input file
and batch had reached. A planned file whose upload was interrupted is looked
up on the provider by its unique name before it is uploaded, an uploaded one
by its file id before a batch is made, so nothing is uploaded or created
twice; a batch being collected is read again and only the requests not yet
``done`` are processed; results are committed before output files are
written. Items still waiting when the run stops are ``skipped`` with the
batch they wait for; the next run collects them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summarizer import chunking
from summarizer.article import Article
from summarizer.batching.plan import Item, Readable, Unreadable, items_of
from summarizer.batching.progress import Progress, ProgressView
from summarizer.batching.provider_report import ProviderReport
from summarizer.batching.report import ItemOutcome
from summarizer.batching.runner import BatchOptions, BatchRun, inputs
from summarizer.batching.submit import Submitter
from summarizer.cost import (
    pricing,
)
from summarizer.engines import LLMEngine
from summarizer.errors import ConfigError, ProviderError, SummarizerError
from summarizer.schema import SCHEMA_VERSION
from summarizer.settings import Settings
from summarizer.store import KeyParts, Store

if TYPE_CHECKING:
    from summarizer.llm.batchapi import Batches

log = logging.getLogger(__name__)

DELIVER_AT_ONCE = 256
"""Items finished concurrently (their commits share groups; see ``commit.GroupCommit``)."""


def workdir(db: Path) -> Path:
    """Where a store's input files and downloaded results are kept (hidden: never an input)."""
    return db.parent / f".{db.name}.batches"


@dataclass
class Waiting:
    """A cache key waiting for a batch answer, and the run's items that want it."""

    parts: KeyParts
    article: Article
    items: list[Readable]
    done: bool = False


class ProviderBatchRun:
    """One ``--via provider-batch`` run; see the module docstring."""

    def __init__(
        self,
        settings: Settings,
        options: BatchOptions,
        store: Store,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if settings.fallback == "offline":
            raise ConfigError("--via provider-batch does not take --fallback offline (yet): leave it out")
        self.base = BatchRun(settings, options, store)
        engine = self.base.summarizer.engine
        if not isinstance(engine, LLMEngine):
            raise ConfigError(
                "--via provider-batch needs a model endpoint with a Batch API (--base-url or a key)"
            )
        self.settings, self.options, self.store = settings, options, store
        self.engine = engine
        self.report = ProviderReport(self.base.run_id, "llm", engine.id.model)
        self.base.report = self.report
        self.parts = KeyParts("", engine.id.name, engine.id.model, engine.id.prompt_hash, SCHEMA_VERSION)
        self.folder = workdir(options.db)
        self.sleep, self.clock = sleep, clock
        self.waiting: dict[str, Waiting] = {}
        self.long: list[Readable] = []
        self.online_tasks: list[asyncio.Future[None]] = []
        self.online_gate = asyncio.Semaphore(options.concurrency)
        self.send_failed: str | None = None
        self.standard = pricing(engine.id.model or "", options.price, base_url=engine.id.base_url)
        self.reserved = 0.0
        """Expected cost of the requests this run put in batches (``--max-cost``)."""
        self.online_cost = 0.0
        """What this run's online re-asks cost."""
        self._api: Batches | None = None
        self.submitter = Submitter(self)

    @property
    def api(self) -> Batches:
        if self._api is None:
            from summarizer.llm.batchapi import Batches

            self._api = Batches(
                self.engine.config, sleep=self.sleep, pacer=self.base.limiter, slots=self.base.slots
            )
        return self._api

    # --- the run ------------------------------------------------------------------------------

    async def run(self, paths: list[Path], view: Progress) -> ProviderReport:
        started = self.clock()
        try:
            self._tidy()
            await self._plan(paths, view)
            for item in self.long:
                self.go_online(item, view)
            try:
                await self._batches(started, view)
            finally:
                await asyncio.gather(*self.online_tasks)
            await self._leftovers(view)
        except BaseException:
            with contextlib.suppress(SummarizerError):
                self.base.commits.flush()
                self.store.finish_run(self.base.run_id, self.report.counts, "interrupted")
            raise
        finally:
            if self._api is not None:
                self.report.api_requests = self._api.requests
                await self._api.close()
            await self.base.summarizer.aclose()
        self.report.aborted = self.base.abort
        self.report.wall_seconds = self.clock() - started
        view.update(self.report, force=True)
        self.store.finish_run(
            self.base.run_id, self.report.counts, "aborted" if self.base.abort else "finished"
        )
        self.base.outputs.write_report(self.report.to_json())
        return self.report

    def _tidy(self) -> None:
        """Remove input files a killed run left half written, or written but never recorded (not while
        another run of this store is going on: they may be its files in the making)."""
        if not self.folder.is_dir() or self.store.other_runs(self.base.run_id):
            return
        known = {b.name for b in self.store.provider_batches()}
        for path in self.folder.glob("summarizer-*.jsonl*"):
            if path.name.endswith(".part") or path.name not in known:
                path.unlink(missing_ok=True)

    async def _gather(self, jobs: Iterable[Awaitable[None]]) -> None:
        batch: list[Awaitable[None]] = []
        for job in jobs:
            batch.append(job)
            if len(batch) >= DELIVER_AT_ONCE:
                await asyncio.gather(*batch)
                batch = []
        if batch:
            await asyncio.gather(*batch)

    async def _plan(self, paths: list[Path], view: Progress) -> None:
        for path in paths:
            items = items_of(path, self.options.root, max_bytes=self.settings.max_bytes)
            view.grow(len(items))
            await self._gather(self._take(item, view) for item in items)
        with self.store.transaction():
            for waiting in self.waiting.values():
                self.store.put_article(waiting.article)

    async def _take(self, item: Item, view: Progress) -> None:
        if isinstance(item, Unreadable):
            await self.base.finish(item, ItemOutcome(item.label, "skipped", item.error.message), None)
        else:
            parts = self.base.summarizer.cache_key(item.article)
            if await self.base.from_store(item, parts.key):
                pass
            elif (
                chunking.plan(item.article.text, self.engine.budget, self.settings.chunk_overlap) is not None
            ):
                self.long.append(item)
                return
            else:
                found = self.waiting.get(parts.key)
                if found is None:
                    self.waiting[parts.key] = Waiting(parts, item.article, [item])
                else:
                    found.items.append(item)
                return
        view.update(self.report)

    def go_online(self, item: Readable, view: Progress) -> None:
        """Summarize ``item`` through the online path (an article over the budget: chunks and a
        merge), at most ``--concurrency`` at once, while the batches run."""

        async def one() -> None:
            async with self.online_gate:
                await self.base.process(item)
            self.report.online += 1
            view.update(self.report)

        self.online_tasks.append(asyncio.ensure_future(one()))

    async def _batches(self, started: float, view: Progress) -> None:
        interval = self.settings.batch_poll
        while not self.base.abort:
            await self.submitter.submit(view)
            if not any(b.batch_id for b in self.store.provider_batches(self.parts)) or self.base.abort:
                return  # nothing sent is open (a send failed: the next run sends it)
            changed = await self._poll(view)
            if not self.store.provider_batches(self.parts):
                continue  # all collected: send what they left unanswered, if anything
            remaining = self.settings.batch_wait - (self.clock() - started)
            if remaining <= 0:
                return
            interval = (
                self.settings.batch_poll if changed else min(interval * 2, self.settings.batch_poll_max)
            )
            await self.sleep(min(interval, remaining))

    # --- poll and collect ---------------------------------------------------------------------

    async def _poll(self, view: Progress) -> bool:
        """Ask for every open batch's status; collect the finished ones. Whether anything changed."""
        from summarizer.batching.receive import Receiver

        changed = False
        for batch in self.store.provider_batches(self.parts):
            if batch.batch_id is None or self.base.abort:
                continue
            try:
                remote = await self.api.retrieve(batch.batch_id)
            except ConfigError as exc:
                self.base.stop(exc.message)
                return True
            except ProviderError as exc:
                log.warning("provider batch %s: status unknown (%s); asking again later", batch.batch_id, exc)
                continue
            if remote.status != batch.status:
                self.store.update_provider_batch(batch.id, status=remote.status)
                log.info(
                    "provider batch %s: %s (%d/%d done)",
                    remote.id,
                    remote.status,
                    remote.completed,
                    remote.total,
                )
                changed = True
            if remote.id not in self.report.batches:
                self.report.batches.append(remote.id)
            if remote.done:
                try:
                    await Receiver(self, batch, remote).collect()
                except ConfigError as exc:
                    self.base.stop(exc.message)
                    return True
                except ProviderError as exc:  # a download failed after its retries: try again later
                    log.warning("provider batch %s: not collected yet (%s)", remote.id, exc)
                    continue
                changed = True
                view.update(self.report)
        return changed

    # --- outcomes -----------------------------------------------------------------------------

    async def deliver(self, key: str) -> None:
        """Give every item waiting for ``key`` its outcome from the store (just committed there)."""
        waiting = self.waiting.get(key)
        if waiting is None or waiting.done:
            return
        waiting.done = True
        stored = self.store.get(key)
        if stored is not None and stored.hit and stored.result is not None:
            text = self.base.outputs.render(stored.result)
            status = stored.status

            async def one(item: Readable) -> None:
                outcome = ItemOutcome(item.label, status, stored.reason, output=self.base.outputs.name(item))
                await self.base.record(item, outcome, key)
                await self.base.deliver(item, text, outcome, key)

            await asyncio.gather(*(one(item) for item in waiting.items))
        else:
            reason = stored.reason if stored is not None and stored.reason else "no result was stored"
            await self.fail_items(key, reason)

    async def fail_items(self, key: str, reason: str) -> None:
        """Finish the items waiting for ``key`` as failed (what the store holds is the caller's)."""
        waiting = self.waiting.get(key)
        if waiting is None:
            return
        waiting.done = True
        await asyncio.gather(
            *(
                self.base.finish(item, ItemOutcome(item.label, "failed", reason), key)
                for item in waiting.items
            )
        )

    async def _leftovers(self, view: Progress) -> None:
        held = self.store.keys_in_batches([k for k, w in self.waiting.items() if not w.done])
        names = {b.id: (b.batch_id or b.name, b.status) for b in self.store.provider_batches(self.parts)}
        for key, waiting in self.waiting.items():
            if waiting.done:
                continue
            if self.base.abort:
                reason = f"run aborted: {self.base.abort}"
            elif key in held:
                name, status = names.get(held[key], ("?", "?"))
                if status in ("planned", "uploaded"):
                    why = self.send_failed or "the run stopped first"
                    reason = f"not sent yet ({why}): run the same command again to send it"
                else:
                    reason = f"waiting for provider batch {name} ({status}): run the same command again"
                self.report.pending += len(waiting.items)
            else:
                reason = f"not sent: {self.send_failed or 'the run stopped first'}"
            waiting.done = True
            await asyncio.gather(
                *(self.base.finish(i, ItemOutcome(i.label, "skipped", reason), key) for i in waiting.items)
            )
            view.update(self.report)


def run_provider_batch(settings: Settings, options: BatchOptions) -> ProviderReport:
    """Summarize every article under ``options.root`` through the provider's Batch API."""
    paths = inputs(options)
    with Store(options.db) as store:
        run = ProviderBatchRun(settings, options, store)
        with ProgressView(live=options.live_progress, shown=options.show_progress) as view:
            return asyncio.run(run.run(paths, view))
