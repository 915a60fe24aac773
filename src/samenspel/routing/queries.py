"""What routing knows: agents as the engine and supervisors see them, waiting tickets, wait estimates.

Open chats come from the conversations package (its ``list_conversations``), never from its tables.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.conversations.queries import conversation_holders, list_conversations, open_chat_counts
from samenspel.db.base import utcnow
from samenspel.errors import NotFound
from samenspel.routing import engine
from samenspel.routing.hours import OpeningHours
from samenspel.routing.models import AgentState, LoadEvent, Queue, RoutingTicket, StateChange
from samenspel.routing.schemas import AgentOverview, AgentStatePublic, SettableState, StateName, TicketPublic
from samenspel.settings import Settings
from samenspel.staff.models import Staff
from samenspel.staff.queries import list_staff

# What one chat takes, for the wait estimate, until enough history is kept to measure it.
TYPICAL_HANDLING = timedelta(minutes=8)
# The measured handling time: the median from taking a conversation on to closing it, over the most
# recent closes within the window; with fewer than the minimum, the typical handling above.
HANDLING_WINDOW = timedelta(days=14)
HANDLING_SAMPLE = 200
HANDLING_MIN_SAMPLES = 10
# A ticket claimed this recently whose conversation still waits is being handed over right now.
IN_FLIGHT = timedelta(seconds=30)
# Loads older than this many half-lives are below 1/4000 of their weight: not worth reading.
LOAD_HORIZON_HALF_LIVES = 12


def routing_config(settings: Settings) -> engine.RoutingConfig:
    return engine.RoutingConfig(
        max_heavy_run=settings.routing_max_heavy_run,
        hold_s=settings.routing_hold_seconds,
        skill_wait_s=settings.routing_skill_wait_seconds,
        improvement_share=settings.improvement_share,
        load_half_life_min=settings.load_half_life_minutes,
        translation=settings.translation_backend != "none",
    )


@lru_cache(maxsize=8)
def _hours(spec: str, timezone: str) -> OpeningHours:
    return OpeningHours.parse(spec, timezone)


def opening_hours(settings: Settings) -> OpeningHours:
    return _hours(settings.opening_hours, settings.timezone)


def day_start(settings: Settings, now: datetime) -> datetime:
    """Midnight of today in the organisation's time zone."""
    local = now.astimezone(ZoneInfo(settings.timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


async def open_chats_by_staff(db: AsyncSession) -> dict[str, int]:
    return await open_chat_counts(db)


@dataclass
class DayAccount:
    contact_s: float = 0.0
    improvement_s: float = 0.0

    def behind_minutes(self, share: float) -> float:
        on_duty = self.contact_s + self.improvement_s
        return (share * on_duty - self.improvement_s) / 60.0

    @property
    def improvement_share(self) -> float | None:
        on_duty = self.contact_s + self.improvement_s
        return self.improvement_s / on_duty if on_duty > 0 else None


async def _day_accounts(
    db: AsyncSession, states: dict[str, AgentState], start: datetime, now: datetime
) -> dict[str, DayAccount]:
    """Time available (contact) and in improvement since ``start``, per agent, from the state log."""
    # Each agent's state as the day began (their last change before it), then today's changes.
    last_before = (
        select(StateChange.staff_id, func.max(StateChange.at).label("at"))
        .where(StateChange.at < start)
        .group_by(StateChange.staff_id)
        .subquery()
    )
    openers = await db.execute(
        select(StateChange.staff_id, StateChange.at, StateChange.state).join(
            last_before, (StateChange.staff_id == last_before.c.staff_id) & (StateChange.at == last_before.c.at)
        )
    )
    today = await db.execute(
        select(StateChange.staff_id, StateChange.at, StateChange.state)
        .where(StateChange.at >= start, StateChange.at <= now)
        .order_by(StateChange.staff_id, StateChange.at, StateChange.id)
    )
    timelines: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for staff_id, at, state in openers:
        timelines[staff_id].append((at, state))
    for staff_id, at, state in today:
        timelines[staff_id].append((at, state))
    for staff_id, current in states.items():
        if staff_id not in timelines:
            timelines[staff_id].append((current.since, current.state))
    accounts: dict[str, DayAccount] = {}
    for staff_id, timeline in timelines.items():
        account = DayAccount()
        for i, (at, state) in enumerate(timeline):
            end = timeline[i + 1][0] if i + 1 < len(timeline) else now
            seconds = (min(end, now) - max(at, start)).total_seconds()
            if seconds <= 0:
                continue
            if state == "available":
                account.contact_s += seconds
            elif state == "improvement":
                account.improvement_s += seconds
        accounts[staff_id] = account
    return accounts


@dataclass
class LoadAccount:
    load: float = 0.0
    heavy_run: int = 0
    contacts_today: int = 0
    heavy_today: int = 0
    last_at: datetime | None = None


async def _load_accounts(
    db: AsyncSession, config: engine.RoutingConfig, start: datetime, now: datetime
) -> dict[str, LoadAccount]:
    horizon = now - timedelta(minutes=config.load_half_life_min * LOAD_HORIZON_HALF_LIVES)
    rows = await db.scalars(
        select(LoadEvent)
        .where(LoadEvent.at >= min(horizon, start), LoadEvent.at <= now)
        .order_by(LoadEvent.staff_id, LoadEvent.at.desc())
    )
    accounts: dict[str, LoadAccount] = {}
    run_open: dict[str, bool] = {}
    for row in rows:
        account = accounts.setdefault(row.staff_id, LoadAccount(last_at=row.at))
        heavy = engine.is_heavy(row.heaviness, config)
        if run_open.setdefault(row.staff_id, True):
            if heavy:
                account.heavy_run += 1
            else:
                run_open[row.staff_id] = False
        if row.at >= horizon:
            account.load += engine.decayed(row.weight, (now - row.at).total_seconds(), config.load_half_life_min)
        if row.at >= start:
            account.contacts_today += 1
            account.heavy_today += int(heavy)
    return accounts


@dataclass
class AgentSnapshot:
    """One staff member as routing sees them now, and the engine's view of them."""

    staff: Staff
    chosen_state: SettableState
    since: datetime | None
    day: DayAccount
    loads: LoadAccount
    agent: engine.Agent

    @property
    def state(self) -> StateName:
        return self.agent.state


async def agent_snapshots(
    db: AsyncSession,
    settings: Settings,
    now: datetime | None = None,
    *,
    open_chats: dict[str, int] | None = None,
) -> list[AgentSnapshot]:
    now = now or utcnow()
    config = routing_config(settings)
    start = day_start(settings, now)
    staff = [s for s in await list_staff(db) if s.active]
    states = {s.staff_id: s for s in await db.scalars(select(AgentState))}
    if open_chats is None:
        open_chats = await open_chats_by_staff(db)
    days = await _day_accounts(db, states, start, now)
    loads = await _load_accounts(db, config, start, now)
    snapshots: list[AgentSnapshot] = []
    for member in staff:
        row = states.get(member.id)
        chosen = cast(SettableState, row.state if row else "offline")
        chats = open_chats.get(member.id, 0)
        day = days.get(member.id, DayAccount())
        load = loads.get(member.id, LoadAccount())
        state: engine.AgentStateName = "in_conversation" if chosen == "available" and chats else chosen
        idle_since = max(
            [t for t in (row.since if row else None, load.last_at) if t is not None], default=now
        ).timestamp()
        agent = engine.Agent(
            id=member.id,
            name=member.name,
            languages=frozenset(member.languages or []),
            skills=frozenset(member.skills or []),
            state=state,
            open_chats=chats,
            max_chats=(row.max_chats if row and row.max_chats else settings.max_chats_per_agent),
            load=load.load,
            heavy_run=load.heavy_run,
            improvement_behind_min=day.behind_minutes(settings.improvement_share),
            idle_since=idle_since,
        )
        snapshots.append(AgentSnapshot(member, chosen, row.since if row else None, day, load, agent))
    return snapshots


def overview_of(snapshot: AgentSnapshot, settings: Settings) -> AgentOverview:
    config = routing_config(settings)
    agent = snapshot.agent
    share = snapshot.day.improvement_share
    return AgentOverview(
        staff_id=snapshot.staff.id,
        name=snapshot.staff.name,
        role=snapshot.staff.role,
        languages=list(snapshot.staff.languages or []),
        skills=list(snapshot.staff.skills or []),
        state=snapshot.state,
        chosen_state=snapshot.chosen_state,
        since=snapshot.since,
        open_chats=agent.open_chats,
        max_chats=agent.max_chats,
        load=round(agent.load, 2),
        heavy_run=agent.heavy_run,
        contacts_today=snapshot.loads.contacts_today,
        heavy_today=snapshot.loads.heavy_today,
        contact_minutes_today=round(snapshot.day.contact_s / 60, 1),
        improvement_minutes_today=round(snapshot.day.improvement_s / 60, 1),
        improvement_share_today=round(share, 3) if share is not None else None,
        improvement_target=settings.improvement_share,
        improvement_behind_minutes=round(agent.improvement_behind_min, 1),
        held_back=agent.improvement_behind_min > config.improvement_slack_min,
    )


async def agent_overview(db: AsyncSession, settings: Settings, now: datetime | None = None) -> list[AgentOverview]:
    """Every active staff member for supervisors: those at work first, then by name."""
    snapshots = await agent_snapshots(db, settings, now)
    order = {"in_conversation": 0, "available": 1, "improvement": 2, "break": 3, "offline": 4}
    snapshots.sort(key=lambda s: (order[s.state], s.staff.name.lower()))
    return [overview_of(s, settings) for s in snapshots]


async def agent_state(
    db: AsyncSession, settings: Settings, staff: Staff, *, open_chats: int | None = None
) -> AgentStatePublic:
    row = await db.get(AgentState, staff.id)
    chosen = cast(SettableState, row.state if row else "offline")
    if open_chats is None:
        open_chats = (await open_chats_by_staff(db)).get(staff.id, 0)
    state: StateName = "in_conversation" if chosen == "available" and open_chats else chosen
    return AgentStatePublic(
        staff_id=staff.id,
        state=state,
        chosen_state=chosen,
        since=row.since if row else None,
        open_chats=open_chats,
        max_chats=row.max_chats if row and row.max_chats else settings.max_chats_per_agent,
    )


async def waiting_tickets(db: AsyncSession, limit: int = 1000) -> Sequence[RoutingTicket]:
    query = (
        select(RoutingTicket)
        .where(RoutingTicket.status == "waiting")
        .order_by(RoutingTicket.waiting_since, RoutingTicket.id)
        .limit(limit)
    )
    return (await db.scalars(query)).all()


async def has_load_since(db: AsyncSession, staff_id: str, conversation_id: str, since: datetime) -> bool:
    """Whether this agent's taking on this conversation was booked since then (a minute's margin)."""
    found = await db.scalar(
        select(LoadEvent.id)
        .where(
            LoadEvent.staff_id == staff_id,
            LoadEvent.conversation_id == conversation_id,
            LoadEvent.at >= since - timedelta(minutes=1),
        )
        .limit(1)
    )
    return found is not None


async def get_ticket(db: AsyncSession, ticket_id: str) -> RoutingTicket:
    ticket = await db.get(RoutingTicket, ticket_id[:32]) if ticket_id else None
    if ticket is None:
        raise NotFound(f"no routing ticket with id {ticket_id[:40]!r}")
    return ticket


async def open_ticket(db: AsyncSession, conversation_id: str) -> RoutingTicket | None:
    return await db.scalar(select(RoutingTicket).where(RoutingTicket.open_conversation_id == conversation_id))


async def latest_ticket(db: AsyncSession, conversation_id: str) -> RoutingTicket | None:
    return await db.scalar(
        select(RoutingTicket)
        .where(RoutingTicket.conversation_id == conversation_id)
        .order_by(RoutingTicket.created_at.desc(), RoutingTicket.id)
        .limit(1)
    )


def engine_ticket(ticket: RoutingTicket) -> engine.Ticket:
    return engine.Ticket(
        id=ticket.id,
        waiting_since=ticket.waiting_since.timestamp(),
        language=ticket.language,
        skills=frozenset(ticket.skills or []),
        priority=ticket.priority,
        heaviness=ticket.heaviness,
        queue=ticket.queue,
        exclude=frozenset(ticket.excluded_staff or []),
    )


def ticket_public(ticket: RoutingTicket) -> TicketPublic:
    return TicketPublic(
        id=ticket.id,
        conversation_id=ticket.conversation_id,
        queue=ticket.queue,
        status=ticket.status,
        priority=ticket.priority,
        heaviness=ticket.heaviness,
        language=ticket.language,
        skills=list(ticket.skills or []),
        reasons=list(ticket.reasons or []),
        excluded_staff=list(ticket.excluded_staff or []),
        waiting_since=ticket.waiting_since,
        assigned_staff_id=ticket.assigned_staff_id,
        assigned_at=ticket.assigned_at,
        assigned_by=ticket.assigned_by,
        explanation=dict(ticket.explanation or {}),
    )


async def waiting_overview(db: AsyncSession, settings: Settings, now: datetime | None = None) -> list[TicketPublic]:
    """The line as supervisors see it: most urgent first (the order routing serves it in), with who the
    customer is."""
    now = now or utcnow()
    tickets = await waiting_tickets(db)
    summaries = {s.id: s for s in await list_conversations(db, "waiting", len(tickets) + 100)}
    config = routing_config(settings)
    order = {
        t.id: i
        for i, t in enumerate(
            engine.order_tickets([engine_ticket(t) for t in tickets], "samenspel", now.timestamp(), config)
        )
    }
    items: list[TicketPublic] = []
    for ticket in sorted(tickets, key=lambda t: order[t.id]):
        public = ticket_public(ticket)
        summary = summaries.get(ticket.conversation_id)
        if summary is not None:
            public.customer_name = summary.customer.name
            public.segment = summary.customer.segment
        items.append(public)
    return items


async def in_flight_claims(db: AsyncSession, now: datetime, staff_id: str | None = None) -> dict[str, int]:
    """Per agent: conversations routing claimed for them whose hand-over is under way (the ticket is theirs,
    the conversation still waits and has not lined up again). They count as open chats for capacity."""
    query = select(RoutingTicket.assigned_staff_id, RoutingTicket.conversation_id).where(
        RoutingTicket.status == "assigned",
        RoutingTicket.assigned_at >= now - IN_FLIGHT,
        RoutingTicket.assigned_staff_id.is_not(None),
    )
    if staff_id is not None:
        query = query.where(RoutingTicket.assigned_staff_id == staff_id)
    claims = [(sid, cid) for sid, cid in await db.execute(query) if sid]
    if not claims:
        return {}
    conversation_ids = sorted({cid for _, cid in claims})
    holders = await conversation_holders(db, conversation_ids)
    requeued = set(
        await db.scalars(
            select(RoutingTicket.conversation_id).where(RoutingTicket.open_conversation_id.in_(conversation_ids))
        )
    )
    counts: dict[str, int] = defaultdict(int)
    for sid, cid in claims:
        if holders.get(cid, ("closed", None))[0] == "waiting" and cid not in requeued:
            counts[sid] += 1
    return dict(counts)


def typical_handling(durations: Sequence[float]) -> timedelta:
    """The median of measured handling times (seconds), or ``TYPICAL_HANDLING`` with too few of them."""
    if len(durations) < HANDLING_MIN_SAMPLES:
        return TYPICAL_HANDLING
    return timedelta(seconds=statistics.median(durations))


@dataclass(frozen=True)
class Handling:
    """How long a chat takes a person, as the wait estimate uses it, and what it rests on."""

    typical: timedelta
    samples: int

    @property
    def measured(self) -> bool:
        return self.samples >= HANDLING_MIN_SAMPLES


async def handling_time(db: AsyncSession, now: datetime | None = None) -> Handling:
    """From taking a conversation on to closing it, over the most recent closes (``HANDLING_*``)."""
    now = now or utcnow()
    rows = await db.execute(
        select(LoadEvent.at, LoadEvent.closed_at)
        .where(LoadEvent.closed_at.is_not(None), LoadEvent.closed_at >= now - HANDLING_WINDOW)
        .order_by(LoadEvent.closed_at.desc())
        .limit(HANDLING_SAMPLE)
    )
    durations = [(closed - at).total_seconds() for at, closed in rows if closed is not None and closed >= at]
    return Handling(typical_handling(durations), len(durations))


def _can_serve(agent: engine.Agent, language: str | None, config: engine.RoutingConfig) -> bool:
    return agent.state in ("available", "in_conversation") and (
        language is None or language in agent.languages or config.translation
    )


async def estimate_wait(
    db: AsyncSession, settings: Settings, *, language: str | None = None, now: datetime | None = None
) -> timedelta | None:
    """How long a conversation joining the queue now would wait for a person; None when nobody who can
    serve it is at work (say so to the customer rather than promise a time).

    Tickets ahead (in that language, when given) beyond the free chat slots, shared over all slots of the
    agents who can take it, times how long a chat takes (``handling_time``: measured, or 8 minutes while
    there is too little history).
    """
    config = routing_config(settings)
    agents = [s.agent for s in await agent_snapshots(db, settings, now)]
    serving = [a for a in agents if _can_serve(a, language, config)]
    if not serving:
        return None
    ahead = [t for t in await waiting_tickets(db) if language is None or t.language in (None, language)]
    free = sum(max(0, a.max_chats - a.open_chats) for a in serving)
    if len(ahead) < free:
        return timedelta(0)
    slots = sum(a.max_chats for a in serving)
    handling = await handling_time(db, now)
    return handling.typical * (len(ahead) - free + 1) / slots


async def service_outlook(
    db: AsyncSession, settings: Settings, *, language: str | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """What the customer is told on a handoff: whether people answer now, when they next do, and roughly
    how long the wait is (``Inbound.service``, read by ``replies.compose``)."""
    now = now or utcnow()
    hours = opening_hours(settings)
    wait = await estimate_wait(db, settings, language=language, now=now)
    if not hours.is_open(now) and wait is None:
        return {"open": False, "next_open": hours.next_open(now).isoformat(), "wait_minutes": None}
    # Within opening hours, or outside them while someone who can serve the customer is at work (routing
    # gives them the conversation, so the customer is not told to wait for the morning).
    minutes = None if wait is None else math.ceil(wait.total_seconds() / 60)
    return {"open": True, "next_open": None, "wait_minutes": minutes}


async def has_waiting(db: AsyncSession) -> bool:
    """Whether anyone waits for a person: a ticket in line, or a waiting conversation without one."""
    ticket = await db.scalar(select(RoutingTicket.id).where(RoutingTicket.status == "waiting").limit(1))
    return ticket is not None or bool(await list_conversations(db, "waiting", 1))


async def list_queues(db: AsyncSession) -> Sequence[Queue]:
    return (await db.scalars(select(Queue).order_by(Queue.position, Queue.name))).all()


async def get_queue(db: AsyncSession, name: str) -> Queue | None:
    return await db.scalar(select(Queue).where(Queue.name == name.strip().lower()[:40]))
