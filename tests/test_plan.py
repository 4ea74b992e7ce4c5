"""Batch planning: which files a run reads, in which order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from summarizer.batching.plan import discover, store_files


def touch(root: Path, *names: str) -> None:
    for name in names:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x")


def rels(root: Path, paths: list[Path]) -> list[str]:
    return [p.relative_to(root).as_posix() for p in paths]


def test_files_are_listed_in_a_stable_order_by_relative_path(tmp_path: Path) -> None:
    touch(tmp_path, "b/2.txt", "a.txt", "b/10.txt", "B.txt", "a/z.md")
    assert rels(tmp_path, discover(tmp_path, "**/*")) == ["B.txt", "a.txt", "a/z.md", "b/10.txt", "b/2.txt"]
    assert rels(tmp_path, discover(tmp_path, "**/*.txt")) == ["B.txt", "a.txt", "b/10.txt", "b/2.txt"]


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    touch(tmp_path, ".env", ".git/config", "a/.draft.txt", "a/keep.txt")
    assert rels(tmp_path, discover(tmp_path, "**/*")) == ["a/keep.txt"]


def test_outputs_and_the_store_inside_the_input_folder_are_not_inputs(tmp_path: Path) -> None:
    touch(tmp_path, "in/a.txt", "in/summaries/a.txt.json", "in/summaries/report.json")
    touch(tmp_path, "in/store.db", "in/store.db-wal", "in/store.db-shm", "in/store.dbx")
    root = tmp_path / "in"
    found = discover(root, "**/*", exclude=(root / "summaries", *store_files(root / "store.db")))
    assert rels(root, found) == ["a.txt", "store.dbx"]


def test_a_symlink_to_an_output_is_not_an_input_but_one_to_an_article_is(tmp_path: Path) -> None:
    touch(tmp_path, "in/a.txt", "out/a.txt.json", "elsewhere/b.txt")
    root = tmp_path / "in"
    (root / "link-to-output.json").symlink_to(tmp_path / "out" / "a.txt.json")
    (root / "link-to-article.txt").symlink_to(tmp_path / "elsewhere" / "b.txt")
    found = discover(root, "**/*", exclude=(tmp_path / "out",))
    assert rels(root, found) == ["a.txt", "link-to-article.txt"]


def test_a_symlinked_folder_of_outputs_is_not_an_input(tmp_path: Path) -> None:
    touch(tmp_path, "in/a.txt", "out/a.txt.json", "out/sub/b.txt.json", "elsewhere/c.txt")
    root = tmp_path / "in"
    (root / "results").symlink_to(tmp_path / "out", target_is_directory=True)
    (root / "more").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    # "*/*" goes through symlinked folders (a recursive "**" does not, on the Pythons we support)
    found = discover(root, "*/*", exclude=(tmp_path / "out",))
    assert rels(root, found) == ["more/c.txt"]


def test_exclusions_given_by_another_spelling_of_the_path_still_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "in/a.txt", "in/out/a.txt.json")
    monkeypatch.chdir(tmp_path)
    found = discover(Path("in"), "**/*", exclude=(tmp_path / "in" / "." / "out",))
    assert [p.as_posix() for p in found] == ["in/a.txt"]
    relative_out = Path(os.path.relpath(tmp_path / "in" / "out"))
    assert [p.as_posix() for p in discover(tmp_path / "in", "**/*", exclude=(relative_out,))] == [
        (tmp_path / "in" / "a.txt").as_posix()
    ]


def test_an_output_folder_outside_the_input_changes_nothing(tmp_path: Path) -> None:
    touch(tmp_path, "in/a.txt", "out/a.txt.json")
    assert rels(tmp_path / "in", discover(tmp_path / "in", "**/*", exclude=(tmp_path / "out",))) == ["a.txt"]
