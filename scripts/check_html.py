"""Open a ``summarizer compare --format html`` report in headless Chromium and check it.

Usage::

    python scripts/check_html.py REPORT.html [--screenshot OUT.png] [--chromium PATH]

Needs Chromium. On Debian/Ubuntu (as root)::

    apt-get update && apt-get install -y chromium

Checks, all against what the real browser built (not our own parser):

* it renders: ``--dump-dom`` holds the report's ``<title>``, the ``<h1>``,
  and exactly the ``<mark id=…>`` passages the file declares, each inside the
  ``<article id="src-…">`` of its own source (so article text such as
  ``</article>`` or ``<script>`` was escaped, not parsed), and no ``<script>``;
* every ``href="#…"`` resolves to exactly one element, and each quote link's
  text occurs in the passage it points to;
* nothing loads from the network. Chromium runs with
  ``--host-resolver-rules="MAP * ~NOTFOUND"`` (every host, IP literals too,
  fails to resolve, so nothing can leave) and ``--log-net-log``; the check
  fails if the page started any network request (requests whose isolation key
  is the ``file://`` page; Chromium's own background calls such as
  update.googleapis.com are counted in a note, not failed), if anyone attempted
  a TCP connection or sent a packet, or if the page logged any console message (a
  Content-Security-Policy violation or a failed load is logged there);
* ``--screenshot`` (1200×2000) writes a non-blank PNG of that size.

Exits 0 when all pass, 1 with one ``FAIL:`` line per problem, 2 when
Chromium is missing or does not run. Chromium runs with ``--no-sandbox``
(required as root in containers) on a throwaway profile; the page is local
and its CSP forbids scripts and network loads.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

TIMEOUT_S = 90
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BASE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    "--log-level=0",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_CONSOLE = re.compile(r":CONSOLE[^\]]*\]\s*(.*)")


class ChromiumError(Exception):
    """Chromium is missing, crashed or timed out: the check could not run."""


@dataclass
class Dom:
    """What a parse of one HTML document found."""

    title: str = ""
    h1: str = ""
    ids: dict[str, int] = field(default_factory=dict)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    """(href, class, text) for every ``<a href="#…">``."""
    marks: dict[str, str] = field(default_factory=dict)
    """Mark id → its full text (nested marks included)."""
    mark_article: dict[str, str] = field(default_factory=dict)
    """Mark id → id of the innermost ``<article>`` around it."""
    scripts: int = 0
    csp: str = ""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dom = Dom()
        self._open: list[tuple[str, str | None]] = []
        self._text: dict[str, list[str]] = {}
        self._link: tuple[str, str, list[str]] | None = None
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        ident = a.get("id")
        if ident:
            self.dom.ids[ident] = self.dom.ids.get(ident, 0) + 1
        if tag == "script":
            self.dom.scripts += 1
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.dom.csp = a.get("content", "")
        if tag in ("title", "h1"):
            self._in = tag
        if tag == "a" and a.get("href", "").startswith("#"):
            self._link = (a["href"], a.get("class", ""), [])
        if tag == "mark" and ident:
            article = next((i for t, i in reversed(self._open) if t == "article" and i), "")
            self.dom.mark_article[ident] = article
            self._text[ident] = []
        if tag not in _VOID:
            self._open.append((tag, ident))

    def handle_endtag(self, tag: str) -> None:
        if not any(t == tag for t, _ in self._open):
            return  # stray end tag: nothing to close
        if tag in ("title", "h1"):
            self._in = None
        if tag == "a" and self._link is not None:
            href, cls, parts = self._link
            self.dom.links.append((href, cls, "".join(parts)))
            self._link = None
        while self._open:
            t, ident = self._open.pop()
            if t == "mark" and ident:
                self.dom.marks[ident] = "".join(self._text.pop(ident))
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.dom.title += data
        elif self._in == "h1":
            self.dom.h1 += data
        if self._link is not None:
            self._link[2].append(data)
        for parts in self._text.values():
            parts.append(data)


def parse(html: str) -> Dom:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.dom


def _norm(text: str) -> str:
    return " ".join(text.replace("“", "").replace("”", "").split())


def check_dom(dom: Dom, declared: Dom) -> list[str]:
    """Problems in the browser's DOM, given what the file itself declares."""
    problems: list[str] = []
    if not dom.title.strip() or " ".join(dom.title.split()) != " ".join(declared.title.split()):
        problems.append(f"rendered title {dom.title!r} differs from the file's {declared.title!r}")
    if not dom.h1.strip():
        problems.append("no <h1> in the rendered page")
    if dom.scripts:
        problems.append(f"{dom.scripts} <script> element(s) in the rendered DOM (article text not escaped?)")
    if "default-src 'none'" not in dom.csp:
        problems.append(f"no Content-Security-Policy with default-src 'none' (found {dom.csp!r})")
    if not dom.marks:
        problems.append("no <mark id=…> passages rendered")
    if set(dom.marks) != set(declared.marks):
        problems.append(f"marks differ from the file: {sorted(set(dom.marks) ^ set(declared.marks))[:5]}")
    for ident, article in dom.mark_article.items():
        if article != f"src-{ident.rsplit('-', 2)[0]}":
            problems.append(
                f"mark {ident} sits in <article id={article!r}>, not its source's (text escaped?)"
            )
    for ident, count in dom.ids.items():
        if count > 1:
            problems.append(f"id {ident!r} occurs {count} times")
    for href, cls, text in dom.links:
        target = href[1:]
        if dom.ids.get(target, 0) != 1:
            problems.append(f"link {href} has no target")
        elif "quote" in cls.split():
            marked = dom.marks.get(target)
            if marked is None:
                problems.append(f"quote link {href} does not point to a <mark>")
            elif _norm(text) not in _norm(marked):
                problems.append(f"quote {text!r} is not in the passage {href} ({marked!r})")
    return problems


