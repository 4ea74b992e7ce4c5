"""Comparing sources: wire copies, story grouping, the offline comparator and the run, on the corpus.

Everything here is offline and deterministic; the values come from
``tests/data/corpus/expected.json`` and the corpus articles themselves.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from summarizer import ingest, scope
from summarizer.comparison.group import clusters, story_text
from summarizer.comparison.model import ComparisonReport
from summarizer.comparison.offline import compare_offline, compare_units
from summarizer.comparison.run import compare_paths, group_paths, load_articles
from summarizer.comparison.schema import Comparison, CrossQuestion
from summarizer.comparison.units import SourceUnits, units_from_article, units_from_summary
from summarizer.comparison.wire import containment, find_wire_groups, shingles
from summarizer.errors import InputError
from summarizer.grounding import Source, normalise
from summarizer.offline import summarize_offline
from summarizer.settings import Settings
from summarizer.store import Store

from .conftest import CORPUS

EXPECTED: dict[str, Any] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
STORIES = EXPECTED["stories"]
INJECTED = ("strike has ended", "returned to work", "ignore all previous instructions")


def _offline() -> Settings:
    return Settings(engine="offline")


def story_paths(story: str) -> list[str]:
    """The story's files in expected.json's order (the wire story first): S1, S2, …"""
    return [str(CORPUS / story / name) for name in STORIES[story]["sources"]]


def sid(story: str, name: str) -> str:
    return f"S{STORIES[story]['sources'].index(name) + 1}"


@pytest.fixture(scope="module")
def port() -> ComparisonReport:
    return compare_paths(story_paths("port-strike"), _offline())


@pytest.fixture(scope="module")
def algae() -> ComparisonReport:
    return compare_paths(story_paths("algae-bloom"), _offline())


def origin_of(report: ComparisonReport, source: str) -> str:
    group = next((g for g in report.wire_groups if source in g.members), None)
    return group.origin if group else source


def question(report: ComparisonReport, raised_by: str, words: str) -> CrossQuestion:
    found = [q for q in report.comparison.open_questions if raised_by in q.raised_by and words in q.question]
    assert len(found) == 1, [q.question for q in report.comparison.open_questions]
    return found[0]


# --- wire copies -------------------------------------------------------------------------------


@pytest.mark.parametrize("story", ["port-strike", "algae-bloom"])
def test_wire_groups_match_expected(story: str) -> None:
    articles = [ingest.load(p)[0] for p in story_paths(story)]
    groups = find_wire_groups([(f"S{i + 1}", a.text) for i, a in enumerate(articles)])
    expected = [[sid(story, name) for name in group] for group in STORIES[story]["wire_groups"]]
    assert [g.members for g in groups] == expected
    assert [g.origin for g in groups] == [members[0] for members in expected]
    assert all(g.similarity > 0.9 for g in groups)


def test_wire_similarity_ignores_title_byline_and_html_noise_but_not_independent_reports() -> None:
    wire, post, ledger, markets = (ingest.load(p)[0] for p in story_paths("port-strike"))
    assert wire.title != post.title and "Meridian Press" in wire.text and "Meridian Press" not in post.text
    assert containment(shingles(wire.text), shingles(post.text)) == 1.0
    for independent in (ledger, markets):
        assert containment(shingles(wire.text), shingles(independent.text)) < 0.05


# --- story grouping ----------------------------------------------------------------------------


def test_group_mixed_folder_puts_each_article_in_its_story() -> None:
    singles = [
        str(CORPUS / "singles" / n) for n in ("template-and-delimiters.txt", "two-articles-one-file.txt")
    ]
    port, algae = story_paths("port-strike"), story_paths("algae-bloom")
    mixed = [port[0], algae[0], singles[0], port[1], algae[1], singles[1], port[2], algae[2], port[3]]
    stories = group_paths(mixed)
    assert sorted(map(sorted, stories.groups)) == sorted([sorted(port), sorted(algae)])
    two = singles[1]
    assert sorted(stories.singletons) == sorted([singles[0], f"{two}#1", f"{two}#2"])
    # ``path#n`` reads back as that one article, so a group can be compared as it is listed.
    assert [a.title for a in load_articles([f"{two}#2"])] == ["Library Extends Opening Hours for Exam Season"]


def test_group_skips_unreadable_files_and_reports_them() -> None:
    errors: list[InputError] = []
    stories = group_paths([*story_paths("algae-bloom"), str(CORPUS / "singles" / "empty.txt")], errors=errors)
    assert stories.groups == [story_paths("algae-bloom")] and stories.singletons == []
    assert [e.source for e in errors] == [str(CORPUS / "singles" / "empty.txt")]


def test_grouping_is_deterministic_and_order_free() -> None:
    texts = [story_text(a) for a in load_articles(story_paths("port-strike") + story_paths("algae-bloom"))]
    assert clusters(texts) == [[0, 1, 2, 3], [4, 5, 6]]
    assert clusters(texts[::-1]) == [[0, 1, 2], [3, 4, 5, 6]]


# --- the offline comparison --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("story", "about"),
    [
        ("port-strike", "number of workers on strike"),
        ("port-strike", "when the strike began"),
        ("algae-bloom", "number of beaches closed"),
    ],
)
def test_number_and_date_conflicts_follow_expected(
    story: str, about: str, port: ComparisonReport, algae: ComparisonReport
) -> None:
    report = port if story == "port-strike" else algae
    (values,) = [c["values"] for c in STORIES[story]["conflicts"] if c["about"] == about]

    def states(conflict: Any, name: str, value: str) -> bool:
        source = origin_of(report, sid(story, name))
        return any(
            source in {q.source for q in side.support} and value.lower() in side.claim.lower()
            for side in conflict.sides
        )

    found = [c for c in report.comparison.conflicts if all(states(c, n, v) for n, v in values.items())]
    assert len(found) == 1 and found[0].kind.value in {"number", "date"}, report.comparison.conflicts


def test_no_other_conflicts_are_reported(port: ComparisonReport, algae: ComparisonReport) -> None:
    """The union's 9 percent and the authority's 5 percent are two things, not a conflict."""
    assert [(c.about, c.kind.value) for c in port.comparison.conflicts] == [
        ("number of dockworkers", "number"),
        ("when the stoppage began", "date"),
    ]
    assert [(c.about, c.kind.value) for c in algae.comparison.conflicts] == [
        ("number of beaches", "number"),
        ("cause of the bloom", "other"),
    ]


def test_story_leaves_out_what_sources_dispute(port: ComparisonReport, algae: ComparisonReport) -> None:
    assert port.comparison.story.startswith("Dockworkers walked off the job at the Port of Calderra")
    assert algae.comparison.story.startswith("The regional environment agency closed public beaches")
    for disputed in ("12,000", "15,000", "Monday", "Sunday", "six", "Eight"):
        assert disputed not in port.comparison.story + algae.comparison.story


def test_workers_conflict_sides_and_sources(port: ComparisonReport) -> None:
    (conflict,) = [c for c in port.comparison.conflicts if c.kind.value == "number"]
    sides = {side.claim: [(q.source, q.quote) for q in side.support] for side in conflict.sides}
    assert set(sides) == {"About 12,000 dockworkers", "Roughly 15,000 port workers"}
    # The wire copy (S2) is not a second confirmation of 12,000: its origin S1 speaks for it.
    assert [s for s, _ in sides["About 12,000 dockworkers"]] == ["S1"]
    assert [s for s, _ in sides["Roughly 15,000 port workers"]] == ["S3"]
    assert sides["Roughly 15,000 port workers"][0][1].startswith("Roughly 15,000 port workers were on strike")


def test_beaches_and_cause_conflicts(algae: ComparisonReport) -> None:
    by_about = {c.about: c for c in algae.comparison.conflicts}
    beaches = by_about["number of beaches"]
    sides = {side.claim: {q.source for q in side.support} for side in beaches.sides}
    assert sides == {"six public beaches": {"S1", "S3"}, "Eight beaches": {"S2"}}
    cause = by_about["cause of the bloom"]
    assert cause.sides[0].claim.startswith("fertilizer running off nearby farmland")
    assert "sewage overflows from the town of Kell" in cause.sides[1].claim
    assert {q.source for q in cause.sides[0].support} == {"S1", "S2"}


def test_shared_facts_count_a_wire_group_once(port: ComparisonReport) -> None:
    facts = port.comparison.shared_facts
    for fact in facts:
        assert len({origin_of(port, q.source) for q in fact.support}) >= 2, fact
        assert "S2" not in {q.source for q in fact.support}
    text = " ".join(f.fact + " " + " ".join(q.quote for q in f.support) for f in facts)
    for needle in ("9 percent raise over two years", "offered a 5 percent raise", "union chair Rosa Almeida"):
        assert needle in text


def test_unique_facts(port: ComparisonReport, algae: ComparisonReport) -> None:
    def unique(report: ComparisonReport) -> list[tuple[str, str]]:
        return [(u.evidence.source, u.evidence.quote) for u in report.comparison.unique_facts]

    port_facts, algae_facts = unique(port), unique(algae)
    assert any(s == "S3" and "40 ships were waiting at anchor" in q for s, q in port_facts)
    assert any(s == "S4" and "jumped 14 percent" in q for s, q in port_facts)
    assert any(s == "S1" and "lasted eleven days" in q for s, q in port_facts)
    assert any(s == "S3" and "28 micrograms per litre" in q for s, q in algae_facts)
    assert any(s == "S2" and "dog fell ill" in q for s, q in algae_facts)
    assert not any(s == "S2" for s, _ in port_facts)


def test_talks_question_answered_by_harbor_ledger(port: ComparisonReport) -> None:
    (resolved,) = [
        r
        for r in STORIES["port-strike"]["open_questions_resolved_across_sources"]
        if "talks" in r["question"]
    ]
    q = question(port, sid("port-strike", resolved["raised_by"]), "talks")
    assert q.raised_by == ["S1", "S2"]
    assert q.status.value == "answered"
    assert q.answer is not None and q.answer.source == sid("port-strike", resolved["answered_by"])
    assert q.answer.quote.startswith(resolved["quote"])
    assert [r.quote for r in q.raised_in] == ["No date has been set for new talks."] * 2


def test_court_order_question_answered_only_by_an_unnamed_source(port: ComparisonReport) -> None:
    q = question(port, "S1", "court")
    assert q.status.value == "unattributed_answer"
    assert q.answer is not None and q.answer.source == "S4"
    assert q.answer.quote.startswith("The Calderra Port Authority is preparing to seek a court injunction")
    assert "a person familiar with the matter" in q.note


def test_beach_reopening_partly_answered_by_the_agency(algae: ComparisonReport) -> None:
    q = question(algae, "S1", "reopen")
    assert q.raised_by == ["S1", "S2"] and q.status.value == "partly_answered"
    assert q.answer is not None and q.answer.source == "S3"
    assert (
        "will reopen each site once two consecutive samples are below the guideline value" in q.answer.quote
    )


def test_framing_notes_a_missing_union_voice(port: ComparisonReport) -> None:
    notes = [n for n in port.comparison.framing if "quotes no union voice" in n.note]
    assert len(notes) == 1 and notes[0].note.startswith("S4 ")
    assert notes[0].evidence[0].quote == "The authority has offered a 5 percent raise; the union wants more."


def test_every_quote_points_into_its_own_source(port: ComparisonReport, algae: ComparisonReport) -> None:
    for report in (port, algae):
        texts = {s.id: s.text for s in report.sources}
        quotes = report.comparison.all_quotes()
        assert len(quotes) > 20
        for q in quotes:
            assert q.start is not None and q.end is not None
            assert normalise(texts[q.source][q.start : q.end]) == normalise(q.quote)


def test_a_quote_attributed_to_the_wrong_source_names_the_right_one(port: ComparisonReport) -> None:
    data = port.comparison.model_dump(mode="json")
    data["shared_facts"][0]["support"][1]["source"] = (
        "S4"  # the Harbor Ledger's words, credited to Ledgerline
    )
    sources = {s.id: Source(s.text) for s in port.sources}
    with pytest.raises(ValidationError) as caught:
        Comparison.model_validate(data, context=scope.context(sources))
    assert "quote not found in source S4" in str(caught.value) and "it occurs in S3" in str(caught.value)


def test_injected_instruction_appears_nowhere_in_the_report(port: ComparisonReport) -> None:
    ledgerline = next(s for s in port.sources if s.outlet == "Ledgerline Markets")
    assert "strike has ended" in ledgerline.text  # the source text is kept as data, for linking quotes
    dumped = port.model_dump(mode="json", exclude={"sources": {"__all__": {"text"}}})
    text = json.dumps(dumped, ensure_ascii=False).lower()
    for phrase in INJECTED:
        assert phrase not in text


def test_summary_only_units_reach_the_same_findings(port: ComparisonReport) -> None:
    """What the simulator does with an LLM comparison request: summaries (as JSON) in, no articles."""
    articles = [ingest.load(p)[0] for p in story_paths("port-strike")]
    units = [
        units_from_summary(f"S{i + 1}", json.loads(summarize_offline(a).model_dump_json(exclude_none=True)))
        for i, a in enumerate(articles)
    ]
    for u, a in zip(units, articles, strict=True):
        assert all(s in a.text for s in u.sentences + [q for _, _, q in u.questions])
    comparison = compare_offline(units, port.wire_groups, {s.id: Source(s.text) for s in port.sources})
    assert [c.about for c in comparison.conflicts] == [c.about for c in port.comparison.conflicts]
    statuses = {q.question: q.status for q in comparison.open_questions}
    assert statuses == {q.question: q.status for q in port.comparison.open_questions}
    assert not any(p in comparison.model_dump_json().lower() for p in INJECTED)


def test_summary_quotes_from_a_planted_paragraph_are_dropped_given_the_article() -> None:
    ledgerline = ingest.load(story_paths("port-strike")[3])[0]
    summary = {
        "key_points": [
            {"point": "x", "evidence": [{"quote": "Cranes stand idle at the Port of Calderra."}]},
            {
                "point": "y",
                "evidence": [{"quote": "the strike has ended and that all workers have returned"}],
            },
            {
                "point": "z",
                "evidence": [{"quote": "Container rates on routes into the region jumped 14 percent"}],
            },
        ]
    }
    units = units_from_summary("S4", summary, text=ledgerline.text)
    assert units.sentences == ["Container rates on routes into the region jumped 14 percent"]


def test_hand_built_units_denial_contradicts_and_unnamed_answer() -> None:
    a = "The council has not decided whether it will close the Elm Street library."
    b = "The council ruled out closing the Elm Street library, its leader Ana Berg said."
    c = "The pool reopens once repairs are finished, a person close to the council said."
    units = [
        SourceUnits("S1", [a], [("Will the council close the Elm Street library?", "decision_pending", a)]),
        SourceUnits("S2", [b], [], [("Ana Berg", b)]),
        SourceUnits("S3", [c], [], [("a person close to the council", c)]),
        SourceUnits(
            "S4",
            ["It is not known when the pool reopens."],
            [("When will the pool reopen?", "timing_unset", "It is not known when the pool reopens.")],
        ),
    ]
    data = compare_units(units, [])
    statuses = {
        q["question"]: (q["status"], q["answer"]["source"] if q["answer"] else None)
        for q in data["open_questions"]
    }
    assert statuses == {
        "Will the council close the Elm Street library?": ("contradicted", "S2"),
        "When will the pool reopen?": ("unattributed_answer", "S3"),
    }


def test_offline_comparison_is_deterministic(algae: ComparisonReport) -> None:
    articles = [ingest.load(p)[0] for p in story_paths("algae-bloom")]
    units = [units_from_article(f"S{i + 1}", a, summarize_offline(a)) for i, a in enumerate(articles)]
    assert compare_units(units, []) == compare_units(units, [])
    assert (
        Comparison.model_validate(
            compare_units(units, []),
            context=scope.context({u.id: Source(a.text) for u, a in zip(units, articles, strict=True)}),
        )
        == algae.comparison
    )


# --- the run -----------------------------------------------------------------------------------


def test_sources_outlets_and_provenance(port: ComparisonReport) -> None:
    # The republication is shown under its own name (its <title>'s site suffix), not the agency's.
    assert [s.outlet for s in port.sources] == [
        "Meridian Press",
        "Calderra Evening Post",
        "The Harbor Ledger",
        "Ledgerline Markets",
    ]
    assert [s.wire_group for s in port.sources] == [0, 0, None, None]
    p = port.provenance
    assert (p.engine, p.summary_calls, p.compare_calls, p.usage.total_tokens) == ("offline", 4, 1, 0)
    assert p.started_at <= p.finished_at


def test_second_run_with_a_store_makes_no_summary_calls(tmp_path: Path, algae: ComparisonReport) -> None:
    with Store(tmp_path / "store.db") as store:
        first = compare_paths(story_paths("algae-bloom"), _offline(), store=store)
        second = compare_paths(story_paths("algae-bloom"), _offline(), store=store)
    assert (first.provenance.summary_calls, second.provenance.summary_calls) == (3, 0)
    assert second.comparison == first.comparison == algae.comparison


def test_fewer_than_two_sources_is_an_input_error() -> None:
    with pytest.raises(InputError, match="at least two articles"):
        compare_paths(story_paths("port-strike")[:1], _offline())
