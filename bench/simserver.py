"""``summarizer simulate`` with an answer cache that never evicts (and Nagle's algorithm off).

Both problems this launcher was written for are fixed in the stock simulator
now: its brain cache holds 8,192 articles (it held 256, and a benchmark that
warmed it with more and sent them again in order got no hit at all, so it
timed the brain instead of the client) and its handler sets
``disable_nagle_algorithm`` (headers and body went out in two ``send``s, and
on a keep-alive connection the body waited ~40 ms for the client's delayed
ACK). The launcher stays for runs of more than 8,192 distinct articles: its
brain caches every article it has seen, with the stock ``default_brain``'s
answers, byte for byte, on the same ``serve_forever`` + ``SimConfig`` and the
same log lines. ``--nagle`` turns Nagle's algorithm back on, to measure it.

    python bench/simserver.py --port 0 --latency 0.2 --rpm 600
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from summarizer.simulator import SimConfig, default_brain, serve_forever
from summarizer.simulator import server as sim_server


def caching_brain() -> Any:
    answers: dict[str, str] = {}

    def brain(text: str) -> dict[str, Any]:
        answer = answers.get(text)
        if answer is None:
            answer = answers[text] = json.dumps(default_brain(text), ensure_ascii=False)
        result = json.loads(answer)  # a fresh dict each time: fault injection edits answers
        assert isinstance(result, dict)
        return result

    return brain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--jitter", type=float, default=0.0)
    parser.add_argument("--rpm", type=int, default=None)
    parser.add_argument("--tpm", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--nagle",
        action="store_true",
        help="Nagle on: the ~40 ms stall per keep-alive response the stock server once had",
    )
    args = parser.parse_args()
    sim_server.Handler.disable_nagle_algorithm = not args.nagle
    config = SimConfig(
        port=args.port, latency=args.latency, jitter=args.jitter, rpm=args.rpm, tpm=args.tpm, seed=args.seed
    )
    serve_forever(config, caching_brain())


if __name__ == "__main__":
    main()
