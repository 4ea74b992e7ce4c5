"""The offline comparator: a ``Comparison`` from per-source units, by rules, without a model.

Owns the deterministic reduce step; it reads ``SourceUnits`` (never the
articles side by side) and must not call a model. A wire group counts as one
*origin*: its members' sentences are pooled under the origin (a member's
extra sentences keep their own source id), so a republication never
confirms its wire copy and no shared fact or conflict side counts it twice.

* story: the lead most like the other origins, weighted by how many outlets
  carry it, with disputed numbers and dates taken out;
* shared facts: sentences of different origins with TF-IDF cosine of at
  least ``SAME_FACT``, one per origin; plus people quoted by several origins;
* conflicts: counts of the same thing that differ ("12,000 dockworkers" vs
  "15,000 port workers": same unit, one value per origin; durations,
  percentages and amounts only between sentences that state the same fact),
  days of the same start or closure, and causes that share no word;
* unique facts: sentences no other origin matches, numbers and names first,
  at most ``UNIQUE_PER_ORIGIN`` per origin;
* framing: who each origin quotes, and a side it mentions but never quotes
  while another origin does;
* open questions: every source's, merged when alike, each checked against
  the other origins' sentences: a sentence covering most of the question's
  rarer words answers it (a "when" question needs a date in that clause,
  or a condition: partly); an unnamed speaker makes it ``unattributed_answer``,
  a denial ``contradicted``. A question whose own passage is the answer to
  another source's question is folded into that one.

Why ``SAME_FACT = 0.30``: on the test corpus, pairs that state one fact
score 0.32 to 0.61 ("offered a 5 percent raise" 0.61, 0.38, 0.32; "a 9
percent raise over two years" 0.58; "publish new test results on Friday"
0.33). Once pairs that give different numbers for the same thing are ruled
out (the union's "9 percent raise" beside the authority's "5 percent
raise", 0.29), pairs that do not state one fact score at most 0.25
("diverting vessels to Brenn" vs "Shares in Brenn Harbour Holdings").
``RELATED = 0.15`` only adds a source to a side of a number conflict when
it states that side's number in a sentence this close ("six bathing sites"
beside "six public beaches", 0.17).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from summarizer import scope
from summarizer.article import Article
from summarizer.comparison.claims import gap
from summarizer.comparison.conflicts import Contested, cause_conflicts, date_conflicts, number_conflicts
from summarizer.comparison.model import SourceInfo, WireGroup
from summarizer.comparison.pool import (
    LIMITS,
    SAME_FACT,
    UNIQUE_PER_ORIGIN,
    Pool,
    Unit,
    _q,
)
from summarizer.comparison.quantity import has_number
from summarizer.comparison.questions import _questions
from summarizer.comparison.schema import Comparison
from summarizer.comparison.units import DEFAULT_LANGUAGE, SNOWBALL, SourceUnits, units_from_article
from summarizer.comparison.voices import _framing, _shared_speakers
from summarizer.engines import ComparatorAnswer, ComparatorInfo
from summarizer.grounding import Source, normalise
from summarizer.offline.text import squash
from summarizer.result import Usage
from summarizer.schema import ArticleSummary


def compare_units(
    units: Sequence[SourceUnits], wire_groups: Sequence[WireGroup], *, language: str | None = None
) -> dict[str, Any]:
    """A plain dict in the shape of ``Comparison``; validate it with the sources as context.
    ``language`` (ISO 639-1) picks the Snowball stemmer when every source is in that language."""
    pool = Pool(units, wire_groups, language=SNOWBALL.get(language or "", DEFAULT_LANGUAGE))
    contested = Contested()
    conflicts = number_conflicts(pool, contested) + date_conflicts(pool, contested) + cause_conflicts(pool)
    shared, matched = _shared_facts(pool, contested.units)
    speakers = _shared_speakers(pool)
    questions, answers = _questions(pool)
    data = {
        "story": _story(pool, contested.phrases),
        "shared_facts": shared + speakers,
        "conflicts": conflicts,
        "unique_facts": _unique_facts(
            pool, matched | contested.units | _cited(pool, shared + speakers), answers
        ),
        "framing": _framing(pool),
        "open_questions": questions,
    }
    return {k: v[: LIMITS[k]] if isinstance(v, list) else v for k, v in data.items()}


class OfflineComparator:
    """The deterministic comparator: every sentence of each article plus its summary's questions."""

    info = ComparatorInfo("offline")

    async def compare(
        self,
        sources: Sequence[SourceInfo],
        summaries: Sequence[ArticleSummary],
        wire_groups: Sequence[WireGroup],
    ) -> ComparatorAnswer:
        units = [
            units_from_article(s.id, Article(s.path, 0, s.title, s.text), summary)
            for s, summary in zip(sources, summaries, strict=True)
        ]
        languages = {s.language for s in sources}
        language = languages.pop() if len(languages) == 1 else None
        comparison = compare_offline(units, wire_groups, {s.id: Source(s.text) for s in sources}, language)
        return ComparatorAnswer(comparison, Usage(), 1)

    async def aclose(self) -> None:
        return None


