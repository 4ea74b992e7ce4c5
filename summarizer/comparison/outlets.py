"""Who published each source of a comparison, in which language, and which wire copy is the origin.

Owns the outlet a source is shown under (the article's own metadata first:
``og:site_name``, a feed's ``site_name``, a byline or release label; then
the text's first lines; then the file name) and the choice of a wire
group's origin: the member the other copies credit (their author field,
their dateline's agency, a "© Agency" line), else the fuller text, else the
earliest input. A republication keeps its own outlet's name: it is shown as
the agency only when nothing else names it, and then under its file name.
``language_notes`` says when the offline comparator is given sources in
different languages: it aligns words, so it cannot compare across them,
and the report says so instead of presenting a silence as agreement.
Pure: reads ``Article``/``SourceInfo`` values, never files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from summarizer import textrules as rules
from summarizer.article import Article
from summarizer.comparison.model import SourceInfo, WireGroup

_BYLINE = re.compile(r"^By\s+[^,]+,\s*(?P<outlet>[^,]+)$")
_LABEL = re.compile(r"^(?P<left>[^—–|]+?)\s+[—–|]\s+(?P<right>.+)$")
_NOT_OUTLET = re.compile(rf"\d|\b(?:{rules.WEEKDAY}|Updated|Published|Issued)\b")
_SMALL = frozenset({"of", "the", "and", "for", "&", "de", "la"})
_ROLE = re.compile(
    r"\b(?:reporter|correspondent|editor|writer|columnist|journalist|staff|producer|photographer|"
    r"contributor|analyst|critic)$",
    re.IGNORECASE,
)
"""A byline's job title ("By Colm Reardon, Health Reporter") is not an outlet."""


def outlet_of(article: Article) -> str | None:
    """The outlet a byline or label line names ("By Lena Varga, Meridian Press", "The Harbor
    Ledger — Local news", "PRESS RELEASE — Regional Environment Agency"), or a dateline's."""
    paragraphs = [p.strip() for p in article.text.split("\n\n") if p.strip()]
    for line in paragraphs[1:3]:
        words = line.split()
        if len(words) > 8 or line[-1] in ".!?\"”'" or _NOT_OUTLET.search(line):
            continue
        if byline := _BYLINE.match(line):
            outlet = byline["outlet"].strip()
            if _ROLE.search(outlet):
                continue
            return outlet
        if label := _LABEL.match(line):
            left, right = label["left"].strip(), label["right"].strip()
            return right if left.isupper() else left
        if all(w[:1].isupper() or w.lower() in _SMALL for w in words):
            return line
    dateline = rules.DATELINE.match(paragraphs[1]) if len(paragraphs) > 1 else None
    return dateline["outlet"].strip() if dateline and dateline["outlet"] else None


def source_outlet(article: Article) -> str:
    """What a source is shown under: its metadata's outlet, the text's, else the file name."""
    return article.site_name or outlet_of(article) or Path(article.source).stem


def _key(name: str) -> str:
    return re.sub(r"[\W_]+", " ", name.casefold()).strip().removeprefix("the ")


def _initials(name: str) -> str:
    return "".join(w[0] for w in _key(name).split() if w not in {"of", "and", "de", "la", "der"})


def same_outlet(a: str | None, b: str | None) -> bool:
    """ "Norland Press Agency" = "NPA" = "the norland press agency"."""
    if not a or not b:
        return False
    ka, kb = _key(a), _key(b)
    if ka == kb:
        return True
    short, long = sorted((ka, kb), key=len)
    return " " not in short and len(short) >= 2 and short == _initials(long)


def datelined_agency(text: str) -> str | None:
    """The agency a dateline credits ("PORTVALE, March 3 (Estra Wire) -" -> "Estra Wire")."""
    for paragraph in text.split("\n\n")[1:4]:
        m = rules.DATELINE.match(paragraph.strip())
        if m and m["outlet"]:
            return m["outlet"].strip()
    return None


def _credited(source: SourceInfo) -> list[str]:
    """The agencies a source credits: its author field and its dateline."""
    return [x for x in (source.author, datelined_agency(source.text)) if x]


def credited_origin(group: WireGroup, sources: Sequence[SourceInfo]) -> WireGroup:
    """The group with its origin first: the member the other copies credit (author field,
    dateline, or the outlet's name in their text), then the one whose own dateline names it, then
    the fuller text, then the earliest input."""
    by_id = {s.id: s for s in sources}

    def rank(sid: str) -> tuple[int, int, int, int]:
        me = by_id[sid]
        others = [by_id[o] for o in group.members if o != sid]
        credits = sum(
            any(same_outlet(me.outlet, c) for c in _credited(o)) or bool(me.outlet and me.outlet in o.text)
            for o in others
        )
        own = same_outlet(me.outlet, datelined_agency(me.text))
        return credits, int(own), me.words, -group.members.index(sid)

    origin = max(group.members, key=rank)
    members = [origin, *(m for m in group.members if m != origin)]
    return group.model_copy(update={"origin": origin, "members": members})


def republisher_names(groups: Sequence[WireGroup], sources: Sequence[SourceInfo]) -> list[SourceInfo]:
    """Sources with each copy's own name: a copy shown under its origin's outlet (only the agency's
    credit named it) is shown under its file name instead."""
    by_id = {s.id: s for s in sources}
    renamed: dict[str, str] = {}
    for group in groups:
        origin = by_id[group.origin]
        for sid in group.members[1:]:
            copy = by_id[sid]
            if same_outlet(copy.outlet, origin.outlet):
                renamed[sid] = Path(copy.path.split("#", 1)[0]).stem
    return [s.model_copy(update={"outlet": renamed[s.id]}) if s.id in renamed else s for s in sources]


_LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "nl": "Dutch",
    "pt": "Portuguese", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
}  # fmt: skip


def language_notes(sources: Sequence[SourceInfo], comparator: str) -> list[str]:
    """A note when the sources are in two or more languages and the comparator is the offline one."""
    by_language: dict[str, list[str]] = {}
    for source in sources:
        if source.language:
            by_language.setdefault(source.language, []).append(source.id)
    if comparator != "offline" or len(by_language) < 2:
        return []
    parts = "; ".join(
        f"{_LANGUAGE_NAMES.get(code, code)}: {', '.join(ids)}" for code, ids in by_language.items()
    )
    return [
        f"The sources are in different languages ({parts}). The offline comparator matches words, so it "
        "cannot align sources across languages: facts, conflicts and answers between sources in different "
        "languages were not compared (an LLM engine can)."
    ]
