"""How the simulator answers a merge request (``summarizer.chunking``): a deterministic ``ChunkMerge``.

A merge request's data block is a JSON document with the parts' headlines,
gists and summaries, and numbered key points and open questions
(``chunkmerge.MergeDraft.data_json``). Like a model, the simulator sees only
that: it takes the first part's headline and gist, the parts' gists as the
summary, and key points from the parts in turn; it settles no question
(``Engine.merge_brain`` can be replaced, e.g. by a test that settles one).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

MergeBrain = Callable[[dict[str, Any]], dict[str, Any]]
MAX_KEY_POINTS = 12


def merge_data(block: str) -> dict[str, Any] | None:
    """The merge request's data, when a data block holds one (an article never parses as it)."""
    if not block.startswith("{"):
        return None
    try:
        data = json.loads(block)
    except json.JSONDecodeError:
        return None
    if isinstance(data, dict) and isinstance(data.get("parts"), list) and "key_points" in data:
        return data
    return None


def default_merge_brain(data: dict[str, Any]) -> dict[str, Any]:
    parts = data["parts"]
    by_part: dict[int, list[int]] = {}
    for point in data["key_points"]:
        by_part.setdefault(point["part"], []).append(point["n"])
    chosen: list[int] = []
    while len(chosen) < MAX_KEY_POINTS and any(by_part.values()):
        for queue in by_part.values():
            if queue and len(chosen) < MAX_KEY_POINTS:
                chosen.append(queue.pop(0))
    return {
        "headline": parts[0]["headline"],
        "gist": parts[0]["gist"],
        "summary": " ".join(p["gist"] for p in parts[:4]),
        "key_points": chosen or [1],
        "answered": [],
    }
