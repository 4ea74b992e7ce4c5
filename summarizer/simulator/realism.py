"""Real-model habits on the simulator's quotes: ``SimConfig(realism="off" | "typical" | "sloppy")``.

The offline engine copies quotes perfectly; models do not. With realism on,
each evidence quote of a summary answer gets at most one habit, drawn at the
habit's rate among the habits that can apply to that quote (a quote without a
number cannot have its number reformatted), and an answer gets one invented
quote at the profile's ``invent`` rate. All draws come from a generator seeded
with the simulator's seed, the article's hash and the turn (first ask, first
re-ask ...), so a run is reproducible whatever order requests arrive in.

| habit | typical | sloppy | what the quote becomes |
|---|---|---|---|
| ``quote_marks`` | 3 % | 10 % | curly quote marks straightened, or straight ones curled |
| ``dashes`` | 3 % | 10 % | em/en dashes as hyphens, or spaced hyphens as em dashes |
| ``case`` | 2 % | 6 % | one word's first letter in the other case |
| ``drop_word`` | 2 % | 6 % | one inner word left out (never a number or a negation) |
| ``add_word`` | 1 % | 4 % | a filler word ("also", "the", "that", "then") slipped in |
| ``join_sentences`` | 1 % | 4 % | the quote and the article's next sentence as one quote |
| ``ellipsis`` | 1 % | 4 % | one to four inner words replaced by "..." |
| ``headline`` | 0.5 % | 2 % | the article's headline instead of the quote |
| ``numbers`` | 3 % | 10 % | "12,000" as "12000", "12 000" or "12.000" (or grouped) |
| invented (per answer) | 2 % | 10 % | one quote replaced by a sentence the article lacks |
| re-ask repeats the mistake | 10 % | 30 % | a quote named in a re-ask is sent again unchanged |

Where the rates come from. Invented content: Vectara's hallucination
leaderboard (github.com/vectara/hallucination-leaderboard) measures the share
of summaries with at least one claim the source does not support: 3.0 %
(GPT-4) to 9.4 % (Mistral 7B) and 12.1 % (PaLM 2) in its November 2023
table (HHEM-1.0), 1.5 % (GPT-4o) and 1.7 % (GPT-4o-mini) in December 2024
(HHEM-2.1). That is a rate per summary, so it is applied here per answer:
2 % for a strong hosted model, 10 % for a weak one. The copying habits are
the failures reported on the instructor and langextract trackers and their
neighbours (instructor's ``CitationMixin`` uses fuzzy matching because
quotes come back slightly off, 567-labs/instructor#2430; langextract aligns
extractions exactly, then fuzzily, google/langextract#245 and #442; the
earendil-works/pi edit tool added matching for curly quotes, dashes and
spaces, #713, and measured 11-14 % of edits failing on small differences,
#7836). None of them gives a rate per quote for news summaries: the per-habit
rates above and the repeat rate are our assumption, chosen so that about one
quote in six is off on "typical" and about one in two on "sloppy".

Compare answers are left as they are (the simulator answers those from
summaries, not articles). Pure functions of their inputs and the generator.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from summarizer.grounding import MIN_QUOTE_CHARS, normalise

MODES = ("off", "typical", "sloppy")


@dataclass(frozen=True)
class Profile:
    name: str
    rates: Mapping[str, float]
    """Per quote, among the quotes a habit can apply to."""
    invent: float
    """Per answer: one quote replaced by a sentence the article does not contain."""
    repeat: float
    """Per quote named in a re-ask: sent again with the same mistake."""


PROFILES: Mapping[str, Profile] = {
    "typical": Profile(
        "typical",
        {
            "quote_marks": 0.03,
            "dashes": 0.03,
            "case": 0.02,
            "drop_word": 0.02,
            "add_word": 0.01,
            "join_sentences": 0.01,
            "ellipsis": 0.01,
            "headline": 0.005,
            "numbers": 0.03,
        },
        invent=0.02,
        repeat=0.10,
    ),
    "sloppy": Profile(
        "sloppy",
        {
            "quote_marks": 0.10,
            "dashes": 0.10,
            "case": 0.06,
            "drop_word": 0.06,
            "add_word": 0.04,
            "join_sentences": 0.04,
            "ellipsis": 0.04,
            "headline": 0.02,
            "numbers": 0.10,
        },
        invent=0.10,
        repeat=0.30,
    ),
}

FILLER_WORDS = ("also", "the", "that", "then")
NEGATABLE = re.compile(r"\b(is|are|was|were|will|would|has|have|had|can|could|did|does|should)\b ")
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")
_PLAIN = re.compile(r"(?<![\d.,])[1-9]\d{3,5}(?![\d.,])")
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")
_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?=\S))*[A-Za-z](?:[^.!?\n]|[.!?](?=\S))*[.!?](?=\s|$)")
"""A sentence: up to a stop followed by a space or the end (so "2.4 million" is not cut)."""
_NEGATION = re.compile(r"\b(not|never|no)\b |n't\b")
FABRICATED = (
    "Officials confirmed the figures were accurate in every respect.",
    "The decision was welcomed by residents at a public meeting on Thursday.",
    "A spokesperson said the plan had the full support of the national government.",
    "Independent experts said the risk to the public was negligible.",
    "The company said it would compensate everyone affected within a month.",
)


def profile(mode: str) -> Profile | None:
    """The profile for a ``--realism`` mode; None for "off"; ValueError for anything else."""
    if mode not in MODES:
        raise ValueError(f"realism must be one of {', '.join(MODES)} (got {mode!r})")
    return PROFILES.get(mode)


def rng_for(seed: int, article: str, turn: int) -> random.Random:
    digest = hashlib.sha256(article.encode("utf-8")).hexdigest()[:16]
    return random.Random(f"realism:{seed}:{digest}:{turn}")


# --- habits ------------------------------------------------------------------------------------------

Habit = Callable[[str, str, random.Random], str | None]
"""(quote, article, rng) -> the changed quote, or None where the habit cannot apply."""

_CURLY = {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"}


def _quote_marks(quote: str, article: str, rng: random.Random) -> str | None:
    if any(c in quote for c in _CURLY):
        return "".join(_CURLY.get(c, c) for c in quote)
    if '"' not in quote and "'" not in quote:
        return None
    out, opening = [], True
    for c in quote:
        if c == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        else:
            out.append("\u2019" if c == "'" else c)
    return "".join(out)


def _dashes(quote: str, article: str, rng: random.Random) -> str | None:
    if "\u2014" in quote or "\u2013" in quote:
        return quote.replace("\u2014", rng.choice(["-", "--"])).replace("\u2013", "-")
    if " - " in quote:
        return quote.replace(" - ", " \u2014 ")
    return None


def _case(quote: str, article: str, rng: random.Random) -> str | None:
    words = [m for m in re.finditer(r"[^\W\d_]+", quote)]
    if not words:
        return None
    w = words[0] if rng.random() < 0.5 else rng.choice(words)
    first = quote[w.start()]
    swapped = first.lower() if first.isupper() else first.upper()
    return quote[: w.start()] + swapped + quote[w.start() + 1 :]


def _inner_words(quote: str) -> list[str]:
    return quote.split(" ")


def _droppable(word: str) -> bool:
    return word.isalpha() and word.lower() not in {"not", "no", "never", "without"}


def _drop_word(quote: str, article: str, rng: random.Random) -> str | None:
    words = _inner_words(quote)
    inner = [i for i in range(1, len(words) - 1) if _droppable(words[i])]
    if len(words) < 7 or not inner:
        return None
    i = rng.choice(inner)
    return " ".join(words[:i] + words[i + 1 :])


def _add_word(quote: str, article: str, rng: random.Random) -> str | None:
    words = _inner_words(quote)
    if len(words) < 7:
        return None
    i = rng.randrange(1, len(words) - 1)
    return " ".join([*words[:i], rng.choice(FILLER_WORDS), *words[i:]])


def _join_sentences(quote: str, article: str, rng: random.Random) -> str | None:
    pos = article.find(quote)
    if pos < 0 or not quote.rstrip().endswith((".", "!", "?")):
        return None
    nxt = _SENTENCE.search(article, pos + len(quote))
    if nxt is None or nxt.start() - (pos + len(quote)) > 4:
        return None
    following = nxt.group().strip()
    joint = rng.choice([" ", "; ", ", and "])
    if joint == " ":
        return quote.rstrip() + " " + following
    return quote.rstrip()[:-1] + joint + following[0].lower() + following[1:]


def _ellipsis(quote: str, article: str, rng: random.Random) -> str | None:
    words = _inner_words(quote)
    if len(words) < 9:
        return None
    a = rng.randrange(3, len(words) - 4)
    b = min(len(words) - 3, a + rng.randint(1, 4))
    return " ".join([*words[:a], rng.choice(["...", "\u2026"]), *words[b:]])


def _headline(quote: str, article: str, rng: random.Random) -> str | None:
    title = next((line.strip() for line in article.splitlines() if line.strip()), "")
    return title if len(title) >= MIN_QUOTE_CHARS and title != quote else None


def _numbers(quote: str, article: str, rng: random.Random) -> str | None:
    grouped = list(_GROUPED.finditer(quote))
    if grouped:
        m = rng.choice(grouped)
        plain = m.group().replace(",", rng.choice(["", " ", "."]))
        return quote[: m.start()] + plain + quote[m.end() :]
    plain_numbers = [m for m in _PLAIN.finditer(quote) if not re.fullmatch(r"(19|20)\d\d", m.group())]
    if not plain_numbers:
        return None
    m = rng.choice(plain_numbers)
    return quote[: m.start()] + f"{int(m.group()):,}" + quote[m.end() :]


HABITS: Mapping[str, Habit] = {
    "quote_marks": _quote_marks,
    "dashes": _dashes,
    "case": _case,
    "drop_word": _drop_word,
    "add_word": _add_word,
    "join_sentences": _join_sentences,
    "ellipsis": _ellipsis,
    "headline": _headline,
    "numbers": _numbers,
}
NEAR_VERBATIM_FUZZY = ("drop_word", "add_word", "numbers", "ellipsis")
"""Habits that only the fuzzy level accepts (the ``sloppy_quote`` fault uses the first that applies)."""


def corrupt(quote: str, article: str, prof: Profile, rng: random.Random) -> tuple[str, str | None]:
    """The quote after at most one habit, and the habit's name (None: copied as it is)."""
    applicable = [(name, changed) for name, changed in _candidates(quote, article, rng)]
    u = rng.random()
    for name, changed in applicable:
        u -= prof.rates[name]
        if u < 0:
            return changed, name
    return quote, None


