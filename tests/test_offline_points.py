"""Key points select and compress (issue 12): under half of a wire story's sentences, the point cut
down from its sentence while the quote stays verbatim. Sentences written for these tests."""

from __future__ import annotations

import pytest

from summarizer.article import Article
from summarizer.grounding import normalise
from summarizer.offline import summarize_offline
from summarizer.offline.compress import compress

WIRE = [
    "Ferry back on winter timetable",
    "By Ada Pell, Tarn News Agency",
    "LANMERE, Nov 4 (TNA) - The Lanmere ferry resumed its winter timetable on Monday after a month of "
    "repairs to its loading ramp, the harbour board said.",
    "About 3,000 passengers a day use the crossing, which links Lanmere with the island of Ost, "
    "according to the board's figures.",
    "Board chair Ruth Oyelaran, who took office in May, said the ramp had been rebuilt with steel.",
    "Islanders had relied on a smaller launch that carried at most forty people at a time.",
    "The board has not said how much the repairs cost.",
    "A second ramp on the Ost side will be replaced next winter, the board said.",
    "The ferry was built in 1988 and was last refitted in 2014.",
    "Shopkeepers on Ost said deliveries had been late all month.",
]


@pytest.mark.parametrize(
    ("sentence", "point"),
    [
        (WIRE[2], "The Lanmere ferry resumed its winter timetable on Monday after a month of repairs to its "
         "loading ramp."),
        (WIRE[3], "About 3,000 passengers a day use the crossing."),
        (WIRE[4], "Board chair Ruth Oyelaran said the ramp had been rebuilt with steel."),
        ("The Ostline, the only ferry to the island, sails again from Monday.",
         "The Ostline sails again from Monday."),
        ("HARBOUR FM (IDA BERG): The first crossing left on time this morning.",
         "The first crossing left on time this morning."),
        ('"We rebuilt it to last," said Ruth Oyelaran, the board\'s chair.',
         '"We rebuilt it to last," said Ruth Oyelaran.'),
        ("Die Fähre fährt seit Montag wieder, teilte die Hafenbehörde mit.",
         "Die Fähre fährt seit Montag wieder."),
        ("El ferry volvió el lunes a su horario de invierno, según la autoridad portuaria.",
         "El ferry volvió el lunes a su horario de invierno."),
        # nothing to cut, or too little left: the sentence as it is
        ("The ferry was built in 1988.", "The ferry was built in 1988."),
        ("Ships sail, the board said.", "Ships sail, the board said."),
    ],
)  # fmt: skip
def test_compress_cuts_attribution_and_asides_only(sentence: str, point: str) -> None:
    assert compress(sentence) == point


def test_a_wire_story_keeps_under_half_its_sentences_and_the_quotes_verbatim() -> None:
    text = "\n\n".join(WIRE)
    summary = summarize_offline(Article("wire.txt", 0, WIRE[0], text))
    assert 3 <= len(summary.key_points) <= 4  # of 8 body sentences
    assert summary.key_points[0].evidence[0].quote == WIRE[2]  # the lead, dateline and all
    for kp in summary.key_points:
        assert kp.evidence[0].quote in text
    differ = [kp for kp in summary.key_points if normalise(kp.point) != normalise(kp.evidence[0].quote)]
    assert len(differ) >= 2


def test_a_restatement_is_not_a_second_point() -> None:
    paragraphs = [
        "Ferry back",
        "The Lanmere ferry resumed its winter timetable on Monday after repairs to its ramp.",
        "The ferry resumed its winter timetable on Monday, the board confirmed after the ramp repairs.",
        "Islanders had relied on a smaller launch that carried at most forty people.",
        "A second ramp on the Ost side will be replaced next winter.",
        "Shopkeepers on Ost said deliveries had been late all month.",
        "The ferry was built in 1988 and was last refitted in 2014.",
    ]
    summary = summarize_offline(Article("f.txt", 0, "Ferry back", "\n\n".join(paragraphs)))
    quotes = [kp.evidence[0].quote for kp in summary.key_points]
    assert paragraphs[1] in quotes and paragraphs[2] not in quotes
