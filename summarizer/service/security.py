"""The service's gates: the bearer token, request size limits, allowed folders.

- **Token**: with ``SUMMARIZER_SERVICE_TOKEN`` set, every API and page
  request must carry ``Authorization: Bearer <token>`` (or, for the browser
  pages, the ``summarizer_token`` cookie the login form sets); compared in
  constant time. ``/healthz`` and ``/openapi.json`` stay open.
- **Size**: a request body larger than the limit is refused with 413 as soon
  as its declared length (or the bytes received so far) passes it, before it
  is read whole (a problem document for the API, a page for a browser form).
  Batch uploads have their own, larger limit.
- **Cross-site**: a request that changes something (POST) from another
  site's page (``Sec-Fetch-Site``/``Origin``) is refused, token or not.
- **Folders**: a server-side folder is resolved (``..`` and symlinks
  followed) and must lie under an allowed root; anything else is 403 without
  saying whether it exists.
"""

from __future__ import annotations

import hmac
import html
import json
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from summarizer.errors import RequestRefused
from summarizer.service.problems import MEDIA_TYPE, Problem

TOKEN_COOKIE = "summarizer_token"
OPEN_PATHS = frozenset({"/healthz", "/openapi.json", "/login", "/static/base.css"})


def token_ok(request: Request, token: str | None) -> bool:
    if token is None:
        return True
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    cookie = request.cookies.get(TOKEN_COOKIE)
    return cookie is not None and hmac.compare_digest(cookie.encode(), token.encode())


def require_token(request: Request) -> None:
    """FastAPI dependency: the request carries the service token (when one is configured), and a
    request that changes something does not come from another site's page (a browser sends a
    multipart form cross-site without asking first: it would spend this service's model budget)."""
    token = request.app.state.service.token
    if not token_ok(request, token):
        raise RequestRefused("this service needs a token: send 'Authorization: Bearer <token>'", status=401)
    if request.method not in ("GET", "HEAD", "OPTIONS") and not same_origin(request):
        raise RequestRefused("requests from another site's pages are refused", status=403)


def same_origin(request: Request) -> bool:
    """Whether a request comes from one of this service's own pages, or from no browser at all."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser form (curl, a script): the token gate alone applies
    parts = urlsplit(origin)
    return parts.scheme == request.url.scheme and parts.netloc == request.headers.get("host")


class BodyLimit:
    """ASGI middleware: refuse bodies over ``limit`` bytes (``upload_limit`` under ``upload_prefix``)."""

    def __init__(self, app: ASGIApp, *, limit: int, upload_limit: int, upload_prefix: str) -> None:
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit
        self.upload_prefix = upload_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.upload_limit if path.startswith(self.upload_prefix) else self.limit
        declared = next((v for k, v in scope.get("headers", []) if k == b"content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(scope, send, limit)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _Oversize
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _Oversize:
            if not started:
                await _too_large(scope, send, limit)


class _Oversize(Exception):
    pass


def _wants_page(scope: Scope) -> bool:
    """A browser form, not an API call: a page path whose request accepts HTML."""
    accept = next((v for k, v in scope.get("headers", []) if k == b"accept"), b"")
    return not str(scope.get("path", "")).startswith("/v1/") and b"text/html" in accept


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    detail = f"the request body is larger than this server's limit of {limit:,} bytes"
    if _wants_page(scope):  # a form posted from the web UI gets a page it can go back from
        text = (
            "<!doctype html><html lang=en><meta charset=utf-8><title>Too large · summarizer</title>"
            '<link rel=stylesheet href="/static/base.css"><main><h1>Too large</h1>'
            f"<p>{html.escape(detail)}. Send a shorter text, or run "
            '<code>summarizer batch</code> on the files.</p><p><a href="/">Back</a></p></main></html>'
        )
        data, media = text.encode(), b"text/html; charset=utf-8"
    else:
        body = Problem(
            type="urn:summarizer:problem:input-too-large",
            title="Content too large",
            status=413,
            detail=detail,
            exit_code=3,
        ).model_dump(exclude_none=True)
        data, media = json.dumps(body).encode(), MEDIA_TYPE.encode()
    headers = [(b"content-type", media), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def allowed_folder(requested: str, roots: tuple[Path, ...]) -> Path:
    """The real folder ``requested`` names, if it lies under one of ``roots`` (relative names are
    taken from the first root)."""
    if not roots:
        raise RequestRefused(
            "this server reads no server-side folders (its operator can allow some with --allow-root DIR)",
            status=403,
        )
    if "\x00" in requested:
        raise RequestRefused("the folder name is not valid", status=403)
    given = Path(requested).expanduser()
    candidate = (given if given.is_absolute() else roots[0] / given).resolve()
    if not any(candidate == root or root in candidate.parents for root in roots):
        raise RequestRefused(f"{requested}: not under a folder this server allows", status=403)
    if not candidate.is_dir():
        raise RequestRefused(f"{requested}: no such folder", status=404)
    return candidate
