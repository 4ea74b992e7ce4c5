"""Ingest: reading, decoding, formats, noise removal, splitting, and every rejection."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest

from summarizer import ingest
from summarizer.article import Article
from summarizer.clean import MIN_ARTICLE_WORDS, is_noise
from summarizer.errors import InputError
from summarizer.grounding import Source

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "data" / "corpus"
DATA = TESTS / "data" / "ingest"
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_93d3a7aa106f1c6c.txt"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))

BODY = (
    "The Orvik harbour office said on Friday that the new night ferry carried more than two thousand "
    "passengers in its first month, well above the number it had planned for."
)


def paragraphs(article: Article) -> list[str]:
    return article.text.split("\n\n")


def load_error(source: str | Path, **kwargs: Any) -> str:
    with pytest.raises(InputError) as info:
        ingest.load(str(source), **kwargs)
    return str(info.value)


def bytes_error(data: bytes, **kwargs: Any) -> str:
    with pytest.raises(InputError) as info:
        ingest.from_bytes(data, source="upload.bin", **kwargs)
    return str(info.value)


# --- the corpus ------------------------------------------------------------------------------

CORPUS_TITLES = {
    "algae-bloom/environment-agency-release.txt": ["Bathing ban at six Lake Varno beaches"],
    "algae-bloom/north-valley-broadcast.txt": ["Toxic algae closes six Lake Varno beaches"],
    "algae-bloom/varno-gazette-scrape.txt": ["Eight Beaches Shut as Algae Bloom Spreads Across Lake Varno"],
    "port-strike/calderra-evening-post.html": ["Port of Calderra shut as 12,000 dockworkers strike"],
    "port-strike/harbor-ledger.md": ["Strike empties Calderra docks; talks to resume Thursday"],
    "port-strike/ledgerline-markets.txt": [
        "Calderra port strike could cost economy €30 million a day, analyst says"
    ],
    "port-strike/meridian-press-wire.txt": [
        "Dockworkers Strike Shuts Port of Calderra as Pay Talks Collapse"
    ],
    "singles/template-and-delimiters.txt": ["Council Publishes Budget Template After Software Glitch"],
    "singles/two-articles-one-file.txt": [
        "Orvik Opens Night Ferry to Islands",
        "Library Extends Opening Hours for Exam Season",
    ],
}


@pytest.mark.parametrize(("name", "titles"), sorted(CORPUS_TITLES.items()))
def test_corpus_file_gives_its_articles_with_titles_first(name: str, titles: list[str]) -> None:
    path = str(CORPUS / name)
    articles = ingest.load(path)
    assert [a.title for a in articles] == titles
    assert [(a.source, a.index) for a in articles] == [(path, i) for i in range(len(titles))]
    for article in articles:
        assert paragraphs(article)[0] == article.title
        assert article.text.count(article.title) == 1
        assert article.word_count >= MIN_ARTICLE_WORDS
        assert "\n\n\n" not in article.text and article.text == article.text.strip()


QUOTES = [
    (story, item["answered_by"], item["quote"])
    for story, info in EXPECTED["stories"].items()
    for item in info["open_questions_resolved_across_sources"]
]


@pytest.mark.parametrize(("story", "name", "quote"), QUOTES)
def test_expected_quotes_occur_in_the_cleaned_text(story: str, name: str, quote: str) -> None:
    articles = ingest.load(str(CORPUS / story / name))
    assert len(articles) == 1
    assert Source(articles[0].text).locate(quote) is not None


def test_cp1252_file_decodes_euro_and_curly_quotes() -> None:
    (article,) = ingest.load(str(CORPUS / "port-strike" / "ledgerline-markets.txt"))
    assert "about €30 million a day in delayed cargo" in article.text
    assert "“Car parts and chemicals can’t wait two weeks for a berth.”" in article.text
    assert "\ufffd" not in article.text


def test_utf16_file_with_bom_decodes() -> None:
    (article,) = ingest.load(str(CORPUS / "algae-bloom" / "environment-agency-release.txt"))
    assert "microcystin at up to 28 micrograms per litre" in article.text
    assert "\ufeff" not in article.text and "\x00" not in article.text
    # The "PRESS RELEASE" label line is kept, after the real headline.
    assert paragraphs(article)[:2] == [
        "Bathing ban at six Lake Varno beaches",
        "PRESS RELEASE — Regional Environment Agency",
    ]
    assert "- Keep dogs out of the water and away from scum along the shore." in paragraphs(article)


def test_html_keeps_every_body_paragraph_and_drops_page_furniture() -> None:
    (article,) = ingest.load(str(CORPUS / "port-strike" / "calderra-evening-post.html"))
    paras = paragraphs(article)
    assert [p.split()[:3] for p in paras[1:]] == [
        ["About", "12,000", "dockworkers"],
        ["The", "Coastal", "Transport"],
        ["“We", "did", "not"],
        ["The", "Calderra", "Port"],
        ["No", "date", "has"],
        ["Shipping", "lines", "began"],
        ["The", "last", "strike"],
    ]
    assert "what it called “a serious offer.”" in article.text
    for junk in (
        "cookies",
        "Accept all",
        "Most read",
        "tram line",
        "Advertisement",
        "Contact",
        "©",
        "Photo:",
    ):
        assert junk not in article.text


def test_scrape_loses_repeated_title_captions_and_crumbs() -> None:
    (article,) = ingest.load(str(CORPUS / "algae-bloom" / "varno-gazette-scrape.txt"))
    paras = paragraphs(article)
    assert len(paras) == 6
    assert paras[1].startswith("Eight beaches around Lake Varno were closed on Tuesday")
    assert paras[-1] == "The agency has not said when the beaches might reopen."
    assert "warning sign" not in article.text
    for crumb in ("TT", "20", "Share", "Read more:"):
        assert crumb not in paras


def test_markdown_heading_becomes_the_title_and_markers_go() -> None:
    (article,) = ingest.load(str(CORPUS / "port-strike" / "harbor-ledger.md"))
    paras = paragraphs(article)
    assert paras[1] == "The Harbor Ledger — Local news"
    assert "#" not in article.text and "*" not in article.text
    assert "Share on" not in article.text and "Read more" not in article.text
    assert paras[-1].startswith("Local shop owners near the docks said trade had already dropped.")


def test_markdown_fixture_joins_soft_wraps_and_strips_inline_markup() -> None:
    (article,) = ingest.load(str(DATA / "feature.md"))
    assert paragraphs(article) == [
        "Fenwick Schools Add Free Breakfast Programme",
        "The Fenwick Courier — Weekly edition",
        "Every primary school in Fenwick will serve a free breakfast from September, the education board "
        "said on Thursday, after a pilot at two schools raised attendance.",
        "What the pilot found",
        'Head teacher Ola Brandt said pupils at her school were "calmer and more ready to learn" during the '
        "pilot. The board did not say how much the programme would cost each year.",
        "Parents can sign up through their school office until the end of July.",
    ]


def test_markdown_setext_heading_and_front_matter_title() -> None:
    setext = f"Ferry Fares Frozen\n==================\n\n{BODY}\n"
    assert ingest.from_bytes(setext.encode(), source="a.md", kind="md")[0].title == "Ferry Fares Frozen"
    front = f'---\ntitle: "Ferry Fares Frozen"\n---\n\n{BODY}\n'
    (article,) = ingest.from_bytes(front.encode(), source="b.md")  # sniffed as Markdown
    assert paragraphs(article) == ["Ferry Fares Frozen", BODY]


def test_html_fixture_title_from_metadata_and_sentence_about_a_photo_kept() -> None:
    (article,) = ingest.load(str(DATA / "page.html"))
    assert article.title == "Wind farm approved off Skarvik coast"
    assert len(paragraphs(article)) == 5
    assert paragraphs(article)[-1].startswith("A photo of the proposed site was shown at the hearing")
    for junk in ("cookies", "Home", "Most read", "Advertisement", "All rights reserved", "Photo: Skarvik"):
        assert junk not in article.text


def test_plain_text_hard_wraps_are_rejoined() -> None:
    (article,) = ingest.load(str(DATA / "wrapped.txt"))
    assert paragraphs(article) == [
        "Tidewater Council Delays Vote on Harbour Bridge Repairs",
        "The Tidewater town council postponed a vote on repairs to the old harbour bridge on Tuesday, "
        "saying engineers needed another month to finish their survey of the steel supports.",
        'Council leader Maja Holm said the bridge remained safe for cars and pedestrians. "Nobody should '
        'worry about crossing it today," she said.',
        "The repairs are expected to cost between 4 and 6 million crowns. The council has not said how it "
        "would pay for them.",
    ]


# --- the seed (real third-party text: read in place, never copied) ---------------------------


def test_seed_splits_into_its_two_articles() -> None:
    if not SEED.is_file():
        pytest.skip(f"seed not found at {SEED}")
    first, second = ingest.load(str(SEED))
    assert first.title == "Kremlin Says No Date Yet for Iranian President’s Visit to Russia"
    assert second.title == (
        "Kremlin Says Putin Sent Trump a Message on Ukraine Ceasefire Idea, Talks of 'Cautious Optimism'"
    )
    assert (first.label, second.label) == (str(SEED), f"{SEED}#2")
    for article in (first, second):
        assert article.text.count(article.title) == 1
        for para in paragraphs(article):
            assert not is_noise(para)
            assert "via Reuters" not in para and "(AP Photo/" not in para
            assert para not in ("TT", "20")
    assert '"Such a visit is being prepared, preparations are underway,"' in first.text
    assert paragraphs(first)[-1].startswith("President Vladimir Putin and Pezeshkian discussed")
    assert len(paragraphs(first)) == 1 + 8
    assert "cautiously optimistic" in second.text
    assert "cautiously optimistic" not in first.text and "Pezeshkian" not in second.text
    assert paragraphs(second)[-1].startswith("Peskov said Russia and the US would work out the timing")
    assert len(paragraphs(second)) == 1 + 6


# --- encodings -------------------------------------------------------------------------------

ARTICLE = (
    "Café owners in Orvik welcome €12 million grant\n\n"
    "The city’s “small business fund” will pay out €12 million this year – more than twice last year’s "
    "amount – to cafés and shops on the waterfront, the council said on Monday."
)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(ARTICLE.encode("utf-8"), id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), id="utf-8-bom"),
        pytest.param(codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(ARTICLE.encode("cp1252"), id="cp1252"),
    ],
)
def test_encodings_decode_to_the_same_text(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    (article,) = ingest.load(str(path))
    assert article.title == "Café owners in Orvik welcome €12 million grant"
    assert article.text == ARTICLE


def test_other_legacy_encoding_via_charset_normalizer() -> None:
    text = (
        "Городской совет Орвика утвердил бюджет\n\n"
        "Городской совет Орвика в среду утвердил новый бюджет. Расходы на школы вырастут на пять процентов, "
        "сообщила пресс-служба совета. Депутаты проголосуют за окончательный вариант в декабре."
    )
    (article,) = ingest.from_bytes(text.encode("cp1251"), source="ru.txt", kind="txt")
    assert article.text == text


def test_decomposed_accents_are_normalised_to_nfc() -> None:
    (article,) = ingest.from_bytes(ARTICLE.replace("é", "e\u0301").encode(), source="nfd.txt")
    assert article.text == ARTICLE


# --- JSON ------------------------------------------------------------------------------------


def test_json_list_gives_one_article_per_object() -> None:
    first, second = ingest.load(str(DATA / "two.json"))
    assert first.title == "Brightwater Opens Second Recycling Centre"
    assert second.title == "Brightwater Bus Fares to Rise in March"  # from "headline"
    assert (
        paragraphs(first)[-1]
        == "The centre accepts furniture, electronics and garden waste. It is open six days a week."
    )
    assert "A single ticket will cost 32 crowns." in second.text
    assert (first.index, second.index) == (0, 1)


def test_json_object_without_title_uses_first_line_and_html_body_is_extracted() -> None:
    html = f"<p>Ferry Fares Frozen</p><p>{BODY}</p><p>Advertisement</p><p>Tickets stay at 40 crowns.</p>"
    doc = {"content": html}
    (article,) = ingest.from_bytes(json.dumps(doc).encode(), source="api.json")
    assert paragraphs(article) == ["Ferry Fares Frozen", BODY, "Tickets stay at 40 crowns."]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ('{"text": "unterminated', "invalid JSON: Unterminated string"),
        ('{"title": "Only a title"}', 'the JSON has no non-empty text; expected an object with a "text"'),
        ('{"text": 42}', "the JSON has no non-empty text"),
        ("[]", "the JSON list is empty"),
        ("[1, 2]", "JSON item 1 is a int; expected an object"),
        (f'[{{"text": "{BODY}"}}, {{"body": "  "}}]', "JSON item 2 has no non-empty text"),
    ],
)
def test_bad_json_is_rejected_with_the_reason(payload: str, reason: str) -> None:
    with pytest.raises(InputError) as info:
        ingest.from_bytes(payload.encode(), source="feed.json", kind="json")
    assert str(info.value).startswith(f"feed.json: {reason}")


# --- format sniffing and kinds ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "title"),
    [
        ("page.html", "Wind farm approved off Skarvik coast"),
        ("two.json", "Brightwater Opens Second Recycling Centre"),
        ("feature.md", "Fenwick Schools Add Free Breakfast Programme"),
        ("wrapped.txt", "Tidewater Council Delays Vote on Harbour Bridge Repairs"),
    ],
)
def test_kind_is_sniffed_when_not_given(fixture: str, title: str) -> None:
    articles = ingest.from_bytes((DATA / fixture).read_bytes(), source="-")
    assert articles[0].title == title
    assert "<" not in articles[0].text and "**" not in articles[0].text


def test_txt_file_holding_an_html_document_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "saved-page.txt"
    path.write_bytes((DATA / "page.html").read_bytes())
    (article,) = ingest.load(str(path))
    assert article.title == "Wind farm approved off Skarvik coast" and "<p>" not in article.text


def test_unknown_kind_is_an_input_error() -> None:
    assert (
        bytes_error(BODY.encode(), kind="pdf")
        == "upload.bin: unknown input kind 'pdf'; use one of txt, md, html, json"
    )


# --- bad input -------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    assert load_error(path) == f"{path}: file not found"


def test_directory(tmp_path: Path) -> None:
    assert load_error(tmp_path) == f"{tmp_path}: is a directory, not a file"


def test_empty_file() -> None:
    path = CORPUS / "singles" / "empty.txt"
    assert load_error(path) == f"{path}: empty: there is no text to summarize"


def test_whitespace_only_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_bytes(codecs.BOM_UTF8 + b"  \n\r\n\t\n")
    assert load_error(path) == f"{path}: empty: there is no text to summarize"


def test_boilerplate_only() -> None:
    path = CORPUS / "singles" / "only-boilerplate.txt"
    assert load_error(path).startswith(f"{path}: nothing left after removing boilerplate")


def test_png_named_txt_is_binary() -> None:
    path = CORPUS / "singles" / "photo.txt"
    assert load_error(path) == f"{path}: binary, not text: this is a PNG image"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n" + BODY.encode(), "binary, not text: this is a PDF document"),
        (BODY.encode() + b"\x00\x00" + BODY.encode(), "binary, not text: contains NUL bytes"),
        (b"\x01\x02\x03\x04 ab" * 40, "binary, not text (160 control characters)"),
        (bytes(range(128, 256)) * 3, "cannot decode: not UTF-8, and no other text encoding fits"),
        (
            codecs.BOM_UTF16_LE + b"A\x00\x00\xd8",
            "cannot decode: invalid UTF-16-LE after its byte-order mark",
        ),
    ],
)
def test_binary_and_undecodable_bytes(data: bytes, reason: str) -> None:
    assert bytes_error(data).startswith(f"upload.bin: {reason}")


def test_too_large_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_text(BODY * 10, encoding="utf-8")
    size = path.stat().st_size

    def no_open(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the file was opened although its size is over the limit")

    monkeypatch.setattr(Path, "open", no_open)
    assert load_error(path, max_bytes=100) == (
        f"{path}: too large: {size:,} bytes, over the limit of 100 bytes "
        "(raise the limit if this is intended)"
    )


def _stat_says(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Make ``Path.stat`` report ``size`` bytes: a file that grew after it was looked at."""
    real = Path.stat

    def smaller(self: Path, *args: Any, **kwargs: Any) -> Any:
        info = real(self, *args, **kwargs)
        fields = list(info)
        fields[6] = size  # st_size
        return type(info)(fields)

    monkeypatch.setattr(Path, "stat", smaller)


