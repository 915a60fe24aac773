"""``create_app``: the one ASGI application (API, WebSockets, workspace pages, widget)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from samenspel import __version__
from samenspel.jobs.dispatch import run_dispatcher
from samenspel.services import open_services
from samenspel.settings import Settings, get_settings
from samenspel.web import site, ws
from samenspel.web.api import router as api_router
from samenspel.web.errors import install_error_handlers
from samenspel.web.middleware import BodySizeLimit, SecurityHeaders
from samenspel.web.widget import routes as widget_routes
from samenspel.web.workspace import routes as workspace_routes

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_services(settings) as services:
            app.state.services = services
            ticker: asyncio.Task[None] | None = None
            if settings.routing_tick_seconds > 0:
                ticker = asyncio.create_task(
                    run_dispatcher(services, settings.routing_tick_seconds), name="routing-dispatcher"
                )
            logger.info("web.started")
            try:
                yield
            finally:
                if ticker is not None:
                    ticker.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await ticker

    app = FastAPI(
        title="Samenspel",
        version=__version__,
        summary="A virtual assistant and human agents serving customers together.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    # The widget runs on the organisation's own website; its API calls carry a token, never cookies.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)
    app.include_router(api_router)
    app.include_router(ws.router)
    app.include_router(site.router)
    app.include_router(widget_routes.router)
    app.include_router(workspace_routes.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
