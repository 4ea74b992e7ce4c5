"""The web UI: server-rendered pages over the same service (no scripts, no CDN, no build step).

Pages: ``/`` (paste or upload an article), ``/articles`` and
``/articles/{hash}`` (a summary whose every quote opens its highlighted
passage), ``/stories`` and ``/stories/{id}`` (kept comparisons),
``/questions`` (the open-questions board), ``/compare`` (pick stored articles,
compare them), ``/login`` and ``/logout`` (the token cookie). What a page shows
is built in ``views``; the markup is in ``templates/ui/``.

Every page route goes through ``PageRoute``, which owns what the pages share:
without the service token (when one is configured) a page redirects to
``/login``; a form POST from another site is refused (the pages use the
cookie, which a cross-site form would otherwise carry when the token is
unset); failures become an HTML page with the CLI's message and the API's
status code, never a traceback; and every answer carries the
Content-Security-Policy (no scripts, no loads, forms to this origin only).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from summarizer import __version__, ingest, pages
from summarizer.article import Article
from summarizer.comparison.render_html import report_view
from summarizer.comparison.schema import QuestionStatus
from summarizer.comparison.stories import acompare_plan, plan_articles
from summarizer.errors import ConfigError, InputError, RequestRefused, SummarizerError
from summarizer.redaction import redact
from summarizer.schema import QuestionKind
from summarizer.service import problems, views
from summarizer.service.api import safe_name
from summarizer.service.security import OPEN_PATHS, TOKEN_COOKIE, same_origin, token_ok
from summarizer.service.state import Service

log = logging.getLogger(__name__)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'"
"""The pages' policy (in a meta element and a header): no scripts, no loads, forms to this origin."""
CSP_HEADER = CSP + "; frame-ancestors 'none'"
"""``frame-ancestors`` works only as a header (browsers ignore it in a meta element, noisily)."""
HEADERS = {
    "Content-Security-Policy": CSP_HEADER,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
GENERATOR = f"summarizer {__version__} service"
PASTED = "pasted text"
"""The source name of an article pasted into the form (an upload keeps its file name)."""
PAGE_SIZE = 50
COMPARE_CHOICES = 200
MAX_COMPARED = 50
_HASH = re.compile(r"^[0-9a-f]{64}$")

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


@dataclass(frozen=True)
class Nav:
    current: str
    logout: bool


def service_of(request: Request) -> Service:
    svc: Service = request.app.state.service
    return svc


def page(request: Request, template: str, *, current: str = "", status: int = 200, **values: Any) -> Response:
    """A page from ``templates/ui/<template>``; ``values`` are data (autoescaped)."""
    nav = Nav(current, logout=service_of(request).token is not None)
    html = pages.render(f"ui/{template}", csp=CSP, generator=GENERATOR, nav=nav, **values)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, message: str) -> Response:
    return page(request, "error.html.j2", status=status, status_code=status, message=message)


def message_of(request: Request, exc: SummarizerError) -> str:
    """The error as the CLI prints it, with the service token and the provider key blanked out
    (a provider's error message may quote what it was sent)."""
    return redact(str(exc), service_of(request).secrets)


def status_of(exc: SummarizerError) -> int:
    """The status the API answers the same error with (one mapping, in ``problems``)."""
    return problems.for_error(exc).status_code


