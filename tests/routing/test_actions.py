"""Routing's actions against the real database (SQLite, and PostgreSQL + Redis where they answer): the
line, load that fades, heavy runs and their hold, the day's time accounting, and two dispatchers racing."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from samenspel.conversations.access import access_conversation_by_id
from samenspel.db.base import utcnow
from samenspel.routing import actions, engine
from samenspel.routing.actions import do_dispatch, do_enqueue, do_set_agent_state
from samenspel.routing.queries import (
    HANDLING_MIN_SAMPLES,
    TYPICAL_HANDLING,
    agent_overview,
    estimate_wait,
    service_outlook,
    typical_handling,
    waiting_tickets,
)
from samenspel.services import open_services
from samenspel.staff.queries import get_staff, list_staff
from tests.factories import make_staff, run_async, start_conversation
from tests.web.workspace.helpers import ASK_FOR_PERSON, customer_says

ANGRY = {"emotion": {"label": "anger", "intensity": 0.9}}


def waiting(server, client, name, **customer):
    conv = start_conversation(client, name=name, **customer)
    customer_says(client, conv, ASK_FOR_PERSON)
    return conv


def act(server, work):
    """Runs ``work(db, services)`` on the server's loop, in a session of its own."""

    async def run(services):
        async with services.sessionmaker() as db:
            return await work(db, services)

    return server.run(run)


def set_state(server, staff_id, state, **kw):
    async def work(db, services):
        staff = await get_staff(db, staff_id)
        return await do_set_agent_state(db, services, staff, state, **kw)

    return act(server, work)


def make_heavy(server, conversation_id):
    async def work(db, services):
        conversation = await access_conversation_by_id(db, await _any_staff(db), conversation_id)
        return await do_enqueue(
            db, services, conversation, language="nl", segment="standard", reasons=["negative_emotion"], signals=ANGRY
        )

    return act(server, work)


async def _any_staff(db):
    return (await list_staff(db))[0]


def overview(server, *, at=None):
    async def work(db, services):
        return {a.staff_id: a for a in await agent_overview(db, services.settings, at)}

    return act(server, work)


def dispatch(server, *, at=None):
    return act(server, lambda db, services: do_dispatch(services, now=at))


def test_queueing_again_keeps_the_place_and_the_heavier_weighing(server):
    with server.client() as client:
        make_staff(server.settings, client)
        conv = waiting(server, client, "Klant")
        before = act(server, lambda db, services: waiting_tickets(db))
        assert [(t.conversation_id, t.heaviness) for t in before] == [(conv.id, 0.0)]
        ticket = make_heavy(server, conv.id)
        assert ticket.id == before[0].id
        assert ticket.waiting_since == before[0].waiting_since
        assert ticket.heaviness == pytest.approx(0.9)
        assert sorted(ticket.reasons) == sorted({"negative_emotion", *before[0].reasons})


def test_load_fades_and_a_heavy_run_holds_back_until_the_wait_is_too_long(server):
    with server.client() as client:
        agent = make_staff(server.settings, client)
        set_state(server, agent.id, "break", max_chats=5)
        for name in ("Boos Een", "Boos Twee"):
            make_heavy(server, waiting(server, client, name).id)
        set_state(server, agent.id, "available")  # takes both, one after the other
        now = utcnow()
        seen = overview(server, at=now)[agent.id]
        assert (seen.open_chats, seen.heavy_run, seen.contacts_today, seen.heavy_today) == (2, 2, 2, 2)
        assert seen.load == pytest.approx(2 * 0.91, rel=0.05)
        later = overview(server, at=now + timedelta(minutes=server.settings.load_half_life_minutes))[agent.id]
        assert later.load == pytest.approx(seen.load / 2, rel=0.05)

        # A third heavy one waits for a colleague...
        set_state(server, agent.id, "break")
        third = waiting(server, client, "Boos Drie")
        make_heavy(server, third.id)
        set_state(server, agent.id, "available")
        assert [t.conversation_id for t in act(server, lambda db, s: waiting_tickets(db))] == [third.id]
        # ...but not for ever: once it has waited the hold, the agent takes it, and the record says why.
        done = dispatch(server, at=utcnow() + timedelta(seconds=server.settings.routing_hold_seconds + 5))
        assert [(a.conversation_id, a.staff_id) for a in done] == [(third.id, agent.id)]
        assert done[0].explanation["waived"] == ["heavy_run"]
        assert overview(server)[agent.id].heavy_run == 3


