"""Shared pieces of the batch benchmarks: the simulator process, settings, timing, verdicts.

The simulator runs as a separate process on 127.0.0.1 (so it does not share
the client's GIL) and is stopped in a ``finally``; its stdout, one line per
request with the status, is read by a thread and kept with the time each line
arrived, so the benchmarks count requests and 429s where the server saw them.
Every wait here is bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from summarizer.batching import BatchOptions, BatchReport, run_batch
from summarizer.settings import Settings

BENCH = Path(__file__).resolve().parent
T = TypeVar("T")

_LINE = re.compile(
    r"^(?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d+) (?P<latency>[\d.]+)s(?: fault=(?P<fault>\S+))?$"
)
_LISTENING = re.compile(r"^simulator listening on (?P<url>http://127\.0\.0\.1:\d+/v1) ")


@dataclass(frozen=True)
class LogLine:
    """One request as the simulator logged it; ``at`` is when the line reached us (monotonic)."""

    at: float
    method: str
    path: str
    status: int
    latency: float
    fault: str | None

    @property
    def is_chat(self) -> bool:
        return self.method == "POST" and self.path.endswith("/chat/completions")

    @property
    def arrived(self) -> float:
        """When the request reached the server: the line is written once the answer is ready."""
        return self.at - self.latency


class SimProcess:
    """``summarizer simulate`` (or ``bench/simserver.py``) in a child process on loopback.

    ``stock=True`` runs ``python -m summarizer simulate`` exactly; the default
    runs ``bench/simserver.py``, the same server with an answer cache that holds
    every article and without the ~40 ms Nagle stall per response (see that
    file for why).
    """

    def __init__(
        self,
        *,
        latency: float = 0.0,
        rpm: int | None = None,
        stock: bool = False,
        startup_timeout: float = 30.0,
    ) -> None:
        self.latency = latency
        self.rpm = rpm
        self.stock = stock
        self.startup_timeout = startup_timeout
        self.url = ""
        self._lines: list[LogLine] = []
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._proc: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._stderr: IO[str] | None = None
        self._client_cpus_before: set[int] = set()

    def command(self) -> list[str]:
        args = ["--port", "0", "--latency", str(self.latency)]
        if self.rpm is not None:
            args += ["--rpm", str(self.rpm)]
        if self.stock:
            return [sys.executable, "-m", "summarizer", "simulate", *args]
        return [sys.executable, str(BENCH / "simserver.py"), *args]

    def __enter__(self) -> SimProcess:
        self._stderr = tempfile.TemporaryFile("w+", encoding="utf-8")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        server_cpus, client_cpus = split_cpus()
        self._client_cpus_before = os.sched_getaffinity(0)
        self._proc = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=env,
            preexec_fn=(lambda: os.sched_setaffinity(0, server_cpus)) if server_cpus else None,
        )
        if client_cpus:
            os.sched_setaffinity(0, client_cpus)
        self._reader = threading.Thread(target=self._read, name="sim-log-reader", daemon=True)
        self._reader.start()
        if not self._ready.wait(self.startup_timeout) or not self.url:
            tail = self.stderr_tail()
            self.__exit__(None, None, None)
            raise RuntimeError(f"the simulator did not start within {self.startup_timeout:g}s: {tail}")
        return self

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for raw in self._proc.stdout:  # ends at EOF, when the process exits
            line = raw.rstrip("\n")
            if not self._ready.is_set():
                found = _LISTENING.match(line)
                if found:
                    self.url = found.group("url")
                    self._ready.set()
                continue
            parsed = _LINE.match(line)
            if parsed is None:
                continue
            entry = LogLine(
                at=time.monotonic(),
                method=parsed.group("method"),
                path=parsed.group("path"),
                status=int(parsed.group("status")),
                latency=float(parsed.group("latency")),
                fault=parsed.group("fault"),
            )
            with self._lock:
                self._lines.append(entry)
        self._ready.set()  # a process that died before listening must not keep us waiting

    def __exit__(self, *exc: object) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # serve_forever stops cleanly on Ctrl-C
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
        if self._reader is not None:
            self._reader.join(timeout=5)
        if self._client_cpus_before:
            os.sched_setaffinity(0, self._client_cpus_before)
        if self._stderr is not None:
            self._stderr.close()

    def stderr_tail(self, lines: int = 20) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return "".join(self._stderr.readlines()[-lines:])

    def lines(self) -> list[LogLine]:
        with self._lock:
            return list(self._lines)

    def settle(self, quiet: float = 0.3, limit: float = 10.0) -> int:
        """Wait until no log line has arrived for ``quiet`` seconds (at most ``limit``); the count."""
        deadline = time.monotonic() + limit
        count = len(self.lines())
        while time.monotonic() < deadline:
            time.sleep(quiet)
            now = len(self.lines())
            if now == count:
                break
            count = now
        return count

    def chat_since(self, mark: int) -> list[LogLine]:
        return [line for line in self.lines()[mark:] if line.is_chat]

    def cpu_seconds(self) -> float:
        """User + system CPU time the simulator process has used so far (Linux /proc)."""
        assert self._proc is not None
        try:
            stat = Path(f"/proc/{self._proc.pid}/stat").read_text()
        except OSError:
            return float("nan")
        fields = stat.rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks


def split_cpus() -> tuple[set[int], set[int]]:
    """(simulator CPUs, client CPUs): the last CPU for the server, the others for us.

    Two processes on two cores otherwise trade places under the scheduler and
    the run-to-run spread grows to +-20%; a remote server has its own CPUs
    anyway. The client is one event loop, so one core is all it can use.
    Nothing is pinned on a single-CPU machine.
    """
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return set(), set()
    return {cpus[-1]}, set(cpus[:-1])


def add_sim_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stock-simulator",
        action="store_true",
        help="run `python -m summarizer simulate` as it is (256-answer cache, ~40 ms stall per response)",
    )


def sim_from_args(args: argparse.Namespace, *, latency: float = 0.0, rpm: int | None = None) -> SimProcess:
    if args.stock_simulator:
        print("  simulator: stock `python -m summarizer simulate`")
    return SimProcess(latency=latency, rpm=rpm, stock=args.stock_simulator)


def statuses(lines: list[LogLine]) -> Counter[int]:
    return Counter(line.status for line in lines)


def llm_settings(url: str, **over: Any) -> Settings:
    """Settings for the LLM path against the simulator; no .env file, every relevant value explicit."""
    given: dict[str, Any] = {
        "engine": "llm",
        "base_url": url,
        "model": "sim-1",
        "mode": "tools",
        "api_key": "sk-bench-not-a-real-key",
        "fallback": "none",
        "timeout": 30.0,
        "deadline": 90.0,
    }
    given.update(over)
    return Settings(_env_file=None, **given)  # type: ignore[call-arg]


def batch_options(
    root: Path, work: Path, name: str, *, concurrency: int, rpm: int | None = None
) -> BatchOptions:
    """A run writing to its own store and output folder under ``work`` (outside ``root``)."""
    return BatchOptions(
        root=root,
        out=work / f"{name}-out",
        db=work / f"{name}.db",
        concurrency=concurrency,
        rpm=rpm,
        live_progress=False,
    )


@contextlib.contextmanager
def quiet_progress() -> Iterator[list[str]]:
    """Swallow the runner's plain progress lines on stderr; keep (and show a few of) the rest."""
    buffer = io.StringIO()
    kept: list[str] = []
    try:
        with contextlib.redirect_stderr(buffer):
            yield kept
    finally:
        kept.extend(line for line in buffer.getvalue().splitlines() if not line.startswith("batch: "))
        for line in kept[:5]:
            print(f"    (stderr) {line[:200]}", file=sys.stderr)
        if len(kept) > 5:
            print(f"    (stderr) … {len(kept) - 5} more lines", file=sys.stderr)


