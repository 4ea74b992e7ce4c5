"""Turning an input (file, standard input or URL) into cleaned ``Article`` objects.

Owns reading with a size limit, URL fetching, decoding (BOM, UTF-8, then
charset-normalizer), rejecting binary and unusable input, and the formats:
plain text, Markdown (via ``summarizer.mdtext``), HTML (via trafilatura) and JSON. Every failure is an
``InputError`` naming the source and the reason, raised before any model
call. Noise removal and article splitting belong to ``summarizer.clean``.
"""

from __future__ import annotations

import codecs
import html as html_lib
import json
import logging
import re
import stat
import sys
import unicodedata
import urllib.error
import urllib.request
from http.client import HTTPException
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import charset_normalizer

from summarizer import __version__, clean
from summarizer import language as lang
from summarizer import meta as meta_rules
from summarizer.article import Article
from summarizer.errors import InputError, InputTooLarge
from summarizer.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES: int = Settings.model_fields["max_bytes"].default
DEFAULT_TIMEOUT: float = Settings.model_fields["timeout"].default
KINDS = ("txt", "md", "html", "json")
USER_AGENT = f"summarizer/{__version__} (news summarizer; python-urllib)"

SUFFIX_KINDS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".json": "json"}
SUFFIX_KINDS |= {".html": "html", ".htm": "html", ".xhtml": "html"}
READABLE_SUFFIXES = frozenset(SUFFIX_KINDS)
"""File name suffixes ingest reads by kind: what a folder contributes to ``compare`` and ``serve``."""
_MEDIA_KINDS = {"text/html": "html", "application/xhtml+xml": "html", "application/json": "json"}
_MEDIA_KINDS |= {"text/json": "json", "text/markdown": "md", "text/x-markdown": "md"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document; extract its text first"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/ODT/EPUB); extract its text first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an MS Office document; extract its text first"),
    (b"\x1f\x8b", "a gzip archive"),
)
_CHAOS_MARGIN = 0.01
"""How much more "mess" (charset-normalizer's chaos, 0-1) cp1252 may show than the best guess and
still be chosen: a tie-breaker, not an override of a clearly better encoding."""
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HTML_START = re.compile(r"^(?:<!doctype html|<html\b|<\?xml[^>]*>\s*<(?:!doctype )?html)", re.IGNORECASE)
_HTML_TAGS = re.compile(r"<(?:p|div|br|h[1-6]|article|section)\b[^>]*>", re.IGNORECASE)
_BODY_KEYS = ("text", "body", "content")
_TITLE_KEYS = ("title", "headline")
_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")


def load(
    source: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    opener: urllib.request.OpenerDirector | None = None,
) -> list[Article]:
    """Articles from a file path, ``-`` (standard input) or an http(s) URL.

    The file suffix or the response's Content-Type chooses the format; when
    neither says, it is sniffed from the content. ``opener`` fetches URLs
    (``netguard.opener()`` for a server's user-supplied URLs).
    """
    declared: str | None = None
    if source == "-":
        data, kind = _read_stdin(max_bytes), None
    elif is_url(source):
        data, kind, declared = _fetch(source, max_bytes=max_bytes, timeout=timeout, opener=opener)
    else:
        data, kind = _read_file(source, max_bytes), SUFFIX_KINDS.get(Path(source).suffix.lower())
    return _parse(data, source=source, kind=kind, max_bytes=max_bytes, declared=declared)


def from_bytes(
    data: bytes, *, source: str, kind: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Article]:
    """Articles from raw bytes; ``kind`` is txt, md, html, json or None to sniff it."""
    return _parse(data, source=source, kind=kind, max_bytes=max_bytes, declared=None)


