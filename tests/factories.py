"""Test data made through the product's own actions, never by writing rows by hand."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy import delete

from samenspel.db.engine import create_engine, create_sessionmaker
from samenspel.db.registry import metadata
from samenspel.knowledge.actions import do_import_articles
from samenspel.knowledge.formats import read_articles
from samenspel.settings import Settings
from samenspel.staff.actions import do_create_staff
from samenspel.staff.schemas import StaffCreate

T = TypeVar("T")
PASSWORD = "correct horse battery staple"


def run_db(settings: Settings, work: Callable[[Any], Awaitable[T]]) -> T:
    """Runs ``work(session)`` against the test database from the test's own thread."""

    async def main() -> T:
        engine = create_engine(settings)
        try:
            async with create_sessionmaker(engine)() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return run_async(main())


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs a coroutine to the end in a thread of its own: the caller may be inside another event loop
    (Playwright's sync API runs one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def wipe(settings: Settings) -> None:
    async def work(session: Any) -> None:
        for table in reversed(metadata.sorted_tables):
            await session.execute(delete(table))
        await session.commit()

    run_db(settings, work)


@dataclass
class StaffAccount:
    id: str
    name: str
    email: str
    role: str
    password: str
    token: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_staff(
    settings: Settings,
    client: httpx.Client | None = None,
    *,
    role: str = "agent",
    name: str | None = None,
    languages: list[str] | None = None,
    skills: list[str] | None = None,
) -> StaffAccount:
    """Creates a staff account; with a client, also logs in through the API and keeps the token."""
    email = f"{role}-{secrets.token_hex(3)}@samenstad.example"
    name = name or f"Test {role.title()} {secrets.token_hex(2)}"

    async def work(session: Any) -> str:
        staff = await do_create_staff(
            session,
            StaffCreate(
                name=name,
                email=email,
                role=role,
                password=PASSWORD,
                languages=languages or ["nl", "en"],
                skills=skills or [],
            ),
        )
        return staff.id

    account = StaffAccount(run_db(settings, work), name, email, role, PASSWORD)
    if client is not None:
        response = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
        response.raise_for_status()
        account.token = response.json()["token"]
    return account


@dataclass
class CustomerConversation:
    id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def start_conversation(client: httpx.Client, **customer: Any) -> CustomerConversation:
    response = client.post("/api/v1/conversations", json={"channel": "api", "customer": customer})
    assert response.status_code == 201, response.text
    body = response.json()
    return CustomerConversation(body["id"], body["token"])


def import_knowledge(server: Any, *paths: Path) -> None:
    """Imports articles into a running LiveServer through the real import action, and waits until the
    server's assistant uses them."""

    async def work(services: Any) -> None:
        async with services.sessionmaker() as db:
            await do_import_articles(db, services, read_articles(list(paths)))
        await services.reload_knowledge()

    server.run(work)


DEMO_KNOWLEDGE = Path(__file__).resolve().parent.parent / "src" / "samenspel" / "demo" / "knowledge"
