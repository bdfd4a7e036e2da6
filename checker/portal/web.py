"""The ASGI application: `create_app(settings)` wires the database, the store, the job workers, the pages and the
CI API, with the limits and headers every response gets.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from html import escape
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from checker import __version__
from checker.portal.access import PortalError
from checker.portal.db import Database
from checker.portal.jobs import JobWorkers
from checker.portal.migrate import upgrade
from checker.portal.security import RateLimiter
from checker.portal.settings import PortalSettings
from checker.portal.store import BlobStore

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
# Pages: no script at all, inline styles only (the reports' look), nothing loaded from elsewhere, never in a frame.
PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
MULTIPART_SLACK = 1024 * 1024  # form fields and part headers around the files themselves


@dataclass
class Portal:
    """What every request handler reaches through `request.app.state.portal`."""

    settings: PortalSettings
    db: Database
    store: BlobStore
    workers: JobWorkers
    upload_limiter: RateLimiter
    login_limiter: RateLimiter


def portal_of(request: Request) -> Portal:
    return request.app.state.portal  # type: ignore[no-any-return]


class BodyLimit:
    """Refuse a request body over the limit with 413 before it is parsed or spooled to disk: by its Content-Length
    when it declares one, and by counting the bytes as they arrive when it does not (chunked)."""

    def __init__(self, app: Any, max_bytes: int, limit_mb: int) -> None:
        self.app, self.max_bytes, self.limit_mb = app, max_bytes, limit_mb

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(self.limit_mb, scope)(scope, receive, send)
            return
        seen = 0
        refused = answered = False

        async def counted() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    refused = True
                    raise _BodyTooLarge
            return message

        async def unless_refused(message: Message) -> None:
            # The app may catch the cut (FastAPI answers 400 "error parsing the body"): that answer is replaced.
            nonlocal answered
            if not refused:
                answered = True
                await send(message)

        try:
            await self.app(scope, counted, unless_refused)
        except _BodyTooLarge:
            pass
        if refused and not answered:
            await _too_large(self.limit_mb, scope)(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


def _too_large(limit_mb: int, scope: Scope) -> Response:
    """JSON for the API; a short bilingual page for a browser's upload form (no session or template at hand)."""
    text = f"the upload is over the limit of {limit_mb} MB"
    if str(scope.get("path", "")).startswith("/api/"):
        return JSONResponse({"detail": text}, status_code=413)
    page = (
        f'<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>413</title>'
        f"<p>上传文件超过 {limit_mb} MB 上限。{escape(text)}.</p><p>"
        f'<a href="/">← 项目 / Projects</a></p></html>'
    )
    return HTMLResponse(page, status_code=413)


def create_app(settings: PortalSettings, start_workers: bool = True) -> FastAPI:
    """The portal for `settings`; the schema is migrated and interrupted jobs re-queued when it starts."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_url)
    store = BlobStore(settings.blob_dir)
    portal = Portal(
        settings=settings,
        db=db,
        store=store,
        workers=JobWorkers(db, store, settings),
        upload_limiter=RateLimiter(settings.uploads_per_minute),
        login_limiter=RateLimiter(settings.logins_per_minute),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        upgrade(db.engine)
        if start_workers:
            portal.workers.start()
        try:
            yield
        finally:
            portal.workers.stop()
            db.dispose()

    app = FastAPI(
        title="greencheck review portal",
        version=__version__,
        description="Upload IFC models to a project, wait for the check, fetch its reports. "
        "Authenticate with a project's API token: `Authorization: Bearer gc_...`.",
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.portal = portal

    @app.exception_handler(PortalError)
    async def _refused(request: Request, exc: PortalError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=exc.status)
        from checker.portal.pages import error_page

        return error_page(request, exc)

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    from checker.portal import api, opinion, pages, pages_admin, pages_projects, pages_review

    app.include_router(api.router)
    for module in (pages, pages_projects, pages_review, opinion, pages_admin):
        app.include_router(module.router)
    app.add_middleware(
        BodyLimit, max_bytes=settings.max_upload_bytes + MULTIPART_SLACK, limit_mb=settings.max_upload_mb
    )
    return app
