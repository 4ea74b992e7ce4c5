"""Token counting with tiktoken, offline.

tiktoken downloads its BPE tables on first use, which this project cannot
rely on (no network in tests, CI or many deployments). The ``bpe-openai``
wheel ships the same tables; we load them from there, check them against
tiktoken's published SHA-256, and build a ``tiktoken.Encoding`` from them.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.util
from functools import cache
from pathlib import Path

import tiktoken

# Hashes tiktoken itself pins for these files (tiktoken_ext.openai_public).
_EXPECTED_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
}
_O200K_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)

# Per-message overhead of the chat format (OpenAI's published counting recipe).
TOKENS_PER_MESSAGE = 3
TOKENS_REPLY_PRIMER = 3


@cache
def encoding() -> tiktoken.Encoding:
    """The o200k_base encoding (gpt-4o, gpt-4.1, o-series), loaded without network."""
    # find_spec locates the package without importing it (its import loads a Rust extension).
    spec = importlib.util.find_spec("bpe_openai")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("bpe-openai is not installed; it ships the o200k_base table")
    table = Path(next(iter(spec.submodule_search_locations))) / "data" / "o200k_base.tiktoken.gz"
    raw = table.read_bytes()
    data = gzip.decompress(raw)
    digest = hashlib.sha256(data).hexdigest()
    if digest != _EXPECTED_SHA256["o200k_base"]:
        raise RuntimeError(f"o200k_base table from bpe-openai has unexpected hash {digest}")
    ranks: dict[bytes, int] = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return tiktoken.Encoding(
        name="o200k_base",
        pat_str=_O200K_PATTERN,
        mergeable_ranks=ranks,
        special_tokens={"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
    )


def count(text: str) -> int:
    """Tokens in a plain string (special-token text is counted as ordinary text)."""
    return len(encoding().encode(text, disallowed_special=()))


def count_messages(messages: list[dict[str, str]]) -> int:
    """Prompt tokens of a chat request's messages, as the API bills them (approximately)."""
    total = TOKENS_REPLY_PRIMER
    for message in messages:
        total += TOKENS_PER_MESSAGE
        for value in message.values():
            total += count(value)
    return total
