"""Cross-source answers in other words, and what is not one (issue 12, round two): a class of words
for what a question asks (pay = fund = foot the bill, cost = bill), the embedded question of "is it
known who …", the day a statement was made, a date in another clause. Sentences written for these
tests."""

from __future__ import annotations

from summarizer.article import Article
from summarizer.comparison.model import ComparisonReport
from summarizer.comparison.run import compare_articles
from summarizer.comparison.schema import CrossQuestion
from summarizer.comparison.senses import senses
from summarizer.comparison.units import terms
from summarizer.settings import Settings

POOL = "The Brenvale lido closed on Monday after a crack was found in the main pool's floor."
OTHER = "Engineers found a cracked floor at Brenvale's open-air pool during a routine survey."


def _report(*stories: list[str]) -> ComparisonReport:
    articles = [
        Article(f"s{i}.txt", 0, lines[0], "\n\n".join(lines)) for i, lines in enumerate(stories, start=1)
    ]
    return compare_articles(articles, Settings(_env_file=None, engine="offline"))


def _question(report: ComparisonReport, word: str) -> CrossQuestion:
    return next(q for q in report.comparison.open_questions if word in q.question)


def _senses(text: str) -> set[str]:
    return senses(text, set(terms(text)))


def test_senses_join_words_and_phrases() -> None:
    assert "sense:pay" in _senses("The trust will foot the bill.")
    assert _senses("The council agreed to fund the work.") == {"sense:pay"}
    assert "sense:cost" in _senses("The final price was not known.")
    assert _senses("Trams will run again next month.") == {"sense:resume"}
    assert _senses("The lido will stay shut.") == {"sense:stay", "sense:close"}


def test_who_pays_is_answered_by_another_verb_and_not_by_the_thing_alone() -> None:
    report = _report(
        ["Lido shut", POOL, "It is not clear who will pay for the temporary pool."],
        [
            "Lido shut",
            OTHER,
            "A temporary pool will open in the Brenvale sports hall next week.",
            "The county sports trust will foot the bill for the temporary pool, its chair said.",
        ],
    )
    q = _question(report, "pay")
    assert q.status.value == "answered"
    assert q.answer is not None and "foot the bill" in q.answer.quote


def test_a_cost_is_answered_by_a_bill() -> None:
    report = _report(
        ["Lido shut", POOL, "The council has not said how much the repair will cost."],
        [
            "Lido shut",
            OTHER,
            "The repair bill is put at 240,000 crowns, according to the council's budget papers.",
        ],
    )
    q = _question(report, "cost")
    assert q.status.value == "answered" and q.answer is not None and "240,000" in q.answer.quote


def test_the_day_a_statement_was_made_does_not_answer_when() -> None:
    report = _report(
        ["Lido shut", POOL, "The council has not said when the lido will reopen."],
        [
            "Lido shut",
            OTHER,
            "The council said on Tuesday that the lido would not reopen until the floor had been relaid.",
        ],
    )
    q = _question(report, "reopen")
    assert q.status.value in {"open", "partly_answered"}


def test_a_date_in_another_clause_does_not_answer_when() -> None:
    report = _report(
        ["Lido shut", POOL, "The council has not said when swimming lessons will resume."],
        [
            "Lido shut",
            OTHER,
            "Swimming coaches met council officers on Thursday and said the lessons would resume.",
        ],
    )
    q = _question(report, "resume")
    assert q.status.value == "open"


def test_not_before_is_a_condition() -> None:
    report = _report(
        ["Lido shut", POOL, "The council has not said when the lido will reopen."],
        [
            "Lido shut",
            OTHER,
            '"The lido will not open again before the engineers sign it off," said Ola Berg.',
        ],
    )
    assert _question(report, "reopen").status.value == "partly_answered"


def test_another_outlet_saying_it_is_not_known_is_no_answer() -> None:
    report = _report(
        ["Lido shut", POOL, "The council has not said when the lido will reopen."],
        ["Lido shut", OTHER, "The council has yet to say when the lido will reopen to swimmers."],
        [
            "Lido shut",
            "Brenvale swimmers face a long summer.",
            "There is no word on when the lido will reopen.",
        ],
    )
    assert {q.status.value for q in report.comparison.open_questions if "reopen" in q.question} == {"open"}
