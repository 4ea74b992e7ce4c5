"""Keeping secrets out of messages: API keys, whole or as providers echo them back.

Providers quote the key they refused ("Incorrect API key provided:
sk-proj-****abcd"); those messages reach error texts, the store, batch
reports, logs and the service's answers. They are redacted where they
enter (``llm.transport``) and again, with the configured secrets, where the
service answers.
"""

from __future__ import annotations

import re

_KEYLIKE = re.compile(r"\b(?:sk|rk|pk)-[\w*-]{4,}")
"""API keys, whole or redacted the way providers echo them."""


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` without the given secrets or anything shaped like an API key."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return _KEYLIKE.sub("[redacted key]", text)
