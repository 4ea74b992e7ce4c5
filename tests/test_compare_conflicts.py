"""Conflicts and cross-source answers of the offline comparator on stories written for these tests
(issue 12): one quantity in different words, days given for one event, numbers about different
things, conditions that are not dates, answers about something else."""

from __future__ import annotations

from summarizer.article import Article
from summarizer.comparison.model import ComparisonReport
from summarizer.comparison.quantity import quantities
from summarizer.comparison.run import compare_articles
from summarizer.settings import Settings


def _report(*stories: list[str]) -> ComparisonReport:
    articles = [
        Article(f"s{i}.txt", 0, lines[0], "\n\n".join(lines)) for i, lines in enumerate(stories, start=1)
    ]
    return compare_articles(articles, Settings(_env_file=None, engine="offline"))


def _conflicts(report: ComparisonReport) -> list[tuple[str, list[set[str]]]]:
    return [
        (c.about, [{q.source for q in side.support} for side in c.sides]) for c in report.comparison.conflicts
    ]


def test_one_count_in_other_words_and_formats_is_lined_up() -> None:
    report = _report(
        ["Ferry closed", "Roughly 42,000 vehicles a day cross the Lanmere causeway, county figures show."],
        ["Ferry shut", "More than 50,000 cars use the Lanmere causeway daily, according to a traffic count."],
    )
    ((about, sides),) = _conflicts(report)
    assert about == "number of cars" and sides == [{"S1"}, {"S2"}]


def test_german_thousands_and_hedged_ranges() -> None:
    (q,) = quantities("Seit Mittwoch sind mehr als 15.000 Haushalte ohne Wasser.")
    assert (q.value, q.low, q.high) == (15000, 15000, float("inf"))
    (near,) = quantities("About 42,000 vehicles a day cross it.")
    (more,) = quantities("More than 40,000 cars a day use it.")
    (far,) = quantities("More than 50,000 cars a day use it.")
    assert near.agrees(more) and not near.agrees(far)
    assert quantities("The ferry leaves at 11 pm and at 7am, and the shop opens at 4.30 Uhr.") == []


def test_a_total_beside_a_part_is_not_a_conflict_but_two_parts_are() -> None:
    report = _report(
        ["Ward short", "The hospital said 9 of the ward's 30 nursing posts are vacant."],
        ["Ward short", "Eight nursing posts are empty, out of thirty, staff said."],
    )
    ((about, sides),) = _conflicts(report)
    assert about == "number of posts" and sides == [{"S1"}, {"S2"}]
    claims = {side.claim for side in report.comparison.conflicts[0].sides}
    assert not any("30" in c or "thirty" in c for c in claims)


def test_clock_times_of_different_events_are_not_a_conflict() -> None:
    report = _report(
        ["Fire at depot", "The fire at the Lanmere depot broke out shortly after 11 pm on Monday."],
        ["Depot reopens", "The Lanmere depot will reopen to lorries at 2 pm on Thursday, the operator said."],
    )
    assert [c for c in report.comparison.conflicts if c.kind.value == "number"] == []


def test_days_given_for_one_closure_or_change_conflict() -> None:
    closed = _report(
        [
            "Causeway shut",
            "The county closed the Lanmere causeway to traffic on Wednesday after cracks were found.",
        ],
        ["Causeway to shut", "The Lanmere causeway will be closing on Tuesday evening, the county said."],
    )
    assert [(c.kind.value, len(c.sides)) for c in closed.comparison.conflicts] == [("date", 2)]
    start = _report(
        [
            "Clinic hours cut",
            "The Lanmere clinic will stop seeing patients at night from Monday, the trust said.",
        ],
        [
            "Clinic hours cut",
            "Patients will have to go to Ostby for night care from this Friday, the station said.",
        ],
    )
    assert [(c.kind.value, len(c.sides)) for c in start.comparison.conflicts] == [("date", 2)]


CAUSEWAY = "The Lanmere causeway closed on Wednesday after cracks were found in its piers."


def _question(report: ComparisonReport, word: str):  # type: ignore[no-untyped-def]
    return next(q for q in report.comparison.open_questions if word in q.question)


def test_a_condition_without_a_date_is_not_a_contradiction() -> None:
    report = _report(
        ["Causeway shut", CAUSEWAY, "The county has not said when the causeway will reopen."],
        [
            "Causeway shut",
            CAUSEWAY,
            '"We will not reopen the causeway until we are sure it is safe," said Ana Ruiz.',
        ],
    )
    q = _question(report, "reopen")
    assert q.status.value in {"open", "partly_answered"}
    assert q.status.value != "contradicted"


def test_an_answer_must_give_what_the_question_asks_for() -> None:
    report = _report(
        ["Causeway shut", CAUSEWAY, "The county has not said how long the repairs will take."],
        [
            "Causeway shut",
            "Drivers faced a long detour on Thursday morning.",
            "Long queues formed as about 30,000 cars a day used the diversion, a traffic count for the "
            "repairs period shows.",
        ],
        [
            "Causeway shut",
            "Inspectors found the damage during a routine survey of the Lanmere causeway last week.",
            "The contractor, Osk Civil, has been given six weeks to replace the piers.",
        ],
    )
    assert report.wire_groups == []
    q = _question(report, "How long")
    assert q.question == "How long will the repairs take?"
    assert q.answer is not None and q.answer.source == "S3" and "six weeks" in q.answer.quote


def test_a_rival_estimate_does_not_settle_an_unsourced_one() -> None:
    report = _report(
        ["Causeway shut", CAUSEWAY, "Repairs are expected to cost about 3.5 million crowns."],
        ["Causeway shut", CAUSEWAY, "Some engineers put the repair bill at around 5 million crowns."],
    )
    q = _question(report, "estimate")
    assert q.question == "Whose estimate is the 3.5 million crowns, and how was it reached?"
    assert q.status.value == "open"
