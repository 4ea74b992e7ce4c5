"""What an article says about itself: outlet, author, date, language, and its title without the site.

Owns reading that metadata from the three places it turns up: a page's own
metadata (trafilatura's ``og:site_name``/author/date, a JSON feed item's
keys, Markdown front matter), the furniture lines at the top of a text
(bylines "By Oskar Brandt, Norland Press Agency", labels "PRESS RELEASE —
Kessford County Council", "Issued 17 February 2026", a transcript header
"RADIO TAM - MORNING NEWS - 18 FEBRUARY 2026"), and the domain. Also
stripping a site suffix from a title ("… | Aldmoor Courier News", "… --
AldmoorToday.net", "…_青水日报网"). Pure: no I/O; ``ingest`` calls it, and
``compare`` shows what it found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from summarizer import textrules as rules

_FOREIGN_MONTHS = (
    # German, French, Spanish: the languages besides English the set and the corpus carry
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
)
_MONTHS = {m.lower(): i + 1 for i, m in enumerate(rules.MONTHS)} | {
    m.lower()[:3]: i + 1 for i, m in enumerate(rules.MONTHS)
}
_MONTHS |= {m: i + 1 for names in _FOREIGN_MONTHS for i, m in enumerate(names.split())}
_MONTHS |= {"sept": 9, "jänner": 1, "fevrier": 2, "aout": 8, "decembre": 12, "setiembre": 9}
_MONTH_NAME = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DATE_PATTERNS = (
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)"),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:\.|er)?\s+(?:de\s+)?(?P<mn>{_MONTH_NAME})\.?,?\s+(?:de\s+)?(?P<y>(?:19|20)\d\d)\b",
               re.IGNORECASE),
    re.compile(rf"\b(?P<mn>{_MONTH_NAME})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE),
)  # fmt: skip
_ROLE = re.compile(
    r"\b(?:reporter|correspondent|editor|writer|columnist|journalist|staff|producer|photographer|"
    r"contributor|analyst|intern|chief|desk|critic|presenter|anchor|redakteur\w*|korrespondent\w*|"
    r"periodista|redactor\w*|corresponsal|journaliste|rédact\w*)$",
    re.IGNORECASE,
)
"""The last word of a job title: "By Colm Reardon, Health Reporter" names a role, not an outlet."""
_BYLINE = re.compile(r"^(?:By|Von|Por|Par)\s+(?P<rest>.+)$")
_SEPARATORS = re.compile(r"\s+[·•|—–-]{1,2}\s+|,\s+")
_PUBLISHED = re.compile(r"^(?:published|updated|issued|posted|veröffentlicht|publicado|publié)\b", re.I)
_RELEASE = re.compile(
    r"^(?:press release|news release|media release|statement|pressemitteilung|pressemeldung|"
    r"communiqué(?: de presse)?|nota de prensa|comunicado(?: de prensa)?)"
    r"(?:\s+(?:der|des|de la|del|de|of))?\s*",
    re.IGNORECASE,
)
_TRANSCRIPT = re.compile(r"\b(?:transcript|transkript|transcripción|transcription)\b", re.IGNORECASE)
_NAME_WORD = re.compile(r"^[A-ZÀ-ÞĀ-Ž][\w'’.&-]*$|^(?:of|the|de|del|la|le|der|die|das|du|des|y|and|&)$")
_SITE_SUFFIX = re.compile(r"(?P<sep>\s+(?:\||--|::|—|–|-|·)\s+|\s*_(?=\S)|\s*｜\s*)(?P<site>[^|_｜]+)$")
_STRONG = frozenset({"|", "--", "::", "_", "｜"})
"""Separators a headline itself rarely uses: what follows them is the site even when no name is known."""
_DOMAIN = re.compile(r"\b[\w-]+\.(?:com|net|org|co\.uk|de|fr|es|info|news|example|online)\b", re.IGNORECASE)
_CJK_SITE = re.compile(r"(?:网|網|报|報|新闻|新聞|日报|デジタル|ニュース|オンライン|新聞社)$")


@dataclass(frozen=True)
class Meta:
    """What is known about an article besides its text; every field may be unknown."""

    site_name: str | None = None
    author: str | None = None
    published: str | None = None
    """``YYYY-MM-DD``."""
    language: str | None = None
    """ISO 639-1 code ("en", "de", "zh")."""

    def fill(self, other: Meta) -> Meta:
        """This metadata, its blanks filled from ``other``."""
        return replace(
            self,
            **{
                k: getattr(self, k) or getattr(other, k)
                for k in ("site_name", "author", "published", "language")
            },
        )


def clean_value(value: Any) -> str | None:
    """A metadata value as one trimmed line (a list joined with commas), or None when empty."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split()).strip(" ,;|·")
    return value or None


