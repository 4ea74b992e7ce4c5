"""Work instructor 1.17 repeats on every call for a result that depends only on the response model.

instructor checks that a response model declares no async validators (which
its runtime cannot run) about six times per ``create``, walking the whole
model tree each time: for ``ArticleSummary`` that was about a third of the
client's CPU per article in a batch (bench/README.md, concurrency). The
check is a pure function of the class, so ``install()`` wraps it once per
process with a memo of the classes that passed; a class that fails is never
memoised and fails every time, as before. Only instructor's own function is
wrapped (the same name in the modules that bound it at import); if instructor
changes its layout, nothing is wrapped and it works as shipped.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

_OWNER = "instructor.v2.validation.async_validators"
_BOUND_IN = ("instructor.v2.core.patch",)
"""Modules that imported the function by name at import time (others import it at call time)."""
_MEMO_LIMIT = 256
_installed = False


def memoised(check: Callable[[Any], None]) -> Callable[[Any], None]:
    passed: set[int] = set()
    keep: list[Any] = []  # the ids stay valid: the classes that passed are kept alive here

    def reject_async_validators(response_model: Any) -> None:
        if id(response_model) in passed:
            return
        check(response_model)  # raises for a model instructor cannot run: never memoised
        if len(keep) < _MEMO_LIMIT:  # classes made per call (instructor's Partial[...]) stay unmemoised
            passed.add(id(response_model))
            keep.append(response_model)

    reject_async_validators.__wrapped__ = check  # type: ignore[attr-defined]
    return reject_async_validators


def install() -> None:
    """Memoise instructor's async-validator check (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    try:
        owner = importlib.import_module(_OWNER)
        original = owner.reject_async_validators
    except (ImportError, AttributeError):
        log.debug("instructor has no %s.reject_async_validators: nothing to memoise", _OWNER)
        return
    fast = memoised(original)
    setattr(owner, "reject_async_validators", fast)  # noqa: B010 (a module attribute mypy cannot see)
    for name in _BOUND_IN:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if getattr(module, "reject_async_validators", None) is original:
            setattr(module, "reject_async_validators", fast)  # noqa: B010
