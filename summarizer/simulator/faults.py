"""Fault injection: which outcome each chat request gets, and what a faulty answer looks like.

Three kinds of fault, by where a client meets them:

- HTTP errors (``"429"``, ``"500"``, ``"503"``, ``"400"``, ``"401"``, ``"403"``,
  ``"404"``): the status with an OpenAI-style ``{"error": {...}}`` body;
- transport (``"hang"``, ``"truncated"``, ``"nonjson"``): an answer too late, a
  JSON body cut in half, an HTML page with status 200;
- content (``"schema"``, ``"invented_quote"``, ``"near_miss_quote"``,
  ``"sloppy_quote"``, ``"wrong_source"``, ``"length"``): a well-formed
  completion whose arguments break the schema, carry a quote the article does
  not contain (made up, or one of its sentences with a number or negation
  changed), carry a near-verbatim quote only fuzzy alignment accepts (a word
  dropped or added, a number reformatted: see ``realism``), attribute a
  comparison quote to the wrong source, or stop early with
  ``finish_reason="length"``.

``FaultPlan`` hands out outcomes in request order: the script first, then
seeded random draws. It is not thread-safe; the server calls it under a lock.
This module only shapes data; it never touches sockets.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterable, Sequence
from typing import Any

OK = "ok"

# name -> (status, error type, error code, message template)
HTTP_ERRORS: dict[str, tuple[int, str, str | None, str]] = {
    "429": (
        429,
        "requests",
        "rate_limit_exceeded",
        "Rate limit reached for {model} (simulated fault). Please try again in 50ms.",
    ),
    "500": (
        500,
        "server_error",
        None,
        "The server had an error while processing your request. Sorry about that! (simulated fault)",
    ),
    "503": (
        503,
        "server_error",
        "service_unavailable",
        "The engine is currently overloaded, please try again later. (simulated fault)",
    ),
    "400": (400, "invalid_request_error", None, "Invalid request (simulated fault)."),
    "401": (
        401,
        "invalid_request_error",
        "invalid_api_key",
        "Incorrect API key provided (simulated fault). Check the key your settings use.",
    ),
    "403": (
        403,
        "invalid_request_error",
        "model_not_allowed",
        "Your key is not allowed to use {model} (simulated fault).",
    ),
    "404": (
        404,
        "invalid_request_error",
        "model_not_found",
        "The model `{model}` does not exist or you do not have access to it. (simulated fault)",
    ),
}
TRANSPORT_FAULTS = ("hang", "truncated", "nonjson")
CONTENT_FAULTS = ("schema", "invented_quote", "near_miss_quote", "sloppy_quote", "wrong_source", "length")
FAULT_NAMES: tuple[str, ...] = (OK, *HTTP_ERRORS, *TRANSPORT_FAULTS, *CONTENT_FAULTS)
DEFAULT_RANDOM_FAULTS = ("429", "500", "503", "truncated", "invented_quote")
"""What ``fault_rate`` draws from when no ``faults`` are named: failures a sound client survives."""
FAULT_RETRY_AFTER = 0.05
"""Seconds a scripted or random 429 asks the client to wait."""

INVENTED_QUOTE = "Officials confirmed the figures were accurate in every respect."

NONJSON_BODY = (
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    "<body><h1>502 Bad Gateway</h1><p>simulated proxy error page</p></body></html>\n"
)


def check_names(names: Iterable[str], what: str) -> None:
    """Raise ValueError naming the first unknown fault."""
    for name in names:
        if name not in FAULT_NAMES:
            raise ValueError(f"unknown fault {name!r} in {what}; choose from {', '.join(FAULT_NAMES)}")


class FaultPlan:
    """The outcome of each chat request, in arrival order: script first, then seeded draws."""

    def __init__(self, script: Sequence[str], fault_rate: float, faults: Sequence[str], seed: int) -> None:
        if not 0.0 <= fault_rate <= 1.0:
            raise ValueError(f"fault_rate must be between 0 and 1 (got {fault_rate})")
        check_names(script, "script")
        check_names(faults, "faults")
        self._script = list(reversed(script))
        self._rate = fault_rate
        self._faults = tuple(faults) or DEFAULT_RANDOM_FAULTS
        self._rng = random.Random(seed)

    def next(self) -> str:
        if self._script:
            return self._script.pop()
        if self._rate > 0 and self._rng.random() < self._rate:
            return self._rng.choice(self._faults)
        return OK


def error_body(message: str, type_: str, code: str | None = None, param: str | None = None) -> dict[str, Any]:
    """An error body shaped like OpenAI's."""
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def http_error(name: str, model: str) -> tuple[int, dict[str, Any]]:
    """Status and body of an injected HTTP error fault."""
    status, type_, code, template = HTTP_ERRORS[name]
    return status, error_body(template.format(model=model), type_, code)


def break_schema(answer: dict[str, Any], schema: dict[str, Any] | None) -> dict[str, Any]:
    """The answer without the fields the schema requires (or with every value nulled if none are)."""
    required = schema.get("required") if isinstance(schema, dict) else None
    if isinstance(required, list) and required:
        return {key: value for key, value in answer.items() if key not in required}
    return dict.fromkeys(answer)


def invent_quote(answer: dict[str, Any], article: str) -> tuple[dict[str, Any], bool]:
    """A copy of the answer whose first evidence quote is a sentence the article lacks.

    Returns the copy and whether a quote was found to replace.
    """
    invented = INVENTED_QUOTE
    for attempt in range(1, 10):
        if invented not in article:
            break
        invented = f"{INVENTED_QUOTE} ({attempt})"
    result = copy.deepcopy(answer)
    return result, _replace_first_quote(result, invented)


def _replace_first_quote(node: Any, invented: str) -> bool:
    if isinstance(node, dict):
        if isinstance(node.get("quote"), str):
            node["quote"] = invented
            return True
        return any(_replace_first_quote(value, invented) for value in node.values())
    if isinstance(node, list):
        return any(_replace_first_quote(item, invented) for item in node)
    return False


def misattribute(answer: dict[str, Any], source_ids: list[str]) -> dict[str, Any]:
    """A copy of a comparison whose first quote names another source than its own.

    Summary answers (no source ids) come back unchanged.
    """
    result = copy.deepcopy(answer)
    if len(source_ids) >= 2:
        _swap_first_source(result, source_ids)
    return result


def _swap_first_source(node: Any, ids: list[str]) -> bool:
    if isinstance(node, dict):
        if isinstance(node.get("source"), str) and isinstance(node.get("quote"), str):
            current = node["source"]
            node["source"] = next(i for i in ids if i != current)
            return True
        return any(_swap_first_source(v, ids) for v in node.values())
    if isinstance(node, list):
        return any(_swap_first_source(v, ids) for v in node)
    return False


def cut_in_half(data: bytes) -> bytes:
    return data[: len(data) // 2]
