"""French attribution wording (see ``statements_intl``)."""

from __future__ import annotations

import re

from summarizer.offline.statements_intl import Wording
from summarizer.offline.text import QUOTE_PAIRS, wordset

# Participles after "a"/"ont" and present forms, the commonest reporting verbs of French news.
_PARTICIPLE = (
    r"(?:déclaré|indiqué|affirmé|expliqué|précisé|ajouté|souligné|assuré|estimé|annoncé|confié|reconnu|dit|"
    r"averti|insisté|rappelé|confirmé|raconté|martelé|prévenu|jugé)"
)
_PRESENT = (
    r"(?:déclare|déclarent|indique|indiquent|affirme|affirment|explique|expliquent|précise|précisent|"
    r"ajoute|ajoutent|souligne|soulignent|assure|assurent|estime|estiment|confie|reconnaît|dit|disent|"
    r"insiste|rappelle|confirme|raconte|racontent)"
)
_VERB = rf"(?:(?:a|ont)(?:\s+[^\s,]+){{0,2}}?\s+{_PARTICIPLE}|{_PRESENT})"
_DAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|ce\s+matin|ce\s+soir)"

WORDING = Wording(
    quotes=QUOTE_PAIRS["fr"],
    # "…, a déclaré X" and the inverted pronoun: "…, a-t-il déclaré", "…, explique-t-elle", "…, dit-il".
    tail=re.compile(rf"(?P<pre>[,»”\"])\s*(?P<verb>{_VERB}|a(?=-t-))(?:-t-|-|\s+)(?P<speaker>[^,;:«»“”\"]+)"),
    lead=re.compile(
        rf"\b(?P<verb>{_VERB})(?P<gap>(?:\s+[^\s,:]+){{0,5}}?)(?:\s+qu(?:e\s+|['’])|\s*:\s*)(?P<claim>\S.*)"
    ),
    source=re.compile(
        r"\b(?:[Ss]elon|[Dd]['’]après)\s+(?P<speaker>(?!que\b|nos\b|notre\b)[^,;:.!?«»“”\"]+?)"
        r"(?=\s*(?:[,;:]|[.!?]?$))"
    ),
    no_comment=re.compile(
        r"\s+n['’](?:a|ont)\s+pas\s+(?:souhaité|voulu|désiré)\s+(?:commenter|s['’]exprimer|réagir|répondre|"
        r"faire\s+de\s+commentaires?)|\s+s['’]est\s+refusée?\s+à\s+tout\s+commentaire"
    ),
    oblique={},
    # "à l'AFP", "au journal …", "devant la presse", "dans un communiqué", "mardi", and the participle
    # after an inverted pronoun ("il déclaré" of "a-t-il déclaré").
    stop=re.compile(
        r"\s+(?:à\s+(?:l['’]AFP|la\s+presse|la\s+radio|la\s+télévision|notre|nos|des\s+journalistes)|"
        rf"aux?\s+(?:journal|quotidien|micro|journalistes)\b|auprès\s+d|devant\s+|lors\s+d|dans\s+(?:un|une)\s+|"
        rf"sur\s+|ce\s+{_DAY}|{_DAY}\b|{_PARTICIPLE}\b)"
    ),
    negated=re.compile(r"\b(?:pas|jamais)\b"),
    negated_before=re.compile(r"(?:\bn['’]|\bne\s+)$"),
    clause_words=re.compile(
        r"\b(?:et|mais|car|puis|alors\s+que|tandis\s+que|lorsque|quand|parce\s+que|si)\s+"
    ),
    relative=re.compile(r"(?:qui|que|qu['’]|dont|lequel|laquelle|lesquels|lesquelles)\b"),
    articles=wordset("le la les l' l’ un une des du ce cette ces son sa ses leur leurs"),
    pronouns=wordset("il elle lui"),
    # Stressed pronouns name no one the rules could resolve ("D'après eux, …").
    not_speakers=wordset("on ils elles nous vous je tu ce cela ça eux lui"),
    plural=re.compile(r"(?!)"),  # "elle" is never plural
    back_reference=re.compile(r"(?!)"),
    name_lead=re.compile(r"(?!(?:de|du|des|d['’]\w*)$)[a-zà-ÿ][\w'’-]*"),
    name_words=(3, 2),
    honorifics=wordset("M. Mme Mlle Me Dr Pr"),
)
