"""Build ``summarizer/data/background_en.tsv``: how common each English word stem is in general text.

    pip install -e ".[background]" && python scripts/build_background.py

Reads the word frequencies of the ``wordfreq`` package (its "large" English list), stems every
word with the Snowball English stemmer the comparators use, and keeps, per stem, the highest Zipf
frequency of its words (Zipf: log10 of occurrences per billion words; "the" is 7.7, "bridge"
4.6, "bearing" 3.9). Only stems at or above ``MIN_ZIPF`` are written: story grouping
(``compare.group``) down-weights those, and every rarer stem weighs in full, so the rest of the
list is not needed. Deterministic: the same wordfreq version gives the same file.

wordfreq's code is Apache-2.0 and its data CC BY-SA 4.0; the table is derived from that data and
carries the same licence (said in the file's header).
"""

from __future__ import annotations

from pathlib import Path

import snowballstemmer
import wordfreq

MIN_ZIPF = 4.0
TOP_WORDS = 60_000
OUT = Path(__file__).resolve().parents[1] / "summarizer" / "data" / "background_en.tsv"


def main() -> None:
    stemmer = snowballstemmer.stemmer("english")
    best: dict[str, float] = {}
    for word in wordfreq.top_n_list("en", TOP_WORDS, wordlist="large"):
        if not word.isalpha():
            continue
        zipf = wordfreq.zipf_frequency(word, "en", wordlist="large")
        if zipf < MIN_ZIPF:
            break  # the list is in frequency order
        stem = stemmer.stemWord(word)
        best[stem] = max(best.get(stem, 0.0), zipf)
    version = getattr(wordfreq, "__version__", "3.1.1")
    lines = [
        f"# English word stems (Snowball) with Zipf frequency >= {MIN_ZIPF}, from wordfreq {version}'s",
        "# 'large' English list (data CC BY-SA 4.0, by Robyn Speer and contributors); this derived table",
        "# is under the same licence (wordfreq's NOTICE lists its sources).",
        "# Built by scripts/build_background.py.",
        *(f"{stem}\t{zipf:.2f}" for stem, zipf in sorted(best.items())),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(best)} stems")


if __name__ == "__main__":
    main()
