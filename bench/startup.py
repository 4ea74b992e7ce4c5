"""Benchmark 6: how long ``summarizer --help`` (and a command's ``--help``) takes, start to exit.

Each figure is the wall time of a fresh ``python -m summarizer …`` process
(interpreter start-up included), run ``--runs`` times, interleaved with a bare
``python -c pass`` so the machine's load at that moment is visible next to it.
Prints min / median / max of each and the heaviest imports of one run
(``python -X importtime``). Target (issue 11): ``summarizer --help`` ≤ 0.3 s.

    python bench/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time

from common import header, verdict

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "summarizer --help": [sys.executable, "-m", "summarizer", "--help"],
    "summarizer batch --help": [sys.executable, "-m", "summarizer", "batch", "--help"],
    "summarizer --version": [sys.executable, "-m", "summarizer", "--version"],
}


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    return time.perf_counter() - started


def heaviest_imports(command: list[str], top: int = 8) -> list[tuple[int, str]]:
    """(cumulative µs, module) of the slowest top-level-ish imports of one run."""
    done = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]], capture_output=True, text=True, check=True, timeout=60
    )
    rows = []
    for line in done.stderr.splitlines():
        found = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if found and len(found.group(2)) <= 3:  # the module and its direct imports
            rows.append((int(found.group(1)), found.group(3)))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description="start-up time of the CLI")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    header(f"startup: {args.runs} runs of each, interleaved")
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for command in COMMANDS.values():
        wall(command)  # warm the file cache and the .pyc files once
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            times[name].append(wall(command))
    for name, found in times.items():
        mid = statistics.median(found)
        print(f"  {name:26} min {min(found):.3f}s  median {mid:.3f}s  max {max(found):.3f}s")
    print("  heaviest imports of `summarizer --help` (cumulative):")
    for micros, module in heaviest_imports(COMMANDS["summarizer --help"]):
        print(f"    {micros / 1000:7.1f} ms  {module}")
    median = statistics.median(times["summarizer --help"])
    verdict("summarizer --help median seconds", median, "<= 0.3", median <= 0.3)


if __name__ == "__main__":
    main()