def _candidates(quote: str, article: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    for name, habit in HABITS.items():
        changed = habit(quote, article, rng)
        if changed is not None and changed != quote:
            yield name, changed


# --- inventions --------------------------------------------------------------------------------------

INVENTIONS = ("number", "negation", "name", "word", "splice", "fabricated")


def invent(article: str, rng: random.Random, kinds: Sequence[str] = INVENTIONS) -> tuple[str, str]:
    """A sentence the article does not contain, and how it was made.

    Most are near misses built from one of the article's own sentences: a
    number changed, a negation added or removed, a name or word swapped for
    another of the article's, two sentences spliced; the rest are made up.
    """
    sentences = [s.group().strip() for s in _SENTENCE.finditer(article)]
    sentences = [s for s in sentences if len(s.split()) >= 6]
    plain = normalise(article).casefold()
    for _ in range(40):
        kind = rng.choice(list(kinds))
        made = _make(kind, sentences, article, rng) if sentences else None
        if made is not None and normalise(made).casefold() not in plain and len(made) >= MIN_QUOTE_CHARS:
            return made, kind
    for sentence in FABRICATED:
        if normalise(sentence).casefold() not in plain:
            return sentence, "fabricated"
    return "Nothing in this sentence was ever written by the article's author (simulated).", "fabricated"


def _make(kind: str, sentences: list[str], article: str, rng: random.Random) -> str | None:
    s = rng.choice(sentences)
    if kind == "number":
        numbers = list(_NUMBER.finditer(s))
        if not numbers:
            return None
        m = rng.choice(numbers)
        digits = re.sub(r"\D", "", m.group()) or "1"
        changed = str(int(digits) + rng.choice([1, 2, 5, 10, 100, 250]))
        return s[: m.start()] + changed + s[m.end() :]
    if kind == "negation":
        neg = _NEGATION.search(s)
        if neg is not None:
            return (s[: neg.start()] + s[neg.end() :]).replace("  ", " ")
        aux = NEGATABLE.search(s)
        return None if aux is None else s[: aux.end()] + "not " + s[aux.end() :]
    if kind in ("name", "word"):
        words = s.split(" ")
        if kind == "name":
            at = [i for i, w in enumerate(words) if i > 0 and w[:1].isupper() and w.isalpha()]
            pool = sorted({w for w in re.findall(r"\b[A-Z][a-z]{2,}\b", article)})
        else:
            at = [i for i, w in enumerate(words) if w.isalpha() and w.islower() and len(w) >= 4]
            pool = sorted({w for w in re.findall(r"\b[a-z]{4,}\b", article)})
        if not at:
            return None
        i = rng.choice(at)
        others = [w for w in pool if w.lower() != words[i].lower()]
        if not others:
            return None
        words[i] = rng.choice(others)
        return " ".join(words)
    if kind == "splice":
        if len(sentences) < 3:
            return None
        a, b = rng.sample(sentences, 2)
        wa, wb = a.split(" "), b.split(" ")
        return " ".join(wa[: len(wa) // 2] + wb[len(wb) // 2 :])
    return rng.choice(FABRICATED)


# --- answers ----------------------------------------------------------------------------------------


def quote_slots(node: Any) -> list[dict[str, Any]]:
    """Every dict holding a string ``quote``, in document order."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if isinstance(node.get("quote"), str):
            found.append(node)
        for value in node.values():
            found.extend(quote_slots(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(quote_slots(item))
    return found


@dataclass(frozen=True)
class Change:
    index: int
    habit: str
    """A habit name, "invented:<kind>", "repeated" or "fixed"."""
    quote: str


def first_answer(
    answer: dict[str, Any], article: str, prof: Profile, rng: random.Random
) -> tuple[dict[str, Any], list[Change]]:
    """A copy of the brain's answer with the profile's habits applied to its quotes."""
    result = copy.deepcopy(answer)
    slots = quote_slots(result)
    changes: list[Change] = []
    for i, slot in enumerate(slots):
        changed, habit = corrupt(slot["quote"], article, prof, rng)
        if habit is not None:
            slot["quote"] = changed
            changes.append(Change(i, habit, changed))
    if slots and rng.random() < prof.invent:
        i = rng.randrange(len(slots))
        made, kind = invent(article, rng)
        slots[i]["quote"] = made
        changes = [c for c in changes if c.index != i] + [Change(i, f"invented:{kind}", made)]
    return result, changes


def reasked_answer(
    answer: dict[str, Any], previous: Any, feedback: str, prof: Profile, rng: random.Random
) -> tuple[dict[str, Any], list[Change]]:
    """The model's answer to a re-ask: its previous answer, with the quotes the feedback names fixed.

    A quote counts as named when its text appears in the feedback (the
    validator's message quotes it). Each named quote is fixed to the brain's
    quote unless it repeats the mistake (``prof.repeat``); every other quote
    stays as the previous answer had it. If the previous answer cannot be
    matched to the brain's (a different shape), the brain's answer is sent.
    """
    result = copy.deepcopy(answer)
    clean = quote_slots(result)
    before = quote_slots(previous)
    if len(before) != len(clean):
        return result, []
    changes: list[Change] = []
    for i, (slot, old) in enumerate(zip(clean, before, strict=True)):
        sent = old["quote"]
        if sent == slot["quote"]:
            continue
        named = repr(sent) in feedback or sent in feedback
        if named and rng.random() >= prof.repeat:
            changes.append(Change(i, "fixed", slot["quote"]))
        else:
            slot["quote"] = sent
            changes.append(Change(i, "repeated" if named else "kept", sent))
    return result, changes


def previous_answer(messages: Sequence[Mapping[str, Any]]) -> tuple[Any, str, int]:
    """The last assistant answer (parsed JSON or None), the text of the messages after it, and the turn."""
    turn = sum(1 for m in messages if m.get("role") == "assistant")
    last = max((i for i, m in enumerate(messages) if m.get("role") == "assistant"), default=-1)
    if last < 0:
        return None, "", 0
    message = messages[last]
    raw: Any = None
    calls = message.get("tool_calls")
    if isinstance(calls, list) and calls and isinstance(calls[0], dict):
        raw = (calls[0].get("function") or {}).get("arguments")
    if raw is None:
        raw = message.get("content")
    parsed = _parse(raw)
    feedback = "\n".join(_text(m.get("content")) for m in messages[last + 1 :])
    return parsed, feedback, turn


def _parse(raw: Any) -> Any:
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def respond(
    answer: dict[str, Any], article: str, messages: Sequence[Mapping[str, Any]], prof: Profile, seed: int
) -> dict[str, Any]:
    """What a model with these habits answers: a first answer, or its answer to a re-ask."""
    previous, feedback, turn = previous_answer(messages)
    rng = rng_for(seed, article, turn)
    if turn == 0 or previous is None:
        return first_answer(answer, article, prof, rng)[0]
    return reasked_answer(answer, previous, feedback, prof, rng)[0]


def sloppy_first_quote(answer: dict[str, Any], article: str, rng: random.Random) -> dict[str, Any]:
    """The ``sloppy_quote`` fault: the first quote a fuzzy-only habit applies to, changed by it."""
    result = copy.deepcopy(answer)
    for slot in quote_slots(result):
        for name in NEAR_VERBATIM_FUZZY:
            changed = HABITS[name](slot["quote"], article, rng)
            if changed is not None and changed != slot["quote"]:
                slot["quote"] = changed
                return result
    return result


def near_miss_first_quote(answer: dict[str, Any], article: str, rng: random.Random) -> dict[str, Any]:
    """The ``near_miss_quote`` fault: the first quote replaced by one of the article's sentences with a
    number or a negation changed (a sentence the article does not contain)."""
    result = copy.deepcopy(answer)
    slots = quote_slots(result)
    if slots:
        slots[0]["quote"] = invent(article, rng, kinds=("number", "negation"))[0]
    return result
