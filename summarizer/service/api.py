"""The HTTP API (``/v1``): summaries, comparisons, batch jobs, and what the store holds.

Thin handlers: each turns a request into library calls on the shared
``Service`` and the answer into JSON; every failure is a problem document
(``problems``). Article text arrives as JSON (``text`` or ``url``) or as an
uploaded file (multipart ``file``/``files``), is read by the same ``ingest``
as the command line (in a worker thread: decoding and HTML extraction are
CPU work), and is summarized and compared exactly as there.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import StreamingResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from summarizer import __version__, ingest, render
from summarizer.article import Article
from summarizer.comparison.render import render_run
from summarizer.comparison.stories import acompare_plan, plan_articles
from summarizer.errors import ConfigError, InputError, InputTooLarge, RequestRefused, SummarizerError
from summarizer.service import models
from summarizer.service.jobs import TERMINAL
from summarizer.service.problems import PROBLEM_RESPONSES
from summarizer.service.security import allowed_folder, require_token
from summarizer.service.state import Service

router = APIRouter(prefix="/v1", dependencies=[Depends(require_token)], responses=PROBLEM_RESPONSES)
open_router = APIRouter(responses=PROBLEM_RESPONSES)

HASH = r"^[0-9a-f]{64}$"
JOB_ID = r"^[0-9a-f]{16}$"
MAX_OFFSET = 1_000_000_000
KEEPALIVE_SECONDS = 15.0
_UNSAFE_NAME = re.compile(r"[^\w.\- ]+")


def service_of(request: Request) -> Service:
    svc: Service = request.app.state.service
    return svc


ServiceDep = Annotated[Service, Depends(service_of)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


def _body(schema: dict[str, Any], multipart: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema}, "multipart/form-data": {"schema": multipart}},
        }
    }


def _json(text: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(content=text, status_code=status, media_type="application/json", headers=headers)


def _file_schema(field: str, many: bool) -> dict[str, Any]:
    file = {"type": "string", "format": "binary"}
    return {
        "type": "object",
        "properties": {field: {"type": "array", "items": file} if many else file},
        "required": [field],
    }


def safe_name(name: str | None, default: str = "upload") -> str:
    """A file name from a client, reduced to a plain base name (no folders, no control characters)."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    cleaned = _UNSAFE_NAME.sub("_", base).strip(" .")
    return cleaned[:120] or default


async def _read(svc: Service, item: models.ArticleIn, label: str) -> list[Article]:
    max_bytes = svc.settings.max_bytes
    if item.url is not None:
        if svc.opener is None:
            raise RequestRefused(
                "this server does not fetch URLs (its operator can allow it with --allow-urls); "
                "send the text instead",
                status=403,
            )
        return await asyncio.to_thread(
            ingest.load, item.url, max_bytes=max_bytes, timeout=svc.settings.timeout, opener=svc.opener
        )
    text = item.text or ""
    if item.title:
        text = f"{item.title}\n\n{text}"
    return await _ingest(text.encode("utf-8"), source=label, kind=item.format, max_bytes=max_bytes)


async def _read_upload(svc: Service, upload: UploadFile) -> list[Article]:
    name = safe_name(upload.filename)
    data = await upload.read(svc.settings.max_bytes + 1)
    kind = ingest.SUFFIX_KINDS.get(Path(name).suffix.lower())
    return await _ingest(data, source=name, kind=kind, max_bytes=svc.settings.max_bytes)


INLINE_BYTES = 64 * 1024
"""Inputs up to this size are read on the event loop (well under a millisecond of plain text): a
hop to a worker thread and back costs more than that when many requests arrive at once."""


async def _ingest(data: bytes, *, source: str, kind: str | None, max_bytes: int) -> list[Article]:
    """``ingest.from_bytes``; in a worker thread for large inputs and for HTML (extraction is CPU)."""
    if len(data) <= INLINE_BYTES and kind != "html" and data.lstrip()[:1] != b"<":
        return ingest.from_bytes(data, source=source, kind=kind, max_bytes=max_bytes)
    return await asyncio.to_thread(ingest.from_bytes, data, source=source, kind=kind, max_bytes=max_bytes)


