"""German attribution wording (see ``statements_intl``)."""

from __future__ import annotations

import re

from summarizer.offline.statements_intl import CAP, Wording
from summarizer.offline.text import QUOTE_PAIRS, wordset

# Reporting verbs in the third person, present and past, singular and plural.
_SAY = (
    r"(?:sagte|sagten|sagt|erklärte|erklärten|erklärt|betonte|betonten|betont|berichtete|berichteten|"
    r"bestätigte|bestätigten|warnte|warnten|meinte|meinten|ergänzte|ergänzten|versicherte|versicherten|"
    r"unterstrich|unterstrichen|kritisierte|kritisierten)"
)
# Separable verbs: the particle closes the clause ("teilte die Schulleitung mit").
_SEPARABLE = r"(?:teilte|teilten|teilt|fügte|fügten|fügt|kündigte|kündigten|gab|gaben|räumte|räumten)"
_PARTICLE = r"(?:mit|hinzu|an|bekannt|ein)"
_PERFECT = (
    r"(?:hat|haben|hatte|hatten)(?:\s+[^\s,]+){0,3}?\s+"
    r"(?:gesagt|erklärt|betont|mitgeteilt|bestätigt|angekündigt)"
)
_ARTICLE = r"(?:der|die|das|dem|den|des|ein|eine|einer|eines|einem)"
# A noun phrase without a comma around it ("der örtlichen Polizei", "Bürgermeister Stahl von Kell"):
# an article, an inflected adjective, capitalised words joined by genitive articles or "von".
_NP = rf"(?:{_ARTICLE}\s+)?(?:[a-zäöüß]+(?:e|en|er|es|em)\s+)?{CAP}(?:\s+(?:(?:der|des|von|vom)\s+)?{CAP})*"

WORDING = Wording(
    quotes=QUOTE_PAIRS["de"],
    tail=re.compile(rf"(?P<pre>[,“”»«\"])\s*(?P<verb>{_SAY}|{_SEPARABLE}|so)\s+(?P<speaker>[^,;:“”»«\"]+)"),
    lead=re.compile(
        rf"\b(?P<verb>{_SAY}|{_PERFECT}|{_SEPARABLE}(?:\s+[^\s,]+){{0,4}}?\s+{_PARTICLE})"
        r"(?P<gap>(?:\s+[^\s,:]+){0,5}?)\s*[,:]\s*(?:dass\s+)?(?P<claim>\S.*)"
    ),
    # "laut X", "nach Angaben von X", "nach Angaben der X"; the article of a genitive is kept.
    source=re.compile(rf"\b(?:(?:[Ll]aut|[Nn]ach)\s+Angaben(?:\s+von|\s+vom)?|[Ll]aut)\s+(?P<speaker>{_NP})"),
    no_comment=re.compile(
        r"\s+(?:wollte|wollten|mochte|mochten)\s+sich(?:\s+[^\s,]+){0,5}?\s+nicht(?:\s+dazu)?\s+(?:äußern|äussern)"
        r"|\s+(?:äußerte|äußerten)\s+sich(?:\s+zunächst)?\s+nicht\b"
    ),
    # A genitive or dative article is dropped ("nach Angaben der Stadtwerke": "Stadtwerke"): the
    # speaker must be the article's own words, and "die Stadtwerke" is not written there.
    oblique={"der": "", "den": "", "dem": "", "des": ""},
    # "der Zeitung …", "dem Sender …", "am Dienstag", "gegenüber …", "auf Anfrage", "in einer Mitteilung".
    stop=re.compile(
        r"\s+(?:(?:der|dem)\s+(?:\w+-)?(?:Zeitung|Nachrichtenagentur|Agentur|Sender|Rundfunk|Radio|Fernsehen|Redaktion)"
        r"|am\s+|im\s+|gegenüber\s+|auf\s+|in\s+(?:einer|einem)\s+|bei\s+|nach\s+|vor\s+|zu\s+|zufolge\b|"
        rf"(?:{_PARTICLE})$)"
    ),
    negated=re.compile(r"\b(?:nicht|nichts|kein\w*|nie)\b"),
    negated_before=re.compile(r"\bnicht\s+$"),
    clause_words=re.compile(r"\b(?:und|aber|doch|denn|weil|da|nachdem|während|als|wobei|obwohl|dass|wie)\s+"),
    relative=re.compile(r"(?:der|die|das|dem|den|deren|dessen|welche[rsnm]?)\s"),
    articles=wordset("der die das dem den des ein eine einer eines einem"),
    pronouns=wordset("er sie"),
    # Pronouns, and adverbials that open a clause whose subject follows the verb ("Am Mittwoch sagte …").
    not_speakers=wordset(
        """es man wir ich du ihr dies das am im zudem außerdem dann später gestern heute dazu auch zuvor
        anschließend daraufhin allerdings jedoch dennoch bereits nun jetzt damals vor nach bei in auf mit"""
    ),
    plural=re.compile(r"(?:en|haben|hatten)\b"),
    back_reference=re.compile(r"(?:der|die)\s+\d+-[Jj]ährige"),
    name_lead=re.compile(CAP),
    # Two words: all nouns are capitalised, so "Bürgermeister Erwin Stahl" is a role and a name.
    name_words=(2,),
    honorifics=wordset("Dr. Prof. Frau Herr"),
)
