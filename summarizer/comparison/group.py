"""Story grouping for ``compare --group``: which articles of a mixed folder tell the same story.

Owns the clustering only (reading the files is ``run.group_paths``'s job).
Each article is its title and its body's prose sentences, as TF-IDF over
Snowball-stemmed content words, fitted on the folder itself, with four
adjustments that need no model:

* background weight: a stem common in English at large ("last", "night",
  "week") weighs less, by its Zipf frequency in ``data/background_en.tsv``
  (derived from the ``wordfreq`` package: ``scripts/build_background.py``);
  a folder of five articles cannot tell that from its own counts;
* title and lead: their words count ``LEAD_WEIGHT`` times (news puts the
  story there); names (capitalised words inside a sentence) ``NAME_WEIGHT``;
* name forms: "Iraqi" counts as "Iraq", "Zimbabwean" as "Zimbabwe" (a name
  of the folder that another of its names starts with);
* neighbours: each article's vector is expanded with its ``NEIGHBOURS``
  most similar articles' vectors, weighted by that similarity (pseudo-
  relevance feedback, Rocchio 1971), so two reports that share few words
  but many neighbours come closer.

Articles whose similarity reaches ``STORY_THRESHOLD`` are linked; stories
are the connected components with two or more articles, the rest are
singletons. Deterministic: input order in, input order out.

Where the numbers come from: the weights were set on the Lee corpus's
first 25 documents (pairs among them) and the evaluation set's tune split,
and checked on the Lee corpus's other 25 (bench/README.md, "Quality");
``STORY_THRESHOLD`` on the tune split's judgments (link precision first).
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from itertools import combinations

from summarizer.article import Article
from summarizer.comparison.model import StoryGroups
from summarizer.comparison.units import Vector, cosine, stem
from summarizer.comparison.wire import connected
from summarizer.offline.text import STOPWORDS, WORD, parse, split_sentences

STORY_THRESHOLD = 0.22
LEAD_WEIGHT = 2.0
NAME_WEIGHT = 1.5
NEIGHBOURS = 5
FEEDBACK = 1.0
"""Weight of the neighbours' vectors in an expanded one (their similarity times this)."""
COMMON_ZIPF = 4.5
"""Stems at least this common in English (Zipf) weigh less: down to ``1 - COMMON_CUT`` at
``COMMON_ZIPF + COMMON_SPAN`` and above ("the" 7.7, "night" 5.6, "bridge" 4.8, "flood" 4.3)."""
COMMON_SPAN = 2.0
COMMON_CUT = 0.5
_NAME_FORM_EXTRA = 4
"""A name and a longer form of it differ by at most this many letters ("Iraq"/"Iraqi")."""


def story_text(article: Article) -> str:
    """Title and body prose, one paragraph each: what grouping compares (bylines and captions left out)."""
    doc = parse(article.text)
    return "\n\n".join([article.title, *(s.text for s in doc.body if s.prose)])


@functools.cache
def _background() -> dict[str, float]:
    """English stem -> Zipf frequency, for the stems common enough to matter."""
    table = resources.files("summarizer").joinpath("data/background_en.tsv").read_text(encoding="utf-8")
    out: dict[str, float] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            term, zipf = line.split("\t")
            out[term] = float(zipf)
    return out


def _common_weight(term: str) -> float:
    zipf = _background().get(term, 0.0)
    return 1.0 - COMMON_CUT * min(1.0, max(0.0, (zipf - COMMON_ZIPF) / COMMON_SPAN))


_Token = tuple[str, bool, bool]
"""``(stem, is a name, in the title or lead)``."""


