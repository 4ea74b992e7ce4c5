"""Date and time expressions in German, French and Spanish news prose, by regular expressions.

Owns the per-language words (weekdays, months, day parts, the prepositions that make a month
or a bare year a date, relative expressions, clock times) and the pattern built from them;
``dates.find_dates`` uses it for ``de``, ``fr`` and ``es`` and the English rules for every other
language. As in English, a month name or a bare year counts only after a preposition ("im Mai",
"en mai", "en mayo"; "seit 2019", "depuis 2019", "desde 2019"), so "Mai" in a name and
"2000 Einwohner" stay out, and a figure compared with last year ("mehr als im Vorjahr", "plus
que l'an dernier", "más que el año pasado") is a comparison, not a date. ``when`` is the
expression as written, with its preposition ("am Dienstag", "le 3 décembre", "el martes").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from summarizer import textrules as rules


@dataclass(frozen=True)
class Words:
    """What one language's date expressions are made of (alternations, as regex source)."""

    weekday: str
    month: str
    day: str
    """A day of the month as written before or after the month."""
    lead: str
    """Prepositions and articles before a weekday or a calendar date."""
    month_lead: str
    """What makes a month name alone a date ("im", "Ende", "en", "fin", "a finales de")."""
    year_lead: str
    """What makes a bare year a date."""
    calendar: tuple[str, ...]
    """Day-and-month shapes, with ``{day}``, ``{month}`` and ``{year}`` to fill."""
    weekday_tail: str
    """What may follow a weekday: a day part ("Dienstagabend", "mardi soir", "martes por la noche")."""
    relative: tuple[str, ...]
    clock: str
    compared: str
    """A comparison just before a relative expression ("mehr als", "plus que", "más que")."""
    month_year: str = r"\s+"
    """Between a month and its year ("Oktober 2025"; Spanish "marzo de 2026")."""


_YEAR = r"(?:19|20)\d{2}(?![\d%])"

_DE = Words(
    weekday="|".join(rules.WEEKDAYS_IN["de"]),
    month=r"Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
    r"|Jan\.|Feb\.|Aug\.|Sept?\.|Okt\.|Nov\.|Dez\.",
    day=r"\d{1,2}\.",
    lead=r"(?:(?i:am|vom|seit|bis|ab|bis zum|in der Nacht (?:auf|zum))\s+)?"
    r"(?:(?:frühen|späten|kommenden|vergangenen|nächsten|letzten)\s+)?",
    month_lead=r"(?i:im|seit|bis|ab|vor|nach|Anfang|Mitte|Ende|bis Ende|seit Anfang)(?:\s+des)?",
    # Not "vor"/"nach": "vor 2000 Zuschauern" is a crowd, not a year.
    year_lead=r"(?i:im Jahr|im Jahre|seit|bis|ab|bis Ende|seit Anfang|Ende|Anfang|Mitte)",
    calendar=(r"{day}\s+{month}(?:\s+{year})?", r"\d{{1,2}}\.\d{{1,2}}\.{year}"),
    # Day parts are written onto the weekday ("Mittwochabend", "Montagfrüh") or after it.
    weekday_tail=r"(?:früh|morgen|vormittag|mittag|nachmittag|abend|nacht)?(?:\s+(?:früh|Morgen|Abend))?",
    relative=(
        r"(?:gestern|heute|vorgestern|übermorgen|Gestern|Heute|Vorgestern)"
        r"(?:\s+(?:früh|Morgen|Vormittag|Mittag|Nachmittag|Abend|Nacht))?",
        # Lower-case "morgen" is tomorrow; "Morgen" (a noun, capitalised) is the morning.
        r"morgen(?:\s+(?:früh|Vormittag|Nachmittag|Abend))?",
        # A period needs a word that places it: "pro Woche", "im Jahr" (per year) are rates.
        r"(?i:in dieser|diese|nächste|letzte|vergangene|kommende)\s+Woche(?:nende)?",
        r"(?i:in der|am)\s+(?:vergangenen|letzten|kommenden|nächsten)\s+Woche(?:nende)?",
        r"(?i:in diesem|dieses|letztes|nächstes|vergangenes)\s+(?:Jahr|Monat|Sommer|Winter|Frühjahr|Herbst)",
        r"(?i:im)\s+(?:vergangenen|kommenden|letzten|nächsten)\s+(?:Jahr|Monat|Sommer|Winter|Frühjahr|Herbst)",
        r"(?i:in den)\s+(?:kommenden|nächsten|vergangenen|letzten)\s+(?:Tagen|Wochen|Monaten|Jahren)",
        r"(?i:innerhalb von|binnen)\s+(?:Stunden|Tagen|Wochen)",
        r"(?i:am|zum)\s+Wochenende",
        r"(?:(?i:um|gegen|bis|vor|nach)\s+)?Mitternacht",
    ),
    clock=r"(?:(?i:um|gegen|ab|bis|seit)\s+)?\d{1,2}(?:[:.]\d{2})?\s+Uhr(?:\s+\d{1,2})?",
    compared=r"(?i:als|gegenüber|verglichen mit|im Vergleich zu(?:m)?)\s+$",
)