def test_a_light_contact_goes_to_the_agent_after_a_heavy_run_and_the_heavy_one_to_a_colleague(server):
    with server.client() as client:
        tired = make_staff(server.settings, client, name="Na Twee Zware")
        fresh = make_staff(server.settings, client, name="Fris")
        set_state(server, tired.id, "break", max_chats=5)
        for name in ("Zwaar Een", "Zwaar Twee"):
            make_heavy(server, waiting(server, client, name).id)
        set_state(server, tired.id, "available")
        set_state(server, tired.id, "break")
        heavy = waiting(server, client, "Zwaar Drie")
        make_heavy(server, heavy.id)
        light = waiting(server, client, "Licht")
        set_state(server, fresh.id, "available", max_chats=5, dispatch=False)
        set_state(server, tired.id, "available", dispatch=False)
        done = {a.conversation_id: a.staff_id for a in dispatch(server)}
        assert done == {heavy.id: fresh.id, light.id: tired.id}


def test_the_day_counts_contact_time_and_holds_back_who_is_behind_on_improvement(server):
    with server.client() as client:
        agent = make_staff(server.settings, client)
        set_state(server, agent.id, "available")
        later = utcnow() + timedelta(hours=1)
        seen = overview(server, at=later)[agent.id]
        assert seen.contact_minutes_today == pytest.approx(60, abs=1)
        assert seen.improvement_minutes_today == 0
        assert seen.improvement_share_today == 0
        assert seen.improvement_behind_minutes == pytest.approx(30, abs=1)
        assert seen.held_back
        set_state(server, agent.id, "improvement")
        much_later = utcnow() + timedelta(hours=1)
        seen = overview(server, at=much_later)[agent.id]
        assert seen.improvement_minutes_today == pytest.approx(60, abs=1)
        assert seen.improvement_share_today == pytest.approx(1.0, abs=0.05)
        assert not seen.held_back


def test_the_wait_estimate_follows_free_slots_and_the_line(server):
    async def wait(db, services):
        return await estimate_wait(db, services.settings, language="nl")

    with server.client() as client:
        agent = make_staff(server.settings, client, languages=["nl"])
        assert act(server, wait) is None  # nobody at work: no promise
        set_state(server, agent.id, "available", max_chats=1)
        assert act(server, wait) == timedelta(0)
        waiting(server, client, "Een")  # takes the slot
        waiting(server, client, "Twee")  # waits
        assert act(server, wait) > timedelta(0)

        async def outlook(db, services):
            return await service_outlook(
                db, services.settings.model_copy(update={"opening_hours": "mo-su 00:00-24:00"})
            )

        told = act(server, outlook)
        assert told["open"] is True
        assert told["next_open"] is None
        assert told["wait_minutes"] >= 1


def test_the_wait_estimate_learns_how_long_a_chat_takes_from_the_chats_closed(server):
    async def wait(db, services):
        return await estimate_wait(db, services.settings, language="nl")

    with server.client() as client:
        supervisor = make_staff(server.settings, client, role="supervisor")
        agent = make_staff(server.settings, client, languages=["nl"])
        set_state(server, agent.id, "available", max_chats=1)
        for i in range(HANDLING_MIN_SAMPLES):
            conv = waiting(server, client, f"Klant {i}")  # routed to the agent: their one slot is taken
            # Too little history yet: the next customer waits one typical chat, 8 minutes.
            assert act(server, wait) == TYPICAL_HANDLING
            closed = client.post(f"/api/v1/staff/conversations/{conv.id}/close", json={}, headers=agent.headers)
            assert closed.status_code == 200, closed.text
        waiting(server, client, "Nog een klant")
        # Ten chats were closed, each within moments of being taken: that is what a chat takes here now.
        measured = act(server, wait)
        assert timedelta(0) <= measured < timedelta(seconds=30)
        team = client.get("/api/v1/staff/routing/agents", headers=supervisor.headers).json()
        assert team["handling_samples"] == HANDLING_MIN_SAMPLES
        assert team["typical_handling_seconds"] == pytest.approx(measured.total_seconds())
        assert team["estimated_wait_seconds"] == pytest.approx(measured.total_seconds())


