"""Scrape-noise removal and splitting one decoded text into articles.

Owns the line rules that decide what is article content: repeated lines,
photo captions and credits, UI crumbs (``TT``, ``20``, "Share", "Read more:"),
ads, cookie banners and copyright lines are noise; everything else is kept, in
order. Every rule looks at one line (plus "is it repeated"), so cleaning is
idempotent and linear in the number of lines.

Pure: no I/O, no decoding, no format handling (that is ``summarizer.ingest``).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import logging
import re
from collections import Counter

from summarizer import textrules as rules
from summarizer.grounding import normalise
from summarizer.meta import strip_site_suffix

log = logging.getLogger(__name__)

MIN_ARTICLE_WORDS = 20
"""Fewer words than this after cleaning is not an article (ingest rejects it)."""

_MAX_CAPTION_CHARS = 320
_MAX_UI_CHARS = 300
_TITLE_REPEAT_WINDOW = 20
"""A headline repeated within this many lines, with only noise between, starts an article."""
_WRAP_WIDTHS = range(50, 101)
"""Plausible widths of hard-wrapped plain text; lines longer than 100 are unwrapped paragraphs."""

_MIN_CREDITED_PARAGRAPH_WORDS = 25
"""A line with this many words before a trailing photo credit is a paragraph that ends with the
agency's credit ("… said its director, Elin Marsk. (c)AFP/Jana Holm"), not a caption: captions
run to a sentence or two (the corpus's longest is 14 words)."""
_CREDIT_MARK = re.compile(r"(?:\(c\)|©|\(©\))\s*$", re.IGNORECASE)

_SENTENCE_END = re.compile(r"[.,;:]['\"’”]?$")
_STRIP_UI = " \t:|›»>•·-–—.…"
_LIST_ITEM = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s")


def line_key(line: str) -> str:
    """Identity of a line for repeat detection: whitespace, quote marks and case ignored."""
    return normalise(line).casefold()


def is_crumb(line: str) -> bool:
    """Short non-sentence tokens on their own line: ``TT``, ``20``, ``A+``, ``00:45``, ``* * *``."""
    if len(line) <= 4 and " " not in line and not any(c.islower() for c in line):
        return True
    return len(line) <= 20 and not any(c.isalpha() for c in line)


@functools.lru_cache(maxsize=8192)
def is_noise(line: str) -> bool:
    """Whether a stripped, non-blank line is boilerplate on its own (without looking at repeats)."""
    if is_crumb(line):
        return True
    if len(line) <= _MAX_CAPTION_CHARS and (
        rules.CAPTION_START.match(line) or rules.CAPTION_END.search(line[-rules.CREDIT_TAIL :])
    ):
        return True
    if len(line) > _MAX_UI_CHARS:
        return False
    folded = line.casefold()
    if folded.strip(_STRIP_UI) in rules.UI_EXACT or folded.rstrip(". ").endswith("all rights reserved"):
        return True
    return bool(rules.UI_START.match(line)) or ("cookie" in folded and bool(rules.COOKIE_BANNER.search(line)))


def credited_paragraph(line: str) -> str | None:
    """The paragraph of a line that ends with a photo-agency credit after a long paragraph
    ("… Elin Marsk. (c)AFP/Jana Holm" -> "… Elin Marsk."), or None when the line is not one."""
    tail_at = max(0, len(line) - rules.CREDIT_TAIL)
    credit = rules.CAPTION_END.search(line[tail_at:])
    if credit is None:
        return None
    body = _CREDIT_MARK.sub("", line[: tail_at + credit.start()]).rstrip(" /|")
    if len(body.split()) < _MIN_CREDITED_PARAGRAPH_WORDS or not re.search(r"[.!?][\"”’']?$", body):
        return None
    return body


def clean_lines(lines: list[str]) -> list[str]:
    """Drop noise and repeats; keep the first occurrence of every line, in order.

    A line printed twice in a row (image alt text plus caption) is a caption,
    and every copy of it goes, unless it is the first content line (a
    headline). Whitespace inside lines is collapsed, runs of blank lines
    become one, and the result neither starts nor ends with a blank line.
    Idempotent: ``clean_lines(clean_lines(x)) == clean_lines(x)``.
    """
    stripped = [" ".join(line.split()) for line in lines]
    stripped = [credited_paragraph(line) or line for line in stripped]
    keys = [line_key(line) for line in stripped]
    noise = [bool(line) and is_noise(line) for line in stripped]
    first_content = next((i for i, line in enumerate(stripped) if line and not noise[i]), None)
    headline = keys[first_content] if first_content is not None else None
    doubled = {keys[i] for i in range(1, len(stripped)) if keys[i] and keys[i] == keys[i - 1] != headline}
    out: list[str] = []
    seen: set[str] = set()
    for line, key, is_junk in zip(stripped, keys, noise, strict=True):
        if not line:
            if out and out[-1]:
                out.append("")
            continue
        if is_junk or key in seen or (key in doubled and len(line) <= _MAX_CAPTION_CHARS):
            continue
        seen.add(key)
        out.append(line)
    if out and not out[-1]:
        out.pop()
    return out


def unwrap(lines: list[str], *, soft: bool = False) -> list[str]:
    """Join wrapped lines back into paragraph lines.

    Hard-wrapped plain text: within a block of consecutive lines, a line
    continues into the next when the next line's first word would not have
    fitted on it, given a wrap width (the block's longest line) of 50-100
    characters. ``soft`` (Markdown) joins every line of a block. Identical
    lines, noise lines and list items are never joined.
    """
    out: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line.strip())
            continue
        width = max((len(b) for b in block), default=0)
        noise = [len(block) > 1 and is_noise(b) for b in block]
        for i, cur in enumerate(block):
            prev = block[i - 1] if i else ""
            if (
                i
                and (soft or (width in _WRAP_WIDTHS and len(prev) + 1 + len(cur.split()[0]) > width))
                and prev != cur
                and not _LIST_ITEM.match(cur)
                and not noise[i - 1]
                and not noise[i]
            ):
                out[-1] = f"{out[-1]} {cur}"
            else:
                out.append(cur)
        block = []
        out.append("")
    out.pop()
    return out


