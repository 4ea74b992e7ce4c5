"""The benchmark's question checker (bench/qcheck.py): each rule on made-up questions."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from qcheck import check_question, is_grammatical

GOOD = [
    "When will the beaches reopen?",
    "How much will the repairs cost?",
    "How long will the repairs take?",
    "Who will pay for the repairs?",
    "Whose estimate is the 2.4 million crowns, and how was it reached?",
    "What does the roads department say about compensation for local businesses?",
    "What will happen to the libraries' staff?",
    "Is it known whether the town must contribute?",
    "Will the town have to contribute?",
    "By when must the report be filed?",
    "Did they do the work?",
    "Has the union had enough?",
    "What is the basis for the figure of about €30 million a day?",
    "试运行结束后何时正式开通？",
]

BAD = [
    ("How will much repairs cost or who would pay for them?", "wh-phrase split"),
    ("How will much repairs cost or who would pay for them?", "joined with 'or who'"),
    ("How has much chlorine escaped?", "wh-phrase split"),
    ("Will the repairs cost about 2.4 million crowns?", "unsourced estimate"),
    ("When will the the bridge reopen?", "repeated word 'the'"),
    ("Who will pay for the repairs or?", "dangling 'or'"),
    ("Is it known when will the beaches reopen?", "inverted word order"),
    ("What does say the council about compensation?", "no subject"),
    ("When will reopen the bridge?", "no subject"),
    ("Will will the plant close?", "two auxiliaries"),
    ("Will I don't know what we have done?", "two finite verbs"),
    ("The bridge will reopen when", "question mark"),
    ("The bridge will reopen when?", "does not open like a question"),
    ("when will the ferry run?", "lower-case"),
    ("Will the mayor resign? Or will she stay?", "several question marks"),
    ("What did the “inspector say?", "unbalanced"),
]


@pytest.mark.parametrize("question", GOOD)
def test_well_formed_questions_pass(question: str) -> None:
    assert check_question(question) == []
    assert is_grammatical(question)


@pytest.mark.parametrize(("question", "fault"), BAD)
def test_malformed_questions_are_flagged_with_the_reason(question: str, fault: str) -> None:
    faults = check_question(question)
    assert any(fault in f for f in faults), faults
    assert not is_grammatical(question)


def test_an_unsourced_number_question_must_not_be_yes_no_whatever_its_wording() -> None:
    assert check_question("Will the plant employ 300 people?") == []
    assert any(
        "unsourced estimate" in f
        for f in check_question("Will the plant employ 300 people?", "unsourced_number")
    )
    assert check_question("Whose figure is the 300 jobs?", "unsourced_number") == []
