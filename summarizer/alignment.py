"""Fuzzy quote alignment: the span of a near-verbatim quote in an article, never a changed fact.

``grounding.Source.align`` tries an exact and a normalised match first; this
module is the last level, for quotes that differ from the article in small,
harmless ways. Both texts become word tokens (case folded, apostrophes
straightened, dashes and other punctuation dropped, a number such as
``12,000`` / ``12000`` / ``12 000`` / ``12.000`` in one form, ``didn't`` as
``did not``), and the quote's tokens are aligned to a window of the article's.
The alignment is accepted only if it is near-verbatim (``Tolerance``):

- the quote's tokens appear in the article in the same order;
- the quote's first and last tokens are the article's;
- at most ``max_inserted`` quote tokens are missing from the article, and
  each is a filler word (``FILLER``: articles, common prepositions and
  conjunctions such as "the", "of", "and", "also"): an added content word is
  new content;
- at most ``max_skipped`` article tokens inside the span are left out of the
  quote, at most ``max_skip_run`` in one place (a longer omission needs an
  ellipsis, see below);
- no substitution: where the quote has a token the article lacks, the
  article may not have one the quote lacks at the same place ("budget" for
  "bridge", "Berg" for "Lund", "an" for "the" are all rejected);
- numbers and negations (``NEGATIONS``: "not", "no", "never", ...) are never
  added or left out: "12,500" is not "12,000", "would not" is not "would";
- a quote needs ``min_tokens`` tokens, and ``min_tokens_with_edits`` if any
  token was added or left out.

A quote with an ellipsis (``...``, ``…``, ``[...]``) is split into parts; each
part (``min_part_tokens`` tokens or more) must align by the rules above, in
order, each starting at most ``max_gap`` tokens after the previous one ends.

The result is a span of the article; callers store and show the article's
text for that span, never the quote as sent. A sentence that is not in the
article does not align even when it shares most of its words with one: its
differing token is an insertion (rejected unless it is a filler word) or a
substitution (always rejected). Pure functions; no I/O.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

NEGATIONS = frozenset(
    {"not", "no", "never", "nor", "neither", "none", "nobody", "nothing", "nowhere", "without"}
)
FILLER = frozenset(
    {
        "a", "an", "the", "and", "that", "which", "who", "of", "to", "in", "on", "at", "for",
        "with", "by", "from", "as", "also", "then", "so", "it", "its", "this", "there",
    }
)  # fmt: skip
"""Words a quote may add without adding content (what models slip in when copying)."""

_NUMBER = r"\d{1,3}(?:[,.\u00a0\u2009\u202f ]\d{3})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_WORD = r"[^\W_]+(?:['\u2019][^\W_]+)*"
_TOKEN = re.compile(rf"(?<!\w)(?P<num>{_NUMBER})(?![^\W_])|(?P<word>{_WORD})")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"[.!?]")
_GROUP_SEP = re.compile(r"[,.\u00a0\u2009\u202f ](?=\d{3}(?!\d))")
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\[\s*\u2026\s*\]|\.{3,}|\u2026)\s*")
_CONTRACTED_STEMS = {"ca": "can", "wo": "will", "sha": "shall"}
_CLOSING = ".,;:!?\"'\u201d\u2019)"
_OPENING = "\"'\u201c\u2018("


class Token(NamedTuple):
    """A word or number: its comparable form, where it is in the text, and whether it states a fact."""

    canon: str
    start: int
    end: int
    fact: bool
    """A number or a negation: never added to, or dropped from, a quote."""


@dataclass(frozen=True)
class Tolerance:
    """How far a quote may stray from the article and still count as near-verbatim."""

    min_tokens: int = 2
    min_tokens_with_edits: int = 6
    inserted_per_token: float = 0.1
    """At most max(1, this x quote tokens) filler words added."""
    skipped_per_token: float = 0.125
    """At most max(1, this x quote tokens) article tokens left out inside the span."""
    max_skip_run: int = 2
    min_part_tokens: int = 3
    max_gap: int = 40
    """Article tokens allowed between two parts of an ellipsis quote."""
    max_quote_tokens: int = 200
    """Longer quotes are not aligned fuzzily (an exact or normalised match still works)."""

    def max_inserted(self, m: int) -> int:
        return max(1, int(m * self.inserted_per_token))

    def max_skipped(self, m: int) -> int:
        return max(1, int(m * self.skipped_per_token))


DEFAULT = Tolerance()


def tokens(text: str) -> list[Token]:
    """Word and number tokens of ``text`` with their offsets."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        number = m.group("num")
        if number is not None:
            out.append(Token(_number(number), start, end, True))
            continue
        word = m.group("word").casefold().replace("\u2019", "'")
        if word.endswith("n't") and len(word) > 3:
            stem = word[:-3]
            out.append(Token(_CONTRACTED_STEMS.get(stem, stem), start, end - 3, False))
            out.append(Token("not", end - 3, end, True))
        elif word == "cannot":
            out.append(Token("can", start, start + 3, False))
            out.append(Token("not", start + 3, end, True))
        else:  # "B52", "2nd", "COVID-19"'s "19": a word with a digit states a fact too
            out.append(Token(word, start, end, word in NEGATIONS or _DIGIT.search(word) is not None))
    return out