def author_name(value: Any) -> str | None:
    """An author field without the furniture a byline drags in ("Meridian Press; Published Monday")."""
    text = clean_value(value)
    if text is None:
        return None
    parts = [p.strip() for p in re.split(r"[;|]", text) if p.strip() and not _PUBLISHED.match(p.strip())]
    return ", ".join(parts) or None


def iso_date(text: str | None) -> str | None:
    """The first calendar date in ``text`` as ``YYYY-MM-DD`` ("2026-02-17T08:30", "17 February 2026",
    "Feb. 17, 2026", "21. Januar 2026", "9 de abril de 2026"), or None."""
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            month = (
                int(m["m"]) if "m" in m.groupdict() and m["m"] else _MONTHS.get(m["mn"].lower().rstrip("."))
            )
            try:
                return date(int(m["y"]), month or 0, int(m["d"])).isoformat()
            except (TypeError, ValueError):
                continue
    return None


def from_mapping(data: dict[str, Any]) -> Meta:
    """A feed item's or front matter's keys (``site_name``, ``author``, ``published`` …)."""

    def first(*keys: str) -> str | None:
        return next((v for k in keys if (v := clean_value(data.get(k)))), None)

    return Meta(
        site_name=first("site_name", "sitename", "site", "publisher", "outlet", "source"),
        author=author_name(first("author", "authors", "byline", "creator")),
        published=iso_date(first("published", "date", "datePublished", "published_at", "pubDate", "issued")),
        language=(first("language", "lang", "inLanguage") or "").split("-")[0].lower() or None,
    )


def front_matter(text: str) -> Meta:
    """Metadata of a Markdown file's leading ``---`` block (simple ``key: value`` lines)."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return Meta()
    found: dict[str, Any] = {}
    for line in lines[1:]:
        if line.strip() in ("---", "..."):
            return from_mapping(found)
        key, sep, value = line.partition(":")
        if sep:
            found[key.strip()] = value.strip().strip("\"'")
    return Meta()


def site_from_domain(host: str | None) -> str | None:
    """ "www.aldmoorcourier.example" -> "aldmoorcourier.example": the last resort for a page's outlet."""
    if not host:
        return None
    host = host.lower().removeprefix("www.")
    return host or None


def _title_case(name: str) -> str:
    """ "RADIO TAM" -> "Radio Tam", "VALLEY TV" -> "Valley TV" (short words stay as acronyms)."""
    if not name.isupper():
        return name
    return " ".join(w if len(w) <= 2 else w.capitalize() for w in name.split())


def _is_name(text: str, max_words: int = 6) -> bool:
    words = text.split()
    return 0 < len(words) <= max_words and all(_NAME_WORD.match(w) for w in words) and words[0][0].isupper()


