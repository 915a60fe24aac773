"""Everything that changes routing: agent states, queues, tickets, assignments and overrides.

Each action commits, then publishes (never before). An assignment is claimed on the ticket first with a
compare-and-set update, so two dispatchers (two processes) never give one conversation to two agents;
in the same transaction the agent's capacity is claimed: their state row is locked (``FOR UPDATE`` on
PostgreSQL; SQLite has one writer at a time) and their open and in-flight chats counted again, so two
dispatchers never fill one agent's last slot twice. The conversation itself then moves through
``conversations.actions.do_take_over``, which is also where the agent's emotional load is booked when
someone takes a conversation by hand (``do_note_taken``).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.conversations.access import access_conversation_by_id
from samenspel.conversations.actions import do_take_over
from samenspel.conversations.models import Conversation
from samenspel.conversations.queries import (
    conversation_holders,
    latest_signals,
    list_conversations,
    open_chat_counts,
)
from samenspel.db.base import utcnow
from samenspel.errors import Conflict, InvalidInput, InvalidTransition, SamenspelError
from samenspel.realtime.events import STAFF_CHANNEL, Event
from samenspel.routing import engine
from samenspel.routing.models import AgentState, LoadEvent, Queue, RoutingTicket, StateChange
from samenspel.routing.queries import (
    IN_FLIGHT,
    agent_snapshots,
    agent_state,
    engine_ticket,
    has_load_since,
    in_flight_claims,
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
from samenspel.staff.queries import get_staff

logger = logging.getLogger(__name__)

DEFAULT_QUEUE = "general"
WAITING_LIMIT = 1000


class _Dispatcher:
    """One dispatch pass at a time per event loop (per process), and passes asked for while one runs or
    waits are merged into the next one: a burst of handoffs costs a few passes, not one each. A caller
    is always served by a pass that starts after it asked, so the pass sees what the caller committed.
    The pass runs in a task of its own, so a caller that gives up waiting does not stop it for others."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self._next: tuple[Services, asyncio.Task[list[Assignment]]] | None = None

    def request(self, services: Services) -> asyncio.Task[list[Assignment]]:
        if self._next is not None and self._next[0] is services:
            return self._next[1]
        task = asyncio.create_task(self._run(services), name="routing-dispatch")
        task.add_done_callback(_retrieve)
        self._next = (services, task)
        return task

    async def _run(self, services: Services) -> list[Assignment]:
        async with self.lock:
            if self._next is not None and self._next[1] is asyncio.current_task():
                self._next = None  # from here on this pass may have read the state: later requests wait for the next
            async with services.sessionmaker() as db:
                return await _dispatch(db, services, None)


def _retrieve(task: asyncio.Task[list[Assignment]]) -> None:
    # Every caller sees the pass's failure; this only keeps asyncio from reporting it again when none waited.
    if not task.cancelled():
        task.exception()


_dispatchers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Dispatcher] = weakref.WeakKeyDictionary()


def _dispatcher() -> _Dispatcher:
    loop = asyncio.get_running_loop()
    dispatcher = _dispatchers.get(loop)
    if dispatcher is None:
        dispatcher = _dispatchers[loop] = _Dispatcher()
    return dispatcher


async def _publish_agents(services: Services, states: Iterable[AgentStatePublic]) -> None:
    """Tells every workspace that agents changed (the team page follows these)."""
    events = [
        (STAFF_CHANNEL, Event(type="agent.updated", conversation_id="", data=s.model_dump(mode="json"))) for s in states
    ]
    if events:
        await services.bus.publish_many(events)


async def _publish_agent_ids(db: AsyncSession, services: Services, staff_ids: Iterable[str]) -> None:
    states: list[AgentStatePublic] = []
    for staff_id in sorted(set(staff_ids)):
        member = await get_staff(db, staff_id)
        if member is not None:
            states.append(await agent_state(db, services.settings, member))
    await _publish_agents(services, states)


# --- agent states ----------------------------------------------------------------------------------------


