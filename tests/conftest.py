"""Shared fixtures: a real server on loopback, on SQLite and (where it answers) PostgreSQL + Redis."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn

from samenspel.db.migrate import upgrade
from samenspel.settings import Settings
from samenspel.web.app import create_app

T = TypeVar("T")
# The model trained on the shipped corpus is kept here between test runs (not in the user's own cache).
MODEL_CACHE = Path(__file__).resolve().parent.parent / ".pytest_cache" / "samenspel-models"
PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session", autouse=True)
def shipped_models() -> None:
    """Trains (or reads back) the triage model once, before any server starts: a server's start must not wait
    for it, and the CLI processes the tests run find it in the same cache folder."""
    MODEL_CACHE.mkdir(parents=True, exist_ok=True)
    os.environ["XDG_CACHE_HOME"] = str(MODEL_CACHE)
    from samenspel.understanding.needs import shipped_model

    shipped_model()


def answers(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _pg_admin_url() -> str:
    return os.environ.get("SAMENSPEL_TEST_PG_ADMIN", f"postgresql://postgres@{PG_HOST}:{PG_PORT}/test")


def _pg_exec(sql: str) -> None:
    """One statement as the PostgreSQL admin, in a thread of its own (the caller may be inside an event loop,
    e.g. Playwright's)."""
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(_pg_admin_url())
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped at the end."""
    if not answers(PG_HOST, PG_PORT):
        pytest.skip("PostgreSQL does not answer on 127.0.0.1:5432")
    name = f"samenspel_test_{os.getpid()}_{secrets.token_hex(3)}"
    _pg_exec(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def redis_url() -> str:
    if not answers(REDIS_HOST, REDIS_PORT):
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/0"


class _LoopCapture:
    """Remembers the server's event loop, so tests can run the app's own code on it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
        await self.app(scope, receive, send)


class LiveServer:
    """The real ASGI app served by uvicorn on a loopback port, in a background thread."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        settings = settings.model_copy(update={"base_url": f"http://127.0.0.1:{self.port}"})
        self.settings = settings
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.app = create_app(settings)
        self._capture = _LoopCapture(self.app)
        config = uvicorn.Config(
            self._capture,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            ws="websockets-sansio",
            lifespan="on",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name=f"uvicorn-{self.port}", daemon=True)

    def start(self) -> LiveServer:
        upgrade(self.settings)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def run(self, work: Callable[[Any], Awaitable[T]], timeout: float = 30) -> T:
        """Runs ``work(services)`` on the server's own event loop (e.g. an import through the domain
        actions, which also rebuilds the server's knowledge index) and returns its result."""
        assert self._capture.loop is not None, "server not started"
        future = asyncio.run_coroutine_threadsafe(work(self.app.state.services), self._capture.loop)
        return future.result(timeout)

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=15, **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Backend:
    name: str
    settings: Settings


def _backend_settings(request: pytest.FixtureRequest, tmp: Path) -> Settings:
    base = {"environment": "test", "data_dir": tmp}
    if request.param == "sqlite":
        return Settings(**base)
    pg = request.getfixturevalue("pg_database_url")
    redis = request.getfixturevalue("redis_url")
    return Settings(**base, database_url=pg, redis_url=redis, redis_channel_prefix=f"t{secrets.token_hex(4)}")


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Backend:
    """Each API and WebSocket test runs on SQLite + in-process bus, and on PostgreSQL + Redis."""
    return Backend(request.param, _backend_settings(request, tmp_path_factory.mktemp(request.param)))


@pytest.fixture(scope="session")
def live_server(backend: Backend) -> Iterator[LiveServer]:
    server = LiveServer(backend.settings).start()
    yield server
    server.stop()


@pytest.fixture
def server(live_server: LiveServer) -> LiveServer:
    """The live server with an empty database: every test starts clean."""
    from tests.factories import wipe

    wipe(live_server.settings)
    return live_server


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


CHROMIUM = os.environ.get("SAMENSPEL_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, driven headless by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: 'make test' installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def sqlite_live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = Settings(environment="test", data_dir=tmp_path_factory.mktemp("web"))
    server = LiveServer(settings).start()
    yield server
    server.stop()


@pytest.fixture
def web_server(sqlite_live_server: LiveServer) -> LiveServer:
    """For browser tests: one SQLite-backed live server, emptied before each test."""
    from tests.factories import wipe

    wipe(sqlite_live_server.settings)
    return sqlite_live_server
