"""Running the product over one split of the evaluation set and measuring what it did.

Owns the calls into the product, made the way a user's run makes them:
``ingest.load`` per file, the offline ``pipeline.Summarizer`` per article,
``compare.run.compare_paths`` per story folder (the folder order decides the
input order, as on the command line), and the story grouping
(``compare.group.similarities`` / ``group_articles`` over every accepted
article of the split, as ``compare --group`` sees a mixed folder). The
matching rules live in ``qmatch``; ``quality`` prints. A crash inside the
product is caught per file or story, counted and reported, never hidden.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from evalset_data import Split
from qcheck import check_question
from qmatch import (
    AnswerScore,
    Counts,
    _fold,
    file_of,
    match_conflicts,
    overlaps,
    score_answers,
    score_wire,
    unique_recall,
)

from summarizer import ingest
from summarizer.article import Article
from summarizer.comparison.group import STORY_THRESHOLD, group_articles, links, similarities, story_text
from summarizer.comparison.run import compare_paths
from summarizer.errors import SummarizerError
from summarizer.grounding import Source
from summarizer.offline.questions import find_questions
from summarizer.offline.text import parse
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings

SAME_STORY = 0.7
"""A judged pair at or above this is one story: the grouping should link it."""
_META_NAMES = {
    "site_name": ("site_name", "sitename", "outlet", "site"),
    "author": ("author", "authors", "byline"),
    "date": ("date", "published", "published_at", "publication_date"),
}
_LANGUAGE_NOTICE = re.compile(r"\blanguages?\b|\bcross-language\b", re.IGNORECASE)


def offline_settings() -> Settings:
    return Settings(_env_file=None, engine="offline")  # type: ignore[call-arg]


@dataclass
class Loaded:
    articles: dict[str, Article] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    several: list[str] = field(default_factory=list)
    """Files ingest split into more than one article (none of the set's files holds two)."""


def load_all(split: Split) -> Loaded:
    loaded = Loaded()
    for rel in sorted(split.articles):
        try:
            found = ingest.load(str(split.path(rel)))
        except SummarizerError as exc:
            loaded.errors[rel] = str(exc)
            continue
        except Exception as exc:  # a crash in ingest is a finding, not a reason to stop measuring
            loaded.errors[rel] = f"crash: {type(exc).__name__}: {exc}"
            continue
        loaded.articles[rel] = found[0]
        if len(found) > 1:
            loaded.several.append(rel)
    return loaded


# --- ingest ------------------------------------------------------------------------------------


def article_meta(article: Article) -> dict[str, str | None]:
    """Date, author and site name as ingest gives them: ``article.meta.<name>`` or ``article.<name>``
    under any of the usual names (the current ``Article`` has none of them)."""
    holders = [getattr(article, "meta", None), getattr(article, "metadata", None), article]
    out: dict[str, str | None] = {}
    for key, names in _META_NAMES.items():
        value = None
        for holder in holders:
            for name in names:
                got = holder.get(name) if isinstance(holder, Mapping) else getattr(holder, name, None)
                if got:
                    value = ", ".join(map(str, got)) if isinstance(got, list | tuple) else str(got)
                    break
            if value:
                break
        out[key] = value
    return out


def meta_right(key: str, got: str | None, want: str | list[str]) -> bool:
    """``got`` is the expected value (any of them, when the set gives a name and its short form)."""
    if not got:
        return False
    if isinstance(want, list):
        return any(meta_right(key, got, w) for w in want)
    if key == "date":
        try:
            return date.fromisoformat(got.strip()[:10]) == date.fromisoformat(want)
        except ValueError:
            return want in got
    strip = lambda s: re.sub(r"^the\s+", "", _fold(s))  # noqa: E731
    return strip(got) == strip(want)


def measure_ingest(split: Split, loaded: Loaded) -> dict[str, Any]:
    should = [r for r, e in split.articles.items() if e["accept"]]
    should_not = [r for r, e in split.articles.items() if not e["accept"]]
    accepted = [r for r in should if r in loaded.articles]
    rejected_right = [
        r
        for r in should_not
        if r in loaded.errors and re.search(split.articles[r].get("reject_reason", "."), loaded.errors[r])
    ]
    titled = [r for r in accepted if split.articles[r]["title"] is not None]
    title_ok = [r for r in titled if _fold(loaded.articles[r].title) == _fold(split.articles[r]["title"])]
    suffixed = [r for r in accepted if split.articles[r].get("title_suffix")]
    suffix_kept = [
        r
        for r in suffixed
        if _fold(split.articles[r]["title_suffix"].strip(" |-–—_")) in _fold(loaded.articles[r].title)
    ]
    doubled = [r for r in accepted if _title_twice(loaded.articles[r])]
    meta: dict[str, list[int]] = {k: [0, 0, 0] for k in _META_NAMES}  # filled, right, expected
    kept = [0, 0]
    misses: list[str] = []
    for rel in accepted:
        exp, article = split.articles[rel], loaded.articles[rel]
        got = article_meta(article)
        for key, want in exp["meta"].items():
            if want is None:
                continue
            meta[key][2] += 1
            meta[key][0] += bool(got[key])
            meta[key][1] += meta_right(key, got[key], want)
        source = Source(article.text)
        for quote in exp["keep"]:
            kept[1] += 1
            if source.locate(quote) is not None:
                kept[0] += 1
            else:
                misses.append(f"{rel}: lost {quote[:70]!r}")
        for junk in exp["drop"]:
            kept[1] += 1
            if _fold(junk) not in _fold(article.text):
                kept[0] += 1
            else:
                misses.append(f"{rel}: kept noise {junk[:70]!r}")
    wrong_rejections = [f"{r}: {loaded.errors[r]}" for r in should if r in loaded.errors]
    return {
        "accepted": [len(accepted), len(should)],
        "rejected": [len(rejected_right), len(should_not)],
        "title_exact": [len(title_ok), len(titled)],
        "title_suffix_kept": [len(suffix_kept), len(suffixed)],
        "title_twice_in_text": [len(doubled), len(accepted)],
        "meta": {k: {"filled": v[0], "right": v[1], "expected": v[2]} for k, v in meta.items()},
        "keep_drop": kept,
        "wrongly_rejected": wrong_rejections,
        "split_in_several": loaded.several,
        "details": misses,
    }


def _title_twice(article: Article) -> bool:
    key = _fold(article.title)
    return sum(_fold(p) == key for p in article.text.split("\n\n")) > 1


# --- summaries ---------------------------------------------------------------------------------


def measure_summaries(
    split: Split, loaded: Loaded, settings: Settings
) -> tuple[dict[str, Any], dict[str, str | None]]:
    """Key-point compression per article, and every open question the summaries raise (with kind)."""
    questions: dict[str, str | None] = {}
    points = sentences = verbatim = 0
    facts = [0, 0]
    wire = [0, 0]  # key points, sentences of the wire stories (those with key facts)
    crashes: list[str] = []
    with Summarizer(settings) as summarizer:
        for rel, article in loaded.articles.items():
            try:
                summary = summarizer.summarize(article).summary
            except Exception as exc:
                crashes.append(f"{rel}: {type(exc).__name__}: {exc}")
                continue
            n = sum(s.prose for s in parse(article.text).body)
            points += len(summary.key_points)
            sentences += n
            verbatim += sum(any(_copy(kp.point, ev.quote) for ev in kp.evidence) for kp in summary.key_points)
            # The questions the engine *generates*, before its own check (qcheck) withholds any: the
            # figure measures the generator, not the filter; the emitted ones are a subset.
            for found in find_questions(parse(article.text), check=False):
                questions.setdefault(found.question, found.kind)
            for q in summary.open_questions:
                questions.setdefault(q.question, q.kind.value)
            wanted = split.articles[rel].get("key_facts", [])
            if wanted:
                wire[0] += len(summary.key_points)
                wire[1] += n
                quotes = [ev.quote for kp in summary.key_points for ev in kp.evidence]
                facts[0] += sum(any(overlaps(q, f) for q in quotes) for f in wanted)
                facts[1] += len(wanted)
    return {
        "key_points": points,
        "sentences": sentences,
        "verbatim_points": verbatim,
        "wire_key_points": wire[0],
        "wire_sentences": wire[1],
        "key_facts_covered": facts,
        "crashes": crashes,
    }, questions


def _copy(point: str, quote: str) -> bool:
    """The point is the quote's words, in order, with at most a fifth of them left out at the ends
    (a dropped dateline or attribution): a copy, not a compression."""
    p, q = re.findall(r"\w+", _fold(point)), re.findall(r"\w+", _fold(quote))
    if not p or len(p) < 0.8 * len(q):
        return False
    return any(q[i : i + len(p)] == p for i in range(len(q) - len(p) + 1))


def measure_questions(questions: Mapping[str, str | None]) -> dict[str, Any]:
    bad = {q: check_question(q, kind) for q, kind in questions.items()}
    bad = {q: f for q, f in bad.items() if f}
    return {"total": len(questions), "grammatical": len(questions) - len(bad), "faults": bad}


# --- comparison --------------------------------------------------------------------------------


class _Notices(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _says_language(report: Mapping[str, Any], logged: list[str]) -> bool:
    """Whether the product tells the user it cannot align sources across languages: a warning it
    logs, or any text it writes in the report (quotes and article text aside) naming languages."""

    def texts(value: object, key: str = "") -> list[str]:
        if isinstance(value, str):
            return [] if key in {"quote", "text", "path", "title"} else [value]
        if isinstance(value, Mapping):
            return [t for k, v in value.items() for t in texts(v, str(k))]
        if isinstance(value, list):
            return [t for v in value for t in texts(v, key)]
        return []

    return any(_LANGUAGE_NOTICE.search(t) for t in [*texts(report), *logged])


def measure_compare(split: Split, settings: Settings) -> tuple[dict[str, Any], dict[str, str | None]]:
    conflicts, answers, wire = Counts(), AnswerScore(), Counts()
    origin = [0, 0]
    republisher_named = [0, 0]
    unique = [0, 0]
    flagged = [0, 0]
    outlets = [0, 0]
    dates = [0, 0]
    crashes: list[str] = []
    details: list[str] = []
    questions: dict[str, str | None] = {}
    logger = logging.getLogger("summarizer")
    for name, story in split.stories.items():
        handler = _Notices()
        logger.addHandler(handler)
        try:
            report = compare_paths([str(split.root / name)], settings).model_dump(mode="json")
        except Exception as exc:
            crashes.append(f"{name}: {type(exc).__name__}: {exc}")
            conflicts.fn += len(story["conflicts"])
            answers.counts.fn += len(story["answers"])
            continue
        finally:
            logger.removeHandler(handler)
        files = file_of(report)
        comparison = report["comparison"]
        got, missed = match_conflicts(comparison["conflicts"], story["conflicts"], files)
        conflicts += got
        details += [
            f"{name}: {m}" if m.startswith("unexpected") else f"{name}: missed conflict: {m}" for m in missed
        ]
        scored = score_answers(comparison["open_questions"], story, files)
        answers.counts += scored.counts
        answers.status_right += scored.status_right
        answers.false_contradicted += scored.false_contradicted
        answers.kept_open += scored.kept_open
        answers.must_stay_open += scored.must_stay_open
        details += [f"{name}: {n}" for n in scored.notes]
        w, right, _ = score_wire(report["wire_groups"], story["wire_groups"], files)
        wire += w
        origin[0] += right
        origin[1] += len(story["wire_groups"])
        for group in story["wire_groups"]:
            for member in group["members"]:
                if member == group["origin"]:
                    continue
                republisher_named[1] += 1
                info = next(s for s in report["sources"] if files[s["id"]] == member)
                want = split.articles[f"{name}/{member}"]["meta"]["site_name"]
                republisher_named[0] += meta_right("site_name", info.get("outlet"), want)
        hit, total = unique_recall(comparison["unique_facts"], story["unique_facts"], files)
        unique[0] += hit
        unique[1] += total
        for source in report["sources"]:
            exp = split.articles[f"{name}/{files[source['id']]}"]["meta"]
            if exp["site_name"]:
                outlets[1] += 1
                outlets[0] += meta_right("site_name", source.get("outlet"), exp["site_name"])
            if exp["date"]:
                dates[1] += 1
                dates[0] += meta_right("date", source.get("date"), exp["date"])
        if story.get("cross_language"):
            flagged[1] += 1
            flagged[0] += _says_language(report, handler.messages)
        for q in comparison["open_questions"]:
            questions.setdefault(q["question"], None)
    return {
        "conflicts": conflicts.as_dict(),
        "answers": answers.counts.as_dict(),
        "answer_status_right": [answers.status_right, answers.counts.tp],
        "false_contradicted": answers.false_contradicted,
        "kept_open": [answers.kept_open, answers.must_stay_open],
        "wire_pairs": wire.as_dict(),
        "wire_origin_right": origin,
        "republisher_named": republisher_named,
        "unique_recall": unique,
        "cross_language_flagged": flagged,
        "compare_outlet_right": outlets,
        "compare_date_right": dates,
        "crashes": crashes,
        "details": details,
    }, questions


# --- grouping ----------------------------------------------------------------------------------


def measure_grouping(split: Split, loaded: Loaded) -> dict[str, Any]:
    """Pearson r between the product's story similarity and the judgments over same-language pairs;
    link P/R of the product's links (``compare.group.links``; judged >= ``SAME_STORY`` should link);
    the same for being put in one group; cross-language same-story pairs apart."""
    from evalset_data import judged_pairs

    rels = sorted(loaded.articles)
    index = {r: i for i, r in enumerate(rels)}
    texts = [story_text(loaded.articles[r]) for r in rels]
    sims = similarities(texts)
    linked_pairs = set(links(texts))
    groups = group_articles([loaded.articles[r] for r in rels])
    group_of = {p: n for n, g in enumerate(groups.groups) for p in g}
    label = {r: loaded.articles[r].source for r in rels}
    xs: list[float] = []
    ys: list[float] = []
    link, grouped = Counts(), Counts()
    cross = [0, 0]
    skipped = 0
    for a, b, score in judged_pairs(split):
        if a not in index or b not in index:
            skipped += 1
            continue
        i, j = sorted((index[a], index[b]))
        sim = sims[i, j]
        same_language = split.articles[a]["language"] == split.articles[b]["language"]
        if not same_language:
            if score >= SAME_STORY:
                cross[1] += 1
                cross[0] += (i, j) in linked_pairs
            continue
        xs.append(sim)
        ys.append(score)
        linked, should = (i, j) in linked_pairs, score >= SAME_STORY
        together = label[a] in group_of and group_of.get(label[a]) == group_of.get(label[b])
        for counts, got in ((link, linked), (grouped, together)):
            counts.tp += got and should
            counts.fp += got and not should
            counts.fn += should and not got
    pearson = statistics.correlation(xs, ys) if len(xs) > 2 else None
    return {
        "pearson": pearson,
        "pairs": len(xs),
        "pairs_skipped_rejected": skipped,
        "threshold": STORY_THRESHOLD,
        "link": link.as_dict(),
        "grouped": grouped.as_dict(),
        "cross_language_same_story_linked": cross,
    }