async def do_set_agent_state(
    db: AsyncSession,
    services: Services,
    staff: Staff,
    state: SettableState,
    *,
    changed_by: Staff | None = None,
    max_chats: int | None = None,
    dispatch: bool = True,
) -> AgentStatePublic:
    """Sets what the agent is doing; each change is logged for the day's contact and improvement time.
    An agent who becomes available is offered waiting conversations at once."""
    if state not in engine.SETTABLE_STATES:
        raise InvalidInput(f"expected one of {', '.join(engine.SETTABLE_STATES)}, got {state!r}", field="state")
    if max_chats is not None and not 1 <= max_chats <= 20:
        raise InvalidInput(f"max_chats is between 1 and 20, got {max_chats}", field="max_chats")
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
    public = await agent_state(db, services.settings, staff)
    if changed:
        logger.info("routing.agent_state staff_id=%s state=%s", staff.id, state)
        await _publish_agents(services, [public])
    if dispatch and state == "available":
        await do_dispatch(services)
    return public


# --- queues ----------------------------------------------------------------------------------------------


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


async def do_delete_queue(db: AsyncSession, services: Services, queue: Queue) -> None:
    """Removes a queue. Conversations waiting in it keep their place and the skills it gave them; new
    ones go to the next matching queue."""
    name = queue.name
    async with services.write_gate.hold(db):
        await db.delete(queue)
        await db.commit()
    logger.info("routing.queue_deleted name=%s", name)


def _pick_queue(queues: Iterable[Queue], reasons: set[str], topic: str | None, language: str | None) -> Queue | None:
    """The first queue (by position) whose handoff reasons or topics match, in a language it serves."""
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


# --- tickets ---------------------------------------------------------------------------------------------


async def do_enqueue(
    db: AsyncSession,
    services: Services,
    conversation: Conversation,
    *,
    language: str | None,
    segment: str | None,
    reasons: Iterable[str],
    signals: Mapping[str, Any] | None = None,
    exclude: Iterable[str] = (),
) -> RoutingTicket:
    """Puts a conversation that needs a person in the queue, weighed (heaviness) and ranked (priority).

    Calling it again for a conversation that is already waiting keeps its place in the line and keeps the
    heavier weighing and the higher priority of the two.
    """
    if conversation.status != "waiting":
        raise InvalidTransition(
            f"only a waiting conversation joins the queue; this one is {conversation.status}",
            status=conversation.status,
        )
    return await _enqueue(
        db,
        services,
        conversation.id,
        language=language,
        segment=segment,
        reasons=reasons,
        signals=signals,
        exclude=exclude,
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
    exclude: Iterable[str] = (),
) -> RoutingTicket:
    signals = signals or {}
    reasons = sorted(set(reasons))
    heaviness = heaviness_of(signals, reasons)
    priority = priority_of(segment, reasons, signals)
    queue = _pick_queue(await list_queues(db), set(reasons), _topic(signals), language)
    excluded = sorted(set(exclude))
    for _attempt in range(2):
        async with services.write_gate.hold(db):
            ticket = await open_ticket(db, conversation_id)
            if ticket is not None:
                ticket.heaviness = max(ticket.heaviness, heaviness)
                ticket.priority = max(ticket.priority, priority)
                ticket.reasons = sorted(set(ticket.reasons or []) | set(reasons))
                ticket.language = language or ticket.language
                ticket.excluded_staff = sorted(set(ticket.excluded_staff or []) | set(excluded))
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
                excluded_staff=excluded,
                waiting_since=utcnow(),
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


def _load_event(staff_id: str, conversation_id: str, heaviness: float, at: datetime) -> LoadEvent:
    return LoadEvent(
        staff_id=staff_id,
        conversation_id=conversation_id,
        heaviness=heaviness,
        weight=engine.load_weight(heaviness),
        at=at,
    )


