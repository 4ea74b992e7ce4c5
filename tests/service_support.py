"""Shared by the service tests: an app over a temporary store, and a real server on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from summarizer.service.app import create_app
from summarizer.service.config import ServiceConfig
from summarizer.settings import Settings

from .conftest import CORPUS, ROOT

EXAMPLE = ROOT / "examples" / "riverside-bridge.txt"
PORT_STRIKE = CORPUS / "port-strike"
TOKEN = "a-test-token-of-enough-length"


def config(tmp_path: Path, settings: Settings | None = None, **over: Any) -> ServiceConfig:
    return ServiceConfig(settings=settings or Settings(engine="offline"), db=tmp_path / "store.db", **over)


def app_for(tmp_path: Path, settings: Settings | None = None, **over: Any) -> FastAPI:
    return create_app(config(tmp_path, settings, **over))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def live_server(app: FastAPI, timeout: float = 10.0) -> Iterator[str]:
    """``app`` served by uvicorn on 127.0.0.1 in a thread, on a socket bound before it starts (no
    port race); yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