def test_the_typical_chat_is_the_median_of_enough_measured_ones():
    assert typical_handling([60.0] * (HANDLING_MIN_SAMPLES - 1)) == TYPICAL_HANDLING
    durations = [120.0] * 6 + [180.0] * 5 + [7200.0]  # one left open for hours does not drag it up
    assert typical_handling(durations) == timedelta(minutes=2.5)


def test_two_processes_dispatching_at_once_give_a_conversation_to_one_agent(server):
    with server.client() as client:
        agents = [make_staff(server.settings, client, name=f"Agent {i}") for i in range(3)]
        convs = [start_conversation(client, name=f"Klant {i}") for i in range(4)]
        for conv in convs:
            customer_says(client, conv, ASK_FOR_PERSON)  # all waiting: nobody is available yet

    # Everyone becomes available behind routing's back, then two processes dispatch at the same moment.
    async def quietly_available(db, services):
        for account in agents:
            await do_set_agent_state(db, services, await get_staff(db, account.id), "available", dispatch=False)

    act(server, quietly_available)
    barrier = threading.Barrier(2)

    async def process():
        async with open_services(server.settings) as services:
            await asyncio.to_thread(barrier.wait)
            return await do_dispatch(services)

    with ThreadPoolExecutor(2) as pool:
        results = [f.result(60) for f in [pool.submit(asyncio.run, process()) for _ in range(2)]]
    assigned = [a.conversation_id for result in results for a in result]
    assert sorted(assigned) == sorted(c.id for c in convs)  # each once, none twice
    with server.client() as client:
        owners = []
        for conv in convs:
            state = client.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()
            assert state["status"] == "assigned"
            owners.append(state["agent"]["id"])
    assert set(owners) <= {a.id for a in agents}


# Set in the dispatcher that is to stop half-way, so the other one can run in between.
_PAUSED_HERE: contextvars.ContextVar[bool] = contextvars.ContextVar("paused_here", default=False)


