"""The reduce step for a long article: its chunks' summaries merged into one ``ArticleSummary``.

``MergeDraft.of`` moves every quote's offsets from its chunk to the whole
article (and checks that the article's text at the new span is the quote),
drops what the chunks say twice (neighbouring chunks share paragraphs, and a
story repeats its facts) and numbers the key points and open questions for the
merge request. ``ChunkMerge`` is that request's model-facing answer: headline,
gist and summary for the whole article, the key points that matter most, and
the open questions another part answers, each with the quote that settles it
(grounded against the whole article like any quote). ``merged_summary`` builds
the result: every quote in it was checked against the article, in its chunk or
by the merge answer's validators; the model's own words are only the headline,
gist, summary and the key points' order. Lists longer than the schema allows
are filled from the parts in turn, then put back in article order, so every
part of a long article is represented.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from summarizer import scope, tokens
from summarizer.errors import SummarizerError
from summarizer.schema import ArticleSummary, Evidence

log = logging.getLogger(__name__)

Item = dict[str, Any]
LIMITS = {
    name: next(m.max_length for m in field.metadata if hasattr(m, "max_length"))
    for name, field in ArticleSummary.model_fields.items()
    if name in {"key_points", "entities", "statements", "dates", "open_questions"}
}
"""The schema's list caps (``ArticleSummary``'s ``max_length``), the merged summary's too."""
_WORDS = re.compile(r"\w+")


class AnsweredQuestion(BaseModel):
    """An open question from one part that another part of the article settles."""

    n: int = Field(description="The question's n in open_questions.")
    evidence: list[Evidence] = Field(
        min_length=1,
        description="The quote from another part that settles it, copied exactly from the part summaries.",
    )


class ChunkMerge(BaseModel):
    """One summary of a long article, written from the summaries of its parts."""

    headline: str = Field(description="A neutral headline for the whole article, at most 15 words.")
    gist: str = Field(description="The whole story in one sentence.")
    summary: str = Field(description="A short paragraph, 2-4 sentences, about the whole article.")
    key_points: list[int] = Field(
        min_length=1,
        max_length=LIMITS["key_points"],
        description="The n of the key points that matter most for the whole article, most important first.",
    )
    answered: list[AnsweredQuestion] = Field(
        default_factory=list, description="Open questions that a quote from another part settles."
    )


