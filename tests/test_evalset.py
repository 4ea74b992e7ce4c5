"""Integrity of the held-apart evaluation set (bench/evalset): what its expectations cite is there.

Quotes the comparison expectations cite are located, by the grounding rule
(whitespace and quote marks only), in the cleaned text ingest produces:
that is the text every product quote is checked against, so an expected
quote that is not in it could never be matched. Ingest's keep/drop passages
are checked against the file itself (its reference text), since whether
ingest keeps them is what the benchmark measures.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from evalset_data import SPLITS, Split, as_list, judged_pairs, load_split, quotes_of_story, reference_text
from qmatch import value_tokens

from summarizer import ingest
from summarizer.article import Article
from summarizer.grounding import Source

STYLES = {"wire", "local", "release", "broadcast", "scraped"}
LANGUAGES = {"en", "de", "zh", "ja"}
FORMATS = {".txt", ".md", ".html", ".json"}


@cache
def split(name: str) -> Split:
    return load_split(name)


@cache
def cleaned(name: str, rel: str) -> Article:
    return ingest.load(str(split(name).path(rel)))[0]


def reference(name: str, rel: str) -> str:
    return reference_text(split(name).path(rel), split(name).articles[rel].get("encoding"))


@pytest.mark.parametrize("name", SPLITS)
def test_every_file_has_expectations_and_every_expectation_a_file(name: str) -> None:
    s = split(name)
    on_disk = {
        str(p.relative_to(s.root))
        for p in s.root.rglob("*.*")
        if p.name not in ("expected.json", "judgments.json")
    }
    assert on_disk == set(s.articles)


@pytest.mark.parametrize("name", SPLITS)
def test_story_quotes_occur_verbatim_in_the_cleaned_text(name: str) -> None:
    s = split(name)
    for story, exp in s.stories.items():
        for f, quote in quotes_of_story(exp):
            assert Source(cleaned(name, f"{story}/{f}").text).locate(quote), (story, f, quote)
        for rel in s.story_files(story):
            for quote in s.articles[rel].get("key_facts", []):
                assert Source(cleaned(name, rel).text).locate(quote), (rel, quote)


@pytest.mark.parametrize("name", SPLITS)
def test_conflict_values_are_stated_by_their_sources(name: str) -> None:
    for story, exp in split(name).stories.items():
        for conflict in exp["conflicts"]:
            assert len({value_tokens(v) for v in conflict["values"].values()}) >= 2, conflict["about"]
            for f, value in conflict["values"].items():
                tokens = value_tokens(value)
                assert tokens, (story, value)
                assert tokens <= value_tokens(cleaned(name, f"{story}/{f}").text), (story, f, value)


@pytest.mark.parametrize("name", SPLITS)
def test_keep_and_drop_passages_are_in_the_file(name: str) -> None:
    s = split(name)
    for rel, exp in s.articles.items():
        text = Source(reference(name, rel))
        for passage in exp["keep"] + exp["drop"]:
            assert text.locate(passage), (rel, passage)
        if exp["title"] is not None:
            assert text.locate(exp["title"]), (rel, exp["title"])


@pytest.mark.parametrize("name", SPLITS)
def test_every_story_has_several_sources_and_expectations_name_its_files(name: str) -> None:
    s = split(name)
    for story, exp in s.stories.items():
        files = {rel.split("/", 1)[1] for rel in s.story_files(story)}
        assert 3 <= len(files) <= 5, story
        named = {f for f, _ in quotes_of_story(exp)}
        named |= {f for c in exp["conflicts"] for f in c["values"]}
        named |= {f for g in exp["wire_groups"] for f in g["members"]}
        named |= {f for a in exp["answers"] for f in as_list(a["answered_by"])}
        assert named <= files, (story, named - files)
        for group in exp["wire_groups"]:
            assert group["origin"] in group["members"]


@pytest.mark.parametrize("name", SPLITS)
def test_each_split_covers_every_style_language_and_format(name: str) -> None:
    arts = split(name).articles
    assert {a["style"] for a in arts.values()} >= STYLES
    languages = {a["language"] for a in arts.values()}
    assert languages >= LANGUAGES and languages & {"es", "fr"}
    assert {Path(rel).suffix for rel in arts} >= FORMATS
    assert any(s.get("cross_language") for s in split(name).stories.values())


def test_the_splits_do_not_overlap() -> None:
    tune, report = split("tune"), split("report")
    assert not set(tune.stories) & set(report.stories)
    assert not {Path(r).name for r in tune.articles} & {Path(r).name for r in report.articles}
    digests = Counter((s.root / rel).read_bytes() for s in (tune, report) for rel in s.articles)
    assert max(digests.values()) == 1
    sizes = [len(tune.articles), len(report.articles)]
    # tune grows with development material written for each round (the report split is never
    # read, so it is not grown by the same people): report must stay a third of the set or more.
    assert sum(sizes) >= 40 and min(sizes) >= sum(sizes) / 3


@pytest.mark.parametrize("name", SPLITS)
def test_judgments_cover_every_pair_of_accepted_articles(name: str) -> None:
    s = split(name)
    pairs = list(judged_pairs(s))
    accepted = sum(e["accept"] for e in s.articles.values())
    assert len(pairs) == accepted * (accepted - 1) // 2
    assert all(0.0 <= score <= 1.0 for _, _, score in pairs)
    for a, b, score in pairs:
        if s.unit(a) == s.unit(b) and not a.startswith("singles/"):
            assert score >= 0.7, (a, b)
        else:
            assert score < 0.5, (a, b)


def test_expected_files_are_plain_json_with_the_split_named() -> None:
    for name in SPLITS:
        for file in ("expected.json", "judgments.json"):
            data = json.loads((split(name).root / file).read_text(encoding="utf-8"))
            assert data["split"] == name
