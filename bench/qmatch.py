"""Matching the product's comparison output to the evaluation set's expectations, and the counts.

Owns the matching rules that ``bench/quality.py`` documents (values as
tokens, quote overlap, which product item counts for which expected one)
and the precision/recall arithmetic. Pure: it reads plain dicts (the
``ComparisonReport`` dumped to JSON) and the expectations, and never runs
the product.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from evalset_data import as_list

_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:([.,\u00a0\u202f ])\d{3})(?:\2\d{3})*|\d+)(?:[.,](\d+))?(?![\d])"
)
_SCALE = {
    "thousand": 1e3, "tausend": 1e3, "mil": 1e3,
    "million": 1e6, "millions": 1e6, "millionen": 1e6, "millones": 1e6, "millón": 1e6, "mio": 1e6,
    "billion": 1e9, "milliarden": 1e9,
}  # fmt: skip
_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
)
_NUMBER_WORDS = {w: n for n, w in enumerate(_ONES.split())} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "dozen": 12,
}
_WEEKDAYS = {
    "mon": "monday montag lundi lunes",
    "tue": "tuesday dienstag mardi martes",
    "wed": "wednesday mittwoch mercredi miércoles miercoles",
    "thu": "thursday donnerstag jeudi jueves",
    "fri": "friday freitag vendredi viernes",
    "sat": "saturday samstag samedi sábado sabado",
    "sun": "sunday sonntag dimanche domingo",
}
_DAY_OF = {name: f"day:{key}" for key, names in _WEEKDAYS.items() for name in names.split()}
_WORDS = re.compile(r"\w+", re.UNICODE)


def _fold(text: str) -> str:
    """Quote marks straightened, whitespace single, case folded (the grounding rule plus case)."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("«", '"').replace("»", '"').replace("„", '"')
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def value_tokens(text: str) -> frozenset[str]:
    """What a value says, comparable across wordings: numbers as numbers ("42.000" = "42,000" =
    "42 000" = 42000, "1.8 million" = 1800000, "twelve" = 12), weekdays in en/de/fr/es as one token
    ("Mittwoch" = "Wednesday"; "Mittwochmorgen" counts too)."""
    folded = _fold(text)
    tokens: set[str] = set()
    for m in _NUMBER.finditer(folded):
        whole = re.sub(r"[.,\u00a0\u202f ]", "", m.group(1)) if m.group(2) else m.group(1)
        value = float(f"{whole}.{m.group(3)}" if m.group(3) else whole)
        after = folded[m.end() :].split(maxsplit=1)
        if after and after[0].strip(".,;:") in _SCALE:
            value *= _SCALE[after[0].strip(".,;:")]
        tokens.add(f"n:{value:g}")
    for word in _WORDS.findall(folded):
        if word in _NUMBER_WORDS:
            tokens.add(f"n:{_NUMBER_WORDS[word]:g}")
        for name, day in _DAY_OF.items():
            if word.startswith(name):
                tokens.add(day)
    return frozenset(tokens)


def overlaps(product: str, expected: str) -> bool:
    """The product's quote and the expected quote are the same passage: one contains the other,
    or the product's quote holds at least 60 % of the expected quote's words."""
    a, b = _fold(product), _fold(expected)
    if a in b or b in a:
        return True
    want = _WORDS.findall(b)
    have = set(_WORDS.findall(a))
    return bool(want) and sum(w in have for w in want) / len(want) >= 0.6


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        return self

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p is not None and r is not None and p + r else (0.0 if p == 0 else None)

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}  # fmt: skip


def file_of(report: Mapping[str, Any]) -> dict[str, str]:
    """Source id -> file name, from a dumped ``ComparisonReport``."""
    return {s["id"]: Path(s["path"]).name for s in report["sources"]}


# --- conflicts ---------------------------------------------------------------------------------


def conflict_matches(
    conflict: Mapping[str, Any], expected: Mapping[str, Any], files: Mapping[str, str]
) -> bool:
    """Two different sides of the product's conflict are pinned to two different expected values:
    a side is pinned to source F's value when F is among the side's sources and the value's tokens
    all occur in the side's claim (in its quotes when the claim states no number or weekday: a
    claim "38 midwife posts" does not stand for a quote's "14 of the unit's 38 posts")."""
    values = {f: value_tokens(v) for f, v in expected["values"].items()}
    pinned: list[set[frozenset[str]]] = []
    for side in conflict["sides"]:
        have = value_tokens(side["claim"]) or value_tokens(" ".join(q["quote"] for q in side["support"]))
        sources = {files.get(q["source"], q["source"]) for q in side["support"]}
        pinned.append({values[f] for f in sources if f in values and values[f] and values[f] <= have})
    return any(any(va != vb for va in a for vb in b) for a, b in combinations(pinned, 2))


def match_conflicts(
    product: list[Mapping[str, Any]], expected: list[Mapping[str, Any]], files: Mapping[str, str]
) -> tuple[Counts, list[str]]:
    """Each expected conflict is matched by at most one product conflict; the rest are false."""
    counts, missed = Counts(), []
    used: set[int] = set()
    for exp in expected:
        hit = next(
            (i for i, c in enumerate(product) if i not in used and conflict_matches(c, exp, files)), None
        )
        if hit is None:
            counts.fn += 1
            missed.append(str(exp["about"]))
        else:
            used.add(hit)
            counts.tp += 1
    counts.fp += len(product) - len(used)
    missed += [
        f"unexpected conflict {c['about']!r}: " + " / ".join(side["claim"] for side in c["sides"])
        for i, c in enumerate(product)
        if i not in used
    ]
    return counts, missed


