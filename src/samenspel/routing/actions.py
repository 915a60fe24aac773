"""Everything that changes routing: agent states, the queue, assignments and overrides.

Each action commits, then publishes (never before). An assignment is claimed on the ticket first with a
compare-and-set update, so two dispatchers (two processes) never give one conversation to two agents;
the conversation itself then moves through ``conversations.actions.do_take_over``.
"""

from __future__ import annotations

import logging
import typing
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.conversations.access import access_conversation_by_id
from samenspel.conversations.actions import do_take_over
from samenspel.conversations.models import Conversation
from samenspel.conversations.queries import list_conversations
from samenspel.db.base import utcnow
from samenspel.errors import Conflict, InvalidInput, SamenspelError
from samenspel.realtime.events import STAFF_CHANNEL, Event
from samenspel.routing import engine
from samenspel.routing.models import AgentState, LoadEvent, Queue, RoutingTicket, StateChange
from samenspel.routing.queries import (
    OPEN_CHATS_LIMIT,
    agent_snapshots,
    agent_state,
    engine_ticket,
    latest_ticket,
    list_queues,
    open_ticket,
    routing_config,
    waiting_tickets,
)
from samenspel.routing.schemas import AgentStatePublic, Assignment, QueueSpec, SettableState, check_queue_name
from samenspel.routing.weigh import heaviness_of, priority_of
from samenspel.services import Services
from samenspel.staff.access import check_role
from samenspel.staff.models import Staff

logger = logging.getLogger(__name__)

DEFAULT_QUEUE = "general"
AGENT_EVENT = "agent.updated"


def _bus_knows(event_type: str) -> bool:
    return event_type in typing.get_args(Event.model_fields["type"].annotation)


async def _publish_agents(services: Services, states: Iterable[dict[str, Any]]) -> None:
    """Tells every workspace that agents changed state. Sent once the bus's event vocabulary has
    ``agent.updated`` (realtime/events.py); until then the team page shows changes on reload."""
    if not _bus_knows(AGENT_EVENT):
        return
    events = [
        (STAFF_CHANNEL, Event.model_validate({"type": AGENT_EVENT, "conversation_id": "", "data": data}))
        for data in states
    ]
    if events:
        await services.bus.publish_many(events)


# --- agent states ----------------------------------------------------------------------------------------


async def do_set_agent_state(
    db: AsyncSession,
    services: Services,
    staff: Staff,
    state: SettableState,
    *,
    changed_by: Staff | None = None,
    max_chats: int | None = None,
) -> AgentState:
    """Sets what the agent is doing; each change is logged for the day's contact and improvement time."""
    if state not in engine.SETTABLE_STATES:
        raise InvalidInput(f"expected one of {', '.join(engine.SETTABLE_STATES)}, got {state!r}", field="state")
    now = utcnow()
    async with services.write_gate.hold(db):
        row = await db.get(AgentState, staff.id)
        changed = row is None or row.state != state
        if row is None:
            row = AgentState(staff_id=staff.id, state=state, since=now, max_chats=max_chats)
            db.add(row)
        else:
            if changed:
                row.state = state
                row.since = now
            if max_chats is not None:
                row.max_chats = max_chats
        if changed:
            db.add(StateChange(staff_id=staff.id, state=state, changed_by=(changed_by or staff).id, at=now))
        await db.commit()
    if changed:
        logger.info("routing.agent_state staff_id=%s state=%s", staff.id, state)
        public = await agent_state(db, services.settings, staff)
        await _publish_agents(services, [public.model_dump(mode="json")])
    return row


# --- the queue -------------------------------------------------------------------------------------------


async def do_save_queue(db: AsyncSession, services: Services, name: str, spec: QueueSpec) -> Queue:
    name = check_queue_name(name)
    async with services.write_gate.hold(db):
        queue = await db.scalar(select(Queue).where(Queue.name == name))
        if queue is None:
            queue = Queue(name=name)
            db.add(queue)
        for key, value in spec.model_dump().items():
            setattr(queue, key, value)
        await db.commit()
    logger.info("routing.queue_saved name=%s", name)
    return queue


