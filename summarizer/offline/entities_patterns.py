"""The ``Lexicon`` a language fills in for ``entities_intl`` and the patterns built from it.

Owns the shapes of names in German, French and Spanish text: a capitalised word, a person's name
of two or three words, a role or honorific before it, an apposition after it, an organisation's
head word and name part, a place word, a locative preposition. Which words fill them is each
language's (``entities_de``, ``entities_fr``, ``entities_es``); what counts is ``entities_intl``'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"
CAPW = rf"[{UPPER}][{LOWER}]+(?:-[{UPPER}{LOWER}][{LOWER}]+)*"
"""A capitalised word, hyphenated parts allowed ("Jean-Pierre", "Montclair-sur-Loue"); not all capitals."""
ACRONYM = re.compile(rf"(?<![\w.-])[{UPPER}]{{3,6}}(?![\w-])")
"""Capitals of an acronym ("SNCF", "THW"); not inside a word or a dotted abbreviation."""


@dataclass(frozen=True)
class Lexicon:
    """The words one language marks its entities with (alternations, as regex source)."""

    titles: str
    """Role nouns next to a person's name ("Sprecherin", "porte-parole", "alcaldesa")."""
    honorifics: str
    """Abbreviations that make the next word a person's name ("Dr.", "Mme", "Sra.")."""
    weak_honorifics: str
    """Honorifics that are also common nouns ("Frau"): the name after them needs two words."""
    byline: str
    """The word of a byline ("Von", "Par", "Por")."""
    connectors: str
    """Lower-case words inside a name ("von", "de la")."""
    org_heads: str
    """Words that open an organisation's name ("Stadtwerke", "Mairie", "Ayuntamiento")."""
    org_roles: str
    """Nouns that say the next name is an organisation ("Firma", "société", "empresa")."""
    legal_forms: str
    """Company forms after a name ("GmbH", "SA", "S.L.")."""
    place_heads: str
    """Place words before a name ("Calle", "place", "Bahnhof")."""
    place_words: str
    """Place names made by their own words ("Bahnhofstraße", "Lange Straße"); "(?!)" for none."""
    place_preps: str
    """Prepositions before a place ("à", "en", "in")."""
    place_of: str
    """Words whose name is a place ("Stadt Brelingen", "Ayuntamiento de Valdemora")."""
    not_names: frozenset[str]
    """Capitalised words that never open a name: articles, pronouns, adverbs opening a clause."""
    not_places: frozenset[str]
    """Capitalised words after a locative preposition that are no place ("Noël", "Betrieb")."""
    adjectives: str = "(?!)"
    """Adjectives between an organisation's head and its name ("municipale", "regional")."""
    between: str = "(?!)"
    """ "zwischen X und Y", "entre X et Y": the two words, as "zwischen|und"."""
    nouns: bool = False
    """Nouns are capitalised: a name needs evidence beyond a preposition (German)."""
    town_endings: str = "(?!)"
    """Endings of town names, evidence beside a preposition when ``nouns`` ("…ingen", "…bach")."""
    articles: str = "(?!)"
    """Articles and contracted prepositions before a noun (``nouns``: a word after one is a noun)."""
    address_names: str = "(?!)"
    """Capitalised prepositions opening a name after a head ("Grundschule Am Lindenhof")."""


class Rules:
    """The patterns of one lexicon, built once per language (``rules``)."""

    def __init__(self, lex: Lexicon) -> None:
        conn = rf"(?:(?:{lex.connectors})\s+)?"
        self.name = rf"{CAPW}(?:\s+{conn}{CAPW}){{1,2}}"
        """A person's name: two or three capitalised words."""
        hon = rf"(?:(?:{lex.honorifics})\s+)"
        # "Sprecher Holger Kamp", "la alcaldesa, Inés Carvajal", "El portavoz del comité, Rubén Osorio":
        # a role, up to four words of its own only when a comma closes them, an honorific, the name.
        self.role_before = re.compile(
            rf"(?<![\w-])(?P<role>(?:{lex.titles})(?:(?:\s+[^\s,.;:()«»“”\"]+){{1,4}}(?=,))?),?\s+"
            rf"(?:{hon}|(?:{lex.weak_honorifics})\s+)?(?P<name>{self.name}|{CAPW})\b(?![-'’])"
        )
        self.honorific = re.compile(rf"(?<![\w-])(?:{lex.honorifics})\s+(?P<name>{self.name}|{CAPW})\b")
        self.weak = re.compile(rf"(?<![\w-])(?:{lex.weak_honorifics})\s+(?P<name>{self.name})\b")
        # "Holger Kamp, Sprecher der Stadtwerke,": the role phrase up to the next comma or stop.
        self.apposition = re.compile(
            rf"(?P<name>{self.name}),\s+(?P<role>(?:[{LOWER}]+\s+)?(?:{lex.titles})\b[^,.;:()«»“”\"]{{0,60}}?)"
            r"(?=\s*[,.;:()]|$)"
        )
        self.byline = re.compile(rf"^(?:{lex.byline})\s+(?P<name>{self.name})$")
        part = rf"{CAPW}(?:\s+{conn}{CAPW}){{0,3}}"
        # "Stadtwerke Brelingen", "Mairie de Lyonnel", "médiathèque municipale Jeanne-Arnaud",
        # "Grundschule Am Lindenhof": the head, an adjective, a connector, the name part.
        self.org_head = re.compile(
            rf"(?<![\w-])(?P<org>(?i:{lex.org_heads})(?:\s+(?:{lex.adjectives}))?\s+{conn}"
            rf"(?P<part>(?:(?:{lex.address_names})\s+)?{part}))\b(?![-'’])"
        )
        self.org_role = re.compile(
            rf"(?<![\w-])(?P<role>(?:{lex.org_roles})(?:\s+(?:{lex.adjectives}))?)\s+(?P<org>{part})\b(?![-'’])"
        )
        self.legal = re.compile(rf"(?P<org>{CAPW}(?:\s+{CAPW})?\s+(?:{lex.legal_forms}))(?!\w)")
        self.place_head = re.compile(
            rf"(?<![\w-])(?P<place>(?:{lex.place_heads})\s+{conn}{CAPW}(?:\s+{CAPW})?)\b(?![-'’])"
        )
        self.place_word = re.compile(rf"(?<![\w-])(?:{lex.place_words})(?![\w-])")
        town = rf"{CAPW}(?:\s+{conn}{CAPW}){{0,2}}"
        self.place_prep = re.compile(rf"(?<![\w-])(?:{lex.place_preps})\s+(?P<place>{town})\b(?![-'’])")
        between, also = lex.between.split("|") if "|" in lex.between else ("(?!)", "(?!)")
        self.between = re.compile(rf"\b{between}\s+(?P<a>{CAPW})\s+{also}\s+(?P<b>{CAPW})\b")
        self.place_of = re.compile(rf"(?<![\w-])(?:{lex.place_of})\s+{conn}(?P<place>{town})\b(?![-'’])")


@cache
def rules(lex: Lexicon) -> Rules:
    return Rules(lex)