def compare_offline(
    units: Sequence[SourceUnits],
    wire_groups: Sequence[WireGroup],
    sources: Mapping[str, Source],
    language: str | None = None,
) -> Comparison:
    """``compare_units`` validated: every quote located in its own source, offsets filled."""
    data = compare_units(units, wire_groups, language=language)
    return Comparison.model_validate(data, context=scope.context(sources))


# --- facts -------------------------------------------------------------------------------------


def _story(pool: Pool, contested: list[str]) -> str:
    """The lead most like the other origins' sentences, weighted by how many outlets carry it,
    with the disputed numbers and dates taken out ("About 12,000 dockworkers walked off …
    on Monday" -> "Dockworkers walked off …"): the story as most outlets tell it, neutrally."""
    leads = [units[0] for units in pool.by_origin.values() if units]

    def weight(lead: Unit) -> float:
        near = sum(pool.sim(lead, u) for u in pool.units if u.origin != lead.origin)
        return near * len(pool.members[lead.origin])

    best = max(leads, key=lambda u: (weight(u), -u.position), default=None)
    if best is None:
        return ""
    story = squash(best.text)
    for phrase in sorted(set(contested), key=len, reverse=True):
        story = re.sub(rf"\s*(?<!\w){re.escape(phrase)}(?!\w)", "", story).strip(" ,")
    return story[:1].upper() + story[1:]


def _shared_facts(pool: Pool, contested: set[Unit]) -> tuple[list[dict[str, Any]], set[Unit]]:
    usable = [u for u in pool.units if u not in contested and not gap(u.text)]
    used: set[Unit] = set()
    facts: list[dict[str, Any]] = []
    for seed in usable:
        if seed in used:
            continue
        cluster = [seed]
        for origin in pool.origins:
            options = [u for u in usable if u.origin == origin != seed.origin and u not in used]
            options = [u for u in options if pool.same_fact(seed, u)]
            best = max(options, key=lambda u: (pool.sim(seed, u), -u.position), default=None)
            if best is not None:
                cluster.append(best)
        if len(cluster) > 1:
            used.update(cluster)
            fact = min((squash(u.text) for u in cluster), key=len)
            facts.append(
                {"fact": fact, "support": [_q(u) for u in sorted(cluster, key=lambda u: u.position)]}
            )
    return facts, used


def _cited(pool: Pool, facts: list[dict[str, Any]]) -> set[Unit]:
    """Every sentence a shared fact quotes, under whichever member it was pooled: a quote shared by
    S1 and S2 is not also a fact only S4 reports (issue 11), even when S4's copy is the one pooled."""
    quotes = {normalise(q["quote"]) for f in facts for q in f["support"]}
    return {u for u in pool.units if any(normalise(u.text) in q or q in normalise(u.text) for q in quotes)}


def _unique_facts(pool: Pool, taken: set[Unit], answers: set[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for origin in pool.origins:
        others = [u for u in pool.units if u.origin != origin]
        alone = [
            u
            for u in pool.by_origin[origin]
            if u not in taken and not gap(u.text) and all(pool.sim(u, o) < SAME_FACT for o in others)
        ]

        def weight(u: Unit) -> int:
            named = any(w[:1].isupper() for w in u.text.split()[1:])
            return 2 * has_number(u.text) + named + (normalise(u.text) in answers)

        best = sorted(alone, key=lambda u: (-weight(u), u.position))[:UNIQUE_PER_ORIGIN]
        out += [{"fact": squash(u.text), "evidence": _q(u)} for u in sorted(best, key=lambda u: u.position)]
    return out
