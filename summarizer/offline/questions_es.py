"""Open-question rules for Spanish news wording (see ``questions_intl``)."""

from __future__ import annotations

import re

from summarizer.offline import hedges as h
from summarizer.offline import intl_base as b
from summarizer.offline import phrasing as ph

_ES_WH = r"(?P<wh>cuándo|cómo|quién(?:es)?|qué|por\s+qué|dónde|cuánt[oa]s?(?:\s+\w+)?|cuál(?:es)?|si|cuando)"
_ES_CANON = {"cuándo": "when", "cuando": "when", "por qué": "why", "si": "whether"}
_ES_ARTICLES = frozenset(
    ["el", "la", "los", "las", "un", "una", "unos", "unas", "este", "esta", "estos", "estas", "su", "sus"]
)
_ES_COMMENT = r"(?:hacer\s+)?(?:comentarios|comentar|pronunciarse|hacer\s+declaraciones|valorar)"
_ES_STILL = r"(?:\s+(?:aún|todavía|por\s+ahora|por\s+el\s+momento|hasta\s+ahora))*"


def _es_question(wh: str, clause: str) -> str:
    """ "cuándo", "se reanudarán las obras" -> "¿Cuándo se reanudarán las obras?": a Spanish
    indirect question already has the word order of the direct one."""
    text = ph.clean(clause)
    w = " ".join(wh.lower().split())
    if w == "si":
        return f"¿{text[:1].upper()}{text[1:]}?"
    w = "cuándo" if w == "cuando" else w
    return f"¿{w[:1].upper()}{w[1:]} {text}?"


def _es_canon(wh: str) -> str:
    return _ES_CANON.get(" ".join(wh.lower().split()), "what")


es_not_said = b.wh_rule(
    _es_canon, _es_question, "decision_pending", "Según el artículo, aún no se ha precisado."
)


es_unclear = b.wh_rule(_es_canon, _es_question, "outcome_unknown", "Según el artículo, aún no está claro.")


es_decision = b.wh_rule(
    _es_canon,
    _es_question,
    "decision_pending",
    "Según el artículo, aún no se ha tomado una decisión.",
    decision=True,
)


def es_cause(m: re.Match[str], c: h.Ctx) -> h.Built:
    what = ph.clean(m["what"])
    plural = what.lower().startswith("las ")
    q = f"¿{'Cuáles son' if plural else 'Cuál es'} {what[:1].lower()}{what[1:]}?"
    return "unclear_cause", q, "Según el artículo, aún se desconoce la causa."


def es_no_comment(m: re.Match[str], c: h.Ctx) -> h.Built:
    subject = b.subject(
        c, m.start(), _ES_ARTICLES, frozenset(["él", "ella", "ellos", "ellas", "yo", "nosotros"])
    )
    if subject is None:
        return None
    verb = m["verb"].lower()
    plural = verb.endswith(("ron", "an")) or verb.startswith("han")
    q = f"¿Qué {'dicen' if plural else 'dice'} {subject} al respecto?"
    return "missing_perspective", q, "Esa parte no quiso pronunciarse; falta su punto de vista."


_SAID = (
    r"(?:dicho|decir|dijo|dijeron|precisado|precisar|precisó|precisaron|aclarado|aclarar|aclaró|explicado|"
    r"explicar|explicó|informado|informó|indicado|indicó|revelado|detallado|detallar|detalló|especificado|"
    r"especificar|especificó|comunicado)"
)
_UNCLEAR = (
    r"(?:no\s+(?:está|estaba|queda|es)(?:\s+aún|\s+todavía)?\s+claro|(?:se\s+)?desconocen?|se\s+ignora|"
    r"no\s+se\s+sabe|nadie\s+sabe|está\s+por\s+ver(?:se)?|queda\s+por\s+(?:ver|saber|determinar))"
)
_DECIDED = r"(?:decidido|determinado|resuelto|definido)"
_WH_CLAUSE = r"\s*,?\s*" + _ES_WH + r"\s+" + b.CLAUSE
RULES: b.Rules = [
    (b.rx(r"\b(?:no|sin)\s+(?:(?:ha|han|había|habían)\s+)?(?:querido\s+)?", _SAID, _ES_STILL, _WH_CLAUSE),
     es_not_said, "explicit"),
    (b.rx(r"\b", _UNCLEAR, _ES_STILL, _WH_CLAUSE), es_unclear, "explicit"),
    (b.rx(r"\bno\s+se\s+(?:ha|había)\s+", _DECIDED, _ES_STILL, _WH_CLAUSE), es_decision, "explicit"),
    (b.rx(r"\bno\s+(?:ha|han|había|habían)\s+", _DECIDED, _ES_STILL, _WH_CLAUSE), es_decision, "explicit"),
    (b.rx(r"\bse\s+desconocen?", _ES_STILL,
         r"\s+(?P<what>(?:la|las)\s+causas?\s+(?:del?|de\s+la)\s+[^,;:.]+)"), es_cause, "explicit"),
    (b.rx(r"\s+(?:no\s+(?P<verb>quiso|quisieron|ha\s+querido|han\s+querido))\s+", _ES_COMMENT),
     es_no_comment, "explicit"),
    (b.rx(r"\s+(?P<verb>declinó|declinaron|rehusó|rehusaron)\s+", _ES_COMMENT), es_no_comment, "explicit"),
    (b.rx(r"\s+no\s+(?P<verb>respondió|respondieron|ha\s+respondido|han\s+respondido|contestó|contestaron)\s+"
         r"(?:a\s+)?(?:las\s+|la\s+)?(?:preguntas|consultas|solicitudes|solicitud|petición|llamadas)"),
     es_no_comment, "explicit"),
]  # fmt: skip
