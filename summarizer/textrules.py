"""Patterns of news text that several parts of the product recognise: one home for each.

Names (weekdays, months), datelines ("CALDERRA (Meridian Press) —"), and the
boilerplate of scraped pages: photo credits and captions, UI crumbs ("Share",
"Read more:"), cookie banners, label lines ("PRESS RELEASE"), copyright and
contact lines. ``clean`` uses them to drop noise lines, the offline engine to
tell prose from furniture, ``compare`` to find outlets and event days. Only
patterns live here; what to do with a match is each caller's business.
"""

from __future__ import annotations

import re

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAY = "|".join(WEEKDAYS)
"""Alternation of the weekday names, for building patterns (wrap it in a group)."""
MONTH = "|".join(MONTHS)
"""Alternation of the month names, for building patterns (wrap it in a group)."""
_ABROAD = {
    "monday": {"de": "Montag", "fr": "lundi", "es": "lunes"},
    "tuesday": {"de": "Dienstag", "fr": "mardi", "es": "martes"},
    "wednesday": {"de": "Mittwoch", "fr": "mercredi", "es": "miércoles"},
    "thursday": {"de": "Donnerstag", "fr": "jeudi", "es": "jueves"},
    "friday": {"de": "Freitag", "fr": "vendredi", "es": "viernes"},
    "saturday": {"de": "Samstag Sonnabend", "fr": "samedi", "es": "sábado"},
    "sunday": {"de": "Sonntag", "fr": "dimanche", "es": "domingo"},
}
WEEKDAYS_ABROAD = {day: " ".join(names.values()) for day, names in _ABROAD.items()}
"""German, French and Spanish weekday names, under the English day they are."""
WEEKDAYS_IN = {
    lang: tuple(w for names in _ABROAD.values() for w in names[lang].split()) for lang in ("de", "fr", "es")
}
"""The weekday names of each of those languages, Monday first."""
WEEKDAY_OF = {w.casefold(): day for day, names in WEEKDAYS_ABROAD.items() for w in names.split()}
WEEKDAY_OF |= {day: day for day in WEEKDAYS_ABROAD}
_ALL_WEEKDAYS = [*WEEKDAYS, *(w for names in WEEKDAYS_ABROAD.values() for w in names.split())]
WEEKDAY_ANY = "|".join(sorted(_ALL_WEEKDAYS, key=len, reverse=True))
"""Alternation of weekday names in English, German, French and Spanish (case as usually written)."""
MONTH_ABBREVIATION = r"Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."

DATELINE = re.compile(
    r"^[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'-]{2,40}(?:,[^—–()\n]{1,30})?"
    r"\s*(?:\((?P<outlet>[^)]{1,40})\))?\s*[—–-]{1,2}\s+"
)
"""A dateline opening a paragraph: "CALDERRA (Meridian Press) — ", "ORVIK, Norland — ",
"MÜNCHEN (dpa) - ", "MARSEILLE, 4 mars (AFP) - "; the agency in brackets, when there is one, is
``outlet``."""

BOILERPLATE = re.compile(
    r"^\W*(?:(?:media contact|media enquiries|press enquiries|press office|contact|for more information|"
    r"notes to editors|related|photo|read more)\s*:|"
    r"(?:copyright|follow us|sign up|subscribe|share on)\b)|©|all rights reserved",
    re.IGNORECASE,
)
"""A sentence that is page furniture, not prose: contact and copyright lines, sign-up prompts."""

