"""Open questions from German, French and Spanish articles (issue 12: beyond English): each rule of
summarizer.offline.questions_intl gives a grammatical question in the article's language, qcheck
checks them, English output is unchanged, and limits() stops calling open questions English-only
for these languages. Sentences written for these tests."""

from __future__ import annotations

import pytest

from summarizer.article import Article
from summarizer.offline import ENGINE_VERSION, limits, summarize_offline
from summarizer.offline.qcheck import check_question
from summarizer.offline.questions import find_questions
from summarizer.offline.text import parse

_LEADS = {
    "de": "Nach dem Sturm sind die Aufräumarbeiten in der Stadt am Dienstag angelaufen.",
    "fr": "Après la tempête, les travaux de nettoyage ont commencé mardi dans la ville.",
    "es": "Tras la tormenta, los trabajos de limpieza comenzaron el martes en la ciudad.",
}


def _questions(lang: str, sentence: str, *, declared: bool = True) -> list[tuple[str, str, str]]:
    text = "\n\n".join(["Lanmere", _LEADS[lang], sentence])
    article = Article("inline", 0, "Lanmere", text, language=lang if declared else None)
    return [(q.question, q.kind.value, q.why_open) for q in summarize_offline(article).open_questions]


CASES = [
    # German: not said, unclear (both orders), no decision, declined to comment
    ("de", "Die Stadtwerke haben noch nicht mitgeteilt, wann die Leitung repariert sein wird.",
     "Wann wird die Leitung repariert sein?", "timing_unset"),
    ("de", "Es ist noch unklar, wer die Kosten für die Reparatur trägt.",
     "Wer trägt die Kosten für die Reparatur?", "outcome_unknown"),
    ("de", "Ob die Fähre am Wochenende fahren kann, ist weiterhin offen.",
     "Kann die Fähre am Wochenende fahren?", "outcome_unknown"),
    ("de", "Unklar ist noch, wann das Konzert stattfindet.",
     "Ist bekannt, wann das Konzert stattfindet?", "timing_unset"),
    ("de", "Der Gemeinderat hat noch nicht entschieden, ob das Freibad im Juni öffnen darf.",
     "Darf das Freibad im Juni öffnen?", "decision_pending"),
    ("de", "Über die Zukunft der alten Brücke ist noch nicht entschieden.",
     "Wann wird über die Zukunft der alten Brücke entschieden?", "decision_pending"),
    ("de", "Die Betreiberfirma wollte sich zu den Vorwürfen nicht äußern.",
     "Was sagt die Betreiberfirma zu den Vorwürfen?", "missing_perspective"),
    ("de", "Die Stadtwerke wollten sich dazu nicht äußern.",
     "Was sagen die Stadtwerke dazu?", "missing_perspective"),
    # French
    ("fr", "La mairie n'a pas encore précisé quand les travaux reprendront.",
     "Quand est-ce que les travaux reprendront ?", "timing_unset"),
    ("fr", "On ignore encore qui paiera la facture des réparations.",
     "Qui paiera la facture des réparations ?", "outcome_unknown"),
    ("fr", "Il n'est pas encore clair comment la ville financera le nouveau pont.",
     "Comment est-ce que la ville financera le nouveau pont ?", "outcome_unknown"),
    ("fr", "Il n'a pas encore été décidé si l'école rouvrira lundi.",
     "Est-ce que l'école rouvrira lundi ?", "decision_pending"),
    ("fr", "Aucune décision n'a encore été prise concernant la piscine municipale.",
     "Quand une décision sera-t-elle prise concernant la piscine municipale ?", "decision_pending"),
    ("fr", "Le maire n'a pas souhaité commenter ces informations.",
     "Quelle est la position du maire ?", "missing_perspective"),
    # Spanish
    ("es", "El ayuntamiento no ha dicho cuándo se reanudarán las obras del puente.",
     "¿Cuándo se reanudarán las obras del puente?", "timing_unset"),
    ("es", "No está claro quién pagará la reparación de la carretera.",
     "¿Quién pagará la reparación de la carretera?", "outcome_unknown"),
    ("es", "Se desconoce cómo se financiará el nuevo hospital.",
     "¿Cómo se financiará el nuevo hospital?", "outcome_unknown"),
    ("es", "Aún no se ha decidido si las escuelas reabrirán el lunes.",
     "¿Las escuelas reabrirán el lunes?", "decision_pending"),
    ("es", "Todavía se desconocen las causas del incendio en el mercado.",
     "¿Cuáles son las causas del incendio en el mercado?", "unclear_cause"),
    ("es", "La empresa constructora no quiso hacer comentarios.",
     "¿Qué dice la empresa constructora al respecto?", "missing_perspective"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "sentence", "question", "kind"), CASES)