def _parse(
    data: bytes, *, source: str, kind: str | None, max_bytes: int, declared: str | None
) -> list[Article]:
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown input kind {kind!r}; use one of {', '.join(KINDS)}", source=source)
    if len(data) > max_bytes:
        raise InputTooLarge(_too_large(max_bytes), source=source)
    text = _decode(data, source=source, declared=declared)
    if not text.strip():
        raise InputError("empty: there is no text to summarize", source=source)
    if kind is None or (kind == "txt" and _HTML_START.match(text.lstrip())):
        kind = _sniff(text)
    log.debug("%s: reading as %s", source, kind)
    found: list[_Found]
    if kind == "html":
        found = _from_html(text, source=source)
    elif kind == "json":
        found = _from_json(text, source=source)
    else:
        page = meta_rules.front_matter(text) if kind == "md" else meta_rules.Meta()
        lines = _markdown_to_text(text) if kind == "md" else text
        plain = clean.split_articles(lines)
        found = [(title, body, page) for title, body in plain]
        if found and not page.site_name:
            first = next((line for line in lines.splitlines() if line.strip()), "")
            suffix_site = meta_rules.site_from_suffix(first, found[0][0])
            found[0] = (*found[0][:2], meta_rules.Meta(site_name=suffix_site))
    if not found:
        raise InputError(
            "nothing left after removing boilerplate (share links, captions, ads, repeated lines)",
            source=source,
        )
    articles = [_article(source, i, *item) for i, item in enumerate(found)]
    for article in articles:
        if article.word_count < clean.MIN_ARTICLE_WORDS:
            which = f"article {article.index + 1} ({article.title!r}) is " if len(articles) > 1 else ""
            raise InputError(
                f"{which}too short to be an article: {article.word_count} words after cleaning "
                f"(at least {clean.MIN_ARTICLE_WORDS} needed)",
                source=source,
            )
    return articles


_Found = tuple[str, str, meta_rules.Meta]
"""``(title, cleaned text, metadata the format gave)`` of one article."""


def _article(source: str, index: int, title: str, text: str, given: meta_rules.Meta) -> Article:
    """The article with its metadata: the format's own first, then what its first lines say."""
    paragraphs = text.split("\n\n")[1:]
    found = given.fill(meta_rules.from_header(title, paragraphs))
    language = found.language or lang.detect(text)
    return Article(
        source,
        index,
        title,
        text,
        site_name=found.site_name,
        author=found.author,
        published=found.published,
        language=language,
    )


def _too_large(max_bytes: int, size: int | None = None) -> str:
    actual = f"{size:,} bytes, " if size is not None else ""
    return f"too large: {actual}over the limit of {max_bytes:,} bytes (raise the limit if this is intended)"


def _read_file(source: str, max_bytes: int) -> bytes:
    path = Path(source)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a directory, not a file", source=source)
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise InputTooLarge(_too_large(max_bytes, info.st_size), source=source)
        # read(n) allocates n bytes up front, and a batch reads thousands of small files: a
        # regular file is read at its size, plus one byte to notice that it grew since (or
        # that its size was not true, as in /proc); then on, up to one byte over the limit.
        wanted = min(info.st_size, max_bytes) + 1 if stat.S_ISREG(info.st_mode) else max_bytes + 1
        with path.open("rb") as fh:
            data = fh.read(wanted)
            if len(data) == wanted <= max_bytes:
                data += fh.read(max_bytes + 1 - wanted)
    except FileNotFoundError:
        raise InputError("file not found", source=source) from None
    except PermissionError:
        raise InputError("cannot read: permission denied", source=source) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from exc
    if len(data) > max_bytes:
        raise InputTooLarge(_too_large(max_bytes), source=source)
    return data


def _read_stdin(max_bytes: int) -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError("no standard input to read", source="-")
    isatty = getattr(sys.stdin, "isatty", None)
    if callable(isatty) and isatty():
        raise InputError("standard input is a terminal; pipe an article in or pass a file", source="-")
    try:
        data: bytes = stream.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read standard input: {exc}", source="-") from exc
    return data


def is_url(source: str) -> bool:
    return urlsplit(source).scheme.lower() in ("http", "https")


