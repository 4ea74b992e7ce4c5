"""The provider's Batch API (``/v1/files``, ``/v1/batches``): request lines, answers, and the calls.

The one place that builds a batch request and reads a batch answer, so both
are the online path's own:

- ``request_body``: the chat-completions body the online path sends for the
  same messages: ``client.request_args`` (model, limits, the prepared response
  model) shaped by instructor's request handler for the mode
  (``handle_response_model``, what its patched ``create`` runs before every
  request). A change there (another mode, strict structured outputs) lands in
  both paths; ``tests/test_provider_batch.py`` compares a line with the body
  the simulator received online.
- ``read_answer``: one output line's completion parsed and validated by
  instructor's response parser for the mode, with the grounding source active
  (``summarizer.scope``), as an online answer is. An answer that fails
  validation comes back with instructor's own re-ask messages (the failed
  answer and the errors), for ``Batches.reask`` to send online with the
  remaining re-ask budget (``Settings.reasks`` answers in all, the batch
  answer included).
- ``Batches``: upload, find, create, retrieve, cancel, download and list, each
  through the transport retry owner (``transport.TransportPolicy``). A retried
  upload or create first looks for what the failed try may have made on the
  provider (the file by its unique name, the batch by its input file), so a
  timeout never makes a second copy.

It returns plain records (``RemoteFile``, ``RemoteBatch``), never SDK objects.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Generic, TypeVar, cast

import openai
from instructor.core import IncompleteOutputException
from instructor.processing.response import handle_reask_kwargs, handle_response_model, process_response_async
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from summarizer import scope
from summarizer.attempts import AttemptLog, UsageSoFar
from summarizer.errors import OutputInvalidError, SummarizerError
from summarizer.grounding import Source
from summarizer.llm.client import (
    INVALID_OUTPUT,
    MODES,
    LLMClient,
    LLMConfig,
    _validation_problems,
    add_usage,
    outgoing,
    request_args,
    sdk_args,
)
from summarizer.llm.transport import Deadline, Pacer, Slots, TransportPolicy

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

ENDPOINT: Final = "/v1/chat/completions"
INSTRUCTOR_ARGS = ("response_model", "max_retries", "context", "validation_context", "strict", "hooks")
"""``request_args`` keys that instructor consumes and never sends."""
TRANSFER_TIMEOUT = 900.0
"""Seconds for one upload or download: a 200 MB file at 0.25 MB/s."""
LIST_PAGES = 20
"""Pages (100 objects each) searched for a file or batch a failed try may have made."""


@dataclass(frozen=True)
class RemoteFile:
    id: str
    filename: str
    bytes: int


@dataclass(frozen=True)
class RemoteBatch:
    """A provider batch as the API reports it (``status``: validating, in_progress, finalizing,
    completed, failed, expired, cancelling, cancelled)."""

    id: str
    status: str
    input_file_id: str
    output_file_id: str | None = None
    error_file_id: str | None = None
    total: int = 0
    completed: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)

    TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})

    @property
    def done(self) -> bool:
        return self.status in self.TERMINAL


def _split_args(
    config: LLMConfig, response_model: type[BaseModel], messages: list[dict[str, Any]]
) -> tuple[type[BaseModel], dict[str, Any], bool]:
    args = request_args(config, response_model, cast(list[dict[str, str]], messages))
    prepared = args["response_model"]
    strict = bool(args.get("strict", True))  # instructor's patched create validates strictly by default
    return prepared, {k: v for k, v in args.items() if k not in INSTRUCTOR_ARGS}, strict


def request_body(
    config: LLMConfig, response_model: type[BaseModel], messages: list[dict[str, Any]]
) -> dict[str, Any]:
    """The body the online path sends for ``messages`` (see the module docstring)."""
    prepared, kwargs, _ = _split_args(config, response_model, messages)
    _, body = handle_response_model(prepared, mode=MODES[config.mode], **kwargs)
    return outgoing(config, body)


def request_line(custom_id: str, body: Mapping[str, Any]) -> bytes:
    """One line of a batch input file."""
    line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


@dataclass
class BatchAnswer(Generic[M]):
    """One batch answer read: ``value`` when it validated, else ``problem`` and, when instructor
    would re-ask online, ``reask`` (the messages of that re-ask)."""

    value: M | None
    usage: UsageSoFar
    problem: str | None = None
    reask: list[dict[str, Any]] | None = None


async def read_answer(
    config: LLMConfig,
    response_model: type[M],
    messages: list[dict[str, Any]],
    completion_body: Mapping[str, Any],
    source: Source,
) -> BatchAnswer[M]:
    """Validate a batch answer to ``messages`` as the online path validates one (see the module docstring).

    A body that is not a chat completion raises ``OutputInvalidError``."""
    try:
        completion = ChatCompletion.model_validate(completion_body)
    except ValueError as exc:
        raise OutputInvalidError(f"the batch answer is not a chat completion: {exc}") from exc
    counted = AttemptLog()
    add_usage(counted, completion)
    prepared, kwargs, strict = _split_args(config, response_model, messages)
    mode = MODES[config.mode]
    try:
        # No validation context, as online: the sources are made active with a scope.
        with scope.scope(source):
            value = await process_response_async(
                completion, response_model=prepared, validation_context=None, strict=strict, mode=mode
            )
    except IncompleteOutputException:
        return BatchAnswer(None, counted.usage, "the model's answer was cut off (finish_reason=length)")
    except INVALID_OUTPUT as exc:
        _, shaped = handle_response_model(prepared, mode=mode, **kwargs)
        again = handle_reask_kwargs(kwargs=shaped, mode=mode, response=completion, exception=exc)
        return BatchAnswer(None, counted.usage, _validation_problems(exc), list(again["messages"]))
    if not isinstance(value, response_model):  # pragma: no cover - instructor contract
        raise OutputInvalidError(f"the batch answer did not parse as {response_model.__name__}")
    return BatchAnswer(value, counted.usage)


def _batch(obj: Any) -> RemoteBatch:
    counts = obj.request_counts
    errors = tuple(
        f"line {e.line}: {e.message}" if e.line is not None else str(e.message)
        for e in ((obj.errors.data or []) if obj.errors else [])
    )
    return RemoteBatch(
        id=obj.id,
        status=obj.status,
        input_file_id=obj.input_file_id,
        output_file_id=obj.output_file_id,
        error_file_id=obj.error_file_id,
        total=counts.total if counts else 0,
        completed=counts.completed if counts else 0,
        failed=counts.failed if counts else 0,
        errors=errors,
        metadata=dict(obj.metadata or {}),
    )


class Batches:
    """The Batch API of one endpoint, and online re-asks for its invalid answers."""

    def __init__(
        self,
        config: LLMConfig,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        pacer: Pacer | None = None,
        slots: Slots | None = None,
    ) -> None:
        """``pacer`` and ``slots``: the run's rate limiter and request slots, which the online
        re-asks go through as online requests do (the files and batches calls do not)."""
        s = config.settings
        self.config = config
        self._sdk = openai.AsyncOpenAI(**sdk_args(config))
        self._policy = TransportPolicy.from_settings(s, sleep=sleep)
        self._transfer = TransportPolicy.from_settings(
            s, sleep=sleep, request_timeout=max(s.timeout, TRANSFER_TIMEOUT)
        )
        # A re-ask continues the answer the batch gave: the batch answer was the first of the
        # `reasks + 1` answers an article may have, so the online part has one re-ask fewer.
        reasks = max(0, s.reasks - 1)
        self._reasker = LLMClient(
            LLMConfig(config.model, config.mode, config.base_url, s.model_copy(update={"reasks": reasks})),
            pacer=pacer,
            slots=slots,
            sleep=sleep,
        )
        self.requests = 0
        """HTTP requests sent to the files and batches endpoints (for the run report)."""

    async def close(self) -> None:
        await self._sdk.close()
        await self._reasker.close()

    async def _call(self, send: Callable[[float], Awaitable[Any]], *, transfer: bool = False) -> Any:
        spent = AttemptLog()
        policy = self._transfer if transfer else self._policy
        deadline = Deadline(policy.request_timeout * policy.attempts * 2)
        try:
            return await policy.call(send, deadline=deadline, log_=spent, read=lambda raw: raw)
        finally:
            self.requests += spent.http_attempts

    async def find_file(self, filename: str) -> RemoteFile | None:
        """The batch input file named ``filename`` on the provider, if there is one (newest first)."""
        after: str | None = None
        for _ in range(LIST_PAGES):
            kwargs: dict[str, Any] = {"purpose": "batch", "limit": 100, "order": "desc"}
            if after:
                kwargs["after"] = after

            async def send(timeout: float, kwargs: dict[str, Any] = kwargs) -> Any:
                return await self._sdk.files.list(**kwargs, timeout=timeout)

            page = await self._call(send)
            for item in page.data:
                if item.filename == filename:
                    return RemoteFile(item.id, item.filename, item.bytes)
            if not page.has_more or not page.data:
                return None
            after = page.data[-1].id
        return None

    async def upload(self, path: Path, filename: str) -> RemoteFile:
        """Upload a batch input file under ``filename`` (unique: a retry adopts what a lost answer made)."""
        tries = 0

        async def send(timeout: float) -> Any:
            nonlocal tries
            tries += 1
            if tries > 1:
                found = await self.find_file(filename)
                if found is not None:
                    log.info("upload of %s: the provider has it already (%s)", filename, found.id)
                    return found
            with path.open("rb") as handle:
                made = await self._sdk.files.create(
                    file=(filename, handle, "application/jsonl"), purpose="batch", timeout=timeout
                )
            return RemoteFile(made.id, made.filename, made.bytes)

        found = await self._call(send, transfer=True)
        assert isinstance(found, RemoteFile)
        return found

    async def find_batch(self, input_file_id: str) -> RemoteBatch | None:
        """The batch made from ``input_file_id``, if there is one."""
        after: str | None = None
        for _ in range(LIST_PAGES):
            kwargs: dict[str, Any] = {"limit": 100}
            if after:
                kwargs["after"] = after

            async def send(timeout: float, kwargs: dict[str, Any] = kwargs) -> Any:
                return await self._sdk.batches.list(**kwargs, timeout=timeout)

            page = await self._call(send)
            for item in page.data:
                if item.input_file_id == input_file_id:
                    return _batch(item)
            if not page.has_more or not page.data:
                return None
            after = page.data[-1].id
        return None

    async def create(self, input_file_id: str, metadata: Mapping[str, str]) -> RemoteBatch:
        """Create the batch for an uploaded file (a retry adopts the batch a lost answer made)."""
        tries = 0

        async def send(timeout: float) -> Any:
            nonlocal tries
            tries += 1
            if tries > 1:
                found = await self.find_batch(input_file_id)
                if found is not None:
                    return found
            made = await self._sdk.batches.create(
                input_file_id=input_file_id,
                endpoint=ENDPOINT,
                completion_window="24h",
                metadata=dict(metadata),
                timeout=timeout,
            )
            return _batch(made)

        batch = await self._call(send)
        assert isinstance(batch, RemoteBatch)
        return batch

    async def retrieve(self, batch_id: str) -> RemoteBatch:
        async def send(timeout: float) -> Any:
            return _batch(await self._sdk.batches.retrieve(batch_id, timeout=timeout))

        batch = await self._call(send)
        assert isinstance(batch, RemoteBatch)
        return batch

    async def cancel(self, batch_id: str) -> RemoteBatch:
        async def send(timeout: float) -> Any:
            return _batch(await self._sdk.batches.cancel(batch_id, timeout=timeout))

        batch = await self._call(send)
        assert isinstance(batch, RemoteBatch)
        return batch

    async def download(self, file_id: str, target: Path) -> int:
        """Write a file's content to ``target`` (complete, or not at all); its size in bytes."""
        partial = target.with_name(target.name + ".part")

        async def send(timeout: float) -> int:
            size = 0
            async with self._sdk.files.with_streaming_response.content(file_id, timeout=timeout) as response:
                with partial.open("wb") as out:
                    async for chunk in response.iter_bytes():
                        out.write(chunk)
                        size += len(chunk)
            os.replace(partial, target)
            return size

        size = await self._call(send, transfer=True)
        assert isinstance(size, int)
        return size

    async def delete_file(self, file_id: str) -> None:
        async def send(timeout: float) -> Any:
            return await self._sdk.files.delete(file_id, timeout=timeout)

        await self._call(send)

    async def reask(
        self, response_model: type[M], messages: list[dict[str, Any]], source: Source, *, label: str
    ) -> tuple[M, AttemptLog]:
        """Continue an invalid batch answer online: instructor's re-ask messages, the remaining budget."""
        try:
            return await self._reasker.ask(
                response_model, cast(list[dict[str, str]], messages), source, label=label
            )
        except SummarizerError as exc:
            exc.source = exc.source or label
            raise