_FR = Words(
    weekday="|".join(rules.WEEKDAYS_IN["fr"]),
    month=r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre",
    day=r"(?:1er|\d{1,2})",
    lead=r"(?:(?i:le|ce|dès|depuis|jusqu'à|jusqu’à|d'ici|d’ici|avant|après|dans la nuit de|la nuit de)\s+)?",
    month_lead=r"(?i:en|fin|début|mi-|courant|depuis|jusqu'en|jusqu’en|d'ici|d’ici|avant|après)",
    year_lead=r"(?i:en|depuis|jusqu'en|jusqu’en|d'ici|d’ici|avant|après|dès|fin|début)",
    calendar=(r"{day}\s+{month}(?:\s+{year})?",),
    weekday_tail=r"(?:\s+(?:matin|midi|après-midi|soir|dernier|prochain))?",
    relative=(
        r"(?:hier|aujourd'hui|aujourd’hui|demain|avant-hier|après-demain|Hier|Aujourd'hui|Aujourd’hui"
        r"|Demain)(?:\s+(?:matin|midi|après-midi|soir))?",
        r"(?i:cette)\s+semaine|(?i:la)\s+(?:semaine|nuit)\s+(?:dernière|prochaine|passée)",
        r"(?i:ce)\s+(?:mois(?:-ci)?|week-end)|(?i:le)\s+(?:mois|week-end)\s+(?:dernier|prochain)",
        r"(?i:l'an|l’an|l'année|l’année)\s+(?:dernière?|prochaine?|passée)|(?i:cette)\s+année",
        r"(?i:dans les)\s+(?:prochains jours|prochaines semaines|prochains mois|prochaines années)",
        r"(?i:d'ici|d’ici)\s+(?:quelques|la fin de la)\s+(?:jours|semaines|mois|semaine|année)",
        r"(?:(?i:à|vers|jusqu'à|jusqu’à)\s+)?minuit",
    ),
    # "à 14 heures", "14 h 30", "14h30"; not "pendant 3 heures" (a duration).
    clock=r"(?i:à|vers|dès|jusqu'à|jusqu’à)\s+\d{1,2}\s?h(?:eures?)?(?:\s?\d{2})?(?!\w)"
    r"|\d{1,2}\s?h\s?\d{2}(?!\w)",
    compared=r"(?i:que|par rapport à|comparé à|comparée à)\s+$",
)

