"""``summarizer simulate`` with two benchmark fixes: a big answer cache, and no Nagle delay.

1. Answer cache. The stock simulator memoises its brain (the offline engine, ~10 ms of CPU per
new article) in ``functools.lru_cache(maxsize=256)``. A benchmark that warms
it up with more than 256 articles and then sends them again in the same order
gets no hit at all (an LRU scan larger than the cache evicts every entry
before its reuse), so the measured run would time the brain, not the client.
This launcher runs the same server (``serve_forever`` + ``SimConfig``, same
log lines) with a brain whose cache holds every article it has seen; the
answers are the stock ``default_brain``'s, byte for byte.

2. TCP_NODELAY. The stock handler (``simulator/server.py``, ``Handler``) writes
the status line and headers in one ``send`` and the body in a second one,
with Nagle's algorithm on (``StreamRequestHandler.disable_nagle_algorithm``
is False by default). On a keep-alive connection the body then waits for the
client's delayed ACK of the headers: about 40 ms per response on Linux
loopback (a keep-alive ``GET /v1/models`` takes 44 ms instead of 0.6 ms).
A remote API does not add that to every answer, and it is not the client's
cost, so this launcher sets ``disable_nagle_algorithm = True`` on the
handler class (``--nagle`` keeps the stock behaviour).

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
    parser.add_argument("--nagle", action="store_true", help="keep the stock ~40 ms stall per response")
    args = parser.parse_args()
    sim_server.Handler.disable_nagle_algorithm = not args.nagle
    config = SimConfig(
        port=args.port, latency=args.latency, jitter=args.jitter, rpm=args.rpm, tpm=args.tpm, seed=args.seed
    )
    serve_forever(config, caching_brain())


if __name__ == "__main__":
    main()