def test_a_file_longer_than_its_stat_size_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.txt"
    text = f"Ferry numbers rise\n\n{BODY} {BODY}\n\nThe office will publish the figures in May."
    path.write_text(text, encoding="utf-8")
    _stat_says(monkeypatch, 10)  # a file is read at its size: the rest must still be read
    (article,) = ingest.load(str(path), max_bytes=10_000)
    assert article.text.endswith("The office will publish the figures in May.")


def test_a_file_that_grew_past_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "growing.txt"
    path.write_text(BODY * 10, encoding="utf-8")
    _stat_says(monkeypatch, 10)
    assert load_error(path, max_bytes=100) == (
        f"{path}: too large: over the limit of 100 bytes (raise the limit if this is intended)"
    )


def test_too_large_bytes() -> None:
    assert bytes_error(BODY.encode(), max_bytes=50).startswith(
        "upload.bin: too large: over the limit of 50 bytes"
    )


def test_too_short_after_cleaning(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text("Ferry late\n\nThe ferry was late again.\nShare\nTT\n20\n", encoding="utf-8")
    assert (
        load_error(path) == f"{path}: too short to be an article: 7 words after cleaning (at least 20 needed)"
    )


def test_too_short_article_inside_a_list_is_named(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([{"text": f"Long one\n\n{BODY}"}, {"title": "Tiny", "text": "Two words"}]))
    assert load_error(path).startswith(f"{path}: article 2 ('Tiny') is too short to be an article: 3 words")