async def _claim(
    db: AsyncSession,
    ticket_id: str,
    staff_id: str | None,
    by: str | None,
    now: datetime,
    explanation: dict[str, Any],
) -> bool:
    """Moves a waiting ticket to assigned (or cancelled, without a staff id) unless someone did first."""
    changed = await db.scalar(
        update(RoutingTicket)
        .where(RoutingTicket.id == ticket_id, RoutingTicket.status == "waiting")
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


async def _claim_room(db: AsyncSession, services: Services, staff_id: str) -> bool:
    """Whether the agent is still available with a free chat slot, decided inside the claim's transaction:
    the agent's state row is locked first (``FOR UPDATE``; a no-op on SQLite, whose one writer at a time
    serialises this already), so a second dispatcher (another process) that wants the same agent waits
    here until this claim is committed, then counts it. Open chats and claims still being handed over are
    counted afresh; the pass's snapshot may be a moment old."""
    row = (
        await db.execute(
            select(AgentState.state, AgentState.max_chats).where(AgentState.staff_id == staff_id).with_for_update()
        )
    ).first()
    if row is None or row.state != "available":
        return False
    limit = row.max_chats or services.settings.max_chats_per_agent
    busy = (await open_chat_counts(db)).get(staff_id, 0)
    busy += (await in_flight_claims(db, utcnow(), staff_id)).get(staff_id, 0)
    return busy < limit


async def _unclaim(db: AsyncSession, services: Services, ticket_id: str, conversation_id: str) -> None:
    """Puts a claimed ticket back in line, at its old place (the hand-over did not happen)."""
    async with services.write_gate.hold(db):
        try:
            await db.execute(
                update(RoutingTicket)
                .where(RoutingTicket.id == ticket_id, RoutingTicket.status == "assigned")
                .values(
                    status="waiting",
                    open_conversation_id=conversation_id,
                    assigned_staff_id=None,
                    assigned_at=None,
                    assigned_by=None,
                )
                .execution_options(synchronize_session=False)
            )
            await db.commit()
        except IntegrityError:
            # Meanwhile the conversation was queued afresh: that ticket stands, this one ends.
            await db.rollback()
            await _cancel(db, services, ticket_id)


async def _cancel(db: AsyncSession, services: Services, ticket_id: str) -> None:
    async with services.write_gate.hold(db):
        await db.execute(
            update(RoutingTicket)
            .where(RoutingTicket.id == ticket_id)
            .values(status="cancelled", open_conversation_id=None, assigned_staff_id=None, assigned_at=None)
            .execution_options(synchronize_session=False)
        )
        await db.commit()


async def _heaviness_for(db: AsyncSession, conversation_id: str, reasons: Iterable[str]) -> float:
    ticket = await latest_ticket(db, conversation_id)
    if ticket is not None:
        return ticket.heaviness
    return heaviness_of(await latest_signals(db, conversation_id), reasons)


async def do_note_taken(
    db: AsyncSession, services: Services, conversation: Conversation, staff: Staff, *, previous: str | None
) -> None:
    """Someone took a conversation outside routing (from the inbox, by replying, or a supervisor assigned
    it there): its ticket leaves the line as "manual", and the contact counts toward the agent's load.
    ``previous`` is whoever had it before; their chat slot came free."""
    now = utcnow()
    async with services.write_gate.hold(db):
        ticket = await open_ticket(db, conversation.id)
        if ticket is not None:
            heaviness = ticket.heaviness
            await _claim(db, ticket.id, staff.id, "manual", now, {"policy": "manual", "by": staff.id})
        else:
            heaviness = await _heaviness_for(db, conversation.id, conversation.handoff_reasons or [])
        db.add(_load_event(staff.id, conversation.id, heaviness, now))
        await db.commit()
    await _publish_agent_ids(db, services, [staff.id, *([previous] if previous else [])])
    if previous:
        await do_dispatch(services)


async def do_note_released(
    db: AsyncSession, services: Services, conversation: Conversation, *, segment: str | None, previous: str | None
) -> None:
    """A conversation went back to the queue: it lines up again (not for whoever gave it back, unless
    they take it themselves), and everyone gets another chance at it."""
    await _enqueue(
        db,
        services,
        conversation.id,
        language=conversation.language,
        segment=segment,
        reasons=conversation.handoff_reasons or [],
        signals=await latest_signals(db, conversation.id),
        exclude=[previous] if previous else [],
    )
    if previous:
        await _publish_agent_ids(db, services, [previous])
    await do_dispatch(services)


async def do_note_closed(
    db: AsyncSession, services: Services, conversation: Conversation, *, previous: str | None
) -> None:
    """A conversation ended: it leaves the line, and a chat slot may have come free. When an agent had it,
    how long they handled it is kept for the wait estimate (``queries.handling_time``)."""
    ticket = await open_ticket(db, conversation.id)
    if ticket is not None:
        await _cancel(db, services, ticket.id)
    if previous:
        await _note_handled(db, services, previous, conversation.id, conversation.closed_at or utcnow())
        await _publish_agent_ids(db, services, [previous])
        await do_dispatch(services)


async def _note_handled(
    db: AsyncSession, services: Services, staff_id: str, conversation_id: str, closed_at: datetime
) -> None:
    """Marks the agent's latest taking-on of this conversation as closed now."""
    async with services.write_gate.hold(db):
        event = await db.scalar(
            select(LoadEvent)
            .where(
                LoadEvent.staff_id == staff_id,
                LoadEvent.conversation_id == conversation_id,
                LoadEvent.closed_at.is_(None),
            )
            .order_by(LoadEvent.at.desc())
            .limit(1)
        )
        if event is not None:
            event.closed_at = max(closed_at, event.at)
        await db.commit()


async def _sync(db: AsyncSession, services: Services) -> None:
    """The safety net under the hooks: queues waiting conversations that have no ticket (waiting from
    before routing, or a process stopped between the two commits), and ends tickets whose conversation
    is no longer waiting (someone took it by hand and the hook did not run, or it was closed)."""
    waiting = await list_conversations(db, "waiting", WAITING_LIMIT)
    tickets = {t.conversation_id: t for t in await waiting_tickets(db, limit=WAITING_LIMIT * 5)}
    waiting_ids = {s.id for s in waiting}
    stale = [t for cid, t in tickets.items() if cid not in waiting_ids]
    if stale:
        holders = await conversation_holders(db, [t.conversation_id for t in stale])
        now = utcnow()
        async with services.write_gate.hold(db):
            for ticket in stale:
                status, staff_id = holders.get(ticket.conversation_id, ("closed", None))
                if status == "waiting":
                    continue  # it came back to the queue a moment ago
                owner = staff_id if status == "assigned" else None
                claimed = await _claim(db, ticket.id, owner, "manual" if owner else None, now, {})
                # Booked already when the take-over's hook ran (it can run before a late enqueue).
                booked = owner and await has_load_since(db, owner, ticket.conversation_id, ticket.created_at)
                if claimed and owner and not booked:
                    db.add(_load_event(owner, ticket.conversation_id, ticket.heaviness, now))
            await db.commit()
    missing = [s for s in waiting if s.id not in tickets]
    for summary in missing:
        latest = await latest_ticket(db, summary.id)
        if (
            latest is not None
            and latest.status == "assigned"
            and latest.assigned_at is not None
            and utcnow() - latest.assigned_at < IN_FLIGHT
        ):
            continue  # being handed over right now
        await _enqueue(
            db,
            services,
            summary.id,
            language=summary.language,
            segment=summary.customer.segment,
            reasons=summary.handoff.reasons,
            signals=await latest_signals(db, summary.id),
        )


# --- dispatch and override -------------------------------------------------------------------------------


async def do_dispatch(services: Services, *, now: datetime | None = None) -> list[Assignment]:
    """Gives waiting conversations to agents by the Samenspel policy (``routing.engine``), as many as can
    be given now, and returns what this pass gave. Safe to call often and from several processes at once:
    calls that come while a pass runs share the next pass (``_Dispatcher``). It works in a session of its
    own, so whatever the caller's session holds stays as it was. ``now`` (for tests) runs a pass of its
    own as of that moment."""
    dispatcher = _dispatcher()
    if now is not None:
        async with dispatcher.lock, services.sessionmaker() as db:
            return await _dispatch(db, services, now)
    return await asyncio.shield(dispatcher.request(services))


async def _dispatch(db: AsyncSession, services: Services, now: datetime | None) -> list[Assignment]:
    settings = services.settings
    await _sync(db, services)
    tickets = {t.id: t for t in await waiting_tickets(db)}
    if not tickets:
        return []
    now = now or utcnow()
    # Chats being handed over right now (by this process or another) already take a slot.
    open_chats = await open_chat_counts(db)
    for staff_id, count in (await in_flight_claims(db, utcnow())).items():
        open_chats[staff_id] = open_chats.get(staff_id, 0) + count
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
        assignment = await _hand_over(db, services, ticket, staff, "routing", choice.explain(), capacity=True)
        if assignment is not None:
            logger.info(
                "routing.assigned conversation_id=%s staff_id=%s score=%.2f waived=%s",
                assignment.conversation_id,
                staff.id,
                choice.score,
                ",".join(choice.waived),
            )
            done.append(assignment)
    if done:
        await _publish_agent_ids(db, services, [a.staff_id for a in done])
    return done


async def _hand_over(
    db: AsyncSession,
    services: Services,
    ticket: RoutingTicket,
    staff: Staff,
    by: str,
    explanation: dict[str, Any],
    *,
    actor: Staff | None = None,
    capacity: bool = False,
) -> Assignment | None:
    """Claims the ticket (and with ``capacity``, a free chat slot of the agent's), then moves the
    conversation to the agent; puts the ticket back when the conversation went elsewhere meanwhile.
    None when someone else was first, or the agent has no room left."""
    ticket_id, conversation_id, heaviness = ticket.id, ticket.conversation_id, ticket.heaviness
    async with services.write_gate.hold(db):
        room = not capacity or await _claim_room(db, services, staff.id)
        claimed = room and await _claim(db, ticket_id, staff.id, by, utcnow(), explanation)
        await db.commit()
    if not room:
        logger.info("routing.agent_full conversation_id=%s staff_id=%s", conversation_id, staff.id)
    if not claimed:
        return None
    try:
        conversation = await access_conversation_by_id(db, actor or staff, conversation_id, "view")
        await db.refresh(conversation)
        if conversation.status != "waiting":
            raise Conflict(f"the conversation is {conversation.status} now, no longer waiting")
        await do_take_over(db, services, conversation, actor=actor or staff, target=staff, routed=True)
    except SamenspelError as exc:
        # Refused before anything was written (a lost compare-and-set writes nothing): no rollback needed,
        # and none wanted, as it would expire what the caller's session holds.
        logger.info("routing.hand_over_lost conversation_id=%s reason=%s", conversation_id, exc.code)
        status = (await conversation_holders(db, [conversation_id])).get(conversation_id, ("closed", None))[0]
        if status == "waiting":
            await _unclaim(db, services, ticket_id, conversation_id)
        else:
            await _cancel(db, services, ticket_id)
        if actor is not None:
            raise
        return None
    async with services.write_gate.hold(db):
        db.add(_load_event(staff.id, conversation_id, heaviness, utcnow()))
        await db.commit()
    return Assignment(
        ticket_id=ticket_id,
        conversation_id=conversation_id,
        staff_id=staff.id,
        staff_name=staff.name,
        assigned_by=by,
        explanation=explanation,
    )


async def do_override(
    db: AsyncSession, services: Services, supervisor: Staff, conversation: Conversation, agent: Staff
) -> Assignment:
    """A supervisor gives the conversation to this agent, whatever routing would do (whatever the agent's
    state, skills or load); it counts toward the agent's load like any other contact."""
    check_role(supervisor, "supervisor")
    if not agent.active:
        raise InvalidInput(f"{agent.name} is no longer active", field="staff_id")
    if conversation.status == "closed":
        raise Conflict("this conversation is closed; it cannot be routed")
    explanation: dict[str, Any] = {"policy": "override", "by": supervisor.id, "by_name": supervisor.name}
    ticket = await open_ticket(db, conversation.id)
    if ticket is not None:
        assignment = await _hand_over(db, services, ticket, agent, "override", explanation, actor=supervisor)
        if assignment is None:
            raise Conflict("routing gave this conversation to someone a moment ago; look again and retry")
        logger.info("routing.override conversation_id=%s staff_id=%s by=%s", conversation.id, agent.id, supervisor.id)
        await _publish_agent_ids(db, services, [agent.id])
        return assignment
    # Not in the queue (the assistant or a colleague has it): move it, and keep a record like a ticket's.
    previous = conversation.assigned_staff_id if conversation.status == "assigned" else None
    if previous == agent.id:
        raise Conflict(f"{agent.name} already has this conversation")
    await do_take_over(db, services, conversation, actor=supervisor, target=agent, routed=True)
    latest = await latest_ticket(db, conversation.id)
    heaviness = await _heaviness_for(db, conversation.id, conversation.handoff_reasons or [])
    now = utcnow()
    async with services.write_gate.hold(db):
        record = RoutingTicket(
            conversation_id=conversation.id,
            queue=latest.queue if latest else DEFAULT_QUEUE,
            status="assigned",
            priority=latest.priority if latest else 0,
            heaviness=heaviness,
            language=conversation.language,
            skills=list(latest.skills or []) if latest else [],
            reasons=list(conversation.handoff_reasons or []),
            excluded_staff=[],
            waiting_since=now,
            assigned_staff_id=agent.id,
            assigned_at=now,
            assigned_by="override",
            explanation=explanation,
        )
        db.add(record)
        db.add(_load_event(agent.id, conversation.id, heaviness, now))
        await db.commit()
    logger.info("routing.override conversation_id=%s staff_id=%s by=%s", conversation.id, agent.id, supervisor.id)
    await _publish_agent_ids(db, services, [agent.id, *([previous] if previous else [])])
    if previous:
        await do_dispatch(services)
    return Assignment(
        ticket_id=record.id,
        conversation_id=conversation.id,
        staff_id=agent.id,
        staff_name=agent.name,
        assigned_by="override",
        explanation=explanation,
    )
