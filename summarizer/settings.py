"""All configuration in one object, and the choice of engine it implies.

Settings come from ``SUMMARIZER_*`` environment variables; CLI flags
override them. Only the CLI reads a ``.env`` file (``Settings(_env_file=".env")``):
a library user gets no surprise file reads. Every default (attempts, re-asks,
timeouts, limits) lives here and nowhere else. ``OPENAI_API_KEY`` is read as a
fallback for the key. Secrets are ``SecretStr`` so a settings dump is safe to
log. Nothing here runs at import time.

Engine selection, in order (first match wins):
1. ``--engine offline|llm`` (or ``SUMMARIZER_ENGINE``);
2. a base URL (``--base-url`` / ``SUMMARIZER_BASE_URL``): an OpenAI-compatible server;
3. a key (``SUMMARIZER_API_KEY``, then ``OPENAI_API_KEY``): OpenAI;
4. otherwise the offline engine, which needs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from summarizer.errors import ConfigError

EngineChoice = Literal["auto", "llm", "offline"]
Mode = Literal["tools_strict", "tools", "json", "json_schema", "md_json"]
"""How the structured answer is requested: instructor's modes of the same names, and
``tools_strict``, forced tool calls with OpenAI's strict structured outputs (the schema enforced
while the answer is decoded)."""
ModeChoice = Literal["auto", Mode]
STRICT_MODES: frozenset[str] = frozenset({"tools_strict"})
"""Modes whose requests carry the strict form of the tool schema (longer: every property required)."""
Fallback = Literal["none", "offline"]
OPENAI_DEFAULT_MODEL = "gpt-4o-mini"


class Settings(BaseSettings):
    """Everything the summarizer can be told. Field names match the CLI flags."""

    model_config = SettingsConfigDict(
        env_prefix="SUMMARIZER_", env_file=None, extra="ignore", populate_by_name=True
    )

    engine: EngineChoice = "auto"
    fallback: Fallback = "none"
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SUMMARIZER_API_KEY", "OPENAI_API_KEY", "api_key")
    )
    base_url: str | None = None
    model: str | None = None
    mode: ModeChoice = "auto"
    timeout: float = Field(default=60.0, gt=0, description="Seconds for one HTTP request.")
    deadline: float = Field(default=180.0, gt=0, description="Seconds for one article, all attempts.")
    transport_attempts: int = Field(default=4, ge=1, le=10, description="HTTP tries per model call.")
    reasks: int = Field(default=2, ge=0, le=5, description="Re-asks after invalid model output.")
    max_output_tokens: int = Field(default=4096, ge=256)
    backoff_base: float = Field(default=0.5, gt=0)
    backoff_cap: float = Field(default=20.0, gt=0)
    max_bytes: int = Field(default=5_000_000, ge=1024, description="Largest input accepted.")
    chunk_tokens: int | None = Field(
        default=None,
        ge=256,
        description=(
            "Largest article, in tokens, sent in one request; a longer one is split into chunks "
            "(summarizer.chunking). Default: from the model's context window."
        ),
    )
    chunk_overlap: float = Field(
        default=0.1, ge=0, le=0.5, description="Share of a chunk's tokens repeated at the start of the next."
    )
    batch_poll: float = Field(default=10.0, gt=0, description="First wait (s) between polls of a batch.")
    batch_poll_max: float = Field(default=300.0, gt=0, description="Longest wait, s, between polls.")
    batch_wait: float = Field(
        default=26 * 3600.0,
        ge=0,
        description="Seconds a --via provider-batch run waits for its batches; a re-run collects the rest.",
    )
    batch_resubmits: int = Field(
        default=2, ge=0, le=10, description="Times a request no batch answered (expired, 5xx) is sent again."
    )
    batch_max_requests: int = Field(
        default=50_000, ge=1, le=50_000, description="Requests per Batch API input file (OpenAI's limit)."
    )
    batch_max_bytes: int = Field(
        default=200 * 1024 * 1024,
        ge=1024,
        le=200 * 1024 * 1024,
        description="Bytes per Batch API input file (OpenAI's limit: 200 MB).",
    )
    service_token: SecretStr | None = Field(
        default=None, description="Bearer token `summarizer serve` requires (SUMMARIZER_SERVICE_TOKEN)."
    )

    @field_validator("base_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(f"base URL must be http(s)://host[:port]/path, got {value!r}")
        return value.rstrip("/")


@dataclass(frozen=True)
class EngineChoiceResult:
    """Which engine will run, and the reason, for ``summarizer config``."""

    engine: Literal["llm", "offline"]
    reason: str
    model: str | None = None
    base_url: str | None = None
    mode: Mode | None = None
    key_source: str | None = None


def default_mode(base_url: str | None) -> Mode:
    """instructor mode that fits the server behind ``base_url``.

    OpenAI itself gets forced tool calls with strict structured outputs
    (``tools_strict``): the schema is enforced while the answer is decoded, so
    malformed answers do not cost re-asks (grounding still can). vLLM, LM
    Studio and the simulator take plain forced tool calls (TOOLS); servers
    other than OpenAI do not all honour ``strict``. Ollama (port 11434) and
    llama.cpp's servers (port 8080) follow JSON mode (``response_format:
    json_object``) more reliably than forced tools, and llama-cpp-python's
    server answers ``json_schema`` with HTTP 500, so JSON_SCHEMA is never a
    default.
    """
    if base_url is None:
        return "tools_strict"
    parts = urlsplit(base_url)
    if parts.port in {11434, 8080} or "ollama" in parts.netloc or "llama" in parts.netloc:
        return "json"
    return "tools"


def choose_engine(settings: Settings, *, key_from_env: str | None = None) -> EngineChoiceResult:
    """Apply the selection order in the module docstring."""
    key_source = key_from_env or ("configured" if settings.api_key else None)
    mode: Mode = settings.mode if settings.mode != "auto" else default_mode(settings.base_url)
    if settings.engine == "offline":
        return EngineChoiceResult("offline", "forced with --engine offline / SUMMARIZER_ENGINE")
    if settings.engine == "llm" or settings.base_url or settings.api_key:
        if settings.base_url:
            reason = "a base URL is configured"
            model = settings.model
            if not model:
                raise ConfigError(
                    "a model is needed for a custom endpoint: pass --model NAME or set SUMMARIZER_MODEL"
                )
        elif settings.api_key:
            reason = f"an API key is configured ({key_source})"
            model = settings.model or OPENAI_DEFAULT_MODEL
        else:
            raise ConfigError(
                "--engine llm needs an endpoint: set OPENAI_API_KEY for OpenAI, or --base-url / "
                "SUMMARIZER_BASE_URL (plus --model) for an OpenAI-compatible server "
                "such as Ollama, vLLM or llama.cpp; or use --engine offline"
            )
        if settings.engine == "llm":
            reason = "forced with --engine llm; " + reason
        return EngineChoiceResult(
            "llm", reason, model=model, base_url=settings.base_url, mode=mode, key_source=key_source
        )
    return EngineChoiceResult(
        "offline", "no API key and no base URL configured: using the built-in offline engine (no LLM)"
    )
