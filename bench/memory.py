"""Benchmark 5: a batch's memory does not grow with the number of articles.

Peak RSS (``ru_maxrss``, from ``os.wait4`` on the child) of a child process
that runs ``run_batch`` on the LLM path against a zero-latency simulator,
for 200 and for 2,000 distinct articles, each child fresh (same imports, same
settings, concurrency 8). Target: peak(2,000) <= 1.3 x peak(200).
No warm-up: memory, not speed, is measured (the simulator's brain only makes
the first run of each article slower).

    python bench/memory.py [--small 200] [--large 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from articles import write_articles
from common import (
    add_sim_args,
    batch_options,
    header,
    llm_settings,
    lost,
    run_batch_timed,
    sim_from_args,
    split_cpus,
    verdict,
    workdir,
)


def child(root: Path, work: Path, url: str, name: str, concurrency: int) -> None:
    """Run one batch and print its figures as JSON (the parent reads the peak RSS itself)."""
    report, t = run_batch_timed(llm_settings(url), batch_options(root, work, name, concurrency=concurrency))
    print(json.dumps({"counts": report.counts, "lost": lost(report), "wall": t.wall}))


def measure(root: Path, work: Path, url: str, name: str, concurrency: int) -> tuple[int, dict[str, object]]:
    """(peak RSS in KiB, the child's figures) of one child batch run."""
    command = [sys.executable, __file__, "--child", str(root), str(work), url, name, str(concurrency)]
    _, client_cpus = split_cpus()
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=(lambda: os.sched_setaffinity(0, client_cpus)) if client_cpus else None,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()  # until the child exits: its runs are bounded by their deadlines
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"the child batch failed with exit code {proc.returncode}")
    return usage.ru_maxrss, json.loads(output.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        root, work, url, name, concurrency = sys.argv[2:7]
        child(Path(root), Path(work), url, name, int(concurrency))
        return
    parser = argparse.ArgumentParser(description="peak RSS of a batch child process, small vs large")
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--large", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    add_sim_args(parser)
    args = parser.parse_args()
    header(f"memory: peak RSS of a batch child, {args.small} vs {args.large} articles")
    with workdir() as work, sim_from_args(args) as sim:
        peaks: dict[int, int] = {}
        for n in (args.small, args.large):
            root = work / f"articles-{n}"
            write_articles(root, n)
            peak, figures = measure(root, work, sim.url, f"run-{n}", args.concurrency)
            peaks[n] = peak
            print(f"  {n:5d} articles: peak RSS {peak / 1024:.1f} MiB  {figures}")
        ratio = peaks[args.large] / peaks[args.small]
        verdict(f"peak RSS {args.large} / {args.small}", ratio, "<= 1.3", ratio <= 1.3)


if __name__ == "__main__":
    main()