def _number(text: str) -> str:
    """One spelling per number: group separators dropped, a decimal comma as a point."""
    plain = _GROUP_SEP.sub("", text)
    return plain.replace(",", ".")


@dataclass(frozen=True)
class TokenIndex:
    """An article's text, its tokens and where each form occurs; built once per article."""

    text: str
    tokens: Sequence[Token]
    positions: dict[str, list[int]]

    @classmethod
    def of(cls, text: str) -> TokenIndex:
        toks = tokens(text)
        positions: dict[str, list[int]] = defaultdict(list)
        for i, tok in enumerate(toks):
            positions[tok.canon].append(i)
        return cls(text, toks, dict(positions))


def align(quote: str, index: TokenIndex, tol: Tolerance = DEFAULT) -> tuple[int, int] | None:
    """Character span in the article of a near-verbatim ``quote`` (ellipses allowed), or None."""
    parts = [toks for toks in (tokens(p) for p in _ELLIPSIS.split(quote)) if toks]
    n = len(index.tokens)
    if not parts:
        return None
    if len(parts) == 1:
        span = _align_part(parts[0], index, tol, 0, n, tol.min_tokens)
        return None if span is None else _chars(quote, index, span)
    lo, first, last = 0, -1, -1
    for part in parts:
        hi = n if first < 0 else min(n, lo + tol.max_gap + 2 * len(part))
        span = _align_part(part, index, tol, lo, hi, tol.min_part_tokens)
        if span is None or (first >= 0 and span[0] - lo > tol.max_gap):
            return None
        if first < 0:
            first = span[0]
        last = lo = span[1]
    return _chars(quote, index, (first, last))


def _chars(quote: str, index: TokenIndex, span: tuple[int, int]) -> tuple[int, int]:
    """Character span of tokens ``span``, taking in the quote marks and final stop the quote has too."""
    text = index.text
    start, end = index.tokens[span[0]].start, index.tokens[span[1] - 1].end
    stripped = quote.strip()
    if stripped and stripped[-1] in _CLOSING:
        while end < len(text) and text[end] in _CLOSING:
            end += 1
    if stripped and stripped[0] in _OPENING:
        while start > 0 and text[start - 1] in _OPENING:
            start -= 1
    return start, end


_INF = 1 << 30
_MATCH, _INSERT, _SKIP = 1, 2, 3


def _align_part(
    quote: list[Token], index: TokenIndex, tol: Tolerance, lo: int, hi: int, min_tokens: int
) -> tuple[int, int] | None:
    """Token span ``[a, b)`` of the article within ``[lo, hi)`` that ``quote`` aligns to, or None."""
    m = len(quote)
    if m < min_tokens or m > tol.max_quote_tokens:
        return None
    slack = tol.max_inserted(m) + tol.max_skipped(m)
    best: tuple[int, tuple[int, int]] | None = None
    for ws, we in _windows(quote, index, lo, hi, slack, needed=m - tol.max_inserted(m)):
        found = _check(quote, index.tokens[ws:we], tol, index.text)
        if found is not None and (best is None or found[0] < best[0]):
            best = (found[0], (ws + found[1][0], ws + found[1][1]))
            if found[0] == 0:
                break
    return None if best is None else best[1]


def _windows(
    quote: list[Token], index: TokenIndex, lo: int, hi: int, slack: int, needed: int
) -> list[tuple[int, int]]:
    """Up to three article windows where the quote's tokens line up best (diagonal votes)."""
    votes: dict[int, int] = defaultdict(int)
    for i, tok in enumerate(quote):
        for p in index.positions.get(tok.canon, ()):
            if lo <= p < hi:
                votes[p - i] += 1
    if not votes:
        return []
    diagonals = sorted(votes)
    totals = list(accumulate((votes[d] for d in diagonals), initial=0))
    band: list[tuple[int, int]] = []
    for d in diagonals:  # votes within +-slack of a diagonal: an upper bound on the matches there
        a, b = bisect_left(diagonals, d - slack), bisect_right(diagonals, d + slack)
        band.append((totals[b] - totals[a], d))
    band.sort(key=lambda x: (-x[0], x[1]))
    windows: list[tuple[int, int]] = []
    for score, d in band:
        if score < needed or len(windows) == 3:
            break
        # A band's best diagonal can sit up to ``slack`` from the alignment's own: wide margins
        # cost the DP little (the article before and after the span is free).
        ws, we = max(lo, d - 2 * slack - 2), min(hi, d + len(quote) + 2 * slack + 2)
        if all(we <= a or b <= ws for a, b in windows):
            windows.append((ws, we))
    return windows


