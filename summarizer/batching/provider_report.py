"""The report of a ``--via provider-batch`` run: the online report plus what the Batch API did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from summarizer.batching.report import BatchReport


@dataclass
class ProviderReport(BatchReport):
    batches: list[str] = field(default_factory=list)
    uploaded: int = 0
    adopted: int = 0
    """Files or batches found on the provider after a lost answer (not made again)."""
    batch_answers: int = 0
    reasked: int = 0
    reask_ok: int = 0
    resubmitted: int = 0
    online: int = 0
    """Articles over the per-request budget, summarized online in chunks."""
    api_requests: int = 0
    pending: int = 0

    @property
    def exit_code(self) -> int:
        code = super().exit_code
        return max(code, 1) if self.pending else code

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["provider_batch"] = {
            "batches": self.batches,
            "input_files_uploaded": self.uploaded,
            "found_on_provider": self.adopted,
            "batch_answers": self.batch_answers,
            "reasked_online": self.reasked,
            "reasked_online_ok": self.reask_ok,
            "resubmitted": self.resubmitted,
            "summarized_online_in_chunks": self.online,
            "api_requests": self.api_requests,
            "still_in_batches": self.pending,
        }
        return data

    def describe(self) -> str:
        lines_ = [
            super().describe(),
            f"provider batch: {len(self.batches)} batch(es) · {self.uploaded} file(s) uploaded · "
            f"{self.batch_answers} answer(s) · {self.reasked} re-asked online ({self.reask_ok} ok) · "
            f"{self.resubmitted} sent again · {self.online} long article(s) online · "
            f"{self.api_requests} files/batches request(s)",
        ]
        if self.pending:
            lines_.append(
                f"{self.pending} item(s) still in provider batches: run the same command again later"
            )
        return "\n".join(lines_)
