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
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
