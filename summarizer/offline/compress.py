"""Shortening a sentence into a key point: the fact without its attribution and asides.

Owns the rules that cut, from one article sentence, what a reader of a key
point can do without because the evidence quote beside it keeps it: a
leading dateline, a trailing attribution (", the county council said",
", according to county figures"), non-restrictive clauses set off by
commas (", which links the market town …,", ", owned by the trading firm
…,") and a speaker's title after the name. Only whole spans are removed,
so the point says nothing the sentence does not; a sentence with nothing
to cut, or one that would fall below ``MIN_WORDS``, is kept as it is.
English rules: other languages pass through (datelines aside).
"""

from __future__ import annotations

import re

from summarizer.offline.text import squash, strip_dateline

MIN_WORDS = 5
_NO_COMMA = r"(?:[^,;\"“”]|(?<=\d),(?=\d))"
"""A clause's characters: no comma, except inside a number ("64,000")."""
_VERB = r"(?:said|says|added|told [\w ]{2,30}?|reported|confirmed|has confirmed|announced|estimated|warned)"
_TRAILING_ATTRIBUTION = re.compile(
    rf",\s+(?!\"|“)(?P<who>[^,\"“”]{{2,80}}?)\s+{_VERB}(?:\s+(?:on|late on|early on)\s+\w+)?(?P<end>[.!?])$"
)
_SAID_BY = re.compile(
    rf",\s+(?:said|says|added)\s+{_NO_COMMA}{{2,60}}(?:,\s+{_NO_COMMA}{{2,60}})?(?P<end>[.!?])$"
)
_SPEAKER_LABEL = re.compile(r"^[A-Z][A-Z .'-]{1,40}(?:\s*\([^)]{1,40}\))?:\s+(?=\S)")
"""A transcript's "ANNA BELL: " or "PRESENTER (JOHN OKORO): ": who speaks, not what is said."""
_ABROAD = re.compile(
    r",\s+(?:sagte|teilte|erklärte|berichtete|so)\s+[^,\"“”„]{2,60}?(?:\s+mit)?(?P<end>\.)$"
    r"|,\s+(?:según|dijo|afirmó|señaló|informó)\s+[^,\"“”]{2,60}(?P<end2>\.)$"
    r"|,\s+(?:a déclaré|a indiqué|a précisé|selon)\s+[^,\"“”«»]{2,60}(?P<end3>\.)$"
)
"""Trailing attributions in German, Spanish and French (", teilte die Schulleitung mit.")."""
_ACCORDING = re.compile(r",?\s+according to [^,.;\"“”]{2,80}(?=[,.;])")
_ASIDE = re.compile(
    rf",\s+(?:which|who|whose|where|owned by|run by|built in|based in|led by)\s+{_NO_COMMA}{{3,120}}"
    r"(?:,(?=\s)|(?=[.!?]$))"
)
_APPOSITIVE = re.compile(rf"(\b[A-Z][\w'’-]+),\s+(?:the|a|an)\s+{_NO_COMMA}{{3,90}},(?=\s+[a-z])")
"""", the main road link between Aldmoor and …, " after a name, before the verb."""
_TRAILING_PHRASE = re.compile(
    rf",\s+(?:with|many of them|most of them|some of them|including)\s+{_NO_COMMA}{{3,120}}(?=[.!?]$)"
)
_SPEAKER_TITLE = re.compile(r"(?P<said>[\"”]\s*,?\s+said\s+[A-Z][^,]{2,60}),\s+[^,\"“”]{3,80}(?P<end>\.)$")


def compress(sentence: str) -> str:
    """The sentence as a key point: "Roughly 42,000 vehicles a day travel over the bridge, which
    links …, according to county figures." -> "Roughly 42,000 vehicles a day travel over the bridge."."""
    original = squash(strip_dateline(sentence))
    text = _SPEAKER_LABEL.sub("", original)
    text = _ASIDE.sub("", text)
    text = _APPOSITIVE.sub(r"\1", text)
    text = _TRAILING_PHRASE.sub("", text)
    if not re.search(r"[\"“”]", text):
        text = _ACCORDING.sub("", text)
        text = _TRAILING_ATTRIBUTION.sub(lambda m: m["end"], text)
        text = _SAID_BY.sub(lambda m: m["end"], text)
        text = _ABROAD.sub(".", text)
        text = _ASIDE.sub("", text)
    text = _SPEAKER_TITLE.sub(lambda m: m["said"] + m["end"], text)
    text = re.sub(r"\s+([,.;!?])", r"\1", text).strip()
    if len(text.split()) < MIN_WORDS or not re.search(r"[.!?][\"”’']?$", text):
        return original
    return text[:1].upper() + text[1:]