def _page_requests(netlog: dict[str, Any]) -> tuple[list[str], list[str], int]:
    """(URLs the page requested, URLs Chromium requested itself, TCP connects and bytes sent by anyone)."""
    names = {v: k for k, v in netlog.get("constants", {}).get("logEventTypes", {}).items()}
    page: list[str] = []
    browser: list[str] = []
    connects = 0
    for event in netlog.get("events", []):
        kind = names.get(event.get("type"), "")
        params = event.get("params") or {}
        # A UDP "connect" sends nothing (the resolver uses one to probe IPv6 routes), so UDP counts
        # only when bytes go out.
        if kind in ("TCP_CONNECT", "TCP_CONNECT_ATTEMPT", "UDP_BYTES_SENT", "SOCKET_BYTES_SENT"):
            connects += 1
        if kind == "URL_REQUEST_START_JOB" and "url" in params:
            key = str(params.get("network_isolation_key", ""))
            from_page = "file://" in key or params.get("initiator") in ("null", "file://")
            (page if from_page else browser).append(str(params["url"]))
    return page, browser, connects


def _chromium(binary: str, url: str, extra: list[str]) -> tuple[str, str, dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="check-html-") as tmp:
        netlog = Path(tmp) / "netlog.json"
        cmd = [binary, *BASE_FLAGS, f"--user-data-dir={tmp}/profile", f"--log-net-log={netlog}", *extra, url]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ChromiumError(f"chromium did not finish within {TIMEOUT_S} s") from exc
        except OSError as exc:
            raise ChromiumError(f"cannot run {binary}: {exc}") from exc
        if done.returncode != 0:
            tail = "\n".join(done.stderr.splitlines()[-5:])
            raise ChromiumError(f"chromium exited with {done.returncode}:\n{tail}")
        try:
            log = json.loads(netlog.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ChromiumError(
                f"chromium wrote no readable net log ({exc}); cannot check network use"
            ) from exc
        return done.stdout, done.stderr, log


def _network_problems(stderr: str, netlog: dict[str, Any], run: str) -> list[str]:
    problems: list[str] = []
    page, browser, connects = _page_requests(netlog)
    problems += [f"{run}: the page requested {u}" for u in page]
    if connects:
        problems.append(f"{run}: {connects} TCP connection attempt(s) or packet(s) sent in the net log")
    console = [m.group(1) for m in map(_CONSOLE.search, stderr.splitlines()) if m]
    problems += [f"{run}: console message: {line[:200]}" for line in console]
    if browser:
        print(
            f"note: {run}: Chromium's own background requests (blocked, not counted): {len(browser)}",
            file=sys.stderr,
        )
    return problems


def _png_problems(path: Path, size: tuple[int, int]) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError:
        return [f"no screenshot written to {path}"]
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return [f"{path} is not a PNG"]
    width, height = struct.unpack(">II", data[16:24])
    problems = (
        [] if (width, height) == size else [f"screenshot is {width}×{height}, expected {size[0]}×{size[1]}"]
    )
    idat, pos = b"", 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    if len(set(zlib.decompress(idat))) < 16:
        problems.append("screenshot looks blank")
    return problems


def check(report: Path, binary: str, screenshot: Path | None) -> list[str]:
    declared = parse(report.read_text(encoding="utf-8"))
    url = report.resolve().as_uri()
    dom_text, stderr, netlog = _chromium(binary, url, ["--dump-dom"])
    dom = parse(dom_text)
    problems = check_dom(dom, declared) + _network_problems(stderr, netlog, "dump-dom")
    if screenshot is not None:
        size = (1200, 2000)
        _, stderr, netlog = _chromium(
            binary, url, [f"--screenshot={screenshot}", f"--window-size={size[0]},{size[1]}"]
        )
        problems += _network_problems(stderr, netlog, "screenshot") + _png_problems(screenshot, size)
    if not problems:
        quotes = sum(1 for _, cls, _ in dom.links if "quote" in cls.split())
        print(
            f"OK: {report} renders in {binary}: title {dom.title!r}, {len(dom.marks)} marks, "
            f"{len(dom.links)} internal links ({quotes} quotes) resolve, no network requests"
            + (f", screenshot {screenshot}" if screenshot else "")
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("report", type=Path, help="the HTML report to check")
    ap.add_argument("--screenshot", type=Path, help="also write a 1200×2000 PNG screenshot here")
    ap.add_argument("--chromium", help="the Chromium binary (default: found on PATH)")
    args = ap.parse_args(argv)
    binary = args.chromium or next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    if binary is None:
        print("error: Chromium not found; install it with: apt-get install -y chromium", file=sys.stderr)
        return 2
    if not args.report.is_file():
        print(f"error: no such file: {args.report}", file=sys.stderr)
        return 2
    try:
        problems = check(args.report, binary, args.screenshot)
    except ChromiumError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
