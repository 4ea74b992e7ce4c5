"""One fact in other words (issue 12, round two): number words, hedges, rates, stop verbs, day parts,
the day a statement was made, causes. Sentences written for these tests."""

from __future__ import annotations

from summarizer.article import Article
from summarizer.comparison.claims import causes, event_dates, undated
from summarizer.comparison.model import ComparisonReport
from summarizer.comparison.numwords import phrase_value
from summarizer.comparison.quantity import quantities
from summarizer.comparison.run import compare_articles
from summarizer.settings import Settings


def _report(*stories: list[str]) -> ComparisonReport:
    articles = [
        Article(f"s{i}.txt", 0, lines[0], "\n\n".join(lines)) for i, lines in enumerate(stories, start=1)
    ]
    return compare_articles(articles, Settings(_env_file=None, engine="offline"))


def _sides(report: ComparisonReport, kind: str) -> list[list[set[str]]]:
    return [
        [{q.source for q in side.support} for side in c.sides]
        for c in report.comparison.conflicts
        if c.kind.value == kind
    ]


def test_spelled_out_numbers_are_read_whole() -> None:
    assert phrase_value("three thousand two hundred and six") == 3206
    assert phrase_value("a dozen") == 12 and phrase_value("two dozen") == 24
    assert phrase_value("four two") is None
    (q,) = quantities("Some three thousand two hundred pupils sat the exam.")
    assert (q.value, q.key) == (3200, "pupil")
    assert [q.value for q in quantities("Elf Schulen und zwölf Kitas bleiben zu.")] == [11, 12]
    assert [q.value for q in quantities("Douze écoles restent fermées.")] == [12]
    assert [q.value for q in quantities("One and two bedroom flats were let.")] == [2]  # not 3


def test_more_hedges_before_and_after_the_number() -> None:
    (a,) = quantities("As many as 900 volunteers signed up.")
    assert (a.low, a.high) == (0, 900)
    (b,) = quantities("The hall seats 1,200 or so spectators.")
    assert (b.low, b.high) == (1140, 1260)
    (c,) = quantities("A 3,000-plus crowd of spectators gathered.")
    assert c.low == 3000 and c.high == float("inf")
    (d,) = quantities("Circa 40 Helfer waren im Einsatz.")
    assert (d.low, d.high) == (38, 42)


def test_rates_are_compared_per_day() -> None:
    (week,) = quantities("The library lends about 7,000 books a week.")
    (day,) = quantities("Roughly 1,100 books a day go out on loan.")
    (far,) = quantities("More than 2,500 books are borrowed every day.")
    assert week.rate == "week" and day.rate == "day"
    assert week.agrees(day) and not week.agrees(far) and not day.agrees(far)
    (before,) = quantities("On an ordinary working day the tram carries some 800 riders.")
    assert before.rate == "day"
    (german,) = quantities("Werktags steigen dort knapp 5.000 Fahrgäste ein.")
    assert (german.rate, german.key) == ("day", "passenger")


def test_a_weekly_figure_sides_with_the_daily_one_it_fits() -> None:
    report = _report(
        ["Tram cut", "Roughly 1,000 riders a day use the Brenvale tram, the operator said."],
        ["Tram cut", "The Brenvale tram carries about 6,000 riders a week, figures show."],
        ["Tram cut", "More than 2,000 commuters take the Brenvale tram every day, the union said."],
    )
    assert _sides(report, "number") == [[{"S1", "S2"}, {"S3"}]]


def test_stop_verbs_and_day_parts_give_the_day_of_a_closure() -> None:
    (a,) = event_dates("Services on the Brenvale tram were suspended on Friday after a fault.")
    assert (a.event, a.day) == ("closed", "friday")
    (b,) = [e for e in event_dates("Die Brücke ist seit Donnerstagfrüh gesperrt.") if e.event == "closed"]
    assert b.day == "thursday"
    (c,) = event_dates("The pool was taken out of service on Monday evening.")
    assert (c.event, c.day) == ("closed", "monday")


def test_one_day_dispute_is_one_conflict_even_when_it_is_a_start_and_a_closure() -> None:
    report = _report(
        ["Tram halted", "The Brenvale tram will halt all services from Thursday night, the operator said."],
        ["Tram halted", "Services on the Brenvale tram were suspended on Friday after a fault was found."],
    )
    assert _sides(report, "date") == [[{"S1"}, {"S2"}]]


def test_the_day_a_statement_was_made_is_not_the_day_it_reports() -> None:
    text = "The council said on Monday that the tram closed on Friday."
    assert [e.day for e in event_dates(text)] == ["friday"]
    assert "Monday" not in undated(text) and len(undated(text)) == len(text)
    assert "Thursday" not in undated("Work will resume once it is safe, the mayor said late on Thursday.")


def test_causes_in_other_verbs_and_tenses() -> None:
    assert causes("Inspectors put the outage down to a failed transformer.") == ["a failed transformer"]
    assert causes("Residents blame the new weir for the flooding.") == ["the new weir"]
    assert causes("The leak was traced to a corroded joint.") == ["a corroded joint"]
    assert causes("Work was put on hold to allow checks.") == []
