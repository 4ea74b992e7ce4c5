"""Dates in German, French and Spanish articles (summarizer.offline.dates_intl): the expressions
found as written, the words that look like dates but are not, grounded evidence, English unchanged.
Sentences written for these tests."""

from __future__ import annotations

import pytest

from summarizer.article import Article
from summarizer.offline import summarize_offline
from summarizer.offline.dates import find_dates
from summarizer.offline.dates_intl import expressions
from summarizer.offline.text import parse

from .conftest import CORPUS

FOUND = [
    ("de", "Die Brücke wurde am Dienstag, 3. Dezember 2026, gesperrt.", ["am Dienstag, 3. Dezember 2026"]),
    ("de", "Am späten Mittwochabend löste sich der Hang.", ["Am späten Mittwochabend"]),
    ("de", "Das Feuer brach in der Nacht auf Sonntag aus.", ["in der Nacht auf Sonntag"]),
    ("de", "Die Arbeiten beginnen Ende Oktober und dauern bis 2030.", ["Ende Oktober", "bis 2030"]),
    ("de", "Die Straße werde morgen früh wieder geöffnet, hieß es.", ["morgen früh"]),
    ("de", "Heute Morgen um 6.30 Uhr fuhr der erste Zug.", ["Heute Morgen um 6.30 Uhr"]),
    ("de", "Die Sperrung gilt seit dem 03.12.2026.", ["03.12.2026"]),
    ("de", "In den kommenden Wochen soll ein Gutachten vorliegen.", ["In den kommenden Wochen"]),
    (
        "de",
        "Die Messe findet nächste Woche statt, wie im vergangenen Jahr.",
        ["nächste Woche", "im vergangenen Jahr"],
    ),
    ("de", "Als am Montag der Zug ausfiel, warteten viele.", ["am Montag"]),  # "als" = when
    ("fr", "Le pont a été fermé mardi soir, le 3 décembre 2026.", ["mardi soir, le 3 décembre 2026"]),
    (
        "fr",
        "Les travaux commenceront fin octobre et dureront jusqu’en 2030.",
        ["fin octobre", "jusqu’en 2030"],
    ),
    ("fr", "Le premier train partira demain matin à 6 h 30.", ["demain matin à 6 h 30"]),
    (
        "fr",
        "La réunion aura lieu la semaine prochaine, vers 14 heures.",
        ["la semaine prochaine, vers 14 heures"],
    ),
    ("fr", "Depuis 2019, elle dirige la mairie.", ["Depuis 2019"]),
    ("fr", "Le chantier a pris du retard la semaine dernière.", ["la semaine dernière"]),
    ("fr", "Les loyers augmenteront ce mois-ci.", ["ce mois-ci"]),
    ("es", "El puente se cerró el martes por la noche.", ["el martes por la noche"]),
    ("es", "Ocurrió el 3 de diciembre de 2026 en el valle.", ["el 3 de diciembre de 2026"]),
    (
        "es",
        "Las obras empezarán a finales de octubre y durarán hasta 2030.",
        ["a finales de octubre", "hasta 2030"],
    ),
    ("es", "El primer tren saldrá mañana a las 6.30 de la mañana.", ["mañana a las 6.30 de la mañana"]),
    ("es", "Esta mañana llovió y la reunión será la próxima semana.", ["Esta mañana", "la próxima semana"]),
    ("es", "La asamblea empezó a las 8 de la tarde.", ["a las 8 de la tarde"]),
    (
        "es",
        "La obra durará hasta marzo de 2026 y se revisará en enero del 2027.",
        ["hasta marzo de 2026", "en enero del 2027"],
    ),
    ("es", "La reunión será el próximo lunes.", ["el próximo lunes"]),
    (
        "de",
        "Die Sitzung ist am kommenden Dienstag, nicht nächsten Montag.",
        ["am kommenden Dienstag", "nächsten Montag"],
    ),
    ("es", "El corte terminó a las 14.30 horas.", ["a las 14.30 horas"]),
]


@pytest.mark.parametrize(("lang", "sentence", "expected"), FOUND)
def test_date_expressions_are_found_as_written(lang: str, sentence: str, expected: list[str]) -> None:
    assert [sentence[a:b] for a, b in expressions(sentence, lang)] == expected


