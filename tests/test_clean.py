"""Cleaning and splitting: noise and repeated lines dropped, wrapped lines joined, one text cut into
its articles (``summarizer.clean``)."""

from __future__ import annotations

import pytest

from summarizer import ingest
from summarizer.clean import clean_lines, split_articles, unwrap

from .test_ingest import BODY, CORPUS, CORPUS_TITLES

# --- cleaning rules --------------------------------------------------------------------------

KEEP = [
    "A photo of the ferry was shared widely on social media, the harbour office said.",
    "Photographers gathered outside the court before dawn.",
    "Share prices in Brenn Harbour Holdings rose 6 percent.",
    "Comment on the proposal was not immediately available.",
    "Regulators said websites must ask before they set cookies, the agency said.",
    "Reuters reported the figure on Monday.",
    "The 20 members of the board voted in favour.",
    "Copyright law changes were discussed at the meeting.",
    "Subscribers to the service will pay 5 percent more.",
    "Yes.",
    "The Harbor Ledger — Local news",
    "By Lena Varga, Meridian Press",
]
DROP = [
    "TT",
    "20",
    "A+",
    "00:45",
    "* * *",
    "Share",
    "Share on Facebook",
    "Share this article",
    "Read more: Summer water-quality map",
    "READ MORE » Calderra's port by the numbers",
    "Advertisement",
    "Story continues below advertisement",
    "Subscribe",
    "Subscribe to our newsletter for the latest local news.",
    "We use cookies to improve your experience. Accept all",
    "By continuing to use this site you agree to our use of cookies.",
    "© 2025 The Skarvik Standard. All rights reserved.",
    "Passengers board the first night ferry at Orvik harbour. (Photo/Harbour Office)",
    "Putin speaks in Moscow, Russia, March 13, 2025. (AP Photo/Alexander Zemlianichenko)",
    "Iran's President attends a press conference in Tehran. WANA/Majid Asgaripour via Reuters",
    "Police officers stand guard in the square. REUTERS/Maxim Shemetov",
    "Cranes stand idle at the Port of Calderra on Monday. Photo: Meridian Press",
    "Photo: Skarvik Standard",
    "Photos by Ann Lee",
    "A protester holds a sign in Oslo. (File photo)",
]


@pytest.mark.parametrize("line", KEEP)
def test_content_lines_are_kept(line: str) -> None:
    assert clean_lines(["Headline of the story", "", line]) == ["Headline of the story", "", line]


@pytest.mark.parametrize("line", DROP)
def test_noise_lines_are_dropped(line: str) -> None:
    assert clean_lines(["Headline of the story", "", line, "", BODY]) == ["Headline of the story", "", BODY]


def test_first_occurrence_kept_in_order_and_whitespace_collapsed() -> None:
    lines = [
        "Alpha line here.",
        "  Beta   line here. ",
        "",
        "alpha LINE here.",
        "Gamma line.",
        "Beta line here.",
    ]
    assert clean_lines(lines) == ["Alpha line here.", "Beta line here.", "", "Gamma line."]


def test_line_printed_twice_in_a_row_is_a_caption_but_a_doubled_headline_is_kept() -> None:
    lines = ["Headline", "Headline", "", "A man walks by the sea.", "A man walks by the sea.", "", BODY]
    assert clean_lines(lines) == ["Headline", "", BODY]


IDEMPOTENCE_CASES = [
    pytest.param((CORPUS / "algae-bloom" / "varno-gazette-scrape.txt").read_text().splitlines(), id="varno"),
    pytest.param(
        (CORPUS / "singles" / "two-articles-one-file.txt").read_text().splitlines(), id="two-articles"
    ),
    pytest.param((CORPUS / "port-strike" / "harbor-ledger.md").read_text().splitlines(), id="harbor-ledger"),
    pytest.param(["TT", "Xerxes", "Xerxes", "Yonder", "", "", "Xerxes", "Yonder", "Body."], id="crumb-first"),
    pytest.param(
        ["Alpha one.", "Beta two.", "Beta two.", "Alpha one.", "", "Gamma."], id="repeat-after-doubled"
    ),
    pytest.param(["", "", "Share", "", "", "Body.", "", "", "Body.", "Share", ""], id="blank-runs"),
    pytest.param(KEEP + DROP + KEEP[::-1], id="keep-and-drop"),
]


@pytest.mark.parametrize("lines", IDEMPOTENCE_CASES)
def test_cleaning_is_idempotent(lines: list[str]) -> None:
    once = clean_lines(lines)
    assert once, "each case keeps something"
    assert clean_lines(once) == once


# --- splitting -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CORPUS_TITLES))
def test_cleaned_article_text_splits_back_into_itself(name: str) -> None:
    for article in ingest.load(str(CORPUS / name)):
        assert split_articles(article.text) == [(article.title, article.text)]


def test_single_article_with_wide_gaps_and_no_repeats_stays_one() -> None:
    text = (
        f"Ferry Fares Frozen\n\n\n\n{BODY}\n\n\n\nTickets stay at 40 crowns, the operator said on Monday.\n"
    )
    ((title, body),) = split_articles(text)
    assert title == "Ferry Fares Frozen"
    assert body == f"Ferry Fares Frozen\n\n{BODY}\n\nTickets stay at 40 crowns, the operator said on Monday."


def test_repeated_pull_quote_inside_an_article_does_not_split_it() -> None:
    quote = '"If people use it, it stays," she said.'
    text = f"Ferry Fares Frozen\n\n{BODY}\n\n\n{quote}\nShare\n\n{quote}\n\nMore body text follows here."
    ((title, body),) = split_articles(text)
    assert title == "Ferry Fares Frozen"
    assert body.count(quote) == 1 and body.endswith("More body text follows here.")


def test_text_before_the_first_repeated_title_is_kept_after_it() -> None:
    text = f"Orvik Daily\n\n\nFerry Fares Frozen\nTT\n\nFerry Fares Frozen\n\n{BODY}\n"
    assert split_articles(text) == [("Ferry Fares Frozen", f"Ferry Fares Frozen\n\nOrvik Daily\n\n{BODY}")]


def test_long_text_before_a_repeated_title_is_an_article_of_its_own() -> None:
    library = "Orvik city library will stay open until midnight from Monday until the end of the exam period."
    scrape = f"Library Hours Extended\nTT\n\nLibrary Hours Extended\n\n{library}\n"
    text = f"Ferry Fares Frozen\n\n{BODY}\n\n\n{scrape}"
    assert split_articles(text) == [
        ("Ferry Fares Frozen", f"Ferry Fares Frozen\n\n{BODY}"),
        ("Library Hours Extended", f"Library Hours Extended\n\n{library}"),
    ]


def test_unwrap_leaves_short_lines_lists_and_doubled_captions_alone() -> None:
    lines = [
        "Advice to the public, issued by the regional agency on Tuesday morning:",
        "- Do not swim or let children play in the water at the closed sites.",
        "- Keep dogs out of the water.",
        "A caption that is exactly as long as the other caption line here.",
        "A caption that is exactly as long as the other caption line here.",
    ]
    assert unwrap(lines) == lines
    assert unwrap(["Share on Facebook", "Share on X"], soft=True) == ["Share on Facebook", "Share on X"]
