"""Rendering a comparison report: Markdown wording, the self-contained HTML, JSON.

The report is built by hand from three short articles (S3 a wire copy of S1)
and validated against them, so every quote offset is real. It holds nested
and crossing quotes, and an article with ``<script>`` and ``</article>`` in
its text. The HTML is checked with the stdlib parser; the optional browser
check (scripts/check_html.py) runs only where Chromium is installed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from summarizer import scope
from summarizer.comparison.model import CompareProvenance, ComparisonReport, SourceInfo, WireGroup
from summarizer.comparison.render import to_json, to_markdown
from summarizer.comparison.schema import Comparison
from summarizer.grounding import Source
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


def test_a_unique_fact_that_is_its_quote_is_shown_once() -> None:
    data = comparison_data()
    data["unique_facts"][0]["fact"] = PRICE  # extractive: the fact is the quote word for word
    md = to_markdown(make_report(data))
    unique = md.split("## Unique facts\n\n", 1)[1].split("\n## ", 1)[0]
    assert unique.count(PRICE) == 1
    assert f"- S2 (The Harbor Ledger): “{PRICE}”" in unique
    assert "- Berg says the ferry stays if it is used.  \n  S1 (Nordic Wire): " in unique  # not extractive
