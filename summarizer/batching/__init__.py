"""Batch summarization of a folder: plan, run, report (see ``runner``)."""

from summarizer.batching.dryrun import DryRun, dry_run
from summarizer.batching.report import BatchReport, ItemOutcome
from summarizer.batching.runner import BatchOptions, run_batch

__all__ = ["BatchOptions", "BatchReport", "DryRun", "ItemOutcome", "dry_run", "run_batch"]