def _pick_queue(queues: Iterable[Queue], reasons: set[str], topic: str | None, language: str | None) -> Queue | None:
    for queue in queues:
        if queue.languages and language and language not in queue.languages:
            continue
        if reasons & set(queue.reasons or []) or (topic and topic in (queue.topics or [])):
            return queue
    return None


def _topic(signals: Mapping[str, Any]) -> str | None:
    for key in ("topic", "intent", "contact_reason"):
        value = signals.get(key)
        if isinstance(value, str) and value:
            return value.lower()
        if isinstance(value, Mapping) and isinstance(value.get("label"), str):
            return str(value["label"]).lower()
    return None


async def do_enqueue(
    db: AsyncSession,
    services: Services,
    conversation: Conversation,
    *,
    language: str | None,
    segment: str | None,
    reasons: Iterable[str],
    signals: Mapping[str, Any] | None = None,
) -> RoutingTicket:
    """Puts a conversation that needs a person in the queue, weighed (heaviness) and ranked (priority).

    Calling it again for a conversation that is already waiting keeps its place in the line and keeps the
    heavier weighing and the higher priority of the two.
    """
    return await _enqueue(
        db, services, conversation.id, language=language, segment=segment, reasons=reasons, signals=signals
    )


async def _enqueue(
    db: AsyncSession,
    services: Services,
    conversation_id: str,
    *,
    language: str | None,
    segment: str | None,
    reasons: Iterable[str],
    signals: Mapping[str, Any] | None,
) -> RoutingTicket:
    signals = signals or {}
    reasons = sorted(set(reasons))
    heaviness = heaviness_of(signals, reasons)
    priority = priority_of(segment, reasons, signals)
    queue = _pick_queue(await list_queues(db), set(reasons), _topic(signals), language)
    now = utcnow()
    for _attempt in range(2):
        async with services.write_gate.hold(db):
            ticket = await open_ticket(db, conversation_id)
            if ticket is not None:
                ticket.heaviness = max(ticket.heaviness, heaviness)
                ticket.priority = max(ticket.priority, priority)
                ticket.reasons = sorted(set(ticket.reasons or []) | set(reasons))
                ticket.language = language or ticket.language
                if queue is not None and ticket.queue == DEFAULT_QUEUE:
                    ticket.queue, ticket.skills = queue.name, list(queue.skills or [])
                await db.commit()
                return ticket
            ticket = RoutingTicket(
                conversation_id=conversation_id,
                open_conversation_id=conversation_id,
                queue=queue.name if queue else DEFAULT_QUEUE,
                status="waiting",
                priority=priority,
                heaviness=heaviness,
                language=language,
                skills=list(queue.skills or []) if queue else [],
                reasons=reasons,
                waiting_since=now,
                explanation={},
            )
            db.add(ticket)
            try:
                await db.commit()
            except IntegrityError:
                # Another process queued it a moment ago: update that ticket instead.
                await db.rollback()
                continue
        logger.info(
            "routing.enqueued conversation_id=%s queue=%s priority=%s heaviness=%.2f",
            conversation_id,
            ticket.queue,
            priority,
            heaviness,
        )
        return ticket
    raise Conflict("the conversation was queued twice at once; try again")


# --- keeping tickets in step with conversations ----------------------------------------------------------


async def _record_load(db: AsyncSession, staff_id: str, conversation_id: str, heaviness: float, at: datetime) -> None:
    db.add(
        LoadEvent(
            staff_id=staff_id,
            conversation_id=conversation_id,
            heaviness=heaviness,
            weight=engine.load_weight(heaviness),
            at=at,
        )
    )