async def _uploads(request: Request, field: str, limit: int) -> list[UploadFile]:
    form = await request.form(max_files=limit, max_fields=20)
    files = [f for f in form.getlist(field) if isinstance(f, UploadFile)]
    if not files:
        raise InputError(f"no file in the form: send the article as the multipart field {field!r}")
    return files


async def _json_body(request: Request, model: type[models.ArticleIn] | type[models.ComparisonIn]) -> Any:
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()[:10]
        )
        raise InputError(f"the request is not valid: {problems}") from None


def _kind(request: Request) -> str:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype in ("application/json", "multipart/form-data"):
        return ctype
    raise RequestRefused(
        f"send application/json or multipart/form-data, not {ctype or 'no content type'}", status=415
    )


@router.post(
    "/summaries",
    summary="Summarize one article (text, URL or uploaded file)",
    responses={200: {"model": models.SummariesOut}},
    openapi_extra=_body(models.ArticleIn.model_json_schema(), _file_schema("file", many=False)),
)
async def create_summary(request: Request, svc: ServiceDep) -> Response:
    if _kind(request) == "multipart/form-data":
        [upload] = (await _uploads(request, "file", 1))[:1]
        articles = await _read_upload(svc, upload)
    else:
        articles = await _read(svc, await _json_body(request, models.ArticleIn), "text")
    results: list[str] = []
    errors: list[str] = []
    for article in articles:
        try:
            results.append((await svc.summarize_json(article))[1])
        except ConfigError:
            raise
        except SummarizerError as exc:
            if not exc.source:
                exc.source = article.label
            if len(articles) == 1:
                raise
            errors.append(str(exc))
    return _json(summaries_json(results, errors))


def summaries_json(results: list[str], errors: list[str]) -> str:
    """``render.to_json``'s document (``summarize --format json``), compact, from results already
    serialised (pydantic's serialiser, not a second pass through ``json``)."""
    head = json.dumps({"format_version": render.JSON_FORMAT_VERSION})[:-1]
    return (
        f'{head}, "results": [{", ".join(results)}], "errors": {json.dumps(errors, ensure_ascii=False)}}}\n'
    )


@router.post(
    "/comparisons",
    summary="Compare several outlets' articles on one story",
    responses={200: {"model": models.ComparisonOut}},
    openapi_extra=_body(models.ComparisonIn.model_json_schema(), _file_schema("files", many=True)),
)
async def create_comparison(request: Request, svc: ServiceDep) -> Response:
    articles: list[Article] = []
    group = False
    if _kind(request) == "multipart/form-data":
        for upload in await _uploads(request, "files", 50):
            articles += await _read_upload(svc, upload)
        group = (await request.form()).get("group") in ("true", "1", "on")
    else:
        body: models.ComparisonIn = await _json_body(request, models.ComparisonIn)
        for n, item in enumerate(body.articles, start=1):
            articles += await _read(svc, item, item.title or f"article-{n}")
        group = body.group
    if len(articles) < 2:
        raise InputError("compare needs at least two articles on one story")
    r = svc.running
    run = await acompare_plan(plan_articles(articles, group=group), r.summarizer, r.comparator, store=r.store)
    headers = {"Location": f"/v1/stories/{run.story_ids[0]}"} if len(run.story_ids) == 1 else None
    return _json(render_run(run, "json"), headers=headers)


BATCH_FIELDS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "folder": {
            "type": "string",
            "description": "Under a root the server allows (relative: to the first).",
        },
        "glob": {"type": "string", "default": "**/*"},
        "format": {"type": "string", "enum": ["json", "markdown"], "default": "json"},
    },
}
BATCH_FORM: dict[str, Any] = {
    "type": "object",
    "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
        **BATCH_FIELDS["properties"],
    },
}


