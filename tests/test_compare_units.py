"""The comparators' terms: Snowball stems, numbers as digits, compounds counted as their tails."""

from __future__ import annotations

import pytest

from summarizer.comparison.quantity import quantities
from summarizer.comparison.units import TermSpace, cosine, stem, terms


def test_inflections_share_one_stem() -> None:
    for words in ("run runs running", "swim swimming", "close closed closes closing", "ship ships shipping"):
        assert len(set(terms(words))) == 1, (words, terms(words))
    assert terms("ordering offered") == ["order", "offer"]


def test_news_is_not_new() -> None:
    # The crude stemmer cut a final "s" from any word longer than three letters.
    assert terms("news") != terms("new")


def test_numbers_are_digits_and_stop_words_go() -> None:
    assert terms("Six of the dockworkers and 12,000 workers said so.") == ["6", "dockwork", "12000", "worker"]


def test_a_compound_also_counts_as_its_tail() -> None:
    # Snowball stems "dockworkers" to "dockwork" and "workers" to "worker": the tail is found on the words.
    space = TermSpace(["About 12,000 dockworkers walked out.", "Some 15,000 port workers walked out."])
    assert "worker" in space.bag("12,000 dockworkers")
    unrelated = TermSpace(["About 12,000 dockworkers walked out.", "Port traffic stopped."])
    assert "worker" not in unrelated.bag("12,000 dockworkers")
    assert cosine(space.vector("dockworkers"), space.vector("port workers")) > 0


def test_quantity_keys_are_stems_and_keep_the_word_for_compounds() -> None:
    (q,) = quantities("About 12,000 dockworkers walked out")
    assert (q.value, q.unit, q.key, q.form) == (12000, "dockworkers", "dockwork", "dockworker")


def test_the_language_picks_the_snowball_algorithm() -> None:
    assert stem("streikten", "german") == "streikt" and stem("arbeiter", "german") == "arbeit"
    assert terms("grèves", language="french") == ["grev"]
    space = TermSpace(["Die Arbeiter streikten.", "Die Hafenarbeiter streiken."], language="german")
    assert "arbeit" in space.bag("Hafenarbeiter")
    with pytest.raises(ValueError, match="no Snowball stemmer for 'klingon'; known: arabic"):
        stem("qapla", "klingon")
