"""People, organisations and places, found by rule (no NER model is available).

Owns entity detection for the offline engine. A candidate is a run of
capitalised words (``Port of Calderra``, ``Coastal Transport Workers' Union``);
it becomes an entity only with evidence of its kind, so capitalised junk
("The", "Military ties", weekdays) stays out:

* organisation: the run holds an organisation word (Union, Authority, Bank …);
* person: a title or role next to it ("Kremlin spokesman Dmitry Peskov",
  "Marta Sol, chief economist at Varos Bank"), an honorific, a byline, or a
  reporting verb beside a two-word name; a bare surname joins the full name;
* place: a place word (Lake, Port …), a locative preposition ("in Moscow"),
  "the town of Kell", or "X and Y" beside a known place.

Every name is a verbatim slice of the article, as the schema requires.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.offline.text import STOPWORDS, WORD, Document, Sentence, wordset

TITLE_NOUNS = wordset(
    """president spokesman spokeswoman spokesperson minister chair chairman chairwoman chairperson
    director governor officer librarian economist analyst envoy secretary chief leader head mayor
    premier chancellor king queen prince senator ambassador general commander manager ceo founder
    owner judge prosecutor lawyer attorney adviser advisor official executive professor driver
    editor correspondent reporter master captain coach inspector commissioner deputy treasurer
    superintendent researcher scientist spokespeople"""
)
ORG_WORDS = wordset(
    """union authority agency association bank kremlin ministry council company holdings group inc
    corp corporation ltd plc press office chamber party parliament government court university
    commission committee department police army navy reuters broadcasting markets ledger post times
    news service fund organisation organization federation institute board exchange club senate
    congress assembly foundation airlines airline railways league bureau cabinet"""
)
PLACE_WORDS = wordset(
    """port lake river sea bay island islands mount mountains street city province region gulf strait
    valley county state republic harbour harbor coast peninsula point beach"""
)
_PLACE_PREPS = wordset("in at to from near across around into outside towards toward throughout within")
_PLACE_NOUNS = wordset("port town city village island region province district capital harbour")
_TIME_WORDS = wordset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december"""
)
_CONNECTORS = wordset("of de del da van von der al bin la le du")
_HONORIFICS = wordset("mr mrs ms dr sir dame")
_SPEECH = re.compile(r"^\s+(said|says|told|tells|added|adds|stated|confirmed|declined|estimated|wrote)\b")
_SAID_BEFORE = re.compile(r"\b(said|says|told|added)\s+$")
_DEMONYM = re.compile(r"(?:ian|ean|ican|ese|ish)$")
_APPOSITION = re.compile(r"^,\s+((?:a|an|the)\s+)?([^,.;:\"“”]{2,80}?)\s*(?=[,.;:]|$)")


@dataclass
class FoundEntity:
    name: str
    kind: str
    role: str


@dataclass(frozen=True)
class _Run:
    name: str
    start: int
    end: int
    role: str
    person: bool
    initial: bool
    which: bool
    """The role is a "which …" clause: it may describe the noun before, so not for places."""
    speaks: bool


def _words(sentence: Sentence) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(sentence.text)]


def _is_cap(word: str) -> bool:
    return word[0].isupper()


def _possessive(word: str) -> bool:
    return word.endswith(("'s", "’s"))


def _runs(sentence: Sentence) -> list[list[tuple[str, int, int]]]:
    """Runs of capitalised words; "of", "von der" … join them when a capitalised word follows."""
    words = _words(sentence)
    runs: list[list[tuple[str, int, int]]] = []
    current: list[tuple[str, int, int]] = []
    for k, (w, a, b) in enumerate(words):
        joined = bool(current) and sentence.text[current[-1][2] : a] == " "
        nxt = k + 1
        while nxt < len(words) and words[nxt][0] in _CONNECTORS:
            nxt += 1
        connects = w in _CONNECTORS and nxt < len(words) and _is_cap(words[nxt][0])
        if _is_cap(w) or (joined and connects):
            if not joined and current:
                runs.append(current)
                current = []
            current.append((w, a, b))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [part for run in runs for part in _split_possessive(run)]


