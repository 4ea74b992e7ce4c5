"""``summarizer serve``: run the HTTP service. A thin door onto ``summarizer.service``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli_common import (
    BaseUrlFlag,
    DbFlag,
    EngineFlag,
    FallbackFlag,
    ModeFlag,
    ModelFlag,
    Verbose,
    db_path,
    fail,
    make_settings,
    setup_logging,
)


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (beyond loopback needs a token).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0 = any free port).")] = 8000,
    db: DbFlag = None,
    allow_root: Annotated[
        list[Path] | None, typer.Option("--allow-root", help="A folder batch jobs may read (repeatable).")
    ] = None,
    allow_urls: Annotated[
        bool, typer.Option("--allow-urls", help="Fetch URLs that requests name (public addresses only).")
    ] = False,
    concurrency: Annotated[int, typer.Option(min=1, max=256, help="Model requests in flight.")] = 8,
    rpm: Annotated[int | None, typer.Option(min=1, help="Client-side requests-per-minute limit.")] = None,
    tpm: Annotated[int | None, typer.Option(min=1, help="Client-side tokens-per-minute limit.")] = None,
    queue: Annotated[int, typer.Option(min=1, max=10_000, help="Batch jobs that may wait.")] = 16,
    max_bytes: Annotated[int | None, typer.Option(help="Reject articles larger than this.")] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Processes; one per store (jobs and the rate limiter live in it).")
    ] = 1,
    engine: EngineFlag = None,
    fallback: FallbackFlag = None,
    base_url: BaseUrlFlag = None,
    model: ModelFlag = None,
    mode: ModeFlag = None,
    verbose: Verbose = 0,
) -> None:
    """Serve the HTTP API (/v1, /openapi.json) and the web UI over one store."""
    import uvicorn

    from summarizer.errors import ConfigError, SummarizerError
    from summarizer.service.app import create_app
    from summarizer.service.config import ServiceConfig

    setup_logging(verbose)
    try:
        if workers != 1:
            raise ConfigError(
                "--workers must be 1: one process serves one store (its job queue and rate limiter "
                "live in it); raise --concurrency for more requests in flight, or serve another store "
                "on another port"
            )
        settings = make_settings(
            engine=engine, fallback=fallback, base_url=base_url, model=model, mode=mode, max_bytes=max_bytes
        )
        config = ServiceConfig(
            settings=settings,
            db=db_path(db),
            host=host,
            port=port,
            allowed_roots=tuple(allow_root or ()),
            allow_urls=allow_urls,
            queue_size=queue,
            concurrency=concurrency,
            rpm=rpm,
            tpm=tpm,
        )
        app = create_app(config)
    except SummarizerError as exc:
        fail(exc)
    log_level = "warning" if verbose == 0 else "info" if verbose == 1 else "debug"
    uvicorn.run(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=30)
