"""What a batch run will touch: the files, the articles in them, where outputs go.

Pure planning, no model: walking the folder in a stable order, ingesting each
file into items (a multi-article file gives several), and naming output files
so that two inputs can never write the same output (the relative path, suffix
included, is kept: ``a/x.txt`` → ``a/x.txt.json``, ``b/x.txt`` → ``b/x.txt.json``,
``x.md`` → ``x.md.json``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from summarizer import ingest
from summarizer.article import Article
from summarizer.errors import InputError

OUTPUT_SUFFIX = {"json": ".json", "markdown": ".md"}
DEFAULT_PATTERN = "**/*"
PROJECT_FILES = re.compile(
    r"(readme|licen[cs]e|copying|notice|changelog|changes|history|authors|contributing|contributors"
    r"|code_of_conduct|security|todo)([._-].*)?",
    re.IGNORECASE,
)
"""A folder's own documentation, not an article: skipped (with that reason) under the default glob."""


@dataclass(frozen=True)
class Readable:
    """An article to summarize: the ``index``-th of the ``count`` articles in the file at ``rel``."""

    path: Path
    rel: str
    index: int
    count: int
    article: Article

    @property
    def label(self) -> str:
        return self.rel if self.count == 1 else f"{self.rel}#{self.index + 1}"


@dataclass(frozen=True)
class Unreadable:
    """A file that could not be read as articles, and why."""

    path: Path
    rel: str
    error: InputError
    index: int = 0
    count: int = 1

    @property
    def label(self) -> str:
        return self.rel


Item = Readable | Unreadable
"""One unit of batch work."""


def discover(
    root: Path, pattern: str, *, exclude: tuple[Path, ...] = (), confine: tuple[Path, ...] = ()
) -> list[Path]:
    """Files under ``root`` matching ``pattern``, sorted; hidden files and ``exclude`` paths skipped,
    and, when ``confine`` is given, every file whose real path is outside those folders (a symlink
    out of a server's allowed folder is not followed).

    Exclusions (the output folder and the store's files, when they sit inside
    the input folder) are resolved once and compared by path parts relative
    to the root, not by resolving every file: a folder of thousands of files
    is listed in milliseconds. Symlinks are resolved, each folder once: a link
    to an output, or to a folder of outputs, is not read as an input.
    """
    base = root.resolve()
    skip = [p.resolve() for p in exclude]
    allowed = [p.resolve() for p in confine]
    inside = [s.relative_to(base).parts for s in skip if s == base or base in s.parents]
    folders: dict[Path, bool] = {}
    """Folder -> whether it really is (or is under) an excluded place, through any symlink."""
    found: list[tuple[str, Path]] = []
    for path in root.glob(pattern):
        rel = path.relative_to(root).parts
        if any(part.startswith(".") for part in rel) or any(rel[: len(x)] == x for x in inside):
            continue
        folder = path.parent
        if folder not in folders:
            folders[folder] = _within(folder.resolve(), skip)
        if folders[folder] or (path.is_symlink() and _within(path.resolve(), skip)):
            continue
        if path.is_file() and (not allowed or _within(path.resolve(), allowed)):
            found.append(("/".join(rel), path))
    found.sort(key=lambda pair: pair[0])
    return [path for _, path in found]


def _within(path: Path, places: list[Path]) -> bool:
    return any(path == place or place in path.parents for place in places)


def store_files(db: Path) -> tuple[Path, ...]:
    """The store and the files SQLite keeps beside it, which are never inputs."""
    return (db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal")))


def items_of(path: Path, root: Path, *, max_bytes: int, skip_project_files: bool = False) -> list[Item]:
    """The file's articles; ``skip_project_files``: a README, LICENSE … is one skipped item."""
    rel = path.relative_to(root).as_posix()
    if skip_project_files and PROJECT_FILES.fullmatch(path.name):
        reason = f"not an article: {path.name} looks like the folder's own documentation (--glob reads it)"
        return [Unreadable(path=path, rel=rel, error=InputError(reason, source=rel))]
    try:
        articles = ingest.load(str(path), max_bytes=max_bytes)
    except InputError as exc:
        exc.source = rel
        return [Unreadable(path=path, rel=rel, error=exc)]
    n = len(articles)
    return [Readable(path=path, rel=rel, index=a.index, count=n, article=a) for a in articles]


def output_name(item: Item, fmt: str) -> str:
    """Where ``item``'s output goes, relative to the output folder (``a/x.txt`` -> ``a/x.txt.json``)."""
    part = "" if item.count == 1 else f".part{item.index + 1}"
    return f"{item.rel}{part}{OUTPUT_SUFFIX[fmt]}"
