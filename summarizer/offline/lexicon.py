"""Word lists the offline entity rules share: what marks a person, an organisation, a place.

Only data, no logic. Lists are lower case; kept short and news-oriented, since
every word here is evidence of a kind and a wrong word misfiles names.
"""

from __future__ import annotations

from summarizer.offline.text import wordset

TITLE_NOUNS = wordset(
    """president spokesman spokeswoman spokesperson minister chair chairman chairwoman chairperson
    director governor officer librarian economist analyst envoy secretary chief leader head mayor
    premier chancellor king queen prince senator ambassador general commander manager ceo founder
    owner judge prosecutor lawyer attorney adviser advisor official executive professor driver
    editor correspondent reporter master captain coach inspector commissioner deputy treasurer
    superintendent researcher scientist spokespeople engineer baker farmer teacher doctor nurse
    architect resident student pilot fisherman activist historian lecturer councillor councilor
    trustee administrator consultant planner surveyor ranger warden curator principal headteacher
    campaigner organiser organizer volunteer shopkeeper chef physician surgeon"""
)
"""Nouns that name what a person is: "union chair Rosa Almeida", "Engineer Hanna Sorel"."""

ORG_ROLE_NOUNS = wordset(
    """operator company firm carrier airline retailer chain lender insurer broadcaster publisher
    newspaper manufacturer maker producer supplier provider developer contractor charity utility
    startup conglomerate distributor wholesaler brewer bank"""
)
"""Nouns that say the next name is an organisation: "the bus operator Almsby Coaches"."""

ORG_WORDS = wordset(
    """union authority agency association bank kremlin ministry council company holdings group inc
    corp corporation ltd plc press office chamber party parliament government court university
    commission committee department police army navy reuters broadcasting markets ledger post times
    news service fund organisation organization federation institute board exchange club senate
    congress assembly foundation airlines airline railways league bureau cabinet coaches buses
    motors airways shipping logistics energy industries enterprises partners technologies
    pharmaceuticals telecom trust society hospital school college academy museum network"""
)
"""Words inside a name that make it an organisation: "Varos Bank", "Almsby Coaches"."""

COMMON_ORG_HEADS = wordset(
    """department agency ministry council authority office union association commission committee
    police board inspectorate regulator government"""
)
"""Heads of organisations written in lower case: "the county roads department"."""

NOT_AFTER_COMMON_ORG = wordset(
    """official officials spokesman spokeswoman spokesperson member members meeting meetings staff
    report reports decision decisions budget vote votes building buildings headquarters offices
    representative representatives website statement statements data figures rules guidance plan
    plans leader leaders head chair worker workers employees employee inspectors inspector"""
)
"""Nouns that make the organisation word a modifier: "a council official", "the union members"."""

STAFF_NOUNS = wordset(
    """analyst analysts economist economists official officials staff worker workers employee
    employees researcher researchers scientist scientists engineer engineers executive executives
    trader traders strategist strategists manager managers source sources spokesman spokeswoman
    spokesperson director directors"""
)
"""People who work somewhere: "Analysts at Barclays" makes Barclays their employer, not a place."""

PLACE_WORDS = wordset(
    """port lake river sea bay island islands mount mountains street city province region gulf strait
    valley county state republic harbour harbor coast peninsula point beach bridge road avenue lane
    square park tunnel crossing station airport quay pier canal hill hills forest heath falls dam
    reservoir boulevard highway motorway junction borough"""
)
"""Words inside a name that make it a place: "Riverside Bridge", "Bridge Street"."""

STREET_WORDS = wordset(
    """street road avenue bridge square station airport harbour harbor port crossing tunnel quay pier
    canal boulevard highway motorway junction lake river county city province region"""
)
"""Place words that are never a surname: "Bridge Street said" is not a person speaking."""

PLACE_PREPS = wordset("in at to from near across around into outside towards toward throughout within")
PLACE_NOUNS = wordset("port town city village island region province district capital harbour")
"""Nouns before "of" that make the name a place: "the town of Almsby"."""

PLACE_AFTER = wordset(
    """beach harbour harbor river province region port crossing bridge road street station square
    district area estate neighbourhood neighborhood shore valley lake airport"""
)
"""Lower-case nouns after a name that make it a place: "the Northgate crossing"."""

TIME_WORDS = wordset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december"""
)
CONNECTORS = wordset("of de del da van von der al bin la le du")
HONORIFICS = wordset("mr mrs ms dr sir dame")
ROLE_MODIFIERS = wordset(
    """regional local senior deputy former acting interim assistant finance head lead site project
    county city town district state national federal provincial municipal police health education
    transport chief"""
)
"""Role openers that are capitalised only because they open the sentence ("Regional governor")."""