@router.post(
    "/batches",
    summary="Start a batch job over uploaded files or an allowed server-side folder",
    status_code=202,
    responses={202: {"model": models.JobOut}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {"schema": BATCH_FORM},
                "application/x-www-form-urlencoded": {"schema": BATCH_FIELDS},
            },
        }
    },
)
async def create_batch(request: Request, svc: ServiceDep) -> Response:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise RequestRefused("send the batch as a form: files (multipart), or a folder field", status=415)
    svc.jobs.check_capacity()
    form = await request.form(max_files=svc.config.max_files, max_fields=20)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
    folder = form.get("folder")
    glob = str(form.get("glob") or "**/*")
    fmt = str(form.get("format") or "json")
    if fmt not in ("json", "markdown"):
        raise InputError(f"format must be json or markdown, not {fmt!r}")
    if ".." in PurePosixPath(glob).parts or glob.startswith("/"):
        raise InputError("glob must be relative to the folder and stay inside it")
    if bool(files) == isinstance(folder, str):
        raise InputError("give either files or a folder")
    if isinstance(folder, str):
        root = allowed_folder(folder, svc.config.roots)
        spec = {"origin": "folder", "root": str(root), "glob": glob, "format": fmt}
    else:
        root = await _save_uploads(svc, files)
        spec = {"origin": "upload", "root": str(root), "glob": glob, "format": fmt}
    job_id = svc.jobs.submit(spec)
    return _json(_job_out(svc, job_id).model_dump_json(), 202, {"Location": f"/v1/batches/{job_id}"})


async def _save_uploads(svc: Service, files: list[UploadFile]) -> Path:
    """The uploads, each held to ``max_bytes``, in a new folder of the service's own."""
    import secrets

    root = svc.config.files_dir / "uploads" / secrets.token_hex(8)
    await asyncio.to_thread(root.mkdir, parents=True)
    taken: set[str] = set()
    for upload in files:
        name = safe_name(upload.filename)
        stem, suffix, n = Path(name).stem, Path(name).suffix, 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}{suffix}"
        taken.add(name)
        data = await upload.read(svc.settings.max_bytes + 1)
        if len(data) > svc.settings.max_bytes:
            raise InputTooLarge(
                f"larger than this server's limit of {svc.settings.max_bytes:,} bytes", source=name
            )
        await asyncio.to_thread((root / name).write_bytes, data)
    return root


def _job_out(svc: Service, job_id: str) -> models.JobOut:
    job = svc.store.job(job_id)
    if job is None:
        raise RequestRefused(f"no batch job {job_id}", status=404)
    live = svc.jobs.live.get(job_id)
    counts = (live.counts if live and live.counts else None) or job.counts or {}
    problems: list[models.JobItem] = []
    if job.run_id is not None:
        for item in svc.store.run_items(job.run_id):
            if item.status in ("failed", "skipped") and len(problems) < 100:
                label = item.source if item.index == 0 else f"{item.source}#{item.index + 1}"
                problems.append(models.JobItem(item=label, status=item.status, reason=item.reason))
    return models.JobOut(
        id=job.id,
        status=job.status,
        created_at=job.created_at,
        updated_at=job.updated_at,
        total=live.total if live is not None and live.total else None,
        counts=counts,
        error=job.error,
        problems=problems,
        events=f"/v1/batches/{job.id}/events",
    )


JobId = Annotated[str, PathParam(pattern=JOB_ID)]
ContentHash = Annotated[str, PathParam(pattern=HASH)]


@router.get("/batches/{job_id}", response_model=models.JobOut, summary="A batch job's status and counts")
async def get_batch(job_id: JobId, svc: ServiceDep) -> models.JobOut:
    return _job_out(svc, job_id)