def local_path(target: str | None) -> str:
    """``target`` if it is a path on this site, else ``/`` (never a redirect to another host)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ord(c) < 32 or c == "\\" for c in target):
        return "/"
    return target


class PageRoute(APIRoute):
    """A page route: token gate, same-origin forms, HTML errors, security headers (module docstring)."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        needs_token = self.path not in OPEN_PATHS

        async def gated(request: Request) -> Response:
            response = await self._answer(handler, request, needs_token)
            for name, value in HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return gated

    @staticmethod
    async def _answer(handler: Handler, request: Request, needs_token: bool) -> Response:
        if needs_token and not token_ok(request, service_of(request).token):
            wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(wanted, safe='')}", status_code=303)
        if request.method == "POST" and not same_origin(request):
            return error_page(request, 403, "this form was sent from another site; send it from this one")
        try:
            return await handler(request)
        except RequestValidationError as exc:
            in_path = any(e.get("loc", ("",))[0] == "path" for e in exc.errors())
            if in_path:
                return error_page(request, 404, "there is no such page")
            return error_page(request, 422, "the address holds a value this page does not take")
        except SummarizerError as exc:
            return error_page(request, status_of(exc), message_of(request, exc))
        except HTTPException as exc:
            return error_page(request, exc.status_code, str(exc.detail))
        except Exception:
            log.exception("unexpected error in %s %s", request.method, request.url.path)
            return error_page(request, 500, "an unexpected error occurred; the server log has the details")


router = APIRouter(include_in_schema=False, route_class=PageRoute)

ContentHash = Annotated[str, PathParam(pattern=r"^[0-9a-f]{64}$")]
StoryId = Annotated[int, PathParam(ge=1, le=2**62)]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000)]


# --- summarize ---------------------------------------------------------------------------------


@router.get("/")
async def home(request: Request) -> Response:
    return _home(request)


def _home(
    request: Request, *, status: int = 200, error: str = "", title: str = "", text: str = ""
) -> Response:
    recent = service_of(request).store.articles(limit=5)
    return page(
        request,
        "home.html.j2",
        current="home",
        status=status,
        error=error,
        title=title,
        text=text,
        recent=recent,
    )


@router.post("/")
async def submit(request: Request) -> Response:
    svc = service_of(request)
    limit = svc.settings.max_bytes
    form = await request.form(max_files=1, max_fields=10, max_part_size=6 * limit + 1024)
    title = str(form.get("title") or "").strip()
    text = form.get("text")
    text = text if isinstance(text, str) else ""
    upload = form.get("file")
    try:
        articles = await _read_form(svc, title, text, upload if isinstance(upload, UploadFile) else None)
        for article in articles:
            try:
                await svc.summarize(article)
            except SummarizerError as exc:
                if not exc.source:
                    exc.source = article.label
                raise
    except ConfigError:
        raise
    except SummarizerError as exc:
        return _home(request, status=status_of(exc), error=message_of(request, exc), title=title, text=text)
    where = f"/articles/{articles[0].content_hash}" if len(articles) == 1 else "/articles"
    return RedirectResponse(where, status_code=303)


async def _read_form(svc: Service, title: str, text: str, upload: UploadFile | None) -> list[Article]:
    limit = svc.settings.max_bytes
    has_file = upload is not None and bool(upload.filename)
    if has_file and text.strip():
        raise InputError("give either pasted text or a file, not both")
    if upload is not None and has_file:
        name = safe_name(upload.filename)
        data = await upload.read(limit + 1)
        kind = ingest.SUFFIX_KINDS.get(Path(name).suffix.lower())
        return await asyncio.to_thread(ingest.from_bytes, data, source=name, kind=kind, max_bytes=limit)
    if not text.strip():
        raise InputError("nothing to summarize: paste an article's text or choose a file")
    body = f"{title}\n\n{text}" if title else text
    return await asyncio.to_thread(ingest.from_bytes, body.encode("utf-8"), source=PASTED, max_bytes=limit)


# --- articles ----------------------------------------------------------------------------------


@router.get("/articles")
async def articles(
    request: Request, q: Annotated[str, Query(max_length=200)] = "", offset: Offset = 0
) -> Response:
    rows = service_of(request).store.articles(limit=PAGE_SIZE + 1, offset=offset, query=q.strip() or None)
    return page(
        request,
        "articles.html.j2",
        current="articles",
        rows=rows[:PAGE_SIZE],
        q=q,
        offset=offset,
        more=len(rows) > PAGE_SIZE,
        page_size=PAGE_SIZE,
    )


