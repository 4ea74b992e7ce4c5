"""People, organisations and places in German, French and Spanish articles, found by rule.

Owns reading names in these languages; the words of each live in ``entities_de``,
``entities_fr`` and ``entities_es`` as a ``Lexicon``. As in ``entities``, a capitalised word
is never evidence alone (German capitalises every noun), only the words around it:

* person: a role before the name ("Sprecher Holger Kamp", "la maire Claire Vasseur", "la
  alcaldesa, Inés Carvajal"), an honorific ("Dr.", "Mme", "Sra."), a role in an apposition
  after it ("Holger Kamp, Sprecher der Stadtwerke"), a byline, or a speaker that
  ``statements`` finds; a bare surname after a role joins the full name;
* organisation: a head word opening the name ("Stadtwerke Brelingen", "Mairie de Lyonnel",
  "Ayuntamiento de Valdemora"), a role noun before it ("der Firma Hesketh Agri", "la empresa
  municipal Autobuses de Valdemora"), a legal form after it ("Talbahn AG"), an acronym;
* place: a dateline, a place word ("Bahnhofstraße", "place du Marché", "calle Mayor"), a
  locative preposition ("à Lyonnel", "en Valdemora"), the name after "Ayuntamiento de" or
  "Stadt". A German "in <Name>" counts only when the name is evidenced elsewhere (a dateline,
  "Stadt <Name>", "<Name>s Bürgermeister", the adjective "<Name>er", a town-name ending):
  "in Betrieb" and "in Atem" are nouns.

Every name is a verbatim slice of the article, as the schema requires.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.offline.entities import FoundEntity
from summarizer.offline.entities_patterns import ACRONYM, CAPW, LOWER, UPPER, Lexicon, rules
from summarizer.offline.text import Document, Sentence

PLACE_ROLE = "place named in the article"
PERSON_ROLE = "person named in the article"
ORG_ROLE = "organisation named in the article"


@dataclass
class _Found:
    """Entities by casefolded name (the first spelling kept) and where each is first mentioned."""

    entities: dict[str, FoundEntity]
    order: dict[str, int]

    def add(self, name: str, kind: str, role: str, pos: int) -> None:
        key = name.casefold()
        if key not in self.entities:
            self.entities[key] = FoundEntity(name, kind, role)
            self.order[key] = pos
        elif not self.entities[key].role and role and self.entities[key].kind == kind:
            self.entities[key].role = role
        self.order[key] = min(self.order[key], pos)

    def kind(self, name: str) -> str | None:
        e = self.entities.get(name.casefold())
        return e.kind if e else None


_DATELINE = re.compile(rf"^(?P<place>[{UPPER}][{UPPER}'-]{{2,}}(?:[ -][{UPPER}]+)*)(?=\s*(?:,|\(|[—–-]\s))")
"""A dateline in capitals: "BRELINGEN (LPN) -", "VALDEMORA, 9 abr", "MONTCLAIR-SUR-LOUE, 22 nov"."""
_LOCAL_DATELINE = re.compile(rf"^(?P<place>{CAPW})\.(?:\s|$)")
"""A German local paper's dateline: "Aschwick. Ein Großbrand …"."""
_BYLINE_PARTS = re.compile(r"\s+[·|•]\s+")
_NOUN_ENDINGS = re.compile(r"(?:ung|heit|keit|schaft|tion|ität|nis|tum|wasser|ismus|chen)$")


def _first_in_para(doc: Document) -> list[Sentence]:
    seen: set[int] = set()
    out: list[Sentence] = []
    for s in doc.sentences:
        if s.para not in seen and not s.is_title and not s.tainted:
            out.append(s)
        seen.add(s.para)
    return out


