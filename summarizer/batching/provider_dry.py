"""``--via provider-batch --dry-run``: the input files, requests and batch price, sending nothing.

The same plan as a run (``batch.provider``): cache hits and keys an open
batch already holds cost nothing; articles over the per-request budget go
online in chunks; every other article is one request line, built by the same
function as a run's and packed under the same limits (``inputs.Packer``
without a folder), so the files shown are the files a run would upload.
Prices: the Batch API's for the batched requests (``cost.batch_price``),
the standard one for the long articles sent online.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from summarizer import chunking
from summarizer.batching.inputs import InputFile, LineTooLarge, Packer
from summarizer.batching.plan import Unreadable, items_of
from summarizer.batching.runner import BatchOptions, inputs
from summarizer.cost import Estimate, estimate
from summarizer.engines import LLMEngine
from summarizer.errors import ConfigError
from summarizer.pipeline import Summarizer
from summarizer.schema import ArticleSummary
from summarizer.settings import Settings
from summarizer.store import Store


@dataclass
class ProviderDryRun:
    files: int
    items: int
    unreadable: list[str] = field(default_factory=list)
    cache_hits: int = 0
    in_batches: int = 0
    input_files: list[InputFile] = field(default_factory=list)
    long: int = 0
    long_requests: int = 0
    batched: Estimate | None = None
    online: Estimate | None = None

    def describe(self) -> str:
        requests = sum(len(f.requests) for f in self.input_files)
        lines = [
            f"files         {self.files}",
            f"articles      {self.items - len(self.unreadable)} ({self.cache_hits} already in the store: "
            f"no call; {self.in_batches} in provider batches already sent: collected, not sent again)",
            f"unreadable    {len(self.unreadable)}",
            *(f"  skipped: {reason}" for reason in self.unreadable),
            f"input files   {len(self.input_files)} for the Batch API ({requests} request(s))",
            *(
                f"  {i + 1}: {len(f.requests)} request(s), {f.size / 1_000_000:.1f} MB"
                for i, f in enumerate(self.input_files)
            ),
        ]
        if self.batched is not None:
            lines.append("batched requests (Batch API price):")
            lines.extend("  " + line for line in self.batched.describe().splitlines())
        if self.long:
            lines.append(
                f"long articles {self.long} over the per-request budget: online in {self.long_requests} "
                "chunk request(s) plus one merge each (standard price, merges not in the estimate):"
            )
            if self.online is not None:
                lines.extend("  " + line for line in self.online.describe().splitlines())
        return "\n".join(lines)


def provider_dry_run(settings: Settings, options: BatchOptions) -> ProviderDryRun:
    from summarizer.llm.batchapi import request_body, request_line

    paths = inputs(options)
    summarizer = Summarizer(settings)
    engine = summarizer.engine
    if not isinstance(engine, LLMEngine):
        raise ConfigError(
            "--via provider-batch needs a model endpoint with a Batch API (--base-url or a key)"
        )
    store = Store(options.db) if options.db.is_file() else None
    found = ProviderDryRun(files=len(paths), items=0)
    batched: list[str] = []
    chunk_texts: list[str] = []
    seen: set[str] = set()
    packer = Packer(
        None,
        max_requests=settings.batch_max_requests,
        max_bytes=settings.batch_max_bytes,
        on_file=lambda _: None,
    )
    try:
        for path in paths:
            for item in items_of(path, options.root, max_bytes=settings.max_bytes):
                found.items += 1
                if isinstance(item, Unreadable):
                    found.unreadable.append(str(item.error))
                    continue
                key = summarizer.cache_key(item.article).key
                stored = store.get(key) if store is not None else None
                if (stored is not None and stored.hit) or key in seen:
                    found.cache_hits += 1
                    continue
                seen.add(key)
                if store is not None and store.keys_in_batches([key]):
                    found.in_batches += 1
                    continue
                text = item.article.text
                chunks = chunking.plan(text, engine.budget, settings.chunk_overlap)
                if chunks is None:
                    body = request_body(engine.config, ArticleSummary, engine.prompt.render(text).as_openai())
                    try:
                        packer.add(key, key, item.article.content_hash, request_line(key, body))
                        batched.append(text)
                        continue
                    except LineTooLarge:
                        chunks = [chunking.Chunk(0, 0, len(text), 0)]
                found.long += 1
                found.long_requests += len(chunks)
                chunk_texts.extend(text[c.start : c.end] for c in chunks)
        packer.close()
    finally:
        if store is not None:
            store.close()
    found.input_files = packer.files

    def priced(texts: list[str], *, provider_batch: bool) -> Estimate:
        return estimate(
            texts,
            engine.id.model or "",
            options.price,
            base_url=engine.id.base_url,
            max_output_tokens=settings.max_output_tokens,
            attempts=settings.transport_attempts,
            reasks=settings.reasks,
            provider_batch=provider_batch,
            strict=engine.id.strict_schema,
        )

    found.batched = priced(batched, provider_batch=True) if batched else None
    found.online = priced(chunk_texts, provider_batch=False) if chunk_texts else None
    return found
