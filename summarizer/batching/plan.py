"""What a batch run will touch: the files, the articles in them, where outputs go.

Pure planning, no model: walking the folder in a stable order, ingesting each
file into items (a multi-article file gives several), and naming output files
so that two inputs can never write the same output (the relative path, suffix
included, is kept: ``a/x.txt`` → ``a/x.txt.json``, ``b/x.txt`` → ``b/x.txt.json``,
``x.md`` → ``x.md.json``).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from summarizer import __version__, ingest
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
    raw_hash: str | None = None
    """SHA-256 of the file's bytes, when a memo is kept (``items_of(memo=…)``)."""
    siblings: tuple[Article, ...] = ()
    """Every article of the file, in order (what the memo keeps for it)."""
    remembered: bool = False
    """The articles came from the memo: it already holds this file, and the store its articles."""

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


class IngestMemo(Protocol):
    """What earlier runs made of a file's bytes (``Store.ingested``)."""

    def ingested(self, raw_hash: str, version: str) -> list[tuple[str, str, dict[str, str]]] | None: ...


_INGEST_MODULES = ("ingest", "clean", "textrules", "mdtext", "article", "grounding")
_INGEST_LIBRARIES = ("charset-normalizer", "trafilatura", "lxml", "justext", "markdown-it-py")


@functools.cache
def ingest_version() -> str:
    """What decides how bytes become articles: the ingest modules' source and the libraries' versions.
    Any edit to those modules or upgrade of those libraries gives a new version (the memo misses)."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(ingest.__file__).parent
    for name in _INGEST_MODULES:
        digest.update((package / f"{name}.py").read_bytes())
    for library in _INGEST_LIBRARIES:
        try:
            digest.update(f"{library}=={importlib.metadata.version(library)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{library} missing".encode())
    return digest.hexdigest()[:16]


def items_of(
    path: Path,
    root: Path,
    *,
    max_bytes: int,
    skip_project_files: bool = False,
    memo: IngestMemo | None = None,
) -> list[Item]:
    """The file's articles; ``skip_project_files``: a README, LICENSE … is one skipped item.

    With ``memo``, bytes an earlier run ingested under the same ``ingest_version`` are not decoded,
    cleaned and split again: their articles come from the memo (the same ``Article`` values)."""
    rel = path.relative_to(root).as_posix()
    if skip_project_files and PROJECT_FILES.fullmatch(path.name):
        reason = f"not an article: {path.name} looks like the folder's own documentation (--glob reads it)"
        return [Unreadable(path=path, rel=rel, error=InputError(reason, source=rel))]
    data = _small_file(path, max_bytes) if memo is not None else None
    raw_hash = hashlib.sha256(data).hexdigest() if data is not None else None
    known = memo.ingested(raw_hash, ingest_version()) if memo is not None and raw_hash else None
    try:
        if known is not None:
            articles = [
                Article(str(path), i, title, text, **meta) for i, (title, text, meta) in enumerate(known)
            ]
        elif data is not None:
            kind = ingest.SUFFIX_KINDS.get(path.suffix.lower())
            articles = ingest.from_bytes(data, source=str(path), kind=kind, max_bytes=max_bytes)
        else:
            articles = ingest.load(str(path), max_bytes=max_bytes)
    except InputError as exc:
        exc.source = rel
        return [Unreadable(path=path, rel=rel, error=exc)]
    n = len(articles)
    siblings = tuple(articles) if raw_hash else ()
    return [
        Readable(
            path=path,
            rel=rel,
            index=a.index,
            count=n,
            article=a,
            raw_hash=raw_hash,
            siblings=siblings,
            remembered=known is not None,
        )
        for a in articles
    ]


def _small_file(path: Path, max_bytes: int) -> bytes | None:
    """The file's bytes, or None when ``ingest.load`` should read it (and report what is wrong)."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return data if len(data) <= max_bytes else None


def output_name(item: Item, fmt: str) -> str:
    """Where ``item``'s output goes, relative to the output folder (``a/x.txt`` -> ``a/x.txt.json``)."""
    part = "" if item.count == 1 else f".part{item.index + 1}"
    return f"{item.rel}{part}{OUTPUT_SUFFIX[fmt]}"
