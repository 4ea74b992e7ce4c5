"""Batch jobs through the service: lifecycle, events, the bounded queue, and resuming after a restart."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from summarizer.article import Article
from summarizer.engines import EngineAnswer, OfflineEngine
from summarizer.service.app import create_app
from summarizer.store import Store

from .service_support import EXAMPLE, PORT_STRIKE, config

ARTICLE = EXAMPLE.read_text(encoding="utf-8")


def numbered(n: int) -> str:
    return ARTICLE.replace("six weeks", f"{n + 2} weeks")


class HeldEngine:
    """Answers as the offline engine, each summary only once ``release`` is set; counts the calls."""

    def __init__(self) -> None:
        self.id = OfflineEngine().id  # the offline engine's identity: its stored results are ours
        self.release = asyncio.Event()
        self.calls: list[str] = []

    async def summarize(self, article: Article, *, tokens: int = 0) -> EngineAnswer:
        self.calls.append(article.text)
        await self.release.wait()
        return await OfflineEngine().summarize(article)

    async def aclose(self) -> None:
        return None


def events(client: TestClient, job_id: str) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    found, event = [], ""
    with client.stream("GET", f"/v1/batches/{job_id}/events") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: "):
                found.append((event, json.loads(line.removeprefix("data: "))))
    return found


def test_an_upload_job_runs_reports_its_items_and_streams_its_progress(tmp_path: Path) -> None:
    photo = (PORT_STRIKE.parent / "singles" / "photo.txt").read_bytes()
    files = [("files", (p.name, p.read_bytes())) for p in sorted(PORT_STRIKE.iterdir())]
    files.append(("files", ("photo.txt", photo)))
    with TestClient(create_app(config(tmp_path))) as client:
        accepted = client.post("/v1/batches", files=files)
        assert accepted.status_code == 202 and accepted.json()["status"] == "queued"
        job_id = accepted.json()["id"]
        assert accepted.headers["location"] == f"/v1/batches/{job_id}"
        stream = events(client, job_id)
        assert stream[-1][0] == "done" and stream[-1][1]["status"] == "finished"
        job = client.get(f"/v1/batches/{job_id}").json()
        assert job["counts"] == {"ok": 4, "degraded": 0, "failed": 0, "skipped": 1}
        assert job["problems"] == [
            {"item": "photo.txt", "status": "skipped", "reason": job["problems"][0]["reason"]}
        ]
        assert "binary" in job["problems"][0]["reason"]
        assert len(client.get("/v1/articles").json()) == 4
        assert client.get("/v1/batches/0123456789abcdef").status_code == 404


def test_the_queue_is_bounded_and_refuses_with_503(tmp_path: Path) -> None:
    engine = HeldEngine()
    upload = [("files", ("a.txt", numbered(1).encode()))]
    with TestClient(create_app(config(tmp_path, queue_size=1), engine=engine)) as client:
        first = client.post("/v1/batches", files=upload).json()["id"]
        for _ in range(200):  # bounded: until the first job runs (held in its only article)
            if client.get(f"/v1/batches/{first}").json()["status"] == "running":
                break
            client.portal.call(asyncio.sleep, 0.01)  # type: ignore[union-attr]
        second = client.post("/v1/batches", files=upload)
        assert second.status_code == 202  # waits in the queue's one place
        third = client.post("/v1/batches", files=upload)
        assert third.status_code == 503 and "try again later" in third.json()["detail"]
        client.portal.call(engine.release.set)  # type: ignore[union-attr]
        assert events(client, first)[-1][1]["status"] == "finished"
        assert events(client, second.json()["id"])[-1][1]["status"] == "finished"
    assert len(engine.calls) == 1  # the second job found the article in the store


def test_a_job_left_unfinished_resumes_at_start_and_resends_nothing_done(tmp_path: Path) -> None:
    folder = tmp_path / "uploads" / "left"
    folder.mkdir(parents=True)
    for n in range(4):
        (folder / f"a{n}.txt").write_text(numbered(n), encoding="utf-8")
    with TestClient(create_app(config(tmp_path))) as client:  # a first process summarizes two of them
        for n in range(2):
            client.post("/v1/summaries", json={"text": numbered(n)})
    with Store(tmp_path / "store.db") as store:  # ... and was killed with a job running
        job_id = store.create_job({"origin": "upload", "root": str(folder), "glob": "**/*", "format": "json"})
        store.update_job(job_id, status="running")
    engine = HeldEngine()
    engine.release.set()
    with TestClient(create_app(config(tmp_path), engine=engine)) as client:
        assert events(client, job_id)[-1][1]["status"] == "finished"
        job = client.get(f"/v1/batches/{job_id}").json()
    assert job["counts"]["ok"] == 4
    sent = sorted(re.search(r"for (\d+) weeks", text)[1] for text in engine.calls)  # type: ignore[index]
    assert sent == ["4", "5"]  # numbered(2) and numbered(3): the two stored were not sent again