def make_article(
    lines: list[str], *, title: str | None = None, site: str | None = None
) -> tuple[str, str] | None:
    """``(title, text)`` from one article's lines, or None if nothing is left after cleaning.

    Without ``title`` the first content line is the title (the second, when
    the first is a label such as "PRESS RELEASE"). A site suffix on the title
    goes ("… | Aldmoor Courier News"; ``site`` is the outlet's name when
    known), and a body line that repeats the title, with or without it, too.
    ``text`` is the title, then one paragraph per remaining line, separated
    by blank lines.
    """
    paragraphs = [line for line in clean_lines(lines) if line]
    raw = " ".join(title.split()) if title else ""
    if not raw and len(paragraphs) > 1 and rules.LABEL.match(paragraphs[0]) and len(paragraphs[1]) <= 200:
        raw, paragraphs = paragraphs[1], [paragraphs[0], *paragraphs[2:]]
    elif not raw and paragraphs:
        raw, paragraphs = paragraphs[0], paragraphs[1:]
    elif not raw:
        return None
    head = strip_site_suffix(raw, site)
    paragraphs = [p for p in paragraphs if line_key(p) not in {line_key(raw), line_key(head)}]
    return head, "\n\n".join([head, *paragraphs])


def split_articles(text: str) -> list[tuple[str, str]]:
    """Split a plain text into ``[(title, cleaned_text)]``, one entry per article.

    An article starts where a headline-like line reappears within a few
    lines with only noise between (the scraped "title, captions, crumbs,
    title again" pattern), at the start of the text or after two or more
    blank lines. A text without that pattern is one article. Text before the
    first start is an article of its own if it is long enough to be one;
    otherwise (a site name, a date) it is kept after the first title.
    """
    lines = unwrap([line.strip() for line in text.splitlines()])
    starts = _article_starts(lines)
    if not starts:
        article = make_article(lines)
        return [article] if article else []
    articles: list[tuple[str, str]] = []
    preamble = make_article(lines[: starts[0]])
    if preamble and len(preamble[1].split()) >= MIN_ARTICLE_WORDS:
        articles.append(preamble)
        lines = ["" if i < starts[0] else line for i, line in enumerate(lines)]
    bounds = [*starts, len(lines)]
    for n, (begin, end) in enumerate(itertools.pairwise(bounds)):
        body = lines[begin:end] if n else [*lines[:begin], "", *lines[begin:end]]
        article = make_article(body, title=lines[begin])
        if article:
            articles.append(article)
    if len(articles) > 1:
        log.debug("split a text into %d articles at lines %s", len(articles), starts)
    return articles


def _headline_like(line: str) -> bool:
    """Short, with letters, and not ending like a sentence or a clause (a pull quote, a byline)."""
    return len(line) <= 200 and any(c.isalpha() for c in line) and not _SENTENCE_END.search(line)


def _article_starts(lines: list[str]) -> list[int]:
    """Indexes of lines that open an article (see ``split_articles``)."""
    keys = [line_key(line) if line else "" for line in lines]
    counts = Counter(k for k in keys if k)
    positions: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key and counts[key] > 1:
            positions.setdefault(key, []).append(i)
    starts: list[int] = []
    consumed: set[int] = set()
    first_content = next((i for i, line in enumerate(lines) if line and not is_noise(line)), -1)
    for i, line in enumerate(lines):
        key = keys[i]
        if i in consumed or counts[key] < 2 or not _headline_like(line) or is_noise(line):
            continue
        if i != first_content and not (i >= 2 and lines[i - 1] == "" and lines[i - 2] == ""):
            continue
        occ = positions[key]
        nxt = occ[bisect.bisect_right(occ, i)] if occ[-1] > i else None
        if nxt is None or nxt - i > _TITLE_REPEAT_WINDOW:
            continue
        between = lines[i + 1 : nxt]
        if all(
            not b or counts[k] > 1 or is_noise(b) for b, k in zip(between, keys[i + 1 : nxt], strict=True)
        ):
            starts.append(i)
            consumed.update(occ)
    return starts
