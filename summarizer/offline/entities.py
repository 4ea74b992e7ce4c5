"""People, organisations and places, found by rule (no NER model is available).

Owns deciding what each name is. ``names`` finds the candidates (runs of
capitalised words) and the evidence around them; a candidate becomes an
entity only with evidence of its kind, so capitalised junk ("The", "Military
ties", weekdays) stays out:

* organisation: the run holds an organisation word (Union, Authority, Bank,
  Coaches …), a role before it names one ("the bus operator Almsby Coaches"),
  or staff work there ("Analysts at Barclays"). Organisations written in
  lower case count when a describing word comes before the head ("the county
  roads department"), not the bare back-reference ("the department");
* person: a title or role next to it ("Kremlin spokesman Dmitry Peskov",
  "Engineer Hanna Sorel, who led the inspection"), an honorific, a byline, a
  "who" clause, or a reporting verb beside a two-word name that is not a
  street or the object of a preposition; a bare surname joins the full name;
* place: a place word (Lake, Port, Bridge, Street …), a locative preposition
  ("in Moscow"), "the town of Kell", a place noun after it ("the Northgate
  crossing"), or "X and Y" beside a known place.

Every name is a verbatim slice of the article, as the schema requires.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.offline.lexicon import (
    COMMON_ORG_HEADS,
    NOT_AFTER_COMMON_ORG,
    PLACE_AFTER,
    PLACE_NOUNS,
    PLACE_PREPS,
    PLACE_WORDS,
    STAFF_NOUNS,
    TITLE_NOUNS,
)
from summarizer.offline.names import Run, candidates, org_name
from summarizer.offline.text import STOPWORDS, Document, Sentence


@dataclass
class FoundEntity:
    name: str
    kind: str
    role: str


def _place_context(sentence: Sentence, run: Run) -> str | None:
    """Role if the words around the run mark it as a place, else None."""
    if any(w.lower() in PLACE_WORDS for w in run.name.split()):
        return "place named in the article"
    prefix = sentence.text[: run.start].lower()
    m = re.search(r"(\b[a-z]+ )?\b(" + "|".join(PLACE_NOUNS) + r") of $", prefix)
    if m:
        return ((m.group(1) or "") + m.group(2)).strip() if m.group(1) not in {"the ", "a "} else m.group(2)
    if re.search(r"\b(?:council|government|mayor|residents|people|municipality) of $", prefix):
        return "place named in the article"
    m = re.search(r"^ ([a-z]+)\b", sentence.text[run.end :])
    if m and m.group(1) in PLACE_AFTER:
        return m.group(1)
    if re.search(r"\b(" + "|".join(PLACE_PREPS | {"with", "between"}) + r") (the )?$", prefix):
        return "place named in the article"
    return None


def _employer(sentence: Sentence, run: Run) -> str | None:
    """ "Analysts at Barclays": the staff noun before "at" makes the name their employer."""
    m = re.search(r"\b([A-Za-z]+) at (?:the )?$", sentence.text[: run.start])
    if m and m.group(1).lower() in STAFF_NOUNS:
        return f"employer of the {m.group(1).lower()} cited"
    return None


_COMMON_ORG = re.compile(
    r"(?<![\w-])[Tt]he ((?:(?!(?:" + "|".join(sorted(STOPWORDS)) + r") )[a-z][a-z'’-]+ ){1,3}"
    r"(?:" + "|".join(sorted(COMMON_ORG_HEADS)) + r"))\b"
)
_NEXT_WORD = re.compile(r"^ ([a-z]+)\b")
_QUOTED_AFTER = re.compile(r"^\s+(?:said|says|told|added|confirmed|estimated)\b")
_GENERIC_MODIFIERS = {"same", "other", "whole", "entire", "first", "second", "last", "next", "main", "new"}


def _common_orgs(body: list[Sentence]) -> list[tuple[int, str, str]]:
    """Organisations written in lower case ("the county roads department"): position, name, role.

    Only with a describing word before the head, so a bare "the department"
    (a back-reference) is not one; "a council official" is not one either.
    """
    out: list[tuple[int, str, str]] = []
    for s in body:
        for m in _COMMON_ORG.finditer(s.text):
            name = m.group(1)
            words = name.split()
            if words[0] in _GENERIC_MODIFIERS or any(w in TITLE_NOUNS for w in words[:-1]):
                continue
            after = s.text[m.end() :]
            nxt = _NEXT_WORD.match(after)
            if nxt and (nxt.group(1) in NOT_AFTER_COMMON_ORG or nxt.group(1) in TITLE_NOUNS):
                continue
            quoted = _QUOTED_AFTER.match(after) or re.search(r"according to\s+$", s.text[: m.start()])
            role = "source quoted in the article" if quoted else ""
            out.append((s.start + m.start(1), name, role))
    return out


def _covered(name: str, names: list[str]) -> bool:
    """ "roads department" after "county roads department"; "port authority" beside its full name."""
    low = name.casefold()
    return any(other.casefold() == low or other.casefold().endswith(" " + low) for other in names)


def find_entities(doc: Document, limit: int = 20, *, lang: str | None = None) -> list[FoundEntity]:
    """Entities in order of first mention. ``lang`` (an ISO 639-1 code) picks the rules: ``de``, ``fr``
    and ``es`` have their own words (``entities_intl``), any other language is read with the English
    rules of this module."""
    if lang in {"de", "fr", "es"}:
        # Imported here: those modules build on this one's ``FoundEntity``.
        from summarizer.offline import entities_de, entities_es, entities_fr, entities_intl

        lexicon = {"de": entities_de.LEXICON, "fr": entities_fr.LEXICON, "es": entities_es.LEXICON}
        return entities_intl.find(doc, lexicon[lang], lang, limit)
    body = [s for s in doc.body if s.text]
    runs = [(s, r) for s in body for r in candidates(s)]
    noninitial = {r.name for _, r in runs if not r.initial}
    found: dict[str, FoundEntity] = {}

    def add(name: str, kind: str, role: str) -> None:
        if name not in found:
            found[name] = FoundEntity(name, kind, role)
        elif not found[name].role and role:
            found[name].role = role

    for _, r in runs:
        if r.person and not r.org and len(r.name.split()) >= 2 and not org_name(r.name):
            add(r.name, "person", r.role)
    surnames = {p.name.split()[-1]: p.name for p in found.values()}
    surnames.update({p.name.split()[0]: p.name for p in found.values() if len(p.name.split()) == 2})
    unclassified: list[tuple[Sentence, Run]] = []
    for s, r in runs:
        if r.name in found or (r.initial and r.name not in noninitial):
            continue
        if r.name in surnames:
            continue
        if r.org or org_name(r.name):
            quoted = "source quoted in the article" if r.speaks else ""
            add(r.name, "organization", r.role if r.role and not r.person else quoted)
            continue
        employer = _employer(s, r)
        place = None if employer else _place_context(s, r)
        if employer:
            add(r.name, "organization", employer)
        elif place:
            add(r.name, "place", place if r.which or not r.role else r.role)
        else:
            unclassified.append((s, r))
    for s, r in unclassified:
        for other in found.values():
            if other.kind == "place" and re.search(
                rf"\b{re.escape(other.name)},? and (the )?{re.escape(r.name)}\b|"
                rf"\b{re.escape(r.name)},? and (the )?{re.escape(other.name)}\b",
                s.text,
            ):
                add(r.name, "place", "place named in the article")
                break
    order: dict[str, int] = {}
    for s, r in runs:
        key = surnames.get(r.name, r.name)
        order.setdefault(key, s.start + r.start)
    for pos, name, role in _common_orgs(body):
        if not _covered(name, [f.name for f in found.values() if f.kind == "organization"]):
            add(name, "organization", role)
            order.setdefault(name, pos)
    ranked = sorted(found.values(), key=lambda f: order.get(f.name, 0))
    people = [f for f in ranked if f.kind == "person"]
    for f in ranked:
        if f.kind == "organization" and not f.role:
            employee = next((p for p in people if re.search(rf"\b{re.escape(f.name)}\b", p.role)), None)
            f.role = f"employer of {employee.name}" if employee else ""
        if not f.role:
            f.role = {
                "person": "person named in the article",
                "organization": "organisation named in the article",
            }.get(f.kind, "named in the article")
    return ranked[:limit]
