"""The offline engine's dates, who-said-what and entities in the evaluation set's German, French
and Spanish articles: what the English rules found there before ``offline/dates_intl.py``,
``offline/statements_intl.py`` and ``offline/entities_intl.py``, and what the article's own
language's rules find now, each item printed for reading (the figures in bench/README.md are these
counts, each item judged by hand).

    python bench/offline_intl.py            # tune split (development)
    python bench/offline_intl.py report     # report split
"""

from __future__ import annotations

import sys

import qmeasure
from evalset_data import load_split

from summarizer import language
from summarizer.offline.dates import find_dates
from summarizer.offline.entities import find_entities
from summarizer.offline.statements import find_statements
from summarizer.offline.text import parse, quoting


def main(argv: list[str]) -> int:
    name = argv[0] if argv else "tune"
    loaded = qmeasure.load_all(load_split(name))
    counts = {"dates": [0, 0], "statements": [0, 0], "entities": [0, 0]}
    articles = 0
    for rel, article in sorted(loaded.articles.items()):
        lang = article.language or language.detect(article.text)
        if lang not in ("de", "fr", "es"):
            continue
        articles += 1
        doc = parse(article.text)
        own_doc = quoting(doc, lang)
        entities = find_entities(own_doc, lang=lang)
        dates = find_dates(doc), find_dates(own_doc, lang=lang)
        said = find_statements(doc, find_entities(doc)), find_statements(own_doc, entities, lang=lang)
        named = find_entities(doc), entities
        for kind, (english, own) in (("dates", dates), ("statements", said), ("entities", named)):
            counts[kind][0] += len(english)
            counts[kind][1] += len(own)
        print(
            f"== {rel} ({lang}): dates {len(dates[0])} -> {len(dates[1])}, "
            f"who said what {len(said[0])} -> {len(said[1])}, entities {len(named[0])} -> {len(named[1])}"
        )
        for d in dates[1]:
            print(f"   date {d.when!r:34} {d.event[:80]}")
        for st in said[1]:
            print(f"   said {st.speaker!r:34} {st.claim[:80]}")
        for e in named[1]:
            print(f"   name {e.name!r:34} {e.kind}: {e.role[:60]}")
    for kind, (before, after) in counts.items():
        print(
            f"{name}: {articles} articles in de/fr/es; {kind} found: "
            f"English rules {before}, own rules {after}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
