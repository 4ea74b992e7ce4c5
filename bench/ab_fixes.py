"""What-if: ``run_batch`` throughput with two suggested fixes applied in-process (A/B).

Not a benchmark of the product as it is: this patches two functions in this
process only (no file is changed) to measure what a fix would buy, on the
same articles and simulator, interleaved over rounds:

* ``prep``: pass instructor a response model prepared once
  (``instructor.openai_schema(ArticleSummary)``) instead of the bare class.
  instructor 1.17 wraps the bare class in a new subclass on every call
  (``response_schema`` -> pydantic ``create_model``), so its own
  ``generate_openai_schema`` cache never hits and the JSON schema is rebuilt
  for every request. The request body is byte-identical either way.
* ``noest``: skip the per-article prompt token estimate, which the runner
  computes even when neither a tpm limit nor ``--max-cost`` uses it.

It reaches into ``summarizer.llm.async_client.request_args`` and
``summarizer.batch.runner.estimate_request_tokens``: when those move, this
script needs updating, not the product.

    python bench/ab_fixes.py [--latency 0] [--articles 500] [--rounds 3]
    python bench/ab_fixes.py --latency 0.2 --articles 200
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
from collections.abc import Iterator
from typing import Any

import instructor
from articles import write_articles
from common import (
    add_sim_args,
    batch_options,
    header,
    llm_settings,
    lost,
    run_batch_timed,
    sim_from_args,
    workdir,
)

import summarizer.batch.runner as runner
import summarizer.llm.async_client as async_client

VARIANTS = ("base", "prep", "noest", "prep+noest")


@contextlib.contextmanager
def applied(variant: str) -> Iterator[None]:
    request_args = async_client.request_args
    estimate = runner.estimate_request_tokens
    prepared: dict[type[Any], type[Any]] = {}

    def prepared_args(config: Any, response_model: type[Any], messages: Any) -> dict[str, Any]:
        if response_model not in prepared:
            prepared[response_model] = instructor.openai_schema(response_model)
        return request_args(config, prepared[response_model], messages)

    if "prep" in variant:
        async_client.request_args = prepared_args  # type: ignore[assignment]
    if "noest" in variant:
        runner.estimate_request_tokens = lambda text: 0  # type: ignore[assignment]
    try:
        yield
    finally:
        async_client.request_args = request_args  # type: ignore[assignment]
        runner.estimate_request_tokens = estimate  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description="run_batch with suggested fixes patched in, A/B")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    add_sim_args(parser)
    args = parser.parse_args()
    n, k = args.articles, args.concurrency
    header(f"what-if: {n} articles, latency {args.latency}s, concurrency {k}, {args.rounds} rounds")
    with workdir() as work, sim_from_args(args, latency=args.latency) as sim:
        root = work / "articles"
        write_articles(root, n)
        settings = llm_settings(sim.url)
        run_batch_timed(settings, batch_options(root, work, "warmup", concurrency=k))
        rates: dict[str, list[float]] = {v: [] for v in VARIANTS}
        for round_ in range(args.rounds):
            for variant in VARIANTS:
                with applied(variant):
                    name = f"{variant.replace('+', '-')}-{round_}"
                    report, t = run_batch_timed(settings, batch_options(root, work, name, concurrency=k))
                rates[variant].append((n - lost(report)) / t.wall)
            print(f"  round {round_ + 1}: " + "  ".join(f"{v} {r[-1]:.1f}/s" for v, r in rates.items()))
        base = statistics.median(rates["base"])
        for variant, values in rates.items():
            median = statistics.median(values)
            line = f"  {variant:11s} median {median:7.1f} articles/s  x{median / base:.3f} of base"
            if args.latency > 0:
                line += f"  ({median / (k / args.latency):.3f} of the ideal {k / args.latency:.0f}/s)"
            print(line)


if __name__ == "__main__":
    main()
