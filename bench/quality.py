"""Quality of the offline engine, comparator, grouping and ingest on the held-apart evaluation set.

    python bench/quality.py [--split tune|report|all] [--json] [--details] [--lee PATH]

Runs the product as a user would (``ingest.load`` per file, the offline
``Summarizer`` per article, ``compare_paths`` per story folder, the story
grouping over each split's articles) and prints, per split, the figures of
issue 12. A measurement, not a test: it exits 0 whatever the figures are.
``tune`` may be looked at in detail and used to set thresholds; figures are
*reported* on ``report``, and ``--details`` (which lists every miss) is for
the tune split only (``--json`` gives the report split's misses as counts). See
``bench/evalset/README.md``.

How a product item is matched to an expected one (``bench/qmatch.py``):

* Values are compared as *tokens*: numbers as numbers, whatever the wording
  ("42.000" = "42,000" = "42 000"; "1.8 million" = 1,800,000; "twelve" =
  12) and weekdays in English, German, French and Spanish ("Mittwoch" =
  "Wednesday"). A value matches a text when all its tokens occur in it.
* **Conflict**: a product conflict matches an expected one when two of its
  sides are pinned to two different expected values; a side is pinned to
  source F's value when F is among the side's quoted sources and the value's
  tokens occur in the side's claim or quotes. Each expected conflict is
  matched at most once; unmatched product conflicts are false positives.
* **Cross-source answer**: a product open question with any status but
  ``open`` matches an expected answer when it is raised by one of the
  expected raising sources and its answer quote comes from an expected
  answering source and *overlaps* the expected passage (one contains the
  other, or it holds 60 % of the expected passage's words). Precision and
  recall count matches; status accuracy is over the matches. Every
  ``contradicted`` status not expected as such is a *false contradicted*.
  A must-stay-open item is kept when every product question raised from its
  passage has an allowed status (``open``, or ``partly_answered`` where a
  condition is given); such a question with an allowed status is not counted
  as a false answer.
* **Wire groups**: P/R over member pairs; origin accuracy over expected
  groups the product found (two or more members in one product group);
  republishers named right: the outlet compare shows for each copy equals
  its own site name (not the agency's).
* **Unique facts**: recall only (the expected lists are not exhaustive).
* **Cross-language stories**: flagged when the product logs a warning or
  writes any report text (quotes aside) that names languages; offline cannot
  align sources across languages, so it should say so.
* **Questions**: every distinct open question the offline engine *generates*
  (``find_questions(check=False)``: before its own check withholds any), the
  summaries' and the comparisons', checked by ``bench/qcheck.py`` (the
  product's checker, ``summarizer.offline.qcheck``).
* **Key points**: key points per body sentence (the engine's own sentence
  split), share of key points that are a verbatim copy of their quote (the
  quote's words in order, at most a fifth dropped at the ends), and, for
  wire stories, the expected key facts a key point's quote covers.
* **Grouping**: Pearson r between ``compare.group.similarities`` over all
  accepted articles of the split and the hand judgments, over same-language
  pairs; link and group P/R of the product's links (``compare.group.links``,
  the direct similarity at its threshold), where a judged score >= 0.7 means
  the pair should be linked; cross-language same-story pairs are counted
  apart. The Lee corpus's Pearson r is given per subset of pairs (``lee.py``):
  within documents 1-25 (development), within 26-50 and across (held out).
* **Ingest**: accepted / rejected as expected, exact title, site suffix
  left in the title, the title twice in the text, metadata (site name,
  author, date) filled and right (from ``Article`` when it carries them; and
  as compare shows them per source), and kept/dropped passages (a keep
  passage located in the cleaned text by the grounding rule, a drop passage
  absent).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evalset_data import SPLITS, load_split
from qmeasure import (
    load_all,
    measure_compare,
    measure_grouping,
    measure_ingest,
    measure_questions,
    measure_summaries,
    offline_settings,
)


def run_split(name: str) -> dict[str, Any]:
    split = load_split(name)
    settings = offline_settings()
    loaded = load_all(split)
    summaries, questions = measure_summaries(split, loaded, settings)
    compare, cross_questions = measure_compare(split, settings)
    for q, kind in cross_questions.items():
        questions.setdefault(q, kind)
    return {
        "split": name,
        "articles": len(split.articles),
        "stories": len(split.stories),
        "ingest": measure_ingest(split, loaded),
        "summaries": summaries,
        "questions": measure_questions(questions),
        "compare": compare,
        "grouping": measure_grouping(split, loaded),
    }


def _f(x: float | None) -> str:
    return "  n/a" if x is None else f"{x:5.2f}"


def _r(pair: list[int]) -> str:
    got, total = pair
    return f"{got}/{total}" + (f" ({got / total:.0%})" if total else "")


def _prf(c: dict[str, Any]) -> str:
    counts = f"tp {c['tp']}, fp {c['fp']}, fn {c['fn']}"
    return f"P {_f(c['precision'])}  R {_f(c['recall'])}  F1 {_f(c['f1'])}  ({counts})"


def render(result: dict[str, Any], details: bool) -> str:
    ing, summ, q, cmp, grp = (result[k] for k in ("ingest", "summaries", "questions", "compare", "grouping"))
    meta = ", ".join(
        f"{k} {v['right']}/{v['expected']} right ({v['filled']} filled)" for k, v in ing["meta"].items()
    )
    kp = summ["key_points"] / summ["sentences"] if summ["sentences"] else None
    wire_kp = summ["wire_key_points"] / summ["wire_sentences"] if summ["wire_sentences"] else None
    lines = [
        f"== {result['split']}: {result['articles']} articles, {result['stories']} stories",
        "ingest",
        f"  accepted as expected      {_r(ing['accepted'])}; rejected as expected {_r(ing['rejected'])}",
        f"  title exact               {_r(ing['title_exact'])}",
        f"  site suffix kept in title {_r(ing['title_suffix_kept'])}   (lower is better)",
        f"  title twice in the text   {_r(ing['title_twice_in_text'])}   (lower is better)",
        f"  metadata from ingest      {meta}",
        f"  compare shows: outlet right {_r(cmp['compare_outlet_right'])}, "
        f"date right {_r(cmp['compare_date_right'])}",
        f"  kept/dropped passages     {_r(ing['keep_drop'])}",
        "comparison",
        f"  conflicts                 {_prf(cmp['conflicts'])}",
        f"  cross-source answers      {_prf(cmp['answers'])}",
        f"  answer status right       {_r(cmp['answer_status_right'])}",
        f"  false 'contradicted'      {cmp['false_contradicted']}",
        f"  must stay open, kept      {_r(cmp['kept_open'])}",
        f"  wire groups (pairs)       {_prf(cmp['wire_pairs'])}",
        f"  wire origin right         {_r(cmp['wire_origin_right'])}; republishers keep their own name "
        f"{_r(cmp['republisher_named'])}",
        f"  unique facts recall       {_r(cmp['unique_recall'])}",
        f"  cross-language stories flagged as such {_r(cmp['cross_language_flagged'])}",
        "summaries",
        f"  grammatical questions     {_r([q['grammatical'], q['total']])}",
        f"  key points per sentence   {_f(kp)} ({summ['key_points']} / {summ['sentences']}); "
        f"wire stories {_f(wire_kp)}",
        f"  key points copied verbatim {_r([summ['verbatim_points'], summ['key_points']])}",
        f"  wire key facts covered    {_r(summ['key_facts_covered'])}",
        "grouping",
        f"  Pearson r vs judgments    {_f(grp['pearson'])} over {grp['pairs']} same-language pairs"
        f" ({grp['pairs_skipped_rejected']} pairs left out: an article was rejected)",
        f"  links at {grp['threshold']}          {_prf(grp['link'])}",
        f"  same group                {_prf(grp['grouped'])}",
        f"  cross-language same-story pairs linked {_r(grp['cross_language_same_story_linked'])}",
    ]
    crashes = cmp["crashes"] + summ["crashes"]
    if crashes:
        lines += ["crashes (product exceptions, counted as misses)", *(f"  {c}" for c in crashes)]
    if ing["wrongly_rejected"]:
        lines += ["wrongly rejected", *(f"  {e}" for e in ing["wrongly_rejected"])]
    if details:
        lines += ["details", *(f"  {d}" for d in ing["details"] + cmp["details"])]
        lines += [f"  question: {k!r}: {'; '.join(v)}" for k, v in q["faults"].items()]
    return "\n".join(lines)


def _withhold_misses(result: dict[str, Any]) -> None:
    """The report split's figures only: which items it missed stay unseen, so nobody tunes on them."""
    for part in ("ingest", "compare"):
        result[part]["details"] = len(result[part]["details"])
    result["questions"]["faults"] = len(result["questions"]["faults"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--details", action="store_true", help="list every miss (tune split only)")
    parser.add_argument(
        "--lee", type=Path, help="gensim wheel (or folder) holding lee.cor and similarities0-1.txt"
    )
    parser.add_argument(
        "--lee-link", type=float, default=0.9, help="human rating that means 'same story' (0.9)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    names = list(SPLITS) if args.split == "all" else [args.split]
    if args.details and "report" in names:
        parser.error(
            "--details lists every miss; use it with --split tune (the report split is not for tuning)"
        )
    results: dict[str, Any] = {n: run_split(n) for n in names}
    if "report" in results:
        _withhold_misses(results["report"])
    if args.lee:
        from lee import evaluate_lee

        results["lee"] = evaluate_lee(args.lee, args.lee_link)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    for name in names:
        print(render(results[name], args.details))
        print()
    if "lee" in results:
        from lee import render as render_lee

        print(render_lee(results["lee"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
