"""The service under load: 200 concurrent summary requests through ``summarizer serve`` vs ``batch``.

Both paths summarize the same distinct articles against the same simulator
(latency 200 ms, answers cached after a warm-up run so its brain's CPU is not
measured) with the same cap of requests in flight (``--concurrency 8``):

* batch: ``run_batch`` over the folder (fresh store);
* service: ``summarizer serve`` in its own process (fresh store, on the CPU
  the batch client had), and this process sending every article at once as
  ``POST /v1/summaries`` from the simulator's CPU (idle once warmed up, as a
  remote client would be); the time runs from the first request sent to the
  last answer read.

Figures: articles/s of each, their ratio (target >= 0.9), and the service's
per-request latency (p50, p99; a request waits for a slot behind the others,
so p99 is about the whole run). Then memory: the service's resident set after
200 and after 2,000 distinct requests (target: ratio <= 1.3, i.e. flat).

    python bench/service.py [--articles 200] [--latency 0.2] [--concurrency 8] [--memory-requests 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from articles import article, write_articles
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


def start_service(db: Path, sim_url: str, concurrency: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    cmd = [
        sys.executable, "-m", "summarizer", "serve", "--port", str(port), "--db", str(db),
        "--base-url", sim_url, "--model", "sim-1", "--mode", "tools", "--concurrency", str(concurrency),
    ]  # fmt: skip
    env = {**os.environ, "SUMMARIZER_API_KEY": "sk-bench-not-a-real-key"}
    _, client_cpus = split_cpus()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=db.parent,
        preexec_fn=(lambda: os.sched_setaffinity(0, client_cpus)) if client_cpus else None,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("summarizer serve did not start")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def post_all(url: str, texts: list[str]) -> tuple[float, list[float], int]:
    """Every text at once, each on its own connection; (wall seconds, per-request seconds, failures).

    A minimal HTTP/1.1 client on asyncio streams: httpx's pool with 200 connections opening at once
    spends about half a second of this process's CPU before the first request is even written
    (measured: 200 concurrent GET /healthz, first answer after 315 ms), and on two cores that CPU is
    the simulator's."""
    host, port = url.removeprefix("http://").split(":")

    async def one(text: str) -> tuple[float, bool]:
        body = json.dumps({"text": text}).encode()
        head = (
            f"POST /v1/summaries HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        t0 = time.perf_counter()
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(head + body)
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        payload = await reader.readexactly(length)
        writer.close()
        ok = status == 200 and not json.loads(payload)["errors"]
        return time.perf_counter() - t0, ok

    global STARTED
    STARTED = time.monotonic()
    t0 = time.perf_counter()
    done = await asyncio.gather(*(one(t) for t in texts))
    wall = time.perf_counter() - t0
    return wall, [d for d, _ in done], sum(1 for _, ok in done if not ok)


STARTED = 0.0
"""``time.monotonic()`` when the last ``post_all`` began (the simulator's log uses the same clock)."""


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description="summarizer serve under 200 concurrent requests vs batch")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--memory-requests", type=int, default=2000)
    add_sim_args(parser)
    args = parser.parse_args()
    n, k = args.articles, args.concurrency
    header(f"service: {n} concurrent requests vs batch, latency {args.latency}s, concurrency {k}")
    with workdir() as work, sim_from_args(args, latency=args.latency) as sim:
        root = work / "articles"
        paths = write_articles(root, n)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        settings = llm_settings(sim.url)
        run_batch_timed(settings, batch_options(root, work, "warmup", concurrency=k))
        batch_mark = sim.settle()
        report, t = run_batch_timed(settings, batch_options(root, work, "batch", concurrency=k))
        sim.settle()
        batch_held = [line.latency for line in sim.chat_since(batch_mark)]
        batch_rate = (n - lost(report)) / t.wall
        per = 1000 * t.cpu / n
        print(f"  batch:   {t.wall:.2f}s, {report.counts}, {batch_rate:.1f} articles/s, ", end="")
        print(f"CPU {per:.1f} ms/article")
        proc, url = start_service(work / "service.db", sim.url, k)
        # This process now only sends requests: off the service's CPU, onto the (idle, warmed-up)
        # simulator's, as a remote client would be.
        server_cpus, _ = split_cpus()
        if server_cpus:
            os.sched_setaffinity(0, server_cpus)
        try:
            # A server runs for days: its first requests (imports, caches) are not what it does at load.
            asyncio.run(post_all(url, [article(i, 99) for i in range(2 * k)]))
            mark = sim.settle()
            cpu0 = cpu_seconds(proc.pid)
            spy = None
            if os.environ.get("BENCH_PYSPY"):  # a profile of the server under this load (py-spy installed)
                spy = subprocess.Popen(["py-spy", "record", "-o", os.environ["BENCH_PYSPY"], "-f", "raw",
                                        "--pid", str(proc.pid), "--rate", "200"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
                time.sleep(1)
            wall, latencies, failed = asyncio.run(post_all(url, texts))
            cpu = cpu_seconds(proc.pid) - cpu0
            if spy is not None:
                spy.send_signal(2)
                spy.wait(30)
            service_rate = (n - failed) / wall
            q = statistics.quantiles(latencies, n=100)
            print(
                f"  service: {wall:.2f}s, {n - failed} ok, {failed} failed, {service_rate:.1f} articles/s; "
                f"latency p50 {q[49]:.2f}s, p99 {q[98]:.2f}s, max {max(latencies):.2f}s; "
                f"server CPU {1000 * cpu / n:.1f} ms/request"
            )
            lines = sim.chat_since(mark)
            held = [line.latency for line in lines]
            if lines:
                first = min(line.arrived for line in lines) - STARTED
                print(f"  the first request reached the simulator {1000 * first:.0f} ms after ", end="")
                print("the first was sent")
            if held and batch_held:
                # How long the simulator held each request, its own work included: on two cores this
                # process shares its CPU while sending, which the batch run's simulator did not.
                b_ms, s_ms = 1000 * statistics.mean(batch_held), 1000 * statistics.mean(held)
                per_slot = service_rate * s_ms / (batch_rate * b_ms)
                print(
                    f"  the simulator held each request {b_ms:.0f} ms (batch) and {s_ms:.0f} ms (service); ",
                    end="",
                )
                print(f"per slot-second the service did {per_slot:.3f} of the batch's work")
            verdict("service / batch articles/s", service_rate / batch_rate, ">= 0.9",
                    service_rate / batch_rate >= 0.9 and failed == 0)  # fmt: skip
            memory(url, proc.pid, n, args.memory_requests)
        finally:
            proc.terminate()
            proc.wait(30)


def memory(url: str, pid: int, first: int, total: int, batch: int = 200) -> None:
    """RSS after ``first`` requests and after ``total`` distinct ones (``batch`` at a time)."""
    after_first = rss_kib(pid)
    sent = first
    seed = 1
    while sent < total:
        texts = [article(i, seed) for i in range(batch)]
        _, _, failed = asyncio.run(post_all(url, texts))
        if failed:
            print(f"  memory round {seed}: {failed} failed")
        sent += batch
        seed += 1
    after_all = rss_kib(pid)
    ratio = after_all / after_first
    print(
        f"  memory: RSS {after_first / 1024:.1f} MiB after {first} requests, {after_all / 1024:.1f} MiB",
        end="",
    )
    print(f" after {sent}")
    verdict(f"RSS after {sent} / after {first}", ratio, "<= 1.3", ratio <= 1.3)


if __name__ == "__main__":
    main()
