"""The LLM comparison path end to end, replayed from cassettes/test_compare_llm/.

Recorded against the project's loopback simulator (see cassettes/README.md):
its summaries come from the offline engine and its comparison from the
offline comparator run on the summaries in the request. What these tests
check is our side: the map/reduce calls, the per-source grounding of every
quote, the re-ask on a wrong attribution, and that an injected instruction in
one source changes nothing about the others.
"""

from __future__ import annotations

import pytest

from summarizer.comparison.run import compare_paths
from summarizer.comparison.schema import QuestionStatus
from summarizer.settings import Settings

from .conftest import CORPUS, LLMEndpoint

PORT = CORPUS / "port-strike"
PORT_FILES = [
    str(PORT / n)
    for n in (
        "meridian-press-wire.txt",
        "calderra-evening-post.html",
        "harbor-ledger.md",
        "ledgerline-markets.txt",
    )
]


def settings_for(endpoint: LLMEndpoint) -> Settings:
    return Settings(
        engine="llm",
        base_url=endpoint.base_url,
        model=endpoint.model,
        api_key=endpoint.api_key,
        mode="tools",
        transport_attempts=1,
        reasks=2,
    )


def run(endpoint: LLMEndpoint, paths: list[str]):  # type: ignore[no-untyped-def]
    # LLM settings choose the LLM comparator too (summarizer.engines.build_comparator).
    return compare_paths(paths, settings_for(endpoint))


@pytest.mark.vcr
def test_llm_compare_resolves_open_questions_across_sources(llm_endpoint: LLMEndpoint) -> None:
    report = run(llm_endpoint, PORT_FILES)
    ids = {s.path.rsplit("/", 1)[-1]: s.id for s in report.sources}
    p = report.provenance
    assert p.engine == "llm" and p.summary_calls == 4 and p.compare_calls == 1
    texts = {s.id: s.text for s in report.sources}
    for quote in report.comparison.all_quotes():
        assert quote.start is not None and quote.end is not None
        assert " ".join(texts[quote.source][quote.start : quote.end].split()) == " ".join(quote.quote.split())
    answered = [q for q in report.comparison.open_questions if q.answer is not None]
    talks = [q for q in answered if q.answer and "resume talks on Thursday" in q.answer.quote]
    assert talks, "the wire's open question on new talks is answered by the Harbor Ledger"
    assert talks[0].answer is not None and talks[0].answer.source == ids["harbor-ledger.md"]
    assert talks[0].status in {QuestionStatus.answered, QuestionStatus.partly_answered}
    assert [sorted(g.members) for g in report.wire_groups] == [
        sorted([ids["meridian-press-wire.txt"], ids["calderra-evening-post.html"]])
    ]
    dumped = report.model_dump_json().lower()
    assert "strike has ended" not in dumped and "returned to work" not in dumped


@pytest.mark.vcr
@pytest.mark.sim_script("ok", "ok", "wrong_source", "ok")
def test_quote_attributed_to_the_wrong_source_is_reasked(llm_endpoint: LLMEndpoint) -> None:
    paths = [
        str(CORPUS / "algae-bloom" / n) for n in ("north-valley-broadcast.txt", "varno-gazette-scrape.txt")
    ]
    report = run(llm_endpoint, paths)
    assert report.provenance.compare_calls == 2  # the misattributed answer was rejected and re-asked
    texts = {s.id: s.text for s in report.sources}
    for quote in report.comparison.all_quotes():
        assert quote.start is not None
        assert texts[quote.source][quote.start : quote.end].split() == quote.quote.split()


def test_injected_instruction_reaches_no_output_and_no_other_source() -> None:
    """Offline map step: each source is summarized alone; the injected caption is dropped as a
    paragraph addressed to a model, so it reaches neither the report nor any comparison field."""
    settings = Settings(engine="offline")
    report = compare_paths(PORT_FILES, settings)
    flat = report.comparison.model_dump_json().lower()
    for phrase in ("strike has ended", "returned to work", "ignore all previous instructions"):
        assert phrase not in flat
    others = compare_paths([p for p in PORT_FILES if "ledgerline" not in p], settings)
    # what the other three outlets agree on is still reported, quote for quote, with the injection present
    quoted_with = {(q.source, q.quote) for q in report.comparison.all_quotes()}
    support = [(q.source, q.quote) for f in others.comparison.shared_facts for q in f.support]
    assert support and all(pair in quoted_with for pair in support)
