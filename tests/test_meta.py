"""Article metadata and script-aware ingest (issue 12): outlet, author, date and language from a page's
metadata, a feed's keys or a text's first lines; site suffixes off titles; CJK length; credited closing
paragraphs; cp1252 pages declared as UTF-8. Every example is written for these tests."""

from __future__ import annotations

import json

import pytest

from summarizer import ingest, language, meta
from summarizer.clean import clean_lines

BODY = (
    "The Lanmere ferry resumed its winter timetable on Monday after a month of repairs to its "
    "loading ramp, the harbour board said. Crossings will run every forty minutes until March."
)


@pytest.mark.parametrize(
    ("raw", "site", "want"),
    [
        ("Ferry back on winter timetable | Lanmere Post News", None, "Ferry back on winter timetable"),
        ("Ferry back on winter timetable -- LanmerePost.net", None, "Ferry back on winter timetable"),
        ("Ferry back on winter timetable - Lanmere Post", "Lanmere Post", "Ferry back on winter timetable"),
        ("港口渡轮恢复冬季时刻表_岚湄晚报网", None, "港口渡轮恢复冬季时刻表"),
        # a dash inside a headline is the headline's own when it does not name the site
        ("Ferry back - but only until March", None, "Ferry back - but only until March"),
        ("Ferry back - but only until March", "Lanmere Post", "Ferry back - but only until March"),
    ],
)
def test_site_suffix_is_stripped_only_when_it_is_the_site(raw: str, site: str | None, want: str) -> None:
    assert meta.strip_site_suffix(raw, site) == want


def test_title_suffix_goes_and_the_headline_is_not_kept_twice() -> None:
    text = f"Ferry back on winter timetable -- LanmerePost.net\n\nBy Ada Pell, Transport Reporter\n\n{BODY}\n"
    (article,) = ingest.from_bytes(text.encode(), source="ferry.txt", kind="txt")
    assert article.title == "Ferry back on winter timetable"
    assert article.site_name == "Lanmere Post"  # from the suffix's domain, not the byline's role
    assert article.author == "Ada Pell"
    assert article.text.count("Ferry back on winter timetable") == 1


def test_byline_role_is_not_an_outlet_but_an_outlet_is() -> None:
    assert meta.from_header("T", ["By Ada Pell, Health Reporter"]).site_name is None
    assert meta.from_header("T", ["By Ada Pell, Chief Political Correspondent"]).site_name is None
    got = meta.from_header("T", ["By Ada Pell, Lanmere Press Agency"])
    assert (got.author, got.site_name) == ("Ada Pell", "Lanmere Press Agency")


@pytest.mark.parametrize(
    ("title", "lines", "site", "published"),
    [
        ("Ramp repaired", ["PRESS RELEASE — Lanmere Harbour Board", "Issued 4 November 2025"],
         "Lanmere Harbour Board", "2025-11-04"),
        ("Rampe repariert", ["Pressemitteilung der Hafenbehörde Lanmere, 4. November 2025"],
         "Hafenbehörde Lanmere", "2025-11-04"),
        ("Rampe réparée", ["Port de Lanmere — Communiqué de presse — 4 novembre 2025"],
         "Port de Lanmere", "2025-11-04"),
        ("Rampa reparada", ["Puerto de Lanmere · 4 de noviembre de 2025"], "Puerto de Lanmere", "2025-11-04"),
        ("HARBOUR FM - EVENING NEWS - 4 NOVEMBER 2025 - TRANSCRIPT", [], "Harbour FM", "2025-11-04"),
        ("Ramp repaired", ["By Ada Pell · Published Nov. 4, 2025"], None, "2025-11-04"),
        ("Ramp repaired", ["LANMERE, Nov 4 (Lanmere Press) - The ramp is fixed."], "Lanmere Press", None),
    ],
)  # fmt: skip
def test_outlet_and_date_from_the_first_lines(
    title: str, lines: list[str], site: str | None, published: str | None
) -> None:
    got = meta.from_header(title, lines)
    assert (got.site_name, got.published) == (site, published)


PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Ferry back on winter timetable | Lanmere Post Transport</title>
<meta property="og:site_name" content="Lanmere Post">
<meta name="author" content="Ada Pell">
<meta property="article:published_time" content="2025-11-04T07:10:00+00:00">
</head><body><article><h1>Ferry back on winter timetable</h1><p>{body}</p>
<p>Passengers queued from six o'clock, and the first crossing left on time, the board said.</p>
</article></body></html>"""


def test_html_metadata_reaches_the_article() -> None:
    (article,) = ingest.from_bytes(PAGE.format(body=BODY).encode(), source="p.html", kind="html")
    assert (article.site_name, article.author, article.published, article.language) == (
        "Lanmere Post",
        "Ada Pell",
        "2025-11-04",
        "en",
    )
    assert article.title == "Ferry back on winter timetable"


def test_json_feed_item_metadata_and_suffix() -> None:
    item = {
        "headline": "Ferry back on winter timetable | Lanmere Post Transport",
        "site_name": "Lanmere Post",
        "author": "Ada Pell",
        "published": "2025-11-04T07:10:00+01:00",
        "body": BODY,
    }
    (article,) = ingest.from_bytes(json.dumps(item).encode(), source="i.json", kind="json")
    assert article.title == "Ferry back on winter timetable"
    assert (article.site_name, article.author, article.published) == (
        "Lanmere Post",
        "Ada Pell",
        "2025-11-04",
    )


def test_cjk_pages_are_long_enough_by_characters() -> None:
    zh = (
        "岚湄港渡轮恢复冬季时刻表\n\n岚湄港务局周一表示，经过一个月的坡道维修，渡轮已恢复冬季时刻表，"
        "每四十分钟一班，直到三月。乘客从清晨六点开始排队，首班船准时出发。\n"
    )
    (article,) = ingest.from_bytes(zh.encode(), source="zh.txt", kind="txt")
    assert article.word_count >= 30
    assert article.language == "zh"
    assert language.detect("渡し船は月曜日に冬のダイヤに戻った。乗客は朝六時から並んだ。") == "ja"
    with pytest.raises(Exception, match="too short"):
        ingest.from_bytes("岚湄港渡轮\n\n渡轮恢复了。\n".encode(), source="short.txt", kind="txt")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (BODY, "en"),
        ("Die Fähre fährt seit Montag wieder nach dem Winterfahrplan, teilte die Hafenbehörde mit.", "de"),
        ("Le ferry a repris lundi ses horaires d'hiver après un mois de travaux sur la rampe.", "fr"),
        ("El ferry volvió el lunes a su horario de invierno tras un mes de obras en la rampa.", "es"),
    ],
)
def test_language_of_latin_script_text(text: str, code: str) -> None:
    assert language.detect(text) == code


def test_a_long_closing_paragraph_with_an_agency_credit_is_kept_and_a_caption_is_not() -> None:
    closing = (
        "The board, which carried 410,000 passengers last year, will keep the old ramp as a spare and "
        "plans to replace the second one next winter once the timetable allows it, said its chair, "
        "Ruth Oyelaran. (c)AFP/Ada Pell"
    )
    caption = "The ferry leaves Lanmere harbour on Monday. (c)AFP/Ada Pell"
    got = clean_lines(["Ferry back", "", caption, "", closing])
    assert got == ["Ferry back", "", closing.removesuffix(" (c)AFP/Ada Pell")]


def test_cp1252_page_declared_utf8_decodes_as_cp1252() -> None:
    page = (
        '<html><head><meta charset="utf-8"><title>Caf\u00e9 reopens</title></head><body><article>'
        "<p>\u201cIt\u2019s been a long year,\u201d said Zo\u00eb Marr, who sells p\u00e2t\u00e9 and "
        "\u0153ufs en meurette beside the caf\u00e9 on the quay, where the ferry now stops again.</p>"
        "<p>The caf\u00e9\u2019s owner said the new kitchen had doubled the number of covers to sixty.</p>"
        "</article></body></html>"
    )
    (article,) = ingest.from_bytes(page.encode("cp1252"), source="c.html", kind="html")
    assert "\u0153ufs en meurette" in article.text
    assert "\u201cIt\u2019s been a long year,\u201d" in article.text


def test_central_european_text_still_decodes_as_cp1250() -> None:
    text = (
        "Prom wrócił w poniedziałek do zimowego rozkładu po miesiącu napraw rampy, poinformował zarząd "
        "portu. Pasażerowie ustawiali się w kolejce od szóstej rano, a pierwszy rejs odpłynął punktualnie. "
        "Źródło: zarząd portu w Łańcucie, który zapowiedział dalsze prace przy nabrzeżu."
    )
    (article,) = ingest.from_bytes(f"Prom wrócił\n\n{text}\n".encode("cp1250"), source="pl.txt", kind="txt")
    assert "Źródło" in article.text and "Łańcucie" in article.text
