"""The question checker the benchmark runs: the product's own (``summarizer.offline.qcheck``).

It lives in the product so the offline engine checks its questions before
emitting them; ``bench/quality.py`` applies the same rules to the questions
the engine *generates* (before that check, see ``qmeasure``) and to every
question a comparison reports.
"""

from __future__ import annotations

from summarizer.offline.qcheck import check_question, is_grammatical

__all__ = ["check_question", "is_grammatical"]
