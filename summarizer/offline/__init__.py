"""The offline engine: a grounded summary built from the article alone.

No model, no network, no downloaded data. Every field comes from rules over
the article text (``text`` splits it, ``guard`` keeps planted instructions
out, ``rank`` orders sentences, ``entities``, ``statements``, ``dates`` and
``questions`` mine the rest), and every evidence quote is a sentence copied
from the article, so the result passes the same grounding validation as the
model's. Deterministic: the same article always gives the same summary.

Public API: ``summarize_offline(article) -> ArticleSummary``; ``limits(article)``: what the
rules cannot do for it, said in the result instead of an empty list that looks like a finding.
"""

from __future__ import annotations

import math
import re
from typing import Any

from summarizer import language, scope
from summarizer.article import Article
from summarizer.errors import InputError
from summarizer.grounding import Source
from summarizer.offline.compress import compress
from summarizer.offline.dates import find_dates
from summarizer.offline.entities import find_entities
from summarizer.offline.questions import find_questions
from summarizer.offline.questions_intl import RULES as _INTL_RULES
from summarizer.offline.rank import rank
from summarizer.offline.statements import find_statements
from summarizer.offline.text import Document, Sentence, content_words, is_prose, parse, quoting, squash
from summarizer.schema import ArticleSummary

ENGINE_VERSION = "6"
"""Bump when the engine's output changes: it is part of the batch cache key."""

__all__ = ["limits", "summarize_offline"]

INTL_QUESTIONS = frozenset(_INTL_RULES)
"""Languages besides English with their own open-question rules."""

MAX_KEY_POINTS = 6
POINT_SHARE = 0.45
"""Key points per usable sentence: a summary selects (issue 12: wire stories of 8 sentences had 6)."""
_SAME_POINT = 0.6
"""Share of the shorter sentence's content words two sentences share when one restates the other."""
MAX_HEADLINE_WORDS = 15


def _evidence(sentence: Sentence) -> list[dict[str, Any]]:
    return [{"quote": sentence.text}]


def _rankable(doc: Document) -> list[Sentence]:
    """Sentences that may stand for the story: prose, not orders, each text once.

    A bare quotation that continues the sentence before it ("Every crane …")
    says nothing on its own about who said it, so it is left out when there is
    enough else to choose from.
    """
    seen: set[str] = set()
    usable: list[Sentence] = []
    for s in doc.body:
        key = squash(s.text)
        # "PRESENTER: Good morning." is prose by its punctuation, and says nothing.
        if s.prose and not s.imperative and key not in seen and is_prose(compress(s.text)):
            seen.add(key)
            usable.append(s)
    standalone = [s for s in usable if not s.all_quoted]
    return standalone if len(standalone) >= 2 else usable


def _headline(doc: Document, article: Article, fallback: str) -> str:
    title = squash(re.sub(r"^[#*\s]+|[*\s]+$", "", article.title or doc.title))
    if not title or any(s.is_title and s.tainted for s in doc.sentences):
        title = fallback
    words = title.split()
    if len(words) <= MAX_HEADLINE_WORDS:
        return title
    for sep in (" — ", " – ", ": ", "; ", ", "):
        head = title.split(sep)[0]
        if 3 <= len(head.split()) <= MAX_HEADLINE_WORDS:
            return head
    return " ".join(words[:MAX_HEADLINE_WORDS]).rstrip(",;:") + "…"


def _point(sentence: Sentence) -> str:
    """The sentence as a point: compressed (attribution and asides cut; the quote keeps them)."""
    return compress(sentence.text)


def _points(candidates: list[Sentence], order: list[int], n: int) -> list[int]:
    """``n`` sentences in rank order, the lead always first, none restating one already chosen
    (a paraphrase two paragraphs down is not a second point)."""
    chosen = [0]
    words = [set(content_words(s.text)) for s in candidates]
    for i in order:
        if len(chosen) >= n:
            break
        if i in chosen:
            continue
        if any(_overlap(words[i], words[j]) >= _SAME_POINT for j in chosen):
            continue
        chosen.append(i)
    return sorted(chosen)


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def summarize_offline(article: Article) -> ArticleSummary:
    """Summarise one article without a model; the result is grounded in ``article.text``."""
    code = article.language or language.detect(article.text)
    doc = quoting(parse(article.text), code)
    candidates = _rankable(doc)
    if not candidates:
        # A title-only article: the title is the only thing to stand on.
        candidates = [s for s in doc.sentences if not s.tainted and not s.imperative and s.quotable]
    if not candidates:
        raise InputError("nothing in the article can be summarised", source=article.label)

    order = rank([s.text for s in candidates], doc.title)
    n = len(candidates)
    # Select, do not transcribe: under half the sentences (8 sentences give 4 points), at least
    # three where there are three, at most MAX_KEY_POINTS.
    n_points = max(min(n, 3), min(MAX_KEY_POINTS, math.ceil(POINT_SHARE * n)))
    n_summary = 1 if n == 1 else 2 if n <= 4 else 3 if n <= 10 else 4
    # The lead is always a key point and opens the summary: news puts the main fact first.
    top_points = _points(candidates, order, n_points)
    top_summary = _points(candidates, order, n_summary)
    lead = candidates[0]

    entities = find_entities(doc, lang=code)
    statements = find_statements(doc, entities, lang=code)
    data: dict[str, Any] = {
        "headline": _headline(doc, article, _point(lead)),
        "gist": _point(lead),
        "summary": " ".join(_point(candidates[i]) for i in top_summary),
        "key_points": [
            {"point": _point(candidates[i]), "evidence": _evidence(candidates[i])} for i in top_points
        ],
        "entities": [{"name": e.name, "kind": e.kind, "role": e.role} for e in entities],
        "statements": [
            {
                "speaker": st.speaker,
                "claim": st.claim,
                "direct": st.direct,
                "evidence": _evidence(st.sentence),
            }
            for st in statements
        ],
        "dates": [
            {"when": d.when, "event": d.event, "evidence": _evidence(d.sentence)}
            for d in find_dates(doc, lang=code)
        ],
        "open_questions": [
            {"question": q.question, "kind": q.kind, "why_open": q.why, "evidence": _evidence(q.sentence)}
            for q in find_questions(doc, lang=code)
        ],
    }
    return ArticleSummary.model_validate(data, context=scope.context(Source(article.text)))


def limits(article: Article) -> list[str]:
    """What the offline rules cannot do for ``article``: the rules for who said what, names (entities),
    open questions and dates are written for English, and for German, French and Spanish from their
    commonest wordings, so in an article in another language they miss what it says (key points and
    the gist do not depend on the language)."""
    code = article.language or language.detect(article.text)
    if code is None or code == "en":
        return []
    name = language.name(code)
    if code in INTL_QUESTIONS:
        return [
            f"the article reads as {name} ({code}); the offline engine reads who said what, names, "
            f"dates and open questions in {name} from common {name} wordings only, and may miss others "
            "(an LLM engine reads other languages)"
        ]
    return [
        f"the article reads as {name} ({code}); the offline engine's rules for open "
        "questions, who said what and dates are written for English and miss what it says in "
        f"{name} (an LLM engine reads other languages)"
    ]
