"""instructor's async-validator check is memoised per class, and still refuses what it refused."""

from __future__ import annotations

from typing import Any

import pytest
from instructor.v2.validation import async_validators
from pydantic import BaseModel

from summarizer.llm import shims
from summarizer.llm.client import prepared
from summarizer.schema import ArticleSummary


def test_the_check_runs_once_per_class() -> None:
    calls: list[Any] = []

    def check(model: Any) -> None:
        calls.append(model)

    fast = shims.memoised(check)
    for _ in range(5):
        fast(ArticleSummary)
    assert calls == [ArticleSummary]


def test_a_refused_class_is_refused_every_time() -> None:
    calls: list[Any] = []

    def check(model: Any) -> None:
        calls.append(model)
        raise ValueError("async validators are not supported")

    fast = shims.memoised(check)
    for _ in range(3):
        with pytest.raises(ValueError, match="not supported"):
            fast(ArticleSummary)
    assert len(calls) == 3


def test_install_wraps_instructors_function_and_keeps_its_verdicts() -> None:
    shims.install()
    wrapped = async_validators.reject_async_validators
    assert getattr(wrapped, "__wrapped__", None) is not None  # an LLMClient installs it; so does this
    wrapped(prepared(ArticleSummary))  # passes, as instructor's own check does

    class Bad(BaseModel):
        x: int

    def marked(cls: Any, value: Any) -> Any:
        return value

    setattr(marked, async_validators.ASYNC_VALIDATOR_KEY, ("x",))
    Bad.marked = classmethod(marked)  # type: ignore[attr-defined]
    for _ in range(2):
        with pytest.raises(ValueError, match="not supported by the runtime"):
            wrapped(Bad)
