"""A run's output files: their names, their text, and writing them.

Owns the output folder: one file per article (``plan.output_name``), the
result rendered as JSON or Markdown, written atomically and only when its
text changed (a re-run rewrites nothing), and ``report.json``. The JSON
output is also what the store keeps (``stored_json``), so a result is
serialised once for both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from summarizer import render
from summarizer.batching.plan import Item, output_name
from summarizer.files import same_text, write_atomic
from summarizer.result import SummaryResult

OutputFormat = Literal["json", "markdown"]


ITEM_FORMAT_VERSION = render.JSON_FORMAT_VERSION
"""An item file is one result of ``summarize --format json``: the same version of its layout."""
_VERSION_LINE = f'{{\n  "format_version": "{ITEM_FORMAT_VERSION}",'


def render_output(result: SummaryResult, fmt: str) -> str:
    if fmt == "markdown":
        return render.to_markdown(result)
    # The version goes first; spliced into pydantic's indented JSON (a batch writes thousands).
    return _VERSION_LINE + result.model_dump_json(indent=2)[1:] + "\n"


def stored_output(result_json: str) -> str | None:
    """A JSON item file from a stored result's JSON, when the store kept a batch output (this
    version's, or an older one without ``format_version``): the text ``render_output`` gives for
    the loaded result. None for JSON in another layout (``compare --db`` stores it compact)."""
    if result_json.startswith(_VERSION_LINE):
        return result_json + "\n"
    if result_json.startswith('{\n  "source": '):
        return _VERSION_LINE + result_json.removeprefix("{") + "\n"
    return None


def stored_json(output: str, fmt: str) -> str | None:
    """The result's JSON for the store, taken from its JSON output (serialised once, for both)."""
    return output.removesuffix("\n") if fmt == "json" else None


class Outputs:
    def __init__(self, root: Path, fmt: OutputFormat) -> None:
        self.root = root
        self.fmt = fmt
        self._folders: set[Path] = set()
        """Output folders made (or found) this run."""

    def name(self, item: Item) -> str:
        return output_name(item, self.fmt)

    def render(self, result: SummaryResult) -> str:
        return render_output(result, self.fmt)

    def write(self, item: Item, text: str) -> None:
        target = self.root / self.name(item)
        if same_text(target, text):
            return
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        write_atomic(target, text)

    def write_report(self, text: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomic(self.root / "report.json", text)
