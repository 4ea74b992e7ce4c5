"""The offline engine's open questions are well formed (issue 12): "how long" keeps its quantifier,
unsourced estimates ask whose they are, quotations are never turned into questions, and the engine
runs the checker (summarizer.offline.qcheck) on what it emits. Sentences written for these tests."""

from __future__ import annotations

import pytest

from summarizer.article import Article
from summarizer.offline import hedges, questions, summarize_offline
from summarizer.offline.qcheck import check_question
from summarizer.offline.questions import find_questions
from summarizer.offline.text import parse


def _questions(*paragraphs: str) -> list[tuple[str, str]]:
    text = "\n\n".join(["Lanmere news", *paragraphs])
    summary = summarize_offline(Article("inline", 0, "Lanmere news", text))
    return [(q.question, q.kind.value) for q in summary.open_questions]


def test_how_keeps_its_quantifier() -> None:
    assert _questions("The board has not said how long the repairs to the ramp will take.") == [
        ("How long will the repairs to the ramp take?", "decision_pending")
    ]
    assert _questions("It is not clear how much the new ramp will cost the harbour board.")[0][0] == (
        "How much will the new ramp cost the harbour board?"
    )
    assert _questions("It is still unclear how many passengers were stranded overnight.")[0][0] == (
        "How many passengers were stranded overnight?"
    )


def test_an_unsourced_estimate_asks_whose_it_is() -> None:
    assert _questions("The new ramp is expected to cost about 3.5 million crowns.") == [
        ("Whose estimate is the 3.5 million crowns, and how was it reached?", "unsourced_number")
    ]


def test_a_quotation_is_never_turned_into_a_question() -> None:
    found = _questions(
        "Passenger Ida Berg was relieved.",
        '"I don\'t know what we would have done if the ferry had stopped for the winter," she said.',
    )
    assert found == []


def test_an_undetermined_cause_asks_for_the_cause() -> None:
    assert _questions("The cause of the blaze at the ferry terminal has not been determined.") == [
        ("What caused the blaze at the ferry terminal?", "unclear_cause")
    ]


def test_the_engine_withholds_what_its_checker_rejects(monkeypatch: pytest.MonkeyPatch) -> None:
    # A builder that phrases badly (as "How will long …" once did): the check keeps it out.
    rules = [
        (
            rx,
            (lambda m, c: ("decision_pending", "How will long it take?", "x")) if b is hedges.not_said else b,
            g,
        )
        for rx, b, g in questions._RULES
    ]
    monkeypatch.setattr(questions, "_RULES", rules)
    doc = parse("Lanmere news\n\nThe board has not said how long the repairs will take.")
    assert [q.question for q in find_questions(doc, check=False)] == ["How will long it take?"]
    assert find_questions(doc) == []


def test_checker_flags_first_person_questions() -> None:
    assert any("first person" in f for f in check_question("Will we have to drive to Ostby?"))
    assert check_question("Will the islanders have to drive to Ostby?") == []


GERMAN = (
    "Wasserrohrbruch in Lanmere\n\n"
    "Nach einem Rohrbruch sind seit Mittwoch rund 4000 Haushalte in Lanmere ohne Wasser. "
    "Die Stadtwerke haben noch nicht gesagt, wann die Leitung repariert sein wird.\n\n"
    "Wer die Kosten für die Reparatur trägt, ist noch unklar, sagte ein Sprecher der Stadt."
)


ITALIAN = (
    "Guasto all'acquedotto di Lanmere\n\n"
    "Dopo la rottura di una condotta, circa 4000 famiglie di Lanmere sono senza acqua da mercoledì. "
    "L'azienda non ha ancora detto quando la condotta sarà riparata.\n\n"
    "Chi pagherà i lavori non è ancora chiaro, ha detto un portavoce del comune."
)


def test_an_article_the_english_rules_cannot_read_says_so_instead_of_finding_nothing() -> None:
    from summarizer import render
    from summarizer.pipeline import Summarizer
    from summarizer.settings import Settings

    with Summarizer(Settings(engine="offline")) as s:
        # German has open-question rules of its own now (questions_intl); Italian has none.
        german = s.summarize(Article("acqua.txt", 0, "Guasto all'acquedotto di Lanmere", ITALIAN))
        english = s.summarize(Article("ramp.txt", 0, "Lanmere news", "Lanmere news\n\n" + ENGLISH))
    [note] = german.provenance.notes
    assert "Italian (it)" in note and "open questions" in note
    text = render.to_markdown(german)
    assert "None found (the note below says what this engine cannot read" in text
    assert f"**Note:** {note}" in text
    assert english.provenance.notes == [] and english.summary.open_questions


ENGLISH = "The board has not said how long the repairs to the ramp will take, a spokesperson said."