def test_each_rule_asks_in_the_articles_language(lang: str, sentence: str, question: str, kind: str) -> None:
    [(q, k, why)] = _questions(lang, sentence)
    assert (q, k) == (question, kind)
    assert check_question(q, k, lang=lang) == [] and check_question(q, k) == []  # told by its form too
    assert why and "article" not in why.lower().split()  # the reason is in the article's language


@pytest.mark.parametrize(("lang", "sentence", "question", "kind"), CASES[::4])
def test_the_language_is_detected_when_the_article_does_not_say(
    lang: str, sentence: str, question: str, kind: str
) -> None:
    lead = _LEADS[lang]
    text = "\n\n".join(["Lanmere", lead, sentence, lead.replace("Dienstag", "Mittwoch")])
    found = summarize_offline(Article("inline", 0, "Lanmere", text)).open_questions
    assert [q.question for q in found] == [question]


def test_the_evidence_is_the_articles_own_sentence() -> None:
    sentence = "Die Stadtwerke haben noch nicht mitgeteilt, wann die Leitung repariert sein wird."
    text = "\n\n".join(["Lanmere", _LEADS["de"], sentence])
    [q] = summarize_offline(Article("inline", 0, "Lanmere", text, language="de")).open_questions
    assert [e.quote for e in q.evidence] == [sentence]


def test_a_statement_is_not_a_question() -> None:
    assert _questions("es", "El alcalde no ha dicho que las obras vayan a retrasarse.") == []
    assert _questions("de", "Die Stadt hat mitgeteilt, dass die Leitung repariert ist.") == []
    assert _questions("fr", "Le maire a précisé que les travaux reprendront lundi.") == []
    assert _questions("es", "El alcalde quiso hacer comentarios sobre las obras.") == []


@pytest.mark.parametrize(
    ("question", "lang", "fault"),
    [
        ("Cuándo se reanudarán las obras?", "es", "opens with '¿'"),
        ("¿cuándo se reanudarán las obras?", "es", "lower-case"),
        ("Wann die Leitung repariert sein wird?", "de", "second place"),
        ("Was sagt die die Stadt dazu?", "de", "repeated word"),
        ("Wer trägt die Kosten und?", "de", "dangling"),
        ("Quand est-ce que elle rouvrira ?", "fr", "elided"),
        ("Qui paiera la facture", "fr", "question mark"),
        ("Qu'est-ce que nous ferons ?", "fr", "first person"),
    ],
)
def test_qcheck_flags_malformed_questions_in_these_languages(question: str, lang: str, fault: str) -> None:
    faults = check_question(question, lang=lang)
    assert any(fault in f for f in faults), faults
    assert check_question(question) == faults  # the same verdict when the language is told by the form


ENGLISH = (
    "Lanmere news\n\n"
    "The harbour board has not said when the ferry ramp will reopen. "
    "It is still unclear who will pay for the repairs.\n\n"
    "The operator declined to comment on the closure, according to a person familiar with the matter."
)


def test_english_output_is_unchanged() -> None:
    doc = parse(ENGLISH)
    assert find_questions(doc) == find_questions(doc, lang="en") == find_questions(doc, lang="it")
    summary = summarize_offline(Article("inline", 0, "Lanmere news", ENGLISH))
    assert [(q.question, q.kind.value) for q in summary.open_questions] == [
        ("When will the ferry ramp reopen?", "timing_unset"),
        ("Is it known who will pay for the repairs?", "outcome_unknown"),
        ("What does the operator say about the closure?", "missing_perspective"),
        ("Is it confirmed that the operator declined to comment on the closure?", "unattributed_claim"),
    ]
    for q in ("Was the ramp closed?", "When will the ramp reopen?", "When will reopen?"):
        assert check_question(q) == check_question(q, lang="en")
    # English wording in an article declared German is not read by the English rules.
    assert summarize_offline(Article("inline", 0, "x", ENGLISH, language="de")).open_questions == []


def test_the_note_no_longer_calls_open_questions_english_only_for_these_languages() -> None:
    for lang, name in (("de", "German"), ("fr", "French"), ("es", "Spanish")):
        [note] = limits(Article("inline", 0, "x", _LEADS[lang], language=lang))
        assert f"{name} ({lang})" in note
        assert f"who said what, names, dates and open questions in {name} from common {name} wordings" in note
        assert "written for English" not in note
    [note] = limits(Article("inline", 0, "x", "Guasto all'acquedotto", language="it"))
    assert "rules for open questions, who said what and dates are written for English" in note
    assert limits(Article("inline", 0, "x", ENGLISH, language="en")) == []
    assert ENGINE_VERSION == "6"


def test_a_clause_cut_short_by_a_relative_clause_gives_no_question() -> None:
    assert _questions("de", "Unklar ist, wann die Firma, die das Werk betreibt, den Betrieb aufnimmt.") == []
    assert _questions("fr", "On ignore quand les travaux, qui ont été suspendus, reprendront.") == []
    assert _questions("es", "No está claro cuándo las obras, que fueron suspendidas, se reanudarán.") == []