NOT_DATES = [
    ("de", "Am Morgen war es noch kalt."),  # the morning, not tomorrow
    ("de", "Vor 2000 Zuschauern spielte die Kapelle."),  # a crowd
    ("de", "Die Reparatur kostet bis 2000 Euro."),  # an amount
    ("de", "Das waren mehr Fahrgäste als letzte Woche."),  # a comparison
    ("de", "Die Familie Mai wohnt am Hang."),  # a name, no preposition
    ("de", "Der Bus fährt dreimal pro Woche und kostet 10.000 Euro im Jahr."),  # rates
    ("fr", "La ville teste la semaine de quatre jours et le mois sans voiture."),
    ("es", "Fue el año de la pandemia y la semana laboral se acortó."),
    ("fr", "Il a marché pendant 3 heures."),  # a duration
    ("fr", "C’est plus que l’an dernier."),
    ("fr", "La salle accueille en 2000 personnes."),
    ("es", "Por la mañana hacía frío."),  # a day part, not tomorrow
    ("es", "Es más que el año pasado."),
    ("es", "La planta emplea a 2000 personas."),
    ("es", "Habrá 40 casetas, frente a las 31 de la edición anterior."),  # a count after "a las"
]


@pytest.mark.parametrize(("lang", "sentence"), NOT_DATES)
def test_words_that_only_look_like_dates_are_left_out(lang: str, sentence: str) -> None:
    assert expressions(sentence, lang) == []


def test_a_german_article_gets_its_dates_with_grounded_evidence() -> None:
    text = "\n\n".join(
        [
            "Felssturz in Lanmere",
            "LANMERE – Ein Felssturz hat am späten Mittwochabend die Landesstraße bei Lanmere verschüttet.",
            "Die Straße bleibt nach Angaben der Gemeinde bis Ende Dezember gesperrt.",
            "Ein Geologe soll den Hang am Freitag untersuchen.",
        ]
    )
    summary = summarize_offline(Article("inline", 0, "Felssturz in Lanmere", text, language="de"))
    assert [d.when for d in summary.dates] == ["am späten Mittwochabend", "bis Ende Dezember", "am Freitag"]
    for d in summary.dates:
        assert d.when in d.evidence[0].quote and d.evidence[0].quote in text
    assert summary.dates[2].event.startswith("Ein Geologe soll den Hang")


def test_english_and_other_languages_keep_the_english_rules() -> None:
    italian = "Strada chiusa\n\nLa strada è stata chiusa martedì. The mayor spoke on Tuesday."
    assert [d.when for d in find_dates(parse(italian), lang="it")] == ["on Tuesday"]
    for path in sorted(CORPUS.rglob("*.txt")):
        doc = parse(path.read_text(encoding="utf-8", errors="replace"))
        assert find_dates(doc, lang="en") == find_dates(doc)


def test_a_german_ordinal_date_stays_in_its_sentence_through_the_engine() -> None:
    text = "\n\n".join(
        [
            "Versammlung in Lanmere",
            "Am 3. Dezember soll in Lanmere eine Bürgerversammlung zum Felssturz stattfinden.",
            "Die Gemeinde will dort das Gutachten vorstellen, das am 28. November fertig wurde.",
        ]
    )
    summary = summarize_offline(Article("inline", 0, "Versammlung in Lanmere", text, language="de"))
    assert [d.when for d in summary.dates] == ["Am 3. Dezember", "am 28. November"]
    quotes = [ev.quote for kp in summary.key_points for ev in kp.evidence]
    assert quotes[0].startswith("Am 3. Dezember soll") and any(q.endswith("fertig wurde.") for q in quotes)


@pytest.mark.parametrize(
    ("lang", "sentence", "event"),
    [
        (
            "fr",
            "MARSEILLE, 4 mars (AFP) - Un incendie a détruit lundi un entrepôt du port.",
            "Un incendie a détruit",
        ),
        (
            "de",
            "MÜNCHEN (dpa) - Ein Brand hat am Montag ein Lager im Norden der Stadt zerstört.",
            "Ein Brand hat",
        ),
        (
            "en",
            "HALLAM, March 4 (TNS) - Ferry sailings were suspended on Tuesday after a storm.",
            "Ferry sailings",
        ),
    ],
)
def test_a_dateline_is_not_part_of_a_dates_event(lang: str, sentence: str, event: str) -> None:
    dates = find_dates(parse("Titel\n\n" + sentence), lang=lang)
    assert dates and all(d.event.startswith(event) for d in dates)
