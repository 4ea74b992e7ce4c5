"""What a batch will cost before it runs, and what a run cost after.

Owns the price table, the token estimates of one summarize request and the
arithmetic from tokens to US dollars. It never talks to a model or imports
the SDK (``summarizer.llm`` is imported lazily, for the retry bound only).

Prices are USD per 1M tokens (input, cached input, output), OpenAI's standard
tier. The table was checked on 2026-12-03 (``PRICES_AS_OF``) against what
could be read then; the source of each row is the comment beside it:
"openai" is OpenAI's own model page (developers.openai.com/api/docs/models/<id>,
the pages platform.openai.com/docs/pricing now points to), anything else is a
third-party table that cites OpenAI's pricing page (pydantic/genai-prices'
``prices/providers/openai.yml`` with its ``prices_checked`` date, GitHub's
Copilot price table, API gateways). OpenAI's current pages no longer list the
gpt-4o, gpt-4.1 and o-series models, so those rows could only be
cross-checked, not verified on OpenAI's site; no row differed from any source.
Prices change: check them before relying on a number, and pass ``Price(...)``
(the CLI's ``--price-in/--price-out``) to override. A model missing from the
table costs ``None`` ("unknown"), never a guessed number; a model behind a
loopback base URL, or the simulator's ``sim-1``, costs 0 ("local").
Batch API: half the standard price for input and output (``BATCH_DISCOUNT``,
``batch_price``; used by ``--via provider-batch``). OpenAI's Batch API FAQ
(help.openai.com/en/articles/9197833-batch-api-faq, read 2026-12-03): "Each
model will be offered at 50% cost discount vs. the synchronous APIs", and an
expired batch bills the work it completed; the limits (50,000 requests and
200 MB per input file, a 24 h window) are in the openai SDK's
``batches.create`` documentation (openai-python 3.3). The batch estimate
assumes no prompt caching (whether cached input is discounted again inside a
batch is not stated there). Flex processing and reasoning tokens (o-series,
gpt-5: billed as output, not in the estimate) are not modelled.

Output estimate: summaries here grow with the article, because every key
point, statement, date and question carries verbatim quotes, until the list
caps of ``ArticleSummary`` and ``max_output_tokens`` stop them. Calibrated
against the simulator (offline engine, TOOLS mode) on 13 articles from
tests/data/corpus, the seed and examples/ (65-300 article tokens, 643-2,113
completion tokens, about 4-10x the article) plus joined articles up to 2,700
tokens (flat near 4,200: the list caps): ``400 + 4 x article tokens``, capped
at ``max_output_tokens``, came to 0.92-0.99x the simulator's total on those
articles (0.72-1.44x per article; the offline engine was changing between
measurements). A real model is likely terser than the offline engine, so
treat it as a budget, not a forecast.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Protocol
from urllib.parse import urlsplit

from summarizer import promptinfo, prompts, tokens

PRICES_AS_OF = "2026-12-03"
PRICES_SOURCE = "https://developers.openai.com/api/docs/pricing (standard tier, USD per 1M tokens)"

OUTPUT_BASE_TOKENS = 400
OUTPUT_TOKENS_PER_ARTICLE_TOKEN = 4.0
BATCH_DISCOUNT = 0.5
"""Batch API price / standard price, input and output alike (see the module docstring)."""
LOCAL_MODELS = frozenset({"sim-1"})
"""Model names that are always local (the simulator's default model)."""

_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Price:
    """USD per 1M tokens. ``cached_input`` None: cached prompt tokens are billed as ``input``."""

    input: float
    cached_input: float | None
    output: float

    def __post_init__(self) -> None:
        for name in ("input", "cached_input", "output"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value >= 0):
                raise ValueError(f"price {name} must be a non-negative number of USD per 1M tokens")


PRICES: Mapping[str, Price] = MappingProxyType(
    {
        # genai-prices (checked 2025-07-04), OpenRouter
        "gpt-4o": Price(2.50, 1.25, 10.00),
        # the first snapshot kept its launch price, no cache discount: OpenRouter; an SDK table citing
        # platform.openai.com/docs/pricing on 2025-06-03 (hexdocs openai_responses)
        "gpt-4o-2024-05-13": Price(5.00, None, 15.00),
        # genai-prices (2025-07-04); tables citing openai.com/api/pricing
        "gpt-4o-mini": Price(0.15, 0.075, 0.60),
        # genai-prices (2025-07-04); GitHub Copilot's price table; Vercel AI Gateway
        "gpt-4.1": Price(2.00, 0.50, 8.00),
        "gpt-4.1-mini": Price(0.40, 0.10, 1.60),
        "gpt-4.1-nano": Price(0.10, 0.025, 0.40),
        # openai (input, on the gpt-5-codex page's comparison); genai-prices (2025-11-13) for the rest
        "gpt-5": Price(1.25, 0.125, 10.00),
        "gpt-5-mini": Price(0.25, 0.025, 2.00),  # openai (models/gpt-5-mini)
        "gpt-5-nano": Price(0.05, 0.005, 0.40),  # openai (models/gpt-5-nano)
        "o1": Price(15.00, 7.50, 60.00),  # genai-prices (2025-07-04)
        "o3": Price(2.00, 0.50, 8.00),  # genai-prices: the price since 2025-06-10
        "o3-mini": Price(1.10, 0.55, 4.40),  # genai-prices (2025-07-04)
        "o4-mini": Price(1.10, 0.275, 4.40),  # genai-prices (2025-07-04)
    }
)


class TokenUsage(Protocol):
    """Tokens billed; ``prompt_tokens`` includes ``cached_tokens`` (as OpenAI reports them)."""

    @property
    def prompt_tokens(self) -> int: ...

    @property
    def cached_tokens(self) -> int: ...

    @property
    def completion_tokens(self) -> int: ...


@dataclass(frozen=True)
class Pricing:
    """The price that applies to a model, and why: "table", "override", "local" or "unknown"."""

    price: Price | None
    note: str


def is_local(model: str, base_url: str | None = None) -> bool:
    """A model that costs nothing: the simulator's, or anything served on a loopback address."""
    if model in LOCAL_MODELS:
        return True
    if not base_url:
        return False
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def pricing(model: str, price: Price | None = None, *, base_url: str | None = None) -> Pricing:
    """Which price to bill ``model`` at: an override, 0 for local, the table (dated snapshots too)."""
    if price is not None:
        return Pricing(price, "override")
    if is_local(model, base_url):
        return Pricing(Price(0.0, 0.0, 0.0), "local")
    known = PRICES.get(model) or PRICES.get(_SNAPSHOT.sub("", model))
    if known is None:
        return Pricing(None, "unknown")
    return Pricing(known, f"table {PRICES_AS_OF}")


def batch_price(price: Price) -> Price:
    """What ``price`` costs through the Batch API."""
    cached = None if price.cached_input is None else price.cached_input * BATCH_DISCOUNT
    return Price(price.input * BATCH_DISCOUNT, cached, price.output * BATCH_DISCOUNT)


def price_tokens(price: Price, prompt: int, cached: int, completion: int) -> float:
    """USD for these tokens; ``prompt`` includes ``cached``."""
    cached = min(cached, prompt)
    cached_rate = price.input if price.cached_input is None else price.cached_input
    micro = (prompt - cached) * price.input + cached * cached_rate + completion * price.output
    return micro / 1_000_000


def cost_of(
    usage: TokenUsage, model: str, price: Price | None = None, *, base_url: str | None = None
) -> float | None:
    """USD actually spent for ``usage``; None when the model's price is unknown."""
    found = pricing(model, price, base_url=base_url).price
    if found is None:
        return None
    return price_tokens(found, usage.prompt_tokens, usage.cached_tokens, usage.completion_tokens)


@cache
def _schema_tokens(strict: bool) -> int:
    return promptinfo.prefix_report(strict=strict).schema_tokens


@cache
def cacheable_prefix_tokens(strict: bool = False) -> int:
    """Prompt tokens a provider caches per request after the first (0 under 1,024)."""
    return promptinfo.prefix_report(strict=strict).cacheable_tokens


def estimate_request_tokens(article_text: str, *, strict: bool = False) -> int:
    """Prompt tokens of one summarize request: the rendered messages plus the tool's JSON schema,
    in its strict form when ``strict`` (``tools_strict``, OpenAI's default mode here).

    About 1% above what the simulator bills (it counts the schema inside the
    tool wrapper, a few tokens fewer); other modes place the schema
    differently, within a few tokens.
    """
    messages = prompts.load().render(article_text).as_openai()
    return tokens.count_messages(messages) + _schema_tokens(strict)


def rate_limit_tokens(article_text: str, max_output_tokens: int, *, strict: bool = False) -> int:
    """What one first request counts against a tokens-per-minute limit, for ``RateLimiter.acquire``.

    The prompt plus the whole output budget: OpenAI and the simulator reserve
    ``max_tokens`` when they admit a request, whatever the answer's length.
    Re-asks carry the failed answer too, so they count more.
    """
    return estimate_request_tokens(article_text, strict=strict) + max_output_tokens


def _output_for(article_tokens: int, max_output_tokens: int) -> int:
    guess = OUTPUT_BASE_TOKENS + OUTPUT_TOKENS_PER_ARTICLE_TOKEN * article_tokens
    return min(max_output_tokens, math.ceil(guess))


def estimate_output_tokens(article_text: str, max_output_tokens: int) -> int:
    """Completion tokens of one summary: ``400 + 4 x article tokens``, capped (see the module docstring)."""
    return _output_for(tokens.count(article_text), max_output_tokens)


@dataclass(frozen=True)
class Estimate:
    """A batch's expected calls, tokens and cost, before anything is sent."""

    model: str
    articles: int
    calls: int
    """One successful request per article."""
    worst_case_calls: int
    """Every article using its whole retry and re-ask budget."""
    prompt_tokens: int
    cached_prompt_tokens: int
    """Of ``prompt_tokens``: the shared prefix, cached on every call after the first."""
    output_tokens: int
    cost_usd: float | None
    """None when the model's price is unknown."""
    worst_case_cost_usd: float | None
    """The expected cost scaled by worst_case_calls / calls; re-asks also carry the failed answer."""
    pricing: Pricing

    @property
    def price_note(self) -> str:
        return self.pricing.note

    def describe(self) -> str:
        def usd(value: float | None) -> str:
            if value is None:
                return "unknown (model not in the price table; pass --price-in/--price-out)"
            return f"${value:,.4f}"

        return "\n".join(
            [
                f"model         {self.model} (price: {self.pricing.note})",
                f"articles      {self.articles}",
                f"calls         {self.calls} (worst case {self.worst_case_calls} with retries and re-asks)",
                f"prompt        {self.prompt_tokens:,} tokens ({self.cached_prompt_tokens:,} cached)",
                f"output        {self.output_tokens:,} tokens (estimated)",
                f"cost          {usd(self.cost_usd)}",
                f"worst case    {usd(self.worst_case_cost_usd)}",
            ]
        )


def estimate(
    texts: Iterable[str],
    model: str,
    price: Price | None = None,
    *,
    base_url: str | None = None,
    max_output_tokens: int,
    attempts: int,
    reasks: int,
    provider_batch: bool = False,
    strict: bool = False,
) -> Estimate:
    """Estimate a batch of article texts; the limits as ``Settings`` gives them (the worst case
    is ``attempts`` HTTP tries for each of ``reasks + 1`` answers per article).

    ``provider_batch``: sent through the provider's Batch API: at ``batch_price``, with no
    cached prefix, and the worst case re-asking every answer online at the standard price.
    ``strict``: the requests carry the strict schema (``tools_strict``)."""
    from summarizer.llm.transport import worst_case_requests  # imports openai: only when estimating

    per_article_worst = worst_case_requests(attempts, reasks)
    articles = prompt = output = 0
    for text in texts:
        articles += 1
        prompt += estimate_request_tokens(text, strict=strict)
        output += _output_for(tokens.count(text), max_output_tokens)
    cached = cacheable_prefix_tokens(strict) * max(articles - 1, 0)
    found = pricing(model, price, base_url=base_url)
    worst: float | None
    if provider_batch:
        cached = 0
        standard = found
        if found.price is not None:
            found = Pricing(batch_price(found.price), f"{found.note}, Batch API x {BATCH_DISCOUNT:g}")
        cost = None if found.price is None else price_tokens(found.price, prompt, 0, output)
        online = None if standard.price is None else price_tokens(standard.price, prompt, 0, output)
        worst = None if cost is None or online is None else cost + online * max(per_article_worst - 1, 0)
    else:
        cost = None if found.price is None else price_tokens(found.price, prompt, cached, output)
        worst = None if cost is None else cost * per_article_worst
    return Estimate(
        model=model,
        articles=articles,
        calls=articles,
        worst_case_calls=articles * per_article_worst,
        prompt_tokens=prompt,
        cached_prompt_tokens=cached,
        output_tokens=output,
        cost_usd=cost,
        worst_case_cost_usd=worst,
        pricing=found,
    )
