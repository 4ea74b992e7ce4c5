"""OpenAI's chat completions format, as far as the simulator speaks it.

Owns reading a request body (model, messages, tools, response_format,
max_tokens, the article's data block) and writing a ``chat.completion``
object: a tool call for instructor's TOOLS modes, JSON text in
``message.content`` for JSON and JSON_SCHEMA, a fenced json block when the
request names no format (MD_JSON). Pure functions of their inputs; no
sockets, no clock except ``created``.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from summarizer import tokens
from summarizer.prompts import extract_article, extract_blocks
from summarizer.simulator import limits

NO_ARTICLE = (
    "No article found: a user message must hold the article between a '<<<ARTICLE <id>>>' line and "
    "a '<<<END ARTICLE <id>>>' line (render the request with summarizer.prompts)."
)


class BadRequest(ValueError):
    """The body is not a chat request the simulator can answer (HTTP 400)."""


@dataclass(frozen=True)
class ChatRequest:
    """What the simulator needs from a chat completion request body."""

    model: str
    messages: list[dict[str, Any]]
    tool: str | None
    """The function to call, or None to answer in ``message.content``."""
    markdown: bool
    """No tools and no response_format: answer in a fenced json block (instructor's MD_JSON)."""
    schema: dict[str, Any] | None
    max_tokens: int | None
    prompt_tokens: int
    prefix_tokens: int
    prefix_key: str
    """Hash of the cacheable prefix: tools, response schema and system message."""

    @property
    def cost(self) -> int:
        """Tokens charged against TPM when admitted: the prompt plus the completion budget."""
        return self.prompt_tokens + (self.max_tokens or limits.DEFAULT_MAX_TOKENS)

    def source_blocks(self) -> dict[str, str]:
        """The per-source data blocks of a comparison request (empty for a summary request)."""
        for message in self.messages:
            if message.get("role") == "user":
                found = extract_blocks(content_text(message.get("content")))
                if found:
                    return found
        return {}

    def article(self) -> str | None:
        """The article inside the first user message that holds a data block."""
        for message in self.messages:
            if message.get("role") == "user":
                found = extract_article(content_text(message.get("content")))
                if found is not None:
                    return found
        return None

    @classmethod
    def parse(cls, body: Any) -> ChatRequest:
        """Read a request body; raise BadRequest with an OpenAI-like message."""
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.")
        model, messages = body.get("model"), body.get("messages")
        if not isinstance(model, str) or not model:
            raise BadRequest("You must provide a model parameter.")
        if not isinstance(messages, list) or not messages or not all(isinstance(m, dict) for m in messages):
            raise BadRequest("'messages' must be a non-empty array of message objects.")
        if body.get("stream"):
            raise BadRequest("The simulator does not stream; send stream=false.")
        max_tokens = body.get("max_completion_tokens") or body.get("max_tokens")
        if max_tokens is not None and (not isinstance(max_tokens, int) or max_tokens < 1):
            raise BadRequest("max_tokens must be a positive integer.")
        tools = body.get("tools") or []
        if not isinstance(tools, list):
            raise BadRequest("'tools' must be an array.")
        tool, schema = _pick_tool(tools, body.get("tool_choice"))
        response_format = body.get("response_format")
        extras: list[Any] = [tools] if tools else []
        if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
            spec = response_format.get("json_schema")
            extras.append(spec)
            if tool is None and isinstance(spec, dict) and isinstance(spec.get("schema"), dict):
                schema = spec["schema"]
        first = messages[0]
        system = content_text(first.get("content")) if first.get("role") in ("system", "developer") else None
        prefix = json.dumps([extras, system], ensure_ascii=False, sort_keys=True)
        return cls(
            model=model,
            messages=messages,
            tool=tool,
            markdown=tool is None and not isinstance(response_format, dict),
            schema=schema,
            max_tokens=max_tokens,
            prompt_tokens=limits.count_prompt(messages, extras),
            prefix_tokens=limits.count_prefix(system, extras),
            prefix_key=hashlib.sha256(prefix.encode("utf-8")).hexdigest(),
        )


def content_text(content: Any) -> str:
    """A message's text, whether ``content`` is a string or a list of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def _pick_tool(tools: list[Any], choice: Any) -> tuple[str | None, dict[str, Any] | None]:
    """The function named by tool_choice (else the first tool), and its parameters schema."""
    functions = [t["function"] for t in tools if isinstance(t, dict) and isinstance(t.get("function"), dict)]
    if not functions or choice == "none":
        return None, None
    wanted = choice.get("function", {}).get("name") if isinstance(choice, dict) else None
    chosen = next((f for f in functions if f.get("name") == wanted), functions[0])
    params = chosen.get("parameters")
    return str(chosen.get("name", "")), params if isinstance(params, dict) else None


def completion(
    request: ChatRequest,
    answer: dict[str, Any],
    *,
    ident: str,
    fingerprint: str,
    cached_tokens: int,
    truncate: bool = False,
) -> dict[str, Any]:
    """A ``chat.completion`` carrying ``answer``; cut short (finish_reason "length") when
    ``truncate`` is set or the answer exceeds the request's max_tokens.

    ``ident`` is a hex digest that seeds the completion and tool call ids.
    """
    text = json.dumps(answer, ensure_ascii=False)
    if request.tool is None and request.markdown:
        text = f"```json\n{text}\n```"
    finish = "tool_calls" if request.tool is not None else "stop"
    encoded = tokens.encoding().encode(text, disallowed_special=())
    limit = len(encoded) // 2 if truncate else request.max_tokens
    if limit is not None and len(encoded) > limit:
        text, finish = tokens.encoding().decode(encoded[:limit]), "length"
    completion_tokens = tokens.count(text)
    message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None, "annotations": []}
    if request.tool is not None:
        function = {"name": request.tool, "arguments": text}
        message.update(
            content=None,
            tool_calls=[{"id": f"call_{ident[24:48]}", "type": "function", "function": function}],
        )
    return {
        "id": f"chatcmpl-{ident[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.model,
        "system_fingerprint": fingerprint,
        "service_tier": "default",
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
        "usage": {
            "prompt_tokens": request.prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": request.prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": cached_tokens, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
    }
