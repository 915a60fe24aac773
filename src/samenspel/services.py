"""What a running Samenspel holds: settings, database, event bus and the message pipeline."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from samenspel.db.engine import create_engine, create_sessionmaker
from samenspel.knowledge.loader import load_knowledge
from samenspel.knowledge.search import KnowledgeRetriever
from samenspel.pipeline import Pipeline, build_pipeline
from samenspel.realtime.bus import Bus, Subscription, SubscriptionClosed, create_bus
from samenspel.realtime.events import KNOWLEDGE_CHANNEL
from samenspel.settings import Settings

logger = logging.getLogger(__name__)


class WriteGate:
    """Lets one write transaction at a time through, where the database needs that.

    SQLite allows one writer; others wait in its busy handler, which sleeps in steps of up to 100 ms.
    Queuing this process's writers here instead keeps latency low. PostgreSQL needs no gate.
    """

    def __init__(self, serialise: bool) -> None:
        self._lock = asyncio.Lock() if serialise else None

    @asynccontextmanager
    async def hold(self, db: AsyncSession) -> AsyncIterator[None]:
        """Waits for the gate. Call it with nothing unflushed: the session's connection goes back to the
        pool while waiting, so waiters cannot starve the pool the writer needs."""
        if self._lock is None:
            yield
            return
        if db.in_transaction():
            await db.commit()
        async with self._lock:
            yield


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    bus: Bus
    pipeline: Pipeline
    write_gate: WriteGate
    knowledge: KnowledgeRetriever

    async def reload_knowledge(self) -> None:
        async with self.sessionmaker() as db:
            self.knowledge.replace(await load_knowledge(db, self.settings))


async def _follow_knowledge(services: Services, subscription: Subscription) -> None:
    """Rebuilds this process's index whenever any process changes the knowledge base."""
    with subscription:
        while True:
            try:
                await subscription.get()
            except SubscriptionClosed:
                return
            # Changes come in bursts (an import, an editor saving twice): wait for the last one.
            while True:
                try:
                    await asyncio.wait_for(subscription.get(), timeout=0.3)
                except TimeoutError:
                    break
                except SubscriptionClosed:
                    return
            try:
                await services.reload_knowledge()
            except Exception:
                logger.exception("knowledge.reload_failed")


@asynccontextmanager
async def open_services(settings: Settings) -> AsyncIterator[Services]:
    engine = create_engine(settings)
    bus = create_bus(settings.redis_url, settings.redis_channel_prefix)
    await bus.start()
    knowledge = KnowledgeRetriever()
    services = Services(
        settings,
        engine,
        create_sessionmaker(engine),
        bus,
        build_pipeline(settings, knowledge),
        WriteGate(serialise=settings.is_sqlite),
        knowledge,
    )
    follower: asyncio.Task[None] | None = None
    try:
        # Subscribed before the first load, so no change between the two is missed.
        subscription = bus.subscribe(KNOWLEDGE_CHANNEL)
        await services.reload_knowledge()
        follower = asyncio.create_task(_follow_knowledge(services, subscription), name="knowledge-follower")
        yield services
    finally:
        if follower is not None:
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await follower
        await bus.close()
        await engine.dispose()
