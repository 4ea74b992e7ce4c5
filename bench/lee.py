"""The Lee news-similarity corpus (50 short news texts, averaged human similarity judgments) as a
second check of the story grouping: read at run time from a path the user gives, never stored here.

The corpus ships inside gensim's wheel as test data (``gensim/test/test_data/lee.cor``, one
document per line, and ``similarities0-1.txt``, a 50x50 upper-triangular matrix of mean human
ratings on a 0-1 scale). It is other people's material: ``bench/README.md`` says how to download
the wheel; this module reads the two members from the wheel (or from a folder holding them) and
runs the product's grouping on the documents as ``summarizer compare DIR --group`` would.
"""

from __future__ import annotations

import statistics
import tempfile
import zipfile
from itertools import combinations
from pathlib import Path
from typing import Any

from qmatch import Counts

from summarizer.comparison.group import STORY_THRESHOLD, links, similarities, story_text
from summarizer.comparison.run import load_articles

_DOCS = "lee.cor"
_HUMAN = "similarities0-1.txt"


def read_lee(path: Path) -> tuple[list[str], list[list[float]]]:
    """The documents and the human matrix, from a gensim wheel (any zip) or a folder."""
    if path.is_file():
        with zipfile.ZipFile(path) as wheel:
            names = {Path(n).name: n for n in wheel.namelist()}
            if _DOCS not in names or _HUMAN not in names:
                raise FileNotFoundError(f"{path} holds no {_DOCS} and {_HUMAN}")
            docs = wheel.read(names[_DOCS]).decode("utf-8", errors="replace")
            human = wheel.read(names[_HUMAN]).decode("ascii")
    else:
        found = {p.name: p for p in path.rglob("*") if p.name in (_DOCS, _HUMAN)}
        if len(found) < 2:
            raise FileNotFoundError(f"no {_DOCS} and {_HUMAN} under {path}")
        docs = found[_DOCS].read_text(encoding="utf-8", errors="replace")
        human = found[_HUMAN].read_text(encoding="ascii")
    texts = [line.strip() for line in docs.splitlines() if line.strip()]
    matrix = [[float(x) for x in line.split()] for line in human.splitlines() if line.strip()]
    if len(matrix) != len(texts) or any(len(row) != len(texts) for row in matrix):
        raise ValueError(f"{len(texts)} documents but a {len(matrix)}-row similarity matrix")
    return texts, matrix


def evaluate_lee(path: Path, link_at: float = 0.9) -> dict[str, Any]:
    """Pearson r of the product's story similarity with the mean human rating over every pair (and over
    the pairs within each half of the corpus), and link P/R of the product's links against pairs
    humans rate at least ``link_at``."""
    texts, human = read_lee(path)
    with tempfile.TemporaryDirectory(prefix="lee-") as tmp:
        for i, text in enumerate(texts):
            (Path(tmp) / f"{i:02d}.txt").write_text(text + "\n", encoding="utf-8")
        articles = load_articles([tmp])
    if len(articles) != len(texts):
        raise RuntimeError(f"ingest gave {len(articles)} articles for {len(texts)} documents")
    stories = [story_text(a) for a in articles]
    sims = similarities(stories)
    linked = set(links(stories))
    xs, ys, link = [], [], Counts()
    halves: dict[str, tuple[list[float], list[float]]] = {"first": ([], []), "second": ([], [])}
    for i, j in combinations(range(len(texts)), 2):
        xs.append(sims[i, j])
        ys.append(human[i][j])
        half = "first" if j < len(texts) // 2 else "second" if i >= len(texts) // 2 else None
        if half:
            halves[half][0].append(sims[i, j])
            halves[half][1].append(human[i][j])
        got, should = (i, j) in linked, human[i][j] >= link_at
        link.tp += got and should
        link.fp += got and not should
        link.fn += should and not got
    return {
        "documents": len(texts),
        "pairs": len(xs),
        "pearson": statistics.correlation(xs, ys),
        # grouping's weights were set looking at pairs among the first 25 documents; the pairs among
        # the last 25 were only measured (compare.group's docstring)
        "pearson_first_half": statistics.correlation(*halves["first"]),
        "pearson_second_half": statistics.correlation(*halves["second"]),
        "threshold": STORY_THRESHOLD,
        "human_link_at": link_at,
        "link": link.as_dict(),
    }
