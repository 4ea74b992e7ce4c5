"""The web UI through FastAPI's TestClient: every page, the form errors, escaping, login and cookie.

The store is a temporary file and the engine the offline one, so every summary and comparison
here is real (no fake engine): what a page shows is checked against what the store holds.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from summarizer import ingest
from summarizer.errors import InputError
from summarizer.service import views, web
from summarizer.service.app import create_app
from summarizer.service.config import ServiceConfig
from summarizer.settings import Settings

from .conftest import CORPUS, ROOT

EXAMPLE = ROOT / "examples" / "riverside-bridge.txt"
PORT_STRIKE = sorted((CORPUS / "port-strike").iterdir())
TOKEN = "web-ui-test-token-0123456789"
HASH = re.compile(r"/articles/([0-9a-f]{64})$")

TEMPLATE_ARTICLE = (
    "Harbour Office Website Shows Raw Template Code\n\n"
    "The harbour office of Lindvik said on Tuesday that its website had shown the text "
    "<script>alert('lindvik')</script> on the ferry timetable page for most of the morning.\n\n"
    "Press officer Mira Solberg said the page also displayed {{ 7*7 }} and {% raw %} where "
    "departure times should have been, because a template was published before it was filled in.\n\n"
    "The office has not said when the new timetable system will be ready, and a decision on "
    "whether to keep the old supplier is still pending."
)


class Page(HTMLParser):
    """What a test needs from a page: marks (id → text), links (href → text), scripts, CSP."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: dict[str, str] = {}
        self.links: list[tuple[str, str, str]] = []
        self.ids: list[str] = []
        self.scripts = 0
        self.csp = ""
        self._open_marks: list[str] = []
        self._texts: dict[str, list[str]] = {}
        self._link: tuple[str, str, list[str]] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "script":
            self.scripts += 1
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = a.get("content", "")
        if tag == "mark":
            self._open_marks.append(a.get("id", ""))
            self._texts[a.get("id", "")] = []
        if tag == "a":
            self._link = (a.get("href", ""), a.get("class", ""), [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._open_marks:
            ident = self._open_marks.pop()
            self.marks[ident] = "".join(self._texts.pop(ident))
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], self._link[1], "".join(self._link[2])))
            self._link = None

    def handle_data(self, data: str) -> None:
        for ident in self._open_marks:
            self._texts[ident].append(data)
        if self._link is not None:
            self._link[2].append(data)

    def quotes(self) -> list[tuple[str, str]]:
        return [(href, text) for href, cls, text in self.links if "quote" in cls.split()]


def _flat(text: str) -> str:
    return " ".join(text.replace("“", "").replace("”", "").split())


def _app(tmp_path: Path, **settings: object) -> TestClient:
    config = ServiceConfig(settings=Settings(engine="offline", **settings), db=tmp_path / "store.db")  # type: ignore[arg-type]
    return TestClient(create_app(config), follow_redirects=False)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with _app(tmp_path) as c:
        yield c


def _paste(client: TestClient, text: str, title: str = "") -> str:
    r = client.post("/", data={"text": text, "title": title})
    assert r.status_code == 303, r.text
    found = HASH.search(r.headers["location"])
    assert found, r.headers["location"]
    return found.group(1)


def _upload(client: TestClient, path: Path) -> str:
    r = client.post("/", files={"file": (path.name, path.read_bytes())})
    assert r.status_code == 303, r.text
    found = HASH.search(r.headers["location"])
    assert found
    return found.group(1)


def _story(client: TestClient) -> tuple[int, list[str]]:
    hashes = [_upload(client, p) for p in PORT_STRIKE]
    r = client.post("/compare", data={"article": hashes})
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith("/stories/")
    return int(r.headers["location"].rsplit("/", 1)[1]), hashes