class _Finder:
    def __init__(self, doc: Document, lex: Lexicon) -> None:
        self.doc, self.lex, self.rx = doc, lex, rules(lex)
        self.body = [s for s in doc.body if s.text]
        self.found = _Found({}, {})
        self.single: list[tuple[str, str]] = []
        """A role and one word after it ("Bürgermeister Stahl"): a surname, if a full name has it."""
        self.towns: set[str] = set()
        """Place names with evidence of their own (casefolded): what a German "in <Name>" needs."""
        self._words: set[str] | None = None
        self._after_article: set[str] | None = None
        """Words written right after an article, or after an article and a lower-case word (and
        their hyphen-prefixes: "Jeanne" of "Jeanne-Arnaud"), found in one pass over the text."""

    def nounish(self, word: str) -> bool:
        """German: a word the article writes after an article ("das Trinkwasser") is a noun."""
        if not self.lex.nouns:
            return False
        if _NOUN_ENDINGS.search(word) or word.casefold() in self.lex.not_places:
            return True
        if self._after_article is None:
            self._after_article = set()
            ahead = rf"\b(?i:{self.lex.articles})(?=\s+([\w-]+)(?:\s+([\w-]+))?)"
            for m in re.finditer(ahead, self.doc.text):
                first, second = m.group(1), m.group(2)
                for token in (first, second) if second and re.fullmatch(f"[{LOWER}]+", first) else (first,):
                    parts = token.split("-")
                    self._after_article.update("-".join(parts[: k + 1]) for k in range(len(parts)))
        return word in self._after_article

    def named(self, name: str) -> bool:
        """Whether capitalised words may be a name: no article opens them, no German noun is in them."""
        words = name.split()
        return words[0] not in self.lex.not_names and not any(
            self.nounish(w) for w in words if w[0].isupper()
        )

    def people(self) -> None:
        rx = self.rx
        for s in self.body:
            for m in rx.role_before.finditer(s.text):
                role = re.sub(r"\s+", " ", m["role"])
                if " " not in m["name"]:
                    self.single.append((m["name"], role))
                elif self.named(m["name"]):
                    self.found.add(m["name"], "person", role, s.start + m.start("name"))
            for m in rx.apposition.finditer(s.text):
                if self.named(m["name"]) and not re.search(rf"(?:{self.lex.org_heads})\s*$", m["name"]):
                    self.found.add(m["name"], "person", m["role"].strip(), s.start + m.start())
            for m in rx.honorific.finditer(s.text):
                if self.named(m["name"]):
                    self.found.add(m["name"], "person", "", s.start + m.start("name"))
            for m in rx.weak.finditer(s.text):
                if self.named(m["name"]):
                    self.found.add(m["name"], "person", "", s.start + m.start("name"))
            byline = rx.byline.match(s.text)
            if byline and self.named(byline["name"]):
                self.found.add(byline["name"], "person", "article author", s.start + byline.start("name"))

    def join_surnames(self) -> None:
        """ "Bürgermeisterin Okonek" after "Rita Okonek": no entity of its own; its role is hers."""
        surnames = self.surnames()
        for name, role in self.single:
            full = surnames.get(name)
            if full is not None and not self.found.entities[full.casefold()].role:
                self.found.entities[full.casefold()].role = role

    def surnames(self) -> dict[str, str]:
        return {e.name.split()[-1]: e.name for e in self.found.entities.values() if e.kind == "person"}

    def speakers(self, lang: str) -> None:
        """Names ``statements`` reads as speakers ("…, contó Encarna Ruiz")."""
        from summarizer.offline.statements import find_statements

        people = [e for e in self.found.entities.values() if e.kind == "person"]
        for st in find_statements(self.doc, people, lang=lang):
            name = re.sub(rf"^(?:{self.lex.titles})\s+", "", st.speaker)
            if (
                re.fullmatch(self.rx.name, name)
                and self.named(name)
                and self.found.kind(name) is None
                and not re.search(rf"(?i:{self.lex.org_heads}|{self.lex.place_heads})", name)
                and not self.inside_other(name)
                and name in st.sentence.text
            ):
                self.found.add(name, "person", "", st.sentence.start + st.sentence.text.index(name))

    def inside_other(self, name: str) -> bool:
        """Whether ``name`` is part of an organisation or place already found ("le syndicat Force
        Ouvrière Territoriale" says so: its speaker "Force Ouvrière Territoriale" is no person)."""
        key = name.casefold()
        others = (e for e in self.found.entities.values() if e.kind in ("organization", "place"))
        return any(key in e.name.casefold() for e in others)

    def datelines(self) -> None:
        for s in _first_in_para(self.doc):
            m = _DATELINE.match(s.text)
            if m:
                self.towns.add(m["place"].casefold())
                self.found.add(m["place"], "place", PLACE_ROLE, s.start)
            local = _LOCAL_DATELINE.match(s.text) if self.lex.nouns else None
            if local and self.named(local["place"]):
                self.towns.add(local["place"].casefold())
            parts = _BYLINE_PARTS.split(s.text)
            if len(parts) >= 3 and re.search(r"\d", parts[-1]) and not s.prose:
                # "Lucía Ferrán · Valdemora · 9 de abril de 2026": author, place, date.
                if re.fullmatch(self.rx.name, parts[0]) and not re.match(self.lex.org_heads, parts[0]):
                    self.found.add(parts[0], "person", "article author", s.start)
                if re.fullmatch(CAPW, parts[1]):
                    self.towns.add(parts[1].casefold())
                    self.found.add(parts[1], "place", PLACE_ROLE, s.start + s.text.index(parts[1]))

    def organisations(self) -> None:
        rx = self.rx
        for s in self.body:
            for m in rx.org_head.finditer(s.text):
                org = self.trim_org(m["org"], m["part"])
                if org:
                    self.found.add(org, "organization", "", s.start + m.start())
            for m in rx.org_role.finditer(s.text):
                org = self.trim_org(m["org"], m["org"])
                if org and self.found.kind(org) is None:
                    self.found.add(org, "organization", m["role"], s.start + m.start("org"))
            for m in rx.legal.finditer(s.text):
                org, words = m["org"], m["org"].split()
                if len(words) > 2 and words[0] in self.lex.not_names:
                    org = org.split(maxsplit=1)[1]  # "Die Talbahn AG": the article is not the name
                self.found.add(org, "organization", "", s.start + m.end() - len(org))
            if sum(w.isupper() for w in s.words) <= len(s.words) / 2:
                for m in ACRONYM.finditer(s.text):
                    if m.group().casefold() not in self.towns:
                        self.found.add(m.group(), "organization", "", s.start + m.start())

    def trim_org(self, org: str, part: str) -> str | None:
        """The organisation's name as far as its name part goes; None for a German noun after the head
        ("die Stadt Trinkwasser bereit")."""
        words = part.split()
        keep = len(words)
        if re.match(rf"(?:{self.lex.address_names})\s", part):
            return org
        if self.lex.nouns:
            keep = 0
            while keep < len(words) and (
                words[keep].casefold() in self.towns or not self.nounish(words[keep])
            ):
                keep += 1
        if keep == 0 or words[0] in self.lex.not_names:
            return None
        return org[: len(org) - len(part)] + " ".join(words[:keep]) if keep < len(words) else org

    def places(self) -> None:
        rx = self.rx
        for s in self.body:
            for m in rx.place_of.finditer(s.text):
                if self.named(m["place"]):
                    self.towns.add(m["place"].casefold())
            if self.lex.nouns:  # "Lindenbachs Bürgermeister"
                for m in re.finditer(rf"\b({CAPW})s\s+(?:{self.lex.titles})\b", s.text):
                    if self.named(m.group(1)):
                        self.towns.add(m.group(1).casefold())
        for s in self.body:
            for m in rx.place_head.finditer(s.text):
                if self.found.kind(m["place"]) is None:
                    self.found.add(m["place"], "place", PLACE_ROLE, s.start + m.start())
            for m in rx.place_word.finditer(s.text):
                if (
                    m.group().split()[0] not in self.lex.not_names
                    and m.group().casefold() not in self.lex.not_places
                ):
                    self.found.add(m.group(), "place", PLACE_ROLE, s.start + m.start())
            for m in rx.place_of.finditer(s.text):
                if m["place"].casefold() in self.towns:
                    self.found.add(m["place"], "place", PLACE_ROLE, s.start + m.start("place"))
            for m in re.finditer(rf"\b({CAPW})s\s+(?:{self.lex.titles})\b", s.text) if self.lex.nouns else ():
                if m.group(1).casefold() in self.towns:
                    self.found.add(m.group(1), "place", PLACE_ROLE, s.start + m.start())
            preps = [(m["place"], m.start("place")) for m in rx.place_prep.finditer(s.text)]
            for m in rx.between.finditer(s.text):
                preps += [(m["a"], m.start("a")), (m["b"], m.start("b"))]
            for name, at in preps:
                if self.is_place(name):
                    self.found.add(name, "place", PLACE_ROLE, s.start + at)

    def written(self, word: str) -> bool:
        """Whether the article has ``word`` as a word of its own (a set of its words, made once)."""
        if "-" in word:
            return bool(re.search(rf"\b{re.escape(word)}\b", self.doc.text))
        if self._words is None:
            self._words = set(re.findall(r"\w+", self.doc.text))
        return word in self._words

    def is_place(self, name: str) -> bool:
        """A name after a locative preposition: not a known person or organisation, not a non-place;
        in German only with evidence of its own."""
        first = name.split()[0]
        if first in self.lex.not_names or first.casefold() in self.lex.not_places:
            return False
        if self.found.kind(name) not in {None, "place"} or name in self.surnames():
            return False
        if re.match(rf"(?i:{self.lex.org_heads}|{self.lex.titles}|{self.lex.honorifics})\b", name):
            return False
        if not self.lex.nouns:
            return True
        if " " in name:
            return False
        adjective = (name[:-2] if name.endswith("en") else name) + "er"
        return (
            name.casefold() in self.towns
            or self.written(adjective)
            or (bool(re.search(rf"(?:{self.lex.town_endings})$", name)) and not self.nounish(name))
        )


def find(doc: Document, lex: Lexicon, lang: str, limit: int) -> list[FoundEntity]:
    """Entities in order of first mention (``entities.find_entities`` for ``de``, ``fr``, ``es``)."""
    f = _Finder(doc, lex)
    f.people()
    f.datelines()
    f.organisations()
    f.speakers(lang)
    f.join_surnames()
    f.places()
    people = [e for e in f.found.entities.values() if e.kind == "person"]
    ranked = sorted(f.found.entities.items(), key=lambda kv: f.found.order[kv[0]])
    kept = [e for _, e in ranked][:limit]
    for e in kept:  # roles for what is shown only: a long article names thousands
        if e.kind == "organization" and not e.role:
            employee = next((p for p in people if re.search(rf"\b{re.escape(e.name)}\b", p.role)), None)
            e.role = f"employer of {employee.name}" if employee else ORG_ROLE
        elif not e.role:
            e.role = PERSON_ROLE if e.kind == "person" else PLACE_ROLE
    return kept
