"""What the model layer did for one article: HTTP requests, model answers, tokens.

Filled in as requests are sent (the transport counts HTTP tries, the client
counts answers and sums their usage), and carried by every error the model
layer raises, so failed work is still accounted for.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class UsageSoFar:
    """Tokens spent so far, re-asks and failed tries included."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0


@dataclass
class AttemptLog:
    """What the model layer did before answering or giving up."""

    http_attempts: int = 0
    model_attempts: int = 0
    usage: UsageSoFar = field(default_factory=UsageSoFar)