async def _sync(db: AsyncSession, services: Services) -> dict[str, int]:
    """Queues waiting conversations that have no ticket (released, or waiting from before routing), and
    closes tickets whose conversation someone took from the inbox (their load counts too) or that ended.
    Returns the open chats per agent."""
    waiting = await list_conversations(db, "waiting", 1000)
    assigned = await list_conversations(db, "assigned", OPEN_CHATS_LIMIT)
    open_chats: dict[str, int] = {}
    owner: dict[str, str] = {}
    for summary in assigned:
        if summary.assigned_staff is not None:
            owner[summary.id] = summary.assigned_staff.id
            open_chats[summary.assigned_staff.id] = open_chats.get(summary.assigned_staff.id, 0) + 1
    tickets = {t.conversation_id: t for t in await waiting_tickets(db, limit=5000)}
    waiting_ids = {s.id for s in waiting}
    now = utcnow()
    stale = [t for cid, t in tickets.items() if cid not in waiting_ids]
    if stale:
        async with services.write_gate.hold(db):
            for ticket in stale:
                staff_id = owner.get(ticket.conversation_id)
                claimed = await _claim(db, ticket, staff_id, "manual" if staff_id else None, now, {})
                if claimed and staff_id:
                    await _record_load(db, staff_id, ticket.conversation_id, ticket.heaviness, now)
            await db.commit()
    for summary in waiting:
        if summary.id in tickets:
            continue
        await _enqueue(
            db,
            services,
            summary.id,
            language=summary.language,
            segment=summary.customer.segment,
            reasons=summary.handoff.reasons,
            signals=None,
        )
    return open_chats


async def _claim(
    db: AsyncSession,
    ticket: RoutingTicket,
    staff_id: str | None,
    by: str | None,
    now: datetime,
    explanation: dict[str, Any],
) -> bool:
    """Moves a waiting ticket to assigned (or cancelled, without a staff id) unless someone did first."""
    changed = await db.scalar(
        update(RoutingTicket)
        .where(RoutingTicket.id == ticket.id, RoutingTicket.status == "waiting")
        .values(
            status="assigned" if staff_id else "cancelled",
            open_conversation_id=None,
            assigned_staff_id=staff_id,
            assigned_at=now if staff_id else None,
            assigned_by=by,
            explanation=explanation,
        )
        .returning(RoutingTicket.id)
        .execution_options(synchronize_session=False)
    )
    return changed is not None


async def _unclaim(db: AsyncSession, services: Services, ticket_id: str, conversation_id: str, waiting: bool) -> None:
    async with services.write_gate.hold(db):
        await db.execute(
            update(RoutingTicket)
            .where(RoutingTicket.id == ticket_id)
            .values(
                status="waiting" if waiting else "cancelled",
                open_conversation_id=conversation_id if waiting else None,
                assigned_staff_id=None,
                assigned_at=None,
                assigned_by=None,
            )
            .execution_options(synchronize_session=False)
        )
        await db.commit()


# --- dispatch and override -------------------------------------------------------------------------------