def from_header(title: str, paragraphs: list[str]) -> Meta:
    """Outlet, author and date from a text's first lines: a byline, a release label, a date line,
    a transcript header (the title itself), a dateline's agency in brackets."""
    site = author = published = None
    header = [p.strip().strip("*_ ") for p in paragraphs[:4]]
    if _TRANSCRIPT.search(title):
        parts = [p.strip() for p in re.split(r"\s+[-—–|]\s+", title) if p.strip()]
        if parts and not iso_date(parts[0]) and not _TRANSCRIPT.search(parts[0]):
            site = _title_case(parts[0])
        published = iso_date(title)
    for line in header:
        if len(line.split()) > 14 or (re.search(r"[.!?\"”]$", line) and not iso_date(line)):
            continue
        published = published or iso_date(line)
        if byline := _BYLINE.match(line):
            parts = [p for p in _SEPARATORS.split(byline["rest"]) if p and not iso_date(p)]
            parts = [p for p in parts if not _PUBLISHED.match(p)]
            if parts and _is_name(parts[0]):
                author = author or parts[0]
            if len(parts) > 1 and _is_name(parts[1]) and not _ROLE.search(parts[1]):
                site = site or parts[1]
            continue
        release = _RELEASE.match(line)
        rest = line[release.end() :].lstrip(" ·•|—–-:") if release else line
        parts = [p.strip() for p in re.split(r"\s+[·•|—–-]{1,2}\s+", rest) if p.strip()]
        if release:
            # "Pressemitteilung der Stadtwerke Brelingen, 21. Januar 2026": the issuer before the date
            parts = [q for p in parts for q in re.split(r",\s+", p)]
        parts = [
            p for p in parts if not iso_date(p) and not _RELEASE.fullmatch(p) and not _PUBLISHED.match(p)
        ]
        if release and parts:
            if _is_name(parts[0], 8):
                site = site or parts[0]
        elif parts and len(parts) <= 3 and not site and (iso_date(line) or len(parts) > 1):
            # "Ayuntamiento de Valdemora · 9 de abril de 2026", "The Northern Courier - Europe"
            name = parts[0]
            if _is_name(name, 6) and not name.isupper():
                site = name
    if site is None:
        for line in header[:2]:
            dateline = rules.DATELINE.match(line)
            if dateline and dateline["outlet"]:
                site = dateline["outlet"].strip()
                break
    return Meta(site_name=site, author=author, published=published)


def site_from_suffix(raw_title: str, title: str) -> str | None:
    """The outlet a stripped site suffix named: "… -- FenwickGazette.net" -> "Fenwick Gazette",
    "… | Aldmoor Courier News" -> "Aldmoor Courier News" (a section may trail the name)."""
    raw_title = " ".join(raw_title.split())
    if raw_title == title or not raw_title.startswith(title):
        return None
    suffix = raw_title[len(title) :].strip(" |-–—_:·｜")
    domain = _DOMAIN.search(suffix)
    if domain:
        label = domain.group(0).split(".")[0]
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label)
        return spaced if spaced != label else domain.group(0).lower()
    return suffix or None


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def strip_site_suffix(title: str, site_name: str | None = None) -> str:
    """The headline without the site name a page appends ("… | Aldmoor Courier News", "… --
    AldmoorToday.net", "…_青水日报网"); a suffix after " - " or " — " goes only when it names the
    site (it may be part of the headline otherwise)."""
    title = " ".join(title.split())
    m = _SITE_SUFFIX.search(title)
    if m is None or len(m["site"].split()) > 6 or (len(title[: m.start()].split()) < 2 and not _cjk(title)):
        return title
    sep, suffix = m["sep"].strip() or "_", m["site"].strip()
    site_key = _fold(site_name) if site_name else ""
    names_site = bool(site_key) and (site_key in _fold(suffix) or _fold(suffix) in site_key)
    looks_like_site = bool(_DOMAIN.search(suffix)) or bool(_CJK_SITE.search(suffix))
    strong = sep in _STRONG and (_is_name(suffix) or _cjk(suffix) or looks_like_site)
    if names_site or looks_like_site or strong:
        return title[: m.start()].rstrip(" |-–—_:·")
    return title


def _cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)
