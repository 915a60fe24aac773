"""Everything that changes a conversation. Each action commits, then publishes its events (never before).

Status changes are compare-and-set updates: two agents taking the same conversation at once cannot both
win, and the loser gets a Conflict to act on.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from samenspel.conversations.lifecycle import check_transition
from samenspel.conversations.models import Conversation, Decision, Feedback, Message, Transition
from samenspel.conversations.queries import (
    list_messages,
    message_public,
    messages_public,
    recent_matters,
    summary_of,
)
from samenspel.conversations.schemas import ConversationCreate, MessagePublic
from samenspel.customers.actions import do_upsert_customer
from samenspel.customers.models import Customer
from samenspel.customers.queries import get_customer
from samenspel.db.base import utcnow
from samenspel.errors import ConcurrentChange, InvalidInput, InvalidTransition, NotFound, TooLarge
from samenspel.pipeline import PIPELINE_VERSION, DecisionPublic, Outcome
from samenspel.realtime.events import STAFF_CHANNEL, Event, conversation_channel
from samenspel.replies.templates import render, reply_language
from samenspel.services import Services
from samenspel.staff.access import hash_token
from samenspel.staff.models import Staff
from samenspel.staff.queries import get_staff
from samenspel.understanding.signals import CustomerContext, Inbound, Turn

logger = logging.getLogger(__name__)

HISTORY_TURNS = 10
_KEEP = object()


@asynccontextmanager
async def _routing(services: Services, step: str) -> AsyncIterator[AsyncSession]:
    """Routing follows every change of who has a conversation (``routing.actions``, imported where it is
    used because routing itself builds on this module). It works in a session of its own, after the change
    is committed and published: a routing failure is logged and never undoes the change, and routing's
    periodic pass puts things right."""
    async with services.sessionmaker() as session:
        try:
            yield session
        except Exception:
            logger.exception("routing.hook_failed step=%s", step)


@dataclass
class Posted:
    message: MessagePublic
    replies: list[MessagePublic] = field(default_factory=list)
    decision: DecisionPublic | None = None
    duplicate: bool = False


def check_message_text(text: str, limit: int) -> str:
    if len(text) > limit:
        raise TooLarge(
            f"the message is {len(text):,} characters long; the limit is {limit:,}", field="text", limit=limit
        )
    # PostgreSQL refuses NUL characters in text; nobody means to send them.
    text = text.replace("\x00", "").strip()
    if not text:
        raise InvalidInput("the message text is empty", field="text")
    return text


def _message_events(conversation_id: str, messages: list[MessagePublic]) -> list[tuple[str, Event]]:
    channel = conversation_channel(conversation_id)
    return [
        (
            channel,
            Event(type="message.created", conversation_id=conversation_id, data=m.model_dump(mode="json")),
        )
        for m in messages
    ]


async def _publish(
    db: AsyncSession,
    services: Services,
    conversation: Conversation,
    messages: list[MessagePublic],
    *,
    customer: Customer | None = None,
    assigned: Staff | None = None,
) -> None:
    """Publishes the new messages, then how the conversation stands now (for the widget and every inbox)."""
    customer = customer or await get_customer(db, conversation.customer_id)
    if customer is None:  # pragma: no cover - a foreign key guarantees it
        raise NotFound(f"conversation {conversation.id} has no customer")
    if assigned is None and conversation.assigned_staff_id:
        assigned = await get_staff(db, conversation.assigned_staff_id)
    summary = summary_of(conversation, customer, assigned)
    state = Event(type="conversation.updated", conversation_id=conversation.id, data=summary.model_dump(mode="json"))
    events = _message_events(conversation.id, messages)
    events += [(conversation_channel(conversation.id), state), (STAFF_CHANNEL, state)]
    await services.bus.publish_many(events)


async def _append(
    db: AsyncSession,
    conversation: Conversation,
    author: str,
    text: str,
    *,
    staff_id: str | None = None,
    language: str | None = None,
    sources: list[dict[str, Any]] | None = None,
    quick_replies: list[dict[str, Any]] | None = None,
    client_id: str | None = None,
    in_reply_to: str | None = None,
    only_if_status: str | None = None,
) -> Message | None:
    """Adds a message; with ``only_if_status``, only while the conversation still has that status."""
    now = utcnow()
    values: dict[str, Any] = {"last_seq": Conversation.last_seq + 1, "updated_at": now}
    if author == "customer":
        values["last_customer_text"] = text[:200]
    # One statement hands out the sequence number (and locks the row on PostgreSQL), so concurrent
    # writers never collide; it also tells us the status as it is now.
    statement = (
        update(Conversation)
        .where(Conversation.id == conversation.id)
        .values(**values)
        .returning(Conversation.last_seq, Conversation.status)
        .execution_options(synchronize_session=False)
    )
    if only_if_status:
        statement = statement.where(Conversation.status == only_if_status)
    row = (await db.execute(statement)).one_or_none()
    if row is None:
        return None
    seq, status = row
    set_committed_value(conversation, "last_seq", seq)
    set_committed_value(conversation, "status", status)
    set_committed_value(conversation, "updated_at", now)
    if author == "customer":
        set_committed_value(conversation, "last_customer_text", text[:200])
    message = Message(
        conversation_id=conversation.id,
        seq=seq,
        author=author,
        staff_id=staff_id,
        text=text,
        language=language,
        sources=sources or [],
        quick_replies=quick_replies or [],
        client_id=client_id,
        in_reply_to=in_reply_to,
        created_at=now,
    )
    db.add(message)
    await db.flush()
    return message


async def _system_message(db: AsyncSession, conversation: Conversation, key: str, **values: str) -> Message:
    language = reply_language(conversation.language or "nl")
    message = await _append(db, conversation, "system", render(key, language, **values), language=language)
    assert message is not None
    return message


async def _move(
    db: AsyncSession,
    conversation: Conversation,
    target: str,
    *,
    reason: str,
    staff_id: str | None = None,
    assign: object = _KEEP,
) -> None:
    """Changes the status if nobody else changed it first (compare-and-set), and records the transition."""
    check_transition(conversation.status, target)
    now = utcnow()
    values: dict[str, Any] = {"status": target, "updated_at": now}
    if assign is not _KEEP:
        values["assigned_staff_id"] = assign
    changed = await db.scalar(
        update(Conversation)
        .where(
            Conversation.id == conversation.id,
            Conversation.status == conversation.status,
            Conversation.assigned_staff_id.is_not_distinct_from(conversation.assigned_staff_id),
        )
        .values(**values)
        .returning(Conversation.id)
        .execution_options(synchronize_session=False)
    )
    if changed is None:
        raise ConcurrentChange("the conversation changed while you were working on it; reload and try again")
    db.add(
        Transition(
            conversation_id=conversation.id,
            from_status=conversation.status,
            to_status=target,
            staff_id=staff_id,
            reason=reason,
        )
    )
    for name, value in values.items():
        set_committed_value(conversation, name, value)


async def do_create_conversation(
    db: AsyncSession, services: Services, data: ConversationCreate
) -> tuple[Conversation, str]:
    """Returns the conversation and its token; only the token's hash is stored."""
    async with services.write_gate.hold(db):
        customer = await do_upsert_customer(db, data.customer)
        token = secrets.token_urlsafe(32)
        conversation = Conversation(
            token_hash=hash_token(token),
            customer_id=customer.id,
            channel=data.channel,
            status="assistant",
            language=customer.language,
            last_seq=0,
            handoff_reasons=[],
        )
        db.add(conversation)
        await db.commit()
    logger.info("conversation.created conversation_id=%s channel=%s", conversation.id, conversation.channel)
    await _publish(db, services, conversation, [], customer=customer)
    return conversation, token


