"""Voices for the offline comparator: who each origin quotes, and whom it leaves unheard."""

from __future__ import annotations

import re
from typing import Any

from summarizer.comparison.pool import (
    _PARTIES,
    _UNNAMED,
    Pool,
    _q,
)
from summarizer.offline.lexicon import ORG_WORDS

# --- voices ------------------------------------------------------------------------------------


def _party(speaker: str, quote: str) -> str | None:
    """The side a speaker speaks for: "union chair Rosa Almeida" -> 'union'; None for a private person."""
    at = quote.find(speaker)
    context = (
        speaker
        if at < 0
        else " ".join(quote[:at].split()[-3:]) + " " + speaker + quote[at + len(speaker) :][:60]
    )
    words = set(re.findall(r"[a-z]+", context.lower()))
    return next((p for p in _PARTIES if p in words), None)


def _person(speaker: str) -> bool:
    words = speaker.split()
    return (
        len(words) >= 2 and all(w[:1].isupper() for w in words) and not {w.lower() for w in words} & ORG_WORDS
    )


def _shared_speakers(pool: Pool) -> list[dict[str, Any]]:
    """People quoted by two or more origins: "Rosa Almeida (union chair) is quoted"."""
    seen: dict[str, dict[str, tuple[str, str]]] = {}
    for origin in pool.origins:
        for sid, speaker, quote in pool.statements(origin):
            if _person(speaker):
                seen.setdefault(speaker, {}).setdefault(origin, (sid, quote))
    facts = []
    for speaker, per_origin in seen.items():
        if len(per_origin) < 2:
            continue
        roles = [
            m.group(1)
            for _, q in per_origin.values()
            if (m := re.search(rf"\b([a-z]+ [a-z]+) {re.escape(speaker)}", q))
        ]
        fact = f"{speaker} ({roles[0]}) is quoted." if roles else f"{speaker} is quoted."
        facts.append({"fact": fact, "support": [{"source": s, "quote": q} for s, q in per_origin.values()]})
    return facts


def _framing(pool: Pool) -> list[dict[str, Any]]:
    parties = {o: {p for _, sp, q in pool.statements(o) if (p := _party(sp, q))} for o in pool.origins}
    notes: list[dict[str, Any]] = []
    for origin in pool.origins:
        said = pool.statements(origin)
        if not said:
            if pool.by_origin[origin]:
                first = pool.by_origin[origin][0]
                notes.append(
                    {
                        "note": f"{pool.label(origin)} quotes no one; it speaks in its own voice.",
                        "evidence": [_q(first)],
                    }
                )
            continue
        speakers = list(dict.fromkeys(sp for _, sp, _ in said))
        unnamed = sum(bool(_UNNAMED.search(sp)) for sp in speakers)
        tail = f" ({unnamed} of {len(speakers)} unnamed)" if unnamed else ""
        evidence: dict[str, dict[str, str]] = {}
        for s, sp, q in said:
            evidence.setdefault(sp, {"source": s, "quote": q})
        notes.append(
            {
                "note": f"{pool.label(origin)} quotes {', '.join(speakers)}{tail}.",
                "evidence": list(evidence.values())[:3],
            }
        )
        for party in sorted(set().union(*parties.values()) - parties[origin]):
            quoted_by = [o for o in pool.origins if party in parties[o]]
            mention = next(
                (u for u in pool.by_origin[origin] if re.search(rf"\b{party}\b", u.text, re.I)), None
            )
            if mention is not None:
                notes.append(
                    {
                        "note": f"{pool.label(origin)} mentions the {party} but quotes no {party} voice; "
                        f"{', '.join(quoted_by)} {'does' if len(quoted_by) == 1 else 'do'}.",
                        "evidence": [_q(mention)],
                    }
                )
    return notes
