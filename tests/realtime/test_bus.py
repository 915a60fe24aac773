"""The event bus: in-process and over Redis, same behaviour."""

from __future__ import annotations

import asyncio
import secrets

import pytest

from samenspel.realtime import bus as bus_module
from samenspel.realtime.bus import InMemoryBus, RedisBus
from samenspel.realtime.events import Event


def event(n: int, conversation: str = "c1") -> Event:
    return Event(type="message.created", conversation_id=conversation, data={"n": n})


@pytest.fixture(params=["memory", "redis"])
def make_bus(request):
    if request.param == "memory":
        return InMemoryBus
    url = request.getfixturevalue("redis_url")
    prefix = f"t{secrets.token_hex(4)}"
    return lambda: RedisBus(url, prefix)


async def _receive(sub, count, seconds=3.0):
    return [await asyncio.wait_for(sub.get(), seconds) for _ in range(count)]


def test_subscribers_get_their_channels_events_in_order(make_bus):
    async def main():
        bus = make_bus()
        await bus.start()
        try:
            with bus.subscribe("conversation:a") as sub_a, bus.subscribe("conversation:b", "staff") as sub_b:
                for n in range(3):
                    await bus.publish("conversation:a", event(n))
                await bus.publish("staff", event(9, "z"))
                got_a = await _receive(sub_a, 3)
                got_b = await _receive(sub_b, 1)
                assert [e.data["n"] for e in got_a] == [0, 1, 2]
                assert got_b[0].conversation_id == "z"
                with pytest.raises(TimeoutError):
                    await asyncio.wait_for(sub_b.get(), 0.3)
        finally:
            await bus.close()

    asyncio.run(main())


def test_a_channel_can_be_added_and_removed(make_bus):
    async def main():
        bus = make_bus()
        await bus.start()
        try:
            with bus.subscribe() as sub:
                sub.add("conversation:x")
                await bus.publish("conversation:x", event(1, "x"))
                assert (await _receive(sub, 1))[0].data == {"n": 1}
                sub.remove("conversation:x")
                await bus.publish("conversation:x", event(2, "x"))
                with pytest.raises(TimeoutError):
                    await asyncio.wait_for(sub.get(), 0.3)
        finally:
            await bus.close()

    asyncio.run(main())


def test_a_subscriber_that_falls_behind_is_dropped_not_grown(monkeypatch):
    monkeypatch.setattr(bus_module, "QUEUE_SIZE", 5)

    async def main():
        bus = InMemoryBus()
        with bus.subscribe("c") as sub:
            for n in range(10):
                await bus.publish("c", event(n))
            received = [e.data["n"] async for e in sub]
            assert received == [0, 1, 2, 3, 4]
            assert sub.closed

    asyncio.run(main())


def test_redis_bus_delivers_between_two_instances(redis_url):
    """Two buses = two server processes: what one publishes, the other's subscribers receive."""

    async def main():
        prefix = f"t{secrets.token_hex(4)}"
        one, two = RedisBus(redis_url, prefix), RedisBus(redis_url, prefix)
        await one.start()
        await two.start()
        try:
            with two.subscribe("conversation:q") as sub:
                await one.publish("conversation:q", event(7, "q"))
                assert (await _receive(sub, 1))[0].data == {"n": 7}
        finally:
            await one.close()
            await two.close()

    asyncio.run(main())
