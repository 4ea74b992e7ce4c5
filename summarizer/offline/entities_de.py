"""German entity words (see ``entities_intl``). Every noun is capitalised, so names need more
evidence here than in French or Spanish: ``nouns`` is set."""

from __future__ import annotations

from summarizer.offline.entities_patterns import Lexicon
from summarizer.offline.text import wordset

# Role nouns written into compounds ("Polizeisprecherin", "Geschäftsführer", "Bürgermeister").
_STEMS = sorted(
    wordset(
        "sprecher leiter führer meister direktor präsident minister vorsitzende chef kommandant beauftragte "
        "sekretär richter anwalt anwältin pfarrer lehrer trainer ärztin arzt inhaber vorstand"
    )
)
_TITLE_WORDS = (
    "Landrat Landrätin Stadtrat Stadträtin Gemeinderat Gemeinderätin Anwohner Anwohnerin Polizist Polizistin "
    "Feuerwehrmann Kanzler Kanzlerin Professor Professorin Ingenieur Ingenieurin Geologe Geologin Pfleger "
    "Pflegerin Landwirt Landwirtin Bauer Bäuerin Schülerin Schüler Augenzeuge Augenzeugin Experte Expertin"
)
_TITLES = (
    rf"(?:[A-ZÄÖÜ][a-zäöüß]*(?:{'|'.join(_STEMS)})|(?:{'|'.join(w.capitalize() for w in _STEMS)}))(?:in)?"
    rf"|{'|'.join(_TITLE_WORDS.split())}"
)
_COUNCILS = "Stadt|Gemeinde|Landkreis|Kreis"
"""Words for a town that are also its administration ("die Stadt Brelingen teilte mit")."""
_TOWN = _COUNCILS + "|Kleinstadt|Großstadt|Kreisstadt|Dorf|Ortschaft|Ortsteil|Stadtteil|Region"

LEXICON = Lexicon(
    titles=_TITLES,
    honorifics=r"(?:Prof\.\s+)?Dr\.|Prof\.",
    weak_honorifics="Herr|Frau",
    byline="Von",
    connectors="von der|von|van|zu|de",
    org_heads=(
        rf"Stadtwerke|Feuerwehr|Polizei|Polizeidirektion|Polizeipräsidium|Stadtverwaltung|Kreisverwaltung|"
        rf"Landratsamt|Bezirksregierung|{_COUNCILS}|Verein|Gewerkschaft|Bahn|Verkehrsbetriebe|Verkehrsverbund|"
        r"Klinikum|Krankenhaus|Universität|Hochschule|Staatsanwaltschaft|Amtsgericht|Landgericht|Sparkasse|"
        r"Volksbank|Grundschule|Schule|Gymnasium|Realschule|Gesamtschule|Kita|Kindergarten|Museum"
    ),
    org_roles="Firma|Unternehmen|Konzern|Betreiber|Reederei|Brauerei|Bäckerei|Spedition|Verlag|Hersteller",
    legal_forms=r"GmbH|gGmbH|AG|SE|KG|e\.\s?V\.|eG|mbH",
    # "Bahnhof Talbach", "Hafen Kell": a place word before a name.
    place_heads="Bahnhof|Hauptbahnhof|Hafen|Flughafen|Platz",
    # "Bahnhofstraße", "Lindenallee", "Rathausplatz", and "Lange Straße" after an adjective.
    place_words=(
        r"[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|allee|gasse|platz|brücke|ufer|ring)"
        r"|[A-ZÄÖÜ][a-zäöüß]+e[rns]?\s+(?:Straße|Allee|Gasse|Brücke)"
    ),
    place_preps="in|aus|bei|nach|nahe|um",
    place_of=_TOWN + "|Stadtwerke|Feuerwehr|Polizei",
    not_names=wordset(
        """Der Die Das Den Dem Des Ein Eine Einer Einem Einen Eines Er Sie Es Wir Ich Man Am Im Auch Nach
        Laut In Bei Mit Von Vom Zu Zum Zur Für Seit Unsere Unser Ihr Ihre Sein Seine Dies Diese Dieser
        Dieses Nun Jetzt Heute Gestern Insgesamt Mehr Rund Bis Wann Wie Was Wer Als Auf Aus Um Und Aber
        Doch Dann Noch Schon Kein Keine Alle Viele Herr Frau"""
    ),
    not_places=wordset(
        """betrieb kraft gefahr atem sicherheit ordnung frage betracht einsatz arbeit zukunft kürze folge
        ruhe haft teilzeit vollzeit angriff aussicht ausnahme planung bewegung deckung kauf erinnerung
        montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april mai juni
        juli august september oktober november dezember parkplatz spielplatz arbeitsplatz sportplatz
        stellplatz sitzplatz ausbildungsplatz studienplatz kitaplatz campingplatz ring"""
    ),
    between="zwischen|und",
    nouns=True,
    town_endings="ingen|hausen|dorf|bach|burg|heim|ering|rode|wick|stedt|büttel|hagen|kirchen|hofen|leben",
    articles=(
        "der|die|das|dem|den|des|ein|eine|einer|einem|einen|eines|im|am|zum|zur|vom|beim|ins|ans|kein|keine|"
        "keinen|unser|unsere|ihre|seine|dieser|diese|dieses|jeder|jede|alle|viele|mehr|ohne|mit"
    ),
    address_names="Am|Im|An der|Auf der|Zum|Zur",
)
