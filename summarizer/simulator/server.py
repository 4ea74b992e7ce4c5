"""The simulator's HTTP side: the loopback server, its handler, and the per-request flow.

Owns sockets and the order of events for a chat request: authorization, JSON
body and shape, rate limit (a rejected request consumes nothing else), then
under one lock the request's number, its outcome from ``faults.FaultPlan``
and its jitter draw, then the answer, then the rest of the latency: the
latency is the time from the request's arrival to its answer, the server's own
work (parsing, token counting, the brain) included, as a remote API's
response time is. ``chat`` shapes
requests and completions, ``limits`` counts tokens, ``faults`` shapes the
failures. Never logs bodies; every wait is bounded and ends at ``close()``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import random
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from summarizer import tokens
from summarizer.simulator import Brain, RequestRecord, SimConfig, chat, faults, limits, realism
from summarizer.simulator.batches import MAX_FILE_BYTES, BatchDesk
from summarizer.simulator.chat import ChatRequest
from summarizer.simulator.compare_brain import CompareBrain, default_compare_brain
from summarizer.simulator.merge_brain import MergeBrain, default_merge_brain, merge_data

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024 * 1024
CHAT_PATH = "/v1/chat/completions"
MODELS_PATH = "/v1/models"
NO_KEY = (
    "You didn't provide an API key. Send it in an Authorization header using Bearer auth "
    "(any non-empty key works with the simulator)."
)


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None
    usage: dict[str, Any] | None = None


def json_reply(status: int, payload: Any, **kwargs: Any) -> Reply:
    return Reply(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), **kwargs)


def error_reply(
    status: int, message: str, type_: str = "invalid_request_error", code: str | None = None, **kwargs: Any
) -> Reply:
    return json_reply(status, faults.error_body(message, type_, code), **kwargs)


class Engine:
    """State shared by the handler threads of one server: config, plan, meters, records."""

    def __init__(
        self, config: SimConfig, brain: Brain, clock: limits.Clock | None = None, max_records: int = 10_000
    ) -> None:
        self.config = config
        self.max_records = max_records
        self.brain = brain
        self.compare_brain: CompareBrain = default_compare_brain
        self.merge_brain: MergeBrain = default_merge_brain
        self.lock = threading.Lock()
        self.idle = threading.Condition(self.lock)
        """Notified when a connection ends; ``close()`` waits on it for handlers to finish."""
        self.plan = faults.FaultPlan(config.script, config.fault_rate, config.faults, config.seed)
        self.realism = realism.profile(config.realism)
        self.limiter = limits.RateLimiter(config.rpm, config.tpm, clock=clock or time.monotonic)
        self.cache = limits.PromptCache()
        self.jitter = random.Random(f"jitter:{config.seed}")
        self.stop = threading.Event()
        self.records: list[RequestRecord] = []
        self.on_record: Callable[[RequestRecord], None] | None = None
        self.connections: set[socket.socket] = set()
        self.count = 0
        digest = hashlib.sha256(f"{config.model}:{config.seed}".encode()).hexdigest()
        self.fingerprint = f"fp_{digest[:10]}"
        tokens.encoding()  # load the BPE table now, not inside the first request's time budget
        self.desk = BatchDesk(self)

    def record(self, entry: RequestRecord) -> None:
        with self.lock:
            self.records.append(entry)
            if len(self.records) > self.max_records:  # a long benchmark or demo must not grow without bound
                del self.records[: len(self.records) - self.max_records]
        suffix = f" fault={entry.fault}" if entry.fault else ""
        log.debug("%s %s %d %.3fs%s", entry.method, entry.path, entry.status, entry.latency, suffix)
        if self.on_record is not None:
            self.on_record(entry)

    def models(self, path: str) -> Reply:
        card = {"id": self.config.model, "object": "model", "created": 0, "owned_by": "summarizer-simulator"}
        if path == MODELS_PATH:
            return json_reply(200, {"object": "list", "data": [card]})
        wanted = path.removeprefix(MODELS_PATH + "/")
        if wanted == self.config.model:
            return json_reply(200, card)
        message = f"The model `{wanted}` does not exist or you do not have access to it."
        return error_reply(404, message, code="model_not_found")

    def chat(self, body: Any, *, arrived: float | None = None) -> Reply:
        """The reply to one chat request; status 0 when the server closed while it waited.

        ``arrived`` (``time.monotonic()``) is when the request reached the server;
        the reply is held until ``arrived`` + latency (+ jitter), however long
        computing it took before that.
        """
        arrived = time.monotonic() if arrived is None else arrived
        try:
            request = chat.ChatRequest.parse(body)
        except chat.BadRequest as exc:
            return error_reply(400, str(exc))
        window = self.config.context_window
        if window is not None and request.prompt_tokens + (request.max_tokens or 0) > window:
            message = (
                f"This model's maximum context length is {window} tokens. However, you requested "
                f"{request.prompt_tokens + (request.max_tokens or 0)} tokens ({request.prompt_tokens} in the "
                f"messages, {request.max_tokens or 0} in the completion). "
                "Please reduce the length of the messages."
            )
            return error_reply(400, message, code="context_length_exceeded")
        decision = self.limiter.admit(request.cost, request.model)
        if not decision.allowed:
            return self._rate_limited(decision)
        headers = dict(decision.headers)
        with self.lock:
            self.count += 1
            ident = hashlib.sha256(f"{self.config.seed}:{self.count}".encode()).hexdigest()
            outcome = self.plan.next()
            jitter = (
                self.jitter.uniform(-self.config.jitter, self.config.jitter) if self.config.jitter else 0.0
            )
        fault = None if outcome == faults.OK else outcome
        delay = max(0.0, self.config.latency + jitter)
        if outcome == "hang":
            delay += self.config.hang_seconds
        reply = self._answer(request, outcome, headers, ident, fault)
        if delay and self.stop.wait(max(0.0, arrived + delay - time.monotonic())):
            return Reply(0, b"", fault=fault)
        return reply

    def answer_line(self, body: Any, outcome: str, key: str) -> tuple[int, Any]:
        """The status and body of one batch line's answer: a chat request's, without its latency,
        rate limit or transport faults (``simulator.batches``)."""
        try:
            request = chat.ChatRequest.parse(body)
        except chat.BadRequest as exc:
            return 400, faults.error_body(str(exc), "invalid_request_error")
        window = self.config.context_window
        if window is not None and request.prompt_tokens + (request.max_tokens or 0) > window:
            message = f"This model's maximum context length is {window} tokens."
            return 400, faults.error_body(message, "invalid_request_error", "context_length_exceeded")
        ident = hashlib.sha256(f"{self.config.seed}:batch:{key}".encode()).hexdigest()
        fault = None if outcome == faults.OK else outcome
        reply = self._answer(request, outcome, {}, ident, fault)
        try:
            return reply.status, json.loads(reply.body)
        except (json.JSONDecodeError, UnicodeDecodeError):  # pragma: no cover - no such batch outcome
            return 500, faults.error_body("The simulator failed on this request.", "server_error")

    def _answer(
        self, request: ChatRequest, outcome: str, headers: dict[str, str], ident: str, fault: str | None
    ) -> Reply:
        headers["x-request-id"] = f"req_{ident[48:]}"
        if outcome in faults.HTTP_ERRORS:
            status, payload = faults.http_error(outcome, request.model)
            if outcome == "429":
                headers.update(limits.retry_headers(faults.FAULT_RETRY_AFTER))
            return json_reply(status, payload, headers=headers, fault=fault)
        if outcome == "nonjson":
            return Reply(200, faults.NONJSON_BODY.encode(), "text/html; charset=utf-8", headers, fault)
        article = request.article()
        blocks = request.source_blocks() if article is None else {}
        if article is None and not blocks:
            return error_reply(400, chat.NO_ARTICLE, headers=headers, fault=fault)
        try:
            merge = merge_data(article) if article is not None else None
            if article is None:
                answer = self.compare_brain(blocks)
                article = "\n".join(blocks.values())
            elif merge is not None:
                answer = self.merge_brain(merge)
            else:
                answer = self.brain(article)
                if self.realism is not None and isinstance(answer, dict):
                    answer = realism.respond(
                        answer, article, request.messages, self.realism, self.config.seed
                    )
            if not isinstance(answer, dict):
                raise TypeError(f"a brain must return a dict, not {type(answer).__name__}")
            json.dumps(answer)
        except Exception as exc:
            # Type only: the message may quote the article. The client gets the message.
            log.warning(
                "simulator brain raised %s", type(exc).__name__, exc_info=log.isEnabledFor(logging.DEBUG)
            )
            message = f"The simulator's brain failed: {type(exc).__name__}: {exc}"
            return error_reply(500, message, "server_error", headers=headers, fault=fault)
        if outcome == "schema":
            answer = faults.break_schema(answer, request.schema)
        elif outcome == "invented_quote":
            answer, _ = faults.invent_quote(answer, article)
        elif outcome in ("near_miss_quote", "sloppy_quote"):
            rng = realism.rng_for(self.config.seed, article, -1)
            change = (
                realism.near_miss_first_quote if outcome == "near_miss_quote" else realism.sloppy_first_quote
            )
            answer = change(answer, article, rng)
        elif outcome == "wrong_source":
            answer = faults.misattribute(answer, sorted(blocks))
        cached = self.cache.lookup(request.prefix_key, request.prefix_tokens)
        completion = chat.completion(
            request,
            answer,
            ident=ident,
            fingerprint=self.fingerprint,
            cached_tokens=cached,
            truncate=outcome == "length",
        )
        data = json.dumps(completion, ensure_ascii=False).encode("utf-8")
        if outcome == "truncated":
            data = faults.cut_in_half(data)
        return Reply(200, data, headers=headers, fault=fault, usage=completion["usage"])

    def _rate_limited(self, decision: limits.Decision) -> Reply:
        headers = dict(decision.headers)
        wait = decision.retry_after
        if wait is None or math.isinf(wait):
            headers["x-should-retry"] = "false"
        else:
            headers.update(limits.retry_headers(wait))
        return error_reply(
            429, decision.message, decision.kind, "rate_limit_exceeded", headers=headers, fault="rate_limit"
        )


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # the default 5 makes concurrent clients wait out SYN retries

    def __init__(self, address: tuple[str, int], engine: Engine) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.engine = engine
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away (killed, timed out) is not a server error: no traceback for it."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            log.debug("client %s went away", client_address)
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "summarizer-simulator"
    # Headers and body go out in separate writes; with Nagle on, the body of a reply on a
    # kept-alive connection waits ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True
    timeout = 30  # idle keep-alive connections are dropped after this many seconds
    server: Server

    def setup(self) -> None:
        super().setup()
        with self.server.engine.lock:
            self.server.engine.connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.engine.idle:
                self.server.engine.connections.discard(self.connection)
                self.server.engine.idle.notify_all()

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: ``Engine.record`` logs one line per request, without bodies."""

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        started = time.monotonic()
        engine = self.server.engine
        path = self.path.split("?", 1)[0].rstrip("/")
        body: Any = None
        reply: Reply
        query = self.path.partition("?")[2]
        upload = self.command == "POST" and path == "/v1/files"
        raw = self._read_body(MAX_FILE_BYTES if upload else MAX_BODY_BYTES)
        if isinstance(raw, Reply):
            reply = raw
        elif not self._authorized():
            reply = error_reply(401, NO_KEY)
        elif self.command == "POST" and path == CHAT_PATH:
            try:
                body = json.loads(raw) if raw else None
            except (json.JSONDecodeError, UnicodeDecodeError):
                reply = error_reply(400, "We could not parse the JSON body of your request.")
            else:
                try:
                    reply = engine.chat(body, arrived=started)
                except Exception as exc:  # a simulator bug must still answer, like a real 500
                    log.warning("simulator failed on a chat request: %s", type(exc).__name__, exc_info=True)
                    reply = error_reply(500, f"The simulator failed: {type(exc).__name__}.", "server_error")
        elif self.command == "GET" and (path == MODELS_PATH or path.startswith(MODELS_PATH + "/")):
            reply = engine.models(path)
        elif (batch_reply := self._desk(path, query, raw)) is not None:
            reply = batch_reply
        else:
            reply = error_reply(404, f"Invalid URL ({self.command} {path}).")
        latency = time.monotonic() - started
        if not any(name.startswith("x-ratelimit-") for name in reply.headers):
            reply.headers = {**engine.limiter.snapshot(), **reply.headers}
        engine.record(
            RequestRecord(self.command, path, reply.status, latency, reply.fault, body, reply.usage, started)
        )
        if reply.status == 0:  # closed during a hang or latency: drop the connection unanswered
            self.close_connection = True
            return
        self._send(reply, latency)

    def _desk(self, path: str, query: str, raw: bytes) -> Reply | None:
        """The files and batches endpoints' reply (None: not one of theirs)."""
        try:
            return self.server.engine.desk.handle(self.command, path, query, self.headers, raw)
        except Exception as exc:  # a simulator bug must still answer, like a real 500
            log.warning(
                "simulator failed on %s %s: %s", self.command, path, type(exc).__name__, exc_info=True
            )
            return error_reply(500, f"The simulator failed: {type(exc).__name__}.", "server_error")

    def _read_body(self, limit: int) -> bytes | Reply:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return error_reply(411, "Send the body with a Content-Length header.")
        try:
            size = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            size = -1
        if not 0 <= size <= limit:
            self.close_connection = True
            return error_reply(413, f"The request body must be at most {limit} bytes.")
        return self.rfile.read(size) if size else b""

    def _authorized(self) -> bool:
        scheme, _, key = (self.headers.get("Authorization") or "").partition(" ")
        return scheme.lower() == "bearer" and bool(key.strip())

    def _send(self, reply: Reply, latency: float) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("openai-processing-ms", str(int(latency * 1000)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
            self.wfile.flush()
        except OSError:  # the client gave up (timeout) or the server is closing
            self.close_connection = True