def _tokens(text: str) -> tuple[list[_Token], list[str]]:
    """The text's weighted tokens, and the names seen in it (lower case), for name forms."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    # Title and lead: the first two paragraphs; a text of one paragraph leads with its first sentence.
    parts = paragraphs if len(paragraphs) > 1 else split_sentences(paragraphs[0]) if paragraphs else []
    tokens: list[_Token] = []
    names: list[str] = []
    for n, part in enumerate(parts):
        lead = n < 2 if len(paragraphs) > 1 else n == 0
        title = n == 0 and len(paragraphs) > 1
        # story_text gives a sentence per paragraph: only a one-paragraph text needs splitting
        for sentence in [part]:
            for k, word in enumerate(WORD.findall(sentence)):
                low = word.lower().replace("’", "'").removesuffix("'s").strip("'")
                if low in STOPWORDS or len(low) < 2:
                    continue
                if word[0].isdigit():
                    tokens.append(("#" + low.rstrip(".,"), False, lead))
                    continue
                name = k > 0 and word[0].isupper() and not title
                if name and len(low) >= 4:
                    names.append(low)
                tokens.append((stem(low), name, lead))
    return tokens, names


def _name_forms(names: set[str]) -> dict[str, str]:
    """Stem of a longer name form -> the stem of its short form ("iraqi" -> "iraq")."""
    alias: dict[str, str] = {}
    for short in sorted(names, key=len):
        for long in names:
            if long == short or len(long) - len(short) > _NAME_FORM_EXTRA:
                continue
            if long.startswith(short) or (
                len(short) >= 6 and short.endswith("e") and long.startswith(short[:-1])
            ):
                a, b = stem(long), stem(short)
                if a != b:
                    alias.setdefault(a, alias.get(b, b))
    return alias


def _vectors(texts: Sequence[str]) -> list[Vector]:
    tokenised = [_tokens(t) for t in texts]
    alias = _name_forms({n for _, names in tokenised for n in names})
    bags: list[dict[str, float]] = []
    for tokens, _ in tokenised:
        bag: dict[str, float] = {}
        for term, name, lead in tokens:
            key = alias.get(term, term)
            bag[key] = bag.get(key, 0.0) + (NAME_WEIGHT if name else 1.0) * (LEAD_WEIGHT if lead else 1.0)
        bags.append(bag)
    n = len(texts)
    df = Counter(t for bag in bags for t in bag)
    vectors = []
    for bag in bags:
        vec = {
            t: c * (1.0 + math.log((n + 1) / (df[t] + 1))) * _common_weight(t) for t, c in sorted(bag.items())
        }
        vectors.append(_normal(vec))
    return vectors


def _normal(vec: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def _expanded(vectors: list[Vector], first: dict[tuple[int, int], float]) -> list[Vector]:
    """Each vector plus its nearest neighbours' (weighted by similarity), normalised."""
    out = []
    for i, vec in enumerate(vectors):
        near = sorted(
            ((first[min(i, j), max(i, j)], j) for j in range(len(vectors)) if j != i),
            key=lambda s: (-s[0], s[1]),
        )[:NEIGHBOURS]
        grown = dict(vec)
        for sim, j in near:
            if sim <= 0:
                continue
            for term, value in vectors[j].items():
                grown[term] = grown.get(term, 0.0) + FEEDBACK * sim * value
        out.append(_normal(grown))
    return out


Pairs = dict[tuple[int, int], float]


def scores(texts: Sequence[str]) -> tuple[Pairs, Pairs]:
    """``(direct, expanded)`` similarity of every pair ``(i, j)``, ``i < j``: the cosine of the two
    articles' own vectors, and of their neighbour-expanded ones."""
    vectors = _vectors(texts)
    direct = _direct(vectors)
    grown = _expanded(vectors, direct)
    return direct, {(i, j): min(1.0, cosine(grown[i], grown[j])) for i, j in direct}


def _direct(vectors: list[Vector]) -> Pairs:
    return {(i, j): cosine(vectors[i], vectors[j]) for i, j in combinations(range(len(vectors)), 2)}


def similarities(texts: Sequence[str]) -> Pairs:
    """How alike two articles' stories are, in [0, 1] (the neighbour-expanded score): what a
    person's "how similar are these?" follows best."""
    return scores(texts)[1]


def links(texts: Sequence[str], threshold: float = STORY_THRESHOLD) -> list[tuple[int, int]]:
    """Pairs told as one story: the *direct* similarity reaches ``threshold``. The expanded score
    brings related stories close (a museum piece and a fire in the same port share neighbours),
    so it ranks but does not link."""
    return [pair for pair, sim in _direct(_vectors(texts)).items() if sim >= threshold]


def clusters(texts: Sequence[str], threshold: float = STORY_THRESHOLD) -> list[list[int]]:
    """Indices per story, singletons included, each list and the list of lists in input order."""
    return connected(len(texts), links(texts, threshold))


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
