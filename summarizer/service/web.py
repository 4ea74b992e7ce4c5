"""The web UI: server-rendered pages over the same service (no scripts, no CDN, no build step)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from summarizer.service.security import require_token

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_token)])


@router.get("/", response_class=HTMLResponse)
async def home() -> str:
    return "<!DOCTYPE html><title>summarizer</title><p>summarizer service</p>"