def decision_public(row: Decision) -> DecisionPublic:
    return DecisionPublic.model_validate(
        {
            "language": row.language,
            "mode": row.mode,
            "reply": row.reply,
            "reply_language": row.reply_language,
            "sources": row.sources,
            "handoff": {
                "needed": row.handoff_needed,
                "reasons": row.reasons,
                "explanation": row.explanation,
                "explanations": row.explanations,
            },
            "signals": row.signals,
        }
    )


async def _existing_post(db: AsyncSession, conversation_id: str, client_id: str) -> Posted | None:
    message = await db.scalar(
        select(Message).where(Message.conversation_id == conversation_id, Message.client_id == client_id)
    )
    if message is None:
        return None
    replies = (
        await db.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.in_reply_to == message.id)
            .order_by(Message.seq)
        )
    ).all()
    row = await db.scalar(select(Decision).where(Decision.message_id == message.id))
    published = await messages_public(db, [message, *replies])
    return Posted(published[0], published[1:], decision_public(row) if row else None, duplicate=True)


def _customer_context(customer: Customer | None) -> CustomerContext:
    if customer is None:
        return CustomerContext()
    return CustomerContext(customer.id, customer.name, customer.segment, customer.language)


async def do_post_customer_message(
    db: AsyncSession,
    services: Services,
    conversation: Conversation,
    text: str,
    *,
    client_id: str | None = None,
    requested_person: bool = False,
    on_stored: Callable[[MessagePublic], Awaitable[None]] | None = None,
) -> Posted:
    """Stores the message first (so it is never lost), then lets the assistant answer or hand over.

    ``on_stored`` runs right after the message is committed: the WebSocket acknowledges it there,
    before the assistant has answered. A ``client_id`` seen before returns the earlier result.
    """
    text = check_message_text(text, services.settings.max_message_chars)
    if conversation.status == "closed":
        raise InvalidTransition("this conversation is closed; start a new conversation instead", status="closed")
    conversation_id = conversation.id
    customer = await get_customer(db, conversation.customer_id)
    inbound = Inbound(
        text=text,
        customer=_customer_context(customer),
        conversation_language=conversation.language,
        requested_person=requested_person,
        repeat=await _earlier_contacts(db, services, conversation),
    )
    signals = services.pipeline.understand(inbound)
    try:
        async with services.write_gate.hold(db):
            message = await _append(db, conversation, "customer", text, language=signals.language, client_id=client_id)
            assert message is not None
            if conversation.language is None or (signals.language_confidence >= 0.6 and signals.word_count >= 3):
                conversation.language = signals.language
            await db.commit()
    except IntegrityError:
        # This client_id was stored before (a resend after a lost connection): answer as the first time.
        await db.rollback()
        if client_id and (earlier := await _existing_post(db, conversation_id, client_id)):
            return earlier
        raise
    published = message_public(message, {})
    if on_stored is not None:
        await on_stored(published)
    await _publish(db, services, conversation, [published], customer=customer)
    if conversation.status == "waiting":
        # What the customer adds while waiting can make the conversation heavier (or more urgent).
        async with _routing(services, "reweigh") as rdb:
            from samenspel.routing.actions import do_enqueue

            await do_enqueue(
                rdb,
                services,
                conversation,
                language=conversation.language,
                segment=customer.segment if customer else None,
                reasons=conversation.handoff_reasons or [],
                signals=signals.as_dict(),
            )
    if conversation.status != "assistant":
        return Posted(published)

    history = await list_messages(db, conversation_id, max(0, message.seq - 1 - HISTORY_TURNS))
    inbound = dataclasses.replace(
        inbound,
        history=tuple(Turn(m.author, m.text) for m in history if m.seq < message.seq),
        service=await _service_outlook(db, services, signals.language),
    )
    outcome = await services.pipeline.run(inbound, signals=signals)
    return await _record_outcome(db, services, conversation, customer, message, published, outcome)


