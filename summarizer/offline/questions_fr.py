"""Open-question rules for French news wording (see ``questions_intl``)."""

from __future__ import annotations

import re

from summarizer.offline import hedges as h
from summarizer.offline import intl_base as b
from summarizer.offline import phrasing as ph

_FR_WH = (
    r"(?P<wh>quand|comment|pourquoi|où|combien(?:\s+de\s+\w+|\s+d['’]\w+)?|qui|si|s['’]ils?|ce\s+que|ce\s+qu['’]|"
    r"ce\s+qui|quel(?:le)?s?\s+\w+)"
)
_FR_CANON = {"quand": "when", "pourquoi": "why", "si": "whether", "s'il": "whether", "s'ils": "whether"}
_FR_SUBJECT = re.compile(
    r"^(?:le|la|les|l['’]|un|une|des|du|il|ils|elle|elles|on|ce|cet|cette|ces|son|sa|ses|leur|leurs|"
    r"nous|vous|[A-ZÀ-Ý])",
)
_FR_ARTICLES = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "l'",
        "l’",
        "ce",
        "cette",
        "ces",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
    ]
)


def _que(rest: str) -> str:
    """ "que" elided before a vowel ("est-ce qu'il", "est-ce qu'un")."""
    return f"qu'{rest}" if re.match(r"[aeiouyàâéèêîôû]", rest, re.IGNORECASE) else f"que {rest}"


def _fr_question(wh: str, clause: str) -> str:
    """ "quand", "les travaux reprendront" -> "Quand est-ce que les travaux reprendront ?"; a clause
    that already inverts ("quand reprendront les travaux") is kept as it is."""
    text = ph.clean(clause)
    w = " ".join(wh.lower().replace("’", "'").split())
    if w in {"si", "s'il", "s'ils"}:
        rest = text if w == "si" else f"{w[2:]} {text}"
        return f"Est-ce {_que(rest)} ?"
    if w in {"ce que", "ce qu'"}:
        return f"Qu'est-ce {_que(text)} ?"
    if w == "ce qui":
        return f"Qu'est-ce qui {text} ?"
    if w == "qui" or w.startswith(("quel", "combien")) or not _FR_SUBJECT.match(text):
        return f"{w[:1].upper()}{w[1:]} {text} ?"
    return f"{w[:1].upper()}{w[1:]} est-ce {_que(text)} ?"


def _fr_canon(wh: str) -> str:
    return _FR_CANON.get(" ".join(wh.lower().replace("’", "'").split()), "what")


fr_not_said = b.wh_rule(
    _fr_canon, _fr_question, "decision_pending", "Selon l'article, cela n'a pas encore été précisé."
)


fr_unclear = b.wh_rule(_fr_canon, _fr_question, "outcome_unknown", "Selon l'article, cela reste incertain.")


fr_decision = b.wh_rule(
    _fr_canon, _fr_question, "decision_pending", "Selon l'article, rien n'a encore été décidé.", decision=True
)


def fr_decision_on(m: re.Match[str], c: h.Ctx) -> h.Built:
    q = f"Quand une décision sera-t-elle prise {m['prep'].lower()} {ph.clean(m['what'])} ?"
    return "decision_pending", q, "Selon l'article, aucune décision n'a encore été prise."


def _de_fr(np: str) -> str:
    """ "le maire" -> "du maire", "les élus" -> "des élus", "un porte-parole" -> "d'un porte-parole"."""
    if np.startswith("le "):
        return "du " + np[3:]
    if np.startswith("les "):
        return "des " + np[4:]
    return f"d'{np}" if re.match(r"[aeiouyàâéèêîôûh]", np, re.IGNORECASE) else f"de {np}"


def fr_no_comment(m: re.Match[str], c: h.Ctx) -> h.Built:
    subject = b.subject(
        c, m.start(), _FR_ARTICLES, frozenset(["il", "ils", "elle", "elles", "on", "je", "nous"])
    )
    if subject is None:
        return None
    q = f"Quelle est la position {_de_fr(subject)} ?"
    return "missing_perspective", q, "Cette partie ne s'est pas exprimée ; son point de vue manque."


_FR_STILL = r"(?:\s+(?:encore|toujours|pour l['’]instant|pour le moment|à ce stade))*"
_SAID = (
    r"(?:dit|dire|précisé|préciser|indiqué|indiquer|annoncé|annoncer|révélé|révéler|communiqué|expliqué|"
    r"expliquer|fait\s+savoir|détaillé|détailler)"
)
_NOT_SAID = (
    r"\b(?:n['’](?:a|ont|avait|avaient)|ne\s+(?:veut|voulait)|sans)\s+(?:pas\s+|toujours\s+pas\s+|jamais\s+)?"
    r"(?:encore\s+)?(?:voulu\s+|souhaité\s+|en\s+)?"
)
_UNCLEAR = (
    r"\b(?:on\s+ignore|on\s+ne\s+sait\s+pas|personne\s+ne\s+sait|nul\s+ne\s+sait|on\s+ne\s+connaît\s+pas|"
    r"reste\s+à\s+(?:savoir|déterminer|préciser)|il\s+n['’]est\s+pas(?:\s+encore|\s+toujours)?\s+"
    r"(?:clair|certain|établi|connu)|rien\s+ne\s+dit|l['’]incertitude\s+(?:demeure|persiste)\s+sur)"
)
_DECIDED = (
    r"\bn['’](?:a|ont|est|était)\s+(?:pas|toujours\s+pas)(?:\s+encore)?(?:\s+été)?\s+"
    r"(?:décidée?s?|tranchée?s?|arrêtée?s?|déterminée?s?)"
)
_HAS_NOT = r"\s+n['’](?:a|ont|avait|avaient)\s+pas\s+"
_WH_CLAUSE = r"\s*,?\s*" + _FR_WH + r"\s*" + b.CLAUSE
RULES: b.Rules = [
    (b.rx(_NOT_SAID, _SAID, _FR_STILL, _WH_CLAUSE), fr_not_said, "explicit"),
    (b.rx(_UNCLEAR, _FR_STILL, _WH_CLAUSE), fr_unclear, "explicit"),
    (b.rx(_DECIDED, _FR_STILL, _WH_CLAUSE), fr_decision, "explicit"),
    (b.rx(r"\baucune\s+décision\s+n['’](?:a|avait)\s+(?:encore\s+)?été\s+prise", _FR_STILL,
         r"\s+(?P<prep>sur|concernant|quant\s+à)\s+(?P<what>[^,;:.]+)"), fr_decision_on, "explicit"),
    (b.rx(_HAS_NOT, r"(?:souhaité|voulu|désiré)\s+(?:faire\s+de\s+)?"
         r"(?:commenter|s['’]exprimer|répondre|réagir|commentaire)"), fr_no_comment, "explicit"),
    (b.rx(_HAS_NOT, r"(?:encore\s+)?répondu\s+(?:à\s+nos|aux)\s+(?:sollicitations|questions|demandes)"),
     fr_no_comment, "explicit"),
    (b.rx(r"\s+(?:s['’]est|se\s+sont)\s+refusée?s?\s+à\s+tout\s+commentaire"), fr_no_comment, "explicit"),
]  # fmt: skip
