"""Long articles: the per-request token budget, chunks on paragraph boundaries, and the map step.

An article whose text is over the budget (``budget``: ``Settings.chunk_tokens``,
else the model's context window minus the prompt's fixed part, the output
budget and a margin) is never truncated: ``split`` cuts it into consecutive
chunks at paragraph boundaries (sentence boundaries inside a paragraph that is
over the budget alone), each under the budget, every chunk after the first
repeating the last paragraphs of the one before (``Settings.chunk_overlap``).
``summarize_chunks`` summarizes every chunk with the ordinary prompt and
schema, grounding its quotes against the chunk and moving their offsets to the
whole article's, then asks once more to merge them (``summarizer.chunkmerge``):
N chunks cost N + 1 model answers. The result's provenance says ``chunks: N``.

Counting is linear: the article's UTF-8 length bounds its token count (a token
is at least one byte), so an article under the budget by bytes is never
tokenized; one over it is tokenized once, paragraph by paragraph.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel

from summarizer import prompts, tokens
from summarizer.attempts import AttemptLog
from summarizer.chunkmerge import ChunkMerge, MergeDraft, merged_summary
from summarizer.errors import SummarizerError
from summarizer.grounding import Source
from summarizer.schema import ArticleSummary

if TYPE_CHECKING:
    from summarizer.article import Article
    from summarizer.llm import LLMClient
    from summarizer.prompts import PromptTemplate
    from summarizer.settings import Settings

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

CONTEXT_WINDOWS: dict[str, int] = {
    # Input tokens a request may hold, as OpenAI's model pages give them; not re-read on OpenAI's site
    # for this table (third-party tables seen 2026-12-03 agree for gpt-4o, gpt-4o-mini, gpt-4.1 and the
    # o-series): check them like the price table in summarizer.cost, or set SUMMARIZER_CHUNK_TOKENS.
    "gpt-4o": 128_000,
    "gpt-4o-mini": 128_000,
    "gpt-4.1": 1_047_576,
    "gpt-4.1-mini": 1_047_576,
    "gpt-4.1-nano": 1_047_576,
    "gpt-5": 272_000,  # a 400,000-token context of which at most 272,000 are input
    "gpt-5-mini": 272_000,
    "gpt-5-nano": 272_000,
    "o1": 200_000,
    "o3": 200_000,
    "o3-mini": 200_000,
    "o4-mini": 200_000,
    "sim-1": 128_000,  # the simulator's model; it enforces SimConfig.context_window when set
}
UNKNOWN_CONTEXT = 32_768
"""Any other model (a local server's): a context many local models have; set
``SUMMARIZER_CHUNK_TOKENS`` for the one you run (Ollama's default context is smaller)."""
MARGIN = 0.05
"""Share of the context left unused: our tokenizer is o200k_base, another model's may count more."""
MIN_BUDGET = 256
MAX_PARALLEL_CHUNKS = 4
"""Chunk requests of one article in flight at once (a batch run's slots cap them further)."""

_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")


@dataclass(frozen=True)
class Chunk:
    """``text[start:end]`` of the article: one request's worth, ``tokens`` long."""

    index: int
    start: int
    end: int
    tokens: int


def context_window(model: str) -> int:
    return CONTEXT_WINDOWS.get(model) or CONTEXT_WINDOWS.get(_SNAPSHOT.sub("", model)) or UNKNOWN_CONTEXT


@functools.cache
def _prompt_tokens() -> int:
    """The request's fixed part: system message, schema and the article block's lines."""
    from summarizer.promptinfo import prefix_report

    return prefix_report().prefix_tokens + tokens.count_messages(prompts.load().render("").as_openai())


def budget(settings: Settings, model: str) -> int:
    """Article tokens one request may carry (``Settings.chunk_tokens`` when set)."""
    if settings.chunk_tokens is not None:
        return settings.chunk_tokens
    room = context_window(model) * (1 - MARGIN) - _prompt_tokens() - settings.max_output_tokens
    return max(MIN_BUDGET, int(room))


def chunked_prompt_hash(prompt_hash: str, limit: int, overlap: float) -> str:
    """The prompt part of the cache key of an article cut into chunks: what its answer depends on
    besides the summarize prompt (``prompt_hash``): the merge prompt and how the text is cut."""
    merge = prompts.load("merge").hash
    recipe = f"{prompt_hash}|merge {merge}|budget {limit}|overlap {overlap!r}"
    return hashlib.sha256(recipe.encode("utf-8")).hexdigest()[: len(prompt_hash)]


def fits(text: str, limit: int) -> bool:
    """Whether ``text`` is at most ``limit`` tokens (tokenized only when its bytes say it may not be)."""
    if len(text) <= limit and len(text.encode("utf-8")) <= limit:
        return True
    return tokens.count(text) <= limit


def _spans(text: str, pattern: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``text[start:end]`` between matches of ``pattern``, as offsets (empty ones dropped)."""
    pieces: list[tuple[int, int]] = []
    at = start
    for match in pattern.finditer(text, start, end):
        if match.start() > at:
            pieces.append((at, match.start()))
        at = match.end()
    if end > at:
        pieces.append((at, end))
    return pieces


_WORD = re.compile(r"\S+")


def _words(text: str, start: int, end: int, limit: int) -> list[tuple[int, int, int]]:
    """A sentence over ``limit`` tokens (rare: a list or a table run together), cut between words."""
    pieces: list[tuple[int, int, int]] = []
    first, last, count = -1, start, 0
    for match in _WORD.finditer(text, start, end):
        n = tokens.count(" " + match.group())  # a word with its leading space, as BPE sees it in text
        if n > limit:  # one "word" over the limit: cut it by characters (a token is >= 1 character)
            if first >= 0:
                pieces.append((first, last, count))
            for at in range(match.start(), match.end(), limit):
                stop = min(at + limit, match.end())
                pieces.append((at, stop, tokens.count(text[at:stop])))
            first, count = -1, 0
        elif first >= 0 and count + n <= limit:
            last, count = match.end(), count + n
        else:
            if first >= 0:
                pieces.append((first, last, count))
            first, last, count = match.start(), match.end(), n
    if first >= 0:
        pieces.append((first, last, count))
    return pieces


def _units(text: str, limit: int) -> list[tuple[int, int, int]]:
    """Paragraphs as (start, end, tokens); a paragraph over ``limit`` as sentence groups under it."""
    units: list[tuple[int, int, int]] = []
    for start, end in _spans(text, _PARAGRAPH_BREAK, 0, len(text)):
        count = tokens.count(text[start:end])
        if count <= limit:
            units.append((start, end, count))
            continue
        group: tuple[int, int, int] | None = None
        for s_start, s_end in _spans(text, _SENTENCE_END, start, end):
            n = tokens.count(text[s_start:s_end])
            parts = [(s_start, s_end, n)] if n <= limit else _words(text, s_start, s_end, limit)
            for piece in parts:
                if group is not None and group[2] + 1 + piece[2] <= limit:
                    group = (group[0], piece[1], group[2] + 1 + piece[2])
                else:
                    if group is not None:
                        units.append(group)
                    group = piece
        if group is not None:
            units.append(group)
    return units


def _tail(text: str, unit: tuple[int, int, int], keep: int) -> tuple[int, int, int] | None:
    """The closing sentences of a paragraph that fit in ``keep`` tokens, as a unit; None if none do."""
    start, end, _ = unit
    first, count = end, 0
    for s_start, s_end in reversed(_spans(text, _SENTENCE_END, start, end)):
        n = tokens.count(text[s_start:s_end])
        if count + n + (1 if count else 0) > keep:
            break
        first, count = s_start, count + n + (1 if count else 0)
    return (first, end, count) if first < end else None


def split(text: str, limit: int, overlap: float) -> list[Chunk]:
    """Consecutive chunks of ``text``, each at most ``limit`` tokens, together covering all of it.

    Chunks end at paragraph boundaries. Each one after the first starts with the
    whole paragraphs at the end of the one before that fit in ``overlap`` x
    ``limit`` tokens, or, when its last paragraph alone is longer than that,
    with that paragraph's closing sentences that fit (no overlap only when its
    last sentence alone is longer).
    """
    units = _units(text, limit)
    keep = int(limit * overlap)
    chunks: list[Chunk] = []
    i = 0
    head: tuple[int, int, int] | None = None
    """The chunk's first unit when it starts inside a paragraph (its closing sentences)."""
    while i < len(units):
        first = head or units[i]
        j, total = i + 1, first[2]
        while j < len(units) and total + 2 + units[j][2] <= limit:
            total += 2 + units[j][2]  # "\n\n" between paragraphs
            j += 1
        chunks.append(Chunk(len(chunks), first[0], units[j - 1][1], total))
        if j == len(units):
            break
        k, repeated = j, 0
        while k - 1 > i and repeated + units[k - 1][2] <= keep:
            k -= 1
            repeated += units[k][2] + 2
        head = None
        if k == j and keep:
            tail = _tail(text, units[j - 1], keep)
            # Only when the next chunk still gets further than this one.
            if tail is not None and tail[0] > first[0] and tail[2] + 2 + units[j][2] <= limit:
                head, k = tail, j - 1
        i = k
    return chunks


def plan(text: str, limit: int, overlap: float) -> list[Chunk] | None:
    """The chunks for an article over ``limit`` tokens; ``None`` when it fits in one request."""
    if fits(text, limit):
        return None
    chunks = split(text, limit, overlap)
    return chunks if len(chunks) > 1 else None


@dataclass
class LongAnswer:
    summary: ArticleSummary
    attempts: AttemptLog
    chunks: int


def _add(total: AttemptLog, part: AttemptLog) -> None:
    total.http_attempts += part.http_attempts
    total.model_attempts += part.model_attempts
    total.usage.prompt_tokens += part.usage.prompt_tokens
    total.usage.completion_tokens += part.usage.completion_tokens
    total.usage.cached_tokens += part.usage.cached_tokens


async def summarize_chunks(
    client: LLMClient,
    article: Article,
    prompt: PromptTemplate,
    chunks: Sequence[Chunk],
    *,
    limit: int,
    tokens: int = 0,
) -> LongAnswer:
    """Map: one grounded summary per chunk; reduce: one merge answer; see the module docstring.

    ``limit``: the per-request budget the chunks were cut to (the merge request's data
    keeps under it too); ``tokens``: the whole article's request estimate (for a shared
    rate limiter), each chunk request charged its share.
    """
    spent = AttemptLog()
    total = sum(c.tokens for c in chunks) or 1
    gate = asyncio.Semaphore(MAX_PARALLEL_CHUNKS)

    async def part(chunk: Chunk) -> ArticleSummary:
        text = article.text[chunk.start : chunk.end]
        label = f"{article.label} (part {chunk.index + 1} of {len(chunks)})"
        share = tokens * chunk.tokens // total if tokens else 0
        async with gate:
            messages = prompt.render(text).as_openai()
            summary, _ = await _ask(
                client, ArticleSummary, messages, Source(text), label, spent, tokens=share
            )
        return summary

    answers = await asyncio.gather(*(part(c) for c in chunks), return_exceptions=True)
    failed = next((a for a in answers if isinstance(a, BaseException)), None)
    if failed is not None:
        raise _with_spent(failed, spent, article.label)
    parts = [a for a in answers if isinstance(a, ArticleSummary)]
    draft = MergeDraft.of(article.text, parts, [(c.start, c.end) for c in chunks])
    merger = prompts.load("merge")
    decision, _ = await _ask(
        client,
        ChunkMerge,
        merger.render(draft.data_json(limit)).as_openai(),
        Source(article.text),
        f"{article.label} (merging {len(chunks)} parts)",
        spent,
    )
    return LongAnswer(merged_summary(article.text, draft, decision), spent, len(chunks))


async def _ask(
    client: LLMClient,
    model: type[M],
    messages: list[dict[str, str]],
    source: Source,
    label: str,
    spent: AttemptLog,
    *,
    tokens: int = 0,
) -> tuple[M, AttemptLog]:
    try:
        answer, attempts = await client.ask(model, messages, source, label=label, tokens=tokens)
    except SummarizerError as exc:
        _add(spent, exc.attempts)
        exc.attempts = AttemptLog()  # counted in ``spent``, which the article's error carries
        raise
    _add(spent, attempts)
    return answer, attempts


def _with_spent(exc: BaseException, spent: AttemptLog, label: str) -> BaseException:
    """The first chunk failure, carrying what every chunk of the article spent."""
    if isinstance(exc, SummarizerError):
        exc.attempts = spent
        exc.source = label
    return exc
