"""What a run spends: the price of each answer, and the ``--max-cost`` budget.

Owns the arithmetic the runner needs from ``summarizer.cost``: the cost of an
article's actual usage (``None`` when the model's price is unknown, never a
guess), the expected cost of a call about to be sent, and the budget check,
which counts the calls in flight at their expected cost so that concurrent
workers cannot overshoot it together. Offline runs cost nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from summarizer.cost import Price, cost_of, estimate_output_tokens
from summarizer.result import Usage


class Budget:
    def __init__(
        self,
        *,
        priced: bool,
        model: str | None,
        base_url: str | None,
        price: Price | None,
        max_cost: float | None,
        max_output_tokens: int,
    ) -> None:
        self.priced = priced
        """Whether answers cost money (an LLM engine; the offline engine is free)."""
        self.model = model or ""
        self.base_url = base_url
        self.price = price
        self.max_cost = max_cost
        self.max_output_tokens = max_output_tokens
        self.reserved = 0.0
        """Expected cost of the calls in flight."""

    def cost(self, usage: Usage) -> float | None:
        """What ``usage`` cost, in USD (``None``: unknown price)."""
        return cost_of(usage, self.model, self.price, base_url=self.base_url)

    def expected(self, article_text: str, prompt_tokens: int) -> float:
        """Expected cost of one call, reserved against ``--max-cost`` while it is in flight."""
        if not self.priced or self.max_cost is None:
            return 0.0
        output = estimate_output_tokens(article_text, self.max_output_tokens)
        return self.cost(Usage(prompt_tokens=prompt_tokens, completion_tokens=output)) or 0.0

    def exceeded_by(self, expected: float, spent: float | None) -> bool:
        """Whether a call expected to cost ``expected`` would take the run past ``--max-cost``."""
        if self.max_cost is None:
            return False
        return (spent or 0.0) + self.reserved + expected > self.max_cost

    @contextmanager
    def reserve(self, expected: float) -> Iterator[None]:
        self.reserved += expected
        try:
            yield
        finally:
            self.reserved -= expected
