"""Long articles: chunks on paragraph boundaries with overlap, N + 1 answers, one grounded summary.

The LLM path runs against the loopback simulator (its brain is the offline
engine); budgets are set small (``Settings.chunk_tokens``) so a few thousand
words make several chunks and the tests stay fast.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from summarizer import chunking, scope, tokens
from summarizer.article import Article
from summarizer.chunkmerge import ChunkMerge, MergeDraft, merged_summary
from summarizer.errors import BadRequestError
from summarizer.grounding import Source
from summarizer.pipeline import Summarizer
from summarizer.result import Provenance, SummaryResult
from summarizer.settings import Settings
from summarizer.simulator import SimConfig, start

TOWNS = ["Harrow Vale", "Millbeck", "Osterfjord", "Quillby", "Tarnwick", "Elmstead", "Brackenholm"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def paragraph(i: int) -> str:
    town = TOWNS[i % len(TOWNS)]
    return (
        f"The {town} council met on {DAYS[i % 5]} to discuss proposal {i + 1}, a plan to repair "
        f"{i + 3} footbridges along the river. Councillor Ada Pellworth said the work would cost about "
        f'{(i + 2) * 1500} crowns and take {i % 9 + 2} weeks. "We cannot leave bridge {i + 1} as it is," '
        f"she said. A decision on proposal {i + 1} is still pending, and the council has not said "
        "who will pay."
    )


def long_article(paragraphs: int, title: str = "River Crossings Under Review Across the Valley") -> Article:
    text = "\n\n".join([title, *(paragraph(i) for i in range(paragraphs))])
    return Article(source="long.txt", index=0, title=title, text=text)


def test_chunks_cover_the_article_end_at_paragraphs_overlap_and_stay_under_the_budget() -> None:
    article = long_article(40)
    chunks = chunking.split(article.text, 400, 0.2)
    assert len(chunks) > 3
    assert chunks[0].start == 0 and chunks[-1].end == len(article.text)
    breaks = {m.start() for m in re.finditer(r"\n\n", article.text)} | {len(article.text)}
    for before, after in itertools.pairwise(chunks):
        assert before.end in breaks  # a chunk ends where a paragraph does
        assert after.start < before.end  # and the next one repeats the end of it
        assert re.search(r"(\n\n|[.!?\"] )$", article.text[: after.start])  # from a paragraph or sentence
    for chunk in chunks:
        assert tokens.count(article.text[chunk.start : chunk.end]) <= 400
    covered: set[int] = set()
    for chunk in chunks:
        covered.update(range(chunk.start, chunk.end))
    assert all(i in covered or article.text[i].isspace() for i in range(len(article.text)))  # nothing dropped


def test_a_paragraph_or_sentence_over_the_budget_is_cut_inside_it_not_dropped() -> None:
    sentences = " ".join(f"Item {i} of the list was approved." for i in range(300))
    run_on = " ".join(f"word{i}" for i in range(900))  # one sentence, no break at all
    text = f"Title\n\n{sentences}\n\n{run_on}"
    chunks = chunking.split(text, 300, 0.1)
    assert len(chunks) > 4
    for chunk in chunks:
        assert tokens.count(text[chunk.start : chunk.end]) <= 300
    words = set()
    for chunk in chunks:
        words.update(text[chunk.start : chunk.end].split())
    assert words == set(text.split())


def test_an_article_under_the_budget_is_not_tokenized(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_count(_: str) -> int:
        raise AssertionError("tokenized although its byte length is under the budget")

    monkeypatch.setattr(tokens, "count", no_count)
    assert chunking.plan(long_article(3).text, 5_000, 0.1) is None


def test_the_default_budget_comes_from_the_model_and_the_setting_overrides_it() -> None:
    settings = Settings()
    mini = chunking.budget(settings, "gpt-4o-mini")
    assert 100_000 < mini < 128_000 - settings.max_output_tokens
    assert chunking.budget(settings, "gpt-4.1-2025-04-14") > 900_000  # a dated snapshot is its model
    assert chunking.budget(settings, "llama3.1") < 32_768
    assert chunking.budget(Settings(chunk_tokens=900), "gpt-4o-mini") == 900


def run_llm(article: Article, sim_config: SimConfig, **settings: Any) -> SummaryResult:
    with start(sim_config) as sim:
        configured = Settings(base_url=sim.base_url, model="sim-1", **settings)
        with Summarizer(configured) as summarizer:
            return summarizer.summarize(article)


def test_a_long_article_costs_one_answer_per_chunk_plus_one_and_every_quote_is_the_article_s() -> None:
    article = long_article(24)
    expected = len(chunking.split(article.text, 600, 0.1))
    result = run_llm(article, SimConfig(), chunk_tokens=600)
    p = result.provenance
    assert expected > 2 and p.chunks == expected
    assert p.model_attempts == expected + 1 and p.http_attempts == expected + 1
    evidence = result.summary.all_evidence()
    assert max(e.start or 0 for e in evidence) > len(article.text) // 2  # the later parts are in it
    for e in evidence:
        assert e.start is not None and e.end is not None
        assert article.text[e.start : e.end] == e.quote  # whole-article offsets
    spans = [(e.start, e.end) for kp in result.summary.key_points for e in kp.evidence[:1]]
    assert len(spans) == len(set(spans))  # what two overlapping chunks both quoted appears once
    loaded = SummaryResult.model_validate_json(result.model_dump_json(), context=scope.trusted())
    assert loaded.provenance.chunks == expected


def test_under_the_budget_one_answer_and_no_chunks_in_the_provenance() -> None:
    result = run_llm(long_article(3), SimConfig(), chunk_tokens=5_000)
    assert result.provenance.chunks is None and result.provenance.model_attempts == 1


def test_an_article_over_the_model_s_context_fails_whole_and_succeeds_in_chunks() -> None:
    article = long_article(60)
    window = SimConfig(context_window=14_000)  # prompt + max_tokens (8,192) must fit
    with pytest.raises(BadRequestError, match="maximum context length is 14000 tokens"):
        run_llm(article, window, chunk_tokens=50_000, max_output_tokens=8192)
    result = run_llm(article, window, chunk_tokens=2_000, max_output_tokens=8192)
    assert result.provenance.chunks is not None and result.provenance.chunks >= 3


def test_stored_results_from_before_the_chunks_field_still_load() -> None:
    old = {"engine": "llm", "schema_version": "1", "started_at": "2026-01-01T00:00:00Z"}
    old["finished_at"] = old["started_at"]
    assert Provenance.model_validate(old).chunks is None


def draft_of(article: Article, limit: int) -> tuple[MergeDraft, list[chunking.Chunk]]:
    from summarizer.offline import summarize_offline

    chunks = chunking.split(article.text, limit, 0.1)
    parts = [
        summarize_offline(Article("p", 0, "", article.text[c.start : c.end]))
        for c in chunks  # the offline engine stands in for the chunk answers
    ]
    return MergeDraft.of(article.text, parts, [(c.start, c.end) for c in chunks]), chunks


def decision(article: Article, answered: list[dict[str, Any]]) -> ChunkMerge:
    """A merge answer, validated as the LLM path does: its quotes against the whole article."""
    data = {"headline": "h", "gist": "g", "summary": "s", "key_points": [1], "answered": answered}
    with scope.scope(Source(article.text)):
        return ChunkMerge.model_validate(data)


def test_a_question_another_part_settles_is_dropped_but_not_one_its_own_part_settles() -> None:
    article = long_article(16)
    draft, chunks = draft_of(article, 500)
    assert len(chunks) >= 3 and draft.questions
    first_part = [n for n, (part, _) in enumerate(draft.questions) if part == 0]
    late = next(kp for part, kp in draft.key_points if part == len(chunks) - 1)
    own = draft.questions[first_part[0]][1]["evidence"][0]["quote"]
    answer = late["evidence"][0]["quote"]
    settled = decision(article, [{"n": first_part[0] + 1, "evidence": [{"quote": answer}]}])
    kept = decision(article, [{"n": first_part[0] + 1, "evidence": [{"quote": own}]}])
    question = draft.questions[first_part[0]][1]["question"]
    merged = merged_summary(article.text, draft, settled)
    assert question not in [q.question for q in merged.open_questions]
    assert question in [q.question for q in merged_summary(article.text, draft, kept).open_questions]


def test_an_answer_quote_not_in_the_article_is_refused_like_any_quote() -> None:
    article = long_article(8)
    with pytest.raises(ValueError, match="quote not found"):
        decision(article, [{"n": 1, "evidence": [{"quote": "The council set the repair date for 3 June."}]}])


def test_the_merge_request_s_data_keeps_under_the_budget_for_an_article_of_many_parts() -> None:
    article = long_article(80)
    draft, chunks = draft_of(article, 300)
    assert len(chunks) > 10 and tokens.count(draft.data_json()) > 1_500
    assert tokens.count(draft.data_json(1_500)) <= 1_500


def test_what_two_overlapping_chunks_both_say_is_kept_once() -> None:
    from summarizer.offline import summarize_offline

    article = long_article(16)
    chunks = chunking.split(article.text, 400, 0.5)  # two paragraphs: the first of a chunk is its title
    parts = [summarize_offline(Article("p", 0, "", article.text[c.start : c.end])) for c in chunks]
    seen_in: dict[tuple[int, str], set[int]] = {}
    for n, (c, part) in enumerate(zip(chunks, parts, strict=True)):
        for st in part.statements:
            seen_in.setdefault((c.start + (st.evidence[0].start or 0), st.speaker), set()).add(n)
    twice = {key for key, where in seen_in.items() if len(where) > 1}
    draft = MergeDraft.of(article.text, parts, [(c.start, c.end) for c in chunks])
    kept = [(st["evidence"][0]["start"], st["speaker"]) for _, st in draft.statements]
    assert twice  # the overlap gave some statements in two chunks
    assert all(kept.count(key) == 1 for key in twice)  # each kept once
    assert set(kept) == set(seen_in)  # and nothing else lost


def test_the_cache_key_of_a_chunked_article_names_the_merge_prompt_and_the_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A new chunk budget, overlap or merge prompt never reuses an old answer for an article that
    is cut into chunks, and changes nothing for one that fits."""
    from summarizer import prompts
    from summarizer.store import KeyParts

    def key(article: Article, **over: Any) -> KeyParts:
        settings = Settings(engine="llm", model="sim-1", base_url="http://127.0.0.1:9/v1", **over)
        return Summarizer(settings).cache_key(article)

    long, short = long_article(24), long_article(3)
    base = key(long, chunk_tokens=600)
    assert key(long, chunk_tokens=800).key != base.key
    assert key(long, chunk_tokens=600, chunk_overlap=0.2).key != base.key
    assert key(short, chunk_tokens=600).key == key(short, chunk_tokens=800).key
    assert key(short, chunk_tokens=600).prompt_hash == prompts.load("summarize").hash
    merge = prompts.load("merge")
    edited = prompts.PromptTemplate(merge.name, merge.version, merge.source + "\n{# edited #}")
    real_load = prompts.load

    def load(name: str = "summarize") -> prompts.PromptTemplate:
        return edited if name == "merge" else real_load(name)

    monkeypatch.setattr(prompts, "load", load)
    assert key(long, chunk_tokens=600).key != base.key
    assert key(short, chunk_tokens=600).prompt_hash == real_load("summarize").hash


def test_a_chunked_answer_names_the_prompt_part_of_its_cache_key() -> None:
    article = long_article(24)
    with start(SimConfig()) as sim:
        settings = Settings(engine="llm", model="sim-1", base_url=sim.base_url, chunk_tokens=600)
        with Summarizer(settings) as summarizer:
            asked = summarizer.cache_key(article)
            result = summarizer.summarize(article)
    assert result.provenance.chunks is not None
    assert result.provenance.prompt_hash == asked.prompt_hash  # what the stored row's column says
