"""Collecting one finished provider batch: download, validate, re-ask online, store, deliver.

``Receiver.collect`` downloads the batch's output and error files (each
complete or not at all), reads them line by line and, for each request still
``sent`` in the store: validates and grounds an answer as online
(``llm.batchapi.read_answer``); re-asks an invalid one online with
instructor's own re-ask messages (at most ``--concurrency`` at once, bounded
by ``Settings.reasks``); stores the result or the failure under the request's
cache key together with the request's new state, in one transaction for up
to ``GROUP`` lines; then gives the run's items waiting for those keys their
outputs. Requests the files do not answer are marked ``retry`` and the batch
``collected`` in one last transaction, and the batch's files are deleted on the
provider (best effort). A run killed half way reads the files again and skips
the requests already ``done``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from summarizer.article import Article
from summarizer.batching.collect import Line, classify, lines
from summarizer.cost import batch_price, cost_of
from summarizer.engines import EngineAnswer
from summarizer.errors import ConfigError, SummarizerError
from summarizer.grounding import Source
from summarizer.pipeline import result_of
from summarizer.result import SummaryResult, Usage
from summarizer.schema import ArticleSummary
from summarizer.store import KeyParts
from summarizer.store.batches import BatchRequest, ProviderBatch
from summarizer.store.connection import parse_timestamp

if TYPE_CHECKING:
    from summarizer.batching.provider import ProviderBatchRun
    from summarizer.llm.batchapi import BatchAnswer, RemoteBatch

log = logging.getLogger(__name__)

GROUP = 100
"""Lines whose outcomes share one transaction."""


class Receiver:
    def __init__(self, run: ProviderBatchRun, batch: ProviderBatch, remote: RemoteBatch) -> None:
        self.run = run
        self.store = run.store
        self.batch = batch
        self.remote = remote
        self.requests = {r.custom_id: r for r in self.store.batch_requests(batch.id)}
        self.handled: set[str] = set()
        self.created = parse_timestamp(batch.created_at)
        self.gate = asyncio.Semaphore(run.options.concurrency)
        self.tasks: list[asyncio.Task[None]] = []
        self.writes: list[Callable[[], None]] = []
        self.keys: list[str] = []
        """Keys whose outcome the pending writes store: delivered once they are committed."""

    def parts(self, request: BatchRequest) -> KeyParts:
        p = self.run.parts
        return KeyParts(request.content_hash, p.engine, p.model, p.prompt_hash, p.schema_version)

    async def collect(self) -> None:
        b, remote, run = self.batch, self.remote, self.run
        self.store.update_provider_batch(
            b.id,
            status=remote.status,
            output_file_id=remote.output_file_id,
            error_file_id=remote.error_file_id,
            errors=list(remote.errors),
        )
        open_requests = [r for r in self.requests.values() if r.state == "sent"]
        if remote.status == "failed":
            reason = "the provider batch failed validation: " + (
                "; ".join(remote.errors[:3]) or "no reason given"
            )
            with self.store.transaction():
                for r in open_requests:
                    self.store.set_batch_request(b.id, r.custom_id, "failed", reason)
                self.store.update_provider_batch(b.id, collected=True)
            for r in open_requests:
                await run.fail_items(r.cache_key, reason)
            await self.clean_up()
            return
        downloaded = []
        for file_id in (remote.output_file_id, remote.error_file_id):
            if file_id is None:
                continue
            path = run.folder / f"{b.name}.{file_id}"
            if not path.is_file():
                await run.api.download(file_id, path)
            downloaded.append(path)
            for entry in lines(path):
                await self.line(classify(entry))
                if run.base.abort:
                    break
            await self.flush()
        await asyncio.gather(*self.tasks)
        await self.flush()
        if run.base.abort:
            return  # the requests not done stay `sent`: the next run reads this batch again
        with self.store.transaction():
            for r in open_requests:
                if r.custom_id not in self.handled:
                    self.store.set_batch_request(
                        b.id, r.custom_id, "retry", "no line for it in the batch's files"
                    )
            self.store.update_provider_batch(b.id, collected=True)
        for path in downloaded:
            path.unlink(missing_ok=True)
        log.info("provider batch %s collected (%s)", remote.id, remote.status)
        await self.clean_up()

    async def clean_up(self) -> None:
        """Delete the batch's files on the provider once it is collected (they count against the
        account's storage and hold the articles' text). Best effort: what is collected is in the
        store, so a file that cannot be deleted is logged, never a failure of the run."""
        remote = self.remote
        for file_id in (remote.input_file_id, remote.output_file_id, remote.error_file_id):
            if not file_id:
                continue
            try:
                await self.run.api.delete_file(file_id)
            except SummarizerError as exc:
                log.warning("provider batch %s: file %s not deleted (%s)", remote.id, file_id, exc.message)

    async def flush(self) -> None:
        """Commit the pending outcomes together, then deliver their items."""
        writes, keys, self.writes, self.keys = self.writes, self.keys, [], []
        if writes:
            with self.store.transaction():
                for write in writes:
                    write()
        await self.run._gather(self.run.deliver(key) for key in keys)

    async def later(self, write: Callable[[], None], key: str | None) -> None:
        self.writes.append(write)
        if key is not None:
            self.keys.append(key)
        if len(self.writes) >= GROUP:
            await self.flush()

    def article(self, request: BatchRequest) -> Article:
        waiting = self.run.waiting.get(request.cache_key)
        if waiting is not None:
            return waiting.article
        stored = self.store.article_text(request.content_hash)
        if stored is None:
            raise SummarizerError(
                f"internal: article {request.content_hash[:12]}… of {self.batch.name} is gone"
            )
        return Article(source=f"provider batch {self.batch.name}", index=0, title=stored[0], text=stored[1])

    async def line(self, line: Line) -> None:
        request = self.requests.get(line.custom_id)
        if request is None or request.state != "sent" or line.custom_id in self.handled:
            return  # not ours, or done by an earlier (killed) run
        self.handled.add(line.custom_id)
        b, key = self.batch, request.cache_key
        if line.kind == "retry":
            await self.later(
                lambda: self.store.set_batch_request(b.id, line.custom_id, "retry", line.detail), None
            )
        elif line.kind == "failed":
            await self.later(
                lambda: self.store.set_batch_request(b.id, line.custom_id, "failed", line.detail), None
            )
            await self.flush()
            await self.run.fail_items(key, line.detail or "failed in the provider batch")
        elif line.kind == "error":
            await self.later(
                self.failure(request, self.article(request), line.detail or "failed", Usage(), 0, 1), key
            )
        else:
            assert line.body is not None
            await self.answer(request, line.body)

    async def answer(self, request: BatchRequest, body: dict[str, object]) -> None:
        from summarizer.llm.batchapi import read_answer

        run, article = self.run, self.article(request)
        messages = run.engine.prompt.render(article.text).as_openai()
        try:
            read = await read_answer(run.engine.config, ArticleSummary, messages, body, Source(article.text))
        except SummarizerError as exc:
            await self.later(self.failure(request, article, exc.message, Usage(), 0, 1), request.cache_key)
            return
        run.report.batch_answers += 1
        usage = Usage(
            prompt_tokens=read.usage.prompt_tokens,
            completion_tokens=read.usage.completion_tokens,
            cached_tokens=read.usage.cached_tokens,
        )
        if read.value is not None:
            await self.later(self.success(request, article, read.value, usage), request.cache_key)
        elif read.reask is not None and run.settings.reasks > 0:
            self.tasks.append(asyncio.ensure_future(self.reask(request, article, read, usage)))
        else:
            reason = f"model output invalid in the batch answer (no re-ask left): {read.problem}"
            await self.later(self.failure(request, article, reason, usage, 0, 1), request.cache_key)

    async def reask(
        self, request: BatchRequest, article: Article, read: BatchAnswer[ArticleSummary], usage: Usage
    ) -> None:
        run = self.run
        assert read.reask is not None
        async with self.gate:
            if run.base.abort:
                return
            run.report.reasked += 1
            label = f"{article.label} (re-asked online after the batch answer)"
            source = Source(article.text)
            try:
                value, spent = await run.api.reask(ArticleSummary, read.reask, source, label=label)
            except ConfigError as exc:
                run.base.stop(exc.message)
                return
            except SummarizerError as exc:
                lost = exc.attempts
                reason = f"{exc.message} (after the batch answer and {lost.model_attempts} online)"
                write = self.failure(
                    request, article, reason, usage, lost.http_attempts, 1 + lost.model_attempts,
                    online=Usage.spent(lost),
                )  # fmt: skip
            else:
                run.report.reask_ok += 1
                online = (spent.model_attempts, spent.http_attempts, Usage.spent(spent))
                write = self.success(request, article, value, usage, online=online)
        await self.later(write, request.cache_key)

    def success(
        self,
        request: BatchRequest,
        article: Article,
        summary: ArticleSummary,
        usage: Usage,
        online: tuple[int, int, Usage] | None = None,
    ) -> Callable[[], None]:
        """Account for a valid answer; the store writes that keep it (for ``later``)."""
        result = self.result(
            article, summary, batch_id=self.remote.id, created=self.created, usage=usage, reask=online
        )
        self.account(usage, online[2] if online else Usage(), online[1] if online else 0)
        parts, b = self.parts(request), self.batch

        def write() -> None:
            self.store.put_result(request.cache_key, result, status="ok", requested=parts)
            self.store.set_batch_request(b.id, request.custom_id, "done")

        return write

    def failure(
        self,
        request: BatchRequest,
        article: Article,
        reason: str,
        usage: Usage,
        http_attempts: int,
        model_attempts: int,
        *,
        online: Usage | None = None,
    ) -> Callable[[], None]:
        """Account for a final failure; the store writes that keep it, as online (for ``later``)."""
        parts, b = self.parts(request), self.batch
        self.account(usage, online or Usage(), http_attempts)
        spent = usage + (online or Usage())

        def write() -> None:
            self.store.put_article(article)
            self.store.put_failure(
                request.cache_key,
                article,
                engine=parts.engine,
                model=parts.model,
                prompt_hash=parts.prompt_hash,
                schema_version=parts.schema_version,
                reason=reason,
                usage=spent,
                http_attempts=http_attempts,
                model_attempts=model_attempts,
            )
            self.store.set_batch_request(b.id, request.custom_id, "done", reason)

        return write

    def result(
        self,
        article: Article,
        summary: ArticleSummary,
        *,
        batch_id: str,
        created: datetime,
        usage: Usage,
        reask: tuple[int, int, Usage] | None = None,
    ) -> SummaryResult:
        """A batch answer as a ``SummaryResult``; ``reask``: (answers, HTTP requests, usage) online."""
        answers, requests, online = reask or (0, 0, Usage())
        provenance = self.run.engine.provenance(
            model_attempts=1 + answers,
            http_attempts=requests,
            usage=usage + online,
            started_at=created,
            batch_id=batch_id,
        )
        return result_of(article, EngineAnswer(summary, provenance))

    def account(self, batch_usage: Usage, online: Usage, online_requests: int) -> None:
        """Tokens and cost: batch answers at the Batch API price, online re-asks at the standard one."""
        r = self.run.report
        total = batch_usage + online
        r.prompt_tokens += total.prompt_tokens
        r.completion_tokens += total.completion_tokens
        r.cached_tokens += total.cached_tokens
        r.http_requests += online_requests
        price = self.run.standard.price
        if price is None:
            r.add_cost(None)
            return
        model = self.run.engine.id.model or ""
        online_cost = cost_of(online, model, price) or 0.0
        self.run.online_cost += online_cost
        r.add_cost(cost_of(batch_usage, model, batch_price(price)))
        r.add_cost(online_cost)