@pytest.mark.parametrize("stop", ["after_choosing", "after_claiming"])
def test_two_processes_dispatching_at_once_never_give_an_agent_more_than_max_chats(server, monkeypatch, stop):
    """Two server processes dispatch at the same moment, and both want the one agent with one free slot.

    The first pass stops after it chose (or after it claimed the ticket, before the conversation moved);
    the second pass, in another process, runs in between and gives the agent a VIP customer. When the first
    pass goes on, the agent has no room left. Runs on SQLite and on PostgreSQL, where each claim locks the
    agent's state row."""
    paused, go = threading.Event(), threading.Event()

    def assign_then_pause(*args, **kwargs):
        choices = original_assign(*args, **kwargs)
        if _PAUSED_HERE.get() and stop == "after_choosing":
            paused.set()
            assert go.wait(30)
        return choices

    async def pause_then_take_over(*args, **kwargs):
        if _PAUSED_HERE.get() and stop == "after_claiming":
            paused.set()
            assert await asyncio.to_thread(go.wait, 30)
        return await original_take_over(*args, **kwargs)

    original_assign, original_take_over = engine.assign, actions.do_take_over
    monkeypatch.setattr(engine, "assign", assign_then_pause)
    monkeypatch.setattr(actions, "do_take_over", pause_then_take_over)

    with server.client() as client:
        supervisor = make_staff(server.settings, client, role="supervisor")
        agent = make_staff(server.settings, client, name="Eén Plek", languages=["nl"])
        # The customers need a skill nobody has, and both passes run as of two minutes later, when any
        # agent may take a skill's contact: the server's own periodic pass (on the real clock) stays out.
        queue = client.put(
            "/api/v1/staff/routing/queues/vergunningen",
            json={"skills": ["vergunningen"], "reasons": ["customer_request"]},
            headers=supervisor.headers,
        )
        assert queue.status_code == 200, queue.text
        first = waiting(server, client, "Eerste Klant")
        set_state(server, agent.id, "available", max_chats=1, dispatch=False)
        later = utcnow() + timedelta(minutes=2)

        async def process(pause):
            async with open_services(server.settings) as services:
                _PAUSED_HERE.set(pause)
                return await do_dispatch(services, now=later)

        with ThreadPoolExecutor(1) as pool:
            slow = pool.submit(asyncio.run, process(True))
            assert paused.wait(30), "the first pass did not get to its pause"
            vip = waiting(server, client, "Voorrang Klant", segment="vip")
            fast = run_async(process(False))
            go.set()
            slow_done = slow.result(60)

        # Stopped after choosing, the first pass finds the slot taken by the VIP; stopped after claiming,
        # its hand-over holds the slot and the second pass leaves the agent alone.
        given, left = (vip, first) if stop == "after_choosing" else (first, vip)
        done = [(a.conversation_id, a.staff_id) for a in [*fast, *slow_done]]
        assert done == [(given.id, agent.id)]
        seen = client.get("/api/v1/staff/routing/agents", headers=supervisor.headers).json()["items"]
        assert [(a["open_chats"], a["max_chats"]) for a in seen if a["staff_id"] == agent.id] == [(1, 1)]
        assert client.get(f"/api/v1/conversations/{given.id}", headers=given.headers).json()["status"] == "assigned"
        assert client.get(f"/api/v1/conversations/{left.id}", headers=left.headers).json()["status"] == "waiting"
        tickets = client.get("/api/v1/staff/routing/tickets", headers=supervisor.headers).json()["items"]
        assert [t["conversation_id"] for t in tickets] == [left.id]  # in line, not lost


def test_handoffs_that_come_while_a_dispatch_pass_runs_share_the_next_pass(server, monkeypatch):
    """A burst of handoffs costs one more pass, not one each, and that pass serves every one of them."""
    paused, go = threading.Event(), threading.Event()
    passes, requests = [], []
    original_dispatch, original_request = actions._dispatch, actions._Dispatcher.request

    async def counted_pass(*args):
        passes.append(len(passes))
        done = await original_dispatch(*args)
        if len(passes) == 1:  # the first pass has read everything (nobody waits yet), and is still busy
            paused.set()
            assert await asyncio.to_thread(go.wait, 30)
        return done

    def counted_request(self, services):
        requests.append(services)
        return original_request(self, services)

    monkeypatch.setattr(actions, "_dispatch", counted_pass)
    monkeypatch.setattr(actions._Dispatcher, "request", counted_request)
    with server.client() as client:
        agents = [make_staff(server.settings, client, name=f"Collega {i}") for i in range(2)]
        for agent in agents:
            set_state(server, agent.id, "available", dispatch=False)
        with ThreadPoolExecutor(6) as pool:
            first = pool.submit(server.run, do_dispatch)
            assert paused.wait(30)
            customers = list(pool.map(lambda i: start_conversation(client, name=f"Klant {i}"), range(5)))
            said = [pool.submit(customer_says, client, conv, ASK_FOR_PERSON) for conv in customers]
            while len(requests) < 1 + len(customers):  # every handoff has asked for a pass
                assert not any(f.done() for f in said), "a handoff finished before the first pass did"
                threading.Event().wait(0.02)
            go.set()
            assert first.result(30) == []
            for f in said:
                f.result(30)
        assert len(passes) == 2
        owners = [client.get(f"/api/v1/conversations/{c.id}", headers=c.headers).json() for c in customers]
        assert [o["status"] for o in owners] == ["assigned"] * 5
        counts = {a.id: sum(o["agent"]["id"] == a.id for o in owners) for a in agents}
        assert sorted(counts.values()) == [2, 3]
