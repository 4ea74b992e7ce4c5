"""Spanish attribution wording (see ``statements_intl``)."""

from __future__ import annotations

import re

from summarizer.offline.statements_intl import Wording
from summarizer.offline.text import QUOTE_PAIRS, wordset

# Preterite and present forms (singular and plural) and the perfect "ha dicho", the commonest
# reporting verbs of Spanish news.
_VERB = (
    r"(?:dijo|dijeron|afirmó|afirmaron|declaró|declararon|explicó|explicaron|señaló|señalaron|aseguró|"
    r"aseguraron|añadió|añadieron|indicó|indicaron|manifestó|subrayó|contó|contaron|agregó|apuntó|advirtió|"
    r"comentó|precisó|insistió|reconoció|destacó|sostuvo|dice|dicen|afirma|afirman|explica|explican|asegura|"
    r"aseguran|señala|señalan|añade|cuenta|cuentan|indica|comenta|insiste|sostiene|"
    r"(?:ha|han)(?:\s+[^\s,]+)?\s+(?:dicho|afirmado|declarado|explicado|señalado|asegurado|indicado|"
    r"añadido|advertido|subrayado|reconocido))"
)
_DAY = r"(?:lunes|martes|miércoles|jueves|viernes|sábado|domingo)"
_ANNOUNCE = r"(?:anunció|anunciaron|informó|informaron|confirmó|confirmaron|publicó|comunicó)"

WORDING = Wording(
    quotes=QUOTE_PAIRS["es"],
    tail=re.compile(rf"(?P<pre>[,»”\"])\s*(?P<verb>{_VERB})\s+(?P<speaker>[^,;:«»“”\"]+)"),
    lead=re.compile(
        rf"\b(?P<verb>{_VERB})(?P<gap>(?:\s+[^\s,:]+){{0,5}}?)(?:\s+que\s+|\s*:\s*)(?P<claim>\S.*)"
    ),
    # "según X", and "según informó el lunes X": the verb and its day are not the speaker.
    source=re.compile(
        rf"\b(?:[Ss]egún|[Dd]e\s+acuerdo\s+con)\s+(?:(?:{_VERB}|{_ANNOUNCE})"
        rf"(?:\s+(?:el|este)\s+{_DAY}|\s+ayer|\s+hoy)?\s+)?(?P<speaker>[^,;:.!?«»“”\"]+?)"
        r"(?=\s*(?:[,;:]|[.!?]?$))"
    ),
    no_comment=re.compile(
        r"\s+no\s+(?:quiso|quisieron|ha\s+querido|han\s+querido)\s+(?:hacer\s+(?:comentarios|declaraciones)|"
        r"comentar|pronunciarse|valorar)|\s+(?:declinó|rehusó|declinaron|rehusaron)\s+hacer\s+"
        r"(?:comentarios|declaraciones)"
    ),
    oblique={},
    # "a este diario", "a la agencia …", "en un comunicado", "en declaraciones", "el lunes", "ayer".
    stop=re.compile(
        r"\s+(?:a\s+(?:este\s+diario|esta\s+emisora|la\s+agencia|la\s+prensa|los\s+periodistas|\w+\s+Press)|"
        rf"en\s+(?:un|una|declaraciones|rueda)\b|durante\s+|tras\s+|ante\s+|el\s+{_DAY}|este\s+{_DAY}|ayer\b|"
        r"hoy\b|esta\s+(?:mañana|tarde)\b)"
    ),
    negated=re.compile(r"\b(?:no|nunca|jamás)\b"),
    negated_before=re.compile(r"\b(?:no|nunca)\s+$"),
    clause_words=re.compile(r"\b(?:y|pero|mientras|porque|cuando|aunque|pues|si)\s+"),
    relative=re.compile(r"(?:que|quien|quienes|cuyo|cuya|el\s+cual|la\s+cual)\b"),
    articles=wordset("el la los las un una unos unas este esta estos estas su sus"),
    pronouns=wordset("él ella"),
    not_speakers=wordset("ellos ellas nosotros nosotras yo tú usted ustedes se esto eso él ella"),
    plural=re.compile(r"(?!)"),  # "ella" is never plural
    back_reference=re.compile(r"(?!)"),
    name_lead=re.compile(r"(?!(?:de|del)$)[a-zà-ÿ][\w'’-]*"),
    name_words=(3, 2),
    honorifics=wordset("Sr. Sra. Dr. Dra. don doña"),
)
