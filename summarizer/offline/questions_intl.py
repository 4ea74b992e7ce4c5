"""Open questions from German, French and Spanish wording (issue 12: beyond English).

Owns the rules for the commonest news hedges in these languages: "has not said
when …" ("hat noch nicht gesagt, wann …", "n'a pas précisé quand …", "no ha
dicho cuándo …"), "it is unclear who …" ("ist noch unklar, wer …", "on ignore
encore qui …", "no está claro quién …"), "no decision yet" ("ist noch nicht
entschieden, ob …", "n'a pas encore été décidé si …", "aún no se ha decidido
si …") and "declined to comment" ("wollte sich nicht äußern", "n'a pas souhaité
commenter", "no quiso hacer comentarios"). Each rule builds a question in the
article's language and a ``why_open`` in that language too, because the rest
of an offline summary (points, gist) is the article's own words. The rules use
the builder signature of ``hedges`` so ``questions.find_questions`` runs them
like the English ones. Must not touch English: these rules are used only for
``de``, ``fr`` and ``es``.
"""

from __future__ import annotations

from summarizer.offline import questions_de, questions_es, questions_fr
from summarizer.offline.intl_base import Rules

RULES: dict[str, Rules] = {"de": questions_de.RULES, "fr": questions_fr.RULES, "es": questions_es.RULES}
"""The rules for each language they exist for; other languages use none of them."""