AGENCY = (
    r"(?:Reuters|REUTERS|AP|AFP|Getty Images|Getty|EPA(?:-EFE)?|Bloomberg|Shutterstock|Alamy|AAP|ANP|NTB|TT|"
    r"Sputnik|TASS|Xinhua|Anadolu(?: Agency)?|PA(?: Wire)?|dpa|DPA|Kyodo|Yonhap|ZUMA(?: Press)?|SIPA|"
    r"NurPhoto|Imago|IMAGO|Associated Press|Ritzau|Scanpix|Lehtikuva|SOPA Images|Redux)"
)
PHOTO_WORD = r"(?i:photo(?:graph)?|picture|image|foto|pic|illustration|credit|file)s?"
CAPTION_END = re.compile(
    "|".join(
        [
            # "... harbour. (Photo/Harbour Office)", "(AP Photo/Alexander Z)", "(File photo)"
            rf"\([^()]*\b{PHOTO_WORD}\b[^()]*\)$",
            # "... /Majid Asgaripour via Reuters", "Name/AFP", "via Getty Images"
            rf"(?:\bvia|/|\|)\s*{AGENCY}$",
            # "REUTERS/Maxim Shemetov"
            rf"\b{AGENCY}\s*/\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,3}}$",
            # "... on Monday. Photo: Meridian Press"
            rf"\b{PHOTO_WORD}\s*(?:by\s|:|/|\|)\s*[^\s!?:][^!?:]{{0,60}}(?<![.!?\"”’)])$",
        ]
    )
)
"""Credits that end a caption; searched in a line's last ``CREDIT_TAIL`` characters only."""
CREDIT_TAIL = 100
# "Photo: Meridian Press", "Photos by Ann Lee", "Credit | Agency"
CAPTION_START = re.compile(rf"(?:(?i:photo credit|caption)|{PHOTO_WORD})\s*(?:by\b|:|/|\|)")
_UI_WORDS = """share|share this|share this article|share this story|share article|tweet|email|e-mail|print|
    save|saved|copy link|link copied|copied|bookmark|comment|comments|leave a comment|reply|like|follow|
    subscribe|subscribe now|sign in|sign up|log in|login|register|newsletter|menu|close|search|home|
    skip to content|skip to main content|back to top|next|previous|next article|previous article|load more|
    show more|show less|read more|more|listen|listen to this article|listen to article|watch|play|video|
    gallery|photos|advertisement|advertisements|advert|ad|ads|sponsored|sponsored content|paid content|
    promoted|story continues below advertisement|article continues below advertisement|
    continue reading below|scroll to continue|scroll to continue with content|related|related articles|
    related stories|more stories|most read|most popular|trending|top stories|you may also like|recommended|
    topics|tags|accept|accept all|reject all|got it|manage preferences|cookie settings|cookie policy|
    open in app|report an error|loading"""
UI_EXACT = frozenset(word.strip() for word in _UI_WORDS.split("|"))
UI_START = re.compile(
    "|".join(
        [
            r"(?:read more|also read|read also|see also|related(?: articles?| stories| coverage)?"
            r"|more on this|watch|listen|most read|most popular|trending)\s*[:»›>|—–-]",
            r"(?:share|tweet|e-?mail|print)(?:\s+(?:this|on|via|article|story|to|with)\b.*)?(?<![.!?])$",
            r"(?:subscribe|sign up|sign in|log in|create a free account|already a subscriber|become a member"
            r"|support our journalism|get (?:our|the) newsletter|follow us|click here|tap here"
            r"|download (?:our|the) app)\b",
            # the same prompts in German, French and Spanish
            r"(?:jetzt abonnieren|abonnieren sie|newsletter abonnieren|abonnez-vous|inscrivez-vous"
            r"|suscr[ií]bete|suscr[ií]base|hazte socio)\b",
            r"(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))",
        ]
    ),
    re.IGNORECASE,
)
COOKIE_BANNER = re.compile(
    r"^(?:we|this (?:web)?site|our (?:web)?site|this page) uses? cookies\b"
    r"|\b(?:accept|reject|decline|allow|manage)(?: all)? cookies\b"
    r"|^by (?:continuing|using|clicking)\b.*\bcookies?\b",
    re.IGNORECASE,
)
LABEL = re.compile(
    r"^(?:for immediate release|(?:press|news|media) release|breaking(?: news)?|exclusive|analysis"
    r"|opinion)\b",
    re.IGNORECASE,
)
"""A first line that labels the text rather than headlining it (the headline follows)."""
