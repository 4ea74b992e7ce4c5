"""The Markdown view of one summary: a point that is its quote word for word is shown once, as the
quote with its place in the article; a compressed point keeps its line and the quote behind it."""

from __future__ import annotations

from summarizer import render
from summarizer.article import Article
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings

from .conftest import ROOT


def _section(text: str, heading: str) -> str:
    return text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


def test_a_verbatim_point_is_printed_once_and_a_compressed_one_with_its_quote() -> None:
    text = (ROOT / "examples" / "riverside-bridge.txt").read_text(encoding="utf-8")
    result = Summarizer(Settings(engine="offline")).summarize(Article("bridge.txt", 0, "Bridge", text))
    points = result.summary.key_points
    verbatim = [kp for kp in points if render.restated(kp.point, kp.evidence)]
    compressed = [kp for kp in points if not render.restated(kp.point, kp.evidence)]
    assert verbatim and compressed  # the example has both kinds
    section = _section(render.to_markdown(result), "Key points")
    for kp in verbatim:
        quote = " ".join(kp.evidence[0].quote.split())
        assert section.count(quote) == 1
        assert f"“{quote}” [{kp.evidence[0].start}:{kp.evidence[0].end}]" in section
    for kp in compressed:
        assert kp.point in section and " ".join(kp.evidence[0].quote.split()) in section


def test_restated_needs_one_quote_with_the_same_words() -> None:
    text = "Felssturz\n\nDie Talbahn ist seit Mittwochfrüh gesperrt. Wann sie wieder fährt, ist offen."
    result = Summarizer(Settings(engine="offline")).summarize(Article("t.txt", 0, "Felssturz", text))
    [kp, *_] = result.summary.key_points
    assert render.restated(kp.point, kp.evidence)
    assert render.restated("  " + kp.point.replace(" ", "\n"), kp.evidence)  # whitespace aside
    assert not render.restated(kp.point + " Mehr.", kp.evidence)
    assert not render.restated(kp.point, [*kp.evidence, *kp.evidence])
