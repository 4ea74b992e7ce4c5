"""The LLM comparator: several sources' summaries in, one grounded ``Comparison`` out.

One model answer per comparison (plus bounded re-asks), whatever the
articles' length: the prompt holds the per-source summaries, not the
articles. Every quote is checked against the article of the source it names
(the grounding sources are keyed by source id); a wrong attribution is re-asked.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer import prompts
from summarizer.comparison.blocks import blocks_for
from summarizer.comparison.model import SourceInfo, WireGroup
from summarizer.comparison.schema import Comparison
from summarizer.engines import ComparatorAnswer, ComparatorInfo
from summarizer.grounding import Source
from summarizer.llm.client import LLMClient, LLMConfig
from summarizer.result import Usage
from summarizer.schema import ArticleSummary


class LLMComparator:
    """A ``summarizer.engines.Comparator`` over an OpenAI-compatible endpoint."""

    def __init__(self, config: LLMConfig, *, client: LLMClient | None = None) -> None:
        """``client``: share an engine's client (its connection pool, pacer and slots); it is then
        the engine's to close, not this comparator's."""
        self.config = config
        self._owns_client = client is None
        self.prompt = prompts.load("compare")
        self.info = ComparatorInfo(
            "llm", config.model, config.endpoint_host, self.prompt.name, self.prompt.hash
        )
        self._client = client

    @property
    def client(self) -> LLMClient:
        if self._client is None:
            self._client = LLMClient(self.config)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None and self._owns_client:
            await self._client.close()
        self._client = None

    async def compare(
        self,
        sources: Sequence[SourceInfo],
        summaries: Sequence[ArticleSummary],
        wire_groups: Sequence[WireGroup],
    ) -> ComparatorAnswer:
        blocks = blocks_for(sources, summaries, wire_groups)
        messages = self.prompt.render_blocks(blocks).as_openai()
        texts = {s.id: Source(s.text) for s in sources}
        comparison, attempts = await self.client.ask(Comparison, messages, texts, label="comparison")
        return ComparatorAnswer(comparison, Usage.spent(attempts), attempts.model_attempts)
