"""Run the five batch benchmarks one after the other and list their verdicts.

Each benchmark runs as its own process (``python bench/NAME.py``), so one
cannot warm up or slow down the next; their output is shown as it comes, and
the PASS/FAIL lines are repeated at the end. Extra arguments (e.g.
``--stock-simulator``) are passed to every benchmark. Takes about 8 minutes.

    python bench/run_all.py
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
NAMES = ("concurrency", "ratelimit", "overhead", "cache", "memory")
TIME_LIMIT = 600.0  # seconds per benchmark; each is meant to finish within about 3 minutes


def main() -> None:
    extra = sys.argv[1:]
    verdicts: list[str] = []
    started = time.monotonic()
    for name in NAMES:
        command = [sys.executable, str(BENCH / f"{name}.py"), *extra]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        watchdog = threading.Timer(TIME_LIMIT, proc.terminate)  # the read below ends when it exits
        watchdog.start()
        try:
            for line in proc.stdout:
                print(line, end="", flush=True)
                if line.rstrip().endswith(("PASS", "FAIL")):
                    verdicts.append(f"{name}: {line.strip()}")
            proc.wait(timeout=30)
        finally:
            watchdog.cancel()
        if proc.returncode:
            verdicts.append(f"{name}: exited with code {proc.returncode}")
    print(f"== summary ({time.monotonic() - started:.0f}s)")
    for line in verdicts:
        print(f"  {line}")


if __name__ == "__main__":
    main()
