"""Live progress: a rich bar on a terminal, plain periodic log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO

from rich import progress as rich_progress
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeRemainingColumn

from summarizer.batch.report import BatchReport


class Progress(Protocol):
    """What a run tells about its progress (``ProgressView`` on a terminal; a server's job events)."""

    def grow(self, n: int) -> None:
        """``n`` more items were found."""

    def update(self, report: BatchReport, *, force: bool = False) -> None:
        """An item finished (``force``: the run did, show it now)."""


class ProgressView:
    """Shows done/failed/skipped, rate, ETA and tokens; ``total`` grows as files are ingested."""

    def __init__(self, *, live: bool | None = None, stream: TextIO | None = None, every: float = 5.0) -> None:
        self._stream = stream or sys.stderr
        self._live = self._stream.isatty() if live is None else live
        self._every = every
        self._last = 0.0
        self._started = time.monotonic()
        self._total = 0
        self._progress: rich_progress.Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> ProgressView:
        if self._live:
            self._progress = rich_progress.Progress(
                TextColumn("[bold]summarizing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[status]}"),
                TimeRemainingColumn(),
                console=Console(file=self._stream),
                transient=False,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task("batch", total=None, status="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)

    def grow(self, n: int) -> None:
        self._total += n

    def update(self, report: BatchReport, *, force: bool = False) -> None:
        c = report.counts
        done = len(report.outcomes)
        elapsed = max(time.monotonic() - self._started, 1e-9)
        rate = done / elapsed
        status = (
            f"ok {c['ok'] + c['degraded']} failed {c['failed']} skipped {c['skipped']} "
            f"· {rate:.1f}/s · {report.prompt_tokens + report.completion_tokens} tokens"
        )
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done, total=self._total or None, status=status)
            return
        now = time.monotonic()
        if force or now - self._last >= self._every:
            self._last = now
            self._stream.write(f"batch: {done}/{self._total} · {status}\n")
            self._stream.flush()
