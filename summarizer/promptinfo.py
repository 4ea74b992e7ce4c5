"""How big the cacheable prompt prefix is.

Providers cache a request's prefix: OpenAI only from 1,024 tokens, in
128-token steps, and the tool/JSON schema is part of that prefix. Our system
message and schema do not depend on the article, so they form that prefix.
This module measures it with the same tokenizer the simulator bills with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from summarizer import prompts, tokens
from summarizer.schema import ArticleSummary

CACHE_MIN_TOKENS = 1024
CACHE_STEP = 128


@dataclass(frozen=True)
class PrefixReport:
    name: str
    version: str
    hash: str
    system: str
    system_tokens: int
    schema_tokens: int

    @property
    def prefix_tokens(self) -> int:
        return self.system_tokens + self.schema_tokens

    @property
    def cacheable_tokens(self) -> int:
        if self.prefix_tokens < CACHE_MIN_TOKENS:
            return 0
        return self.prefix_tokens // CACHE_STEP * CACHE_STEP

    def describe(self) -> str:
        verdict = (
            f"cacheable: yes, about {self.cacheable_tokens} tokens per request after the first"
            if self.cacheable_tokens
            else f"cacheable: no (under the {CACHE_MIN_TOKENS}-token minimum)"
        )
        return "\n".join(
            [
                f"template      {self.name} v{self.version} #{self.hash}",
                f"system        {self.system_tokens} tokens",
                f"schema        {self.schema_tokens} tokens (ArticleSummary JSON schema)",
                f"prefix        {self.prefix_tokens} tokens, identical for every article",
                verdict,
            ]
        )


def prefix_report(name: str = "summarize", *, strict: bool = False) -> PrefixReport:
    """The prompt's fixed prefix; ``strict``: with the strict form of the schema (``tools_strict``
    sends it: every property required, optional ones nullable), not the one instructor makes."""
    template = prompts.load(name)
    system = template.render("").system
    if strict:
        from summarizer.llm.client import strict_schema  # imports the SDK: only for strict requests

        parameters = strict_schema(ArticleSummary)
    else:
        parameters = ArticleSummary.model_json_schema()
    schema = {
        "name": ArticleSummary.__name__,
        "description": ArticleSummary.__doc__,
        "parameters": parameters,
    }
    return PrefixReport(
        name=template.name,
        version=template.version,
        hash=template.hash,
        system=system,
        system_tokens=tokens.count(system),
        schema_tokens=tokens.count(json.dumps(schema)),
    )
