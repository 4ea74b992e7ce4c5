"""The READMEs stay true: the Markdown excerpt is today's output, the fault list is the simulator's,
and the benchmark instructions name no machine-specific path."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.simulator.faults import FAULT_NAMES, OK

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_markdown_excerpt_is_the_current_output() -> None:
    excerpt = README.split("```markdown\n", 1)[1].split("```", 1)[0]
    result = CliRunner().invoke(
        app, ["summarize", str(ROOT / "examples" / "riverside-bridge.txt"), "--format", "markdown"]
    )
    assert result.exit_code == 0
    output = result.stdout
    head, _, tail = excerpt.partition("## Open questions")
    for line in head.splitlines():  # the title and the gist (the summary and key points are cut)
        assert line in output.splitlines(), line
    assert output.rstrip("\n").endswith("## Open questions" + tail.rstrip("\n"))  # open questions to footer


def test_the_fault_list_is_the_simulators() -> None:
    listed = re.search(r"Faults: `([^`]+)`", README)
    assert listed is not None
    assert set(listed.group(1).split()) == set(FAULT_NAMES) - {OK}


def test_bench_readme_names_no_machine_specific_environment() -> None:
    bench = (ROOT / "bench" / "README.md").read_text(encoding="utf-8")
    assert not re.search(r"\. /\S+/bin/activate", bench)  # an absolute venv on someone's machine
