"""What-if: where ``run_batch`` spends its time over bare instructor, by switching parts off.

Not a benchmark of the product as it is: this replaces parts of the runner in
this process only (no file is changed), to measure what each piece of the
per-article work that the batch issue requires costs, next to bare instructor
given the same prepared model ((b') of ``overhead.py``), on the same articles
and simulator, interleaved over rounds:

* ``no-write``: the output file is not written (``Outputs.write`` does nothing);
* ``no-store``: nothing is committed to SQLite (``BatchRun.record`` does nothing);
* ``no-grounding``: quotes and names are not checked against the article (the
  source accepts everything, as (b') does);
* ``none-of-them``: all three off.

Each figure is the median over rounds of (variant articles/s) / ((b') articles/s)
in the same round, and the same for client CPU per article. It reaches into
``Outputs.write``, ``BatchRun.record`` and ``summarizer.llm.client.Source``:
when those move, this script needs updating, not the product.

    python bench/ablation.py [--articles 500] [--rounds 4]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
from collections.abc import Iterator
from typing import Any

from articles import write_articles
from common import (
    Timed,
    add_sim_args,
    batch_options,
    header,
    llm_settings,
    lost,
    run_batch_timed,
    sim_from_args,
    workdir,
)
from overhead import AnyText, bare_instructor, load_messages

import summarizer.batching.outputs as outputs
import summarizer.batching.runner as runner
import summarizer.llm.client as llm_client

VARIANTS = ("pipeline", "no-write", "no-store", "no-grounding", "none-of-them")


@contextlib.contextmanager
def applied(variant: str) -> Iterator[None]:
    saved = {
        (outputs.Outputs, "write"): outputs.Outputs.write,
        (runner.BatchRun, "record"): runner.BatchRun.record,
        (llm_client, "Source"): llm_client.__dict__["Source"],
    }

    async def no_record(*args: Any, **kwargs: Any) -> None:
        return None

    if variant in ("no-write", "none-of-them"):
        setattr(outputs.Outputs, "write", lambda self, item, text: None)  # noqa: B010
    if variant in ("no-store", "none-of-them"):
        setattr(runner.BatchRun, "record", no_record)  # noqa: B010
    if variant in ("no-grounding", "none-of-them"):
        setattr(llm_client, "Source", lambda text: AnyText())  # noqa: B010
    try:
        yield
    finally:
        for (owner, name), value in saved.items():
            setattr(owner, name, value)


def main() -> None:
    parser = argparse.ArgumentParser(description="run_batch with parts switched off, next to bare instructor")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=4)
    add_sim_args(parser)
    args = parser.parse_args()
    n, k = args.articles, args.concurrency
    header(f"ablation: {n} articles, zero latency, concurrency {k}, {args.rounds} rounds")
    with workdir() as work, sim_from_args(args, latency=0.0) as sim:
        root = work / "articles"
        write_articles(root, n)
        settings = llm_settings(sim.url)
        run_batch_timed(settings, batch_options(root, work, "warmup", concurrency=k))
        batch = load_messages(root)
        rate: dict[str, list[float]] = {v: [] for v in ("b'", *VARIANTS)}
        cpu: dict[str, list[float]] = {v: [] for v in rate}

        def keep(label: str, done: int, t: Timed) -> None:
            rate[label].append(done / t.wall)
            cpu[label].append(1000 * t.cpu / n)

        for round_ in range(args.rounds):
            sim.settle()
            failed, t = bare_instructor(sim.url, batch, k, prepared=True)
            keep("b'", n - failed, t)
            for variant in VARIANTS:
                sim.settle()
                with applied(variant):
                    options = batch_options(root, work, f"{variant}-{round_}", concurrency=k)
                    report, t = run_batch_timed(settings, options)
                keep(variant, n - lost(report), t)
            print(f"  round {round_ + 1}: " + "  ".join(f"{v} {r[-1]:.1f}/s" for v, r in rate.items()))
        for variant in VARIANTS:
            ratio = statistics.median(c / b for b, c in zip(rate["b'"], rate[variant], strict=True))
            extra = statistics.median(c - b for b, c in zip(cpu["b'"], cpu[variant], strict=True))
            print(
                f"  {variant:13s} articles/s vs (b') {ratio:.3f}   client CPU over (b') "
                f"{extra:+.2f} ms/article (median of rounds)"
            )


if __name__ == "__main__":
    main()
