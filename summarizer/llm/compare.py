"""The LLM comparator: several sources' summaries in, one grounded ``Comparison`` out.

One model answer per comparison (plus bounded re-asks), whatever the
articles' length: the prompt holds the per-source summaries, not the
articles. Every quote is checked against the article of the source it names
(``compare.schema.sources_scope``); a wrong attribution is re-asked.
"""

from __future__ import annotations

from summarizer import prompts
from summarizer.compare.blocks import blocks_for
from summarizer.compare.model import SourceInfo, WireGroup
from summarizer.compare.schema import Comparison, sources_scope
from summarizer.grounding import Source
from summarizer.llm.client import LLMClient, LLMConfig
from summarizer.result import Usage
from summarizer.schema import ArticleSummary


class LLMComparator:
    """Implements ``summarizer.compare.run.Comparator`` over an OpenAI-compatible endpoint."""

    engine = "llm"

    def __init__(self, config: LLMConfig, *, client: LLMClient | None = None) -> None:
        self.config = config
        self.prompt = prompts.load("compare")
        self._client = client or LLMClient(config)

    def close(self) -> None:
        self._client.close()

    def compare(
        self, sources: list[SourceInfo], summaries: list[ArticleSummary], wire_groups: list[WireGroup]
    ) -> tuple[Comparison, Usage, int]:
        messages = self.prompt.render_blocks(blocks_for(sources, summaries, wire_groups)).as_openai()
        scope = sources_scope({s.id: Source(s.text) for s in sources})
        comparison, attempts = self._client.ask(Comparison, messages, scope, label="comparison")
        usage = Usage.spent(attempts)
        return comparison, usage, attempts.model_attempts
