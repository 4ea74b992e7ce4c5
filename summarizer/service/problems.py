"""Errors as RFC 9457 problem details (``application/problem+json``), in one place.

Every error the service answers with is a problem document: ``type`` (a URN
naming the kind), ``title``, ``status``, ``detail`` (the same message the CLI
prints), and two extensions: ``source`` (the file or URL, when there is one)
and ``exit_code`` (what the CLI would exit with). Never a traceback, never a
key: an unexpected exception is logged on the server and answered with a
generic 500.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from summarizer.errors import (
    ConfigError,
    DeadlineExceeded,
    InputError,
    InputTooLarge,
    OutputInvalidError,
    ProviderConfigError,
    ProviderError,
    RequestRefused,
    RunAborted,
    StoreError,
    SummarizerError,
)
from summarizer.redaction import redact

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"

_STATUS: list[tuple[type[SummarizerError], int, str]] = [
    (InputTooLarge, 413, "input-too-large"),
    (InputError, 422, "input-error"),
    (ProviderConfigError, 502, "provider-refused-configuration"),
    (ConfigError, 400, "configuration-error"),
    (DeadlineExceeded, 504, "provider-deadline"),
    (ProviderError, 502, "provider-error"),
    (OutputInvalidError, 502, "model-output-invalid"),
    (RunAborted, 503, "run-aborted"),
    (StoreError, 503, "store-error"),
]
_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    500: "Internal error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(description="A URN naming the kind of problem.")
    title: str
    status: int
    detail: str | None = None
    source: str | None = Field(default=None, description="The file or URL the problem is about.")
    exit_code: int | None = Field(default=None, description="What the command line exits with for it.")


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": "A problem with the request."},
    "5XX": {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": "A problem on the server's side."},
}
"""For every operation's OpenAPI ``responses``: errors are problem documents."""


def problem(status: int, kind: str, detail: str | None, **extra: Any) -> JSONResponse:
    body = Problem(
        type=f"urn:summarizer:problem:{kind}",
        title=_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        **extra,
    )
    headers = {"WWW-Authenticate": 'Bearer realm="summarizer"'} if status == 401 else None
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=MEDIA_TYPE, headers=headers
    )


def for_error(exc: SummarizerError, secrets: tuple[str, ...] = ()) -> JSONResponse:
    if isinstance(exc, RequestRefused):
        kind = {401: "unauthorized", 403: "forbidden", 404: "not-found", 503: "busy"}.get(
            exc.status, "refused"
        )
        return problem(exc.status, kind, exc.message, source=exc.source)
    status, kind = next(((code, name) for cls, code, name in _STATUS if isinstance(exc, cls)), (500, "error"))
    return problem(status, kind, redact(exc.message, secrets), source=exc.source, exit_code=exc.exit_code)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into a problem document."""

    @app.exception_handler(SummarizerError)
    async def _ours(request: Request, exc: SummarizerError) -> JSONResponse:
        secrets = request.app.state.service.secrets
        if isinstance(exc, ProviderError | OutputInvalidError | StoreError):
            log.warning("%s %s: %s", request.method, request.url.path, redact(str(exc), secrets))
        return for_error(exc, secrets)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors()[:10]:
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
            problems.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg")))
        return problem(422, "invalid-request", "; ".join(problems) or "the request is not valid")

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else None
        return problem(exc.status_code, "http", detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return problem(500, "internal", "an unexpected error occurred; the server log has the details")
