"""Rewrite ``tests/data/golden/offline_en.json``, the offline engine's summary of every English
article of the test corpus, which ``tests/test_offline_golden.py`` holds the engine to.

    python scripts/update_golden.py

Run it only when a change to the English rules is meant, and read the JSON's diff before
committing it: that diff is the change's effect on every English corpus article.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.test_offline_golden import GOLDEN, record

if __name__ == "__main__":
    print(f"{GOLDEN}: {record()} English summaries")