async def _earlier_contacts(db: AsyncSession, services: Services, conversation: Conversation) -> dict[str, Any] | None:
    """The customer's other conversations within the repeat window (``Inbound.repeat``)."""
    since = utcnow() - timedelta(days=services.settings.repeat_window_days)
    earlier = await recent_matters(db, conversation.customer_id, exclude=conversation.id, since=since)
    return {"earlier": earlier} if earlier else None


async def _service_outlook(db: AsyncSession, services: Services, language: str) -> dict[str, Any] | None:
    """Opening hours and the expected wait, for what the customer is told on a handoff (``Inbound.service``)."""
    from samenspel.routing.queries import service_outlook

    try:
        return await service_outlook(db, services.settings, language=language)
    except Exception:
        # The handoff message then says "soon" rather than a time; never fail the customer's message on it.
        logger.exception("routing.outlook_failed")
        return None


async def _record_outcome(
    db: AsyncSession,
    services: Services,
    conversation: Conversation,
    customer: Customer | None,
    message: Message,
    published: MessagePublic,
    outcome: Outcome,
) -> Posted:
    decision = outcome.decision
    replies: list[Message] = []
    async with services.write_gate.hold(db):
        db.add(
            Decision(
                conversation_id=conversation.id,
                message_id=message.id,
                mode=decision.mode,
                language=decision.language,
                reply=decision.reply,
                reply_language=decision.reply_language,
                handoff_needed=decision.handoff.needed,
                reasons=list(decision.handoff.reasons),
                explanation=decision.handoff.explanation,
                explanations=decision.handoff.explanations,
                sources=[s.model_dump() for s in decision.sources],
                signals=decision.signals,
                pipeline_version=PIPELINE_VERSION,
            )
        )
        # Only while the assistant still has the conversation: an agent may have taken over meanwhile.
        reply = await _append(
            db,
            conversation,
            "assistant",
            decision.reply,
            language=decision.reply_language,
            sources=[{"id": h.id, "title": h.title, "url": h.url} for h in outcome.reply.sources],
            quick_replies=outcome.reply.quick_replies,
            in_reply_to=message.id,
            only_if_status="assistant",
        )
        handed_over = False
        if reply is not None:
            replies.append(reply)
            if decision.handoff.needed:
                conversation.handoff_reasons = list(decision.handoff.reasons)
                await _move(db, conversation, "waiting", reason=",".join(decision.handoff.reasons))
                system = await _system_message(db, conversation, "system.waiting")
                system.in_reply_to = message.id
                replies.append(system)
                handed_over = True
        await db.commit()
    logger.info(
        "assistant.decided conversation_id=%s mode=%s reasons=%s elapsed_ms=%.1f",
        conversation.id,
        decision.mode,
        ",".join(decision.handoff.reasons),
        outcome.elapsed_ms,
    )
    reply_public = [message_public(m, {}) for m in replies]
    if replies:
        await _publish(db, services, conversation, reply_public, customer=customer)
    if handed_over:
        async with _routing(services, "handoff") as rdb:
            from samenspel.routing.actions import do_dispatch, do_enqueue

            await do_enqueue(
                rdb,
                services,
                conversation,
                language=decision.language,
                segment=customer.segment if customer else None,
                reasons=decision.handoff.reasons,
                signals=decision.signals,
            )
            await do_dispatch(services)
    return Posted(published, reply_public, decision)


