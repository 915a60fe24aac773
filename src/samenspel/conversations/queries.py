from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.conversations.models import Conversation, Decision, Message, Transition
from samenspel.conversations.schemas import (
    AgentRef,
    ConversationDetail,
    ConversationPublic,
    ConversationSummary,
    CustomerBrief,
    DecisionRecord,
    HandoffState,
    MessagePublic,
    QuickReply,
    SourceRef,
    TransitionRecord,
)
from samenspel.customers.models import Customer
from samenspel.customers.queries import get_customers_by_ids
from samenspel.staff.models import Staff
from samenspel.staff.queries import get_staff_by_ids
from samenspel.types import Author, Status


async def list_messages(db: AsyncSession, conversation_id: str, after_seq: int = 0) -> Sequence[Message]:
    query = (
        select(Message).where(Message.conversation_id == conversation_id, Message.seq > after_seq).order_by(Message.seq)
    )
    return (await db.scalars(query)).all()


def message_public(message: Message, staff: dict[str, Staff]) -> MessagePublic:
    author = cast(Author, message.author)
    agent = staff.get(message.staff_id) if message.staff_id else None
    return MessagePublic(
        id=message.id,
        seq=message.seq,
        author=author,
        author_name=agent.name if agent else None,
        text=message.text,
        language=message.language,
        created_at=message.created_at,
        translations=dict(message.translations or {}),
        sources=[SourceRef(id=s["id"], title=s["title"], url=s.get("url")) for s in message.sources or []],
        quick_replies=[QuickReply.model_validate(q) for q in message.quick_replies or []],
        client_id=message.client_id,
    )


async def messages_public(db: AsyncSession, messages: Sequence[Message]) -> list[MessagePublic]:
    staff = await get_staff_by_ids(db, {m.staff_id for m in messages if m.staff_id})
    return [message_public(m, staff) for m in messages]


def _handoff(conversation: Conversation) -> HandoffState:
    return HandoffState(
        needed=conversation.status in ("waiting", "assigned") or bool(conversation.handoff_reasons),
        reasons=list(conversation.handoff_reasons or []),
    )


async def conversation_public(
    db: AsyncSession, conversation: Conversation, *, after_seq: int = 0
) -> ConversationPublic:
    messages = await messages_public(db, await list_messages(db, conversation.id, after_seq))
    agent = None
    if conversation.assigned_staff_id:
        staff = await get_staff_by_ids(db, {conversation.assigned_staff_id})
        if conversation.assigned_staff_id in staff:
            agent = AgentRef(id=conversation.assigned_staff_id, name=staff[conversation.assigned_staff_id].name)
    status = cast(Status, conversation.status)
    return ConversationPublic(
        id=conversation.id,
        status=status,
        language=conversation.language,
        messages=messages,
        handoff=_handoff(conversation),
        agent=agent,
    )


def summary_of(conversation: Conversation, customer: Customer, assigned: Staff | None) -> ConversationSummary:
    """The inbox line of a conversation, from what the caller already holds."""
    return ConversationSummary(
        id=conversation.id,
        status=cast(Status, conversation.status),
        channel=conversation.channel,
        language=conversation.language,
        customer=CustomerBrief(
            id=customer.id,
            name=customer.name,
            email=customer.email,
            segment=customer.segment,
            language=customer.language,
        ),
        assigned_staff=AgentRef(id=assigned.id, name=assigned.name) if assigned else None,
        handoff=_handoff(conversation),
        contact_reason=conversation.contact_reason,
        resolved=conversation.resolved,
        last_message=conversation.last_customer_text,
        created_at=conversation.created_at,
        updated_at=conversation.updated_at,
    )


async def summarise(db: AsyncSession, conversations: Sequence[Conversation]) -> list[ConversationSummary]:
    if not conversations:
        return []
    customers = await get_customers_by_ids(db, {c.customer_id for c in conversations})
    staff = await get_staff_by_ids(db, {c.assigned_staff_id for c in conversations if c.assigned_staff_id})
    return [
        summary_of(
            c,
            customers[c.customer_id],
            staff.get(c.assigned_staff_id) if c.assigned_staff_id else None,
        )
        for c in conversations
    ]


async def list_conversations(
    db: AsyncSession, status: str | None, limit: int = 100, *, assigned_to: str | None = None
) -> list[ConversationSummary]:
    query = select(Conversation).order_by(Conversation.updated_at.desc(), Conversation.id).limit(limit)
    if status:
        query = query.where(Conversation.status == status)
    if assigned_to:
        query = query.where(Conversation.assigned_staff_id == assigned_to)
    return await summarise(db, (await db.scalars(query)).all())


async def open_chat_counts(db: AsyncSession) -> dict[str, int]:
    """How many conversations each staff member has assigned to them now."""
    rows = await db.execute(
        select(Conversation.assigned_staff_id, func.count())
        .where(Conversation.status == "assigned", Conversation.assigned_staff_id.is_not(None))
        .group_by(Conversation.assigned_staff_id)
    )
    return {staff_id: int(count) for staff_id, count in rows if staff_id}


