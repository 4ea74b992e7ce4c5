"""Outlets and wire origins (issue 12): the origin is the copy the others credit, else the fuller
text, not the first input; a republisher keeps its own name. Stories written for these tests."""

from __future__ import annotations

from pathlib import Path

from summarizer.article import Article
from summarizer.comparison.outlets import outlet_of, same_outlet
from summarizer.comparison.run import compare_articles
from summarizer.settings import Settings

WIRE_BODY = [
    "LANMERE, Nov 4 (Tarn News Agency) - The Lanmere ferry resumed its winter timetable on Monday "
    "after a month of repairs to its loading ramp, the harbour board said.",
    "About 3,000 passengers a day use the crossing between Lanmere and the island of Ost, according "
    "to the board's own figures.",
    "Board chair Ruth Oyelaran said the ramp had been rebuilt with steel that should last thirty years.",
    "Islanders had relied on a smaller launch that carried at most forty people at a time.",
    "The board has not said how much the repairs cost.",
    "A second ramp on the Ost side will be replaced next winter, the board said.",
    "The ferry was built in 1988 and was last refitted in 2014.",
]


def _article(source: str, title: str, lines: list[str], **meta: str) -> Article:
    return Article(source, 0, title, "\n\n".join([title, *lines]), **meta)


def _offline() -> Settings:
    return Settings(_env_file=None, engine="offline")


def test_truncated_republication_sorting_first_is_not_the_origin_and_keeps_its_name() -> None:
    copy = _article(
        "a-lanmere-daily.html",
        "Ferry back on winter timetable",
        WIRE_BODY[:4],
        site_name="Lanmere Daily",
        author="Tarn News Agency",
    )
    wire = _article(
        "tarn-news-wire.txt",
        "Lanmere ferry back on winter timetable after ramp repairs",
        ["By Ada Pell, Tarn News Agency", *WIRE_BODY],
        site_name="Tarn News Agency",
        author="Ada Pell",
    )
    other = _article(
        "z-island-radio.txt",
        "Ost islanders welcome the ferry back",
        [
            "Islanders on Ost cheered as the big ferry docked again on Monday morning.",
            "Shopkeeper Ian Brough said deliveries had been late all month.",
        ],
    )
    report = compare_articles([copy, wire, other], _offline())
    (group,) = report.wire_groups
    assert group.origin == "S2"  # the agency's full text, credited by the copy's author field
    assert group.members == ["S2", "S1"]
    outlets = {s.id: s.outlet for s in report.sources}
    assert outlets["S1"] == "Lanmere Daily" and outlets["S2"] == "Tarn News Agency"


def test_without_credits_the_fuller_text_is_the_origin() -> None:
    short = _article("a.txt", "Ferry back", WIRE_BODY[:4])
    full = _article("b.txt", "Ferry back on winter timetable", WIRE_BODY)
    report = compare_articles([short, full], _offline())
    assert report.wire_groups[0].origin == "S2"


def test_a_copy_named_only_by_the_agency_dateline_is_shown_under_its_file_name() -> None:
    wire = _article("tarn-news-wire.txt", "Ferry back on winter timetable", WIRE_BODY)
    copy = _article("lanmere-weekly.txt", "Ferry back", WIRE_BODY[:5])
    report = compare_articles([copy, wire], _offline())
    assert report.wire_groups[0].origin == "S2"
    assert [s.outlet for s in report.sources] == ["lanmere-weekly", "Tarn News Agency"]


def test_byline_job_title_is_not_an_outlet() -> None:
    role = _article("g.txt", "Ferry back", ["By Colm Aske, Transport Reporter", *WIRE_BODY[1:3]])
    agency = _article("h.txt", "Ferry back", ["By Colm Aske, Tarn News Agency", *WIRE_BODY[1:3]])
    assert outlet_of(role) is None
    assert outlet_of(agency) == "Tarn News Agency"


def test_abbreviation_is_the_same_outlet() -> None:
    assert same_outlet("Tarn News Agency", "TNA")
    assert same_outlet("The Lanmere Daily", "lanmere daily")
    assert not same_outlet("Tarn News Agency", "TN")
    assert not same_outlet("Lanmere Daily", "Lanmere Weekly")


def test_a_quote_cited_as_shared_is_not_also_a_unique_fact_of_the_origin() -> None:
    # The copy sorts first, so the shared "Ruth Oyelaran is quoted" cites the copy's sentence; the
    # origin's identical sentence must not come back as a fact only the origin reports.
    copy = _article("a-lanmere-daily.html", "Ferry back", WIRE_BODY[:5])
    wire = _article("tarn-news-wire.txt", "Ferry back on winter timetable", WIRE_BODY)
    other = _article(
        "z-island-radio.txt",
        "Ost islanders welcome the ferry back",
        [
            "Islanders on Ost cheered as the big ferry docked again on Monday morning.",
            '"The wait is over," Ruth Oyelaran told a crowd of islanders at the Ost slipway.',
        ],
    )
    report = compare_articles([copy, wire, other], _offline())
    shared = [q.quote for f in report.comparison.shared_facts for q in f.support]
    unique = [u.evidence.quote for u in report.comparison.unique_facts]
    assert WIRE_BODY[2] in shared
    assert WIRE_BODY[2] not in unique


def test_sources_in_two_languages_get_a_note_under_the_offline_comparator() -> None:
    english = _article("en.txt", "Ferry back", WIRE_BODY[2:5], language="en")
    german = _article(
        "de.txt",
        "Fähre wieder im Winterfahrplan",
        ["Die Fähre nach Ost fährt seit Montag wieder nach dem Winterfahrplan, teilte die Hafenbehörde mit."],
        language="de",
    )
    report = compare_articles([english, german], _offline())
    (note,) = report.notes
    assert "different languages" in note and "English: S1" in note and "German: S2" in note
    same = compare_articles([english, _article("en2.txt", "Ferry", WIRE_BODY[5:], language="en")], _offline())
    assert same.notes == []


def test_a_folder_holding_two_stories_warns_and_suggests_group(tmp_path: Path) -> None:
    from summarizer.comparison.stories import plan_stories

    ferry = [
        "The Lanmere ferry resumed its winter timetable on Monday after repairs to its loading ramp.",
        "About 3,000 passengers a day use the Lanmere ferry crossing to the island of Ost.",
        "The ferry ramp was rebuilt with steel, the harbour board said on Monday.",
    ]
    fire = [
        "A fire destroyed the Kellby grain store overnight and injured two firefighters, crews said.",
        "The Kellby grain store held about 900 tonnes of oats when the fire broke out at the store.",
        "Firefighters kept the Kellby fire from the store's neighbouring fuel depot, crews said.",
    ]
    for name, title, lines in (
        ("a.txt", "Lanmere ferry back on winter timetable", ferry),
        ("b.txt", "Lanmere ferry timetable restored after ramp repairs", ferry[::-1]),
        ("c.txt", "Fire destroys Kellby grain store", fire),
        ("d.txt", "Kellby grain store lost in overnight fire", fire[::-1]),
    ):
        (tmp_path / name).write_text("\n\n".join([title, *lines]) + "\n", encoding="utf-8")
    plan = plan_stories([str(tmp_path)], _offline())
    (warning,) = plan.warnings
    assert "2 different stories" in warning and "--group" in warning
    one = plan_stories([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], _offline())
    assert one.warnings == []
