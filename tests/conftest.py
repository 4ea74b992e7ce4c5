"""Shared test setup: cassettes, network blocking, data paths.

Network: ``--block-network`` (set in pyproject's addopts) blocks every
connection except to loopback, for every test; pytest-recording lifts the
block only for ``@pytest.mark.vcr`` tests while *recording*, so re-recording
against a real provider works and replay never touches the network.

Cassettes live in the top-level ``cassettes/`` folder. Requests are matched on
method, path and body (never on the loopback port, which changes per run).
Only an allowlist of headers is recorded, on requests and on responses, so
keys, organisation ids, cookies and client fingerprints never land on disk.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"
SEED = ROOT.parent / "shared" / "seeds" / "000_93d3a7aa106f1c6c.txt"
CASSETTES = ROOT / "cassettes"

KEEP_REQUEST_HEADERS = {"content-type", "accept"}
KEEP_RESPONSE_HEADERS = {"content-type"}
KEEP_RESPONSE_PREFIXES = ("x-ratelimit-", "retry-after")
REPLAY_BASE_URL = "http://127.0.0.1:9/v1"  # never contacted: replay answers first
SIM_MODEL = "sim-1"


def _scrub_request(request: Any) -> Any:
    for name in list(request.headers):
        if name.lower() not in KEEP_REQUEST_HEADERS:
            del request.headers[name]
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        low = name.lower()
        if low not in KEEP_RESPONSE_HEADERS and not low.startswith(KEEP_RESPONSE_PREFIXES):
            del headers[name]
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "match_on": ["method", "path", "body"],
        "before_record_request": _scrub_request,
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
        "allow_playback_repeats": False,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTES / request.module.__name__.split(".")[-1])


@pytest.fixture
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip(f"seed file not found at {SEED} (shared/ is not beside the repo)")
    return SEED


@pytest.fixture(autouse=True)
def _no_ambient_config(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's key or SUMMARIZER_* settings (re-recording keeps them)."""
    if recording(request):
        return
    for name in list(os.environ):
        if name.startswith("SUMMARIZER_") or name == "OPENAI_API_KEY":
            monkeypatch.delenv(name)


def recording(request: pytest.FixtureRequest) -> bool:
    return str(request.config.getoption("--record-mode")) != "none"


def cassette_model(cassette: Path) -> str | None:
    """The model name a cassette was recorded with (request bodies carry it)."""
    import yaml

    if not cassette.is_file():
        return None
    data = yaml.safe_load(cassette.read_text(encoding="utf-8"))
    for interaction in data.get("interactions", []):
        body = interaction["request"].get("body")
        if body:
            model = json.loads(body).get("model")
            if isinstance(model, str):
                return model
    return None


class LLMEndpoint:
    """Where an LLM-path test sends its requests, and how the cassette was made."""

    def __init__(self, base_url: str | None, model: str, api_key: str | None) -> None:
        self.base_url = base_url
        self.model = model
        self.api_key = api_key


@pytest.fixture
def llm_endpoint(request: pytest.FixtureRequest) -> Iterator[LLMEndpoint]:
    """Replay: a dummy loopback URL. Record: real OpenAI if OPENAI_API_KEY is set, else the simulator."""
    cassette = CASSETTES / request.module.__name__.split(".")[-1] / f"{request.node.name}.yaml"
    if not recording(request):
        model = cassette_model(cassette) or SIM_MODEL
        yield LLMEndpoint(REPLAY_BASE_URL, model, None)
        return
    key = os.environ.get("OPENAI_API_KEY")
    if key:
        yield LLMEndpoint(None, os.environ.get("SUMMARIZER_MODEL", "gpt-4o-mini"), key)
        return
    from summarizer.simulator import SimConfig, start

    marker = request.node.get_closest_marker("sim_script")
    script = tuple(marker.args) if marker else ()
    with start(SimConfig(model=SIM_MODEL, script=script, seed=0)) as sim:
        yield LLMEndpoint(sim.base_url, SIM_MODEL, None)
