"""The benchmark's matching rules (bench/qmatch.py) on made-up comparison output."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from qmatch import conflict_matches, overlaps, score_answers, value_tokens

FILES = {"S1": "wire.txt", "S2": "paper.html", "S3": "release.md"}
EXPECTED = {"about": "vehicles a day", "values": {"wire.txt": "42,000", "paper.html": "50,000"}}


def side(claim: str, source: str, quote: str) -> dict[str, object]:
    return {"claim": claim, "support": [{"source": source, "quote": quote}]}


def test_values_compare_as_numbers_and_weekdays_across_wordings() -> None:
    assert value_tokens("42.000 Fahrzeuge") == value_tokens("about 42,000 vehicles") == {"n:42000"}
    assert value_tokens("1.8 million crowns") == {"n:1.8e+06"}
    assert value_tokens("Twelve posts") == value_tokens("12") == {"n:12"}
    assert value_tokens("seit Mittwochmorgen") == value_tokens("on Wednesday") == {"day:wed"}
    assert value_tokens("at 9.40 am") == {"n:9.4"}


def test_a_conflict_matches_when_two_sides_carry_two_expected_values() -> None:
    got = {
        "sides": [
            side("42,000 vehicles", "S1", "Roughly 42,000 vehicles a day."),
            side("50,000 cars", "S2", "…"),
        ]
    }
    assert conflict_matches(got, EXPECTED, FILES)


def test_a_conflict_over_other_numbers_of_the_same_sources_does_not_match() -> None:
    got = {
        "sides": [
            side("11 pm", "S1", "42,000 vehicles by 11 pm."),
            side("2 pm", "S2", "50,000 cars by 2 pm."),
        ]
    }
    assert not conflict_matches(got, EXPECTED, FILES)
    one_source = {"sides": [side("42,000 vehicles", "S1", "…"), side("50,000 cars", "S3", "50,000 cars")]}
    assert not conflict_matches(one_source, EXPECTED, FILES)


def test_quotes_overlap_by_containment_or_most_of_the_words() -> None:
    assert overlaps("The council has not said when the bridge will reopen.", "has not said when the bridge")
    assert overlaps("“We will not reopen,” she said.", '"We will not reopen," she said')
    assert not overlaps(
        "The bridge was built in 1962.", "The council has not said when the bridge will reopen."
    )


def test_answers_are_scored_and_a_condition_marked_contradicted_is_caught() -> None:
    story = {
        "answers": [
            {
                "raised_by": ["wire.txt"],
                "raised_quote": "The council has not said how long the repairs will take.",
                "answered_by": "release.md",
                "answer_quote": "The contractor has been given ten weeks.",
                "status": ["answered"],
            }
        ],
        "must_stay_open": [
            {
                "raised_by": ["paper.html"],
                "raised_quote": "The council has not said when the bridge will reopen.",
                "allowed": ["open", "partly_answered"],
            }
        ],
    }

    def question(status: str, raised: str, quote: str, answer: str) -> dict[str, object]:
        return {
            "question": "?",
            "status": status,
            "raised_by": [raised],
            "raised_in": [{"source": raised, "quote": quote}],
            "answer": {"source": "S3", "quote": answer},
        }

    questions = [
        question(
            "answered",
            "S1",
            "The council has not said how long the repairs will take.",
            "The contractor has been given ten weeks.",
        ),
        question(
            "contradicted",
            "S2",
            "The council has not said when the bridge will reopen.",
            "We will not reopen until it is safe.",
        ),
    ]
    score = score_answers(questions, story, FILES)
    assert (score.counts.tp, score.counts.fp, score.counts.fn) == (1, 1, 0)
    assert score.status_right == 1
    assert score.false_contradicted == 1
    assert (score.kept_open, score.must_stay_open) == (0, 1)
