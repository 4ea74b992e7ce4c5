"""A real ``summarizer serve`` process killed mid-job: the job resumes at the next start.

SIGKILL: articles committed before the kill are never sent again (only those
in flight at the kill are). SIGTERM: the articles in flight finish first, so
no article is sent twice at all.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from summarizer.simulator import SimConfig, Simulator, start
from summarizer.store import Store

from .conftest import CORPUS
from .service_support import free_port

BODY = (CORPUS / "algae-bloom" / "north-valley-broadcast.txt").read_text(encoding="utf-8")
ARTICLES = 12
MARK = re.compile(r"(\d+) public beaches")


def serve(tmp_path: Path, sim: Simulator, port: int) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "summarizer",
        "serve",
        "--port",
        str(port),
        "--db",
        str(tmp_path / "s.db"),
        "--base-url",
        sim.base_url,
        "--model",
        "sim-1",
        "--concurrency",
        "2",
    ]
    env = {**os.environ, "SUMMARIZER_BACKOFF_BASE": "0.01"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path)
    for _ in range(300):  # bounded: 30 s
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("summarizer serve exited at start") from None
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("summarizer serve did not start")


def submit(port: int) -> str:
    boundary = "summarizer-test-boundary"
    parts = []
    for i in range(ARTICLES):
        text = BODY.replace("six public beaches", f"{i + 2} public beaches")
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a{i:02d}.txt"\r\n'
            f"Content-Type: text/plain\r\n\r\n{text}\r\n"
        )
    data = ("".join(parts) + f"--{boundary}--\r\n").encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/batches",
        data=data,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.load(response)["id"])


def job(port: int, job_id: str) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/batches/{job_id}", timeout=5) as response:
        return json.load(response)  # type: ignore[no-any-return]


def wait_for(port: int, job_id: str, done: int, timeout: float = 60) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = job(port, job_id)
        if sum(state["counts"].values()) >= done or state["status"] == "finished":
            return state
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not reach {done} items")


def finished(port: int, job_id: str) -> dict:  # type: ignore[type-arg]
    """The job once every item is done and its row says so (bounded waits)."""
    state = wait_for(port, job_id, done=ARTICLES)
    for _ in range(100):
        if state["status"] == "finished":
            break
        time.sleep(0.05)
        state = job(port, job_id)
    return state


def sent(sim: Simulator, since: int = 0) -> Counter[str]:
    """Chat requests per article (by its marker), from request ``since`` on."""
    found: Counter[str] = Counter()
    for record in sim.requests[since:]:
        if record.path.endswith("/chat/completions") and record.body:
            found[MARK.findall(json.dumps(record.body))[0]] += 1
    return found


def stored_marks(db: Path) -> set[str]:
    with Store(db) as store:
        return {
            MARK.findall(a.title + " " + (a.headline or ""))[0]
            for a in store.articles(limit=100)
            if MARK.findall(a.title + " " + (a.headline or ""))
        } | {
            MARK.findall(store.article_text(a.content_hash)[1])[0]  # type: ignore[index]
            for a in store.articles(limit=100)
            if store.results_for(a.content_hash)
        }


@pytest.mark.slow
def test_sigkill_mid_job_resumes_without_resending_committed_articles(tmp_path: Path) -> None:
    port = free_port()
    with start(SimConfig(latency=0.2)) as sim:
        proc = serve(tmp_path, sim, port)
        try:
            job_id = submit(port)
            wait_for(port, job_id, done=4)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        committed = stored_marks(tmp_path / "s.db")
        before = len(sim.requests)
        assert 4 <= len(committed) < ARTICLES
        proc = serve(tmp_path, sim, port)
        try:
            final = finished(port, job_id)
        finally:
            proc.terminate()
            proc.wait(30)
        again = sent(sim, before)
    assert final["status"] == "finished" and final["counts"]["ok"] == ARTICLES
    assert not committed & set(again), f"re-sent after the restart: {sorted(committed & set(again))}"
    assert len(committed) + len(again) == ARTICLES


@pytest.mark.slow
def test_sigterm_finishes_the_articles_in_flight_and_no_article_is_sent_twice(tmp_path: Path) -> None:
    port = free_port()
    with start(SimConfig(latency=0.2)) as sim:
        proc = serve(tmp_path, sim, port)
        try:
            job_id = submit(port)
            wait_for(port, job_id, done=3)
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(30)
        assert code in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after its graceful shutdown
        with Store(tmp_path / "s.db") as store:
            left = store.job(job_id)
            assert left is not None and left.status == "queued"  # drained, to resume
        proc = serve(tmp_path, sim, port)
        try:
            final = finished(port, job_id)
        finally:
            proc.terminate()
            proc.wait(30)
        requests = sent(sim)
    assert final["status"] == "finished" and final["counts"]["ok"] == ARTICLES
    assert len(requests) == ARTICLES and set(requests.values()) == {1}
