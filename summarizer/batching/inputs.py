"""Batch API input files: request lines packed into files under the provider's limits.

``Packer`` takes one request line at a time and cuts a new file whenever the
next line would take the current one past ``max_requests`` lines or
``max_bytes`` bytes (OpenAI: 50,000 and 200 MB, ``Settings.batch_max_*``).
A file is written as ``NAME.part`` and renamed once complete, so a file
with its final name is always whole; only then is it handed to ``on_file``
(which records it in the store). Without a folder it only counts, for
``--dry-run``. The name is unique (``summarizer-<uuid>.jsonl``): the
provider's copy is found again by it after a lost upload answer.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO


@dataclass
class InputFile:
    name: str
    path: Path | None
    requests: list[tuple[str, str, str]] = field(default_factory=list)
    """(custom id, cache key, content hash) of each line, in order."""
    size: int = 0
    sha256: str = ""


class LineTooLarge(ValueError):
    """One request line is over the per-file byte limit by itself."""


class Packer:
    def __init__(
        self,
        folder: Path | None,
        *,
        max_requests: int,
        max_bytes: int,
        on_file: Callable[[InputFile], None],
    ) -> None:
        self.folder = folder
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self.on_file = on_file
        self.files: list[InputFile] = []
        self._current: InputFile | None = None
        self._handle: BinaryIO | None = None
        self._digest = hashlib.sha256()

    def add(self, custom_id: str, key: str, content_hash: str, line: bytes) -> None:
        if len(line) > self.max_bytes:
            raise LineTooLarge(f"a request of {len(line)} bytes is over the {self.max_bytes}-byte file limit")
        current = self._current
        if current is not None and (
            len(current.requests) + 1 > self.max_requests or current.size + len(line) > self.max_bytes
        ):
            self.close()
            current = None
        if current is None:
            current = self._open()
        current.requests.append((custom_id, key, content_hash))
        current.size += len(line)
        self._digest.update(line)
        if self._handle is not None:
            self._handle.write(line)

    def _open(self) -> InputFile:
        name = f"summarizer-{uuid.uuid4().hex}.jsonl"
        path = self.folder / name if self.folder is not None else None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = path.with_name(name + ".part").open("wb")
        self._current = InputFile(name, path)
        self._digest = hashlib.sha256()
        return self._current

    def close(self) -> None:
        """Finish the current file (if any) and hand it to ``on_file``."""
        current, self._current = self._current, None
        if current is None:
            return
        current.sha256 = self._digest.hexdigest()
        if self._handle is not None and current.path is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            self._handle = None
            os.replace(current.path.with_name(current.name + ".part"), current.path)
        self.files.append(current)
        self.on_file(current)

    def abandon(self) -> None:
        """Drop a file being written (the run stopped before it was complete)."""
        current, self._current = self._current, None
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if current is not None and current.path is not None:
            current.path.with_name(current.name + ".part").unlink(missing_ok=True)
