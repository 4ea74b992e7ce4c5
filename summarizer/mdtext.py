"""Markdown to plain article lines, by walking markdown-it-py's token stream (CommonMark + tables).

Owns what of a Markdown document is article text: headings, paragraphs,
list items (their marker kept, as plain text keeps it), block quotes, table
rows, code (as text) and the text of embedded HTML; emphasis, links and
inline HTML are reduced to their text, images, reference definitions, rules
and HTML comments are dropped. The first top-level level-1 heading (ATX or
setext), else a front-matter ``title:``, becomes the first line. Lines of
one paragraph are kept apart so that ``clean`` can still tell a noise line
("Share on X") inside it; every block is separated by a blank line, two when
the source had two or more (``clean.split_articles`` looks for those).

Imported only when a Markdown input is read (markdown-it is not needed to
start the CLI). Pure: no I/O.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

from summarizer import clean

# Elements of embedded HTML that end a paragraph of its text; script/style/template hold no text.
_HTML_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption"}
    | {"figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol"}
    | {"p", "pre", "section", "summary", "table", "td", "th", "tr", "ul"}
)
_HTML_HIDDEN = frozenset({"script", "style", "template", "noscript"})
_INLINE_SKIP = frozenset({"image"})
"""Images are dropped with their alt text (their captions, when any, are separate text)."""


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


class _HTMLText(HTMLParser):
    """The text of an HTML fragment as paragraphs: one per block element, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._hidden = 0

    def _end_paragraph(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.paragraphs.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HTML_HIDDEN:
            self._hidden += 1
        elif tag in _HTML_BLOCKS:
            self._end_paragraph()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _HTML_BLOCKS:
            self._end_paragraph()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._current.append(data)


def html_paragraphs(fragment: str) -> list[str]:
    """The visible text of an HTML fragment, one string per block element."""
    parser = _HTMLText()
    parser.feed(fragment)
    parser.close()
    parser._end_paragraph()
    return parser.paragraphs


def _inline_lines(children: Sequence[Token]) -> list[str]:
    """An inline token's text as lines (soft and hard breaks end a line)."""
    lines = [""]
    hidden = 0
    for child in children:
        kind = child.type
        if kind in _INLINE_SKIP:
            continue
        if kind == "html_inline":
            # Tag by tag: <br> ends a line, <script>…</script> inside a paragraph hides its text.
            tag = child.content.strip("<>/ \t\n").split(None, 1)[0].lower() if child.content else ""
            if tag in _HTML_HIDDEN:
                hidden += -1 if child.content.startswith("</") else 1
                hidden = max(hidden, 0)
            elif tag == "br":
                lines.append("")
        elif hidden:
            continue
        elif kind in ("softbreak", "hardbreak"):
            lines.append("")
        elif kind in ("text", "code_inline", "text_special"):
            lines[-1] += child.content
    return [line.strip() for line in lines]


def _front_matter(lines: list[str]) -> tuple[str | None, list[str]]:
    """``(title, remaining lines)``: a leading ``---`` block is metadata, not text."""
    if not lines or lines[0].strip() != "---":
        return None, lines
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), 0)
    if not end:
        return None, lines
    title = None
    for line in lines[1:end]:
        key, _, value = line.partition(":")
        if key.strip().lower() == "title" and value.strip():
            title = value.strip().strip("\"'")
    return title, lines[end + 1 :]


class _Walk:
    def __init__(self, source: Sequence[str]) -> None:
        self.source = source
        self.out: list[str] = []
        self.title: str | None = None
        self.marker: list[str] = []
        """Per open list item, the marker its first line still has to carry (``""`` once used)."""
        self._end = 0

    def block(self, lines: Sequence[str], where: list[int] | None) -> None:
        lines = [line for line in lines if line]
        if not lines:
            return
        if self.marker and self.marker[-1]:
            lines[0] = f"{self.marker[-1]} {lines[0]}"
            self.marker[-1] = ""
        if self.out:
            between = self.source[self._end : where[0]] if where else []
            blank = [not line.strip() for line in between]
            self.out += ["", ""] if any(a and b for a, b in itertools.pairwise(blank)) else [""]
        self.out += lines
        if where:
            self._end = where[1]

    def run(self, tokens: Sequence[Token]) -> None:
        heading: Token | None = None
        row: list[str] = []
        row_map: list[int] | None = None
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "heading_open":
                heading = token
            elif kind == "inline" and heading is not None:
                text = " ".join(line for line in _inline_lines(token.children or []) if line)
                if heading.tag == "h1" and heading.level == 0 and self.title is None and text:
                    self.title = text
                else:
                    self.block([text], heading.map)
                heading = None
            elif kind == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
                row.append(" ".join(line for line in _inline_lines(token.children or []) if line))
            elif kind == "inline":
                self.block(_inline_lines(token.children or []), tokens[i - 1].map or token.map)
            elif kind == "tr_open":
                row, row_map = [], token.map
            elif kind == "tr_close":
                self.block([" | ".join(cell for cell in row if cell)], row_map)
            elif kind == "list_item_open":
                if self.marker:  # an item that opens with a sublist: only the inner marker shows
                    self.marker[-1] = ""
                ordered = token.info
                self.marker.append(f"{ordered}{token.markup}" if ordered else token.markup)
            elif kind == "list_item_close":
                self.marker.pop()
            elif kind in ("fence", "code_block"):
                self.block([line.strip() for line in token.content.splitlines()], token.map)
            elif kind == "html_block":
                for paragraph in html_paragraphs(token.content):
                    self.block([paragraph], token.map)


def to_text(text: str) -> str:
    """Plain lines from Markdown, with the first level-1 heading (or front-matter title) first."""
    meta_title, lines = _front_matter(text.splitlines())
    walk = _Walk(lines)
    walk.run(_parser().parse("\n".join(lines)))
    title = walk.title or meta_title
    out = clean.unwrap(walk.out, soft=True)
    return "\n".join([title, "", *out]) if title else "\n".join(out)
