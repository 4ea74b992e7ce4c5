"""End-to-end LLM path from recorded HTTP (cassettes/test_llm_cassettes/).

The cassettes were recorded by running this real client code over real HTTP
against the project's loopback simulator (``summarizer.simulator``), whose
answers come from the offline engine or from a scripted fault; they are not
answers of a real model. See cassettes/README.md. Replay is the default; the
requests must match on method, path and body, so any change to the prompt,
the schema or the article shows up as a missing-cassette failure here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.article import Article
from summarizer.errors import OutputInvalidError
from summarizer.grounding import normalise
from summarizer.ingest import load
from summarizer.pipeline import Summarizer
from summarizer.prompts import load as load_prompt
from summarizer.settings import Settings

from .conftest import CORPUS, LLMEndpoint


def make(endpoint: LLMEndpoint, **over: object) -> Summarizer:
    settings = Settings(
        engine="llm",
        base_url=endpoint.base_url,
        model=endpoint.model,
        api_key=endpoint.api_key,
        mode="tools",
        reasks=2,
        transport_attempts=1,
        **over,  # type: ignore[arg-type]
    )
    return Summarizer(settings)


def assert_grounded(article: Article, result_quotes: list[tuple[str, int | None, int | None]]) -> None:
    assert result_quotes, "a summary with no evidence at all"
    for quote, start, end in result_quotes:
        assert start is not None and end is not None
        assert normalise(article.text[start:end]) == normalise(quote)


def quotes(result: object) -> list[tuple[str, int | None, int | None]]:
    from summarizer.result import SummaryResult

    assert isinstance(result, SummaryResult)
    return [(e.quote, e.start, e.end) for e in result.summary.all_evidence()]


@pytest.mark.vcr
def test_llm_path_summarizes_the_wire_story(llm_endpoint: LLMEndpoint) -> None:
    [article] = load(str(CORPUS / "port-strike" / "meridian-press-wire.txt"))
    with make(llm_endpoint) as summarizer:
        result = summarizer.summarize(article)
    p = result.provenance
    assert p.engine == "llm" and p.model == llm_endpoint.model
    assert p.model_attempts == 1 and p.http_attempts == 1
    assert p.usage.prompt_tokens > 1000 and p.usage.completion_tokens > 0
    assert p.prompt_name == "summarize" and p.prompt_hash == load_prompt("summarize").hash
    assert result.summary.key_points and result.summary.open_questions
    assert_grounded(article, quotes(result))


@pytest.mark.vcr
@pytest.mark.sim_script("invented_quote", "ok")
def test_invented_quote_is_reasked_and_usage_counts_both_answers(llm_endpoint: LLMEndpoint) -> None:
    [article] = load(str(CORPUS / "algae-bloom" / "north-valley-broadcast.txt"))
    with make(llm_endpoint) as summarizer:
        result = summarizer.summarize(article)
    p = result.provenance
    assert p.model_attempts == 2 and p.http_attempts == 2
    # the re-ask resends the whole conversation, so billed prompt tokens exceed two first asks' worth
    assert p.usage.prompt_tokens > 2 * 1000
    assert_grounded(article, quotes(result))


@pytest.mark.vcr
@pytest.mark.sim_script("invented_quote", "invented_quote", "invented_quote")
def test_gives_up_after_the_reask_bound_and_names_the_bad_quote(llm_endpoint: LLMEndpoint) -> None:
    [article] = load(str(CORPUS / "algae-bloom" / "north-valley-broadcast.txt"))
    with make(llm_endpoint) as summarizer, pytest.raises(OutputInvalidError) as info:
        summarizer.summarize(article)
    err = info.value
    assert err.attempts.model_attempts == 3  # first answer + 2 re-asks
    assert "quote not found in the article" in err.message
    assert err.attempts.usage.prompt_tokens > 0


@pytest.mark.vcr
def test_template_syntax_and_delimiters_reach_the_model_as_data(
    llm_endpoint: LLMEndpoint, vcr: object
) -> None:
    [article] = load(str(CORPUS / "singles" / "template-and-delimiters.txt"))
    with make(llm_endpoint) as summarizer:
        result = summarizer.summarize(article)
    assert_grounded(article, quotes(result))
    sent = json.loads(vcr.requests[0].body)  # type: ignore[attr-defined]
    system, user = sent["messages"][0]["content"], sent["messages"][1]["content"]
    assert "{{ 7*7 }}" in user and "49" not in user
    assert "Karin Lund" not in system
    body_start = user.index("<<<ARTICLE ")
    assert user.index("</article>") > body_start
    assert user.index("<|im_start|>system") < user.index("<<<END ARTICLE ")


def test_cassettes_hold_no_secrets_or_identifying_headers() -> None:
    root = Path(__file__).resolve().parents[1] / "cassettes"
    files = sorted(root.rglob("*.yaml"))
    assert files, "no cassettes found"
    import re

    forbidden = re.compile(
        r"sk-[A-Za-z0-9_-]{8,}|Bearer |authorization|openai-organization|openai-project|set-cookie|"
        r"x-stainless|user-agent|cf-ray|x-request-id",
        re.IGNORECASE,
    )
    for path in files:
        text = path.read_text(encoding="utf-8")
        hit = forbidden.search(text)
        assert hit is None, f"{path.name} contains {hit.group(0)!r}"
