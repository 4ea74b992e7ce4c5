"""Benchmark: a folder through ``--via provider-batch`` against the simulator, killed at random points.

The simulator runs in this process (a thread on loopback, its batches taking
real seconds: ``--validating``, ``--per-request``, ``--finalizing``), so it
outlives the clients. Each client is ``python -m summarizer batch DIR --via
provider-batch`` in a child process; the first ``--kills`` are killed with
SIGKILL (the first while input files are being recorded and uploaded, the
second while a finished batch is being collected, the others after a random
delay; each a random moment after its trigger, seeded), and the last runs to
the end. Realism
``typical`` (some answers fail grounding: re-asked online) and a share of 5xx
answers inside the batches (sent again) are on.

Figures: items ok and lost (no output file or not ``ok``), input files
uploaded and batches created on the simulator against the input files the
store recorded, duplicate uploads (the same input file content twice),
duplicate batches (two batches of one input file), requests that were in more
than one batch and whether each was a resubmission the store explains (a
``retry`` row), online re-asks, and each run's wall time and where its kill
landed (what the store had reached).

    python bench/provider_batch.py [--articles 10000] [--kills 3] [--seed 0]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from articles import write_articles
from common import header, verdict, workdir

from summarizer.simulator import RequestRecord, SimConfig, start


def store_state(db: Path) -> str:
    """What the store had reached: batches planned / uploaded / created / collected, results."""
    if not db.exists():
        return "no store yet"
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            rows = conn.execute(
                "SELECT count(*), count(input_file_id), count(batch_id), sum(collected) FROM provider_batches"
            ).fetchone()
            done = conn.execute("SELECT count(*) FROM summaries WHERE status = 'ok'").fetchone()[0]
    except sqlite3.Error as exc:
        return f"store unreadable ({exc})"
    planned, uploaded, created, collected = rows
    reached = f"batches planned {planned}, uploaded {uploaded}, created {created}, collected {collected or 0}"
    return f"{reached}; ok {done}"


def counts(db: Path) -> tuple[int, int, int]:
    """(batch rows, batch rows uploaded, ok results) in the store; zeros before it exists."""
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            planned, uploaded = conn.execute(
                "SELECT count(*), count(input_file_id) FROM provider_batches"
            ).fetchone()
            done = conn.execute("SELECT count(*) FROM summaries WHERE status = 'ok'").fetchone()[0]
    except sqlite3.Error:
        return 0, 0, 0
    return planned, uploaded, done


TRIGGERS = ("submitting", "collecting", "anywhere")
"""Where kill n lands: while input files are being recorded and uploaded, while a finished batch is being
collected, then after a random delay. Each kill comes a random moment (up to a second) after its trigger."""


def kill_when(
    proc: subprocess.Popen[bytes], db: Path, trigger: str, rng: random.Random, spread: tuple[float, float]
) -> str:
    """Kill ``proc`` once ``trigger`` holds (plus a random delay); what the store had reached."""
    start_state = counts(db)
    limit = time.monotonic() + 1800
    delay = rng.uniform(*spread) if trigger == "anywhere" else rng.uniform(0.0, 1.0)
    began = time.monotonic()
    while time.monotonic() < limit and proc.poll() is None:
        planned, _, done = counts(db)
        if trigger == "submitting" and planned > start_state[0]:
            break
        if trigger == "collecting" and done > start_state[2]:
            break
        if trigger == "anywhere" and time.monotonic() - began >= delay:
            delay = 0.0
            break
        time.sleep(0.05)
    else:
        return "finished before its kill"
    time.sleep(delay)
    if proc.poll() is not None:
        return "finished before its kill"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return f"killed {trigger} after {time.monotonic() - began:5.1f}s: {store_state(db)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-file", type=int, default=2_500, help="requests per input file")
    parser.add_argument("--validating", type=float, default=2.0)
    parser.add_argument("--per-request", type=float, default=0.002)
    parser.add_argument("--finalizing", type=float, default=1.0)
    parser.add_argument("--fault-rate", type=float, default=0.005, help="share of batch lines answered 500")
    parser.add_argument(
        "--kill-after",
        type=float,
        nargs=2,
        default=(5.0, 90.0),
        metavar=("MIN", "MAX"),
        help="the random kill",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    header(f"provider batch: {args.articles} articles, {args.kills} kills (seed {args.seed})")
    chats: Counter[str] = Counter()

    def seen(record: RequestRecord) -> None:
        if record.path.endswith("/chat/completions"):
            chats[str(record.status)] += 1

    config = SimConfig(
        batch_validating=args.validating,
        batch_request_seconds=args.per_request,
        batch_finalizing=args.finalizing,
        batch_fault_rate=args.fault_rate,
        batch_faults=("500",),
        realism="typical",
        seed=args.seed,
    )
    with workdir() as work, start(config, on_record=seen, max_records=0) as sim:
        root, out, db = work / "in", work / "out", work / "store.db"
        write_articles(root, args.articles, seed=args.seed)
        command = [sys.executable, "-m", "summarizer", "batch", str(root), "--via", "provider-batch"]
        command += ["--out", str(out), "--db", str(db), "--base-url", sim.base_url, "--model", "sim-1"]
        command += ["--concurrency", "8", "--no-progress"]
        env = {
            **os.environ,
            "SUMMARIZER_BATCH_POLL": "1",
            "SUMMARIZER_BATCH_POLL_MAX": "5",
            "SUMMARIZER_BATCH_MAX_REQUESTS": str(args.per_file),
            "SUMMARIZER_TIMEOUT": "60",
        }
        started = time.monotonic()
        for run in range(args.kills + 1):
            began = time.monotonic()
            log = (work / f"run{run}.log").open("w")
            proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
            if run < args.kills:
                trigger = TRIGGERS[min(run, len(TRIGGERS) - 1)]
                print(f"  run {run + 1}: {kill_when(proc, db, trigger, rng, args.kill_after)}")
            else:
                code = proc.wait(timeout=3600)
                print(f"  run {run + 1}: ran to the end in {time.monotonic() - began:.1f}s, exit code {code}")
            log.close()
        total = time.monotonic() - started
        tail = (work / f"run{args.kills}.log").read_text().splitlines()
        shown = ["    " + line for line in tail[-6:] if not line.startswith("batch:")]
        print("  last run's report:", *shown, sep="\n")
        report = json.loads((out / "report.json").read_text())
        outputs = len(list(out.glob("*.txt.json")))
        desk = sim._server.engine.desk
        inputs = [f for f in desk.made if f.purpose == "batch"]
        contents = Counter(hashlib.sha256(f.data).hexdigest() for f in inputs)
        names = Counter(f.filename for f in inputs)
        per_file = Counter(b.input_file_id for b in desk.batches.values())
        in_files: Counter[str] = Counter()
        for f in inputs:
            for raw in f.data.splitlines():
                in_files[json.loads(raw)["custom_id"]] += 1
        again = {key for key, n in in_files.items() if n > 1}
        with sqlite3.connect(db) as conn:
            recorded = conn.execute("SELECT count(*) FROM provider_batches").fetchone()[0]
            retried = {
                row[0]
                for row in conn.execute("SELECT cache_key FROM provider_batch_requests WHERE state = 'retry'")
            }
            statuses = Counter(r[0] for r in conn.execute("SELECT status FROM provider_batches"))
    c = report["counts"]
    # Lost: an item the last run did not account for, or an ok item without its output file.
    lost = (args.articles - sum(c.values())) + (c["ok"] - outputs)
    print(f"  items: {c} of {args.articles}, output files {outputs}, lost {lost}")
    for failure in report["failures"]:
        print(f"    {failure['status']}: {failure['item']}: {failure['reason'][:160]}")
    print(f"  input files: uploaded {len(inputs)}, in the store {recorded}, batches {len(desk.batches)}")
    print(f"  batch statuses: {dict(statuses)}")
    print(f"  requests in more than one batch: {len(again)}, with a retry row: {len(again & retried)}")
    print(f"  online chat requests (re-asks): {sum(chats.values())} {dict(chats)}")
    print(f"  wall time, all runs: {total:.0f}s")
    duplicate_uploads = (len(inputs) - len(contents)) + (len(inputs) - len(names))
    duplicate_batches = sum(n - 1 for n in per_file.values() if n > 1)
    verdict("lost items", lost, "0", lost == 0)
    verdict("duplicate uploads", duplicate_uploads, "0", duplicate_uploads == 0)
    verdict("duplicate batches", duplicate_batches, "0", duplicate_batches == 0)
    unexplained = len(again - retried)
    verdict("requests sent again without a retry", unexplained, "0", unexplained == 0)


if __name__ == "__main__":
    main()
