"""French entity words (see ``entities_intl``)."""

from __future__ import annotations

from summarizer.offline.entities_patterns import Lexicon
from summarizer.offline.text import wordset

LEXICON = Lexicon(
    titles=(
        r"(?i:maire|adjointe?|porte-parole|présidente?|directeur|directrice|ministre|préfète?|secrétaire|"
        r"députée?|sénateur|sénatrice|conseillère?|conseiller|responsable|déléguée?|cheffe?|commandant|"
        r"procureure?|habitante?|riveraine?|gérante?|patronne?|élue?|professeure?|médecin|infirmière?|"
        r"infirmier|coordinateur|coordinatrice|avocate?|fondateur|fondatrice|capitaine|lieutenant|colonel|"
        r"juge|syndicaliste|agriculteur|agricultrice|commerçante?|ingénieure?|chercheur|chercheuse|"
        r"économiste|analyste|PDG|bibliothécaire|architecte|chauffeur|conducteur|conductrice)"
    ),
    honorifics=r"M\.|Mme|Mlle|Me|Dr|Pr",
    weak_honorifics="Monsieur|Madame",
    byline="Par",
    connectors="de la|de|du|des|le|la",
    org_heads=(
        r"mairie|préfecture|sous-préfecture|syndicat|association|société|ministère|conseil|communauté|"
        r"fédération|comité|agence|office|université|hôpital|centre hospitalier|clinique|gendarmerie|police|"
        r"médiathèque|bibliothèque|musée|école|collège|lycée|théâtre|tribunal|banque|compagnie|groupe|"
        r"fondation|chambre|institut|caisse|régie|métropole|conservatoire|club"
    ),
    org_roles=r"entreprise|société|groupe|constructeur|opérateur|transporteur|enseigne|fabricant|assureur|cabinet",
    legal_forms="SA|SAS|SARL|SNC|SE",
    adjectives=(
        r"municipale?|municipaux|régionale?|départementale?|nationale?|intercommunale?|communautaire|"
        r"générale?|publique?|privée?|hospitalier|universitaire"
    ),
    place_heads=(
        r"(?i:rue|place|avenue|boulevard|quai|chemin|allée|impasse|route|cours|square|pont|gare|port|parc|"
        r"esplanade|lac|plage)"
    ),
    place_words="(?!)",
    place_preps=r"[àÀ]|[Ee]n|près de|depuis|vers|autour de",
    place_of=r"(?i:mairie|ville|commune|préfecture|village|habitants|maire|agglomération)\s+(?:de|d['’])",
    not_names=wordset(
        """Le La Les L Un Une Des Du De Ce Cette Ces Il Elle Ils Elles On Nous Vous Je Son Sa Ses Leur
        Leurs Pendant Selon Depuis Après Avant Pour Dans Mais Et Contact Communiqué Mme Monsieur Madame"""
    ),
    not_places=wordset("noël pâques toussaint internet twitter facebook instagram youtube"),
    between="entre|et",
)