async def do_take_over(
    db: AsyncSession,
    services: Services,
    conversation: Conversation,
    actor: Staff,
    target: Staff | None = None,
    *,
    routed: bool = False,
) -> Conversation:
    """Assigns the conversation to ``target`` (default: the actor), from any open status. ``routed``: the
    routing package made this assignment and accounts for it itself; otherwise routing is told."""
    agent = target or actor
    reason = "take_over" if agent is actor else "assigned"
    previous: str | None = None
    for attempt in range(3):
        if conversation.status == "assigned" and conversation.assigned_staff_id == agent.id:
            return conversation
        previous = conversation.assigned_staff_id if conversation.status == "assigned" else None
        try:
            async with services.write_gate.hold(db):
                await _move(db, conversation, "assigned", reason=reason, staff_id=actor.id, assign=agent.id)
                system = await _system_message(db, conversation, "system.assigned", agent=agent.name)
                await db.commit()
            break
        except ConcurrentChange:
            # The failed compare-and-set wrote nothing, so the transaction goes on with a fresh read.
            # When the assistant handed the conversation over a moment ago, taking it is still wanted;
            # when a colleague took it meanwhile, the agent should know rather than take it from them.
            await db.refresh(conversation)
            if conversation.status not in ("assistant", "waiting"):
                raise
            if attempt == 2:
                raise
    logger.info("conversation.assigned conversation_id=%s staff_id=%s", conversation.id, agent.id)
    await _publish(db, services, conversation, [message_public(system, {})], assigned=agent)
    if not routed:
        async with _routing(services, "taken") as rdb:
            from samenspel.routing.actions import do_note_taken

            await do_note_taken(rdb, services, conversation, agent, previous=previous)
    return conversation


