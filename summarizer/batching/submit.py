"""Sending a provider-batch run's requests: input files written, recorded, uploaded, made batches.

``Submitter.submit`` picks the cache keys waiting in the run that no open
batch holds (under their resubmission bound and ``--max-cost``), writes their
request lines (``llm.batchapi.request_body``: the online path's body) into
input files under the provider's limits (``inputs.Packer``), records each
complete file with its requests in the store before anything is sent, then
uploads it (``/v1/files``) and makes it a batch (``/v1/batches``), recording
every file and batch id as soon as it is known. A killed run's planned file is
looked up on the provider by its unique name before it is uploaded again, an
uploaded one by its file id before a batch is made (``send``); an input file
whose local copy is gone is written again from the store (``rebuild``).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from summarizer.batching.inputs import InputFile, LineTooLarge, Packer
from summarizer.batching.report import ItemOutcome
from summarizer.cost import batch_price, estimate_output_tokens, estimate_request_tokens, price_tokens
from summarizer.errors import ConfigError, ProviderError, SummarizerError
from summarizer.schema import ArticleSummary
from summarizer.store.batches import ProviderBatch

if TYPE_CHECKING:
    from summarizer.batching.progress import Progress
    from summarizer.batching.provider import ProviderBatchRun, Waiting

log = logging.getLogger(__name__)


class Submitter:
    """The submit step of one ``ProviderBatchRun`` (see the module docstring)."""

    def __init__(self, run: ProviderBatchRun) -> None:
        self.run = run

    async def to_send(self) -> list[Waiting]:
        """Keys waiting in this run that no open batch holds, under their resubmission bound."""
        wanted = [key for key, w in self.run.waiting.items() if not w.done]
        held = self.run.store.keys_in_batches(wanted)
        stored = self.run.store.summarized(wanted)  # e.g. by a run of this folder that collected a batch
        chosen: list[Waiting] = []
        for key in wanted:
            if key in stored:
                await self.run.deliver(key)
                continue
            if key in held:
                continue
            since = self.run.base.run_id if self.run.options.retry_failed else None
            tries, last = self.run.store.batch_attempts(key, since_run=since)
            if tries > self.run.settings.batch_resubmits:
                await self.run.fail_items(
                    key, f"no provider batch answered it in {tries} tries (last: {last})"
                )
                continue
            if not self.affordable(self.run.waiting[key]):
                await self.over_budget(key)
                continue
            if tries:
                self.run.report.resubmitted += 1
            chosen.append(self.run.waiting[key])
        return chosen

    def affordable(self, waiting: Waiting) -> bool:
        """Whether ``--max-cost`` covers one more request at its expected Batch API cost (the
        requests already sent count at theirs, the online re-asks at what they cost)."""
        if self.run.options.max_cost is None or self.run.standard.price is None:
            return True
        text = waiting.article.text
        price = batch_price(self.run.standard.price)
        prompt = estimate_request_tokens(text, strict=self.run.engine.id.strict_schema)
        expected = price_tokens(
            price, prompt, 0, estimate_output_tokens(text, self.run.settings.max_output_tokens)
        )
        if self.run.reserved + self.run.online_cost + expected > self.run.options.max_cost:
            return False
        self.run.reserved += expected
        return True

    async def over_budget(self, key: str) -> None:
        self.run.report.budget_stopped = True
        waiting = self.run.waiting[key]
        waiting.done = True
        outcome = "budget reached (--max-cost)"
        await asyncio.gather(
            *(self.run.base.finish(i, ItemOutcome(i.label, "skipped", outcome), key) for i in waiting.items)
        )

    async def submit(self, view: Progress) -> None:
        from summarizer.llm.batchapi import request_body, request_line

        if self.run.send_failed is None:
            chosen = await self.to_send()
            if chosen:

                def record(made: InputFile) -> None:
                    self.run.store.add_provider_batch(
                        name=made.name,
                        endpoint=self.run.engine.config.endpoint_host,
                        parts=self.run.parts,
                        requests=made.requests,
                        size=made.size,
                        sha256=made.sha256,
                        run_id=self.run.base.run_id,
                    )

                packer = Packer(
                    self.run.folder,
                    max_requests=self.run.settings.batch_max_requests,
                    max_bytes=self.run.settings.batch_max_bytes,
                    on_file=record,
                )
                try:
                    for waiting in chosen:
                        messages = self.run.engine.prompt.render(waiting.article.text).as_openai()
                        body = request_body(self.run.engine.config, ArticleSummary, messages)
                        key = waiting.parts.key
                        try:
                            packer.add(key, key, waiting.article.content_hash, request_line(key, body))
                        except LineTooLarge:  # too big for an input file: online instead
                            waiting.done = True
                            for item in waiting.items:
                                self.run.go_online(item, view)
                        await asyncio.sleep(0)
                    packer.close()
                except BaseException:
                    packer.abandon()
                    raise
        for batch in self.run.store.provider_batches(self.run.parts):
            if batch.batch_id is None and self.run.send_failed is None:
                await self.send(batch)

    async def send(self, batch: ProviderBatch) -> None:
        """Upload a recorded input file and make its batch, adopting what a killed run made."""
        resumed = batch.run_id != self.run.base.run_id
        try:
            if batch.input_file_id is None:
                path = self.run.folder / batch.name
                if not path.is_file():
                    self.rebuild(batch, path)
                remote_file = await self.run.api.find_file(batch.name) if resumed else None
                if remote_file is None:
                    remote_file = await self.run.api.upload(path, batch.name)
                    self.run.report.uploaded += 1
                else:
                    self.run.report.adopted += 1
                self.run.store.update_provider_batch(
                    batch.id, input_file_id=remote_file.id, status="uploaded"
                )
                path.unlink(missing_ok=True)
                file_id = remote_file.id
            else:
                file_id = batch.input_file_id
            remote = await self.run.api.find_batch(file_id) if resumed else None
            if remote is None:
                remote = await self.run.api.create(file_id, {"summarizer_input": batch.name})
            else:
                self.run.report.adopted += 1
            self.run.store.update_provider_batch(batch.id, batch_id=remote.id, status=remote.status)
            self.run.report.batches.append(remote.id)
            log.info("provider batch %s: %d request(s), %s", remote.id, batch.requests, remote.status)
        except ConfigError as exc:
            self.run.base.stop(exc.message)
        except ProviderError as exc:
            self.run.send_failed = f"could not submit {batch.name}: {exc.message}"
            log.warning("%s; a re-run sends it", self.run.send_failed)

    def rebuild(self, batch: ProviderBatch, path: Path) -> None:
        """Write a recorded input file again (its folder was removed): same lines, same order."""
        from summarizer.llm.batchapi import request_body, request_line

        made: list[InputFile] = []
        packer = Packer(path.parent, max_requests=batch.requests, max_bytes=2**62, on_file=made.append)
        for request in self.run.store.batch_requests(batch.id):
            stored = self.run.store.article_text(request.content_hash)
            if stored is None:
                raise SummarizerError(
                    f"internal: article {request.content_hash[:12]}… of {batch.name} is gone"
                )
            messages = self.run.engine.prompt.render(stored[1]).as_openai()
            line = request_line(
                request.custom_id, request_body(self.run.engine.config, ArticleSummary, messages)
            )
            packer.add(request.custom_id, request.cache_key, request.content_hash, line)
        packer.close()
        (made[0].path or path).replace(path)
        if made[0].sha256 != batch.sha256:
            log.warning("rebuilt %s differs from the recorded file (the prompt changed?)", batch.name)
