"""Markdown input read through markdown-it's token stream: the cases line regexes got wrong.

Each input is a short fictional article; the assertions are on the cleaned
article paragraphs ingest hands to an engine (the corpus and fixture files
are covered in test_ingest.py).
"""

from __future__ import annotations

import subprocess
import sys

from summarizer import ingest
from summarizer.article import Article

BODY = (
    "The Orvik harbour office said on Friday that the new night ferry carried more than two thousand "
    "passengers in its first month, well above the number it had planned for."
)


def read(markdown: str) -> Article:
    (article,) = ingest.from_bytes(markdown.encode(), source="story.md", kind="md")
    return article


def paragraphs(markdown: str) -> list[str]:
    return read(markdown).text.split("\n\n")


def test_nested_emphasis_is_reduced_to_its_text() -> None:
    text = "The **council _did not_ vote** on ***Tuesday***, and *the mayor **never** said why*."
    assert paragraphs(f"# Vote delayed\n\n{BODY}\n\n{text}\n") == [
        "Vote delayed",
        BODY,
        "The council did not vote on Tuesday, and the mayor never said why.",
    ]


def test_a_link_whose_address_holds_parentheses_keeps_only_its_text() -> None:
    md = (
        f"# Port report\n\n{BODY} See [the harbour report](https://example.org/wiki/Port_(Orvik)) for more.\n"
    )
    assert paragraphs(md)[1] == f"{BODY} See the harbour report for more."


def test_a_setext_heading_over_two_lines_is_the_whole_title() -> None:
    md = (
        f"Ferry Fares\nFrozen for Winter\n=================\n\n{BODY}\n\n"
        "What changes\n------------\n\nThe winter timetable ends in March.\n"
    )
    assert paragraphs(md) == [
        "Ferry Fares Frozen for Winter",
        BODY,
        "What changes",
        "The winter timetable ends in March.",
    ]


def test_reference_links_and_their_definitions() -> None:
    md = (
        f"# Talks resume\n\n{BODY} [The council][minutes] and [the union] agreed.\n\n"
        '[minutes]: https://example.org/council\n  "Council minutes, 3 May"\n'
        "[the union]: <https://example.org/union>\n"
    )
    assert paragraphs(md) == ["Talks resume", f"{BODY} The council and the union agreed."]


def test_html_inside_markdown_gives_its_text_only() -> None:
    md = (
        "# Bridge to reopen\n\n"
        '<div class="caption">Photo: Orvik Harbour Office</div>\n\n'
        "<!-- tracking pixel -->\n\n"
        f"{BODY}\n\n"
        "The mayor <b>said</b> the bridge would reopen<br>on <span class='day'>Monday</span>"
        " &amp; stay open.\n\n"
        "<script>document.write('ad')</script>\n\n"
        "<p>Repairs cost 2 million crowns.</p>\n<p>The council paid half.</p>\n"
    )
    assert paragraphs(md) == [
        "Bridge to reopen",
        BODY,
        "The mayor said the bridge would reopen on Monday & stay open.",
        "Repairs cost 2 million crowns.",
        "The council paid half.",
    ]


def test_images_go_even_inside_links_and_code_stays_literal() -> None:
    md = (
        f"# Night ferry\n\n[![Orvik logo](logo.png)](https://example.org) {BODY}\n\n"
        "Type `**FERRY**` to the number *or* call.\n\n```\nTimetable *draft*\nsubject to change\n```\n"
    )
    assert paragraphs(md) == [
        "Night ferry",
        BODY,
        "Type **FERRY** to the number or call.",
        "Timetable *draft* subject to change",
    ]


def test_block_quotes_lists_and_tables() -> None:
    md = (
        f"# Ferry plan\n\n> > {BODY}\n> The harbour office agreed.\n\n"
        "- Night sailings\n- Two stops,\n  both on the islands\n\n3. Fares frozen\n4. Bikes free\n\n"
        "| Route | Sailings |\n|---|---|\n| Orvik–Holm | 4 |\n"
    )
    assert paragraphs(md) == [
        "Ferry plan",
        f"{BODY} The harbour office agreed.",
        "- Night sailings",
        "- Two stops, both on the islands",
        "3. Fares frozen",
        "4. Bikes free",
        "Route | Sailings",
        "Orvik–Holm | 4",
    ]


def test_markdown_it_is_imported_only_when_markdown_is_read() -> None:
    code = (
        "import sys\nfrom summarizer import ingest\nbefore = 'markdown_it' in sys.modules\n"
        f"ingest.from_bytes({BODY!r}.encode(), source='a.txt', kind='txt')\n"
        "plain = 'markdown_it' in sys.modules\n"
        f"ingest.from_bytes(('# T' + chr(10) * 2 + {BODY!r}).encode(), source='a.md', kind='md')\n"
        "print(before, plain, 'markdown_it' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["False", "False", "True"]
