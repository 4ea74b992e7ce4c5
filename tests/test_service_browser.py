"""The web UI in a real browser: Debian's headless Chromium driven by Playwright, against the real
server (uvicorn on 127.0.0.1, a free port, the offline engine, a temporary store).

Drives what a reader does: paste an article and submit it, read the summary, open a quote and see
its passage highlighted (the ``:target`` style as computed by the browser), upload an outlet's
articles, compare them, filter the open-questions board and open an answering passage. Every page
is also checked for console messages (a Content-Security-Policy violation is logged there) and for
sideways scrolling at a phone's width.

Skipped only where Chromium or the ``playwright`` package is missing. Playwright's own browser
download is never used: it launches the system's Chromium (``UI_CHROMIUM`` overrides the path).
Set ``UI_SCREENSHOTS=DIR`` to keep screenshots of the pages.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from summarizer.service.app import create_app
from summarizer.service.config import ServiceConfig
from summarizer.settings import Settings

from .conftest import CORPUS, ROOT
from .service_support import live_server

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = os.environ.get("UI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",  # root in a container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Nothing but the test server resolves: the pages load nothing else, and Chromium calls no one.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
TIMEOUT_MS = 10_000
TARGET = "rgb(255, 179, 71)"
"""``--target`` in base.css (#ffb347): the background of the mark a quote opened."""
EXAMPLE = ROOT / "examples" / "riverside-bridge.txt"
PORT_STRIKE = sorted((CORPUS / "port-strike").iterdir())

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(), reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    config = ServiceConfig(settings=Settings(engine="offline"), db=tmp_path / "store.db")
    with live_server(create_app(config)) as url:
        yield url


@pytest.fixture
def page(server: str) -> Iterator[Page]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, timeout=30_000)
        try:
            context = browser.new_context(base_url=server, viewport={"width": 1100, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            tab = context.new_page()
            messages: list[str] = []
            tab.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
            tab.on("pageerror", lambda e: messages.append(f"error: {e}"))
            yield tab
            # A CSP violation or a blocked load is logged here. An error status the test asked for
            # (the form's 422) is logged too, as a failed load of the page itself: not a problem.
            problems = [m for m in messages if "the server responded with a status of 422" not in m]
            assert problems == [], problems
        finally:
            browser.close()


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("UI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def _target(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(
        """() => {
            const t = document.querySelector(':target');
            return t ? {tag: t.tagName, id: t.id, text: t.textContent,
                        background: getComputedStyle(t).backgroundColor} : {};
        }"""
    )
    return found


def _no_sideways_scroll(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    wide = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size({"width": 1100, "height": 900})
    assert wide <= 0, f"{page.url} scrolls sideways by {wide}px at 360px"


def _norm(text: str) -> str:
    return " ".join(text.replace("“", "").replace("”", "").split())


def test_submit_read_open_a_quote_compare_and_filter_questions(page: Page) -> None:
    # Paste an article and submit the form.
    page.goto("/")
    _no_sideways_scroll(page)
    page.fill("#text", EXAMPLE.read_text(encoding="utf-8"))
    page.click("button[type=submit]")
    page.wait_for_url("**/articles/*")
    assert page.inner_text("h1") == "Riverside Bridge to Close for Six Weeks of Repairs"
    assert page.locator("#key-points li").count() >= 3
    assert _target(page) == {}
    _no_sideways_scroll(page)
    _shot(page, "article")

    # Open a quote: its passage is the page's target, highlighted by the :target style.
    quote = page.locator("#questions a.quote").first
    words = _norm(quote.inner_text())
    href = quote.get_attribute("href")
    assert href and href.startswith("#p-")
    quote.click()
    page.wait_for_function("h => location.hash === h", arg=href)
    opened = _target(page)
    assert opened["tag"] == "MARK" and opened["id"] == href[1:]
    assert words in _norm(opened["text"])
    assert opened["background"] == TARGET
    untouched = page.evaluate(
        "() => getComputedStyle(document.querySelector('mark:not(:target)')).backgroundColor"
    )
    assert untouched != TARGET
    _shot(page, "article-quote-opened")

    # An error re-renders the form with the message.
    page.goto("/")
    page.fill("#text", "Far too short.")
    page.click("button[type=submit]")
    assert "too short to be an article" in page.inner_text("#form-error")
    assert page.input_value("#text") == "Far too short."

    # Upload four outlets' articles on one story, then compare them.
    for path in PORT_STRIKE:
        page.goto("/")
        page.set_input_files("#file", str(path))
        page.click("button[type=submit]")
        page.wait_for_url("**/articles/*")
    page.goto("/compare")
    _no_sideways_scroll(page)
    for box in page.locator("input[name=article]").all():
        if "Riverside" not in (box.evaluate("b => b.closest('li').textContent") or ""):
            box.check()
    page.click("form[method=post] button[type=submit]")
    page.wait_for_url("**/stories/*")
    assert page.locator("#texts mark").count() > 0
    _no_sideways_scroll(page)
    _shot(page, "story")

    # The questions board, filtered by kind with the GET form.
    page.goto("/questions")
    everything = page.locator("li.question").count()
    page.select_option("select[name=kind]", "timing_unset")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/questions?kind=timing_unset*")
    kinds = page.locator("li.question").evaluate_all("els => els.map(e => e.dataset.kind)")
    assert kinds and set(kinds) == {"timing unset"} and len(kinds) < everything
    _no_sideways_scroll(page)
    _shot(page, "questions-timing-unset")

    # A question a later comparison answered: open the answering passage in its article.
    page.select_option("select[name=status]", "answered")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**status=answered*")
    answered = page.locator("li.question").first
    answer = answered.locator("p.answer + ul a.quote")
    words = _norm(answer.inner_text())
    answer.click()
    page.wait_for_url("**/articles/*#p-*")
    opened = _target(page)
    assert opened["tag"] == "MARK" and words in _norm(opened["text"])
    assert opened["background"] == TARGET
    _shot(page, "answer-opened")
