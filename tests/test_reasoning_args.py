"""What is really sent to OpenAI's reasoning models: asserted on recorded request bodies.

OpenAI's o-series and gpt-5 models refuse ``max_tokens`` and any temperature
but the default, so ``llm.client.request_args`` sends them
``max_completion_tokens`` and no temperature, and every other model
``max_tokens`` and ``temperature: 0``. The client chooses by "no base URL
configured" (OpenAI itself), so these tests configure no base URL and point
the openai SDK at the endpoint with ``OPENAI_BASE_URL`` instead, a hook that
lives here and not in the product. The cassettes (cassettes/test_reasoning_args/)
were recorded against the loopback simulator: the bodies are what our client
sends, the answers are the offline engine's. Replay matches on the body, so a
change to these arguments fails here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from summarizer.ingest import load
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings

from .conftest import CORPUS, LLMEndpoint


def sent_body(
    endpoint: LLMEndpoint, monkeypatch: pytest.MonkeyPatch, vcr: object, model: str
) -> dict[str, object]:
    if endpoint.base_url is not None:
        monkeypatch.setenv("OPENAI_BASE_URL", endpoint.base_url)
    [article] = load(str(CORPUS / "algae-bloom" / "environment-agency-release.txt"))
    settings = Settings(
        engine="llm", base_url=None, model=model, api_key=endpoint.api_key or "sim", mode="tools", reasks=0
    )
    with Summarizer(settings) as summarizer:
        result = summarizer.summarize(article)
    assert result.provenance.endpoint == "api.openai.com"  # the client took the OpenAI path
    requests = vcr.requests  # type: ignore[attr-defined]
    assert len(requests) == 1
    body = json.loads(requests[0].body)
    assert isinstance(body, dict)
    return body


@pytest.mark.vcr
def test_a_reasoning_model_gets_max_completion_tokens_and_no_temperature(
    llm_endpoint: LLMEndpoint, monkeypatch: pytest.MonkeyPatch, vcr: object
) -> None:
    body = sent_body(llm_endpoint, monkeypatch, vcr, "gpt-5-mini")
    assert body["model"] == "gpt-5-mini"
    assert body["max_completion_tokens"] == 4096
    assert "max_tokens" not in body and "temperature" not in body


@pytest.mark.vcr
def test_a_chat_model_on_openai_gets_max_tokens_and_temperature_zero(
    llm_endpoint: LLMEndpoint, monkeypatch: pytest.MonkeyPatch, vcr: object
) -> None:
    body = sent_body(llm_endpoint, monkeypatch, vcr, "gpt-4o-mini")
    assert body["model"] == "gpt-4o-mini"
    assert (body["max_tokens"], body["temperature"]) == (4096, 0)
    assert "max_completion_tokens" not in body


def _closed(schema: Any, defs: dict[str, Any]) -> bool:
    """Every object in ``schema`` (through ``$defs``) is closed and requires all its properties."""
    if schema.get("type") == "object":
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is not False or sorted(schema.get("required", [])) != sorted(
            props
        ):
            return False
        return all(_closed(p, defs) for p in props.values())
    if "$ref" in schema:
        return _closed(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for key in ("items", "anyOf"):
        value = schema.get(key)
        parts = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        if not all(_closed(p, defs) for p in parts):
            return False
    return True


@pytest.mark.vcr
def test_openai_gets_strict_structured_outputs_by_default(
    llm_endpoint: LLMEndpoint, monkeypatch: pytest.MonkeyPatch, vcr: object
) -> None:
    """No mode given, OpenAI itself: forced tool calls with a strict schema OpenAI accepts."""
    if llm_endpoint.base_url is not None:
        monkeypatch.setenv("OPENAI_BASE_URL", llm_endpoint.base_url)
    [article] = load(str(CORPUS / "algae-bloom" / "environment-agency-release.txt"))
    settings = Settings(engine="llm", model="gpt-4o-mini", api_key=llm_endpoint.api_key or "sim", reasks=0)
    with Summarizer(settings) as summarizer:
        result = summarizer.summarize(article)
    assert result.provenance.mode == "tools_strict" and result.summary.key_points
    body = json.loads(vcr.requests[0].body)  # type: ignore[attr-defined]
    [tool] = body["tools"]
    function = tool["function"]
    assert function["strict"] is True and body["tool_choice"]["function"]["name"] == function["name"]
    parameters = function["parameters"]
    assert _closed(parameters, parameters.get("$defs", {}))
    assert "start" not in json.dumps(parameters)  # offsets stay ours, never asked of the model
