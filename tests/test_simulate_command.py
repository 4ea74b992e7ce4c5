"""`summarizer simulate` as a user runs it: a real process on loopback, then the LLM path against it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer.ingest import load
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings

from .conftest import CORPUS

STARTUP_LIMIT = 30.0


@pytest.fixture(scope="module")
def simulator_url() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "summarizer", "simulate", "--port", "0", "--seed", "7"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + STARTUP_LIMIT
        url = None
        while time.monotonic() < deadline and url is None:
            line = proc.stdout.readline()
            if not line:
                break
            if "listening on" in line:
                url = line.split("listening on ", 1)[1].split()[0]
        assert url and url.startswith("http://127.0.0.1:"), "simulator did not report its address"
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        assert "simulator stopped" in out
        assert "POST /v1/chat/completions 200" in out  # one log line per request


STORIES = sorted(
    p for p in CORPUS.rglob("*") if p.suffix in {".txt", ".md", ".html"} and p.parent.name != "singles"
)
VALID = [
    *STORIES,
    CORPUS / "singles" / "template-and-delimiters.txt",
    CORPUS / "singles" / "two-articles-one-file.txt",
]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_llm_path_against_the_simulator_for_every_corpus_article(simulator_url: str, path: Path) -> None:
    settings = Settings(engine="llm", base_url=simulator_url, model="sim-1", transport_attempts=2)
    with Summarizer(settings) as summarizer:
        for article in load(str(path)):
            result = summarizer.summarize(article)
            assert result.provenance.engine == "llm"
            assert result.provenance.http_attempts == 1
            for ev in result.summary.all_evidence():
                assert ev.start is not None and ev.end is not None
                assert " ".join(article.text[ev.start : ev.end].split()) == " ".join(ev.quote.split())
            json.loads(result.model_dump_json())
