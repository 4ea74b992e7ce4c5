"""Long articles: the offline engine's time per word, model calls per article, peak memory.

Three measurements, each printed with its target (a measurement, not a test):

1. **offline, linear time**: ``summarize_offline`` on one article of 500,
   5,000, 25,000 and 50,000 words (in-process, best of ``--repeat``); the
   exponent k of time ~ words^k from 5,000 to 50,000 words (target <= 1.15;
   1 is linear).
2. **calls per article** on the LLM path against the simulator (a separate
   process), every article under ``--budget`` tokens and the long ones over
   it: model answers per article (``provenance.model_attempts``) against 1 under
   the budget and chunks + 1 over it (target: equal, with realism off).
3. **peak RSS** (``VmHWM``, read by the child) of a child process that
   summarizes one 500-word and one 50,000-word article (LLM path, chunked,
   and offline), each child fresh; target: 50,000 / 500 <= 2.

Long articles are ``articles.py`` stories joined under one headline (every
paragraph distinct), the same text for every measurement.

    python bench/longarticle.py [--budget 1500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time

from articles import article
from common import SimProcess, header, llm_settings, split_cpus, verdict

from summarizer.article import Article

LENGTHS = (500, 5_000, 25_000, 50_000)
OUTPUT_TOKENS = 8192
"""The simulator's brain (the offline engine) quotes a whole sentence per item, up to the schema's list
caps: a full chunk's answer can pass 4,096 tokens, where a real model's is about a quarter of that."""


def long_text(words: int) -> str:
    """About ``words`` words: a headline, then the bodies of distinct synthetic stories."""
    parts = ["Regional Review: A Year of Decisions Across the County"]
    count, i = 0, 0
    while count < words:
        body = article(i).split("\n", 1)[1].strip()
        parts.append(body)
        count += len(body.split())
        i += 1
    return "\n\n".join(parts)


def offline_times(repeat: int) -> None:
    from summarizer.offline import summarize_offline
    from summarizer.offline.rank import rank
    from summarizer.offline.text import parse

    header("offline engine: time per word")
    runs: dict[int, tuple[int, float]] = {}
    for words in LENGTHS:
        text = long_text(words)
        item = Article("bench", 0, "Regional Review", text)
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            summarize_offline(item)
            best = min(best, time.perf_counter() - started)
        runs[words] = (item.word_count, best)
        print(f"  {item.word_count:6d} words: {best:7.3f} s   {best / item.word_count * 1e6:6.1f} us/word")
    # Time grows as words ** k: k = 1 is linear, 2 quadratic (the n-squared sentence graph it had).
    (n0, t0), (n1, t1) = runs[5_000], runs[50_000]
    growth = math.log(t1 / t0) / math.log(n1 / n0)
    verdict("exponent k in time ~ words^k, 5,000 -> 50,000 words", growth, "<= 1.15", growth <= 1.15)
    # The sentence ranking alone, on every body sentence (summarize_offline ranks the distinct ones).
    ranked: dict[int, tuple[int, float]] = {}
    for words in (5_000, 50_000):
        doc = parse(long_text(words))
        sentences = [s.text for s in doc.body]
        started = time.perf_counter()
        rank(sentences, doc.title)
        ranked[words] = (len(sentences), time.perf_counter() - started)
        print(f"  rank() on {len(sentences)} sentences: {ranked[words][1]:.3f} s")
    (n0, t0), (n1, t1) = ranked[5_000], ranked[50_000]
    growth = math.log(t1 / t0) / math.log(n1 / n0)
    verdict("exponent k of the ranking alone", growth, "<= 1.15", growth <= 1.15)


def calls(url: str, budget: int) -> None:
    from summarizer.pipeline import Summarizer

    header(f"LLM path: model answers per article, budget {budget} tokens per request")
    settings = llm_settings(url, chunk_tokens=budget, max_output_tokens=OUTPUT_TOKENS)
    with Summarizer(settings) as summarizer:
        short = [Article("bench", 0, "", article(i)) for i in range(20)]
        answers = [summarizer.summarize(a).provenance for a in short]
        under = sum(p.model_attempts for p in answers) / len(answers)
        print(f"  {len(short)} articles under the budget: {under:.2f} answers per article")
        ok = under == 1.0
        for words in LENGTHS[1:]:
            p = summarizer.summarize(Article("bench", 0, "", long_text(words))).provenance
            expected = (p.chunks or 0) + 1
            print(f"  {words:6d} words: {p.chunks} chunks, {p.model_attempts} answers (expected {expected})")
            ok = ok and p.model_attempts == expected
    verdict("answers = 1 under the budget, chunks + 1 over it (1 = yes)", float(ok), "1", ok)


def child(mode: str, words: int, url: str, budget: int) -> None:
    from summarizer.pipeline import Summarizer

    given = llm_settings(url, chunk_tokens=budget, max_output_tokens=OUTPUT_TOKENS)
    if mode == "offline":
        given = llm_settings(url, engine="offline")
    text = long_text(words)
    with Summarizer(given) as summarizer:
        result = summarizer.summarize(Article("bench", 0, "", text))
    print(json.dumps({"words": len(text.split()), "chunks": result.provenance.chunks, "peak_kib": _hwm()}))


def _hwm() -> int:
    """This process's peak RSS in KiB (VmHWM). Not the parent's ``wait4`` figure: Linux carries the
    parent's peak into a forked child's ``ru_maxrss`` across ``exec``, so that reads the parent's size."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def peak(mode: str, words: int, url: str, budget: int) -> tuple[int, dict[str, object]]:
    command = [sys.executable, __file__, "--child", mode, str(words), url, str(budget)]
    _, client_cpus = split_cpus()
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=(lambda: os.sched_setaffinity(0, client_cpus)) if client_cpus else None,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    if proc.wait() != 0:
        raise RuntimeError(f"the {mode} child for {words} words failed")
    figures = json.loads(output.strip().splitlines()[-1])
    return int(figures.pop("peak_kib")), figures


def memory(url: str, budget: int) -> None:
    header("peak RSS of a child summarizing one article, 500 vs 50,000 words")
    for mode in ("llm", "offline"):
        small, _ = peak(mode, 500, url, budget)
        large, figures = peak(mode, 50_000, url, budget)
        sizes = f"{small / 1024:6.1f} MiB at 500 words, {large / 1024:6.1f} MiB at 50,000"
        print(f"  {mode:7s}: {sizes}, {figures}")
        verdict(f"{mode} peak RSS 50,000 / 500 words", large / small, "<= 2", large / small <= 2)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        mode, words, url, budget = sys.argv[2:6]
        child(mode, int(words), url, int(budget))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=1500, help="article tokens per request (chunk_tokens)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    offline_times(args.repeat)
    with SimProcess() as sim:
        calls(sim.url, args.budget)
        memory(sim.url, args.budget)


if __name__ == "__main__":
    main()
