"""The simulator's /v1/files and /v1/batches, spoken to with the openai SDK as a real client would."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import openai
import pytest

from summarizer import prompts
from summarizer.simulator import SimConfig, Simulator, start

ARTICLE = (
    "Harbour Ferry Timetable Changes\n\nThe Lund harbour ferry will sail every 20 minutes from Monday, "
    "the port authority said. Captain Ilse Marr said the new boats carry 140 passengers each.\n\n"
    "The authority has not said what the winter timetable will be."
)


def line(custom_id: str, model: str = "sim-1") -> bytes:
    body = {"model": model, "messages": prompts.load().render(ARTICLE).as_openai(), "max_tokens": 4096}
    data = {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body}
    return json.dumps(data).encode() + b"\n"


@pytest.fixture
def slow() -> Iterator[Simulator]:
    """Every stage long enough to be seen; the second line of the first batch answers 500."""
    config = SimConfig(
        batch_validating=0.15, batch_request_seconds=0.1, batch_finalizing=0.15, batch_script=("ok", "500")
    )
    with start(config) as sim:
        yield sim


def client(sim: Simulator) -> openai.OpenAI:
    return openai.OpenAI(api_key="k", base_url=sim.base_url, max_retries=0)


def wait(api: openai.OpenAI, batch_id: str, until: set[str], seen: list[str]) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        status = api.batches.retrieve(batch_id).status
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in until:
            return status
        time.sleep(0.02)
    raise AssertionError(f"batch stuck in {seen}")


def test_a_batch_goes_validating_in_progress_finalizing_completed_with_partial_errors(
    slow: Simulator,
) -> None:
    api = client(slow)
    uploaded = api.files.create(file=("in.jsonl", line("a") + line("b") + line("c")), purpose="batch")
    assert uploaded.purpose == "batch" and uploaded.bytes > 0
    batch = api.batches.create(
        input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    seen: list[str] = []
    assert wait(api, batch.id, {"completed"}, seen) == "completed"
    assert seen == ["validating", "in_progress", "finalizing", "completed"]
    done = api.batches.retrieve(batch.id)
    assert done.request_counts is not None
    assert (done.request_counts.total, done.request_counts.completed, done.request_counts.failed) == (3, 2, 1)
    assert done.output_file_id and done.error_file_id and done.completed_at
    output = [json.loads(x) for x in api.files.content(done.output_file_id).read().splitlines()]
    errors = [json.loads(x) for x in api.files.content(done.error_file_id).read().splitlines()]
    assert [o["custom_id"] for o in output] == ["a", "c"]
    assert output[0]["response"]["status_code"] == 200
    assert output[0]["response"]["body"]["object"] == "chat.completion"
    assert errors[0]["custom_id"] == "b" and errors[0]["response"]["status_code"] == 500


def test_a_cancelled_batch_keeps_what_it_answered_and_lists_the_rest_as_cancelled(slow: Simulator) -> None:
    api = client(slow)
    uploaded = api.files.create(
        file=("in.jsonl", b"".join(line(f"r{i}") for i in range(20))), purpose="batch"
    )
    batch = api.batches.create(
        input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    seen: list[str] = []
    wait(api, batch.id, {"in_progress"}, seen)
    time.sleep(0.25)
    assert api.batches.cancel(batch.id).status == "cancelling"
    assert wait(api, batch.id, {"cancelled"}, seen) == "cancelled"
    done = api.batches.retrieve(batch.id)
    assert done.error_file_id is not None
    errors = [json.loads(x) for x in api.files.content(done.error_file_id).read().splitlines()]
    unanswered = [e for e in errors if e["response"] is None]  # the rest: the scripted 500
    assert unanswered and {e["error"]["code"] for e in unanswered} == {"batch_cancelled"}
    answered = len(api.files.content(done.output_file_id).read().splitlines()) if done.output_file_id else 0
    assert answered + len(errors) == 20 and answered < 20


def test_a_batch_past_its_window_expires_with_the_rest_in_the_error_file() -> None:
    with start(SimConfig(batch_request_seconds=0.05, batch_window=0.2)) as sim:
        api = client(sim)
        uploaded = api.files.create(
            file=("in.jsonl", b"".join(line(f"r{i}") for i in range(10))), purpose="batch"
        )
        batch = api.batches.create(
            input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
        assert wait(api, batch.id, {"expired", "completed"}, []) == "expired"
        done = api.batches.retrieve(batch.id)
        assert done.error_file_id is not None
        errors = [json.loads(x) for x in api.files.content(done.error_file_id).read().splitlines()]
    assert errors and {e["error"]["code"] for e in errors} == {"batch_expired"}
    assert done.request_counts is not None and done.request_counts.completed + len(errors) == 10


def test_an_input_that_does_not_validate_fails_the_batch_with_its_errors() -> None:
    with start(SimConfig()) as sim:
        api = client(sim)
        bad = line("a") + line("a") + line("b", model="other-model") + b"not json\n"
        uploaded = api.files.create(file=("in.jsonl", bad), purpose="batch")
        batch = api.batches.create(
            input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
        assert wait(api, batch.id, {"failed", "completed"}, []) == "failed"
        done = api.batches.retrieve(batch.id)
    assert done.errors is not None and done.errors.data is not None
    codes = {e.code for e in done.errors.data}
    assert codes == {"duplicate_custom_id", "mismatched_model", "invalid_json_line"}
    assert done.output_file_id is None


def test_files_and_batches_are_listed_newest_first_in_pages() -> None:
    with start(SimConfig()) as sim:
        api = client(sim)
        made = [api.files.create(file=(f"f{i}.jsonl", line("a")), purpose="batch").id for i in range(5)]
        first = api.files.list(purpose="batch", limit=2, order="desc")
        assert [f.id for f in first.data] == made[::-1][:2] and first.has_more
        assert [f.id for f in api.files.list(purpose="batch", limit=2)] == made[::-1]  # the SDK pages
        assert [f.id for f in api.files.list(purpose="batch", limit=9, after=made[3]).data] == made[2::-1]
        for file_id in made[:3]:
            api.batches.create(
                input_file_id=file_id, endpoint="/v1/chat/completions", completion_window="24h"
            )
        batches = [b.input_file_id for b in api.batches.list(limit=2)]
        assert batches == made[:3][::-1]
        with pytest.raises(openai.NotFoundError):
            api.batches.retrieve("batch_nope")
        assert api.files.delete(made[4]).deleted
        with pytest.raises(openai.NotFoundError):
            api.files.retrieve(made[4])


def test_batch_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="not a batch line outcome"):
        SimConfig(batch_script=("hang",))
    with pytest.raises(ValueError, match="not a batch outcome"):
        SimConfig(batches_script=("explode",))
    with pytest.raises(ValueError, match="batch_window"):
        SimConfig(batch_window=-1)
