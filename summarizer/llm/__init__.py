"""The model layer: the only package that imports ``openai`` or ``instructor``."""

from summarizer.llm.client import MODES, LLMAnswer, LLMClient, LLMConfig
from summarizer.llm.transport import worst_case_requests

__all__ = ["MODES", "LLMAnswer", "LLMClient", "LLMConfig", "worst_case_requests"]