@dataclass
class Timed:
    wall: float
    cpu: float
    steal: float = 0.0
    """Share of the wall time the hypervisor ran something else on this process's CPUs."""


def _steal_seconds(cpus: set[int]) -> float:
    """Steal time so far on ``cpus`` (from /proc/stat; 0 where there is none)."""
    try:
        lines = Path("/proc/stat").read_text().splitlines()
    except OSError:
        return 0.0
    ticks = 0
    for line in lines:
        name, *fields = line.split()
        if name.startswith("cpu") and name[3:].isdigit() and int(name[3:]) in cpus and len(fields) > 7:
            ticks += int(fields[7])
    return ticks / os.sysconf("SC_CLK_TCK")


def timed(fn: Callable[[], T]) -> tuple[T, Timed]:
    """``fn()`` with its wall time, this process's CPU time (all threads) and the steal time."""
    cpus = os.sched_getaffinity(0)
    steal0 = _steal_seconds(cpus)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    result = fn()
    wall = time.perf_counter() - wall0
    steal = (_steal_seconds(cpus) - steal0) / len(cpus) / wall if wall else 0.0
    return result, Timed(wall, time.process_time() - cpu0, steal)


def run_batch_timed(settings: Settings, options: BatchOptions) -> tuple[BatchReport, Timed]:
    with quiet_progress():
        return timed(lambda: run_batch(settings, options))


def lost(report: BatchReport) -> int:
    """Items that did not end ``ok`` or ``degraded``."""
    counts = report.counts
    return counts["failed"] + counts["skipped"]


def verdict(label: str, value: float, target: str, ok: bool) -> str:
    line = f"  {label}: {value:.3f}   target {target}   {'PASS' if ok else 'FAIL'}"
    print(line)
    return "PASS" if ok else "FAIL"


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="summarizer-bench-") as tmp:
        yield Path(tmp)


def header(title: str) -> None:
    print(f"== {title}", flush=True)