async def do_post_agent_message(
    db: AsyncSession,
    services: Services,
    conversation: Conversation,
    staff: Staff,
    text: str,
    *,
    client_id: str | None = None,
) -> MessagePublic:
    text = check_message_text(text, services.settings.max_message_chars)
    if conversation.status == "closed":
        raise InvalidTransition("this conversation is closed; it cannot get new messages", status="closed")
    if client_id:
        existing = await db.scalar(
            select(Message).where(Message.conversation_id == conversation.id, Message.client_id == client_id)
        )
        if existing is not None:
            return (await messages_public(db, [existing]))[0]
    if conversation.status != "assigned" or conversation.assigned_staff_id != staff.id:
        # Writing to the customer is taking the conversation: the agent is then in charge of it.
        await do_take_over(db, services, conversation, staff)
    async with services.write_gate.hold(db):
        message = await _append(
            db,
            conversation,
            "agent",
            text,
            staff_id=staff.id,
            language=services.settings.working_language,
            client_id=client_id,
        )
        assert message is not None
        await db.commit()
    published = message_public(message, {staff.id: staff})
    await _publish(db, services, conversation, [published], assigned=staff)
    return published


async def do_release(db: AsyncSession, services: Services, conversation: Conversation, actor: Staff) -> Conversation:
    """Puts an assigned conversation back in the waiting queue; routing offers it to someone else."""
    previous = conversation.assigned_staff_id
    async with services.write_gate.hold(db):
        await _move(db, conversation, "waiting", reason="released", staff_id=actor.id, assign=None)
        system = await _system_message(db, conversation, "system.released")
        await db.commit()
    await _publish(db, services, conversation, [message_public(system, {})])
    async with _routing(services, "released") as rdb:
        from samenspel.routing.actions import do_note_released

        customer = await get_customer(rdb, conversation.customer_id)
        segment = customer.segment if customer else None
        await do_note_released(rdb, services, conversation, segment=segment, previous=previous)
    return conversation


async def do_close(
    db: AsyncSession,
    services: Services,
    conversation: Conversation,
    actor: Staff | None,
    *,
    contact_reason: str | None = None,
    resolved: bool | None = None,
) -> Conversation:
    previous = conversation.assigned_staff_id if conversation.status == "assigned" else None
    async with services.write_gate.hold(db):
        await _move(db, conversation, "closed", reason="closed", staff_id=actor.id if actor else None)
        conversation.closed_at = utcnow()
        conversation.contact_reason = contact_reason.strip() if contact_reason else None
        conversation.resolved = resolved
        system = await _system_message(db, conversation, "system.closed")
        await db.commit()
    logger.info("conversation.closed conversation_id=%s", conversation.id)
    await _publish(db, services, conversation, [message_public(system, {})])
    async with _routing(services, "closed") as rdb:
        from samenspel.routing.actions import do_note_closed

        await do_note_closed(rdb, services, conversation, previous=previous)
    return conversation


async def do_record_feedback(
    db: AsyncSession, services: Services, conversation: Conversation, message_id: str, *, helpful: bool
) -> list[MessagePublic]:
    """Stores the customer's "this helped" on an assistant answer; a helpful answer gets a warm close."""
    message = await db.get(Message, message_id)
    if message is None or message.conversation_id != conversation.id:
        raise NotFound(f"no message {message_id[:32]!r} in this conversation")
    if message.author != "assistant":
        raise InvalidInput("feedback is for the assistant's answers", field="message_id")
    replies: list[Message] = []
    async with services.write_gate.hold(db):
        existing = await db.scalar(select(Feedback).where(Feedback.message_id == message_id))
        if existing is not None:
            existing.helpful = helpful
        else:
            db.add(Feedback(conversation_id=conversation.id, message_id=message_id, helpful=helpful))
        if helpful and existing is None:
            language = reply_language(message.language or conversation.language or "nl")
            reply = await _append(
                db,
                conversation,
                "assistant",
                render("feedback.helped", language, services.settings.tone),
                language=language,
                in_reply_to=message_id,
                only_if_status="assistant",
            )
            if reply is not None:
                replies.append(reply)
        await db.commit()
    logger.info("assistant.feedback conversation_id=%s helpful=%s", conversation.id, helpful)
    published = [message_public(m, {}) for m in replies]
    if published:
        await _publish(db, services, conversation, published)
    return published
