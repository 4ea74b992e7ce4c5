"""A loopback OpenAI-compatible server for tests, cassettes, benchmarks and demos.

There is no API key on the machines this project is built on, so the LLM path
is exercised against this simulator: ``start(config)`` runs it in a background
thread (``with start(SimConfig(script=("429", "ok"))) as sim: ...``),
``serve_forever(config)`` runs it in the foreground for ``summarizer
simulate``. It answers ``POST /v1/chat/completions`` with the offline engine
(or any ``Brain``) and ``GET /v1/models``, with OpenAI's usage, rate-limit
headers and error bodies, and injects faults on request.

Determinism: the same seed and the same order of requests give the same
answers, ids, fault decisions and jitter; concurrent clients may reorder
arrivals, so determinism is per arrival order. ``created`` is wall-clock time.

Safety: binds to loopback only, speaks JSON over HTTP and never imports the
SDKs; logs method, path, status, latency and fault, never bodies.

Modules: ``server`` (HTTP and the per-request flow), ``chat`` (request and
completion format), ``faults`` (outcomes and faulty answers), ``limits``
(usage, prompt cache, rate limits), ``realism`` (real-model habits on the
quotes, ``SimConfig.realism``: off by default, so the offline engine's exact
quotes are what tests and cassettes see).
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import json
import math
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

from summarizer.article import Article
from summarizer.simulator.faults import FAULT_NAMES, FaultPlan

if TYPE_CHECKING:
    from summarizer.simulator.server import Server

__all__ = [
    "FAULT_NAMES",
    "Brain",
    "RequestRecord",
    "SimConfig",
    "Simulator",
    "default_brain",
    "serve_forever",
    "start",
]

Brain = Callable[[str], dict[str, Any]]
"""Article text -> a JSON object matching the requested schema."""

MAX_WAIT_SECONDS = 600.0


@dataclass
class SimConfig:
    """How the simulator behaves. Invalid values raise ValueError on construction."""

    host: str = "127.0.0.1"
    """Loopback only (127.0.0.0/8, ::1 or localhost); anything else is refused."""
    port: int = 0
    """0 picks a free port."""
    latency: float = 0.0
    """Seconds from a chat request's arrival to its answer, the server's own work included."""
    jitter: float = 0.0
    """Uniform +- seconds on top of latency, drawn from the seed."""
    rpm: int | None = None
    """Requests per minute; beyond it, 429 with retry-after headers."""
    tpm: int | None = None
    """Tokens per minute (prompt + max_tokens, or 4096 if unset); beyond it, 429."""
    fault_rate: float = 0.0
    """Probability that a chat request (after the script) gets a random fault."""
    faults: tuple[str, ...] = ()
    """Faults fault_rate draws from; empty means 429, 500, 503, truncated, invented_quote."""
    script: tuple[str, ...] = ()
    """Outcomes of the first chat requests, in order; then "ok" (or random faults).

    Only chat requests that parse (model and messages present) and pass the
    rate limiter take an outcome; a malformed body or a limiter 429 does not.
    """
    hang_seconds: float = 30.0
    """How long a "hang" waits before answering (at most 600; close() interrupts it)."""
    seed: int = 0
    model: str = "sim-1"
    context_window: int | None = None
    """Prompt + max_tokens a chat request may ask for; beyond it, 400 ``context_length_exceeded``
    (None: no limit)."""
    batch_validating: float = 0.0
    """Seconds a new batch stays ``validating``."""
    batch_request_seconds: float = 0.0
    """Seconds each request of a batch takes (``in_progress`` lasts this times the requests)."""
    batch_finalizing: float = 0.0
    """Seconds a batch stays ``finalizing`` (or ``cancelling``)."""
    batch_window: float = 86_400.0
    """The completion window: a batch not done this many seconds after creation expires."""
    batch_script: tuple[str, ...] = ()
    """Outcomes of the first batch lines, in order (HTTP errors and answer faults), then "ok"."""
    batch_fault_rate: float = 0.0
    """Probability that a batch line (after the script) draws a fault from ``batch_faults``."""
    batch_faults: tuple[str, ...] = ()
    batches_script: tuple[str, ...] = ()
    """Outcomes of the first batches created: "ok", "fail" (validation), "expire" (half done)."""
    api_script: tuple[str, ...] = ()
    """Outcomes of the first uploads and batch creations: "ok", "500", "drop" (made, answer lost)."""
    realism: str = "off"
    """Real-model habits on the quotes it returns: "off" (the offline engine's exact quotes),
    "typical" or "sloppy"; rates and sources in ``simulator.realism``."""

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        bind_host(self.host)
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be between 0 and 65535 (got {self.port})")
        for name in ("batch_validating", "batch_request_seconds", "batch_finalizing", "batch_window"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a non-negative number of seconds (got {value})")
        from summarizer.simulator.batches import validate_config

        validate_config(self.batch_script, self.batch_faults, self.batches_script, self.api_script)
        FaultPlan(self.batch_script, self.batch_fault_rate, (), self.seed)  # checks batch_fault_rate
        for name in ("latency", "jitter", "hang_seconds"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0 <= value <= MAX_WAIT_SECONDS):
                raise ValueError(f"{name} must be between 0 and {MAX_WAIT_SECONDS:g} seconds (got {value})")
        for name in ("rpm", "tpm", "context_window"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be a positive number or unset (got {value})")
        if not self.model:
            raise ValueError("model must be a non-empty name")
        FaultPlan(self.script, self.fault_rate, self.faults, self.seed)  # checks names and fault_rate
        from summarizer.simulator.realism import profile

        profile(self.realism)  # checks the mode


def bind_host(host: str) -> str:
    """The address to bind for ``host``; ValueError unless it is a loopback address."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is None or not address.is_loopback:
        raise ValueError(f"the simulator binds to loopback only (127.0.0.1, ::1 or localhost), not {host!r}")
    return host


@dataclass(frozen=True)
class RequestRecord:
    """One HTTP request the simulator handled."""

    method: str
    path: str
    status: int
    """HTTP status sent; 0 when the server closed before answering (e.g. during a hang)."""
    latency: float
    """Seconds from reading the request to sending the answer."""
    fault: str | None
    """The injected fault's name, "rate_limit" for a limiter 429, None for a plain answer."""
    body: Any
    """The parsed JSON request body of a chat request, else None."""
    usage: dict[str, Any] | None = None
    """The ``usage`` object of a chat completion that was sent."""
    arrived: float = 0.0
    """``time.monotonic()`` when the request was read: ``arrived`` to ``arrived + latency`` is
    when it was in flight at the server."""


class Simulator:
    """A running simulator; ``close()`` it, or use it as a context manager."""

    def __init__(self, server: Server, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        self._closed = False
        host, port = server.server_address[:2]
        self.host = str(host)
        self.port = int(port)
        shown = f"[{self.host}]" if ":" in self.host else self.host
        self.base_url = f"http://{shown}:{self.port}/v1"
        self.config = server.engine.config

    @property
    def requests(self) -> list[RequestRecord]:
        """Requests handled so far (the latest ``max_records``), in the order answered; a live list."""
        return self._server.engine.records

    def close(self) -> None:
        """Stop serving; waiting hangs and latencies end at once, open connections are cut."""
        if self._closed:
            return
        self._closed = True
        engine = self._server.engine
        engine.stop.set()
        self._server.shutdown()
        self._server.server_close()
        with engine.lock:
            connections = list(engine.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)
        with engine.idle:  # handlers record what they were doing, then end
            engine.idle.wait_for(lambda: not engine.connections, timeout=2)

    def __enter__(self) -> Simulator:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def start(
    config: SimConfig,
    brain: Brain | None = None,
    *,
    clock: Callable[[], float] | None = None,
    on_record: Callable[[RequestRecord], None] | None = None,
    max_records: int = 10_000,
) -> Simulator:
    """Start a simulator in a daemon thread.

    ``clock`` (monotonic seconds) drives the rate limits, so tests can move
    time; ``on_record`` sees each request as it is answered; ``requests``
    keeps the latest ``max_records``.
    """
    from summarizer.simulator.server import Engine, Server

    config.validate()
    engine = Engine(config, brain or default_brain, clock, max_records)
    engine.on_record = on_record
    server = Server((bind_host(config.host), config.port), engine)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="summarizer-simulator", daemon=True
    )
    thread.start()
    return Simulator(server, thread)


def serve_forever(config: SimConfig, brain: Brain | None = None, log: TextIO = sys.stdout) -> None:
    """Serve in the foreground until Ctrl-C, one log line per request (no bodies)."""
    write = threading.Lock()

    def line(record: RequestRecord) -> None:
        fault = f" fault={record.fault}" if record.fault else ""
        with write:
            log.write(f"{record.method} {record.path} {record.status} {record.latency:.3f}s{fault}\n")
            log.flush()

    sim = start(config, brain, on_record=line, max_records=0)
    try:
        with write:
            log.write(f"simulator listening on {sim.base_url} (model {config.model}); Ctrl-C to stop\n")
            log.flush()
        while sim._thread.is_alive():
            sim._thread.join(timeout=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        sim.close()
    log.write("simulator stopped\n")
    log.flush()


def default_brain(text: str) -> dict[str, Any]:
    """Answer with the offline engine: its summary as the model-facing JSON (no offsets)."""
    answer = json.loads(_offline_answer(text))
    assert isinstance(answer, dict)
    return answer


@functools.lru_cache(maxsize=8192)
def _offline_answer(text: str) -> str:
    # Cached: benchmarks send the same articles again and again, and the engine is the slow part.
    from summarizer.offline import summarize_offline

    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    data = summarize_offline(Article(source="simulator", index=0, title=title, text=text)).model_dump(
        mode="json"
    )
    _strip_offsets(data)
    return json.dumps(data, ensure_ascii=False)


def _strip_offsets(node: Any) -> None:
    """Drop Evidence.start/end/match: computed by validation, not part of the model's schema."""
    if isinstance(node, dict):
        if "quote" in node:
            node.pop("start", None)
            node.pop("end", None)
            node.pop("match", None)
        for value in node.values():
            _strip_offsets(value)
    elif isinstance(node, list):
        for item in node:
            _strip_offsets(item)
