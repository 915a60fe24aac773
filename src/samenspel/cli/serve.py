from __future__ import annotations

import logging
import os

import click
import uvicorn

from samenspel.cli.common import fail, settings_or_fail
from samenspel.db.migrate import upgrade
from samenspel.settings import get_settings


def default_base_url(host: str, port: int) -> None:
    """Links to articles in the assistant's answers point at this server unless configured otherwise."""
    if not os.environ.get("SAMENSPEL_BASE_URL"):
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - only a display default
        os.environ["SAMENSPEL_BASE_URL"] = f"http://{shown}:{port}"
        get_settings.cache_clear()


def run_server(host: str, port: int, workers: int) -> None:
    default_base_url(host, port)
    settings = settings_or_fail()
    if workers > 1 and not settings.redis_url:
        fail("--workers above 1 needs SAMENSPEL_REDIS_URL: the processes share events through Redis")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    upgrade(settings)
    uvicorn.run(
        "samenspel.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        ws="websockets-sansio",
        log_level="info",
    )


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web app, API, chat widget and channels."""
    run_server(host, port, workers)
