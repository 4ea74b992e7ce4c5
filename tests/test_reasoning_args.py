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
