"""Ingest from standard input and from http(s) URLs (a loopback server)."""

from __future__ import annotations

import io
import socket
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from summarizer import ingest

from .test_ingest import ARTICLE, BODY, CORPUS, DATA, load_error

# --- standard input --------------------------------------------------------------------------


class FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = RecordingReader(data)

    def isatty(self) -> bool:
        return False


class RecordingReader(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int | None] = []

    def read(self, size: int | None = -1, /) -> bytes:
        self.asked.append(size)
        return super().read(size)


def test_stdin_is_read_as_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin((DATA / "wrapped.txt").read_bytes()))
    (article,) = ingest.load("-")
    assert (article.source, article.label) == ("-", "-")
    assert article.title == "Tidewater Council Delays Vote on Harbour Bridge Repairs"


def test_stdin_reads_at_most_max_bytes_plus_one(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = FakeStdin(BODY.encode() * 100)
    monkeypatch.setattr(sys, "stdin", stdin)
    assert load_error("-", max_bytes=1000).startswith("-: too large: over the limit of 1,000 bytes")
    assert stdin.buffer.asked == [1001]


def test_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(b""))
    assert load_error("-") == "-: empty: there is no text to summarize"


# --- URLs ------------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, str, bytes]]] = {
        "/story": (200, "text/html; charset=utf-8", (DATA / "page.html").read_bytes()),
        "/plain": (200, "text/plain; charset=windows-1252", ARTICLE.encode("cp1252")),
        "/feed": (200, "application/json", (DATA / "two.json").read_bytes()),
        "/notes.md": (200, "application/octet-stream", (DATA / "feature.md").read_bytes()),
        "/big": (200, "text/plain", BODY.encode() * 50),
        "/image": (200, "image/png", (CORPUS / "singles" / "photo.txt").read_bytes()),
    }
    user_agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.user_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/slow":
            time.sleep(1.0)
        status, ctype, body = self.routes.get(self.path, (404, "text/plain", b"no such page"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_url_html(server: str) -> None:
    (article,) = ingest.load(f"{server}/story")
    assert article.source == f"{server}/story"
    assert article.title == "Wind farm approved off Skarvik coast"
    assert "Nordvind Energy" in article.text and "cookies" not in article.text
    assert Handler.user_agents[-1].startswith("summarizer/")


def test_url_plain_text_uses_declared_charset(server: str) -> None:
    (article,) = ingest.load(f"{server}/plain")
    assert article.text == ARTICLE


def test_url_json_and_suffix_when_content_type_is_generic(server: str) -> None:
    assert [a.title for a in ingest.load(f"{server}/feed")] == [
        "Brightwater Opens Second Recycling Centre",
        "Brightwater Bus Fares to Rise in March",
    ]
    assert ingest.load(f"{server}/notes.md")[0].title == "Fenwick Schools Add Free Breakfast Programme"


def test_url_404(server: str) -> None:
    assert load_error(f"{server}/gone") == f"{server}/gone: HTTP error 404 Not Found"


def test_url_too_large_by_content_length(server: str) -> None:
    size = len(BODY.encode()) * 50
    assert load_error(f"{server}/big", max_bytes=500).startswith(
        f"{server}/big: too large: {size:,} bytes, over the limit of 500 bytes"
    )


def test_url_binary(server: str) -> None:
    assert load_error(f"{server}/image") == f"{server}/image: binary, not text: this is a PNG image"


def test_url_timeout(server: str) -> None:
    assert load_error(f"{server}/slow", timeout=0.2) == f"{server}/slow: timed out after 0.2 s"


def test_url_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/story"
    assert load_error(url).startswith(f"{url}: cannot connect: [Errno 111] Connection refused")