async def do_dispatch(db: AsyncSession, services: Services, *, now: datetime | None = None) -> list[Assignment]:
    """Gives waiting conversations to agents by the Samenspel policy (``routing.engine``), as many as can
    be given now. Safe to call often and from several processes at once."""
    settings = services.settings
    open_chats = await _sync(db, services)
    tickets = {t.id: t for t in await waiting_tickets(db)}
    if not tickets:
        return []
    now = now or utcnow()
    snapshots = {s.staff.id: s for s in await agent_snapshots(db, settings, now, open_chats=open_chats)}
    agents = [s.agent for s in snapshots.values() if s.agent.state in ("available", "in_conversation")]
    if not agents:
        return []
    choices = engine.assign(
        [engine_ticket(t) for t in tickets.values()], agents, "samenspel", now.timestamp(), routing_config(settings)
    )
    done: list[Assignment] = []
    for choice in choices:
        ticket, staff = tickets[choice.ticket_id], snapshots[choice.agent_id].staff
        conversation_id, heaviness = ticket.conversation_id, ticket.heaviness
        explanation = choice.explain()
        async with services.write_gate.hold(db):
            claimed = await _claim(db, ticket, staff.id, "routing", utcnow(), explanation)
            await db.commit()
        if not claimed:
            continue
        try:
            conversation = await access_conversation_by_id(db, staff, conversation_id, "take_over")
            if conversation.status != "waiting":
                # Taken from the inbox or closed since the sync: the next sync accounts for it.
                await _unclaim(db, services, ticket.id, conversation_id, waiting=False)
                continue
            await do_take_over(db, services, conversation, actor=staff, target=staff)
        except SamenspelError as exc:
            logger.info("routing.dispatch_lost conversation_id=%s reason=%s", conversation_id, exc.code)
            await db.rollback()
            await _unclaim(db, services, ticket.id, conversation_id, waiting=False)
            continue
        async with services.write_gate.hold(db):
            await _record_load(db, staff.id, conversation_id, heaviness, utcnow())
            await db.commit()
        logger.info(
            "routing.assigned conversation_id=%s staff_id=%s score=%.2f waived=%s",
            conversation_id,
            staff.id,
            choice.score,
            ",".join(choice.waived),
        )
        done.append(
            Assignment(
                ticket_id=choice.ticket_id,
                conversation_id=conversation_id,
                staff_id=staff.id,
                staff_name=staff.name,
                assigned_by="routing",
                explanation=explanation,
            )
        )
    if done:
        changed = {a.staff_id for a in done}
        counts = {sid: open_chats.get(sid, 0) + sum(a.staff_id == sid for a in done) for sid in changed}
        await _publish_agents(
            services,
            [
                AgentStatePublic(
                    staff_id=sid,
                    state="in_conversation",
                    chosen_state=snapshots[sid].chosen_state,
                    since=snapshots[sid].since,
                    open_chats=counts[sid],
                    max_chats=snapshots[sid].agent.max_chats,
                ).model_dump(mode="json")
                for sid in sorted(changed)
            ],
        )
    return done


async def do_override(
    db: AsyncSession, services: Services, supervisor: Staff, conversation: Conversation, agent: Staff
) -> Assignment:
    """A supervisor gives the conversation to this agent, whatever routing would do; it counts toward the
    agent's load like any other contact."""
    check_role(supervisor, "supervisor")
    if not agent.active:
        raise InvalidInput(f"{agent.name} is no longer active", field="staff_id")
    if conversation.status == "closed":
        raise Conflict("this conversation is closed; it cannot be routed")
    conversation_id = conversation.id
    ticket = await open_ticket(db, conversation_id) or await latest_ticket(db, conversation_id)
    heaviness = ticket.heaviness if ticket else 0.0
    await do_take_over(db, services, conversation, actor=supervisor, target=agent)
    now = utcnow()
    explanation: dict[str, Any] = {"policy": "override", "by": supervisor.id}
    async with services.write_gate.hold(db):
        if ticket is not None and ticket.status == "waiting":
            await _claim(db, ticket, agent.id, "override", now, explanation)
            ticket_id = ticket.id
        else:
            record = RoutingTicket(
                conversation_id=conversation_id,
                queue=ticket.queue if ticket else DEFAULT_QUEUE,
                status="assigned",
                priority=ticket.priority if ticket else 0,
                heaviness=heaviness,
                language=ticket.language if ticket else None,
                skills=list(ticket.skills or []) if ticket else [],
                reasons=list(ticket.reasons or []) if ticket else [],
                waiting_since=ticket.waiting_since if ticket else now,
                assigned_staff_id=agent.id,
                assigned_at=now,
                assigned_by="override",
                explanation=explanation,
            )
            db.add(record)
            await db.flush()
            ticket_id = record.id
        await _record_load(db, agent.id, conversation_id, heaviness, now)
        await db.commit()
    logger.info("routing.override conversation_id=%s staff_id=%s by=%s", conversation_id, agent.id, supervisor.id)
    public = await agent_state(db, services.settings, agent)
    await _publish_agents(services, [public.model_dump(mode="json")])
    return Assignment(
        ticket_id=ticket_id,
        conversation_id=conversation_id,
        staff_id=agent.id,
        staff_name=agent.name,
        assigned_by="override",
        explanation=explanation,
    )
