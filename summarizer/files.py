"""Writing output files atomically: a temp file beside the target, then ``os.replace``.

A reader (or a run killed half-way) sees the old file or the new one, never
half of one. The temp name carries the process id so two processes writing
the same folder never share one.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            out.write(text.encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def same_text(path: Path, text: str) -> bool:
    """Whether ``path`` holds exactly ``text`` (an unchanged output need not be written again)."""
    try:
        with open(path, "rb") as existing:
            return existing.read() == text.encode("utf-8")
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False