async def conversation_holders(db: AsyncSession, ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    """For each of these conversations: its status and who has it (fresh from the database)."""
    if not ids:
        return {}
    rows = await db.execute(
        select(Conversation.id, Conversation.status, Conversation.assigned_staff_id).where(Conversation.id.in_(ids))
    )
    return {cid: (status, staff_id) for cid, status, staff_id in rows}


async def latest_signals(db: AsyncSession, conversation_id: str) -> dict[str, Any]:
    """The signals of the assistant's latest decision in this conversation (empty when there was none)."""
    signals = await db.scalar(
        select(Decision.signals)
        .where(Decision.conversation_id == conversation_id)
        .order_by(Decision.created_at.desc(), Decision.id.desc())
        .limit(1)
    )
    return dict(signals or {})


async def conversation_detail(db: AsyncSession, conversation: Conversation) -> ConversationDetail:
    (summary,) = await summarise(db, [conversation])
    messages = await messages_public(db, await list_messages(db, conversation.id))
    decisions = (
        await db.scalars(
            select(Decision).where(Decision.conversation_id == conversation.id).order_by(Decision.created_at)
        )
    ).all()
    transitions = (
        await db.scalars(
            select(Transition).where(Transition.conversation_id == conversation.id).order_by(Transition.created_at)
        )
    ).all()
    detail = ConversationDetail(
        **summary.model_dump(),
        messages=messages,
        decisions=[
            DecisionRecord(
                id=d.id,
                message_id=d.message_id,
                mode=d.mode,
                language=d.language,
                reply=d.reply,
                handoff={
                    "needed": d.handoff_needed,
                    "reasons": d.reasons,
                    "explanation": d.explanation,
                    "explanations": d.explanations,
                },
                sources=d.sources,
                signals=d.signals,
                created_at=d.created_at,
            )
            for d in decisions
        ],
        transitions=[
            TransitionRecord(
                from_status=t.from_status,
                to_status=t.to_status,
                staff_id=t.staff_id,
                reason=t.reason,
                created_at=t.created_at,
            )
            for t in transitions
        ],
    )
    detail.handoff_brief = handoff_brief(detail)
    return detail


async def recent_matters(
    db: AsyncSession, customer_id: str, *, exclude: str, since: datetime
) -> list[dict[str, object]]:
    """This customer's other conversations since ``since``: when, what about (the articles the assistant
    found, the agent's contact reason) and whether it was resolved — to recognise a repeat contact."""
    conversations = (
        await db.scalars(
            select(Conversation)
            .where(
                Conversation.customer_id == customer_id,
                Conversation.id != exclude,
                Conversation.created_at >= since,
            )
            .order_by(Conversation.created_at.desc())
            .limit(10)
        )
    ).all()
    if not conversations:
        return []
    decisions = (
        await db.scalars(select(Decision).where(Decision.conversation_id.in_([c.id for c in conversations])))
    ).all()
    groups: dict[str, list[str]] = {}
    for decision in decisions:
        top = [s.get("group") for s in (decision.sources or [])[:2] if s.get("group")]
        groups.setdefault(decision.conversation_id, []).extend(g for g in top if isinstance(g, str))
    return [
        {
            "conversation_id": c.id,
            "at": c.created_at.isoformat(),
            "groups": sorted(set(groups.get(c.id, []))),
            "contact_reason": c.contact_reason,
            "resolved": c.resolved,
            "status": c.status,
        }
        for c in conversations
    ]


# The trained judgement's reasons shown to the agent from this chance on.
JUDGED_SHOWN = 0.5


def handoff_brief(detail: ConversationDetail) -> dict[str, object] | None:
    """The warm handoff for the agent: why a person is needed, what the customer wants, what the assistant
    already said, and the signals — from the stored decisions and messages, nothing invented."""
    handoffs = [d for d in detail.decisions if d.handoff.get("needed")]
    if not handoffs:
        return None
    decision = handoffs[-1]
    signals = decision.signals
    customer_lines = [m.text for m in detail.messages if m.author == "customer"]
    assistant_lines = [m.text for m in detail.messages if m.author == "assistant"]
    emotion = signals.get("emotion") or {}
    needs = signals.get("needs") or {}
    cues = needs.get("cues") or {}
    judged = sorted(
        (
            {"reason": reason, "chance": round(float(chance), 2), "cues": list(cues.get(reason) or [])}
            for reason, chance in (needs.get("scores") or {}).items()
            if float(chance) >= JUDGED_SHOWN
        ),
        key=lambda item: -float(item["chance"]),
    )
    return {
        "reasons": decision.handoff.get("reasons", []),
        "explanation": decision.handoff.get("explanation", ""),
        "explanations": decision.handoff.get("explanations", {}),
        "customer_wants": customer_lines[-3:],
        "assistant_said": [line[:300] for line in assistant_lines[-2:]],
        "suggested_articles": [
            {"id": s.get("id"), "title": s.get("title"), "score": s.get("score")} for s in decision.sources[:3]
        ],
        "signals": {
            "language": signals.get("language"),
            "segment": signals.get("segment"),
            "emotion": {"label": emotion.get("label"), "intensity": emotion.get("intensity")},
            "sensitive": signals.get("sensitive") or [],
            "vulnerability": signals.get("vulnerability") or [],
            "questions": signals.get("questions") or [],
            "commercial": signals.get("commercial") or [],
            "repeat_contact": signals.get("repeat_contact"),
            "asks_for_person": signals.get("asks_for_person"),
            # The trained judgement: the reasons it finds likely, with the customer's words that weighed most.
            "judged": judged,
        },
    }
