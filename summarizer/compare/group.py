"""Story grouping for ``compare --group``: which articles of a mixed folder tell the same story.

Owns the clustering only (reading the files is ``run.group_paths``'s job).
Each article is its title plus its body's prose sentences, as TF-IDF over
stemmed content words (``units.TermSpace`` with the smoothed IDF, fitted on
the folder itself, so words every article uses weigh little). Articles whose
cosine similarity reaches ``STORY_THRESHOLD`` are linked; stories are the
connected components with two or more articles, the rest are singletons.
Deterministic: input order in, input order out.

Why 0.22: over the test corpus's ten articles (a port strike told four
ways, an algae bloom three ways, three unrelated local items), every story
is connected by links of 0.29 or more (weakest needed: the agency's press
release to the broadcaster, 0.293), while the closest unrelated pair is
0.156 (two items from one town's page, sharing "Orvik", "city", "open").
0.22 sits between the two with a margin of about a third either way. Two
articles of one story that share little vocabulary (the release and the
scrape alone: 0.184) stay apart; a wrong merge would compare unrelated
articles, a missed one only lists them as singletons.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from summarizer.article import Article
from summarizer.compare.model import StoryGroups
from summarizer.compare.units import TermSpace, cosine
from summarizer.compare.wire import connected
from summarizer.offline.text import parse

STORY_THRESHOLD = 0.22


def story_text(article: Article) -> str:
    """Title and body prose: what grouping compares (bylines and captions left out)."""
    doc = parse(article.text)
    return " ".join([article.title, *(s.text for s in doc.body if s.prose)])


def similarities(texts: Sequence[str]) -> dict[tuple[int, int], float]:
    """Cosine similarity of every pair ``(i, j)``, ``i < j``."""
    space = TermSpace(texts, smooth=True)
    vectors = [space.vector(t) for t in texts]
    return {(i, j): cosine(vectors[i], vectors[j]) for i, j in combinations(range(len(texts)), 2)}


def clusters(texts: Sequence[str], threshold: float = STORY_THRESHOLD) -> list[list[int]]:
    """Indices per story, singletons included, each list and the list of lists in input order."""
    edges = [pair for pair, sim in similarities(texts).items() if sim >= threshold]
    return connected(len(texts), edges)


def article_label(article: Article, articles: Sequence[Article]) -> str:
    """``path``, or ``path#n`` (1-based) for every article of a file that holds several.

    ``run.compare_paths`` reads ``path#n`` back as that one article.
    """
    several = sum(a.source == article.source for a in articles) > 1
    return f"{article.source}#{article.index + 1}" if several else article.source


def group_articles(articles: Sequence[Article], threshold: float = STORY_THRESHOLD) -> StoryGroups:
    """Stories of two or more articles, and the articles that have no other on their story."""
    labels = [article_label(a, articles) for a in articles]
    found = clusters([story_text(a) for a in articles], threshold)
    return StoryGroups(
        groups=[[labels[i] for i in c] for c in found if len(c) > 1],
        singletons=[labels[c[0]] for c in found if len(c) == 1],
    )
