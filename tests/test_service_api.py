"""The HTTP API through FastAPI's TestClient: every endpoint, the CLI's JSON, and the error paths."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from summarizer.cli import app as cli

from .service_support import EXAMPLE, PORT_STRIKE, app_for

PROBLEM = "application/problem+json"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(app_for(tmp_path)) as c:
        yield c


def strip_times(payload: dict) -> dict:  # type: ignore[type-arg]
    for r in payload["results"]:
        r["provenance"].pop("started_at")
        r["provenance"].pop("finished_at")
    return payload


def test_health_and_openapi_are_open(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["engine"] == "offline"
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/v1/summaries",
        "/v1/comparisons",
        "/v1/batches",
        "/v1/batches/{job_id}/events",
        "/v1/articles",
        "/v1/questions",
        "/healthz",
    ):
        assert path in paths


def test_a_summary_is_the_same_json_as_the_cli_writes(client: TestClient, tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    response = client.post("/v1/summaries", json={"text": text})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    served = strip_times(response.json())
    source = tmp_path / "text"
    source.write_text(text, encoding="utf-8")
    printed = CliRunner().invoke(cli, ["summarize", str(source), "--format", "json"]).stdout
    expected = strip_times(json.loads(printed))
    expected["results"][0]["source"] = "text"
    assert served == expected


def test_an_uploaded_file_is_read_like_the_cli_reads_it(client: TestClient) -> None:
    page = PORT_STRIKE / "calderra-evening-post.html"
    response = client.post("/v1/summaries", files={"file": (page.name, page.read_bytes(), "text/html")})
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["source"] == "calderra-evening-post.html" and result["summary"]["key_points"]


def test_a_second_request_for_the_same_text_is_served_from_the_store(client: TestClient) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    first = client.post("/v1/summaries", json={"text": text}).json()["results"][0]
    second = client.post("/v1/summaries", json={"text": text}).json()["results"][0]
    assert first["provenance"]["started_at"] == second["provenance"]["started_at"]  # the stored result


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"text": "Too short to be an article."}, 422, "too short to be an article"),
        ({"text": "x", "url": "https://example.org/a"}, 422, "exactly one of `text` and `url`"),
        ({}, 422, "exactly one of `text` and `url`"),
        ({"url": "https://example.org/a"}, 403, "does not fetch URLs"),
        ({"text": "x" * 5_000_001}, 413, "too large"),
    ],
)
def test_bad_summary_requests_are_problems_with_the_cli_message(
    client: TestClient,
    body: dict[str, str],
    status: int,
    detail: str,
) -> None:
    response = client.post("/v1/summaries", json=body)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == status and detail in problem["detail"]
    assert problem["type"].startswith("urn:summarizer:problem:")


def test_binary_uploads_wrong_media_types_and_broken_json_are_refused(client: TestClient) -> None:
    photo = (PORT_STRIKE.parent / "singles" / "photo.txt").read_bytes()
    binary = client.post("/v1/summaries", files={"file": ("photo.txt", photo)}).json()
    assert binary["status"] == 422 and "binary" in binary["detail"] and binary["source"] == "photo.txt"
    assert binary["exit_code"] == 3
    plain = client.post("/v1/summaries", content=b"hello", headers={"content-type": "text/plain"})
    assert plain.status_code == 415
    broken = client.post("/v1/summaries", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.headers["content-type"] == PROBLEM


def test_a_comparison_is_kept_as_a_story_and_answers_questions_across_articles(client: TestClient) -> None:
    articles = [
        {"text": (PORT_STRIKE / name).read_text(encoding="utf-8")}
        for name in ("meridian-press-wire.txt", "harbor-ledger.md")
    ]
    response = client.post("/v1/comparisons", json={"articles": articles})
    assert response.status_code == 200
    report = response.json()
    assert [s["id"] for s in report["sources"]] == ["S1", "S2"]
    story = response.headers["location"]
    assert client.get(story).json()["comparison"] == report["comparison"]
    [listed] = client.get("/v1/stories").json()
    assert listed["articles"] == 2 and story.endswith(str(listed["id"]))
    answered = client.get("/v1/questions", params={"status": "answered"}).json()
    talks = [q for q in answered if "resume talks on Thursday" in (q["answer"] or "")]
    assert talks and talks[0]["story_id"] == listed["id"] and talks[0]["answered_by"]


def test_grouped_comparisons_answer_per_story(client: TestClient) -> None:
    texts = [
        (PORT_STRIKE / n).read_text(encoding="utf-8") for n in ("meridian-press-wire.txt", "harbor-ledger.md")
    ]
    texts.append(EXAMPLE.read_text(encoding="utf-8"))
    response = client.post("/v1/comparisons", json={"articles": [{"text": t} for t in texts], "group": True})
    payload = response.json()
    assert response.status_code == 200 and len(payload["stories"]) == 1 and len(payload["singletons"]) == 1


def test_articles_and_questions_list_the_store(client: TestClient) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    digest = client.post("/v1/summaries", json={"text": text}).json()["results"][0]["content_hash"]
    [row] = client.get("/v1/articles").json()
    assert row["content_hash"] == digest and row["headline"]
    assert client.get("/v1/articles", params={"q": "Riverside"}).json() == [row]
    assert client.get("/v1/articles", params={"q": "no such words here"}).json() == []
    detail = client.get(f"/v1/articles/{digest}").json()
    assert detail["text"].startswith("Riverside Bridge") and len(detail["summaries"]) == 1
    evidence = detail["summaries"][0]["summary"]["key_points"][0]["evidence"][0]
    assert detail["text"][evidence["start"] : evidence["end"]] == evidence["quote"]
    questions = client.get("/v1/questions").json()
    assert questions and all(q["content_hash"] == digest for q in questions)
    kind = questions[0]["kind"]
    assert all(q["kind"] == kind for q in client.get("/v1/questions", params={"kind": kind}).json())
    assert client.get("/v1/questions", params={"kind": "nonsense"}).status_code == 422
    missing = client.get(f"/v1/articles/{'0' * 64}")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM


def test_an_unexpected_error_is_a_generic_problem_never_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("secret internals: /home/op/keys")

    # As a real server does: the error is logged, the client gets the handler's answer.
    with TestClient(app_for(tmp_path), raise_server_exceptions=False) as client:
        monkeypatch.setattr(client.app.state.service.store, "articles", broken)  # type: ignore[attr-defined]
        response = client.get("/v1/articles")
    assert response.status_code == 500 and response.headers["content-type"] == PROBLEM
    assert "secret internals" not in response.text and "Traceback" not in response.text


def test_an_article_s_detail_names_its_own_sources_and_stories(client: TestClient) -> None:
    texts = [
        (PORT_STRIKE / n).read_text(encoding="utf-8") for n in ("meridian-press-wire.txt", "harbor-ledger.md")
    ]
    client.post("/v1/comparisons", json={"articles": [{"text": t} for t in texts]})
    client.post("/v1/summaries", json={"text": EXAMPLE.read_text(encoding="utf-8")})  # now the newest
    older = [a for a in client.get("/v1/articles").json() if a["stories"]]
    assert len(older) == 2
    for row in older:
        assert client.get(f"/v1/articles/{row['content_hash']}").json()["stories"] == row["stories"]


def test_an_article_summarized_by_the_service_keeps_its_outlet_and_language(client: TestClient) -> None:
    page = (
        "<html><head><title>Riverside Bridge to close for repairs | Harbour Gazette</title>"
        '<meta property="og:site_name" content="Harbour Gazette">'
        '<meta name="author" content="Rhea Mole"></head><body><article>'
        "<h1>Riverside Bridge to close for repairs</h1>"
        + "".join(f"<p>{p}</p>" for p in EXAMPLE.read_text(encoding="utf-8").split("\n\n")[1:])
        + "</article></body></html>"
    )
    client.post("/v1/summaries", json={"text": page, "format": "html"}).raise_for_status()
    [row] = client.get("/v1/articles").json()
    assert row["outlets"] == ["Harbour Gazette"] and row["authors"] == ["Rhea Mole"]
    assert row["language"] == "en" and row["sources"]
    # The same page again, now under a file name: served from the store, and its name kept too.
    again = client.post("/v1/summaries", files={"file": ("gazette-bridge.html", page.encode(), "text/html")})
    again.raise_for_status()
    [row] = client.get("/v1/articles").json()
    assert "gazette-bridge.html" in row["sources"] and len(row["sources"]) == 2
