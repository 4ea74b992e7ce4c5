"""The cached re-run's shortcuts give the same outputs as the long way: unchanged files are not
ingested again (the ``ingests`` memo), stored JSON is written out as it is."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from summarizer import ingest
from summarizer.article import Article
from summarizer.batching import plan as batch_plan
from summarizer.batching import run_batch
from summarizer.batching.outputs import render_output, stored_output
from summarizer.settings import Settings
from summarizer.store import Store

from .conftest import CORPUS
from .test_batch import STORIES, folder, options

OFFLINE = Settings(engine="offline")


def outputs(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): p.read_text()
        for p in sorted(out.rglob("*.json"))
        if p.name != "report.json"
    }


def refuse_ingest(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make ingest raise for any file; return the list of sources it was asked for."""
    asked: list[str] = []

    def no(*_: object, source: str = "?", **__: object) -> list[object]:
        asked.append(source)
        raise AssertionError(f"ingested again: {source}")

    monkeypatch.setattr(ingest, "from_bytes", no)
    monkeypatch.setattr(ingest, "load", lambda path, **_: no(source=path))
    return asked


def test_an_unchanged_folder_is_not_ingested_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = folder(tmp_path)
    shutil.copy(CORPUS / "singles" / "two-articles-one-file.txt", root / "two.txt")
    first = run_batch(OFFLINE, options(tmp_path, root))
    before = outputs(tmp_path / "out")
    shutil.rmtree(tmp_path / "out")
    refuse_ingest(monkeypatch)
    again = run_batch(OFFLINE, options(tmp_path, root))
    assert again.counts == first.counts and again.cache_hits == len(first.outcomes) == 6
    assert outputs(tmp_path / "out") == before  # the same files, byte for byte


def test_a_changed_file_is_ingested_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = folder(tmp_path, STORIES[:2])
    run_batch(OFFLINE, options(tmp_path, root))
    changed = root / STORIES[0]
    changed.write_text(changed.read_text().replace("Monday", "Tuesday"))
    real = ingest.from_bytes
    seen: list[str] = []

    def spy(data: bytes, **kw: Any) -> list[Article]:
        seen.append(str(kw["source"]))
        return real(data, **kw)

    monkeypatch.setattr(ingest, "from_bytes", spy)
    report = run_batch(OFFLINE, options(tmp_path, root))
    assert seen == [str(changed)]
    assert report.cache_hits == 1 and report.counts["ok"] == 2


def test_new_ingest_code_misses_the_memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import summarizer.batching.runner as runner

    root = folder(tmp_path, STORIES[:1])
    run_batch(OFFLINE, options(tmp_path, root))
    for module in (batch_plan, runner):
        monkeypatch.setattr(module, "ingest_version", lambda: "another-version")
    real, seen = ingest.from_bytes, []

    def spy(data: bytes, **kw: Any) -> list[Article]:
        seen.append(kw["source"])
        return real(data, **kw)

    monkeypatch.setattr(ingest, "from_bytes", spy)
    report = run_batch(OFFLINE, options(tmp_path, root))
    assert len(seen) == 1  # read again: the cleaning rules may differ
    assert report.cache_hits == 1  # the same text, so the same summary


def test_a_file_whose_second_article_was_never_stored_is_read_again(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    shutil.copy(CORPUS / "singles" / "two-articles-one-file.txt", root / "two.txt")
    run_batch(OFFLINE, options(tmp_path, root))
    data = (root / "two.txt").read_bytes()
    import hashlib

    raw = hashlib.sha256(data).hexdigest()
    with Store(tmp_path / "store.db") as store:
        version = batch_plan.ingest_version()
        assert store.ingested(raw, version) is not None
        with store.transaction():
            store._conn.execute("DELETE FROM summaries")
            store._conn.execute("DELETE FROM sources")
            store._conn.execute("DELETE FROM story_articles")
            store._conn.execute("DELETE FROM articles WHERE title LIKE 'Library%'")
        assert store.ingested(raw, version) is None  # a missing article: not served from the memo


def test_the_ingest_version_follows_the_code() -> None:
    version = batch_plan.ingest_version()
    assert len(version) == 16 and version == batch_plan.ingest_version()
    assert {"ingest", "clean", "textrules", "mdtext"} <= set(batch_plan._INGEST_MODULES)


def test_stored_json_is_written_as_the_loaded_result_would_render(tmp_path: Path) -> None:
    root = folder(tmp_path, STORIES[:1])
    run_batch(OFFLINE, options(tmp_path, root))
    with Store(tmp_path / "store.db") as store:
        (item,) = store.run_items(1)
        assert item.key is not None
        loaded = store.get(item.key)
        peeked = store.peek(item.key)
    assert loaded is not None and loaded.result is not None and peeked is not None and peeked.result_json
    expected = render_output(loaded.result, "json")
    assert stored_output(peeked.result_json) == expected
    older = loaded.result.model_dump_json(indent=2)  # a row an earlier version stored: no format_version
    assert stored_output(older) == expected
    assert stored_output(loaded.result.model_dump_json()) is None  # compact JSON (compare --db): re-rendered
    assert json.loads(expected)["format_version"] == "1"


def test_markdown_outputs_still_render_from_the_loaded_result(tmp_path: Path) -> None:
    root = folder(tmp_path, STORIES[:1])
    run_batch(OFFLINE, options(tmp_path, root, fmt="markdown"))
    out = tmp_path / "out"
    first = {p.name: p.read_text() for p in out.rglob("*.md")}
    shutil.rmtree(out)
    again = run_batch(OFFLINE, options(tmp_path, root, fmt="markdown"))
    assert again.cache_hits == 1
    assert {p.name: p.read_text() for p in out.rglob("*.md")} == first


def test_an_article_from_the_memo_keeps_what_its_input_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Site name, author and language come back with the text when an unchanged file is not
    ingested again, and the store keeps them per source."""
    root = tmp_path / "in"
    shutil.copytree(CORPUS / "port-strike", root)
    db = tmp_path / "s.db"
    first = run_batch(OFFLINE, options(tmp_path, root, db=db))
    refuse_ingest(monkeypatch)
    memo: list[Article] = []
    items_of = batch_plan.items_of

    def watched(*args: Any, **kwargs: Any) -> Any:
        found = items_of(*args, **kwargs)
        memo.extend(i.article for i in found if isinstance(i, batch_plan.Readable))
        return found

    from summarizer.batching import runner

    monkeypatch.setattr(runner, "items_of", watched)
    again = run_batch(OFFLINE, options(tmp_path, root, db=db, out=tmp_path / "again"))
    assert first.counts["ok"] == again.counts["ok"] == 4
    page = [a for a in memo if a.source.endswith("calderra-evening-post.html")]
    assert len(page) == 1 and page[0].site_name == "Calderra Evening Post"
    assert page[0].author == "Meridian Press" and page[0].language == "en"
    with Store(db) as store:
        [row] = [r for r in store.articles() if "Calderra Evening Post" in r.outlets]
    assert row.authors == ["Meridian Press"]
