"""Reading a finished provider batch: the lines of its output and error files, and what each means.

Pure: no store, no model. ``lines`` reads a downloaded file one JSON line at a
time (a 50,000-line file is never held whole). ``classify`` says what one line
means for its request: an ``answer`` to validate, a ``retry`` (the batch did
not answer it: a 429 or 5xx inside the batch, the window expired), a stored
``error`` (a 400 the request itself caused, which sending it again cannot fix,
as online), or ``failed`` (the batch was cancelled or the provider gave
another reason: nothing is stored, a later run tries again).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

log = logging.getLogger(__name__)

RETRYABLE = frozenset({408, 409, 429})


@dataclass(frozen=True)
class Line:
    custom_id: str
    kind: Literal["answer", "retry", "error", "failed"]
    body: dict[str, Any] | None = None
    """The chat completion, for an ``answer``."""
    detail: str | None = None


def lines(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a batch output or error file (unreadable lines are logged and skipped:
    their requests stay unanswered, and so are sent again)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                entry = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                log.warning("%s line %d is not JSON; its request is treated as unanswered", path.name, number)
                continue
            if isinstance(entry, dict) and isinstance(entry.get("custom_id"), str):
                yield entry


def _message(body: Any) -> str:
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return str(inner["message"])
    return "no message"


def classify(entry: dict[str, Any]) -> Line:
    custom_id = str(entry["custom_id"])
    response, error = entry.get("response"), entry.get("error")
    if isinstance(response, dict):
        status = response.get("status_code")
        body = response.get("body")
        if status == 200 and isinstance(body, dict):
            return Line(custom_id, "answer", body)
        message = _message(body)
        if isinstance(status, int) and (status in RETRYABLE or status >= 500):
            return Line(custom_id, "retry", detail=f"HTTP {status} inside the batch: {message}")
        return Line(custom_id, "error", detail=f"HTTP {status} inside the batch, not retried: {message}")
    if isinstance(error, dict):
        code, message = error.get("code"), error.get("message") or "no message"
        if code == "batch_expired":
            return Line(custom_id, "retry", detail="the batch expired before this request ran")
        if code == "batch_cancelled":
            return Line(custom_id, "failed", detail="the batch was cancelled before this request ran")
        return Line(custom_id, "failed", detail=f"{code}: {message}")
    return Line(custom_id, "retry", detail="the batch's line holds neither a response nor an error")
