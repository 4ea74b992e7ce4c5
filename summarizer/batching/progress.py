"""Live progress: a rich bar on a terminal, plain periodic log lines otherwise.

The total is known before the first item starts: the runner counts the files
it will read (``grow(len(files))``) and adds one for each extra article a
multi-article file turns out to hold when it is read, so the ETA is an
estimate from the first item on, not ``-:--:--``. While the bar is live, log
records that would go to the bar's stream (retry warnings …) are printed
through the bar's console, above it, instead of into its line: the
handlers the CLI configured are swapped for a ``RichHandler`` for the
duration and put back after (the library itself configures no logging).
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING, Protocol, TextIO

from summarizer.batching.report import BatchReport

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


class Progress(Protocol):
    """What a run tells about its progress (``ProgressView`` on a terminal; a server's job events)."""

    def grow(self, n: int) -> None:
        """``n`` more items are known (the files to read at the start; then extra articles found)."""

    def update(self, report: BatchReport, *, force: bool = False) -> None:
        """An item finished (``force``: the run did, show it now)."""


def status_line(report: BatchReport, elapsed: float, *, priced: bool) -> str:
    """Counts, rate, tokens, cost so far (when prices are known) and retries, for the bar or a log line."""
    c = report.counts
    done = len(report.outcomes)
    rate = done / elapsed if elapsed > 0 else 0.0
    parts = [
        f"ok {c['ok'] + c['degraded']:,} failed {c['failed']:,} skipped {c['skipped']:,}",
        f"{rate:,.1f}/s",
        f"{report.prompt_tokens + report.completion_tokens:,} tokens",
    ]
    if priced and report.cost_usd is not None:
        parts.append(f"${report.cost_usd:,.4f}")
    if report.retries or report.rate_limited:
        parts.append(f"{report.retries:,} retried ({report.rate_limited:,} × 429)")
    return " · ".join(parts)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class ProgressView:
    """Shows done/total, elapsed, ETA, rate, tokens, cost so far and retries."""

    def __init__(
        self,
        *,
        live: bool | None = None,
        stream: TextIO | None = None,
        every: float = 5.0,
        priced: bool = False,
        shown: bool = True,
    ) -> None:
        """``priced``: the run knows its model's prices, so the cost so far is shown. ``shown``
        False: nothing is written (a library call's progress is its caller's business)."""
        self._stream = stream or sys.stderr
        self._shown = shown
        self._live = shown and (self._stream.isatty() if live is None else live)
        self._every = every
        self._priced = priced
        self._last = 0.0
        self._started = time.monotonic()
        self._total = 0
        self._progress: RichProgress | None = None
        self._task: TaskID | None = None
        self._swapped: list[tuple[logging.Logger, logging.Handler, logging.Handler]] = []

    def __enter__(self) -> ProgressView:
        self._started = time.monotonic()
        if self._live:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            self._progress = RichProgress(
                TextColumn("[bold]summarizing"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[status]}"),
                console=Console(file=self._stream),
                transient=False,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task("batch", total=self._total or None, status="")
            self._route_logging(self._progress.console)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)
            self._restore_logging()

    def _route_logging(self, console: object) -> None:
        """Swap every handler writing to the bar's stream for a ``RichHandler`` on its console."""
        from rich.console import Console
        from rich.logging import RichHandler

        assert isinstance(console, Console)
        loggers = [logging.getLogger(), *(logging.getLogger(n) for n in logging.root.manager.loggerDict)]
        for logger in loggers:
            for handler in list(logger.handlers):
                if isinstance(handler, logging.StreamHandler) and handler.stream is self._stream:
                    rich = RichHandler(console=console, show_path=False, show_time=False, level=handler.level)
                    rich.setFormatter(logging.Formatter("%(name)s: %(message)s"))
                    logger.removeHandler(handler)
                    logger.addHandler(rich)
                    self._swapped.append((logger, handler, rich))

    def _restore_logging(self) -> None:
        for logger, original, rich in self._swapped:
            logger.removeHandler(rich)
            logger.addHandler(original)
        self._swapped.clear()

    def grow(self, n: int) -> None:
        self._total += n
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, total=self._total or None)

    def update(self, report: BatchReport, *, force: bool = False) -> None:
        done = len(report.outcomes)
        now = time.monotonic()
        elapsed = now - self._started
        if self._progress is not None and self._task is not None:
            if force or now - self._last >= 0.1:  # rich redraws 10 times a second: format no more often
                self._last = now
                status = status_line(report, elapsed, priced=self._priced)
                self._progress.update(self._task, completed=done, total=self._total or None, status=status)
            return
        if self._shown and (force or now - self._last >= self._every):
            self._last = now
            status = status_line(report, elapsed, priced=self._priced)
            eta = ""
            if 0 < done < self._total:
                eta = f" · eta {_duration(elapsed / done * (self._total - done))}"
            self._stream.write(f"batch: {done:,}/{self._total:,} · {_duration(elapsed)}{eta} · {status}\n")
            self._stream.flush()
