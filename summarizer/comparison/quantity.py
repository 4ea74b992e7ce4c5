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
from dataclasses import dataclass

from summarizer.offline.text import STOPWORDS, plain_words, singular, wordset

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty"
)
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORDS = {w: n for n, w in enumerate(_ONES.split())} | _TENS
NUMBER_WORDS |= {f"{t}-{o}": v + n for t, v in _TENS.items() for o, n in NUMBER_WORDS.items() if 0 < n < 10}
_NUM_WORDS = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))

_HEDGES = {
    "about": (0.95, 1.05), "around": (0.95, 1.05), "roughly": (0.95, 1.05), "some": (0.95, 1.05),
    "approximately": (0.95, 1.05), "an estimated": (0.95, 1.05), "rund": (0.95, 1.05),
    "etwa": (0.95, 1.05), "ungefähr": (0.95, 1.05), "unos": (0.95, 1.05), "unas": (0.95, 1.05),
    "alrededor de": (0.95, 1.05), "environ": (0.95, 1.05), "quelque": (0.95, 1.05),
    "nearly": (0.9, 1.0), "almost": (0.9, 1.0), "close to": (0.9, 1.0), "fast": (0.9, 1.0),
    "knapp": (0.9, 1.0), "casi": (0.9, 1.0), "cerca de": (0.9, 1.0), "près de": (0.9, 1.0),
    "presque": (0.9, 1.0), "up to": (0.0, 1.0), "bis zu": (0.0, 1.0), "hasta": (0.0, 1.0),
    "jusqu'à": (0.0, 1.0), "more than": (1.0, float("inf")), "over": (1.0, float("inf")),
    "at least": (1.0, float("inf")), "mehr als": (1.0, float("inf")), "über": (1.0, float("inf")),
    "más de": (1.0, float("inf")), "plus de": (1.0, float("inf")), "upwards of": (1.0, float("inf")),
}  # fmt: skip
"""The range a hedge allows around the stated value, as factors: "about" is within 5 %."""
_HEDGE = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in sorted(_HEDGES, key=len, reverse=True))
_QUANTITY = re.compile(
    r"(?<![\w.,:€$£-])"
    rf"(?P<approx>(?i:{_HEDGE})\s+)?"
    rf"(?P<cur>[€$£])?(?P<num>\d{{1,3}}(?:(?P<sep>[,.\u00a0\u202f ])\d{{3}})(?:(?P=sep)\d{{3}})*(?![\d])"
    rf"|\d+(?:[.,]\d+)?|(?i:{_NUM_WORDS}))(?![\w:])"
    r"(?P<scale>\s+(?:million|billion|thousand|hundred|Millionen|Milliarden|millones|millions|mil)\b)?"
    r"(?P<pct>\s*%|\s+percent|\s+per cent|\s+Prozent|\s+por ciento|\s+pour cent)?"
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
    el los las unos unas del al y en con por para sobre desde según"""
)
_TIME_UNITS = wordset("am pm a.m. p.m. o'clock uhr h hrs gmt utc cet")
_MEASURE_WORDS = wordset(
    """second minute hour day week month year decade time km kilometre kilometer mile metre meter degree
    microgram milligram gram kg tonne ton litre liter crown euro dollar pound franc krone kronor tonnen
    minuten stunden tage wochen monate jahre minutos horas días semanas meses años
    heures jours semaines mois"""
)
_RATES = {
    "day": r"(?:a|per|each|every)\s+day|daily|a\s+weekday|on\s+a\s+(?:typical\s+|normal\s+)?weekday|"
    r"am\s+tag|pro\s+tag|täglich|al\s+día|por\s+día|diari[ao]s?|par\s+jour|chaque\s+jour",
    "week": r"(?:a|per|each|every)\s+week|weekly|pro\s+woche|por\s+semana|par\s+semaine",
    "month": r"(?:a|per|each|every)\s+month|monthly|pro\s+monat|al\s+mes|par\s+mois",
    "year": r"(?:a|per|each|every)\s+year|annually|yearly|pro\s+jahr|jährlich|al\s+año|par\s+an",
}
_RATE = [(rate, re.compile(rf"\b(?:{rx})\b", re.IGNORECASE)) for rate, rx in _RATES.items()]
_TOTAL_BEFORE = re.compile(
    r"(?:\bout of|\bof (?:the|its|their|a total of)(?:\s+\w+['’]s)?|\bvon|\bde los)\s*$", re.IGNORECASE
)
_CLASSES = {
    "vehicle": "vehicle car motorist lorry fahrzeug auto vehículo coche véhicule voiture",
    "home": "home household house property residence dwelling haushalt haushalte wohnung hogar vivienda "
    "foyer logement",
    "post": "post position job vacancy role stelle plaza puesto poste",
    "passenger": "passenger commuter rider traveller traveler fahrgast pasajero viajero voyageur",
    "worker": "worker employee staff beschäftigt mitarbeiter trabajador empleado salarié",
    "driver": "driver conductor fahrer chauffeur",
}


@functools.cache
def _class_of() -> dict[str, str]:
    """Counted-noun stem -> its class ("car" and "vehicle" -> 'vehicle'), words and stems both."""
    out = {w: cls for cls, words in _CLASSES.items() for w in words.split()}
    return out | {_stem(w): cls for w, cls in out.items()}


def _stem(word: str) -> str:
    from summarizer.comparison.units import stem  # units imports this module: late import, no cycle

    return stem(word)


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

    @property
    def measure(self) -> bool:
        """A duration, distance, percentage or amount: many different things share such units (a
        measure of a named thing, "tonnes of barley", is as specific as a count)."""
        if self.key.startswith(("percent", "cur:")):
            return True
        return ":" not in self.key and self.key.split("/")[0] in _measures()

    def agrees(self, other: Quantity) -> bool:
        """Whether the two can be the same number ("more than 40,000" and "about 42,000" can)."""
        return self.low <= other.high and other.low <= self.high


def _value(raw: str, sep: str | None) -> float:
    raw = raw.lower()
    if raw in NUMBER_WORDS:
        return float(NUMBER_WORDS[raw])
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
    before = text[max(0, start - 25) : start]
    for rate, rx in _RATE:
        if rx.search(window) or rx.search(before):
            return rate
    return None


def quantities(text: str) -> list[Quantity]:
    """Numbers with what they count; years, clock times and a bare "one" are left out."""
    found: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
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
            classes = _class_of()
            key = classes.get(form) or classes.get(plain[0]) or classes.get(head[0]) or head[0]
            if key in _measures() and complement:
                key = f"{key}:{_stem(complement)}"
        else:
            key = ""  # a bare number: kept only if a total after it says what it counts
        if key and _TOTAL_BEFORE.search(text[: m.start()]) and found:
            key += "/total"
        low, high = _HEDGES.get(" ".join((m["approx"] or "").lower().split()), (1.0, 1.0))
        phrase = (m.group(0) + " " + " ".join(words)).strip()
        rate = _rate(text, *m.span())
        found.append(Quantity(value, " ".join(words), key, phrase, form, value * low, value * high, rate))
    kept = _parts_of_totals(found)
    return [q for q in kept if q.key and (q.value != 1 or q.key.startswith(("cur", "per")))]


def _parts_of_totals(found: list[Quantity]) -> list[Quantity]:
    """ "14 of the unit's 38 posts": the 14 counts posts as well (the 38 is their total)."""
    out = list(found)
    for i, q in enumerate(found):
        if q.key.endswith("/total") and i and not found[i - 1].key:
            part = found[i - 1]
            key = q.key.removesuffix("/total")
            out[i - 1] = Quantity(part.value, q.unit, key, part.text, q.form, part.low, part.high, q.rate)
    return out


def has_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text) or bool(quantities(text))


@functools.cache
def _measures() -> frozenset[str]:
    return frozenset(_stem(w) for w in _MEASURE_WORDS)
