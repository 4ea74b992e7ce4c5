"""Writing output files atomically: a temp file beside the target, then ``os.replace``.

A reader (or a run killed half-way) sees the old file or the new one, never
half of one. The temp name carries the process id so two processes writing
the same folder never share one.

Plain ``os`` calls rather than ``open()``: a batch writes one file per article,
and the buffered file object's own set-up (an ``fstat``, a terminal check, a
seek) was a measurable part of that (see bench/README.md).
"""

from __future__ import annotations

import os
from pathlib import Path

_ALWAYS = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows only
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _ALWAYS
_READ_FLAGS = os.O_RDONLY | _ALWAYS


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = text.encode("utf-8")
    try:
        fd = os.open(tmp, _WRITE_FLAGS, 0o666)
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked (a full disk raises instead)
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def same_text(path: Path, text: str) -> bool:
    """Whether ``path`` holds exactly ``text`` (an unchanged output need not be written again)."""
    data = text.encode("utf-8")
    try:
        fd = os.open(path, _READ_FLAGS)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False
    try:
        # One byte more than expected: a longer file differs without reading all of it.
        return os.read(fd, len(data) + 1) == data
    except IsADirectoryError:
        return False
    finally:
        os.close(fd)
