"""How the simulator answers a comparison request: the offline comparator over the sent summaries.

A comparison request carries one JSON document per source (see
``summarizer.comparison.blocks``): id, outlet, wire group and the source's
summary. Like a model, the simulator sees only those summaries; it runs the
deterministic comparator on their evidence quotes, which are spans of each
source's article, so its answer is grounded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

CompareBrain = Callable[[dict[str, str]], dict[str, Any]]


def default_compare_brain(blocks: dict[str, str]) -> dict[str, Any]:
    from summarizer.comparison.blocks import strip_offsets
    from summarizer.comparison.model import WireGroup
    from summarizer.comparison.offline import compare_units
    from summarizer.comparison.units import units_from_summary

    docs = {sid: json.loads(body) for sid, body in blocks.items()}
    units = [units_from_summary(sid, doc["summary"]) for sid, doc in sorted(docs.items(), key=_order)]
    groups: list[WireGroup] = []
    seen: set[str] = set()
    for sid, doc in sorted(docs.items(), key=_order):
        members = doc.get("wire_group")
        if members and sid not in seen:
            seen.update(members)
            groups.append(WireGroup(origin=members[0], members=list(members), similarity=1.0))
    answer = strip_offsets(compare_units(units, groups))
    assert isinstance(answer, dict)
    return answer


def _order(item: tuple[str, Any]) -> int:
    return int(item[0].removeprefix("S"))