def _fetch(
    url: str, *, max_bytes: int, timeout: float, opener: urllib.request.OpenerDirector | None
) -> tuple[bytes, str | None, str | None]:
    """``(body, kind, declared charset)``; at most ``max_bytes + 1`` bytes are read."""
    accept = "text/html, text/plain;q=0.9, text/markdown;q=0.9, application/json;q=0.8, */*;q=0.1"
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    open_url = opener.open if opener is not None else urllib.request.urlopen
    try:
        with open_url(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise InputTooLarge(_too_large(max_bytes, int(length)), source=url)
            data: bytes = response.read(max_bytes + 1)
            media = response.headers.get_content_type() if response.headers.get("Content-Type") else ""
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        exc.close()
        raise InputError(f"HTTP error {exc.code} {exc.reason}", source=url) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise InputError(f"timed out after {timeout:g} s", source=url) from None
        raise InputError(f"cannot connect: {exc.reason}", source=url) from None
    except TimeoutError:
        raise InputError(f"timed out after {timeout:g} s", source=url) from None
    except (OSError, HTTPException) as exc:
        raise InputError(f"download failed: {exc}", source=url) from exc
    kind = _MEDIA_KINDS.get(media) or ("json" if media.endswith("+json") else None)
    if kind is None:
        kind = SUFFIX_KINDS.get(PurePosixPath(urlsplit(url).path).suffix.lower())
    log.debug("%s: %d bytes, Content-Type %r, charset %r", url, len(data), media, charset)
    return data, kind, charset


def _decode(data: bytes, *, source: str, declared: str | None) -> str:
    """BOM, then strict UTF-8, then a declared charset, then charset-normalizer's best guess."""
    text = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise InputError(
                    f"cannot decode: invalid {codec.upper()} after its byte-order mark", source=source
                ) from None
            break
    if text is None:
        text = _decode_unmarked(data, source=source, declared=declared)
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 20):
        raise InputError(f"binary, not text ({controls} control characters)", source=source)
    if controls:
        text = _CONTROL.sub("", text)
    if text.isascii():  # no invisible marks, nothing to compose (the common case, checked in O(1))
        return text
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def _decode_unmarked(data: bytes, *, source: str, declared: str | None) -> str:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"binary, not text: this is {what}", source=source)
    if b"\x00" in data:
        raise InputError(
            "binary, not text: contains NUL bytes (UTF-16 text needs a byte-order mark)", source=source
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data[:4096])
    for charset in (declared, meta.group(1).decode("ascii") if meta else None):
        if charset:
            try:
                return data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                log.debug("%s: declared charset %r does not fit", source, charset)
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError("cannot decode: not UTF-8, and no other text encoding fits", source=source)
    # cp1250/cp1252/... often decode Western text almost alike, and charset-normalizer may rank
    # cp1250 first on a tie ("œ" is "ś" there); windows-1252 is the commonest (the web's own
    # fallback), so it wins unless it reads clearly worse than the best guess.
    western = next((m for m in matches if "cp1252" in m.could_be_from_charset), None)
    encoding = best.encoding
    if western is not None and western.chaos <= best.chaos + _CHAOS_MARGIN:
        encoding = "cp1252"
    log.debug("%s: decoded as %s", source, encoding)
    return data.decode(encoding, errors="replace")


def _sniff(text: str) -> str:
    head = text.lstrip()[:2048]
    if _HTML_START.match(head) or (head.startswith("<") and _HTML_TAGS.search(head)):
        return "html"
    if head[:1] in ("{", "["):
        try:
            json.loads(text)
        except ValueError:
            return "txt"
        return "json"
    first = head.partition("\n")[0]
    return "md" if _MD_HEADING.match(first) or first.rstrip() == "---" else "txt"


