"""Name candidates: runs of capitalised words and what the words around them say.

Owns finding ``Port of Calderra``, ``Coastal Transport Workers' Union`` or
``Hanna Sorel`` in a sentence, and reading their context: a title or role
before the name ("Engineer Hanna Sorel", "the bus operator Almsby
Coaches"), an apposition or relative clause after it ("…, chief economist at
Varos Bank", "…, who runs a bakery"), an honorific, a byline, a reporting
verb. It does not decide the kind; ``entities`` does, from this evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.offline.lexicon import (
    CONNECTORS,
    HONORIFICS,
    ORG_ROLE_NOUNS,
    ORG_WORDS,
    PLACE_NOUNS,
    PLACE_WORDS,
    ROLE_MODIFIERS,
    STREET_WORDS,
    TIME_WORDS,
    TITLE_NOUNS,
)
from summarizer.offline.text import STOPWORDS, WORD, Sentence

_SPEECH = re.compile(r"^\s+(said|says|told|tells|added|adds|stated|confirmed|declined|estimated|wrote)\b")
_SAID_BEFORE = re.compile(r"\b(said|says|told|added)\s+$")
# A name right after one of these is the object of a preposition, not the one speaking:
# "Shop owners on Bridge Street said …".
_AFTER_PREP = re.compile(
    r"\b(?:on|in|at|of|from|near|for|with|to|over|across|outside|inside|along)\s+(?:the\s+)?$"
)
_DEMONYM = re.compile(r"(?:ian|ean|ican|ese|ish)$")
_APPOSITION = re.compile(r"^,\s+((?:a|an|the)\s+)?([^,.;:\"“”]{2,80}?)\s*(?=[,.;:]|$)")
_WHO = re.compile(r"^,\s+who\s+([^,.;:\"“”]{2,80}?)\s*(?=[,.;:]|$)")
MAX_CLAUSE_ROLE_WORDS = 8
_HEADS_OF = ORG_WORDS | PLACE_WORDS | PLACE_NOUNS | TITLE_NOUNS | ORG_ROLE_NOUNS

Word = tuple[str, int, int]


@dataclass(frozen=True)
class Run:
    """A name in one sentence and the evidence of its kind found around it."""

    name: str
    start: int
    end: int
    role: str
    person: bool
    initial: bool
    """The name opens the sentence, so its capital proves nothing."""
    which: bool
    """The role is a "which …" clause: it may describe the noun before, so not for places."""
    speaks: bool
    org: bool
    """A role before it names an organisation ("the bus operator …")."""


def words_of(sentence: Sentence) -> list[Word]:
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(sentence.text)]


def is_cap(word: str) -> bool:
    return word[0].isupper()


def possessive(word: str) -> bool:
    return word.endswith(("'s", "’s"))


def org_name(name: str) -> bool:
    return any(w.lower().strip("'’") in ORG_WORDS for w in name.split())


def _runs(sentence: Sentence) -> list[list[Word]]:
    """Runs of capitalised words; "of", "von der" … join them when a capitalised word follows."""
    words = words_of(sentence)
    runs: list[list[Word]] = []
    current: list[Word] = []
    for k, (w, a, b) in enumerate(words):
        joined = bool(current) and sentence.text[current[-1][2] : a] == " "
        nxt = k + 1
        while nxt < len(words) and words[nxt][0] in CONNECTORS:
            nxt += 1
        connects = w in CONNECTORS and nxt < len(words) and is_cap(words[nxt][0])
        if is_cap(w) or (joined and connects):
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


def _split_possessive(run: list[Word]) -> list[list[Word]]:
    """ "Scottish Fishermen's Federation" stays whole; "Trump's Mar-a-Lago" is two runs."""
    for k, (w, _, _) in enumerate(run[:-1]):
        if possessive(w):
            tail = [t[0].lower() for t in run[k + 1 :]]
            if not any(t in ORG_WORDS or t in TITLE_NOUNS for t in tail):
                return [run[: k + 1], *_split_possessive(run[k + 1 :])]
    return [run]


def _role_before(sentence: Sentence, start: int, nouns: frozenset[str]) -> tuple[str, int]:
    """Role words right before a name ("union chair", "bus operator") and where they start."""
    before = list(WORD.finditer(sentence.text[:start]))
    if not before or sentence.text[before[-1].end() : start] != " ":
        return "", start
    if before[-1].group().lower() not in nouns:
        return "", start
    first = len(before) - 1
    while first > 0 and len(before) - first < 4:
        prev = before[first - 1]
        if sentence.text[prev.end() : before[first].start()] != " " or prev.group().lower() in STOPWORDS:
            break
        first -= 1
    return sentence.text[before[first].start() : before[-1].end()], before[first].start()


def _tidy_role(sentence: Sentence, role: str, at: int) -> str:
    """ "Engineer" opening the sentence -> "engineer"; "Foreign Minister" and "Kremlin spokesman" stay."""
    first = WORD.search(sentence.text)
    words = role.split()
    if not words or first is None or at != first.start() or any(is_cap(w) for w in words[1:]):
        return role
    head = words[0].lower()
    if head in TITLE_NOUNS or head in ROLE_MODIFIERS:
        return head + role[len(head) :]
    return role


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
    return len(words) >= 5 and sum(is_cap(w) for w in words) >= 0.6 * len(words)


def _trim(run: list[Word], initial: bool) -> tuple[list[Word], bool]:
    """Drop stop words, sentence-opening "-ing"/"-ly" words and dates from the ends of a run."""
    while run and (run[0][0].lower() in STOPWORDS or (initial and run[0][0].endswith(("ing", "ly")))):
        run = run[1:]
        initial = False
    if initial and len(run) > 2 and run[1][0] == "of" and run[0][0].lower() not in _HEADS_OF:
        # "Residents of North Kell, who …": the opening common noun is not part of the name.
        run, initial = run[2:], False
    while run and (run[-1][0].lower() in TIME_WORDS or run[-1][0] in CONNECTORS):
        run = run[:-1]
    while run and run[0][0].lower() in TIME_WORDS:
        run = run[1:]
    return run, initial


def candidates(sentence: Sentence) -> list[Run]:
    """Every name in the sentence with the evidence around it."""
    found: list[Run] = []
    byline = sentence.text.startswith("By ")
    if (not sentence.prose and not byline) or _headline_like(sentence):
        return found
    first_word = WORD.search(sentence.text)
    for run in _runs(sentence):
        initial = first_word is not None and run[0][1] == first_word.start()
        run, initial = _trim(run, initial)
        if not run or run[0][0].lower().rstrip(".") in HONORIFICS:
            continue
        if len(run) == 1 and _DEMONYM.search(run[0][0]):
            continue
        role, person, which, org = "", False, False, False
        titles = [k for k, (w, _, _) in enumerate(run) if w.lower() in TITLE_NOUNS]
        if titles and titles[-1] < len(run) - 1:
            cut = titles[-1] + 1
            role = _tidy_role(sentence, sentence.text[run[0][1] : run[cut - 1][2]], run[0][1])
            person, run, initial = True, run[cut:], False
        start, end = run[0][1], run[-1][2]
        name = sentence.text[start:end]
        if possessive(name):
            name, end = name[:-2], end - 2
        if not role:
            role, at = _role_before(sentence, start, TITLE_NOUNS)
            role, person = _tidy_role(sentence, role, at), bool(role)
        if not role:
            role, _ = _role_before(sentence, start, ORG_ROLE_NOUNS)
            org = bool(role)
        prefix = sentence.text[:start]
        honorific = re.search(r"\b(\w+)\.? $", prefix)
        if honorific and honorific.group(1).lower() in HONORIFICS:
            person = True
        if re.fullmatch(r"\s*By ", prefix):
            role, person = "article author", True
        after_prep = bool(_AFTER_PREP.search(prefix))
        # "residents of North Kell, who …": the clause is about the residents, not the place.
        who = None if after_prep and not person else _WHO.match(sentence.text[end:])
        if who and not org and len(who.group(1).split()) <= MAX_CLAUSE_ROLE_WORDS:
            role, person = f"{role} who {who.group(1)}" if role else who.group(1), True
        elif not role and not sentence.text[end:].startswith("'"):
            role, how = _apposition(sentence, end)
            person, which = person or how == "job", how == "which"
        speaks = bool(_SPEECH.match(sentence.text[end:])) and not after_prep
        said_before = bool(_SAID_BEFORE.search(prefix))
        if len(run) >= 2 and (speaks or said_before) and not org:
            person = person or not (org_name(name) or run[-1][0].lower() in STREET_WORDS)
        found.append(Run(name, start, end, role, person, initial, which, speaks, org))
    return found
