"""Store queries: ``summarizer questions``, ``articles``, ``logs`` and ``db path``. A thin door onto
``Store.questions`` / ``Store.articles`` / ``Store.logs``.

Text output is plain lines (safe to pipe and grep); ``--json`` prints the
rows as a JSON array. The store is never created by a query: a missing file
is a configuration error naming it. The kind and status vocabularies are
``Literal`` copies of ``schema.QuestionKind`` and ``comparison.schema.QuestionStatus``
(importing those would slow every ``--help``; ``tests/test_cli_store.py``
checks they match).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from summarizer.cli_common import DbFlag, db_path, fail

if TYPE_CHECKING:
    from summarizer.store import Store

QuestionKind = Literal[
    "timing_unset",
    "decision_pending",
    "unattributed_claim",
    "unsourced_number",
    "missing_perspective",
    "unclear_cause",
    "outcome_unknown",
    "other",
]
QuestionStatus = Literal["answered", "partly_answered", "unattributed_answer", "contradicted", "open"]

RunFlag = Annotated[
    str | None, typer.Option("--run", help="Only what this batch run summarized or served: latest, or an id.")
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print the rows as a JSON array.")]
QueryFlag = Annotated[
    str | None, typer.Option("-q", "--query", help="Only articles whose title or text has this.")
]
StoryFlag = Annotated[
    int | None, typer.Option("--story", help="Only the articles of this stored comparison.")
]


CountFlag = Annotated[int, typer.Option("-n", "--count", min=0, help="How many, newest first (0 = all).")]


def _open(db: Path | None) -> Store:
    from summarizer.errors import ConfigError
    from summarizer.store import Store

    path = db_path(db)
    if not path.is_file():
        fail(
            ConfigError(
                f"no store at {path}: `summarizer batch` (or `compare --db`) creates it; "
                "pass --db FILE for another one"
            )
        )
    return Store(path)


def _run_id(store: Store, run: str | None) -> int | None:
    from summarizer.errors import ConfigError

    if run is None:
        return None
    if run == "latest":
        latest = store.latest_run_id()
        if latest is None:
            fail(ConfigError(f"--run latest: no batch run has used the store at {store.where}"))
        return latest
    if not run.isdigit():
        fail(ConfigError(f"--run takes latest or a run id, not {run!r}"))
    return int(run)


ALL = 2**62
"""``-n 0``: no limit."""


def _limit(count: int) -> int | None:
    return None if count == 0 else count


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _print_json(rows: list[Any]) -> None:
    rows_json = [dataclasses.asdict(r) for r in rows]
    typer.echo(json.dumps(rows_json, ensure_ascii=False, indent=2, default=_jsonable))


def _flat(text: str | None) -> str:
    return " ".join((text or "").split())


def questions(
    run: RunFlag = None,
    kind: Annotated[QuestionKind | None, typer.Option("--kind", help="Only questions of this kind.")] = None,
    story: StoryFlag = None,
    status: Annotated[
        QuestionStatus | None,
        typer.Option("--status", help="Only this verdict of a comparison (open: also never compared)."),
    ] = None,
    count: Annotated[int, typer.Option("-n", "--count", min=0, help="How many (0 = all).")] = 0,
    as_json: JsonFlag = False,
    db: DbFlag = None,
) -> None:
    """List the open questions of stored summaries. With what comparisons found about each."""
    with _open(db) as store:
        rows = store.questions(
            kind=kind, story=story, status=status, run=_run_id(store, run), limit=count or ALL
        )
        answered_titles = {
            r.answered_by: store.article_text(r.answered_by) for r in rows if r.answered_by is not None
        }
    if as_json:
        _print_json(rows)
        return
    if not rows:
        typer.echo("no open questions match", err=True)
        return
    for r in rows:
        verdict = (r.status or "open").replace("_", " ")
        where = f" · story {r.story_id}" if r.story_id is not None else ""
        typer.echo(f"{_flat(r.question)} ({r.kind.replace('_', ' ')}) · {verdict}{where}")
        typer.echo(f"  article: {_flat(r.title)} [{r.content_hash[:12]}]")
        typer.echo(f"  why open: {_flat(r.why_open)}")
        typer.echo(f"  “{_flat(r.quote)}”")
        if r.answer is not None:
            found = answered_titles.get(r.answered_by or "")
            by = f" {_flat(found[0])} [{(r.answered_by or '')[:12]}]" if found else ""
            typer.echo(f"  {verdict} by{by}: “{_flat(r.answer)}”")
        typer.echo("")


def articles(
    count: CountFlag = 20,
    query: QueryFlag = None,
    story: StoryFlag = None,
    run: RunFlag = None,
    as_json: JsonFlag = False,
    db: DbFlag = None,
) -> None:
    """List the articles in the store. Newest first, with file names and headline."""
    with _open(db) as store:
        rows = store.articles(query=query, story=story, run=_run_id(store, run), limit=count or ALL)
    if as_json:
        _print_json(rows)
        return
    if not rows:
        typer.echo("no articles match", err=True)
        return
    for r in rows:
        seen = r.first_seen.strftime("%Y-%m-%d %H:%M")
        typer.echo(f"{r.content_hash[:12]}  {seen}  {r.words} words  {_flat(r.title)}")
        if r.headline:
            typer.echo(f"  headline: {_flat(r.headline)}")
        said = [
            *(f"outlet {_flat(o)}" for o in r.outlets[:3]),
            *(f"by {_flat(a)}" for a in r.authors[:2]),
            *([f"published {r.published}"] if r.published else []),
            *([f"language {r.language}"] if r.language else []),
        ]
        if said:
            typer.echo(f"  {' · '.join(said)}")
        if r.sources:
            typer.echo(f"  files: {', '.join(r.sources)}")
        if r.stories:
            typer.echo(f"  stories: {', '.join(map(str, r.stories))}")


def logs(
    count: CountFlag = 3,
    query: QueryFlag = None,
    run: RunFlag = None,
    as_json: JsonFlag = False,
    db: DbFlag = None,
) -> None:
    """Show the newest stored summaries. Engine, model, status, cost, headline; --json: everything."""
    with _open(db) as store:
        rows = store.logs(limit=_limit(count), query=query, run=_run_id(store, run), results=as_json)
    if as_json:
        _print_json(rows)
        return
    if not rows:
        typer.echo("no stored summaries match", err=True)
        return
    for r in rows:
        when = r.updated_at.strftime("%Y-%m-%d %H:%M:%S")
        engine = r.engine + (f" {r.model}" if r.model else "")
        typer.echo(f"## {when} · {r.status} · {engine} · {r.cache_key[:12]}")
        typer.echo(f"article: {_flat(r.title)} [{r.content_hash[:12]}]")
        if r.sources:
            typer.echo(f"files: {', '.join(r.sources)}")
        typer.echo(
            f"cost: {r.http_attempts:,} HTTP request(s), {r.model_attempts:,} model answer(s), tokens "
            f"{r.prompt_tokens:,} in ({r.cached_tokens:,} cached) / {r.completion_tokens:,} out"
        )
        if r.headline:
            typer.echo(f"headline: {_flat(r.headline)}")
        if r.reason:
            typer.echo(f"reason: {_flat(r.reason)}")
        typer.echo("")


def db_path_command(db: DbFlag = None) -> None:
    """Print the store's path. The default one in the user's data folder, or --db."""
    typer.echo(str(db_path(db)))
