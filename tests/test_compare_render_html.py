"""The comparison's HTML report: every link target exists once, every quote links to its marked
passage in its own source, untrusted text is shown literally, nothing loads from outside, the same
sections and wording as the Markdown; optionally rendered in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest

from summarizer import scope
from summarizer.comparison.render import to_html
from summarizer.comparison.render_html import nest_spans
from summarizer.comparison.schema import Comparison
from summarizer.grounding import normalise

from .test_compare_render import (
    FRAMING_S1,
    LEDGER,
    PRICE,
    PRICE_LONG,
    ROOT,
    SHARED_S1,
    TEXTS,
    WIRE,
    comparison_data,
    make_report,
    q,
)

# --- HTML ---------------------------------------------------------------------------------------


class Page(HTMLParser):
    """Ids, links, mark texts, external references and the script/article elements of a page."""

    VOID: ClassVar[set[str]] = {"meta", "link", "br", "img", "input", "hr", "source", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[tuple[str, str, str]] = []  # (href, class, text)
        self.marks: dict[str, str] = {}
        self.mark_parent_article: dict[str, str] = {}
        self.tags: list[str] = []
        self.metas: list[dict[str, str]] = []
        self.attrs_seen: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self._open: list[tuple[str, str]] = []
        self._mark_text: dict[str, list[str]] = {}
        self._link: list[Any] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        self.attrs_seen += [(tag, k, v) for k, v in a.items()]
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "meta":
            self.metas.append(a)
        if tag == "a" and a.get("href", "").startswith("#"):
            self._link = [a["href"], a.get("class", ""), []]
        if tag == "mark":
            self._mark_text[a["id"]] = []
            self.mark_parent_article[a["id"]] = next(
                (i for t, i in reversed(self._open) if t == "article"), ""
            )
        if tag not in self.VOID:
            self._open.append((tag, a.get("id", "")))

    def handle_endtag(self, tag: str) -> None:
        self.tags.append("/" + tag)
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], self._link[1], "".join(self._link[2])))
            self._link = None
        open_tag, ident = self._open.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>: the page is not well nested"
        if tag == "mark":
            self.marks[ident] = "".join(self._mark_text.pop(ident))

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._link is not None:
            self._link[2].append(data)
        for parts in self._mark_text.values():
            parts.append(data)


def mark_span(ident: str) -> tuple[str, int, int]:
    sid, start, end = ident.rsplit("-", 2)
    return sid, int(start), int(end)


@pytest.fixture(scope="module")
def page() -> Page:
    return Page(to_html(make_report()))


def test_html_every_link_target_exists_exactly_once(page: Page) -> None:
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    assert page.links
    for href, _, _ in page.links:
        assert page.ids.count(href[1:]) == 1, href


def test_html_every_quote_links_to_its_marked_passage(page: Page) -> None:
    quotes = make_report().comparison.all_quotes()
    quote_links = [(href, text) for href, cls, text in page.links if cls == "quote"]
    assert len(quote_links) == len(quotes)
    merged = 0
    for href, text in quote_links:
        sid = mark_span(href[1:])[0]
        quote = next(
            x for x in quotes if x.source == sid and normalise(x.quote) == normalise(text.strip("“”"))
        )
        marked = page.marks[href[1:]]
        if href == f"#{sid}-{quote.start}-{quote.end}":
            assert normalise(marked) == normalise(quote.quote)
        else:  # crossing quotes share one mark over their union
            merged += 1
            assert normalise(quote.quote) in normalise(marked)
    assert merged == 2  # SHARED_S1 and FRAMING_S1 in S1


def test_html_each_mark_wraps_exactly_its_offsets_in_its_own_source(page: Page) -> None:
    assert page.marks
    for ident, marked in page.marks.items():
        sid, start, end = mark_span(ident)
        assert marked == TEXTS[sid][start:end]
        assert page.mark_parent_article[ident] == f"src-{sid}"


def test_html_overlapping_quotes_nest_or_merge(page: Page) -> None:
    s1 = {mark_span(i)[1:] for i in page.marks if i.startswith("S1-")}
    start = WIRE.index(SHARED_S1)
    union = (start, WIRE.index(FRAMING_S1) + len(FRAMING_S1))
    assert union in s1 and (start, start + len(SHARED_S1)) not in s1
    # PRICE lies inside PRICE_LONG: two marks, the short one nested in the long one.
    price = LEDGER.index(PRICE)
    assert f"S2-{price}-{price + len(PRICE)}" in page.marks
    assert f"S2-{price}-{price + len(PRICE_LONG)}" in page.marks
    html = to_html(make_report())
    assert f'<mark id="S2-{price}-{price + len(PRICE_LONG)}"' in html
    assert re.search(rf'<mark id="S2-{price}-{price + len(PRICE_LONG)}"[^>]*><mark id="S2-{price}-', html)


def test_nest_spans_merges_only_crossing_spans() -> None:
    assert nest_spans([(0, 10), (5, 15), (12, 20), (30, 40), (32, 35), (32, 35), (50, 50)]) == [
        (0, 20),
        (30, 40),
        (32, 35),
    ]
    assert nest_spans([(0, 5), (5, 9), (0, 9)]) == [(0, 9), (0, 5), (5, 9)]


def test_html_article_text_is_escaped(page: Page) -> None:
    html = to_html(make_report())
    assert "script" not in {t.lstrip("/") for t in page.tags}
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "".join(page.text).count("<script>alert(1)</script>") >= 2  # the quote and the source text
    assert page.tags.count("article") == page.tags.count("/article") == 3
    assert "&lt;live&gt;" in html and "&lt;b&gt;snippet&lt;/b&gt;" in html


INJECTED = "{{ 7*7 }} and {% raw %}{{ config }}{% endraw %} and <script>alert(2)</script>"


def test_html_template_syntax_and_markup_in_a_source_are_shown_literally() -> None:
    # Article text, titles, outlets and model output are template *data*: Jinja syntax in them is
    # never evaluated ({{ 7*7 }} stays, never 49; {% raw %} stays) and markup is escaped.
    texts = {**TEXTS, "S2": f"{LEDGER}\n\nA reader wrote {INJECTED} in the comments."}
    data = comparison_data()
    data["unique_facts"].append({"fact": f"A reader wrote {INJECTED}.", "evidence": q("S2", INJECTED)})
    report = make_report(data, texts=texts, s2=("Ledger {{ 7*7 }}", f"Title {INJECTED}"))
    html = to_html(report)
    page = Page(html)
    shown = "".join(page.text)
    # the table's title cell, the source text's heading and body, the fact and its quote
    assert shown.count(INJECTED) == 5
    assert shown.count(f"A reader wrote {INJECTED} in the comments.") == 1
    assert "Ledger {{ 7*7 }}" in shown and "Ledger 49" not in shown and "Title 49" not in shown
    assert "<script" not in html and "script" not in {t.lstrip("/") for t in page.tags}
    assert "{% raw %}{{ config }}{% endraw %} and &lt;script&gt;alert(2)&lt;/script&gt;" in html
    (link,) = [text for _, cls, text in page.links if cls == "quote" and "7*7" in text]
    assert link == f"“{INJECTED}”"


def test_html_loads_nothing_from_outside(page: Page) -> None:
    html = to_html(make_report())
    for tag, name, value in page.attrs_seen:
        if name in {"src", "href", "srcset", "action", "poster", "data", "formaction"}:
            assert not re.match(r"\s*(https?:|//|ftp:|ws)", value, flags=re.I), (tag, name, value)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(page.tags)
    assert "url(" not in html and "@import" not in html


def test_html_head_declares_csp_and_generator(page: Page) -> None:
    csp = [m for m in page.metas if m.get("http-equiv", "").lower() == "content-security-policy"]
    assert len(csp) == 1
    assert "default-src 'none'" in csp[0]["content"] and "style-src 'unsafe-inline'" in csp[0]["content"]
    generator = [m["content"] for m in page.metas if m.get("name") == "generator"]
    assert generator and generator[0].startswith("summarizer ")


def test_html_shows_the_same_sections_and_wording_as_markdown(page: Page) -> None:
    text = " ".join(" ".join(page.text).split())
    for heading in ("Sources", "Shared facts", "Conflicts", "Unique facts", "Framing", "Wire copies"):
        assert heading in text
    assert "Open questions across sources" in text
    assert "one origin, several outlets: counts as one confirmation" in text
    assert "Reported by S1, S2, S3: 2 independent (S1 and S3 are one wire text, counted once)." in text
    assert "Engine: offline (no LLM was used)" in text
    assert "Partly answered by" in text and "partly answered" in text


def test_html_quotes_without_offsets_are_shown_unlinked() -> None:
    report = make_report()
    trusted = Comparison.model_validate(
        {
            **comparison_data(),
            "shared_facts": [{"fact": "x", "support": [q("S1", "no such words"), q("S2", "x")]}],
        },
        context=scope.trusted(),
    )
    html = to_html(report.model_copy(update={"comparison": trusted}))
    page = Page(html)
    assert "“no such words”" in "".join(page.text)
    assert all(text != "“no such words”" for _, _, text in page.links)
    for href, _, _ in page.links:
        assert page.ids.count(href[1:]) == 1


# --- Browser (optional) -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="Chromium not installed (apt-get install -y chromium); the headless-browser check is optional",
)
def test_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(to_html(make_report()), encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "check_html.py"),
            str(report),
            "--screenshot",
            str(tmp_path / "s.png"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("OK: ")


def test_html_a_unique_fact_that_is_its_quote_is_shown_once() -> None:
    data = comparison_data()
    data["unique_facts"][0]["fact"] = PRICE
    html_text = to_html(make_report(data))
    unique = html_text.split('id="unique"', 1)[1].split("</section>", 1)[0]
    assert unique.count(PRICE) == 1 and "Berg says the ferry stays if it is used." in unique
