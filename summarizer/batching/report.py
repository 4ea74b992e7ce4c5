"""The run report: counts by status, failures with reasons, tokens, cost, time.

Built incrementally by the runner (one ``add`` per finished item), written as
``report.json`` next to the outputs (also when the run is interrupted) and
printed as a short text summary. An aborted run's summary says why once: the
items the abort skipped, or that failed with the same error, are counted, not
listed (``report.json`` lists every item with its reason).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("ok", "degraded", "failed", "skipped")
REPORT_FORMAT_VERSION = "1"
"""Version of ``report.json``'s layout (the summaries' own JSON has ``render.JSON_FORMAT_VERSION``)."""


@dataclass
class ItemOutcome:
    label: str
    status: str
    reason: str | None = None
    cached: bool = False
    output: str | None = None


@dataclass
class BatchReport:
    run_id: int
    engine: str
    model: str | None
    outcomes: list[ItemOutcome] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    http_requests: int = 0
    cost_usd: float | None = 0.0
    wall_seconds: float = 0.0
    aborted: str | None = None
    budget_stopped: bool = False
    interrupted: bool = False
    """Stopped by Ctrl-C (or a server draining): items not reached are in no list."""
    retries: int = 0
    """HTTP tries that were retried (transport failures: 429, 5xx, timeouts …)."""
    rate_limited: int = 0
    """429 answers among them."""

    _tally: Counter[str] = field(default_factory=Counter)
    _hits: int = 0

    def add(self, outcome: ItemOutcome) -> None:
        self.outcomes.append(outcome)
        self._tally[outcome.status] += 1
        self._hits += outcome.cached

    def add_cost(self, cost: float | None) -> None:
        if cost is None or self.cost_usd is None:
            self.cost_usd = None  # one unknown price makes the total unknown, never a guess
        else:
            self.cost_usd += cost

    @property
    def counts(self) -> dict[str, int]:
        # kept as a running tally: progress asks after every item of a 10,000-item run
        return {s: self._tally.get(s, 0) for s in STATUSES}

    @property
    def cache_hits(self) -> int:
        return self._hits

    @property
    def model_calls_made(self) -> bool:
        return self.http_requests > 0

    @property
    def throughput(self) -> float:
        done = self._tally["ok"] + self._tally["degraded"]
        return done / self.wall_seconds if self.wall_seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        if self.aborted:
            return 2
        if self.counts["failed"] or self.budget_stopped:
            return 1
        return 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": REPORT_FORMAT_VERSION,
            "run_id": self.run_id,
            "engine": self.engine,
            "model": self.model,
            "counts": self.counts,
            "cache_hits": self.cache_hits,
            "aborted": self.aborted,
            "budget_stopped": self.budget_stopped,
            "interrupted": self.interrupted,
            "tokens": {
                "prompt": self.prompt_tokens,
                "cached_prompt": self.cached_tokens,
                "completion": self.completion_tokens,
            },
            "http_requests": self.http_requests,
            "retries": self.retries,
            "rate_limited": self.rate_limited,
            "cost_usd": None if self.cost_usd is None else round(self.cost_usd, 6),
            "wall_seconds": round(self.wall_seconds, 3),
            "articles_per_second": round(self.throughput, 3),
            "failures": [
                {"item": o.label, "status": o.status, "reason": o.reason}
                for o in self.outcomes
                if o.status in {"failed", "skipped"}
            ],
            "items": [
                {
                    "item": o.label,
                    "status": o.status,
                    "cached": o.cached,
                    "output": o.output,
                    "reason": o.reason,
                }
                for o in self.outcomes
            ],
        }

    def to_json(self) -> str:
        """Indented, with one line per entry of the per-item lists: json's indenting encoder is
        pure Python and a report can list 10,000 items; the compact one is C."""
        data = self.to_dict()
        lists = {name: data.pop(name) for name in ("failures", "items")}
        head = json.dumps(data, ensure_ascii=False, indent=2)
        parts = [head[:-2]]  # without the closing "\n}"
        for name, entries in lists.items():
            rows = ",\n".join("    " + json.dumps(e, ensure_ascii=False) for e in entries)
            parts.append(f',\n  "{name}": [\n{rows}\n  ]' if entries else f',\n  "{name}": []')
        return "".join(parts) + "\n}\n"

    def describe(self) -> str:
        c = self.counts
        if self.engine == "offline":
            cost = "none (offline engine)"
        elif self.cost_usd is None:
            cost = "unknown (no price for this model)"
        else:
            cost = f"${self.cost_usd:.4f}"
        retried = f" · {self.retries:,} retried ({self.rate_limited:,} × 429)" if self.retries else ""
        lines = [
            f"run {self.run_id}: {len(self.outcomes):,} item(s) · ok {c['ok']:,} · "
            f"degraded {c['degraded']:,} · failed {c['failed']:,} · skipped {c['skipped']:,} · "
            f"cache hits {self.cache_hits:,}",
            f"engine {self.engine}"
            + (f" ({self.model})" if self.model else "")
            + f" · {self.http_requests:,} HTTP request(s){retried} · tokens {self.prompt_tokens:,} in "
            f"({self.cached_tokens:,} cached) / {self.completion_tokens:,} out · cost {cost}",
            f"wall time {self.wall_seconds:.2f}s · {self.throughput:.1f} articles/s",
        ]
        if self.interrupted:
            lines.append("INTERRUPTED: the items not listed here were not reached; re-run to continue")
        listed = self.outcomes
        if self.aborted:
            lines.append(f"ABORTED: {self.aborted}")
            same = [o for o in listed if o.status == "failed" and o.reason == self.aborted]
            not_started = [o for o in listed if o.status == "skipped" and self._by_abort(o)]
            cut_off = [o for o in listed if o.status == "failed" and self._by_abort(o)]
            if same:
                lines.append(f"  failed with it: {len(same):,} item(s): {_some(same)}")
            if cut_off:
                lines.append(
                    f"  stopped by it after a paid answer: {len(cut_off):,} item(s): {_some(cut_off)}"
                )
            if not_started:
                lines.append(f"  not started because of it: {len(not_started):,} item(s) (skipped)")
            folded = {id(o) for o in same + not_started + cut_off}
            listed = [o for o in listed if id(o) not in folded]
        if self.budget_stopped:
            lines.append("stopped: the --max-cost budget was reached; re-run to continue")
        for o in listed:
            if o.status in {"failed", "skipped"}:
                lines.append(f"  {o.status}: {o.label}: {o.reason}")
        return "\n".join(lines)

    def _by_abort(self, outcome: ItemOutcome) -> bool:
        return bool(outcome.reason and self.aborted and outcome.reason.startswith("run aborted: "))


def _some(outcomes: list[ItemOutcome], shown: int = 3) -> str:
    names = ", ".join(o.label for o in outcomes[:shown])
    return names + (f" and {len(outcomes) - shown:,} more" if len(outcomes) > shown else "")
