"""The offline engine's dates in the evaluation set's German, French and Spanish articles: what the
English rules found there before ``offline/dates_intl.py`` and what the article's own language's
rules find now, each date with its clause, for reading.

    python bench/dates_intl.py            # tune split (development)
    python bench/dates_intl.py report     # report split (read once, for the figures)
"""

from __future__ import annotations

import sys

import qmeasure
from evalset_data import load_split

from summarizer import language
from summarizer.offline.dates import find_dates
from summarizer.offline.text import parse


def main(argv: list[str]) -> int:
    name = argv[0] if argv else "tune"
    loaded = qmeasure.load_all(load_split(name))
    before = after = articles = 0
    for rel, article in sorted(loaded.articles.items()):
        lang = article.language or language.detect(article.text)
        if lang not in ("de", "fr", "es"):
            continue
        doc = parse(article.text)
        english, own = find_dates(doc), find_dates(doc, lang=lang)
        articles += 1
        before += len(english)
        after += len(own)
        print(f"== {rel} ({lang}): English rules {len(english)}, {lang} rules {len(own)}")
        for d in own:
            print(f"   {d.when!r:38} {d.event[:80]}")
    print(f"{name}: {articles} articles in de/fr/es; dates found: English rules {before}, own rules {after}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
