"""Spanish entity words (see ``entities_intl``)."""

from __future__ import annotations

from summarizer.offline.entities_patterns import Lexicon
from summarizer.offline.text import wordset

LEXICON = Lexicon(
    titles=(
        r"(?i:alcalde|alcaldesa|teniente de alcalde|portavoz|presidente|presidenta|directora?|ministra|"
        r"ministro|"
        r"concejala?|consejera|consejero|secretaria|secretario|delegada|delegado|jefa|jefe|gerente|"
        r"responsable|vecina|vecino|conductora?|auxiliar|enfermera|enfermero|médica|médico|profesora?|"
        r"diputada|diputado|senadora?|comisaria|comisario|jueza?|fiscal|capitán|sargento|coordinadora?|"
        r"trabajadora?|empleada|empleado|líder|dirigente|representante|abogada|abogado|economista|analista|"
        r"fundadora?|dueña|dueño|propietaria|propietario|agricultora?|ingeniera|ingeniero|taxista|"
        r"comerciante|investigadora?)"
    ),
    honorifics=r"Sr\.|Sra\.|Srta\.|Dr\.|Dra\.|D\.|Dña\.",
    weak_honorifics="don|doña",
    byline="Por",
    connectors="de la|de los|de las|del|de",
    org_heads=(
        r"ayuntamiento|ministerio|consejería|diputación|junta|gobierno|sindicato|comité|asociación|"
        r"federación|confederación|fundación|autobuses|transportes|hospital|universidad|agencia|guardia|"
        r"policía|banco|caja|compañía|grupo|cámara|colegio|instituto|tribunal|juzgado|audiencia|"
        r"delegación|subdelegación|cruz|bomberos|metro|club|museo"
    ),
    org_roles=(
        r"empresa|compañía|operadora?|aerolínea|constructora|cadena|grupo|firma|entidad|consultora|"
        r"aseguradora|distribuidora|promotora|naviera|fabricante|plataforma"
    ),
    legal_forms=r"S\.A\.|S\.L\.|S\.A\.U\.|SA|SL|SLU",
    adjectives=(
        r"municipal|regional|provincial|nacional|local|general|pública|público|privada|privado|"
        r"autonómica|autonómico|estatal"
    ),
    place_heads=(
        r"(?i:calle|plaza|avenida|paseo|puerto|carretera|glorieta|ronda|camino|barrio|parque|estación|puente|"
        r"playa|río|sierra)"
    ),
    place_words="(?!)",
    place_preps=r"[Ee]n|desde|hasta|hacia|cerca de|junto a",
    place_of=(
        r"(?i:ayuntamiento|ciudad|municipio|localidad|pueblo|provincia|comarca|alcalde|alcaldesa|vecinos|"
        r"habitantes|autobuses)\s+(?:de|del)"
    ),
    not_names=wordset(
        """El La Los Las Un Una Unos Unas Este Esta Estos Estas Su Sus Él Ella Ellos Ellas Según En Con
        Por Para Desde Durante Tras Más Nota De Del Al Y Pero"""
    ),
    not_places=wordset("navidad semana internet twitter facebook instagram youtube whatsapp"),
    between="entre|y",
)
