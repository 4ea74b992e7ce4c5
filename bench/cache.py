"""Benchmark 4: re-running an unchanged folder makes no model call and is fast.

1,000 distinct articles go through ``run_batch`` once (LLM path, zero-latency
simulator) into a store; then the same folder, store and output folder are
run again. Timed: the second run only (``run_batch`` wall time: discovery,
ingest of every file, cache-key look-up, loading the stored result, checking
the output file, report). Model calls are counted at the simulator (its log
lines) during that run. A third run is timed too, to show the spread.
Targets: 0 model calls, >= 2,000 articles/s (issue 11; it was 500).

    python bench/cache.py [--articles 1000]
"""

from __future__ import annotations

import argparse

from articles import write_articles
from common import (
    add_sim_args,
    batch_options,
    header,
    llm_settings,
    lost,
    run_batch_timed,
    sim_from_args,
    verdict,
    workdir,
)


def main() -> None:
    parser = argparse.ArgumentParser(description="re-run of an unchanged folder: calls and articles/s")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    add_sim_args(parser)
    args = parser.parse_args()
    n = args.articles
    header(f"cache: re-run of an unchanged {n}-article folder")
    with workdir() as work, sim_from_args(args) as sim:
        root = work / "articles"
        write_articles(root, n)
        settings = llm_settings(sim.url)
        options = batch_options(root, work, "store", concurrency=args.concurrency)
        first, t1 = run_batch_timed(settings, options)
        print(
            f"  first run: {t1.wall:.2f}s ({n / t1.wall:.0f} articles/s), {first.counts}, "
            f"{len(sim.chat_since(0))} model calls"
        )
        rates: list[float] = []
        calls: list[int] = []
        for label in ("second", "third"):
            mark = sim.settle()
            report, t = run_batch_timed(settings, options)
            sim.settle()
            calls.append(len(sim.chat_since(mark)))
            rates.append(n / t.wall)
            print(
                f"  {label} run: {t.wall:.3f}s wall, {rates[-1]:.0f} articles/s, client CPU "
                f"{1000 * t.cpu / n:.2f} ms/article, cache hits {report.cache_hits}, lost {lost(report)}, "
                f"model calls at the simulator {calls[-1]}"
            )
        verdict("model calls in the second run", calls[0], "== 0", calls[0] == 0)
        verdict("second run articles/s", rates[0], ">= 2000", rates[0] >= 2000)


if __name__ == "__main__":
    main()
