"""Fuzzy alignment: near-verbatim quotes snap to the article's span, changed facts never align."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer import scope
from summarizer.alignment import FILLER, NEGATIONS, tokens
from summarizer.grounding import MatchKind, Source, strict
from summarizer.schema import Evidence

ARTICLE = (
    "Riverside Bridge to Close for Six Weeks\n\n"
    "The old Riverside Bridge in the town of Almsby will close to all traffic from 3 March "
    "for six weeks of repairs, the county roads department said on Monday.\n\n"
    "The repairs are expected to cost about 12,000 crowns. The council did not say who would pay.\n\n"
    "\u201cWe have no choice,\u201d said Mayor Anna Lund. \u201cThe supports are worn \u2014 "
    "some of them are 80 years old.\u201d\n\n"
    "Ferry operator Tove Berg said extra crossings would run every 20 minutes."
)


def aligned(quote: str, text: str = ARTICLE) -> tuple[MatchKind, str] | None:
    found = Source(text).align(quote)
    if found is None:
        return None
    assert found.text == text[found.start : found.end]
    return found.kind, found.text


@pytest.mark.parametrize(
    ("quote", "kind", "shown"),
    [
        (  # verbatim
            "The council did not say who would pay.",
            MatchKind.exact,
            "The council did not say who would pay.",
        ),
        (  # straight quote marks and dash for curly ones, and the case of one letter
            '"We have no choice," said mayor Anna Lund.',
            MatchKind.normalized,
            "\u201cWe have no choice,\u201d said Mayor Anna Lund.",
        ),
        (  # an em dash typed as a hyphen
            "The supports are worn - some of them are 80 years old.",
            MatchKind.normalized,
            "The supports are worn \u2014 some of them are 80 years old.",
        ),
        (  # the number without its group separator
            "The repairs are expected to cost about 12000 crowns.",
            MatchKind.fuzzy,
            "The repairs are expected to cost about 12,000 crowns.",
        ),
        (
            "The repairs are expected to cost about 12 000 crowns",
            MatchKind.fuzzy,
            "The repairs are expected to cost about 12,000 crowns",
        ),
        (
            "The repairs are expected to cost about 12.000 crowns.",
            MatchKind.fuzzy,
            "The repairs are expected to cost about 12,000 crowns.",
        ),
        (  # a dropped word
            "The old Riverside Bridge in the town of Almsby will close to traffic from 3 March",
            MatchKind.fuzzy,
            "The old Riverside Bridge in the town of Almsby will close to all traffic from 3 March",
        ),
        (  # an added filler word
            "Ferry operator Tove Berg said that extra crossings would run every 20 minutes.",
            MatchKind.fuzzy,
            "Ferry operator Tove Berg said extra crossings would run every 20 minutes.",
        ),
        (  # two adjacent sentences joined
            "The repairs are expected to cost about 12,000 crowns and the council did not say who would pay.",
            MatchKind.fuzzy,
            "The repairs are expected to cost about 12,000 crowns. The council did not say who would pay.",
        ),
        (  # an ellipsis joining two parts of one passage: the shown quote is the whole passage
            "The old Riverside Bridge in the town of Almsby ... for six weeks of repairs",
            MatchKind.fuzzy,
            "The old Riverside Bridge in the town of Almsby will close to all traffic from 3 March "
            "for six weeks of repairs",
        ),
        (
            "\u201cWe have no choice,\u201d [\u2026] \u201cThe supports are worn",
            MatchKind.fuzzy,
            "\u201cWe have no choice,\u201d said Mayor Anna Lund. \u201cThe supports are worn",
        ),
        (  # "did not" contracted
            "The council didn't say who would pay.",
            MatchKind.fuzzy,
            "The council did not say who would pay.",
        ),
    ],
)
def test_near_verbatim_quotes_align_and_show_the_articles_text(
    quote: str, kind: MatchKind, shown: str
) -> None:
    assert aligned(quote) == (kind, shown)


@pytest.mark.parametrize(
    "quote",
    [
        "The repairs are expected to cost about 12,500 crowns.",  # a changed number
        "The repairs are expected to cost about 1,200 crowns.",
        "The council did say who would pay.",  # a negation removed
        "The old Riverside Bridge in the town of Almsby will not close to all traffic from 3 March",  # added
        "Ferry operator Anna Lund said extra crossings would run every 20 minutes.",  # a swapped name
        "Ferry operator Tove Berg said extra buses would run every 20 minutes.",  # a swapped word
        "The old Riverside Bridge in the town of Almsby will close to the traffic from 3 March",  # all/the
        "Ferry operator Tove Berg said extra crossings would run every 20 minutes until May.",  # added facts
        "The old Riverside Bridge in the town of Almsby will reportedly close to all traffic from 3 March",
        "The old Riverside Bridge in Almsby will close to all traffic from 3 March",  # three words left out
        "The repairs are expected to cost about 12,000 crowns, the mayor said.",  # a fabricated attribution
        "for six weeks of repairs ... The old Riverside Bridge in the town of Almsby",  # parts out of order
        "Riverside Bridge to Close ... extra crossings would run every 20 minutes.",  # parts far apart
        "The council said it would pay for the repairs.",  # invented, from the article's words
        "Officials confirmed the figures were accurate in every respect.",  # invented outright
        "said the Mayor Anna Lund",  # too short for an edit
        "The the Riverside Bridge in the town of Almsby will close to all traffic",  # "old" became "the"
        "the Riverside Bridge in the town of Almsby will close to all traffic by then",  # edge words added
        "\u201cWe have no choice,\u201d said Mayor Anna. \u201cThe supports are worn",  # name cut at a break
    ],
)
def test_changed_facts_and_inventions_do_not_align(quote: str) -> None:
    assert aligned(quote) is None


def test_strict_mode_is_exact_and_whitespace_or_quote_marks_only() -> None:
    near = "The repairs are expected to cost about 12000 crowns."
    assert aligned(near) is not None
    with strict():
        assert aligned(near) is None
        assert aligned('"We have no choice," said Mayor Anna Lund.') == (
            MatchKind.normalized,
            "\u201cWe have no choice,\u201d said Mayor Anna Lund.",
        )


def test_a_verbatim_quote_never_builds_the_normalised_text_or_the_token_index() -> None:
    src = Source(ARTICLE)
    assert src.align("The council did not say who would pay.") is not None
    assert "_norm" not in vars(src) and "_tokens" not in vars(src)  # cached properties not computed
    assert src.align("The council didn't say who would pay.") is not None
    assert "_tokens" in vars(src)


def test_a_short_quote_may_differ_in_punctuation_only() -> None:
    assert aligned("We have no choice said Mayor") == (MatchKind.fuzzy, "We have no choice,\u201d said Mayor")


def test_tokens_fold_case_numbers_and_contractions() -> None:
    assert [t.canon for t in tokens("Didn't 12,000 12 000 12.000 2.4 2,4 Moscow\u2019s")] == [
        "did",
        "not",
        "12000",
        "12000",
        "12000",
        "2.4",
        "2.4",
        "moscow's",
    ]
    facts = [t.canon for t in tokens("no 7 cannot be it, B52 on the 2nd") if t.fact]
    assert facts == ["no", "7", "not", "b52", "2nd"]


def test_evidence_snaps_the_quote_and_records_the_match() -> None:
    ev = Evidence.model_validate(
        {"quote": "The council didn't say who would pay."}, context=scope.context(Source(ARTICLE))
    )
    assert ev.quote == "The council did not say who would pay." == ARTICLE[ev.start : ev.end]
    assert ev.match is MatchKind.fuzzy
    exact = Evidence.model_validate(
        {"quote": "The council did not say who would pay.", "match": "fuzzy"},
        context=scope.context(Source(ARTICLE)),
    )
    assert exact.match is MatchKind.exact  # what the validator found, never what was sent


def test_match_is_hidden_from_the_model_and_stored_results_load_with_or_without_it() -> None:
    assert "match" not in Evidence.model_json_schema()["properties"]
    old = Evidence.model_validate({"quote": "anything", "start": 1, "end": 9}, context=scope.trusted())
    assert old.match is None
    new = Evidence.model_validate({"quote": "anything", "match": "fuzzy"}, context=scope.trusted())
    assert new.match is MatchKind.fuzzy


def test_a_compare_quote_snaps_to_its_own_source() -> None:
    from summarizer.comparison.schema import SourceQuote

    other = "Completely different text about a harbour strike that lasted nine days."
    q = SourceQuote.model_validate(
        {"source": "S1", "quote": "The council didn't say who would pay."},
        context=scope.context({"S1": Source(ARTICLE), "S2": Source(other)}),
    )
    assert (q.quote, q.match) == ("The council did not say who would pay.", MatchKind.fuzzy)
    assert ARTICLE[q.start : q.end] == q.quote


# --- property: an invented sentence never aligns --------------------------------------------------

_CONTENT = ["q" + "".join(p) for p in itertools.product("bcdfgklmnprstvz", repeat=3)][:400]
"""Made-up words, letters only (a word with a digit counts as a number); no two sentences share one."""
_NEW_WORD = "qxxx"
_FILLERS = sorted(FILLER)


@st.composite
def article_and_invention(draw: st.DrawFn) -> tuple[str, str]:
    """An article of sentences with distinct content words, and one sentence with one fact changed.

    Each sentence starts and ends with a content word of its own, so a changed sentence cannot
    reappear as a run of words that crosses into a neighbouring sentence.
    """
    n = draw(st.integers(3, 8))
    words = iter(random.Random(draw(st.integers(0, 2**32))).sample(_CONTENT, len(_CONTENT)))
    sentences: list[list[str]] = []
    numbers: set[str] = set()
    for _ in range(n):
        sentence: list[str] = [next(words)]  # content words at both ends: no sentence runs into the next
        for _ in range(draw(st.integers(4, 14))):
            kind = draw(st.sampled_from(["content", "content", "filler", "number", "not"]))
            if kind == "content":
                sentence.append(next(words))
            elif kind == "filler":
                sentence.append(draw(st.sampled_from(_FILLERS)))
            elif kind == "number":
                number = str(draw(st.integers(1, 99_999)))
                numbers.add(number)
                sentence.append(number)
            else:
                sentence.append("not")
        sentences.append([*sentence, next(words)])
    pick = draw(st.integers(0, n - 1))
    target = list(sentences[pick])
    content_at = [i for i, w in enumerate(target) if w in _CONTENT]
    change = draw(st.sampled_from(["number", "negation", "swap", "new_word", "add_number", "to_filler"]))
    if change == "number" and any(w.isdigit() for w in target):
        i = next(i for i, w in enumerate(target) if w.isdigit())
        target[i] = str(draw(st.integers(100_000, 999_999)))  # a number the article never has
    elif change == "negation":
        i = draw(st.integers(0, len(target)))
        if "not" in target:
            target.remove("not")
        else:
            target.insert(i, "not")
    elif change == "swap" and content_at and len(sentences) > 1:
        other = sentences[(pick + 1) % n]
        donor = next((w for w in other if w in _CONTENT), None)
        if donor is None:
            target.insert(len(target) // 2, _NEW_WORD)
        else:
            target[draw(st.sampled_from(content_at))] = donor  # a name from another sentence
    elif change == "to_filler" and len(content_at) > 2:
        target[content_at[1]] = draw(st.sampled_from(_FILLERS))  # a word replaced by "the", "of" ...
    elif change == "add_number":
        target.insert(draw(st.integers(0, len(target))), str(draw(st.integers(100_000, 999_999))))
    else:
        target.insert(draw(st.integers(0, len(target))), _NEW_WORD)  # a content word the article lacks
    text = "\n\n".join(" ".join(s).capitalize() + "." for s in sentences)
    return text, " ".join(target) + "."


@settings(max_examples=300, deadline=None)
@given(article_and_invention())
def test_an_invented_sentence_never_aligns(case: tuple[str, str]) -> None:
    text, invented = case
    assert invented.lower() not in text.lower()
    assert Source(text).align(invented) is None


@settings(max_examples=200, deadline=None)
@given(article_and_invention(), st.data())
def test_every_real_sentence_aligns_with_its_own_offsets(case: tuple[str, str], data: st.DataObject) -> None:
    text, _ = case
    sentences = text.split("\n\n")
    sentence = data.draw(st.sampled_from(sentences))
    found = Source(text).align(sentence.lower())  # case changed: still the same passage
    assert found is not None and found.text == sentence


def test_negations_list_is_what_the_fact_check_uses() -> None:
    assert {"not", "no", "never"} <= NEGATIONS
    assert all(t.fact for t in tokens(" ".join(sorted(NEGATIONS))))


def test_markdown_marks_a_fuzzy_match_and_shows_the_articles_words() -> None:
    from summarizer.render import _quotes

    src = scope.context(Source(ARTICLE))
    fuzzy = Evidence.model_validate({"quote": "The council didn't say who would pay."}, context=src)
    exact = Evidence.model_validate({"quote": "The council did not say who would pay."}, context=src)
    assert (
        _quotes([fuzzy])
        == f"\u201cThe council did not say who would pay.\u201d [{fuzzy.start}:{fuzzy.end}, fuzzy match]"
    )
    assert _quotes([exact]).endswith(f"[{exact.start}:{exact.end}]")
