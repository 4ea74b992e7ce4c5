"""Numbers a sentence states, read so that two outlets' wordings of one quantity line up.

Owns ``Quantity`` and ``quantities``: the value with the range its hedge
allows ("about 42,000" 39,900-44,100; "more than 50,000" 50,000 and up;
"nearly 300" 270-300), what is counted (the counted noun's stem, put in a
class with its usual synonyms: vehicles/cars, homes/households,
posts/positions; a measure with what it measures: "12,000 tonnes of
barley"), the rate ("a day" = "per day" = "daily" = "on a weekday") and
whether the number is a total ("14 of the unit's 38 posts": 38 is the
total, 14 counts the posts too). Number formats: "42,000", "42.000" and
"42 000" (thousands separators), "1.8 million", "Twelve",
"thirty-eight"; hedges and counted nouns in English, German, French and
Spanish. Clock times ("11 pm", "7am", "4.30 Uhr") and years are not
quantities. Pure: no model, no I/O.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from summarizer.comparison.numwords import NUMBER_PHRASE, NUMBER_WORDS, phrase_value
from summarizer.comparison.qualifiers import (
    CONVERTED,
    RANGE,
    Scope,
    base_unit,
    inherited,
    parts_of_totals,
    rounding,
    scope_of,
)
from summarizer.offline.text import STOPWORDS, plain_words, singular, wordset

__all__ = ["NUMBER_WORDS", "Quantity", "has_number", "quantities"]

_ABOUT, _NEARLY, _UP_TO, _OVER = (0.95, 1.05), (0.9, 1.0), (0.0, 1.0), (1.0, float("inf"))
_HEDGE_WORDS = {
    _ABOUT: "about|around|roughly|some|approximately|circa|ca.|an estimated|an average of|rund|etwa|ungefähr|"
    "annähernd|unos|unas|aproximadamente|alrededor de|environ|quelque|quelques",
    _NEARLY: "nearly|almost|close to|just under|fast|knapp|casi|cerca de|près de|presque",
    _UP_TO: "up to|as many as|no more than|fewer than|less than|bis zu|weniger als|hasta|menos de|jusqu'à|"
    "moins de",
    _OVER: "more than|over|at least|upwards of|in excess of|mehr als|über|más de|plus de",
}
_HEDGES = {h: rng for rng, words in _HEDGE_WORDS.items() for h in words.split("|")}
"""The range a hedge before the number allows around it, as factors: "about" is within 5 %."""
_AFTER_HEDGES = {"or so": _ABOUT, "or thereabouts": _ABOUT, "-odd": _ABOUT, "or more": _OVER, "-plus": _OVER}
"""Hedges after the number: "2,400 or so", "3,000-plus"."""
_AFTER = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in _AFTER_HEDGES)
_HEDGE = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in sorted(_HEDGES, key=len, reverse=True))
_QUANTITY = re.compile(
    r"(?<![\w.,:€$£-])"
    rf"(?P<approx>(?i:{_HEDGE})\s+)?"
    rf"(?P<cur>[€$£])?(?P<num>\d{{1,3}}(?:(?P<sep>[,.\u00a0\u202f ])\d{{3}})(?:(?P=sep)\d{{3}})*(?![\d])"
    rf"|\d+(?:[.,]\d+)?|(?i:{NUMBER_PHRASE}))(?![\w:])"
    r"(?P<scale>\s+(?:million|billion|thousand|hundred|Millionen|Milliarden|millones|millions|mil)\b)?"
    r"(?P<pct>\s*%|\s+percent|\s+per cent|\s+Prozent|\s+por ciento|\s+pour cent)?"
    rf"(?P<after>\s*(?:{_AFTER})(?!\w))?"
    r"(?=(?P<np>(?:\s+[\w'’-]+){0,4}))"
)
_SCALES = {"hundred": 1e2, "thousand": 1e3, "mil": 1e3, "million": 1e6, "millions": 1e6, "millionen": 1e6}
_SCALES |= {"millones": 1e6, "billion": 1e9, "milliarden": 1e9}
_NOT_UNIT = wordset(
    """a an the of on in at by to for from per over across around near within outside along into after before
    during since until last next this that which who were was are is had has have would will could can may
    as and or but than up down off out more less with without each every
    der die das den dem des ein eine und in im von vom zu zur zum mit auf aus bei nach seit
    le la les un une des du de et en au aux dans par pour sur avec depuis
    el los las unos unas del al y en con por para sobre desde según
    unterwegs betroffen derzeit bereits noch nur schon insgesamt täglich jährlich wöchentlich monatlich"""
)
_TIME_UNITS = wordset("am pm a.m. p.m. o'clock uhr h hrs gmt utc cet")
_MEASURE_WORDS = wordset(
    """second minute hour day week month year decade time km kilometre kilometer mile metre meter degree
    microgram milligram gram kg tonne ton litre liter crown euro dollar pound franc krone kronor tonnen
    minuten stunden tage wochen monate jahre minutos horas días semanas meses años
    heures jours semaines mois"""
)
_RATES = {
    "day": r"(?:a|per|each|every)\s+(?:working\s+|school\s+|week)?day|daily|a\s+weekday|"
    r"on\s+an?\s+(?:typical\s+|normal\s+|ordinary\s+|average\s+|busy\s+)?(?:week|working\s+)?day|"
    r"am\s+tag|pro\s+(?:werk)?tag|täglich|werktags|an\s+einem\s+(?:\w+en\s+)?(?:werk)?tag|"
    r"al\s+día|por\s+día|diari[ao]s?|cada\s+día|par\s+jour|chaque\s+jour|quotidiennement",
    "week": r"(?:a|per|each|every)\s+week|weekly|pro\s+woche|wöchentlich|por\s+semana|par\s+semaine",
    "month": r"(?:a|per|each|every)\s+month|monthly|pro\s+monat|monatlich|al\s+mes|par\s+mois",
    "year": r"(?:a|per|each|every)\s+year|annually|yearly|pro\s+jahr|jährlich|al\s+año|par\s+an",
}
_RATE = [(rate, re.compile(rf"\b(?:{rx})\b", re.IGNORECASE)) for rate, rx in _RATES.items()]
_PER_DAY = {"day": (1.0, 1.0), "week": (1 / 7, 1 / 5), "month": (1 / 31, 1 / 20), "year": (1 / 366, 1 / 250)}
"""What a rate is per day, as a range: a week is five working days or seven, a year 250 to 366 days
(a count "a week" may be of working days, so 16,000 a week is 2,286-3,200 a day)."""
_CLAUSE_START = re.compile(r"[.;:!?—–]|,(?!\d)")
_TOTAL_BEFORE = re.compile(
    r"(?:\bout of|\bof (?:the|its|their|a total of)(?:\s+\w+['’]s)?|\bvon|\bde los)\s*$", re.IGNORECASE
)
_CLASSES = {
    "vehicle": "vehicle car motorist lorry fahrzeug auto vehículo coche véhicule voiture",
    "home": "home household house property residence dwelling haushalt haushalte wohnung hogar vivienda "
    "foyer logement",
    "post": "post position job vacancy role stelle plaza puesto poste",
    "passenger": "passenger commuter rider traveller traveler fahrgast pendler reisende pasajero viajero "
    "usuario voyageur navetteur usager",
    "worker": "worker employee staff beschäftigt mitarbeiter trabajador empleado salarié",
    "driver": "driver conductor fahrer chauffeur",
}


@functools.cache
def _class_of() -> dict[str, str]:
    """Counted-noun stem -> its class ("car" and "vehicle" -> 'vehicle'), words and stems both."""
    out = {w: cls for cls, words in _CLASSES.items() for w in words.split()}
    return out | {_stem(w): cls for w, cls in out.items()}


_UMLAUT = str.maketrans("äöü", "aou")


def _class(word: str) -> str | None:
    """The class of a counted noun: as written, its singular, its stem, or a German plural with its
    umlaut and -e/-en ending undone ("Fahrgäste" -> "fahrgast", as "Gäste" is "Gast")."""
    classes = _class_of()
    low = word.lower()
    german = re.sub(r"(?:en|e)$", "", low.translate(_UMLAUT)) if low != low.translate(_UMLAUT) else low
    for key in (low, singular(low), _stem(low), german):
        if key in classes:
            return classes[key]
    return None


def _stem(word: str, language: str = "english") -> str:
    from summarizer.comparison.units import stem  # units imports this module: late import, no cycle

    return stem(word, language)


@dataclass(frozen=True)
class Quantity:
    """A number with what it counts: "About 12,000 dockworkers" -> 12000, 'dockworkers'."""

    value: float
    unit: str
    """The counted words as written ("port workers"), or "" for a bare percentage or amount."""
    key: str
    """What is counted, comparable across sources: the counted noun's class or stem, 'percent:…',
    'cur:€', a measure with what it measures ('tonn:barley'); a total gets '/total'."""
    text: str
    """The phrase as written."""
    form: str = ""
    """The head's crude singular ("dockworker"), for compounds: a stem need not end like its tail's."""
    low: float = 0.0
    high: float = 0.0
    """The range the hedge allows ("about 42,000": 39,900-44,100)."""
    rate: str | None = None
    """'day', 'week', 'month', 'year' when the number is per that period."""
    scope: Scope = field(default_factory=Scope)
    """When, how badly, whether superseded (``qualifiers.scope_of``)."""
    measured: str = ""
    """The unit a measure was written in, when its value was converted to a base unit ('mile')."""

    @property
    def measure(self) -> bool:
        """A duration, distance, percentage or amount: many different things share such units (a
        measure of a named thing, "tonnes of barley", is as specific as a count)."""
        if self.key.startswith(("percent", "cur:")):
            return True
        return ":" not in self.key and self.key.split("/")[0] in _measures() | {"length", "mass"}

    def agrees(self, other: Quantity) -> bool:
        """Whether the two can be the same number ("more than 40,000" and "about 42,000" can); two
        rates are compared per day ("16,000 a week" can be "2,400 a day")."""
        if self.rate and other.rate and self.rate != other.rate:
            (a, b), (c, d) = self.per_day(), other.per_day()
            return a <= d and c <= b
        slack = 1 + CONVERTED if self.measured != other.measured else 1.0  # "2 miles" beside "3 km"
        return self.low <= other.high * slack and other.low <= self.high * slack

    def per_day(self) -> tuple[float, float]:
        """The range per day a rate allows (the value's own range when it has no rate)."""
        lo, hi = _PER_DAY.get(self.rate or "day", (1.0, 1.0))
        return self.low * lo, self.high * hi


def _value(raw: str, sep: str | None) -> float:
    raw = raw.lower()
    if not raw[0].isdigit():  # "twelve", "two thousand four hundred"; "four two": its first number
        return phrase_value(raw) or float(NUMBER_WORDS.get(raw.split()[0].split("-")[0], 0))
    if sep:  # "42,000", "42.000", "42 000": thousands
        return float(re.sub(r"[,.\u00a0\u202f ]", "", raw))
    return float(raw.replace(",", "."))


def _unit_words(np: str) -> tuple[list[str], str | None]:
    """The counted words after a number (the last plural noun ends them) and an "of X" complement."""
    words: list[str] = []
    complement = None
    tokens = np.split()
    for i, token in enumerate(tokens):
        word = token.strip(".,;:!?\"“”'’()")
        low = word.lower()
        if not word or low in _NOT_UNIT or low in STOPWORDS or low.endswith(("ed", "ly")) or len(words) == 3:
            if low in {"of", "de", "von"} and words and i + 1 < len(tokens):
                nxt = tokens[i + 1].strip(".,;:!?\"“”'’()").lower()
                complement = nxt if nxt not in _NOT_UNIT and nxt not in STOPWORDS else None
            break
        words.append(word)
        if word != token:  # punctuation ends the phrase
            break
    plural = [k for k, w in enumerate(words) if _plural(w)]
    if plural:
        words = words[: plural[-1] + 1]
    elif words:
        words = words[:1]
    return words, complement


def _plural(word: str) -> bool:
    low = word.lower()
    return (len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is"))) or low in {
        "people",
        "personen",
        "leute",
        "haushalte",
    }


def _rate(text: str, start: int, end: int) -> str | None:
    """The period the number is per, said within a few words after it (or just before: "daily")."""
    window = text[end : end + 60]
    clause = [m.end() for m in _CLAUSE_START.finditer(text, 0, start)]
    before = text[max(clause[-1] if clause else 0, start - 60) : start]
    for rate, rx in _RATE:
        if rx.search(window) or rx.search(before):
            return rate
    return None


def quantities(text: str) -> list[Quantity]:
    """Numbers with what they count; years, clock times and a bare "one" are left out."""
    found: list[Quantity] = []
    spans: list[tuple[int, int]] = []
    for m in _QUANTITY.finditer(text):
        measured, factor = "", 1.0
        value = _value(m["num"], m["sep"])
        if m["scale"]:
            value *= _SCALES[m["scale"].strip().lower()]
        words, complement = _unit_words(m["np"])
        clock = re.match(r"\s*(?:am|pm)\b", m["np"], re.IGNORECASE)
        if clock or (words and words[0].lower().rstrip(".") in _TIME_UNITS):
            continue
        if not m["scale"] and not m["cur"] and not m["pct"] and 1900 <= value <= 2100 and not words:
            continue
        plain = [w for word in words[-1:] for w in plain_words(word)]
        head = [_stem(w) for w in plain]
        form = ""
        if m["pct"]:
            key = "percent" + (f":{head[0]}" if head else "")
        elif m["cur"]:
            key = f"cur:{m['cur']}"
        elif head and value != 1:
            form = singular(plain[0])
            key = _class(plain[0]) or head[0]
            if key in _measures() and complement:
                key = f"{key}:{_stem(complement)}"
            if base := base_unit(key.split(":")[0]):  # "2.5 tonnes of cheese" = "2,500 kg of cheese"
                measured, factor = key.split(":")[0], base[1]
                key = base[0] + key[len(measured) :]
        else:
            key = ""  # a bare number: kept only if a total after it says what it counts
        if key and _TOTAL_BEFORE.search(text[: m.start()]) and found:
            key += "/total"
        low, high = _HEDGES.get(" ".join((m["approx"] or "").lower().split()), (1.0, 1.0))
        if m["after"]:
            low, high = _AFTER_HEDGES[" ".join(m["after"].lower().split())]
        phrase = (m.group(0) + " " + " ".join(words)).strip()
        rate = _rate(text, *m.span())
        span = (value * low, value * high)
        if not m["approx"] and not m["after"]:  # "5,000 sandbags" stands for 4,950-5,050
            span = (value - rounding(value), value + rounding(value))
        if found and RANGE.fullmatch(text[spans[-1][1] : m.start()]) and not found[-1].key and key:
            span = (found[-1].value, span[1])  # "between 300 and 400 volunteers": 300-400
        scope = scope_of(text, *m.span())
        value, span = value * factor, (span[0] * factor, span[1] * factor)
        found.append(Quantity(value, " ".join(words), key, phrase, form, *span, rate, scope, measured))
        spans.append(m.span())
    kept = inherited(parts_of_totals(found), text, spans)
    return [q for q in kept if q.key and (q.value != 1 or q.key.startswith(("cur", "per")))]


def has_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text) or bool(quantities(text))


@functools.cache
def _measures() -> frozenset[str]:
    return frozenset(_stem(w) for w in _MEASURE_WORDS)