_ES = Words(
    weekday="|".join(rules.WEEKDAYS_IN["es"]),
    month=r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre"
    r"|diciembre",
    day=r"\d{1,2}",
    lead=r"(?:(?i:el|este|desde el|hasta el|para el|antes del|después del|la noche del|la madrugada del)"
    r"\s+(?:(?:próximo|pasado)\s+)?)?",
    month_lead=r"(?i:en|desde|hasta|para|a finales de|a principios de|a mediados de|antes de|después de"
    r"|finales de|principios de|mediados de)",
    year_lead=r"(?i:en|desde|hasta|para|antes de|después de|a finales de|a principios de|en el año)",
    calendar=(r"{day}\s+de\s+{month}(?:\s+de(?:l)?\s+{year})?",),
    month_year=r"\s+de(?:l)?\s+",
    weekday_tail=r"(?:\s+(?:por la (?:mañana|tarde|noche)|pasado|próximo|que viene))?",
    relative=(
        r"(?:ayer|hoy|anteayer|anoche|Ayer|Hoy|Anteayer|Anoche)"
        r"(?:\s+por la\s+(?:mañana|tarde|noche))?",
        # "mañana" is tomorrow, "esta mañana" this morning; "la mañana" alone is neither.
        r"(?i:esta)\s+(?:mañana|tarde|noche)|(?<!la )(?<!La )\bmañana(?:\s+por la\s+(?:mañana|tarde|noche))?",
        r"(?i:pasado)\s+mañana",
        r"(?i:esta)\s+semana|(?i:la)\s+semana\s+(?:pasada|próxima|que viene)|(?i:la)\s+próxima\s+semana",
        r"(?i:este)\s+(?:mes|año|fin de semana)|(?i:el)\s+próximo\s+(?:mes|año)"
        r"|(?i:el)\s+(?:mes|año|fin de semana)\s+(?:pasado|próximo|que viene)",
        r"(?i:en los)\s+próximos\s+(?:días|meses|años)|(?i:en las)\s+próximas\s+(?:horas|semanas)",
        r"(?:(?i:a|hasta)\s+)?(?:la\s+)?medianoche",
    ),
    # "a las 6.30", "a las 8 de la mañana", "14:30 horas"; "frente a las 31 de la edición" is a count,
    # so "a las" and an hour alone are not enough.
    clock=r"(?i:a las|hacia las|desde las|hasta las)\s+(?:[01]?\d|2[0-4])"
    r"(?:[:.]\d{2}(?:\s+(?:horas|h))?(?:\s+de la\s+(?:mañana|tarde|noche))?|\s+(?:horas|h)(?!\w)"
    r"|\s+de la\s+(?:mañana|tarde|noche))|(?:[01]?\d|2[0-4])[:.]\d{2}\s+(?:horas|h)(?!\w)",
    compared=r"(?i:que|frente a|respecto a|respecto al|comparado con)\s+$",
)

LANGUAGES: dict[str, Words] = {"de": _DE, "fr": _FR, "es": _ES}


_COUNTED = (
    r"(?!\s*(?:%|€|\$|[Ee]uros?|[Dd]ollars?|[Dd]ólares|Prozent|pour cent|por ciento|Menschen|Personen"
    r"|Einwohner|personnes|habitants|personas|habitantes))"
)
"""After a year: a number of these is a count ("bis 2000 Euro", "en 2000 personnes"), not a year."""
_PERIOD = re.compile(r"(?i)jahr|woche|monat|année|\ban\b|semaine|mois|año|semana|\bmes\b")
"""A relative period, the only kind a comparison before it turns into a baseline."""


def _pattern(w: Words) -> re.Pattern[str]:
    month = f"(?:{w.month})"
    calendar = [c.format(day=w.day, month=month, year=_YEAR) for c in w.calendar]
    weekday = rf"(?:{w.weekday})"
    cores = [
        *(rf"{w.lead}(?:{weekday},?\s+)?(?:{c})" for c in calendar),
        rf"{w.lead}{weekday}{w.weekday_tail}",
        rf"(?:{w.month_lead})\s+{month}(?:{w.month_year}{_YEAR})?",
        rf"{month}{w.month_year}{_YEAR}",
        rf"(?:{w.year_lead})\s+{_YEAR}{_COUNTED}",
        *w.relative,
        w.clock,
    ]
    return re.compile(rf"(?<![\w$€£])(?:{'|'.join(f'(?:{c})' for c in cores)})(?![\w])")


PATTERNS = {code: _pattern(w) for code, w in LANGUAGES.items()}
_COMPARED = {code: re.compile(w.compared) for code, w in LANGUAGES.items()}
_MERGE_GAP = re.compile(r"^(?:,\s*|\s+)$")


def expressions(text: str, lang: str) -> list[tuple[int, int]]:
    """Spans of the date expressions in ``text``, for ``lang`` in ``LANGUAGES``."""
    found = (
        m.span()
        for m in PATTERNS[lang].finditer(text)
        if not (_PERIOD.search(m.group()) and _COMPARED[lang].search(text[: m.start()]))
    )
    return merged(text, found)


def merged(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` (in order) with neighbours only a comma or a space apart joined into one expression
    ("Dienstag, 3. Dezember", "Tuesday, March 4")."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and _MERGE_GAP.match(text[out[-1][1] : start]):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out
