"""Tolerant grounding against real-model habits: what it accepts, what it refuses, what it costs.

Three measurements, each printed (a measurement, not a test: exit 0 either way):

1. **Inventions** (direct, no HTTP): sentences the article does not contain,
   made by ``simulator.realism.invent`` from each article's own sentences (a
   number changed, a negation added or removed, a name or a word swapped for
   another of the article's, two sentences spliced) and made-up ones; how many
   ``Source.align`` accepts. Target: 0 of at least 1,000.
2. **Near-verbatim quotes** (direct): every habit of ``simulator.realism``
   applied to every quote the simulator's brain gives for each article; the
   share accepted without a re-ask, with fuzzy alignment and without it
   (``grounding.strict()``: exact and whitespace/quote-mark matches, the
   behaviour before). Target: >= 95 % with fuzzy.
3. **End to end**: the real client (``pipeline.Summarizer``: openai SDK,
   instructor, our transport) against an in-process loopback simulator with
   ``realism=typical`` and ``sloppy``, before (strict grounding) and after
   (fuzzy): model answers (calls) and re-asks per article, the share of
   articles that failed after the re-ask bound, and the cost at a named
   model's price from ``summarizer.cost`` (the simulator's token counts).
   Target: <= 1.10 calls per article on typical.

Articles: the readable ones in tests/data/corpus plus ``--synthetic``
articles from bench/articles.py.

    python bench/realism.py                    # ~1 minute
    python bench/realism.py --synthetic 200 --price-model gpt-4.1-mini
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from articles import article as synthetic_article

from summarizer import cost, ingest
from summarizer.article import Article
from summarizer.errors import InputError, SummarizerError
from summarizer.grounding import Source, strict
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings
from summarizer.simulator import (
    SimConfig,
    default_brain,
    realism,
    start,
)

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus"


def load_articles(synthetic: int) -> list[Article]:
    found: list[Article] = []
    for path in sorted(CORPUS.glob("*/*")):
        if path.suffix == ".json" or path.name == "README.md":
            continue
        try:
            found.extend(ingest.load(str(path)))
        except InputError:
            continue  # the corpus holds files that must be rejected
    for i in range(synthetic):
        text = synthetic_article(i)
        title = text.splitlines()[0]
        found.append(Article(source=f"synthetic-{i:04d}.txt", index=0, title=title, text=text.strip()))
    return found


def inventions(articles: list[Article], per_article: int, seed: int) -> None:
    rng = random.Random(seed)
    made: Counter[str] = Counter()
    accepted: Counter[str] = Counter()
    examples: list[str] = []
    for art in articles:
        src = Source(art.text)
        for _ in range(per_article):
            sentence, kind = realism.invent(art.text, rng)
            made[kind] += 1
            found = src.align(sentence)
            if found is not None:
                accepted[kind] += 1
                examples.append(f"    {kind}: {sentence!r} -> {found.text!r}")
    total, bad = sum(made.values()), sum(accepted.values())
    print(f"1. inventions: {bad} accepted of {total} ({bad / total:.2%}); target 0 of >= 1,000")
    for kind in realism.INVENTIONS:
        print(f"   {kind:<11} {accepted[kind]:>4} of {made[kind]:>5}")
    print("\n".join(examples[:10]))


def near_verbatim(articles: list[Article], seed: int) -> None:
    rng = random.Random(seed)
    tried: Counter[str] = Counter()
    fuzzy_ok: Counter[str] = Counter()
    strict_ok: Counter[str] = Counter()
    for art in articles:
        src = Source(art.text)
        for slot in realism.quote_slots(default_brain(art.text)):
            for name, habit in realism.HABITS.items():
                changed = habit(slot["quote"], art.text, rng)
                if changed is None or changed == slot["quote"]:
                    continue
                tried[name] += 1
                fuzzy_ok[name] += src.align(changed) is not None
                with strict():
                    strict_ok[name] += src.align(changed) is not None
    total = sum(tried.values())
    after, before = sum(fuzzy_ok.values()), sum(strict_ok.values())
    print(
        f"2. near-verbatim quotes accepted without a re-ask: {after / total:.1%} with fuzzy "
        f"({after} of {total}), {before / total:.1%} before (strict); target >= 95 %"
    )
    for name in realism.HABITS:
        if tried[name]:
            print(
                f"   {name:<15} {fuzzy_ok[name] / tried[name]:>6.1%} fuzzy  "
                f"{strict_ok[name] / tried[name]:>6.1%} strict  of {tried[name]:>5}"
            )


@dataclass
class Run:
    articles: int = 0
    answers: int = 0
    http: int = 0
    failed: int = 0
    prompt: int = 0
    cached: int = 0
    completion: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def usd(self, model: str) -> float:
        price = cost.pricing(model).price
        assert price is not None, f"{model} is not in the price table"
        return cost.price_tokens(price, self.prompt, self.cached, self.completion)


def end_to_end(articles: list[Article], mode: str, tolerant: bool, seed: int) -> Run:
    run = Run()
    with start(SimConfig(realism=mode, seed=seed)) as sim:
        settings = Settings(
            engine="llm", base_url=sim.base_url, model="sim-1", api_key="sim", mode="tools", reasks=2
        )
        scope: AbstractContextManager[None] = nullcontext() if tolerant else strict()
        with Summarizer(settings) as summarizer, scope:
            for art in articles:
                run.articles += 1
                try:
                    p = summarizer.summarize(art).provenance
                    run.answers += p.model_attempts
                    run.http += p.http_attempts
                    usage = (p.usage.prompt_tokens, p.usage.cached_tokens, p.usage.completion_tokens)
                except SummarizerError as exc:
                    run.failed += 1
                    run.reasons[type(exc).__name__] += 1
                    log = getattr(exc, "attempts", None)
                    run.answers += log.model_attempts if log else 0
                    run.http += log.http_attempts if log else 0
                    u = log.usage if log else None
                    usage = (u.prompt_tokens, u.cached_tokens, u.completion_tokens) if u else (0, 0, 0)
                run.prompt += usage[0]
                run.cached += usage[1]
                run.completion += usage[2]
    return run


def report(rows: Iterator[tuple[str, str, Run]], model: str) -> None:
    print(f"3. end to end through the client (reasks=2), cost at {model} prices ({cost.PRICES_AS_OF})")
    print("   mode     grounding  articles  calls/art  re-asks/art  failed  USD/1k articles")
    for mode, label, r in rows:
        n = r.articles
        print(
            f"   {mode:<8} {label:<10} {n:>8}  {r.answers / n:>9.3f}  {(r.answers - n) / n:>11.3f}"
            f"  {r.failed / n:>6.1%}  {1000 * r.usd(model) / n:>15.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--synthetic", type=int, default=100, help="synthetic articles besides the corpus")
    parser.add_argument("--inventions-per-article", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--price-model", default="gpt-4o-mini")
    args = parser.parse_args()
    logging.disable(logging.ERROR)  # re-asked and failed articles are counted here, not logged
    articles = load_articles(args.synthetic)
    print(f"{len(articles)} articles ({args.synthetic} synthetic), seed {args.seed}\n")
    inventions(articles, args.inventions_per_article, args.seed)
    print()
    near_verbatim(articles, args.seed)
    print()

    def rows() -> Iterator[tuple[str, str, Run]]:
        for mode in ("typical", "sloppy"):
            for tolerant, label in ((False, "strict"), (True, "fuzzy")):
                yield mode, label, end_to_end(articles, mode, tolerant, args.seed)

    report(rows(), args.price_model)


if __name__ == "__main__":
    main()
