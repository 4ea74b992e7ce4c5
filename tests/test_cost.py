"""Cost and token estimates: the price table, local and unknown models, batch estimates.

Expected dollar amounts are worked out by hand in each test from the table's
per-1M prices, so a change to the arithmetic (or a silent change of a price)
shows up here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from summarizer import cost, ingest, promptinfo, prompts, tokens
from summarizer.attempts import UsageSoFar
from summarizer.errors import InputError
from summarizer.llm import worst_case_requests
from summarizer.result import Usage
from summarizer.settings import Settings

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"

DEFAULTS = Settings()
LIMIT = DEFAULTS.max_output_tokens


def estimate(texts: list[str], model: str, *, strict: bool = False) -> cost.Estimate:
    """``cost.estimate`` with the default limits of ``Settings``."""
    return cost.estimate(
        texts,
        model,
        max_output_tokens=DEFAULTS.max_output_tokens,
        attempts=DEFAULTS.transport_attempts,
        reasks=DEFAULTS.reasks,
        strict=strict,
    )


def corpus_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(CORPUS.glob("*/*")):
        if path.suffix == ".json" or path.name == "README.md":
            continue
        try:
            texts.extend(article.text for article in ingest.load(str(path)))
        except InputError:
            continue  # the corpus holds files that must be rejected
    return texts


# --- prices ------------------------------------------------------------------------------------------


def test_known_model_cost_by_hand() -> None:
    usage = UsageSoFar(prompt_tokens=10_000, completion_tokens=2_000, cached_tokens=4_000)
    # gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per 1M tokens.
    by_hand = (6_000 * 0.15 + 4_000 * 0.075 + 2_000 * 0.60) / 1_000_000
    assert cost.cost_of(usage, "gpt-4o-mini") == pytest.approx(by_hand)
    assert by_hand == pytest.approx(0.0024)


def test_dated_snapshots_use_their_family_price() -> None:
    usage = Usage(prompt_tokens=1_000_000, completion_tokens=1_000_000, cached_tokens=0)
    assert cost.cost_of(usage, "gpt-4.1-2025-04-14") == pytest.approx(2.00 + 8.00)
    assert cost.cost_of(usage, "gpt-4o-mini-2024-07-18") == pytest.approx(0.15 + 0.60)
    # The first gpt-4o snapshot kept its launch price and has no cache discount.
    assert cost.cost_of(usage, "gpt-4o-2024-05-13") == pytest.approx(5.00 + 15.00)


def test_every_table_price_is_plausible() -> None:
    for model, price in cost.PRICES.items():
        assert 0 < price.input < price.output, model
        assert price.cached_input is None or price.cached_input < price.input, model


@pytest.mark.parametrize(
    "model", ["claude-3-5-sonnet", "gpt-4o-mini-transcribe-x", "mystery", "openai/gpt-4o"]
)
def test_unknown_model_costs_none(model: str) -> None:
    usage = UsageSoFar(prompt_tokens=1000, completion_tokens=1000)
    assert cost.cost_of(usage, model) is None
    assert cost.pricing(model).note == "unknown"


@pytest.mark.parametrize(
    ("model", "base_url"),
    [
        ("sim-1", None),
        ("sim-1", "https://api.openai.com/v1"),
        ("llama3.1", "http://127.0.0.1:8080/v1"),
        ("qwen2.5", "http://localhost:11434/v1"),
        ("gpt-4o", "http://[::1]:8000/v1"),
    ],
)
def test_local_models_cost_nothing(model: str, base_url: str | None) -> None:
    usage = UsageSoFar(prompt_tokens=50_000, completion_tokens=9_000, cached_tokens=1_000)
    assert cost.cost_of(usage, model, base_url=base_url) == 0.0
    assert cost.pricing(model, base_url=base_url).note == "local"


def test_a_remote_unknown_server_is_not_local() -> None:
    usage = UsageSoFar(prompt_tokens=1000, completion_tokens=1000)
    assert cost.cost_of(usage, "llama3.1", base_url="http://10.0.0.5:8000/v1") is None


def test_a_price_override_wins_and_bills_cached_tokens_as_input_when_unset() -> None:
    usage = UsageSoFar(prompt_tokens=3_000, completion_tokens=1_000, cached_tokens=2_000)
    price = cost.Price(input=1.0, cached_input=None, output=2.0)
    assert cost.cost_of(usage, "mystery", price) == pytest.approx((3_000 * 1.0 + 1_000 * 2.0) / 1e6)
    assert cost.cost_of(usage, "sim-1", price) == pytest.approx(0.005)  # asked for: not "local"
    assert cost.pricing("gpt-4o", price).note == "override"


def test_prices_must_be_non_negative_numbers() -> None:
    with pytest.raises(ValueError, match="input"):
        cost.Price(-1.0, None, 1.0)
    with pytest.raises(ValueError, match="output"):
        cost.Price(1.0, 0.5, float("nan"))


# --- token estimates ---------------------------------------------------------------------------------


def test_request_tokens_exceed_the_fixed_prompt_for_every_corpus_article() -> None:
    report = promptinfo.prefix_report()
    texts = corpus_texts()
    assert len(texts) >= 10
    for text in texts:
        estimate = cost.estimate_request_tokens(text)
        assert estimate > report.system_tokens + report.schema_tokens + tokens.count(text)


def test_estimates_match_what_the_recorded_cassettes_billed() -> None:
    """First request of each cassette (recorded against the simulator, TOOLS and TOOLS_STRICT mode):
    prompt within 1.5 %, the strict schema counted for strict requests; output within the documented
    spread of the heuristic."""
    seen: dict[tuple[str, bool], tuple[int, int]] = {}
    for path in sorted(CASSETTES.glob("*/*.yaml")):
        interaction = yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"][0]
        body = json.loads(interaction["request"]["body"])
        strict = any(t.get("function", {}).get("strict") for t in body.get("tools", []))
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        article = prompts.extract_article(user)
        assert article is not None
        usage = json.loads(interaction["response"]["body"]["string"])["usage"]
        seen[article, strict] = (usage["prompt_tokens"], usage["completion_tokens"])
    assert sum(strict for _, strict in seen) >= 1 and sum(not strict for _, strict in seen) >= 2
    for (article, strict), (prompt, _) in seen.items():
        assert abs(cost.estimate_request_tokens(article, strict=strict) - prompt) <= 0.015 * prompt
    estimated = sum(cost.estimate_output_tokens(article, LIMIT) for article, _ in seen)
    recorded = sum(completion for _, completion in seen.values())
    assert 0.67 <= estimated / recorded <= 1.5


def test_output_estimate_grows_with_the_article_and_is_capped() -> None:
    short = "Ferry\n\nThe night ferry started on Friday."
    assert cost.estimate_output_tokens(short, LIMIT) == 400 + 4 * tokens.count(short)
    long = " ".join(["The harbour office said the ferry would run three nights a week."] * 400)
    assert cost.estimate_output_tokens(long, LIMIT) == 4096
    assert cost.estimate_output_tokens(long, max_output_tokens=1000) == 1000


def test_rate_limit_tokens_reserve_the_whole_output_budget() -> None:
    text = "Ferry\n\nThe night ferry started on Friday."
    assert cost.rate_limit_tokens(text, LIMIT) == cost.estimate_request_tokens(text) + 4096
    assert cost.rate_limit_tokens(text, max_output_tokens=1000) == cost.estimate_request_tokens(text) + 1000


# --- batch estimate ----------------------------------------------------------------------------------


def test_estimate_over_the_corpus_counts_calls_tokens_cache_and_cost() -> None:
    texts = corpus_texts()
    result = estimate(texts, "gpt-4.1-mini")
    n = len(texts)
    assert (result.articles, result.calls) == (n, n)
    assert result.worst_case_calls == n * worst_case_requests(4, 2) == n * 12
    assert result.prompt_tokens == sum(cost.estimate_request_tokens(t) for t in texts)
    assert result.output_tokens == sum(cost.estimate_output_tokens(t, LIMIT) for t in texts)
    cacheable = promptinfo.prefix_report().cacheable_tokens
    assert cacheable >= 1024  # the system message and schema are a cacheable prefix
    assert result.cached_prompt_tokens == cacheable * (n - 1)
    # gpt-4.1-mini: $0.40 input, $0.10 cached input, $1.60 output per 1M tokens.
    uncached = result.prompt_tokens - result.cached_prompt_tokens
    by_hand = (uncached * 0.40 + result.cached_prompt_tokens * 0.10 + result.output_tokens * 1.60) / 1e6
    assert result.cost_usd == pytest.approx(by_hand)
    assert result.worst_case_cost_usd == pytest.approx(by_hand * 12)
    assert result.price_note == f"table {cost.PRICES_AS_OF}" == "table 2026-12-03"
    assert "gpt-4.1-mini" in result.describe()


def test_estimate_for_local_and_unknown_models() -> None:
    texts = ["Ferry\n\nThe night ferry started on Friday.", "Bridge\n\nThe bridge reopened on Monday."]
    local = estimate(texts, "sim-1")
    assert (local.cost_usd, local.worst_case_cost_usd, local.price_note) == (0.0, 0.0, "local")
    unknown = estimate(texts, "mystery-model")
    assert unknown.cost_usd is None and unknown.worst_case_cost_usd is None
    assert unknown.prompt_tokens == local.prompt_tokens > 0
    assert "--price-in" in unknown.describe()


def test_a_single_article_has_nothing_cached_and_an_empty_batch_costs_nothing() -> None:
    one = estimate(["Ferry\n\nThe night ferry started on Friday."], "gpt-4o")
    assert one.cached_prompt_tokens == 0
    empty = estimate([], "gpt-4o")
    assert (empty.articles, empty.prompt_tokens, empty.cost_usd) == (0, 0, 0.0)


def test_a_strict_request_is_estimated_with_the_strict_schema() -> None:
    """``tools_strict`` sends every property as required (optional ones nullable): a longer schema,
    which the estimate, the cached prefix and the dry run count."""
    text = "Ferry\n\nThe night ferry started on Friday."
    plain, strict = cost.estimate_request_tokens(text), cost.estimate_request_tokens(text, strict=True)
    assert strict - plain == (
        promptinfo.prefix_report(strict=True).schema_tokens - promptinfo.prefix_report().schema_tokens
    )
    assert strict > plain
    texts = corpus_texts()
    assert estimate(texts, "gpt-4.1-mini", strict=True).prompt_tokens == sum(
        cost.estimate_request_tokens(t, strict=True) for t in texts
    )
