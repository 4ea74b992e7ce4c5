"""The data block each source contributes to an LLM comparison request.

The reduce step reads structured summaries, never raw articles side by side:
each source becomes one JSON document (id, outlet, title, wire group, and its
summary without offsets) placed in its own delimited block of the user
message. The simulator reads the same documents back to answer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from summarizer.comparison.model import SourceInfo, WireGroup
from summarizer.schema import ArticleSummary

_COMPUTED = frozenset({"start", "end", "match"})


def strip_offsets(node: Any) -> Any:
    """A copy without ``start``/``end``/``match``: computed by validation, not sent to a model."""
    if isinstance(node, dict):
        return {k: strip_offsets(v) for k, v in node.items() if not ("quote" in node and k in _COMPUTED)}
    if isinstance(node, list):
        return [strip_offsets(v) for v in node]
    return node


def source_document(source: SourceInfo, summary: ArticleSummary, wire_groups: Sequence[WireGroup]) -> str:
    group = next((g for g in wire_groups if source.id in g.members), None)
    doc = {
        "id": source.id,
        "outlet": source.outlet,
        "title": source.title,
        "date": source.date,
        "wire_group": group.members if group else None,
        "summary": strip_offsets(summary.model_dump(mode="json")),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)


def blocks_for(
    sources: Sequence[SourceInfo], summaries: Sequence[ArticleSummary], wire_groups: Sequence[WireGroup]
) -> list[tuple[str, str]]:
    return [(s.id, source_document(s, m, wire_groups)) for s, m in zip(sources, summaries, strict=True)]