def _split_possessive(run: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """ "Scottish Fishermen's Federation" stays whole; "Trump's Mar-a-Lago" is two runs."""
    for k, (w, _, _) in enumerate(run[:-1]):
        if _possessive(w):
            tail = [t[0].lower() for t in run[k + 1 :]]
            if not any(t in ORG_WORDS or t in TITLE_NOUNS for t in tail):
                return [run[: k + 1], *_split_possessive(run[k + 1 :])]
    return [run]


def _lower_role(sentence: Sentence, start: int) -> str:
    """Role words right before a name: "union chair", "Kremlin spokesman"."""
    before = [m for m in WORD.finditer(sentence.text[:start])]
    if not before or sentence.text[before[-1].end() : start] != " ":
        return ""
    if before[-1].group().lower() not in TITLE_NOUNS:
        return ""
    first = len(before) - 1
    while first > 0 and len(before) - first < 4:
        prev = before[first - 1]
        if sentence.text[prev.end() : before[first].start()] != " " or prev.group().lower() in STOPWORDS:
            break
        first -= 1
    return sentence.text[before[first].start() : before[-1].end()]


def _apposition(sentence: Sentence, end: int) -> tuple[str, str]:
    """Role after a name and how it reads: "job" ("…, chief economist at Varos Bank,"), "which", or ""."""
    m = _APPOSITION.match(sentence.text[end:])
    if not m:
        return "", ""
    phrase = re.split(r"\s+(?:who|whom|that)\s+", m.group(2))[0]
    words = phrase.split()
    if phrase.startswith("which ") and len(words) <= 8:
        return phrase[len("which ") :], "which"
    if len(words) > 7 or not any(w.lower().strip("'’s") in TITLE_NOUNS for w in words):
        return "", ""
    return phrase, "job"


def _headline_like(sentence: Sentence) -> bool:
    words = sentence.words
    return len(words) >= 5 and sum(_is_cap(w) for w in words) >= 0.6 * len(words)


def _candidates(sentence: Sentence) -> list[_Run]:
    found: list[_Run] = []
    byline = sentence.text.startswith("By ")
    if (not sentence.prose and not byline) or _headline_like(sentence):
        return found
    first_word = WORD.search(sentence.text)
    for run in _runs(sentence):
        initial = first_word is not None and run[0][1] == first_word.start()
        while run and (run[0][0].lower() in STOPWORDS or (initial and run[0][0].endswith(("ing", "ly")))):
            run = run[1:]
            initial = False
        while run and (run[-1][0].lower() in _TIME_WORDS or run[-1][0] in _CONNECTORS):
            run = run[:-1]
        while run and run[0][0].lower() in _TIME_WORDS:
            run = run[1:]
        if not run or run[0][0].lower().rstrip(".") in _HONORIFICS:
            continue
        if len(run) == 1 and _DEMONYM.search(run[0][0]):
            continue
        role, person, which = "", False, False
        titles = [k for k, (w, _, _) in enumerate(run) if w.lower() in TITLE_NOUNS]
        if titles and titles[-1] < len(run) - 1:
            cut = titles[-1] + 1
            role, person = sentence.text[run[0][1] : run[cut - 1][2]], True
            run = run[cut:]
            initial = False
        start, end = run[0][1], run[-1][2]
        name = sentence.text[start:end]
        if _possessive(name):
            name, end = name[:-2], end - 2
        if not role:
            role = _lower_role(sentence, start)
            person = bool(role)
        prefix = sentence.text[:start]
        honorific = re.search(r"\b(\w+)\.? $", prefix)
        if honorific and honorific.group(1).lower() in _HONORIFICS:
            person = True
        if re.fullmatch(r"\s*By ", prefix):
            role, person = "article author", True
        if not role and not sentence.text[end:].startswith("'"):
            role, how = _apposition(sentence, end)
            person, which = person or how == "job", how == "which"
        speaks = bool(_SPEECH.match(sentence.text[end:]))
        if len(run) >= 2 and (speaks or _SAID_BEFORE.search(prefix)):
            person = person or not _org(name)
        found.append(_Run(name, start, end, role, person, initial, which, speaks))
    return found


def _org(name: str) -> bool:
    return any(w.lower().strip("'’") in ORG_WORDS for w in name.split())


def _place_context(sentence: Sentence, run: _Run) -> str | None:
    """Role if the words around the run mark it as a place, else None."""
    if any(w.lower() in PLACE_WORDS for w in run.name.split()):
        return "place named in the article"
    prefix = sentence.text[: run.start].lower()
    m = re.search(r"(\b[a-z]+ )?\b(" + "|".join(_PLACE_NOUNS) + r") of $", prefix)
    if m:
        return ((m.group(1) or "") + m.group(2)).strip() if m.group(1) not in {"the ", "a "} else m.group(2)
    m = re.search(r"^ ([a-z]+)\b", sentence.text[run.end :])
    if m and m.group(1) in {"beach", "harbour", "harbor", "river", "province", "region", "port"}:
        return m.group(1)
    if re.search(r"\b(" + "|".join(_PLACE_PREPS | {"with", "between"}) + r") (the )?$", prefix):
        return "place named in the article"
    return None


def find_entities(doc: Document, limit: int = 20) -> list[FoundEntity]:
    """Entities in order of first mention."""
    body = [s for s in doc.body if s.text]
    runs = [(s, r) for s in body for r in _candidates(s)]
    noninitial = {r.name for _, r in runs if not r.initial}
    found: dict[str, FoundEntity] = {}

    def add(name: str, kind: str, role: str) -> None:
        if name not in found:
            found[name] = FoundEntity(name, kind, role)
        elif not found[name].role and role:
            found[name].role = role

    for _, r in runs:
        if r.person and len(r.name.split()) >= 2 and not _org(r.name):
            add(r.name, "person", r.role)
    surnames = {p.name.split()[-1]: p.name for p in found.values()}
    surnames.update({p.name.split()[0]: p.name for p in found.values() if len(p.name.split()) == 2})
    unclassified: list[tuple[Sentence, _Run]] = []
    for s, r in runs:
        if r.name in found or (r.initial and r.name not in noninitial):
            continue
        if r.name in surnames:
            continue
        if _org(r.name):
            quoted = "source quoted in the article" if r.speaks else ""
            add(r.name, "organization", r.role if r.role and not r.person else quoted)
            continue
        place = _place_context(s, r)
        if place:
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
