"""Where a batch run's time goes: py-spy samples of one measured run, grouped by owner.

Runs a warm-up ``run_batch`` (or bare-instructor pass) against the simulator,
then records the measured run with py-spy (``pip install py-spy``; it attaches
to this process, which needs ptrace rights, e.g. root) and prints the event
loop thread's samples grouped by who owns the code: our modules (grounding,
store, outputs, ingest, cost/token estimate, prompts), instructor (per-call
schema preparation, the async-validator scan, parsing), the openai SDK and
httpx, and idle time in ``select``. Each group is shown as milliseconds per
article (wall time of the loop thread: with one event loop, that is what
throughput pays).

    python bench/profile_batch.py [--target batch|instructor|instructor-prepared]
                                  [--articles 500] [--latency 0] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

from articles import write_articles
from common import (
    add_sim_args,
    batch_options,
    header,
    llm_settings,
    run_batch_timed,
    sim_from_args,
    split_cpus,
    workdir,
)

# First match wins, in this order: a frame of ours inside instructor's parsing counts as ours.
GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("ours: grounding validators", ("summarizer/schema.py", "summarizer/grounding.py")),
    ("ours: SQLite store", ("summarizer/store/",)),
    ("ours: output render + write", ("Outputs.write ", "render_output", "render.py", "write_atomic")),
    ("ours: ingest (read, decode, clean)", ("summarizer/ingest.py", "summarizer/clean.py", "batch/plan.py")),
    ("ours: token/cost estimate", ("summarizer/cost.py", "summarizer/tokens.py")),
    ("ours: prompt render", ("summarizer/prompts.py",)),
    ("ours: report/progress", ("batch/report.py", "batch/progress.py")),
    ("instructor: per-call response model prep", ("instructor/v2/core/response_model.py",)),
    ("instructor: request prep (handlers)", ("prepare_request", "handle_templating")),
    ("instructor: parse + validate answer", ("process_response", "parse_tools", "from_response")),
    ("openai SDK + httpx", ("openai/", "httpx2/", "httpcore2/", "h11/", "anyio/")),
    ("tenacity / our transport", ("tenacity/", "summarizer/llm/transport.py")),
    ("instructor: other", ("instructor/",)),
    ("ours: other", ("summarizer/",)),
    ("pydantic (outside the above)", ("pydantic/", "pydantic_core")),
    ("idle: waiting in select", ("selectors.py",)),
    ("asyncio machinery", ("asyncio/",)),
]
LOOP_FRAME = "BaseEventLoop.run_forever"


def group_of(stack: str) -> str:
    for name, needles in GROUPS:
        if any(needle in stack for needle in needles):
            return name
    return "other"


def summarize(raw: Path, articles: int, rate: int, wall: float) -> None:
    counts: Counter[str] = Counter()
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, number = line.rpartition(" ")
        if LOOP_FRAME not in stack:
            continue  # other threads: the simulator log reader, idle executor threads
        counts[group_of(stack)] += int(number)
    total = sum(counts.values())
    if not total:
        print("  no samples of the event loop thread (did py-spy attach?)")
        return
    busy = total - counts["idle: waiting in select"]
    print(f"  event loop thread: {total} samples at {rate} Hz, {100 * busy / total:.0f}% busy")
    print("  ms/article = share of the loop thread's samples x measured wall time per article")
    print(f"  {'group':45s} {'ms/article':>10s} {'share':>7s}")
    for name, count in counts.most_common():
        share = count / total
        print(f"  {name:45s} {1000 * share * wall / articles:10.2f} {100 * share:6.1f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description="py-spy breakdown of one measured batch run")
    parser.add_argument(
        "--target",
        choices=["batch", "instructor", "instructor-prepared"],
        default="batch",
        help="run_batch, bare instructor (b), or bare instructor given the prepared model (b')",
    )
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rate", type=int, default=250, help="samples per second")
    parser.add_argument("--keep", type=Path, default=None, help="also save py-spy's raw output here")
    add_sim_args(parser)
    args = parser.parse_args()
    spy = shutil.which("py-spy")
    if spy is None:
        print("py-spy is not installed: pip install py-spy")
        return
    k = args.concurrency
    header(f"profile {args.target}: {args.articles} articles, latency {args.latency}s, concurrency {k}")
    with workdir() as work, sim_from_args(args, latency=args.latency) as sim:
        root = work / "articles"
        write_articles(root, args.articles)
        settings = llm_settings(sim.url)
        run_batch_timed(settings, batch_options(root, work, "warmup", concurrency=args.concurrency))
        raw = work / "spy.raw"
        # --nonblocking: sample without stopping us, so the run is timed as usual.
        command = [spy, "record", "--pid", str(os.getpid()), "--idle", "--nonblocking", "--format", "raw"]
        command += ["--rate", str(args.rate), "--output", str(raw)]
        server_cpus, _ = split_cpus()  # not on the client's core: py-spy would slow what it measures
        recorder = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=(lambda: os.sched_setaffinity(0, server_cpus)) if server_cpus else None,
        )
        try:
            time.sleep(1.0)  # let py-spy attach
            if args.target == "batch":
                _, t = run_batch_timed(settings, batch_options(root, work, "measured", concurrency=k))
                failed = 0
            else:
                from overhead import bare_instructor, load_messages

                prepared = args.target == "instructor-prepared"
                failed, t = bare_instructor(sim.url, load_messages(root), args.concurrency, prepared=prepared)
        finally:
            recorder.send_signal(2)  # py-spy writes its output on SIGINT
            try:
                _, err = recorder.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                recorder.kill()
                _, err = recorder.communicate(timeout=5)
        print(f"  measured: {t.wall:.2f}s wall, {args.articles / t.wall:.1f} articles/s, failed {failed}")
        if not raw.is_file():
            print(f"  py-spy wrote nothing: {err.strip()[-300:]}")
            return
        if args.keep is not None:
            shutil.copy(raw, args.keep)
        summarize(raw, args.articles, args.rate, t.wall)


if __name__ == "__main__":
    main()
