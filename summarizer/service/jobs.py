"""Batch jobs of the service: a bounded queue, one job at a time, state in the store, resumable.

A job is a batch run (``batching.runner.BatchRun``) over an upload folder or an
allowed server-side folder, with the service's engine and rate limiter and
its own cap on requests in flight. Its row in the store (``store.jobs``) is
the truth: a job accepted is ``queued`` there before the request returns, so
a restart finds it; a job still ``queued`` or ``running`` when the service
starts is run again, and the summaries cache makes that re-run send nothing
for articles already done. Live progress (counts so far) is kept in memory
for ``GET /v1/batches/{id}/events``.

On shutdown the running job is drained (``BatchRun.drain``: articles in
flight finish and are committed, no new ones start) and left ``queued``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.batching.report import BatchReport
from summarizer.batching.runner import BatchOptions, BatchRun, inputs
from summarizer.errors import RequestRefused, SummarizerError

if TYPE_CHECKING:
    from summarizer.service.state import Service

log = logging.getLogger(__name__)

DRAIN_SECONDS = 60.0
"""How long shutdown waits for a draining job's in-flight articles before cancelling them."""
TERMINAL = frozenset({"finished", "aborted", "failed"})


@dataclass
class LiveJob:
    """What ``events`` reports while a job runs."""

    id: str
    status: str = "queued"
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    tokens: int = 0
    version: int = 0
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def snapshot(self) -> dict[str, Any]:
        done = sum(self.counts.values())
        return {
            "id": self.id,
            "status": self.status,
            "total": self.total,
            "done": done,
            "counts": dict(self.counts),
            "tokens": self.tokens,
        }

    def touch(self) -> None:
        self.version += 1
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def changed(self, seen: int, timeout: float) -> None:
        """Until ``version`` differs from ``seen``, or ``timeout`` seconds."""
        if self.version != seen:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)


class _Progress:
    """``batch.progress.Progress`` for a job: counts into its ``LiveJob``."""

    def __init__(self, live: LiveJob, every: float = 0.2) -> None:
        self.live = live
        self.every = every
        self._last = 0.0

    def grow(self, n: int) -> None:
        self.live.total += n

    def update(self, report: BatchReport, *, force: bool = False) -> None:
        self.live.counts = report.counts
        self.live.tokens = report.prompt_tokens + report.completion_tokens
        now = time.monotonic()
        if force or now - self._last >= self.every:
            self._last = now
            self.live.touch()


class JobManager:
    def __init__(self, service: Service) -> None:
        self.service = service
        self.waiting: deque[str] = deque()
        self.live: dict[str, LiveJob] = {}
        self._wake = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None
        self._current: BatchRun | None = None
        self._stopping = False

    async def start(self) -> None:
        """Take up the jobs a previous process left unfinished, then wait for new ones."""
        for job in self.service.store.unfinished_jobs():
            log.info("job %s: resuming (was %s)", job.id, job.status)
            self._enqueue(job.id)
        self._worker = asyncio.create_task(self._work(), name="summarizer-jobs")

    def submit(self, spec: dict[str, Any]) -> str:
        """Accept a job (its row is ``queued`` before this returns) or refuse it with 503."""
        self.check_capacity()
        job_id = self.service.store.create_job(spec)
        self._enqueue(job_id)
        return job_id

    def check_capacity(self) -> None:
        if self._stopping:
            raise RequestRefused("the service is shutting down; submit the job again later", status=503)
        if len(self.waiting) >= self.service.config.queue_size:
            raise RequestRefused(
                f"{len(self.waiting)} jobs are waiting already (the queue holds "
                f"{self.service.config.queue_size}); try again later",
                status=503,
            )

    def _enqueue(self, job_id: str) -> None:
        self.live[job_id] = LiveJob(job_id)
        self.waiting.append(job_id)
        self._wake.set()

    async def shutdown(self) -> None:
        """Drain the running job (see the module docstring) and stop."""
        self._stopping = True
        if self._current is not None:
            log.info("shutting down: letting the articles in flight finish")
            self._current.drain()
        if self._worker is not None:
            self._wake.set()
            try:
                await asyncio.wait_for(asyncio.shield(self._worker), DRAIN_SECONDS)
            except TimeoutError:
                self._worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._worker

    async def _work(self) -> None:
        while not self._stopping:
            if not self.waiting:
                self._wake.clear()
                await self._wake.wait()
                continue
            job_id = self.waiting.popleft()
            try:
                await self._run(job_id)
            except Exception:  # a bug in one job must not stop the queue
                log.exception("job %s failed unexpectedly", job_id)
                with contextlib.suppress(SummarizerError):
                    self.service.store.update_job(job_id, status="failed", error="internal error")
                self._set(job_id, "failed")

    async def _run(self, job_id: str) -> None:
        service, store = self.service, self.service.store
        job = store.job(job_id)
        if job is None:
            return
        spec = job.spec
        root = Path(spec["root"])
        confine = (root,) if spec.get("origin") == "upload" else service.config.roots
        options = BatchOptions(
            root=root,
            out=service.config.files_dir / "outputs" / job_id,
            db=service.config.db,
            pattern=spec.get("glob") or "**/*",
            concurrency=service.config.concurrency,
            fmt="markdown" if spec.get("format") == "markdown" else "json",
            live_progress=False,
            confine=confine,
        )
        try:
            paths = await asyncio.to_thread(inputs, options)
        except SummarizerError as exc:
            store.update_job(job_id, status="failed", error=exc.message)
            self._set(job_id, "failed")
            return
        batch = BatchRun(service.settings, options, store, engine=service.engine, limiter=service.limiter)
        self._current = batch
        store.update_job(job_id, status="running", run_id=batch.run_id)
        live = self.live.setdefault(job_id, LiveJob(job_id))
        self._set(job_id, "running")
        try:
            report = await batch.run(paths, _Progress(live))
        finally:
            self._current = None
        if batch.draining:
            status = "queued"  # resumed at the next start
        elif report.aborted:
            status = "aborted"
        else:
            status = "finished"
        store.update_job(job_id, status=status, counts=report.counts, error=report.aborted)
        self._set(job_id, status)

    def _set(self, job_id: str, status: str) -> None:
        live = self.live.setdefault(job_id, LiveJob(job_id))
        live.status = status
        live.touch()
