"""The Lee news-similarity corpus (50 short news texts, averaged human similarity judgments) as a
second check of the story grouping: read at run time from a path the user gives, never stored here.

The corpus ships inside gensim's wheel as test data (``gensim/test/test_data/lee.cor``, one
document per line, and ``similarities0-1.txt``, a 50x50 upper-triangular matrix of mean human
ratings on a 0-1 scale). It is other people's material: ``bench/README.md`` says how to download
the wheel; this module reads the two members from the wheel (or from a folder holding them) and
runs the product's grouping on the documents as ``summarizer compare DIR --group`` would.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
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


SUBSETS = ("within_1_25", "within_26_50", "cross", "held_out", "all")
"""The pairs a figure is computed over: among documents 1-25 (the development pairs: weights, rules
and thresholds may be chosen looking at them), among 26-50 and across the halves (held out: only
reported), both of those together (every pair with a document of 26-50), and all 1,225."""


def subset(i: int, j: int, n: int) -> str:
    """Which subset pair ``(i, j)``, ``i < j`` (0-based), belongs to besides ``all``."""
    half = n // 2
    return "within_1_25" if j < half else "within_26_50" if i >= half else "cross"


def evaluate_lee(path: Path, link_at: float = 0.9, dev_only: bool = False) -> dict[str, Any]:
    """Pearson r of the product's story similarity with the mean human rating per subset of pairs
    (``SUBSETS``), and link P/R of the product's links against pairs humans rate at least ``link_at``.

    ``dev_only``: read the human ratings of the development pairs only (for tuning runs)."""
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
    wanted = ("within_1_25",) if dev_only else SUBSETS
    pairs: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in wanted}
    link = {name: Counts() for name in wanted}
    for i, j in combinations(range(len(texts)), 2):
        part = subset(i, j, len(texts))
        for name in (part, "all") if part == "within_1_25" else (part, "held_out", "all"):
            if name not in pairs:
                continue
            pairs[name][0].append(sims[i, j])
            pairs[name][1].append(human[i][j])
            got, should = (i, j) in linked, human[i][j] >= link_at
            link[name].tp += got and should
            link[name].fp += got and not should
            link[name].fn += should and not got
    return {
        "documents": len(texts),
        "pairs": {name: len(xs) for name, (xs, _) in pairs.items()},
        "pearson": {name: statistics.correlation(xs, ys) for name, (xs, ys) in pairs.items()},
        "threshold": STORY_THRESHOLD,
        "human_link_at": link_at,
        "link": {name: c.as_dict() for name, c in link.items()},
    }


def render(lee: dict[str, Any]) -> str:
    """The figures as lines: development pairs first, then the held-out ones."""
    label = {
        "within_1_25": "within documents 1-25 (development)",
        "within_26_50": "within documents 26-50 (held out)",
        "cross": "1-25 x 26-50 (held out)",
        "held_out": "every pair with one of 26-50 (held out)",
        "all": "all pairs",
    }
    lines = [f"== Lee corpus: {lee['documents']} documents"]
    lines.append(
        f"  Pearson r vs human mean, links (direct >= {lee['threshold']}) vs human >= {lee['human_link_at']}"
    )
    for name, r in lee["pearson"].items():
        c = lee["link"][name]
        lines.append(
            f"  {label[name]:<40} {lee['pairs'][name]:>5} pairs  r {r:.3f}  "
            f"links P {_f(c['precision'])} R {_f(c['recall'])} (tp {c['tp']}, fp {c['fp']}, fn {c['fn']})"
        )
    return "\n".join(lines)


def _f(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Story grouping against the Lee corpus's human ratings.")
    parser.add_argument(
        "path", type=Path, help="gensim wheel (or folder) holding lee.cor and similarities0-1.txt"
    )
    parser.add_argument("--link-at", type=float, default=0.9, help="human rating that means 'same story'")
    parser.add_argument("--dev", action="store_true", help="development pairs only (documents 1-25)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    lee = evaluate_lee(args.path, args.link_at, dev_only=args.dev)
    print(json.dumps(lee, indent=2) if args.json else render(lee))
    return 0


if __name__ == "__main__":
    sys.exit(main())
