"""Atomic output writes and the unchanged-output check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from summarizer.files import same_text, write_atomic


def test_write_atomic_writes_and_replaces_leaving_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    write_atomic(target, "first, with a non-ASCII mark: é\n")
    assert target.read_text(encoding="utf-8") == "first, with a non-ASCII mark: é\n"
    write_atomic(target, "second")
    assert target.read_text(encoding="utf-8") == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_write_atomic_keeps_the_old_file_when_the_replace_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.json"
    target.write_text("old", encoding="utf-8")

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]  # the temp file is gone


def test_write_atomic_writes_everything_when_os_write_is_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real(fd, bytes(data[:3])))  # 3 bytes a call
    write_atomic(tmp_path / "a.json", "a longer text than three bytes")
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "a longer text than three bytes"


@pytest.mark.parametrize(
    ("on_disk", "expected"),
    [("same é", True), ("same é and more", False), ("same", False), ("other", False)],
)
def test_same_text_compares_the_whole_file(tmp_path: Path, on_disk: str, expected: bool) -> None:
    path = tmp_path / "a.json"
    path.write_text(on_disk, encoding="utf-8")
    assert same_text(path, "same é") is expected


def test_same_text_is_false_for_a_missing_file_or_a_folder(tmp_path: Path) -> None:
    assert not same_text(tmp_path / "missing.json", "x")
    assert not same_text(tmp_path / "missing" / "a.json", "x")
    (tmp_path / "dir.json").mkdir()
    assert not same_text(tmp_path / "dir.json", "x")