def _span(start: int | None, end: int | None) -> tuple[int, int] | None:
    return (start, end) if start is not None and end is not None and 0 <= start < end else None


@router.get("/articles/{content_hash}")
async def article(
    request: Request,
    content_hash: ContentHash,
    start: Annotated[int | None, Query(ge=0, le=1_000_000_000)] = None,
    end: Annotated[int | None, Query(ge=0, le=1_000_000_000)] = None,
) -> Response:
    store = service_of(request).store
    found = views.article_page(
        store, content_hash, opened=_span(start, end), stories=store.stories_of(content_hash)
    )
    if found is None:
        raise RequestRefused(f"no article {content_hash[:12]}… in the store", status=404)
    return page(request, "article.html.j2", current="articles", article=found)


@router.get("/articles/{content_hash}/passage")
async def passage(
    request: Request,
    content_hash: ContentHash,
    start: Annotated[int, Query(ge=0, le=1_000_000_000)],
    end: Annotated[int, Query(ge=1, le=1_000_000_000)],
) -> Response:
    """Open a passage in its article: the mark that holds it, highlighted as the page's target."""
    target = views.passage_target(service_of(request).store, content_hash, (start, end))
    if target is None:
        raise RequestRefused("that passage is not in the article (or the article is not stored)", status=404)
    return RedirectResponse(f"/articles/{content_hash}?start={start}&end={end}#{target}", status_code=303)


# --- stories -----------------------------------------------------------------------------------


@router.get("/stories")
async def stories(request: Request, offset: Offset = 0) -> Response:
    rows = service_of(request).store.stories(limit=PAGE_SIZE + 1, offset=offset)
    return page(
        request,
        "stories.html.j2",
        current="stories",
        rows=rows[:PAGE_SIZE],
        offset=offset,
        more=len(rows) > PAGE_SIZE,
        page_size=PAGE_SIZE,
    )


@router.get("/stories/{story_id}")
async def story(request: Request, story_id: StoryId) -> Response:
    report = views.story_report(service_of(request).store, story_id)
    if report is None:
        raise RequestRefused(f"no story {story_id}", status=404)
    members = [(s.id, s.title, f"/articles/{s.content_hash}") for s in report.sources]
    return page(
        request,
        "story.html.j2",
        current="stories",
        page=report_view(report),
        story_id=story_id,
        members=members,
    )


# --- questions ---------------------------------------------------------------------------------

KINDS = [(k.value, views.kind_label(k.value)) for k in QuestionKind]
STATUSES = [(s.value, views.status_label(s.value)) for s in QuestionStatus]


@router.get("/questions")
async def questions(
    request: Request,
    kind: Annotated[str, Query(max_length=40)] = "",
    status: Annotated[str, Query(max_length=40)] = "",
    story: Annotated[str, Query(max_length=20)] = "",
    offset: Offset = 0,
) -> Response:
    store = service_of(request).store
    problems_found: list[str] = []
    if kind and kind not in {k for k, _ in KINDS}:
        problems_found.append(f"unknown kind {kind!r}")
    if status and status not in {s for s, _ in STATUSES}:
        problems_found.append(f"unknown status {status!r}")
    story_id = int(story) if story.isdigit() and 0 < int(story) < 2**62 else None
    if story and story_id is None:
        problems_found.append(f"unknown story {story!r}")
    if problems_found:
        raise InputError("; ".join(problems_found))
    rows = store.questions(
        kind=kind or None, status=status or None, story=story_id, limit=PAGE_SIZE + 1, offset=offset
    )
    chosen = {"kind": kind, "status": status, "story": story}
    return page(
        request,
        "questions.html.j2",
        current="questions",
        rows=views.question_board(store, rows[:PAGE_SIZE]),
        kinds=KINDS,
        statuses=STATUSES,
        stories=store.stories(limit=200),
        chosen=chosen,
        filtered=any(chosen.values()),
        offset=offset,
        more=len(rows) > PAGE_SIZE,
        page_size=PAGE_SIZE,
        query="&".join(f"{k}={quote(v)}" for k, v in chosen.items() if v),
    )


