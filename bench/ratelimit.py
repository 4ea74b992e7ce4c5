"""Benchmark 2: a rate-limited batch uses the limit, draws (almost) no 429s and loses nothing.

The simulator enforces ``--rpm`` over a sliding 60-second window (OpenAI's
model); the batch runs with the client-side limiter set to the same limit.
Counted at the simulator (one log line per request, with its status): the
requests, the 429s among them, and when each was admitted.

Two scenarios, both at 600 requests per minute, concurrency 32, 0.2 s latency:

* ``brief``: 200 articles (the issue's figures). 200 is below the limit, so a
  window of 60 s holds the whole run and the limiter should admit everything
  at once; the run then lasts a few seconds and "requests per second x 60 /
  limit" comes out far above 1 without anything being wrong. The simulator
  is warmed up first with the same 200 articles (its window then holds those
  200 too, 400 of 600 in all).
* ``binding``: 800 articles (more than one window's worth), no warm-up. The
  limiter must fill the window (600 admitted in the first minute) and admit
  the rest as the first ones leave it. Reported: the fill of the busiest
  60-second window, and the time between the first request and request 601,
  against the server's own window: that gap sets the sustained rate.

Naive baseline for each: ``asyncio.gather`` of the same number of requests
through a bare ``AsyncOpenAI`` (the SDK's default 2 retries, which honour
``retry-after`` up to two minutes) and no limiter, on a fresh simulator.

Targets: rate / limit >= 0.9, 429s <= 2 % of requests, 0 items lost.

    python bench/ratelimit.py [--scenario brief|binding|both] [--no-naive]
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import statistics
import time
from pathlib import Path
from typing import Any

from articles import write_articles
from common import (
    LogLine,
    SimProcess,
    add_sim_args,
    batch_options,
    header,
    llm_settings,
    lost,
    run_batch_timed,
    sim_from_args,
    statuses,
    timed,
    verdict,
    workdir,
)
from overhead import MAX_TOKENS, MODEL, load_messages, sdk, tools_body

WINDOW = 60.0
SERVER_WINDOW = 59.95  # the simulator's window minus its 50 ms grace (simulator/limits.py)


def busiest_window(times: list[float], span: float = WINDOW) -> int:
    """The largest number of ``times`` within any ``span`` seconds."""
    ordered = sorted(times)
    return max((bisect.bisect_left(ordered, t + span) - i for i, t in enumerate(ordered)), default=0)


def report_requests(
    lines: list[LogLine], wall: float, limit: int, items: int, lost_items: int
) -> dict[str, float]:
    counts = statuses(lines)
    admitted = [line.arrived for line in lines if line.status != 429]
    total = len(lines)
    share_429 = counts.get(429, 0) / total if total else 0.0
    rate_ratio = len(admitted) / wall * WINDOW / limit
    fill = busiest_window(admitted) / limit
    print(f"    requests at the simulator: {total} {dict(counts)}; 429 share {100 * share_429:.2f}%")
    print(f"    items {items}, lost {lost_items}; wall {wall:.2f}s")
    print(
        f"    rate over the run x 60 / limit: {rate_ratio:.3f}   "
        f"busiest 60 s window: {busiest_window(admitted)} of {limit} ({fill:.3f})"
    )
    return {"share_429": share_429, "rate_ratio": rate_ratio, "fill": fill, "lost": lost_items}


def turnover(lines: list[LogLine], limit: int) -> float | None:
    """Median seconds between request k and request k + ``limit`` (server arrival times).

    Under a sliding window the slot of request k is reused by request k + limit,
    so this is the length of one window cycle as the run achieved it; the
    server would allow ``SERVER_WINDOW``. The median over every k is robust to
    the first requests' connection set-up.
    """
    admitted = sorted(line.arrived for line in lines if line.status != 429)
    if len(admitted) <= limit:
        return None
    return statistics.median(admitted[i + limit] - admitted[i] for i in range(len(admitted) - limit))


def naive(url: str, root: Path, count: int) -> tuple[int, float]:
    """``asyncio.gather`` of one bare request per article, SDK default retries; (lost, wall)."""
    batch = load_messages(root)[:count]

    async def go() -> int:
        body: dict[str, Any] = await tools_body()
        client = sdk(url)  # max_retries left at the SDK's default (2)

        async def one(messages: list[dict[str, str]]) -> None:
            await client.chat.completions.create(
                model=MODEL, messages=messages, max_tokens=MAX_TOKENS, temperature=0, **body
            )  # type: ignore[call-overload]

        try:
            results = await asyncio.wait_for(
                asyncio.gather(*(one(m) for m in batch), return_exceptions=True), timeout=300
            )
        finally:
            await client.close()
        return sum(1 for r in results if isinstance(r, BaseException))

    failed, t = timed(lambda: asyncio.run(go()))
    return failed, t.wall


def scenario(args: argparse.Namespace, work: Path, name: str, articles: int, warm: bool) -> list[str]:
    limit, k = args.rpm, args.concurrency
    print(
        f"  [{name}] {articles} articles, simulator --rpm {limit} --latency {args.latency}, "
        f"batch rpm={limit}, concurrency {k}" + (", warmed up" if warm else ", no warm-up")
    )
    root = work / f"{name}-articles"
    write_articles(root, articles)
    verdicts: list[str] = []
    with sim_from_args(args, latency=args.latency, rpm=limit) as sim:
        settings = llm_settings(sim.url)
        if warm:
            warmup = batch_options(root, work, f"{name}-warmup", concurrency=k)
            warm_report, warm_t = run_batch_timed(settings, warmup)
            print(f"    warm-up: {warm_t.wall:.2f}s, {warm_report.counts}")
        mark = sim.settle()
        measured = batch_options(root, work, f"{name}-measured", concurrency=k, rpm=limit)
        report, t = run_batch_timed(settings, measured)
        sim.settle()
        lines = sim.chat_since(mark)
        figures = report_requests(lines, t.wall, limit, articles, lost(report))
        gap = turnover(lines, limit)
        if gap is not None:
            sustained = SERVER_WINDOW / gap
            print(
                f"    window cycle: request k+{limit} arrives a median {gap:.2f}s after request k "
                f"(the server allows {SERVER_WINDOW:.2f}s): sustained rate / limit = {sustained:.3f}"
            )
            figures["rate_ratio"] = sustained
            label = "sustained rate / limit (window turnover)"
        else:  # the whole run fits in one window: the brief's formula, which a burst may take above 1
            label = "rate over the run x 60 / limit (run < 60 s window)"
        rate = figures["rate_ratio"]
        verdicts.append(verdict(f"{name}: {label}", rate, ">= 0.9", rate >= 0.9))
        verdicts.append(
            verdict(f"{name}: 429 share", figures["share_429"], "<= 0.02", figures["share_429"] <= 0.02)
        )
        verdicts.append(verdict(f"{name}: lost items", figures["lost"], "== 0", figures["lost"] == 0))
    if args.naive:
        with SimProcess(latency=args.latency, rpm=limit, stock=args.stock_simulator) as fresh:
            mark = fresh.settle()
            failed, wall = naive(fresh.url, root, articles)
            fresh.settle()
            lines = fresh.chat_since(mark)
            counts = statuses(lines)
            print(
                f"    naive gather of {articles} (no limiter, SDK retries): lost {failed} "
                f"({100 * failed / articles:.1f}%), {len(lines)} requests {dict(counts)}, "
                f"429 share {100 * counts.get(429, 0) / max(len(lines), 1):.1f}%, wall {wall:.1f}s"
            )
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description="rate-limited batch: rate achieved, 429s, lost items")
    parser.add_argument("--scenario", choices=["brief", "binding", "both"], default="both")
    parser.add_argument("--rpm", type=int, default=600)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--articles", type=int, default=200, help="articles in the brief scenario")
    parser.add_argument("--binding-articles", type=int, default=800)
    parser.add_argument("--no-naive", dest="naive", action="store_false")
    add_sim_args(parser)
    args = parser.parse_args()
    header(f"ratelimit: rpm {args.rpm}, concurrency {args.concurrency}, latency {args.latency}s")
    started = time.monotonic()
    with workdir() as work:
        if args.scenario in ("brief", "both"):
            scenario(args, work, "brief", args.articles, warm=True)
        if args.scenario in ("binding", "both"):
            scenario(args, work, "binding", args.binding_articles, warm=False)
    print(f"  ({time.monotonic() - started:.0f}s)")


if __name__ == "__main__":
    main()