def _from_html(html: str, *, source: str) -> list[_Found]:
    import trafilatura  # imported here: it costs ~0.1 s of start-up that plain-text runs never need

    # Precision first: on real pages it keeps less comment, paywall and newsletter text (issue 12:
    # +0.04 F1 over the default on 23 pages; on bench/evalset's pages the two extract the same
    # text). A page it reads as (nearly) empty gets the default, then the recall-leaning mode.
    doc: Any = None
    for precision, recall in ((True, False), (False, False), (False, True)):
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            favor_precision=precision,
            favor_recall=recall,
            date_extraction_params=_DATE_PARAMS,
        )
        if doc is not None and doc.text and len(str(doc.text).split()) >= clean.MIN_ARTICLE_WORDS:
            break
    if doc is None or not doc.text:
        raise InputError("no article text found in the HTML", source=source)
    page = _html_meta(html, doc)
    article = clean.make_article(str(doc.text).splitlines(), title=doc.title or None, site=page.site_name)
    return [(*article, page)] if article else []


_DATE_PARAMS = {"original_date": True, "extensive_search": False}
"""htmldate reads the page's markup only: its extensive search takes any year in the text ("the last
strike, in 2019") for the publication date."""
_HTML_TITLE = re.compile(r"<title[^>]*>([^<]{1,400})</title>", re.IGNORECASE)


def _html_meta(html: str, doc: Any) -> meta_rules.Meta:
    """Outlet (``og:site_name``, else the ``<title>``'s site suffix, else the domain), author, date
    and language of a page, from trafilatura's metadata and the page's own tags."""
    head = html[: html.find("</head>")] if "</head>" in html else html[:8192]
    declared = {name.lower(): value for name, value in _HTML_META.findall(head)}
    raw_title = _HTML_TITLE.search(head)
    site = meta_rules.clean_value(doc.sitename)
    if site is None and raw_title and doc.title:
        site = meta_rules.site_from_suffix(html_lib.unescape(raw_title.group(1)), str(doc.title))
    return meta_rules.Meta(
        site_name=site or meta_rules.site_from_domain(doc.hostname),
        # trafilatura's author filter drops names in Chinese or Japanese script: the tag says it.
        author=meta_rules.author_name(doc.author) or meta_rules.author_name(declared.get("author")),
        published=meta_rules.iso_date(doc.date),
        language=_html_language(html) or meta_rules.clean_value(doc.language),
    )


_HTML_META = re.compile(
    r"""<meta\s+(?:name|property)\s*=\s*["']([\w:.-]+)["']\s+content\s*=\s*["']([^"']*)["']""", re.IGNORECASE
)
_HTML_LANG = re.compile(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)


def _html_language(html: str) -> str | None:
    m = _HTML_LANG.search(html[:4096])
    return m.group(1).lower() if m else None


def _from_json(text: str, *, source: str) -> list[_Found]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", source=source
        ) from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise InputError("the JSON list is empty", source=source)
    shape = 'an object with a "text", "body" or "content" string (and optional "title"), or a list of them'
    articles: list[_Found] = []
    for n, item in enumerate(items):
        where = f"JSON item {n + 1}" if isinstance(data, list) else "the JSON"
        if not isinstance(item, dict):
            raise InputError(f"{where} is a {type(item).__name__}; expected {shape}", source=source)
        body = next((item[k] for k in _BODY_KEYS if isinstance(item.get(k), str) and item[k].strip()), None)
        if body is None:
            raise InputError(f"{where} has no non-empty text; expected {shape}", source=source)
        title = next((item[k] for k in _TITLE_KEYS if isinstance(item.get(k), str) and item[k].strip()), None)
        page = meta_rules.from_mapping(item)
        if _HTML_TAGS.search(body):
            found = _from_html(body, source=source)
            lines = found[0][1].splitlines() if found else []
            if found:
                page = page.fill(found[0][2])
        else:
            lines = clean.unwrap(body.splitlines())
        article = clean.make_article(lines, title=title, site=page.site_name)
        if article:
            articles.append((*article, page))
    return articles


def _markdown_to_text(text: str) -> str:
    from summarizer import mdtext  # imported here: markdown-it is needed only for Markdown input

    return mdtext.to_text(text)
