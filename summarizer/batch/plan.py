"""What a batch run will touch: the files, the articles in them, where outputs go.

Pure planning, no model: walking the folder in a stable order, ingesting each
file into items (a multi-article file gives several), and naming output files
so that two inputs can never write the same output (the relative path, suffix
included, is kept: ``a/x.txt`` → ``a/x.txt.json``, ``b/x.txt`` → ``b/x.txt.json``,
``x.md`` → ``x.md.json``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from summarizer import ingest
from summarizer.article import Article
from summarizer.errors import InputError

OUTPUT_SUFFIX = {"json": ".json", "markdown": ".md"}


@dataclass(frozen=True)
class Item:
    """One unit of batch work: an article, or a file that could not be read."""

    path: Path
    rel: str
    index: int
    count: int
    article: Article | None = None
    error: InputError | None = None

    @property
    def label(self) -> str:
        return self.rel if self.count == 1 else f"{self.rel}#{self.index + 1}"


def discover(root: Path, pattern: str, *, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """Files under ``root`` matching ``pattern``, sorted; hidden files and ``exclude`` dirs skipped.

    Exclusions (the output folder and the store, when they sit inside the input
    folder) are resolved once and compared by path parts relative to the root,
    not by resolving every file: a folder of thousands of files is listed in
    milliseconds. A symlink inside the root that points into an excluded
    folder is not followed back to it.
    """
    base = root.resolve()
    inside = [
        s.relative_to(base).parts for s in (p.resolve() for p in exclude) if s == base or base in s.parents
    ]
    found: list[tuple[str, Path]] = []
    for path in root.glob(pattern):
        rel = path.relative_to(root).parts
        if any(part.startswith(".") for part in rel) or any(rel[: len(x)] == x for x in inside):
            continue
        if path.is_file():
            found.append(("/".join(rel), path))
    found.sort(key=lambda pair: pair[0])
    return [path for _, path in found]


def items_of(path: Path, root: Path, *, max_bytes: int) -> list[Item]:
    rel = path.relative_to(root).as_posix()
    try:
        articles = ingest.load(str(path), max_bytes=max_bytes)
    except InputError as exc:
        exc.source = rel
        return [Item(path=path, rel=rel, index=0, count=1, error=exc)]
    n = len(articles)
    return [Item(path=path, rel=rel, index=a.index, count=n, article=a) for a in articles]


def iter_items(paths: list[Path], root: Path, *, max_bytes: int) -> Iterator[Item]:
    for path in paths:
        yield from items_of(path, root, max_bytes=max_bytes)


def output_name(item: Item, fmt: str) -> str:
    """Where ``item``'s output goes, relative to the output folder (``a/x.txt`` -> ``a/x.txt.json``)."""
    part = "" if item.count == 1 else f".part{item.index + 1}"
    return f"{item.rel}{part}{OUTPUT_SUFFIX[fmt]}"