# --- cross-source answers ----------------------------------------------------------------------


@dataclass
class AnswerScore:
    counts: Counts = field(default_factory=Counts)
    status_right: int = 0
    false_contradicted: int = 0
    kept_open: int = 0
    must_stay_open: int = 0
    notes: list[str] = field(default_factory=list)


def _raises(
    question: Mapping[str, Any], files: Mapping[str, str], raised_by: Iterable[str], quote: str
) -> bool:
    """Whether the product question is raised (among others) from this passage of one of these files."""
    wanted = set(raised_by)
    return any(
        files.get(r["source"], r["source"]) in wanted and overlaps(r["quote"], quote)
        for r in question["raised_in"]
    )


def answer_matches(
    question: Mapping[str, Any], expected: Mapping[str, Any], files: Mapping[str, str]
) -> bool:
    """Raised by one of the expected sources, answered by an expected answering source with a
    passage that overlaps the expected answer."""
    answer = question.get("answer")
    if question["status"] == "open" or not answer:
        return False
    raised = {files.get(s, s) for s in question["raised_by"]}
    if not raised & set(expected["raised_by"]):
        return False
    by, quotes = as_list(expected["answered_by"]), as_list(expected["answer_quote"])
    source = files.get(answer["source"], answer["source"])
    return any(source == f and overlaps(answer["quote"], q) for f, q in zip(by, quotes, strict=True))


def score_answers(
    questions: Sequence[Mapping[str, Any]], story: Mapping[str, Any], files: Mapping[str, str]
) -> AnswerScore:
    """P/R over product questions that carry an answer (any status but open); status accuracy over
    the matched ones; every "contradicted" not expected as such is a false contradiction; a
    must-stay-open question counts as kept when every product question raised from its passage has
    an allowed status."""
    score = AnswerScore()
    answered = [q for q in questions if q["status"] != "open" and q.get("answer")]
    used: set[int] = set()
    for exp in story["answers"]:
        hit = next(
            (i for i, q in enumerate(answered) if i not in used and answer_matches(q, exp, files)), None
        )
        if hit is None:
            score.counts.fn += 1
            score.notes.append(f"missed answer: {exp['raised_quote']!r}")
            continue
        used.add(hit)
        score.counts.tp += 1
        if answered[hit]["status"] in exp["status"]:
            score.status_right += 1
        else:
            score.notes.append(f"status {answered[hit]['status']} for {exp['raised_quote']!r}")
    # A must-stay-open question given a status its item allows ("partly_answered" for a condition)
    # is not a false answer: the set allows it.
    allowed = {
        i
        for i, q in enumerate(answered)
        for item in story["must_stay_open"]
        if _raises(q, files, item["raised_by"], item["raised_quote"]) and q["status"] in item["allowed"]
    }
    used |= allowed - used
    score.counts.fp += len(answered) - len(used)
    score.notes += [
        f"unexpected answer ({q['status']}) to {q['question']!r}: {q['answer']['quote'][:80]!r}"
        for i, q in enumerate(answered)
        if i not in used
    ]
    for i, q in enumerate(answered):
        expected_contradiction = i in used and any(
            "contradicted" in e["status"] for e in story["answers"] if answer_matches(q, e, files)
        )
        if q["status"] == "contradicted" and not expected_contradiction:
            score.false_contradicted += 1
            score.notes.append(f"false contradicted: {q['question']!r}")
    for item in story["must_stay_open"]:
        score.must_stay_open += 1
        raised = [q for q in questions if _raises(q, files, item["raised_by"], item["raised_quote"])]
        if all(q["status"] in item["allowed"] for q in raised):
            score.kept_open += 1
        else:
            bad = sorted({q["status"] for q in raised if q["status"] not in item["allowed"]})
            score.notes.append(f"should stay open, got {'/'.join(bad)}: {item['raised_quote']!r}")
    return score


# --- wire groups and unique facts --------------------------------------------------------------


def wire_pairs(groups: Iterable[Iterable[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for g in groups for p in combinations(sorted(set(g)), 2)}


def score_wire(
    product: list[Mapping[str, Any]], expected: list[Mapping[str, Any]], files: Mapping[str, str]
) -> tuple[Counts, int, int]:
    """Pairwise P/R of wire-group membership, and (origins right, expected groups found)."""
    got = [[files[m] for m in g["members"]] for g in product]
    want = [list(g["members"]) for g in expected]
    p, w = wire_pairs(got), wire_pairs(want)
    counts = Counts(tp=len(p & w), fp=len(p - w), fn=len(w - p))
    right = found = 0
    for exp in expected:
        best = max(
            product, key=lambda g: len({files[m] for m in g["members"]} & set(exp["members"])), default=None
        )
        if best is not None and len({files[m] for m in best["members"]} & set(exp["members"])) >= 2:
            found += 1
            right += files[best["origin"]] == exp["origin"]
    return counts, right, found


def unique_recall(
    product: list[Mapping[str, Any]], expected: Mapping[str, list[str]], files: Mapping[str, str]
) -> tuple[int, int]:
    """(expected unique facts the product lists under that source, expected unique facts)."""
    hit = total = 0
    for f, quotes in expected.items():
        for quote in quotes:
            total += 1
            hit += any(
                files.get(u["evidence"]["source"]) == f and overlaps(u["evidence"]["quote"], quote)
                for u in product
            )
    return hit, total
