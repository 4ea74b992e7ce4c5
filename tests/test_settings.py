"""Provider selection: flags, then SUMMARIZER_* settings, then OPENAI_API_KEY, then offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.errors import ConfigError
from summarizer.settings import Settings, choose_engine, default_mode


@pytest.fixture(autouse=True)
def _no_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)


def test_nothing_configured_means_offline() -> None:
    choice = choose_engine(Settings())
    assert choice.engine == "offline"
    assert "no API key" in choice.reason


def test_openai_key_selects_openai_with_default_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
    choice = choose_engine(Settings())
    assert (choice.engine, choice.model, choice.base_url, choice.mode) == (
        "llm",
        "gpt-4o-mini",
        None,
        "tools_strict",
    )


def test_summarizer_key_wins_over_openai_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    monkeypatch.setenv("SUMMARIZER_API_KEY", "sk-summarizer")
    settings = Settings()
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == "sk-summarizer"


def test_base_url_setting_selects_llm_and_needs_a_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_BASE_URL", "http://127.0.0.1:8000/v1")
    with pytest.raises(ConfigError, match="--model"):
        choose_engine(Settings())
    monkeypatch.setenv("SUMMARIZER_MODEL", "qwen2.5")
    choice = choose_engine(Settings())
    assert (choice.engine, choice.model, choice.base_url) == ("llm", "qwen2.5", "http://127.0.0.1:8000/v1")


def test_flags_override_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_BASE_URL", "http://127.0.0.1:8000/v1")
    monkeypatch.setenv("SUMMARIZER_MODEL", "env-model")
    choice = choose_engine(Settings(model="flag-model", base_url="http://127.0.0.1:9000/v1"))
    assert (choice.model, choice.base_url) == ("flag-model", "http://127.0.0.1:9000/v1")


def test_engine_offline_beats_a_configured_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
    assert choose_engine(Settings(engine="offline")).engine == "offline"


def test_engine_llm_without_endpoint_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        choose_engine(Settings(engine="llm"))


@pytest.mark.parametrize(
    ("url", "mode"),
    [
        (None, "tools_strict"),  # OpenAI: strict structured outputs
        ("http://127.0.0.1:11434/v1", "json"),  # Ollama
        ("http://127.0.0.1:8080/v1", "json"),  # llama.cpp server
        ("http://127.0.0.1:8000/v1", "tools"),  # vLLM
        ("http://127.0.0.1:1234/v1", "tools"),  # LM Studio
    ],
)
def test_default_mode_per_provider(url: str | None, mode: str) -> None:
    assert default_mode(url) == mode


def test_explicit_mode_wins() -> None:
    choice = choose_engine(Settings(base_url="http://127.0.0.1:11434/v1", model="m", mode="md_json"))
    assert choice.mode == "md_json"


@pytest.mark.parametrize("url", ["ftp://example/v1", "127.0.0.1:8000", "http://"])
def test_bad_base_url_is_rejected(url: str) -> None:
    with pytest.raises(ValueError, match="base URL"):
        Settings(base_url=url)


def test_key_is_secret_in_dumps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret-value")
    settings = Settings()
    assert "sk-very-secret-value" not in repr(settings)
    assert "sk-very-secret-value" not in settings.model_dump_json()


def test_only_the_cli_reads_a_dotenv_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.cli_common import make_settings

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "SUMMARIZER_BASE_URL=http://127.0.0.1:8000/v1\nSUMMARIZER_MODEL=from-dotenv\n", encoding="utf-8"
    )
    library = Settings()
    assert library.base_url is None and library.model is None  # a library user gets no surprise read
    cli = make_settings()
    assert cli.base_url == "http://127.0.0.1:8000/v1" and cli.model == "from-dotenv"
    assert make_settings(model="flag").model == "flag"  # flags still win