PAGES = ["/", "/articles", "/stories", "/questions", "/compare"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_nav_the_policy_and_an_empty_state(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = Page(r.text)
    assert page.scripts == 0
    hrefs = {href for href, _, _ in page.links}
    assert {"/", "/articles", "/stories", "/questions", "/compare"} <= hrefs
    assert 'aria-current="page"' in r.text
    for policy in (page.csp, r.headers["content-security-policy"]):
        assert "default-src 'none'" in policy and "form-action 'self'" in policy
        assert "script-src" not in policy
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert "frame-ancestors" not in page.csp  # ignored (and complained about) in a meta element
    assert r.headers["x-content-type-options"] == "nosniff"
    if path != "/":
        assert 'class="empty"' in r.text


def test_pasted_article_becomes_a_summary_whose_quotes_open_their_passages(client: TestClient) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    content_hash = _paste(client, text)
    r = client.get(f"/articles/{content_hash}")
    assert r.status_code == 200
    page = Page(r.text)
    assert "<h1>Riverside Bridge to Close for Six Weeks of Repairs</h1>" in r.text
    for section in ("key-points", "statements", "entities", "dates", "questions", "text"):
        assert section in page.ids
    quotes = page.quotes()
    assert len(quotes) >= 5
    stored = client.get(f"/v1/articles/{content_hash}").json()
    for href, quote in quotes:
        assert href.startswith("#p-"), href
        target = href[1:]
        assert target in page.marks, f"{href} has no mark"
        assert _flat(quote) in _flat(page.marks[target])
        start, end = map(int, target.split("-")[1:])
        assert page.marks[target] == stored["text"][start:end]
    assert len(set(page.ids)) == len(page.ids)
    # The article text is shown whole: the marks wrap passages of it, nothing is lost between them.
    body = r.text.split('<div class="text">', 1)[1].split("</div>", 1)[0]
    assert html.unescape(re.sub(r"<[^>]+>", "", body)) == stored["text"]


def test_a_key_point_that_is_its_quote_is_shown_once(client: TestClient) -> None:
    content_hash = _paste(client, EXAMPLE.read_text(encoding="utf-8"))
    r = client.get(f"/articles/{content_hash}")
    section = r.text.split('id="key-points"', 1)[1].split("</section>", 1)[0]
    points = client.get(f"/v1/articles/{content_hash}").json()["summaries"][0]["summary"]["key_points"]
    verbatim = [p for p in points if _flat(p["point"]) == _flat(p["evidence"][0]["quote"])]
    assert verbatim and len(verbatim) < len(points)
    shown = _flat(html.unescape(re.sub(r"<[^>]+>", " ", section)))
    claims = [html.unescape(c) for c in re.findall(r'<p class="claim">([^<]*)</p>', section)]
    for p in points:
        if p in verbatim:
            assert shown.count(_flat(p["point"])) == 1
        else:
            assert p["point"] in claims
    assert section.count('class="quote"') == len(points)  # every point still opens its passage


def test_the_page_says_what_the_offline_engine_could_not_read(client: TestClient) -> None:
    from .test_offline_questions import ITALIAN

    r = client.get(f"/articles/{_paste(client, ITALIAN)}")
    assert r.status_code == 200
    assert "Note: the article reads as Italian (it)" in r.text
    assert "None found (the note above says what this engine cannot read" in r.text


def test_an_upload_is_read_by_its_suffix(client: TestClient) -> None:
    md = PORT_STRIKE[1]
    assert md.suffix == ".md"
    content_hash = _upload(client, md)
    expected = ingest.from_bytes(md.read_bytes(), source=md.name, kind="md")[0]
    assert content_hash == expected.content_hash
    assert expected.title in client.get(f"/articles/{content_hash}").text


def _cli_message(data: bytes, source: str) -> str:
    with pytest.raises(InputError) as caught:
        ingest.from_bytes(data, source=source)
    return str(caught.value)


def test_form_errors_show_the_cli_message_and_keep_the_text(client: TestClient) -> None:
    short = "Too short </textarea><script>alert(1)</script>"
    r = client.post("/", data={"text": short, "title": ""})
    assert r.status_code == 422
    message = _cli_message(short.encode(), web.PASTED)
    assert "too short to be an article" in message
    assert html.escape(message, quote=False) in r.text
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in r.text
    assert Page(r.text).scripts == 0
    assert "Traceback" not in r.text

    png = (CORPUS / "singles" / "photo.txt").read_bytes()
    r = client.post("/", files={"file": ("photo.txt", png)})
    assert r.status_code == 422
    assert html.escape(_cli_message(png, "photo.txt"), quote=False) in r.text
    assert "binary, not text" in r.text

    r = client.post("/", data={"text": "   "})
    assert r.status_code == 422 and "nothing to summarize" in r.text
    r = client.post(
        "/", data={"text": EXAMPLE.read_text(encoding="utf-8")}, files={"file": ("a.txt", b"some text")}
    )
    assert r.status_code == 422 and "not both" in r.text
    assert client.get("/v1/articles").json() == []


def test_article_text_and_model_output_are_data_never_markup_or_template(client: TestClient) -> None:
    content_hash = _paste(client, TEMPLATE_ARTICLE)
    for path in (f"/articles/{content_hash}", "/articles", "/questions", "/"):
        r = client.get(path)
        assert r.status_code == 200
        page = Page(r.text)
        assert page.scripts == 0, path
        assert "<script>alert" not in r.text
    r = client.get(f"/articles/{content_hash}")
    assert "&lt;script&gt;alert(&#39;lindvik&#39;)&lt;/script&gt;" in r.text
    assert "{{ 7*7 }}" in r.text and "{% raw %}" in r.text
    # A quote holding the template text links to a mark holding it too.
    quotes = [(h, q) for h, q in Page(r.text).quotes() if "{{ 7*7 }}" in q]
    assert quotes
    assert "{{ 7*7 }}" in Page(r.text).marks[quotes[0][0][1:]]
    assert "Harbour Office Website Shows Raw Template Code</h1>" in r.text
    board = client.get("/questions").text
    assert "Harbour Office Website Shows Raw Template Code" in board


def test_crossing_quotes_nest_as_one_mark_and_each_links_to_the_smallest_holding_it() -> None:
    text = "abcdefghijklmnopqrstuvwxyz"
    marks = views.Marks.of(text, [("a", 2, 10), ("b", 5, 15), ("c", 6, 8), ("d", 20, 24)])
    assert marks.spans == [(2, 15), (6, 8), (20, 24)]
    assert marks.target == {(2, 10): "p-2-15", (5, 15): "p-2-15", (6, 8): "p-6-8", (20, 24): "p-20-24"}
    assert marks.cited_in["p-2-15"] == ["a", "b"]
    drawn = "".join("[" if p.kind == "open" else "]" if p.kind == "close" else p.text for p in marks.pieces())
    assert drawn == "ab[cdef[gh]ijklmno]pqrst[uvwx]yz"


def test_a_passage_opened_from_elsewhere_lands_on_the_mark_that_holds_it(client: TestClient) -> None:
    content_hash = _paste(client, EXAMPLE.read_text(encoding="utf-8"))
    page = Page(client.get(f"/articles/{content_hash}").text)
    first = next(iter(page.marks))
    start, end = map(int, first.split("-")[1:])
    # A passage crossing the first quote's end: the page draws their union, and the link opens it.
    crossing = (start + 5, end + 20)
    r = client.get(f"/articles/{content_hash}/passage?start={crossing[0]}&end={crossing[1]}")
    assert r.status_code == 303
    location = r.headers["location"]
    path, fragment = location.split("#")
    assert path == f"/articles/{content_hash}?start={crossing[0]}&end={crossing[1]}"
    opened = Page(client.get(path).text)
    assert fragment in opened.marks
    a, b = map(int, fragment.split("-")[1:])
    assert a <= start < end <= b and a <= crossing[0] < crossing[1] <= b  # their union (or more)
    holding = [
        m for m in opened.marks if int(m.split("-")[1]) <= crossing[0] < crossing[1] <= int(m.split("-")[2])
    ]
    assert fragment == min(holding, key=lambda m: len(opened.marks[m]))
    assert first not in opened.marks  # merged into the union
    r = client.get(f"/articles/{content_hash}/passage?start=0&end=999999")
    assert r.status_code == 404 and "not in the article" in r.text


def test_unknown_pages_are_html_404s(client: TestClient) -> None:
    for path in ("/articles/" + "0" * 64, "/articles/not-a-hash", "/stories/999", "/stories/x"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("text/html")
        assert "Not found" in r.text
    r = client.get("/articles?offset=-1")
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")


def test_articles_list_and_search(client: TestClient) -> None:
    _paste(client, EXAMPLE.read_text(encoding="utf-8"))
    _paste(client, TEMPLATE_ARTICLE)
    r = client.get("/articles")
    assert "Riverside Bridge" in r.text and "Harbour Office" in r.text
    r = client.get("/articles", params={"q": "Lindvik"})
    assert "Harbour Office" in r.text and "Riverside Bridge" not in r.text
    r = client.get("/articles", params={"q": "no such words <b>"})
    assert "No article holds “no such words &lt;b&gt;”" in r.text


def test_compare_keeps_a_story_and_the_board_shows_who_answered(client: TestClient) -> None:
    story_id, hashes = _story(client)
    r = client.get(f"/stories/{story_id}")
    assert r.status_code == 200
    page = Page(r.text)
    assert page.scripts == 0 and "form-action 'self'" in page.csp
    assert {f"/articles/{h}" for h in hashes} <= {href for href, _, _ in page.links}
    quotes = page.quotes()
    assert quotes
    for href, quote in quotes:  # the source texts came back from the articles table
        assert _flat(quote) in _flat(page.marks[href[1:]])
    assert "/stories/1" in client.get("/stories").text
    assert f'href="/stories/{story_id}"' in client.get(f"/articles/{hashes[0]}").text

    board = client.get("/questions", params={"status": "answered"})
    assert board.status_code == 200
    api = client.get("/v1/questions", params={"status": "answered"}).json()
    assert api, "the port-strike comparison answers at least one question"
    text = board.text
    assert text.count('class="question"') == len(api)
    for q in api:
        assert html.escape(q["question"], quote=False) in text
        assert f'href="/articles/{q["answered_by"]}"' in text
    # The answering passage opens in the answering article, highlighted.
    answer = next(
        h for h, _, _ in Page(text).links if h.startswith(f"/articles/{api[0]['answered_by']}/passage")
    )
    r = client.get(html.unescape(answer))
    assert r.status_code == 303
    path, fragment = r.headers["location"].split("#")
    opened = Page(client.get(path).text)
    assert _flat(api[0]["answer"]) in _flat(opened.marks[fragment])


def test_questions_board_filters(client: TestClient) -> None:
    story_id, _ = _story(client)
    _paste(client, EXAMPLE.read_text(encoding="utf-8"))
    everything = client.get("/v1/questions", params={"limit": 500}).json()
    kinds = {q["kind"] for q in everything}
    assert len(kinds) > 1
    for kind in kinds:
        r = client.get("/questions", params={"kind": kind})
        shown = re.findall(r'<li class="question" data-kind="([^"]+)"', r.text)
        assert shown and set(shown) == {views.kind_label(kind)}
        assert len(shown) == sum(q["kind"] == kind for q in everything)
        assert f'<option value="{kind}" selected>' in r.text
    in_story = client.get("/questions", params={"story": str(story_id)}).text
    assert "Riverside Bridge" not in in_story and "Calderra" in in_story
    assert "Riverside Bridge" in client.get("/questions").text
    none = client.get("/questions", params={"kind": "timing_unset", "status": "contradicted"})
    assert none.status_code == 200
    assert "No question matches these filters" in none.text or 'class="question"' in none.text
    bad = client.get("/questions", params={"kind": "nonsense<b>"})
    assert bad.status_code == 422 and "unknown kind &#39;nonsense&lt;b&gt;&#39;" in bad.text


def test_compare_needs_two_articles(client: TestClient) -> None:
    one = _paste(client, EXAMPLE.read_text(encoding="utf-8"))
    r = client.post("/compare", data={"article": [one]})
    assert r.status_code == 422
    assert "compare needs at least two articles" in r.text
    assert f'value="{one}" checked' in r.text
    assert client.get("/v1/stories").json() == []


def test_cross_site_form_posts_are_refused(client: TestClient) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for headers in ({"origin": "http://evil.example"}, {"sec-fetch-site": "cross-site"}):
        r = client.post("/", data={"text": text}, headers=headers)
        assert r.status_code == 403, headers
        assert "another site" in r.text
    assert client.get("/v1/articles").json() == []
    same = client.post("/", data={"text": text}, headers={"origin": "http://testserver"})
    assert same.status_code == 303


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[TestClient]:
    with _app(tmp_path, service_token=TOKEN) as c:
        yield c


def test_without_the_token_every_page_redirects_to_login(guarded: TestClient) -> None:
    for path in [*PAGES, "/articles/" + "0" * 64, "/questions?kind=other"]:
        r = guarded.get(path)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/login?next=")
    r = guarded.post("/", data={"text": EXAMPLE.read_text(encoding="utf-8")})
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert guarded.get("/login").status_code == 200
    assert guarded.get("/v1/articles").status_code == 401  # the API answers, it does not redirect


def test_login_sets_an_httponly_lax_cookie_and_never_echoes_the_token(guarded: TestClient) -> None:
    r = guarded.post("/login", data={"token": "wrong-token-of-some-length", "next": "/questions"})
    assert r.status_code == 401
    assert "wrong-token-of-some-length" not in r.text and TOKEN not in r.text
    assert "set-cookie" not in r.headers

    r = guarded.post("/login", data={"token": TOKEN, "next": "/questions?kind=other"})
    assert r.status_code == 303 and r.headers["location"] == "/questions?kind=other"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"summarizer_token={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    for path in PAGES:
        page = guarded.get(path)
        assert page.status_code == 200, path
        assert TOKEN not in page.text
        assert "/logout" in page.text
    r = guarded.post("/logout")
    assert r.status_code == 303
    assert guarded.get("/").status_code == 303


def test_login_goes_back_only_to_this_site(guarded: TestClient) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        r = guarded.post("/login", data={"token": TOKEN, "next": target})
        assert r.status_code == 303 and r.headers["location"] == "/", target
    r = guarded.get("/login", params={"next": "//evil.example"})
    assert 'name="next" value="/"' in r.text


def test_a_bearer_header_opens_the_pages_too(guarded: TestClient) -> None:
    r = guarded.get("/articles", headers={"authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200


def test_without_a_token_configured_login_is_not_needed(client: TestClient) -> None:
    r = client.get("/login", params={"next": "/questions"})
    assert r.status_code == 303 and r.headers["location"] == "/questions"
    assert "/logout" not in client.get("/").text
