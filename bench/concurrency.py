"""Benchmark 1: does ``run_batch`` keep ``concurrency`` requests in flight?

200 distinct articles, simulator latency 200 ms, concurrency 8. With every
slot busy the run would do 8 / 0.2 s = 40 articles/s; the figure is the
achieved articles/s of ``run_batch`` (wall time of the call: discovery,
ingest, store, outputs, report included) over that ideal. Target >= 0.95 (issue 11; it was 0.9).

The simulator is warmed up first (the same articles through a throwaway
store), so its brain's CPU is not in the measured run: it stands in for a
remote server whose compute is not ours.

    python bench/concurrency.py [--articles 200] [--latency 0.2] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import statistics

from articles import write_articles
from common import (
    add_sim_args,
    batch_options,
    header,
    llm_settings,
    lost,
    run_batch_timed,
    sim_from_args,
    statuses,
    verdict,
    workdir,
)


def main() -> None:
    parser = argparse.ArgumentParser(description="run_batch throughput vs concurrency / latency")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=8)
    add_sim_args(parser)
    args = parser.parse_args()
    header(f"concurrency: {args.articles} articles, latency {args.latency}s, concurrency {args.concurrency}")
    with workdir() as work, sim_from_args(args, latency=args.latency) as sim:
        root = work / "articles"
        write_articles(root, args.articles)
        settings = llm_settings(sim.url)
        warm, warm_t = run_batch_timed(
            settings, batch_options(root, work, "warmup", concurrency=args.concurrency)
        )
        print(f"  warm-up run: {warm_t.wall:.2f}s, {warm.counts}")
        mark = sim.settle()
        cpu0 = sim.cpu_seconds()
        report, t = run_batch_timed(
            settings, batch_options(root, work, "measured", concurrency=args.concurrency)
        )
        sim.settle()
        seen = sim.chat_since(mark)
        sim_cpu = sim.cpu_seconds() - cpu0
        done = args.articles - lost(report)
        rate = done / t.wall
        ideal = args.concurrency / args.latency
        print(f"  measured run: {t.wall:.2f}s wall (report {report.wall_seconds:.2f}s), {report.counts}")
        print(
            f"  requests at the simulator: {len(seen)} {dict(statuses(seen))}; client CPU {t.cpu:.2f}s, "
            f"simulator CPU {sim_cpu:.2f}s"
        )
        served = statistics.mean(line.latency for line in seen) if seen else float("nan")
        print(f"  throughput: {rate:.1f} articles/s; ideal {ideal:.1f} articles/s")
        print(
            f"  the simulator held each request {1000 * served:.0f} ms on average (latency + its own work); "
            f"with that, {args.concurrency} slots allow {args.concurrency / served:.1f}/s: "
            f"achieved / that = {rate * served / args.concurrency:.3f} (the client's share of the gap)"
        )
        verdict("achieved / ideal", rate / ideal, ">= 0.95", rate / ideal >= 0.95 and done == args.articles)


if __name__ == "__main__":
    main()
