"""Which language an article is written in, and how long it is, by script-aware rules.

Owns two cheap, deterministic guesses the rest of the product needs without
a model: the language (by script for Chinese, Japanese and Korean; by the
share of each language's commonest function words for Latin-script text)
and the length in words (whitespace words, with Chinese and Japanese
characters, which are not separated by spaces, counted as half a word each:
a word of either language is about two characters long). Pure, no data files.
"""

from __future__ import annotations

import math
import re
from collections import Counter

_FUNCTION_WORDS = {
    "en": "the of and to in is that for on was with said by it at from as are has have will be not this",
    "de": "der die das und den ist nicht von mit sich des auf dem ein eine zu im für wird sind nach bei hat",
    "fr": "le la les des et est un une du en dans pour que qui au sur pas par ont été elle il sont avec",
    "es": "el la los las de del y en que un una por con para es se al lo su sus ha han más según",
    "it": "il lo gli della che di e è per una un con non sono nel alla anche dei ha",
    "nl": "de het een van en is dat op te in voor niet met zijn aan er ook bij",
    "pt": "o os as do da dos das que em um uma para com não por mais foi são pelo",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
MIN_SHARE = 0.08
"""Below this share of function words no language is named (a list, a table, a name-only text)."""


def _script(ch: str) -> str | None:
    code = ord(ch)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return "kana"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
        return "hangul"
    return None


def cjk_chars(text: str) -> int:
    """Characters of Chinese, Japanese and Korean script in ``text``."""
    return sum(_script(ch) is not None for ch in text)


def length(text: str) -> int:
    """Words in ``text``: whitespace-separated words, plus half a word per CJK character (rounded up)
    instead of counting a run of them as one word."""
    if text.isascii():
        return len(text.split())
    words = cjk = 0
    for token in text.split():
        n = len(_CJK.findall(token))
        cjk += n
        # "Apple发布会" is a word and three characters; "发布会" is only the characters.
        words += not n or bool(_TOKEN.search(_CJK.sub(" ", token)))
    return words + math.ceil(cjk / 2)


_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_LETTER = re.compile(r"[^\W\d_]")


def detect(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it cannot tell."""
    sample = text[:5000]
    kana, han, hangul = (len(p.findall(sample)) for p in (_KANA, _HAN, _HANGUL))
    letters = len(_LETTER.findall(sample)) or 1
    if (kana + han + hangul) / letters > 0.3:
        if hangul > kana + han:
            return "ko"
        return "ja" if kana > 0.05 * (kana + han + hangul) else "zh"
    tokens = Counter(t.lower() for t in _TOKEN.findall(text[:20000]))
    total = sum(tokens.values())
    if not total:
        return None
    counts = {lang: sum(tokens[w] for w in words) for lang, words in _WORDS.items()}
    best = max(counts, key=lambda lang: (counts[lang], lang == "en"))
    return best if counts[best] / total >= MIN_SHARE else None


NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
    "sv": "Swedish",
    "da": "Danish",
    "no": "Norwegian",
    "pl": "Polish",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
}


def name(code: str) -> str:
    """The language's English name, or its code when this module does not know it."""
    return NAMES.get(code, code)
