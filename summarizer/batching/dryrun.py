"""``batch --dry-run``: what a run would read, send and cost, computed without calling any model."""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.batching.plan import DEFAULT_PATTERN, Unreadable, items_of
from summarizer.batching.runner import BatchOptions, inputs
from summarizer.cost import Estimate, estimate
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings
from summarizer.store import Store


@dataclass(frozen=True)
class DryRun:
    """What a run would do, computed without calling any model."""

    files: int
    items: int
    unreadable: list[str]
    cache_hits: int
    estimate: Estimate | None
    engine: str

    def describe(self) -> str:
        lines = [
            f"files         {self.files}",
            f"articles      {self.items - len(self.unreadable)} "
            f"({self.cache_hits} already in the store: no call)",
            f"unreadable    {len(self.unreadable)}",
        ]
        for reason in self.unreadable:
            lines.append(f"  skipped: {reason}")
        if self.estimate is None:
            lines.append(f"engine        {self.engine}: no model calls, no cost")
        else:
            lines.append(self.estimate.describe())
        return "\n".join(lines)


def dry_run(settings: Settings, options: BatchOptions) -> DryRun:
    """Count tokens, calls and cost for the articles a run would send (cache hits excluded)."""
    paths = inputs(options)
    summarizer = Summarizer(settings)
    store = Store(options.db) if options.db.is_file() else None
    unreadable: list[str] = []
    pending: list[str] = []
    hits = items = 0
    try:
        for path in paths:
            skip = options.pattern == DEFAULT_PATTERN
            for item in items_of(path, options.root, max_bytes=settings.max_bytes, skip_project_files=skip):
                items += 1
                if isinstance(item, Unreadable):
                    unreadable.append(str(item.error))
                    continue
                parts = summarizer.cache_key(item.article)
                stored = store.get(parts.key) if store is not None else None
                if stored is not None and stored.hit:
                    hits += 1
                else:
                    pending.append(item.article.text)
    finally:
        if store is not None:
            store.close()
    engine = summarizer.engine.id
    est = None
    if engine.kind == "llm":
        est = estimate(
            pending,
            engine.model or "",
            options.price,
            base_url=engine.base_url,
            max_output_tokens=settings.max_output_tokens,
            attempts=settings.transport_attempts,
            reasks=settings.reasks,
            strict=engine.strict_schema,
        )
    return DryRun(len(paths), items, unreadable, hits, est, engine.kind)
