"""Reading the held-apart evaluation set (``bench/evalset/``): splits, expectations, reference texts.

Owns the layout: ``evalset/{tune,report}/expected.json`` (per-article ingest
expectations and per-story comparison expectations), ``judgments.json``
(graded story-similarity judgments), a folder per story and ``singles/``.
Also a *reference text* for every file, read independently of the product
(the encoding the expectations declare, HTML tags stripped with the standard
library's parser), so expectations can be checked against the file itself
even where today's ingest rejects or mis-decodes it. No product logic here.
"""

from __future__ import annotations

import html
import html.parser
import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

EVALSET = Path(__file__).resolve().parent / "evalset"
SPLITS = ("tune", "report")
_SKIP_TAGS = frozenset({"script", "style", "head"})
_BLOCK_TAGS = "p div h1 h2 h3 h4 h5 h6 li figcaption section article aside nav footer header"


@dataclass(frozen=True)
class Split:
    name: str
    root: Path
    expected: dict[str, Any]
    judgments: dict[str, Any]

    @property
    def articles(self) -> dict[str, dict[str, Any]]:
        """Expectations per article, keyed by the path relative to the split folder."""
        return self.expected["articles"]  # type: ignore[no-any-return]

    @property
    def stories(self) -> dict[str, dict[str, Any]]:
        return self.expected["stories"]  # type: ignore[no-any-return]

    def path(self, rel: str) -> Path:
        return self.root / rel

    def story_files(self, story: str) -> list[str]:
        """The story's article paths (relative to the split), in the order a folder gives them."""
        return sorted(rel for rel in self.articles if rel.split("/", 1)[0] == story)

    def unit(self, rel: str) -> str:
        """The grouping unit of an article: its story, or the single's own path."""
        folder = rel.split("/", 1)[0]
        return rel if folder == "singles" else folder


def load_split(name: str, root: Path = EVALSET) -> Split:
    folder = root / name
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    judgments = json.loads((folder / "judgments.json").read_text(encoding="utf-8"))
    return Split(name, folder, expected, judgments)


def judged_pairs(split: Split) -> Iterator[tuple[str, str, float]]:
    """``(a, b, score)`` for every pair of judged articles (rejected inputs are not judged)."""
    within: dict[frozenset[str], float] = {}
    for story, pairs in split.judgments["within"].items():
        for a, b, score in pairs:
            within[frozenset({f"{story}/{a}", f"{story}/{b}"})] = float(score)
    across = {frozenset({a, b}): float(score) for a, b, score, *_ in split.judgments["across"]}
    judged = sorted(rel for rel, exp in split.articles.items() if exp["accept"])
    for a, b in combinations(judged, 2):
        ua, ub = split.unit(a), split.unit(b)
        key = frozenset({a, b}) if ua == ub else frozenset({ua, ub})
        table = within if ua == ub else across
        if key not in table:
            raise KeyError(f"{split.name}: no judgment for {a} / {b}")
        yield a, b, table[key]


class _TextOf(html.parser.HTMLParser):
    """Visible text of an HTML page, one line per block element."""

    _BLOCKS = frozenset(_BLOCK_TAGS.split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in self._BLOCKS or tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def reference_text(path: Path, encoding: str | None = None) -> str:
    """The file's text as a reader sees it: decoded with ``encoding`` (UTF-8 by default), HTML
    reduced to its visible text, JSON to its string values; whitespace runs made single."""
    raw = path.read_bytes().decode(encoding or "utf-8")
    if path.suffix == ".html":
        parser = _TextOf()
        parser.feed(raw)
        raw = "".join(parser.parts)
    elif path.suffix == ".json":
        raw = "\n".join(_strings(json.loads(raw)))
    return "\n".join(" ".join(html.unescape(line).split()) for line in raw.splitlines())


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def quotes_of_story(story: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(file, quote)`` for every quote a story's expectations cite."""
    for answer in story["answers"]:
        for f in answer["raised_by"]:
            yield f, answer["raised_quote"]
        yield from zip(as_list(answer["answered_by"]), as_list(answer["answer_quote"]), strict=True)
    for item in story["must_stay_open"]:
        for f in item["raised_by"]:
            yield f, item["raised_quote"]
    for f, quotes in story["unique_facts"].items():
        for q in quotes:
            yield f, q


def as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)