@router.get(
    "/batches/{job_id}/events",
    summary="A batch job's progress as server-sent events (ends when the job does)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
async def batch_events(job_id: JobId, request: Request, svc: ServiceDep) -> StreamingResponse:
    first = _job_out(svc, job_id)  # 404 before the stream starts
    return StreamingResponse(_events(svc, request, first), media_type="text/event-stream")


def _frame(event: str, data: dict[str, Any], version: int) -> str:
    return f"id: {version}\nevent: {event}\ndata: {json.dumps(data, default=str)}\n\n"


async def _events(svc: Service, request: Request, first: models.JobOut) -> AsyncIterator[str]:
    """``progress`` events (counts so far) while the job runs, then one ``done`` event."""
    job_id = first.id
    seen = -1
    while True:
        live = svc.jobs.live.get(job_id)
        out = _job_out(svc, job_id)
        if out.status in TERMINAL:
            yield _frame("done", out.model_dump(mode="json"), live.version if live else 0)
            return
        if live is None:  # queued by a process that stopped, not picked up yet
            yield _frame("progress", out.model_dump(mode="json"), 0)
            return
        if live.version != seen:
            seen = live.version
            yield _frame("progress", {**out.model_dump(mode="json"), **live.snapshot()}, seen)
        else:
            yield ": keepalive\n\n"
        if await request.is_disconnected():
            return
        await live.changed(seen, KEEPALIVE_SECONDS)


@router.get(
    "/articles", response_model=list[models.ArticleOut], summary="Articles in the store, newest first"
)
async def list_articles(
    svc: ServiceDep,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Annotated[str | None, Query(max_length=200, description="Words in the title or text.")] = None,
    story: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> list[models.ArticleOut]:
    rows = svc.store.articles(limit=limit, offset=offset, query=q, story=story)
    return [models.ArticleOut.model_validate(r, from_attributes=True) for r in rows]


@router.get(
    "/articles/{content_hash}", response_model=models.ArticleDetail, summary="One article with its summaries"
)
async def get_article(content_hash: ContentHash, svc: ServiceDep) -> Response:
    detail = article_detail(svc, content_hash)
    return _json(detail.model_dump_json())


def article_detail(svc: Service, content_hash: str) -> models.ArticleDetail:
    stored = svc.store.article_text(content_hash)
    if stored is None:
        raise RequestRefused(f"no article {content_hash[:12]}… in the store", status=404)
    rows = svc.store.articles(limit=1, content_hash=content_hash)
    row = rows[0] if rows else None
    results = svc.store.results_for(content_hash)
    return models.ArticleDetail.model_construct(
        content_hash=content_hash,
        title=stored[0],
        words=row.words if row else len(stored[1].split()),
        first_seen=row.first_seen if row else results[0].provenance.started_at,
        sources=row.sources if row else [],
        headline=results[0].summary.headline if results else None,
        stories=row.stories if row else [],
        outlets=row.outlets if row else [],
        authors=row.authors if row else [],
        published=row.published if row else None,
        language=row.language if row else None,
        text=stored[1],
        summaries=results,
    )


@router.get("/questions", response_model=list[models.QuestionOut], summary="Open questions across the store")
async def list_questions(
    svc: ServiceDep,
    kind: models.QuestionKind | None = None,
    story: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    status: models.QuestionStatus | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[models.QuestionOut]:
    rows = svc.store.questions(
        kind=kind.value if kind else None,
        story=story,
        status=status.value if status else None,
        limit=limit,
        offset=offset,
    )
    return [models.QuestionOut.model_validate(r, from_attributes=True) for r in rows]


@router.get("/stories", response_model=list[models.StoryOut], summary="Comparisons kept in the store")
async def list_stories(svc: ServiceDep, limit: Limit = 50, offset: Offset = 0) -> list[models.StoryOut]:
    return [models.StoryOut.model_validate(s) for s in svc.store.stories(limit=limit, offset=offset)]


@router.get("/stories/{story_id}", summary="One kept comparison (as `compare --format json`)")
async def get_story(story_id: Annotated[int, PathParam(ge=1, le=2**62)], svc: ServiceDep) -> Response:
    found = svc.store.story_report(story_id)
    if found is None:
        raise RequestRefused(f"no story {story_id}", status=404)
    return _json(found[0])


@open_router.get("/healthz", response_model=models.Health, summary="Liveness, and which engine serves")
async def healthz(svc: ServiceDep) -> models.Health:
    return models.Health(
        status="ok", version=__version__, engine=svc.engine.id.kind, jobs_waiting=len(svc.jobs.waiting)
    )
