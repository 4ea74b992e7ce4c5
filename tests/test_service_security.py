"""The service's gates: token, size limits, allowed folders, SSRF, and secrets kept out of answers."""

from __future__ import annotations

import http.server
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from summarizer import netguard
from summarizer.cli import app as cli
from summarizer.errors import ConfigError
from summarizer.redaction import redact
from summarizer.settings import Settings
from summarizer.simulator import SimConfig, start

from .service_support import EXAMPLE, TOKEN, app_for, config

ARTICLE = EXAMPLE.read_text(encoding="utf-8")


def test_listening_beyond_loopback_needs_a_token(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="without a token"):
        config(tmp_path, host="0.0.0.0").check()
    short = Settings(engine="offline", service_token=SecretStr("short"))
    with pytest.raises(ConfigError, match="at least 16"):
        config(tmp_path, short).check()
    config(tmp_path, Settings(engine="offline", service_token=SecretStr(TOKEN)), host="0.0.0.0").check()
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2 and "SUMMARIZER_SERVICE_TOKEN" in result.stderr


def test_one_process_per_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--workers", "2", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2 and "one process serves one store" in result.stderr


def test_a_configured_token_is_required_everywhere_but_health(tmp_path: Path) -> None:
    settings = Settings(engine="offline", service_token=SecretStr(TOKEN))
    with TestClient(app_for(tmp_path, settings)) as client:
        assert client.get("/healthz").status_code == 200
        refused = client.get("/v1/articles")
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
        assert TOKEN not in refused.text
        assert client.get("/v1/articles", headers={"Authorization": "Bearer wrong-token"}).status_code == 401
        assert client.get("/v1/articles", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        client.cookies.set("summarizer_token", TOKEN)
        assert client.get("/v1/articles").status_code == 200


def test_bodies_over_the_limit_are_refused_before_they_are_read(tmp_path: Path) -> None:
    settings = Settings(engine="offline", max_bytes=1024)
    with TestClient(app_for(tmp_path, settings)) as client:
        limit = 6 * 1024 + (1 << 20)
        declared = client.post(
            "/v1/summaries", content=b"x" * (limit + 1), headers={"content-type": "application/json"}
        )
        assert declared.status_code == 413 and declared.json()["exit_code"] == 3

        def chunks() -> Iterator[bytes]:
            for _ in range(limit // 65536 + 2):
                yield b" " * 65536

        streamed = client.post(
            "/v1/summaries", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413
        article = client.post(
            "/v1/summaries", json={"text": ARTICLE * 2}
        )  # under the body limit, over max_bytes
        assert article.status_code == 413 and "too large" in article.json()["detail"]
        upload = client.post("/v1/batches", files=[("files", ("big.txt", ARTICLE.encode() * 2))])
        assert upload.status_code == 413 and upload.json()["source"] == "big.txt"
        form = client.post(  # the web UI's paste form, as a browser sends it
            "/",
            content=b"text=" + b"x" * (limit + 1),
            headers={"content-type": "application/x-www-form-urlencoded", "accept": "text/html"},
        )
        assert form.status_code == 413 and form.headers["content-type"].startswith("text/html")
        assert "larger than this server" in form.text and 'href="/"' in form.text


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    allowed, secret = tmp_path / "allowed", tmp_path / "secret"
    (allowed / "news").mkdir(parents=True)
    secret.mkdir()
    (allowed / "news" / "bridge.txt").write_text(ARTICLE, encoding="utf-8")
    (secret / "private.txt").write_text(ARTICLE.replace("Riverside", "Hidden"), encoding="utf-8")
    (allowed / "news" / "escape.txt").symlink_to(secret / "private.txt")
    (allowed / "linked").symlink_to(secret)
    return allowed, secret


@pytest.mark.parametrize(
    ("folder", "status"),
    [("../secret", 403), ("linked", 403), ("/etc", 403), ("news/../../secret", 403), ("nowhere", 404)],
)
def test_folders_outside_the_allowed_roots_are_refused(
    tmp_path: Path, roots: tuple[Path, Path], folder: str, status: int
) -> None:
    with TestClient(app_for(tmp_path, allowed_roots=(roots[0],))) as client:
        response = client.post("/v1/batches", data={"folder": folder})
        assert response.status_code == status, response.text
        assert str(roots[1]) not in response.text


def test_no_folder_is_readable_unless_the_operator_allows_one(
    tmp_path: Path, roots: tuple[Path, Path]
) -> None:
    with TestClient(app_for(tmp_path)) as client:
        response = client.post("/v1/batches", data={"folder": str(roots[0])})
        assert response.status_code == 403 and "--allow-root" in response.json()["detail"]


def test_a_symlink_out_of_an_allowed_folder_is_not_read(tmp_path: Path, roots: tuple[Path, Path]) -> None:
    with TestClient(app_for(tmp_path, allowed_roots=(roots[0],))) as client:
        job = client.post("/v1/batches", data={"folder": "news"}).json()
        done = _wait(client, job["id"])
        assert done["counts"]["ok"] == 1 and done["total"] == 1  # bridge.txt only, not escape.txt
        titles = [a["title"] for a in client.get("/v1/articles").json()]
        assert all("Hidden" not in t for t in titles)


def _wait(client: TestClient, job_id: str) -> dict:  # type: ignore[type-arg]
    for line in client.get(f"/v1/batches/{job_id}/events").iter_lines():  # ends with the job
        if line.startswith("event: done"):
            break
    return client.get(f"/v1/batches/{job_id}").json()  # type: ignore[no-any-return]


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []
    redirect_to: ClassVar[str | None] = None

    def do_GET(self) -> None:
        type(self).seen.append(self.path)
        if self.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
            self.end_headers()
            return
        body = ARTICLE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def loopback_site(redirect_to: str | None = None) -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_Recorder,), {"seen": seen, "redirect_to": redirect_to})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        thread.join(5)


def test_user_urls_to_loopback_are_refused_and_never_contacted(tmp_path: Path) -> None:
    with loopback_site() as (url, seen), TestClient(app_for(tmp_path, allow_urls=True)) as client:
        port = url.rsplit(":", 1)[1]
        for target in (f"{url}/a.txt", f"http://localhost:{port}/a.txt", f"http://[::1]:{port}/a.txt"):
            response = client.post("/v1/summaries", json={"url": target})
            assert response.status_code == 422, response.text
            assert (
                "not a public address" in response.json()["detail"]
                or "cannot connect" in response.json()["detail"]
            )
        assert seen == []


def test_a_redirect_to_a_refused_address_is_not_followed() -> None:
    with (
        loopback_site() as (inner, inner_seen),
        loopback_site(redirect_to=f"{inner}/x") as (outer, outer_seen),
    ):
        outer_port = int(outer.rsplit(":", 1)[1])
        opener = netguard.opener(lambda ip, port: port == outer_port)  # only the first hop is allowed
        with pytest.raises(urllib.error.URLError, match="not a public address"):
            opener.open(f"{outer}/start", timeout=5)
        assert outer_seen == ["/start"] and inner_seen == []


@pytest.mark.parametrize(
    ("ip", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fc00::1", False),
        ("fe80::1%eth0", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
    ],
)
def test_which_addresses_are_public(ip: str, public: bool) -> None:
    assert netguard.is_public(ip) is public


def test_provider_keys_never_reach_an_answer(tmp_path: Path) -> None:
    key = "sk-test-0123456789abcdefSECRET"
    assert "SECRET" not in redact(f"Incorrect API key provided: {key}", (key,))
    assert (
        redact("Incorrect API key provided: sk-proj-****abcd.")
        == "Incorrect API key provided: [redacted key]."
    )
    with start(SimConfig(script=("401",))) as sim:
        settings = Settings(base_url=sim.base_url, model="sim-1", api_key=SecretStr(key))
        with TestClient(app_for(tmp_path, settings)) as client:
            response = client.post("/v1/summaries", json={"text": ARTICLE})
    assert response.status_code == 502 and response.json()["exit_code"] == 2
    assert key not in response.text and "HTTP 401" in response.json()["detail"]


def test_a_cross_site_page_cannot_post_to_the_api(tmp_path: Path) -> None:
    """No token set (loopback): a form on another site must still not spend the model budget."""
    with TestClient(app_for(tmp_path)) as client:
        for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}):
            response = client.post("/v1/summaries", json={"text": ARTICLE}, headers=headers)
            assert response.status_code == 403 and "another site" in response.json()["detail"]
        assert client.get("/v1/articles", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 200
        same = client.post("/v1/summaries", json={"text": ARTICLE}, headers={"Sec-Fetch-Site": "same-origin"})
        assert same.status_code == 200
        assert client.post("/v1/summaries", json={"text": ARTICLE}).status_code == 200  # curl, scripts
