"""Sentence ranking: TextRank over TF-IDF cosine similarity, biased to the lead.

Owns the order of importance of an article's sentences and nothing else.
Pure Python on purpose: a news article has tens of sentences, so the n² graph
is a few thousand dictionary look-ups, far below the cost of importing numpy
or a summariser library (sumy needs NLTK data that cannot be downloaded here).
A text of more than ``FULL_GRAPH_SENTENCES`` sentences gets a banded graph
instead, linear in its length.

The random-walk restart vector is not uniform: it favours early sentences
(news puts the most important facts first) and sentences that share words
with the headline. Ties break on document order, so the result is
deterministic.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from summarizer.offline.text import content_words

DAMPING = 0.85
FULL_GRAPH_SENTENCES = 200
"""Up to this many sentences (every news article) the graph links every pair; beyond it (a report,
a transcript, a 50,000-word text) each sentence links to the ``WINDOW`` sentences on either side."""
WINDOW = 60
_ITERATIONS = 60
_TOLERANCE = 1e-8


def _tfidf(docs: Sequence[list[str]]) -> list[dict[str, float]]:
    df: Counter[str] = Counter()
    for words in docs:
        df.update(set(words))
    n = len(docs)
    vectors: list[dict[str, float]] = []
    for words in docs:
        tf = Counter(words)
        vec = {w: (1 + math.log(c)) * math.log(1 + n / df[w]) for w, c in sorted(tf.items())}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({w: v / norm for w, v in vec.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[w] for w, v in a.items() if w in b)


def rank(sentences: Sequence[str], title: str = "") -> list[int]:
    """Indices of ``sentences``, most important first."""
    n = len(sentences)
    if n == 0:
        return []
    docs = [content_words(s) for s in sentences]
    vectors = _tfidf([*docs, content_words(title)])
    title_vec = vectors.pop()
    # A news article's graph is complete; a very long text's links each sentence to its neighbours
    # only, so the work grows with its length, not with its square (see FULL_GRAPH_SENTENCES).
    reach = n if n <= FULL_GRAPH_SENTENCES else WINDOW
    links: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, min(n, i + reach + 1)):
            weight = _cosine(vectors[i], vectors[j])
            if weight:
                links[i].append((j, weight))
                links[j].append((i, weight))
    for row in links:
        row.sort()
    out_sum = [sum(w for _, w in row) for row in links]

    prior = [1.0 / math.sqrt(1 + i) + _cosine(vectors[i], title_vec) for i in range(n)]
    total = sum(prior)
    prior = [p / total for p in prior]

    incoming = [[(j, w / out_sum[j]) for j, w in row] for row in links]
    scores = prior[:]
    for _ in range(_ITERATIONS):
        new = [
            (1 - DAMPING) * prior[i] + DAMPING * sum(w * scores[j] for j, w in incoming[i]) for i in range(n)
        ]
        # Sentences linked to nothing leak their mass; spread it by the prior.
        leak = 1.0 - sum(new)
        new = [s + leak * p for s, p in zip(new, prior, strict=True)]
        delta = max(abs(a - b) for a, b in zip(new, scores, strict=True))
        scores = new
        if delta < _TOLERANCE:
            break
    return sorted(range(n), key=lambda i: (-round(scores[i], 12), i))
