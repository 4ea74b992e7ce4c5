"""Quote location: exact and normalised matches (whitespace, quote marks, dashes, case).

Fuzzy alignment has its own tests in test_alignment.py.
"""

from __future__ import annotations

import pytest

from summarizer.grounding import MIN_QUOTE_CHARS, Source, normalise

TEXT = (
    "Kremlin spokesman said on Tuesday.\n\n"
    "\u201cSuch a visit is being prepared,\u201d   Peskov told\nreporters.\n\n"
    "Moscow\u2019s treaty would be signed \u201cin the near future\u201d."
)


def test_normalise_collapses_space_and_straightens_quotes() -> None:
    assert normalise("  a\u201cb\u201d \n\t c\u2019d ") == 'a"b" c\'d'
    assert (
        normalise("\u00abNon\u00bb, `it\u00b4s\u2032 \u201equoted\u201f\u2033")
        == '"Non", \'it\'s\' "quoted""'
    )
    assert normalise("plain `ascii`\u2028text\x1c") == "plain 'ascii' text"  # every Unicode space


def test_locate_returns_offsets_into_the_original_text() -> None:
    src = Source(TEXT)
    span = src.locate('"Such a visit is being prepared," Peskov told reporters.')
    assert span is not None
    start, end = span
    assert TEXT[start:end] == "\u201cSuch a visit is being prepared,\u201d   Peskov told\nreporters."


def test_locate_across_curly_apostrophe() -> None:
    src = Source(TEXT)
    span = src.locate("Moscow's treaty would be signed")
    assert span is not None
    assert TEXT[span[0] : span[1]] == "Moscow\u2019s treaty would be signed"


@pytest.mark.parametrize(
    "quote",
    [
        "Such a visit is being planned",  # a changed word
        "Such a visit is not being prepared",  # a negation added
        "Peskov told reporters at the briefing",  # words added
        "said on Tuesday. Moscow",  # joins separate passages
    ],
)
def test_locate_rejects_what_the_article_does_not_say(quote: str) -> None:
    assert Source(TEXT).locate(quote) is None


def test_case_and_dashes_are_normalised_but_not_in_strict_mode() -> None:
    from summarizer.grounding import MatchKind, strict

    text = "The ferry \u2014 the last one \u2014 left at 9."
    found = Source(text).align("the ferry - the last one - left at 9.")
    assert found is not None and found.kind is MatchKind.normalized
    assert found.text == text and (found.start, found.end) == (0, len(text))
    with strict():
        assert Source(text).align("the ferry - the last one - left at 9.") is None
        assert Source(TEXT).locate("such a visit is being prepared") is None


def test_very_short_quotes_ground_nothing() -> None:
    assert len("said") < MIN_QUOTE_CHARS
    assert Source(TEXT).locate("said") is None


def test_contains_name_is_case_insensitive() -> None:
    src = Source(TEXT)
    assert src.contains_name("peskov")
    assert not src.contains_name("Lavrov")


def test_every_normalised_position_maps_back_to_its_original_character() -> None:
    import random

    from summarizer.grounding import NormalisedText

    rng = random.Random(7)
    pieces = ["word", "a", " ", "\n\n", "\t", "\u201cq\u201d", "it\u2019s", ".", "  "]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        norm = NormalisedText.of(text)
        assert norm.text == normalise(text)
        for pos, ch in enumerate(norm.text):
            orig = text[norm.original(pos)]
            assert orig.isspace() if ch == " " else normalise(orig) == ch


def test_every_located_span_normalises_to_the_quote_on_both_paths() -> None:
    """Verbatim quotes take the fast path, others the normalised one; both must point at the words."""
    import random

    rng = random.Random(11)
    words = ["bridge", "closed", "\u201cnow\u201d", "it\u2019s", "said", "Almsby", "the", "county", "6.2"]
    gaps = [" ", " ", " ", "  ", "\n", "\n\n", "\t"]
    for _ in range(300):
        tokens = [rng.choice(words) for _ in range(rng.randint(3, 25))]
        text = "".join(t + rng.choice(gaps) for t in tokens).strip()
        src = Source(text)
        i = rng.randrange(len(tokens))
        j = rng.randrange(i, len(tokens)) + 1
        quote = " ".join(tokens[i:j])
        for candidate in (quote, normalise(quote)):  # as the article spells it, and straightened
            span = src.locate(candidate)
            if len(normalise(candidate)) < MIN_QUOTE_CHARS:
                assert span is None
                continue
            assert span is not None, (text, candidate)
            assert normalise(text[span[0] : span[1]]) == normalise(candidate)
        assert src.locate(quote + " and more words") is None


def test_names_are_found_verbatim_or_normalised_and_never_empty() -> None:
    src = Source(TEXT)
    assert src.contains_name("Peskov") and src.contains_name("PESKOV")
    assert src.contains_name("Moscow's")  # the article has a curly apostrophe
    assert not src.contains_name("") and not src.contains_name("  ")
