"""The simulator's Files and Batch API (``/v1/files``, ``/v1/batches``), time-compressible.

Owns uploaded and produced files (in memory) and batches with OpenAI's
states: ``validating`` → ``in_progress`` → ``finalizing`` → ``completed``,
or ``failed`` (the input does not validate: bad JSON, a wrong URL, two models,
a repeated ``custom_id``), ``expired`` (the completion window ran out: what
was answered is in the output file, the rest in the error file as
``batch_expired``), ``cancelling`` → ``cancelled`` (likewise, as
``batch_cancelled``). Per-request errors (an HTTP error a line drew) go to the
error file, as OpenAI's do.

Time: every stage lasts what ``SimConfig`` says (``batch_validating``,
``batch_request_seconds`` per request, ``batch_finalizing``,
``batch_window``), zero by default, so a test's batch completes at once and a
benchmark's can take minutes; each batch runs in a worker thread that stops
at ``close()``. Lines are answered by the same code as chat requests
(``Engine.answer_line``: brain, realism, answer faults), with outcomes from
their own ``FaultPlan`` (``batch_script``, ``batch_fault_rate``,
``batch_faults``). ``batches_script`` scripts whole batches (``fail``,
``expire``), ``api_script`` the file uploads and batch creations (``500``;
``drop``: made, then the connection is cut unanswered, as a lost answer).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from summarizer.simulator import faults
from summarizer.simulator.batch_io import output_line, parse_multipart, validate_input

if TYPE_CHECKING:
    from summarizer.simulator.server import Engine, Reply

FILES_PATH = "/v1/files"
BATCHES_PATH = "/v1/batches"
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_BATCH_INPUT_BYTES = 200 * 1024 * 1024
BATCH_LINE_FAULTS = frozenset(
    {*faults.HTTP_ERRORS, "schema", "invented_quote", "near_miss_quote", "sloppy_quote", "length"}
)
"""Outcomes a batch line can draw (transport faults such as ``hang`` have no meaning inside a batch)."""
BATCHES_OUTCOMES = frozenset({"ok", "fail", "expire"})
API_OUTCOMES = frozenset({"ok", "500", "drop"})


@dataclass
class SimFile:
    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int

    def card(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
            "expires_at": None,
            "status_details": None,
        }


@dataclass
class SimBatch:
    id: str
    input_file_id: str
    metadata: dict[str, str]
    created: float
    """``time.monotonic()`` at creation; the stages are timed from it."""
    outcome: str
    status: str = "validating"
    times: dict[str, int] = field(default_factory=dict)
    total: int = 0
    completed: int = 0
    failed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    model: str | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    cancel: threading.Event = field(default_factory=threading.Event)

    def card(self, window: float) -> dict[str, Any]:
        stamps = {f"{name}_at": self.times.get(name) for name in _STAMPS}
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": "/v1/chat/completions",
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            "input_file_id": self.input_file_id,
            "completion_window": "24h",
            "status": self.status,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            **stamps,
            "expires_at": self.times["created"] + int(window),
            "request_counts": {"total": self.total, "completed": self.completed, "failed": self.failed},
            "metadata": self.metadata,
            "model": self.model,
        }


_STAMPS = (
    "created",
    "in_progress",
    "finalizing",
    "completed",
    "failed",
    "expired",
    "cancelling",
    "cancelled",
)
_ID = re.compile(r"^[A-Za-z0-9_-]+$")


class BatchDesk:
    """The files and batches of one simulator (state shared by its handler threads)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.config = engine.config
        self.lock = threading.Lock()
        self.files: dict[str, SimFile] = {}
        """The files stored now (a deleted file is gone from here)."""
        self.made: list[SimFile] = []
        """Every file ever stored, uploaded or produced, in order (deleted ones too)."""
        self.batches: dict[str, SimBatch] = {}
        self.line_plan = faults.FaultPlan(
            self.config.batch_script,
            self.config.batch_fault_rate,
            self.config.batch_faults,
            self.config.seed + 1,
        )
        self._batch_outcomes = list(reversed(self.config.batches_script))
        self._api_outcomes = list(reversed(self.config.api_script))
        self._count = 0
        self.threads: list[threading.Thread] = []

    # --- HTTP -----------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: str, headers: Any, raw: bytes) -> Reply | None:
        """The reply for a files or batches request; None when the path is not one of them."""
        from summarizer.simulator.server import error_reply, json_reply

        params = {k: v[-1] for k, v in parse_qs(query).items()}
        parts = path.split("/")  # "", "v1", "files" | "batches", id?, action?
        if path == FILES_PATH and method == "POST":
            return self._upload(headers.get("Content-Type") or "", raw)
        if path == FILES_PATH and method == "GET":
            return json_reply(200, self._page([f.card() for f in self.files.values()], params, purpose=True))
        if path.startswith(FILES_PATH + "/") and len(parts) in (4, 5):
            found = self.files.get(parts[3])
            if found is None:
                return error_reply(404, f"No such File object: {parts[3]}")
            if len(parts) == 5 and parts[4] == "content" and method == "GET":
                from summarizer.simulator.server import Reply

                return Reply(200, found.data, "application/octet-stream")
            if len(parts) == 4 and method == "GET":
                return json_reply(200, found.card())
            if len(parts) == 4 and method == "DELETE":
                with self.lock:
                    self.files.pop(found.id, None)
                return json_reply(200, {"id": found.id, "object": "file", "deleted": True})
        if path == BATCHES_PATH and method == "POST":
            return self._create(raw)
        window = self.config.batch_window
        if path == BATCHES_PATH and method == "GET":
            cards = [b.card(window) for b in reversed(self.batches.values())]
            return json_reply(200, self._page(cards, params))
        if path.startswith(BATCHES_PATH + "/") and len(parts) in (4, 5):
            batch = self.batches.get(parts[3])
            if batch is None:
                return error_reply(404, f"No batch found with id '{parts[3]}'.", code="batch_not_found")
            if len(parts) == 4 and method == "GET":
                return json_reply(200, batch.card(window))
            if len(parts) == 5 and parts[4] == "cancel" and method == "POST":
                return self._cancel(batch)
        if path.startswith((FILES_PATH, BATCHES_PATH)):
            return error_reply(404, f"Invalid URL ({method} {path}).")
        return None

    def _next_id(self, prefix: str) -> str:
        with self.lock:
            self._count += 1
            count = self._count
        digest = hashlib.sha256(f"{self.config.seed}:{prefix}:{count}".encode()).hexdigest()
        return f"{prefix}{digest[:24]}"

    def _api_outcome(self) -> str:
        with self.lock:
            return self._api_outcomes.pop() if self._api_outcomes else "ok"

    def _page(
        self, cards: list[dict[str, Any]], params: dict[str, str], *, purpose: bool = False
    ) -> dict[str, Any]:
        if purpose and params.get("purpose"):
            cards = [c for c in cards if c["purpose"] == params["purpose"]]
        if purpose and params.get("order", "desc") == "desc":
            cards = list(reversed(cards))
        after = params.get("after")
        if after:
            ids = [c["id"] for c in cards]
            cards = cards[ids.index(after) + 1 :] if after in ids else []
        try:
            limit = max(1, min(10_000, int(params.get("limit", "20"))))
        except ValueError:
            limit = 20
        page = cards[:limit]
        return {
            "object": "list",
            "data": page,
            "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None,
            "has_more": len(cards) > limit,
        }

    def _upload(self, content_type: str, raw: bytes) -> Reply:
        from summarizer.simulator.server import Reply, error_reply, json_reply

        fields = parse_multipart(raw, content_type)
        if fields is None or "file" not in fields or "purpose" not in fields:
            return error_reply(400, "Send a multipart/form-data body with 'file' and 'purpose' fields.")
        filename, data = fields["file"]
        purpose = fields["purpose"][1].decode("utf-8", "replace")
        if purpose == "batch" and len(data) > MAX_BATCH_INPUT_BYTES:
            return error_reply(400, f"A batch input file can be at most {MAX_BATCH_INPUT_BYTES} bytes.")
        outcome = self._api_outcome()
        if outcome == "500":
            return error_reply(500, "The server had an error while processing your request.", "server_error")
        made = SimFile(self._next_id("file-"), filename or "upload", purpose, data, int(time.time()))
        with self.lock:
            self.files[made.id] = made
            self.made.append(made)
        if outcome == "drop":
            return Reply(0, b"", fault="drop")
        return json_reply(200, made.card())

    def _create(self, raw: bytes) -> Reply:
        from summarizer.simulator.server import Reply, error_reply, json_reply

        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return error_reply(400, "We could not parse the JSON body of your request.")
        if not isinstance(body, dict):
            return error_reply(400, "The request body must be a JSON object.")
        source = self.files.get(str(body.get("input_file_id")))
        if source is None:
            return error_reply(400, f"No such File object: {body.get('input_file_id')}")
        if source.purpose != "batch":
            return error_reply(400, "The input file must be uploaded with purpose 'batch'.")
        if body.get("endpoint") != "/v1/chat/completions" or body.get("completion_window") != "24h":
            return error_reply(400, "The simulator batches /v1/chat/completions with a 24h window only.")
        metadata = body.get("metadata") or {}
        if not isinstance(metadata, dict) or len(metadata) > 16:
            return error_reply(400, "metadata must be an object of at most 16 string pairs.")
        outcome = self._api_outcome()
        if outcome == "500":
            return error_reply(500, "The server had an error while processing your request.", "server_error")
        with self.lock:
            scripted = self._batch_outcomes.pop() if self._batch_outcomes else "ok"
        batch = SimBatch(
            id=self._next_id("batch_"),
            input_file_id=source.id,
            metadata={str(k): str(v) for k, v in metadata.items()},
            created=time.monotonic(),
            outcome=scripted,
            times={"created": int(time.time())},
        )
        with self.lock:
            self.batches[batch.id] = batch
        worker = threading.Thread(target=self._run, args=(batch,), name=f"sim-{batch.id}", daemon=True)
        self.threads.append(worker)
        worker.start()
        if outcome == "drop":
            return Reply(0, b"", fault="drop")
        return json_reply(200, batch.card(self.config.batch_window))

    def _cancel(self, batch: SimBatch) -> Reply:
        from summarizer.simulator.server import json_reply

        with self.lock:
            if batch.status in ("validating", "in_progress", "finalizing"):
                batch.cancel.set()
                batch.status = "cancelling"
                batch.times["cancelling"] = int(time.time())
        return json_reply(200, batch.card(self.config.batch_window))

    # --- the worker -------------------------------------------------------------------------

    def _wait_until(self, moment: float) -> bool:
        """Sleep until ``moment`` (monotonic); False when the simulator is closing."""
        delay = moment - time.monotonic()
        return not (delay > 0 and self.engine.stop.wait(delay))

    def _set(self, batch: SimBatch, status: str) -> None:
        with self.lock:
            if batch.status == "cancelling" and status != "cancelled":
                return
            batch.status = status
            batch.times[status] = int(time.time())

    def _run(self, batch: SimBatch) -> None:
        cfg = self.config
        started = batch.created + cfg.batch_validating
        if not self._wait_until(started):
            return
        lines, problems = validate_input(self.files[batch.input_file_id].data)
        if batch.outcome == "fail" and not problems:
            problems = [
                {
                    "code": "invalid_request",
                    "message": "The batch failed validation (scripted).",
                    "line": None,
                }
            ]
        if problems:
            with self.lock:
                batch.errors = [{"param": None, **p} for p in problems]
            self._set(batch, "failed")
            return
        with self.lock:
            batch.total = len(lines)
            batch.model = str(lines[0]["body"].get("model")) if lines else None
        self._set(batch, "in_progress")
        outputs: list[bytes] = []
        errors: list[bytes] = []
        expires = batch.created + cfg.batch_window
        stop_at = len(lines) // 2 if batch.outcome == "expire" else len(lines)
        done = 0
        for index, line in enumerate(lines):
            moment = started + (index + 1) * cfg.batch_request_seconds
            if batch.cancel.is_set() or index >= stop_at or moment > expires:
                break
            if not self._wait_until(moment):
                return
            status, body = self.engine.answer_line(line["body"], self.line_plan.next(), f"{batch.id}:{index}")
            entry = output_line(self._next_id("batch_req_"), line["custom_id"], status, body)
            (outputs if status == 200 else errors).append(entry)
            with self.lock:
                if status == 200:
                    batch.completed += 1
                else:
                    batch.failed += 1
            done = index + 1
        cancelled = batch.cancel.is_set()
        ending = "cancelled" if cancelled else "expired" if done < len(lines) else "completed"
        code = {"cancelled": "batch_cancelled", "expired": "batch_expired"}.get(ending)
        if code is not None:
            message = {
                "batch_cancelled": "This request was not executed because the batch was cancelled.",
                "batch_expired": "This request could not be executed before the completion window expired.",
            }[code]
            for line in lines[done:]:
                errors.append(
                    output_line(self._next_id("batch_req_"), line["custom_id"], None, None, (code, message))
                )
        if ending == "completed":
            self._set(batch, "finalizing")
        if not self._wait_until(time.monotonic() + cfg.batch_finalizing):
            return
        with self.lock:
            if outputs:
                batch.output_file_id = self._store(f"{batch.id}_output.jsonl", b"".join(outputs))
            if errors:
                batch.error_file_id = self._store(f"{batch.id}_error.jsonl", b"".join(errors))
        self._set(batch, ending)

    def _store(self, name: str, data: bytes) -> str:
        """A produced file (the caller holds the lock)."""
        self._count += 1
        digest = hashlib.sha256(f"{self.config.seed}:out:{self._count}".encode()).hexdigest()
        made = SimFile(f"file-{digest[:24]}", name, "batch_output", data, int(time.time()))
        self.files[made.id] = made
        self.made.append(made)
        return made.id


def validate_config(
    script: tuple[str, ...], line_faults: tuple[str, ...], batches: tuple[str, ...], api: tuple[str, ...]
) -> None:
    """ValueError unless every scripted outcome is one this module knows."""
    for name in (*script, *line_faults):
        if name not in BATCH_LINE_FAULTS and name != faults.OK:
            known = ", ".join(sorted(BATCH_LINE_FAULTS))
            raise ValueError(f"{name!r} is not a batch line outcome (one of {known})")
    for name in batches:
        if name not in BATCHES_OUTCOMES:
            raise ValueError(
                f"{name!r} is not a batch outcome (one of {', '.join(sorted(BATCHES_OUTCOMES))})"
            )
    for name in api:
        if name not in API_OUTCOMES:
            raise ValueError(
                f"{name!r} is not an upload or create outcome (one of {', '.join(sorted(API_OUTCOMES))})"
            )
