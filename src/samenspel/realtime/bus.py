"""The event bus: in-process by default, Redis pub/sub when several server processes share the work.

Subscribers get a bounded queue. A subscriber that falls too far behind is dropped rather than letting
memory grow; clients then reconnect and catch up from the database, which always holds every message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Protocol

from samenspel.realtime.events import Event

logger = logging.getLogger(__name__)

QUEUE_SIZE = 1000


class SubscriptionClosed(Exception):
    """The subscription was dropped (too slow a consumer, or the bus shut down)."""


class Subscription:
    def __init__(self, hub: _LocalHub, channels: set[str]) -> None:
        self._hub = hub
        self.channels: set[str] = set()
        self.queue: asyncio.Queue[Event | None] = asyncio.Queue(QUEUE_SIZE)
        self.closed = False
        for channel in channels:
            self.add(channel)

    def add(self, channel: str) -> None:
        if channel not in self.channels:
            self.channels.add(channel)
            self._hub.attach(channel, self)

    def remove(self, channel: str) -> None:
        if channel in self.channels:
            self.channels.discard(channel)
            self._hub.detach(channel, self)

    def close(self) -> None:
        for channel in list(self.channels):
            self.remove(channel)
        if not self.closed:
            self.closed = True
            with contextlib.suppress(asyncio.QueueFull):
                self.queue.put_nowait(None)

    def deliver(self, event: Event) -> None:
        if self.closed:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            logger.warning("bus.subscriber.dropped channels=%s", sorted(self.channels))
            self.close()

    async def get(self) -> Event:
        # Closed with a full queue, the end marker may not fit: what is queued is handed out, then the end.
        if self.closed and self.queue.empty():
            raise SubscriptionClosed
        event = await self.queue.get()
        if event is None:
            raise SubscriptionClosed
        return event

    async def __aiter__(self) -> AsyncIterator[Event]:
        while True:
            try:
                yield await self.get()
            except SubscriptionClosed:
                return

    def __enter__(self) -> Subscription:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class _LocalHub:
    """Fan-out to the subscribers inside this process."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[Subscription]] = defaultdict(set)

    def attach(self, channel: str, sub: Subscription) -> None:
        self._subscribers[channel].add(sub)

    def detach(self, channel: str, sub: Subscription) -> None:
        subs = self._subscribers.get(channel)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subscribers[channel]

    def dispatch(self, channel: str, event: Event) -> None:
        for sub in list(self._subscribers.get(channel, ())):
            sub.deliver(event)

    def close_all(self) -> None:
        for subs in list(self._subscribers.values()):
            for sub in list(subs):
                sub.close()

    @property
    def subscriber_count(self) -> int:
        return sum(len(s) for s in self._subscribers.values())


class Bus(Protocol):
    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def publish(self, channel: str, event: Event) -> None: ...
    async def publish_many(self, items: list[tuple[str, Event]]) -> None: ...
    def subscribe(self, *channels: str) -> Subscription: ...


class InMemoryBus:
    def __init__(self) -> None:
        self._hub = _LocalHub()

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self._hub.close_all()

    async def publish(self, channel: str, event: Event) -> None:
        self._hub.dispatch(channel, event)

    async def publish_many(self, items: list[tuple[str, Event]]) -> None:
        for channel, event in items:
            self._hub.dispatch(channel, event)

    def subscribe(self, *channels: str) -> Subscription:
        return Subscription(self._hub, set(channels))


class RedisBus:
    """Every process publishes to Redis and listens to one pattern; Redis fans out to all processes."""

    def __init__(self, url: str, prefix: str = "samenspel") -> None:
        self._url = url
        self._prefix = prefix
        self._hub = _LocalHub()
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(self._url)
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await self._pubsub.psubscribe(f"{self._prefix}:*")
        self._reader = asyncio.create_task(self._read(), name="redis-bus-reader")
        logger.info("bus.redis.started")

    async def _read(self) -> None:
        skip = len(self._prefix) + 1
        while True:
            try:
                async for raw in self._pubsub.listen():
                    if raw.get("type") != "pmessage":
                        continue
                    channel = raw["channel"].decode()[skip:]
                    try:
                        event = Event.model_validate_json(raw["data"])
                    except ValueError:
                        logger.warning("bus.redis.bad_event channel=%s", channel)
                        continue
                    self._hub.dispatch(channel, event)
            except asyncio.CancelledError:
                raise
            except Exception:
                # A lost Redis connection: subscribers are dropped so clients resync from the database.
                logger.exception("bus.redis.reader_failed; reconnecting")
                self._hub.close_all()
                await asyncio.sleep(1)
                with contextlib.suppress(Exception):
                    await self._pubsub.psubscribe(f"{self._prefix}:*")

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        self._hub.close_all()
        with contextlib.suppress(Exception):
            await self._pubsub.aclose()  # type: ignore[no-untyped-call]
        with contextlib.suppress(Exception):
            await self._redis.aclose()

    async def publish(self, channel: str, event: Event) -> None:
        await self._redis.publish(f"{self._prefix}:{channel}", event.model_dump_json())

    async def publish_many(self, items: list[tuple[str, Event]]) -> None:
        """One round trip for all of an action's events, in order."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for channel, event in items:
                pipe.publish(f"{self._prefix}:{channel}", event.model_dump_json())
            await pipe.execute()

    def subscribe(self, *channels: str) -> Subscription:
        return Subscription(self._hub, set(channels))


def create_bus(redis_url: str | None, prefix: str = "samenspel") -> Bus:
    return RedisBus(redis_url, prefix) if redis_url else InMemoryBus()