def _norm(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def _first_span(item: Item) -> tuple[int, int]:
    evidence = item.get("evidence") or [{}]
    return int(evidence[0].get("start") or 0), int(evidence[0].get("end") or 0)


def _dedupe(items: list[tuple[int, Item]], keys: Callable[[Item], list[Hashable]]) -> list[tuple[int, Item]]:
    """First occurrence wins; an item is a repeat when any of its keys was seen."""
    seen: set[Hashable] = set()
    kept: list[tuple[int, Item]] = []
    for part, item in items:
        mine = keys(item)
        if any(k in seen for k in mine):
            continue
        seen.update(mine)
        kept.append((part, item))
    return kept


def _shift(item: Item, offset: int, article: str) -> Item:
    for evidence in item.get("evidence", []):
        evidence["start"] += offset
        evidence["end"] += offset
        if article[evidence["start"] : evidence["end"]] != evidence["quote"]:
            raise SummarizerError("internal: a chunk's quote does not match the article at its moved offsets")
    return item


@dataclass
class MergeDraft:
    """The parts' items in whole-article offsets, without repeats, by kind; ``part`` is the chunk index."""

    parts: list[Item]
    key_points: list[tuple[int, Item]]
    entities: list[tuple[int, Item]]
    statements: list[tuple[int, Item]]
    dates: list[tuple[int, Item]]
    questions: list[tuple[int, Item]]
    spans: list[tuple[int, int]]

    @classmethod
    def of(
        cls, article: str, summaries: Sequence[ArticleSummary], spans: Sequence[tuple[int, int]]
    ) -> MergeDraft:
        """``summaries[i]`` summarizes ``article[spans[i][0]:spans[i][1]]``, its offsets in that chunk."""
        dumped = [s.model_dump(mode="python") for s in summaries]
        by_kind: dict[str, list[tuple[int, Item]]] = {k: [] for k in LIMITS}
        for part, (data, (start, _)) in enumerate(zip(dumped, spans, strict=True)):
            for kind in LIMITS:
                by_kind[kind].extend((part, _shift(item, start, article)) for item in data[kind])
        return cls(
            parts=[{"headline": d["headline"], "gist": d["gist"], "summary": d["summary"]} for d in dumped],
            key_points=_dedupe(by_kind["key_points"], lambda i: [_first_span(i), _norm(i["point"])]),
            entities=_dedupe(by_kind["entities"], lambda i: [_norm(i["name"])]),
            statements=_dedupe(
                by_kind["statements"],
                lambda i: [(_first_span(i), _norm(i["speaker"])), (_norm(i["speaker"]), _norm(i["claim"]))],
            ),
            dates=_dedupe(by_kind["dates"], lambda i: [(_norm(i["when"]), _first_span(i))]),
            questions=_dedupe(
                by_kind["open_questions"], lambda i: [(_first_span(i), str(i["kind"])), _norm(i["question"])]
            ),
            spans=list(spans),
        )

    def data_json(self, limit: int | None = None) -> str:
        """The merge request's data: the parts' summaries, key points and open questions, numbered.

        Over ``limit`` tokens (a very long article's many parts) it is cut down step by step:
        fewer key points and questions (taken from the parts in turn, their numbers kept), then
        the parts without their summary paragraphs, then every second part's gist, and so on."""
        text = ""
        for cap, full, step in self._shrinking():
            text = self._data(cap, full, step)
            if limit is None or tokens.count(text) <= limit:
                break
        return text

    def _shrinking(self) -> Iterator[tuple[int, bool, int]]:
        cap = max(len(self.key_points), len(self.questions), 1)
        floor = 2 * LIMITS["key_points"]
        while cap > floor:
            yield cap, True, 1
            cap //= 2
        yield cap, True, 1
        yield cap, False, 1
        step = 2
        while step < 2 * len(self.parts):
            yield LIMITS["key_points"], False, step
            step *= 2

    def _data(self, cap: int, full: bool, step: int) -> str:
        points = [(n, *self.key_points[n]) for n in _spread_indices(self.key_points, cap)]
        questions = [(n, *self.questions[n]) for n in _spread_indices(self.questions, cap)]
        parts = [
            {"part": i + 1, **(p if full else {"headline": p["headline"], "gist": p["gist"]})}
            for i, p in enumerate(self.parts)
            if i % step == 0
        ]
        data = {
            "parts": parts,
            "key_points": [
                {"n": n + 1, "part": part + 1, "point": item["point"], "quote": item["evidence"][0]["quote"]}
                for n, part, item in points
            ],
            "open_questions": [
                {
                    "n": n + 1,
                    "part": part + 1,
                    "question": item["question"],
                    "kind": str(item["kind"]),
                    "why_open": item["why_open"],
                    "quote": item["evidence"][0]["quote"],
                }
                for n, part, item in questions
            ],
        }
        return json.dumps(data, ensure_ascii=False)

    def settled(self, decision: ChunkMerge) -> set[int]:
        """Indices of the questions the merge answer settles with a quote from outside their own part."""
        found: set[int] = set()
        for answer in decision.answered:
            index = answer.n - 1
            if not 0 <= index < len(self.questions):
                log.info("merge answer names open question %d of %d; ignored", answer.n, len(self.questions))
                continue
            start, end = self.spans[self.questions[index][0]]
            if any(e.start is not None and not start <= e.start < end for e in answer.evidence):
                found.add(index)
            else:
                log.info("open question %d: its answer is in its own part; kept", answer.n)
        return found


def _spread_indices(items: list[tuple[int, Item]], cap: int) -> list[int]:
    """Indices of at most ``cap`` items taken from the parts in turn, in draft order."""
    if len(items) <= cap:
        return list(range(len(items)))
    queues: dict[int, list[int]] = {}
    for index, (part, _) in enumerate(items):
        queues.setdefault(part, []).append(index)
    chosen: list[int] = []
    while len(chosen) < cap:
        for queue in queues.values():
            if queue and len(chosen) < cap:
                chosen.append(queue.pop(0))
    return sorted(chosen)


def _spread(items: list[tuple[int, Item]], cap: int) -> list[Item]:
    """At most ``cap`` items taken from the parts in turn, in article order."""
    chosen = [items[i][1] for i in _spread_indices(items, cap)]
    return sorted(chosen, key=_first_span) if len(items) > cap else chosen


def merged_summary(article: str, draft: MergeDraft, decision: ChunkMerge) -> ArticleSummary:
    """The whole article's summary: the merge answer's words, the parts' grounded items."""
    order = list(dict.fromkeys(n - 1 for n in decision.key_points if 0 < n <= len(draft.key_points)))
    points = [draft.key_points[i][1] for i in order][: LIMITS["key_points"]]
    if not points:
        log.info("merge answer chose no known key point; taking them from the parts in turn")
        points = _spread(draft.key_points, LIMITS["key_points"])
    settled = draft.settled(decision)
    questions = [q for i, q in enumerate(draft.questions) if i not in settled]
    data = {
        "headline": decision.headline,
        "gist": decision.gist,
        "summary": decision.summary,
        "key_points": points,
        "entities": _spread(draft.entities, LIMITS["entities"]),
        "statements": _spread(draft.statements, LIMITS["statements"]),
        "dates": _spread(draft.dates, LIMITS["dates"]),
        "open_questions": _spread(questions, LIMITS["open_questions"]),
    }
    # Every quote was grounded in its chunk (and its moved offsets checked in MergeDraft.of); the
    # whole article is not searched again, which would move a repeated passage to its first occurrence.
    return ArticleSummary.model_validate(data, context=scope.trusted())
