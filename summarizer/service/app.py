"""The ASGI application: ``create_app(config)`` wires the API, the pages and the gates together.

One ``Service`` per app (per process): it is started in the app's lifespan,
inside the server's event loop, and stopped when the server shuts down
(uvicorn does that on SIGTERM and Ctrl-C, after the requests in progress
have been answered; the running batch job is drained and resumes at the
next start).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from summarizer import __version__
from summarizer.engines import Engine
from summarizer.service import api, problems, web
from summarizer.service.config import ServiceConfig
from summarizer.service.security import BodyLimit
from summarizer.service.state import Service

BODY_OVERHEAD = 1 << 20
"""Room for JSON escaping and multipart framing above ``max_bytes`` of article text."""


def create_app(config: ServiceConfig, *, engine: Engine | None = None) -> FastAPI:
    """The app for ``config``; ``engine`` replaces the one the settings choose (tests)."""
    service = Service(config, engine=engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await service.start()
        try:
            yield
        finally:
            await service.stop()

    app = FastAPI(
        title="summarizer",
        version=__version__,
        summary="Grounded, structured news summaries with open questions.",
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.service = service
    problems.install(app)
    app.include_router(api.router)
    app.include_router(api.open_router)
    app.include_router(web.router)
    # JSON escapes can make text up to six times longer; the article itself is held to max_bytes by ingest.
    limit = 6 * config.settings.max_bytes + BODY_OVERHEAD
    app.add_middleware(
        BodyLimit,
        limit=limit,
        upload_limit=config.max_upload_bytes + BODY_OVERHEAD,
        upload_prefix="/v1/batches",
    )
    return app
