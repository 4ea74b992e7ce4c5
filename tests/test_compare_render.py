"""Rendering a comparison report: Markdown wording, the self-contained HTML, JSON.

The report is built by hand from three short articles (S3 a wire copy of S1)
and validated against them, so every quote offset is real. It holds nested
and crossing quotes, and an article with ``<script>`` and ``</article>`` in
its text. The HTML is checked with the stdlib parser; the optional browser
check (scripts/check_html.py) runs only where Chromium is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest

from summarizer import scope
from summarizer.comparison.model import CompareProvenance, ComparisonReport, SourceInfo, WireGroup
from summarizer.comparison.render import to_html, to_json, to_markdown
from summarizer.comparison.render_html import nest_spans
from summarizer.comparison.schema import Comparison
from summarizer.grounding import Source, normalise
from summarizer.result import Usage

ROOT = Path(__file__).resolve().parents[1]

WIRE = (
    "Night ferry to the outer islands starts Friday\n\n"
    "ORVIK (Nordic Wire) - A night ferry between Orvik and the outer islands will begin service on "
    "Friday, the harbour office said on Tuesday.\n\n"
    "About 1,200 passengers a week are expected to use the route, harbour director Elin Berg said. "
    '"If people use it, it stays," she said.\n\n'
    "Ticket prices for the winter season have not been published."
)
LEDGER = (
    "Islanders doubt the new night ferry\n\n"
    "The night ferry between Orvik and the outer islands will begin service on Friday, but islanders "
    "say the timetable does not suit them.\n\n"
    "The council expects only 800 passengers a week, council member Jonas Lind told the Ledger. "
    "A return ticket will cost 40 crowns, according to a price list seen by the Ledger.\n\n"
    "A reader sent us this snippet: <script>alert(1)</script> and asked why the page ended with "
    "</article> so early.\n\n"
    "Harbour director Elin Berg did not respond to questions."
)
COPY = WIRE + "\n\nPort Post staff contributed to this report."
TEXTS = {"S1": WIRE, "S2": LEDGER, "S3": COPY}

SHARED_S1 = "A night ferry between Orvik and the outer islands will begin service on Friday"
FRAMING_S1 = "will begin service on Friday, the harbour office said on Tuesday"  # crosses SHARED_S1
PRICE = "A return ticket will cost 40 crowns"
PRICE_LONG = (
    "A return ticket will cost 40 crowns, according to a price list seen by the Ledger"  # holds PRICE
)
SNIPPET = "<script>alert(1)</script> and asked why the page ended with </article>"


def q(source: str, quote: str) -> dict[str, str]:
    return {"source": source, "quote": quote}


def comparison_data() -> dict[str, Any]:
    return {
        "story": "Orvik starts a night ferry to the outer islands on Friday.",
        "shared_facts": [
            {
                "fact": "The night ferry starts on Friday.",
                "support": [
                    q("S1", SHARED_S1),
                    q("S2", "night ferry between Orvik and the outer islands will begin service on Friday"),
                    q("S3", SHARED_S1),
                ],
            }
        ],
        "conflicts": [
            {
                "about": "Expected passengers per week",
                "kind": "number",
                "sides": [
                    {
                        "claim": "1,200 a week",
                        "support": [
                            q("S1", "About 1,200 passengers a week are expected"),
                            q("S3", "About 1,200 passengers a week are expected"),
                        ],
                    },
                    {
                        "claim": "800 a week",
                        "support": [q("S2", "The council expects only 800 passengers a week")],
                    },
                ],
            }
        ],
        "unique_facts": [
            {"fact": "A return ticket costs 40 crowns.", "evidence": q("S2", PRICE)},
            {
                "fact": "Berg says the ferry stays if it is used.",
                "evidence": q("S1", '"If people use it, it stays,"'),
            },
            {"fact": "A reader sent a <b>snippet</b>.", "evidence": q("S2", SNIPPET)},
        ],
        "framing": [
            {
                "note": "The Ledger leads with islanders' doubts; the wire with the harbour office.",
                "evidence": [q("S2", "islanders say the timetable does not suit them"), q("S1", FRAMING_S1)],
            }
        ],
        "open_questions": [
            {
                "question": "What will tickets cost?",
                "raised_by": ["S1", "S3"],
                "raised_in": [q("S1", "Ticket prices for the winter season have not been published")],
                "status": "answered",
                "answer": q("S2", PRICE_LONG),
                "note": "The Ledger saw a price list.",
            },
            {
                "question": "Will the ferry stay after the trial?",
                "raised_by": ["S2"],
                "raised_in": [q("S2", "Elin Berg did not respond to questions")],
                "status": "partly_answered",
                "answer": q("S1", "If people use it, it stays"),
            },
            {
                "question": "Who pays for the night service?",
                "raised_by": ["S2"],
                "raised_in": [q("S2", "islanders say the timetable does not suit them")],
                "status": "open",
            },
        ],
    }


def make_report(
    data: dict[str, Any] | None = None,
    *,
    engine: str = "offline",
    texts: dict[str, str] | None = None,
    s2: tuple[str, str] = ("The Harbor Ledger", "Islanders doubt the night ferry | Ledger <live>"),
) -> ComparisonReport:
    texts = TEXTS if texts is None else texts
    comparison = Comparison.model_validate(
        comparison_data() if data is None else data,
        context=scope.context({sid: Source(text) for sid, text in texts.items()}),
    )
    info = [
        ("S1", "Nordic Wire", "Night ferry to the outer islands starts Friday", "2024-10-01", 0),
        ("S2", *s2, "2024-10-02", None),
        ("S3", "Port Post", "Night ferry starts Friday", None, 0),
    ]
    sources = [
        SourceInfo(
            id=sid,
            path=f"articles/{sid.lower()}.txt",
            outlet=outlet,
            title=title,
            date=date,
            words=len(texts[sid].split()),
            content_hash=f"hash-{sid}",
            wire_group=group,
            text=texts[sid],
        )
        for sid, outlet, title, date, group in info
    ]
    llm = engine == "llm"
    provenance = CompareProvenance(
        engine="llm" if llm else "offline",
        model="sim-1" if llm else None,
        endpoint="http://127.0.0.1:9/v1" if llm else None,
        prompt_name="compare" if llm else None,
        prompt_hash="abc123" if llm else None,
        schema_version="1",
        summary_calls=3 if llm else 0,
        compare_calls=1 if llm else 0,
        usage=Usage(prompt_tokens=5000, completion_tokens=700, cached_tokens=1200) if llm else Usage(),
        started_at=datetime(2024, 10, 3, 9, 0, tzinfo=UTC),
        finished_at=datetime(2024, 10, 3, 9, 1, tzinfo=UTC),
    )
    return ComparisonReport(
        sources=sources,
        wire_groups=[WireGroup(origin="S1", members=["S1", "S3"], similarity=0.97)],
        comparison=comparison,
        provenance=provenance,
    )


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_has_every_section_in_order() -> None:
    md = to_markdown(make_report())
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert headings == [
        "Sources",
        "Shared facts",
        "Conflicts",
        "Unique facts",
        "Framing",
        "Open questions across sources",
        "Wire copies",
    ]
    assert md.startswith(
        "# Comparison: Orvik starts a night ferry to the outer islands on Friday.\n\n"
        "*3 sources from 3 outlets, 2 independent*\n"
    )


def test_markdown_source_table_escapes_untrusted_titles() -> None:
    md = to_markdown(make_report())
    rows = [line for line in md.splitlines() if line.startswith("| S")]
    assert rows == [
        "| S1 | Nordic Wire | Night ferry to the outer islands starts Friday | 2024-10-01 | 66 "
        "| W1 (origin) |",
        "| S2 | The Harbor Ledger | Islanders doubt the night ferry \\| Ledger \\<live\\> | 2024-10-02 "
        "| 86 | — |",
        "| S3 | Port Post | Night ferry starts Friday | — | 73 | W1 (copy of S1) |",
    ]


def test_markdown_attributes_every_quote_to_source_and_outlet() -> None:
    md = to_markdown(make_report())
    assert "   S2 (The Harbor Ledger): “night ferry between Orvik and the outer islands will begin" in md
    assert "  S2 (The Harbor Ledger): “The council expects only 800 passengers a week”" in md
    assert (
        "S2 (The Harbor Ledger): “\\<script\\>alert(1)\\</script\\> and asked why the page ended with" in md
    )
    assert "<script>" not in md
    assert "- **800 a week**: S2" in md
    assert "### Expected passengers per week (number)" in md
    # The conflict side carried by the wire and its copy counts once.
    assert "- **1,200 a week**: S1, S3 (S1 and S3 are one wire text, counted once)  " in md


def test_markdown_counts_wire_copies_once() -> None:
    md = to_markdown(make_report())
    assert "   Reported by S1, S2, S3: 2 independent (S1 and S3 are one wire text, counted once)." in md
    wire = md.split("## Wire copies\n\n", 1)[1].split("\n\n", 1)[0]
    assert wire == (
        "- W1: S1 (Nordic Wire), S3 (Port Post) carry one text (origin S1, similarity ≥ 0.97); "
        "one origin, several outlets: counts as one confirmation."
    )


def test_markdown_unique_facts_are_grouped_by_origin() -> None:
    md = to_markdown(make_report())
    unique = md.split("## Unique facts\n\n", 1)[1].split("\n## ", 1)[0]
    headings = re.findall(r"^### (.+)$", unique, flags=re.M)
    assert headings == [
        "S1 (Nordic Wire) (wire origin; also carried by S3 (Port Post))",
        "S2 (The Harbor Ledger)",
    ]
    assert "- A reader sent a \\<b\\>snippet\\</b\\>." in unique


def test_markdown_open_questions_show_status_raisers_and_answer() -> None:
    md = to_markdown(make_report())
    questions = md.split("## Open questions across sources\n\n", 1)[1].split("\n## ", 1)[0]
    assert questions.splitlines()[:6] == [
        "1. **What will tickets cost?** (answered)  ",
        "   Raised by S1 (Nordic Wire), S3 (Port Post)  ",
        "   S1 (Nordic Wire): “Ticket prices for the winter season have not been published”  ",
        f"   Answered by S2 (The Harbor Ledger): “{PRICE_LONG}”  ",
        "   *The Ledger saw a price list.*",
        "2. **Will the ferry stay after the trial?** (partly answered)  ",
    ]
    assert "   Partly answered by S1 (Nordic Wire): “If people use it, it stays”" in questions
    assert "3. **Who pays for the night service?** (open)  " in questions
    assert "   No other source answers it." in questions


def test_markdown_provenance_says_when_no_llm_was_used() -> None:
    footer = to_markdown(make_report()).rstrip().splitlines()[-1]
    assert footer == (
        "Engine: offline (no LLM was used) · schema v1 · offline: 3 summaries (3 from the store), "
        "0 comparisons, no model calls · finished 2024-10-03T09:01:00+00:00"
    )
    llm = to_markdown(make_report(engine="llm")).rstrip().splitlines()[-1]
    assert llm.startswith("Engine: LLM sim-1 at http://127.0.0.1:9/v1 · prompt compare \\#abc123 · schema v1")
    assert "model calls: 3 summary, 1 compare · tokens: 5000 in (1200 cached), 700 out" in llm


def test_markdown_empty_comparison_says_none() -> None:
    report = make_report({"story": ""}).model_copy(update={"wire_groups": []})
    md = to_markdown(report)
    assert md.startswith("# Comparison of 3 sources\n\n*3 sources from 3 outlets*\n")
    assert md.count("- None found.") == 4
    assert "- None noted." in md
    assert "- None found: every source counts as its own confirmation." in md


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


# --- JSON ---------------------------------------------------------------------------------------


def test_json_round_trips() -> None:
    report = make_report()
    text = to_json(report)
    assert text.endswith("}\n")
    back = ComparisonReport.model_validate_json(text, context=scope.trusted())
    assert back.comparison == report.comparison and back.wire_groups == report.wire_groups
    # source texts stay out of JSON (they may carry planted instructions; the files have them)
    assert [s.text for s in back.sources] == [""] * len(report.sources)
    assert [s.model_copy(update={"text": ""}) for s in report.sources] == back.sources


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
