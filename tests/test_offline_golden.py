"""The offline engine's English output, held to a recorded copy: every English article of the test
corpus summarized now must equal ``tests/data/golden/offline_en.json``. The German, French and
Spanish rules must not move it; a change meant for English rewrites the file
(``python scripts/update_golden.py``) and its diff shows the effect on every article."""

from __future__ import annotations

import json
from typing import Any

from summarizer import ingest, language
from summarizer.errors import SummarizerError
from summarizer.offline import ENGINE_VERSION, summarize_offline

from .conftest import CORPUS, DATA

GOLDEN = DATA / "golden" / "offline_en.json"


def english_summaries() -> dict[str, Any]:
    """Corpus file#n -> its offline summary as JSON data, for every English article of the corpus."""
    out: dict[str, Any] = {}
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file()):
        try:
            articles = ingest.load(str(path))
        except SummarizerError:  # the corpus keeps files that must be refused
            continue
        for article in articles:
            if (article.language or language.detect(article.text)) == "en":
                key = f"{path.relative_to(CORPUS)}#{article.index + 1}"
                out[key] = summarize_offline(article).model_dump(mode="json")
    return out


def record() -> int:
    """Rewrite the golden file from the engine as it is; the number of summaries written."""
    summaries = english_summaries()
    data = {"engine_version": ENGINE_VERSION, "summaries": summaries}
    GOLDEN.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return len(summaries)


def test_english_offline_summaries_equal_the_recorded_ones() -> None:
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = english_summaries()
    assert len(now) >= 10 and sorted(now) == sorted(recorded["summaries"])
    changed = [key for key in now if now[key] != recorded["summaries"][key]]
    assert not changed, f"English output changed for {changed}; if meant: python scripts/update_golden.py"
    assert recorded["engine_version"] == ENGINE_VERSION, "the engine version moved: re-record the golden file"