# --- compare -----------------------------------------------------------------------------------


@router.get("/compare")
async def compare_form(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    return _compare_page(request, q=q)


def _compare_page(
    request: Request, *, q: str = "", status: int = 200, error: str = "", chosen: frozenset[str] = frozenset()
) -> Response:
    rows = service_of(request).store.articles(limit=COMPARE_CHOICES, query=q.strip() or None)
    return page(
        request,
        "compare.html.j2",
        current="compare",
        status=status,
        rows=rows,
        q=q,
        error=error,
        chosen=chosen,
        shown=COMPARE_CHOICES,
    )


@router.post("/compare")
async def compare(request: Request) -> Response:
    svc = service_of(request)
    form = await request.form(max_files=0, max_fields=MAX_COMPARED + 10)
    hashes = list(dict.fromkeys(str(h) for h in form.getlist("article") if _HASH.match(str(h))))
    group = form.get("group") in ("on", "true", "1")
    try:
        if len(hashes) < 2:
            raise InputError("compare needs at least two articles on one story: tick two or more")
        if len(hashes) > MAX_COMPARED:
            raise InputError(f"compare takes at most {MAX_COMPARED} articles at once")
        chosen = [_stored_article(svc, h) for h in hashes]
        plan = plan_articles(chosen, group=group)
        if not plan.stories:
            raise InputError(
                "none of these articles tell the same story; untick 'group' to compare them anyway"
            )
        r = svc.running
        run = await acompare_plan(plan, r.summarizer, r.comparator, store=r.store)
    except ConfigError:
        raise
    except SummarizerError as exc:
        return _compare_page(
            request, status=status_of(exc), error=message_of(request, exc), chosen=frozenset(hashes)
        )
    where = f"/stories/{run.story_ids[0]}" if len(run.story_ids) == 1 else "/stories"
    return RedirectResponse(where, status_code=303)


def _stored_article(svc: Service, content_hash: str) -> Article:
    """A stored article as compare reads it; named after the file it came from when one is known."""
    stored = svc.store.article_text(content_hash)
    if stored is None:
        raise InputError(f"no article {content_hash[:12]}… in the store")
    title, text = stored
    results = svc.store.results_for(content_hash)
    source = results[0].source if results and results[0].source not in (PASTED, "text", "-") else title
    return Article(source=source, index=0, title=title, text=text)


# --- login -------------------------------------------------------------------------------------


@router.get("/login")
async def login_form(request: Request, next: Annotated[str, Query(max_length=2000)] = "/") -> Response:
    if service_of(request).token is None:
        return RedirectResponse(local_path(next), status_code=303)
    return page(request, "login.html.j2", current="login", next=local_path(next), error="")


@router.post("/login")
async def login(request: Request) -> Response:
    svc = service_of(request)
    form = await request.form(max_files=0, max_fields=5)
    target = local_path(str(form.get("next") or "/"))
    if svc.token is None:
        return RedirectResponse(target, status_code=303)
    given = str(form.get("token") or "").strip()
    if not hmac.compare_digest(given.encode(), svc.token.encode()):
        log.info("login refused from %s", request.client.host if request.client else "?")
        error = "that token is not the one this service was started with"
        return page(request, "login.html.j2", current="login", status=401, next=target, error=error)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        TOKEN_COOKIE,
        svc.token,
        httponly=True,
        # Lax, not Strict: a link to this service from elsewhere (a chat, a mail) must not look
        # logged out. Cross-site POSTs are refused by the Sec-Fetch-Site/Origin check whatever
        # the cookie, and no GET changes anything.
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(TOKEN_COOKIE, path="/", httponly=True, samesite="lax")
    return response