def _check(
    quote: list[Token], window: Sequence[Token], tol: Tolerance, text: str
) -> tuple[int, tuple[int, int]] | None:
    """Least-edit alignment of the whole quote to part of ``window``, if it is near-verbatim.

    Returns the number of edits and the window's token span ``[a, b)``.
    """
    m, w = len(quote), len(window)
    ins = [1 if (t.canon in FILLER and not t.fact) else _INF for t in quote]
    skip = [_INF if t.fact else 1 for t in window]
    cost = [[_INF] * (w + 1) for _ in range(m + 1)]
    move = [[0] * (w + 1) for _ in range(m + 1)]
    # The first quote token must be matched (row 1 has no insertions) and so must the last (the
    # end is taken only where it matches): a quote starts and ends with the article's words.
    first = quote[0].canon
    for j in range(1, w + 1):
        best, how = (0, _MATCH) if window[j - 1].canon == first else (_INF, 0)
        left = cost[1][j - 1] + skip[j - 1]
        if left < best:
            best, how = left, _SKIP
        cost[1][j], move[1][j] = min(best, _INF), how
    for i in range(2, m + 1):
        q = quote[i - 1].canon
        row, up = cost[i], cost[i - 1]
        for j in range(1, w + 1):
            best, how = up[j] + ins[i - 1], _INSERT
            if window[j - 1].canon == q and up[j - 1] <= best:
                best, how = up[j - 1], _MATCH
            left = row[j - 1] + skip[j - 1]
            if left < best:
                best, how = left, _SKIP
            row[j], move[i][j] = min(best, _INF), how
    last = quote[-1].canon
    ends = [j for j in range(1, w + 1) if window[j - 1].canon == last]
    before = (lambda j: 0) if m == 1 else (lambda j: cost[m - 1][j - 1])
    if not ends or min(before(j) for j in ends) >= _INF:
        return None
    end = min(ends, key=lambda j: (before(j), j))
    ops: list[tuple[int, int]] = [(_MATCH, end - 1)]  # (move, window index) from the end back
    i, j = m - 1, end - 1
    while i > 0:
        how = move[i][j]
        ops.append((how, j - 1))
        if how == _MATCH:
            i, j = i - 1, j - 1
        elif how == _INSERT:
            i -= 1
        else:
            j -= 1
    ops.reverse()
    return _verdict(m, ops, tol, lambda a, b: _SENTENCE_END.search(text, window[a].end, window[b].start))


def _verdict(
    m: int, ops: list[tuple[int, int]], tol: Tolerance, sentence_end: Callable[[int, int], object]
) -> tuple[int, tuple[int, int]] | None:
    matched = [j for how, j in ops if how == _MATCH]
    if not matched or ops[0][0] == _INSERT or ops[-1][0] == _INSERT:
        # A quote starts and ends with the article's words: an added word at an edge could stand for
        # a word the article has just outside the span ("The The Farmers'" for "The Varno Farmers'").
        return None
    inserted = sum(1 for how, _ in ops if how == _INSERT)
    skipped = 0
    run = 0
    gap_inserts = gap_skips = 0
    previous = -1
    for how, j in ops:
        if how == _MATCH:
            if gap_inserts and gap_skips:
                return None  # a token replaced by another: a changed fact, not a copying slip
            if gap_skips and sentence_end(previous, j):
                # Words left out next to a sentence break would let a quote run one sentence's
                # subject into the next one's verb ("Mayor Lund. Berg said" as "Mayor Lund said").
                return None
            gap_inserts = gap_skips = run = 0
            previous = j
        elif how == _INSERT:
            gap_inserts += 1
        else:
            gap_skips += 1
            skipped += 1
            run += 1
            if run > tol.max_skip_run:
                return None
    if gap_inserts and gap_skips:
        return None
    edits = inserted + skipped
    if inserted > tol.max_inserted(m) or skipped > tol.max_skipped(m):
        return None
    if edits and m < tol.min_tokens_with_edits:
        return None
    return edits, (matched[0], matched[-1] + 1)
