"""What the simulator's batches read and write: input validation, output lines, multipart uploads.

Pure functions (no state, no sockets) for ``simulator.batches``: ``validate_input``
checks an input file as OpenAI does before a batch starts (every line JSON with
a ``custom_id``, a body and the chat completions URL; ids unique; one model;
at most 50,000 requests), ``output_line`` writes one line of an output or
error file in OpenAI's shape, ``parse_multipart`` reads an upload's fields.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_BATCH_REQUESTS = 50_000


def validate_input(data: bytes) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The input file's requests, or what is wrong with it (OpenAI fails the whole batch)."""
    lines: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    seen: set[str] = set()
    models: set[str] = set()
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            problems.append(
                {"code": "invalid_json_line", "message": "This line is not valid JSON.", "line": number}
            )
            continue
        custom = line.get("custom_id") if isinstance(line, dict) else None
        body = line.get("body") if isinstance(line, dict) else None
        if not isinstance(custom, str) or not custom or not isinstance(body, dict):
            problems.append(
                {
                    "code": "missing_required_parameter",
                    "message": "custom_id and body are required.",
                    "line": number,
                }
            )
            continue
        if line.get("url") != "/v1/chat/completions" or line.get("method") != "POST":
            problems.append(
                {
                    "code": "invalid_url",
                    "message": "The URL must be /v1/chat/completions.",
                    "line": number,
                }
            )
        if custom in seen:
            problems.append(
                {
                    "code": "duplicate_custom_id",
                    "message": f"The custom_id {custom} is repeated.",
                    "line": number,
                }
            )
        seen.add(custom)
        models.add(str(body.get("model")))
        lines.append(line)
    if len(models) > 1:
        problems.append(
            {
                "code": "mismatched_model",
                "message": "All requests in a batch must use one model.",
                "line": None,
            }
        )
    if len(lines) > MAX_BATCH_REQUESTS:
        problems.append(
            {
                "code": "too_many_requests",
                "message": f"A batch holds at most {MAX_BATCH_REQUESTS} requests.",
                "line": None,
            }
        )
    if not lines and not problems:
        problems.append({"code": "empty_file", "message": "The input file has no requests.", "line": None})
    return lines, problems


def output_line(
    ident: str, custom_id: str, status: int | None, body: Any, error: tuple[str, str] | None = None
) -> bytes:
    response = (
        None if status is None else {"status_code": status, "request_id": f"req_{ident[-24:]}", "body": body}
    )
    entry = {
        "id": ident,
        "custom_id": custom_id,
        "response": response,
        "error": None if error is None else {"code": error[0], "message": error[1]},
    }
    return json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n"


def parse_multipart(raw: bytes, content_type: str) -> dict[str, tuple[str | None, bytes]] | None:
    """The fields of a multipart/form-data body: name -> (filename, data); None if it is not one."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not content_type.startswith("multipart/form-data") or match is None:
        return None
    delimiter = b"--" + match.group(1).encode("latin-1")
    found: dict[str, tuple[str | None, bytes]] = {}
    for part in raw.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.partition(b"\r\n\r\n")
        disposition = next(
            (
                line
                for line in head.decode("latin-1").split("\r\n")
                if line.lower().startswith("content-disposition")
            ),
            "",
        )
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        if name:
            found[name.group(1)] = (filename.group(1) if filename else None, data.removesuffix(b"\r\n"))
    return found
