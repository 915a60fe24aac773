from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samenspel.db.base import Base, id_column, utcnow


class Queue(Base):
    """Where a waiting conversation lines up: per team and skill. A conversation goes to the first queue
    (by ``position``) whose handoff reasons or topics match it, else to ``general``."""

    __tablename__ = "routing_queues"

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(40), unique=True)
    team: Mapped[str] = mapped_column(String(80), default="")
    skills: Mapped[list[str]] = mapped_column(default=list)
    languages: Mapped[list[str]] = mapped_column(default=list)
    reasons: Mapped[list[str]] = mapped_column(default=list)
    topics: Mapped[list[str]] = mapped_column(default=list)
    position: Mapped[int] = mapped_column(Integer, default=100)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgentState(Base):
    """What an agent is doing now. No row means offline."""

    __tablename__ = "routing_agent_states"

    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    since: Mapped[datetime] = mapped_column(default=utcnow)
    max_chats: Mapped[int | None] = mapped_column(Integer)


class StateChange(Base):
    """Every change of state, for the time accounting (contact time and improvement time per day)."""

    __tablename__ = "routing_state_changes"
    __table_args__ = (Index("ix_routing_state_changes_staff_at", "staff_id", "at"),)

    id: Mapped[str] = id_column()
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16))
    changed_by: Mapped[str | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class RoutingTicket(Base):
    """One conversation waiting for a person, and how it was routed (with the score's reasons)."""

    __tablename__ = "routing_tickets"
    __table_args__ = (
        Index("ix_routing_tickets_status_waiting", "status", "waiting_since"),
        # Claims whose hand-over is under way (``queries.in_flight_claims``) are the most recent ones.
        Index("ix_routing_tickets_assigned_at", "assigned_at"),
    )

    id: Mapped[str] = id_column()
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    # The conversation id while the ticket waits, NULL after: at most one waiting ticket per conversation,
    # even with several processes enqueueing at once (a unique column allows many NULLs everywhere).
    open_conversation_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    queue: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="waiting")  # waiting, assigned, cancelled
    priority: Mapped[int] = mapped_column(Integer, default=0)
    heaviness: Mapped[float] = mapped_column(Float, default=0.0)
    language: Mapped[str | None] = mapped_column(String(8))
    skills: Mapped[list[str]] = mapped_column(default=list)
    reasons: Mapped[list[str]] = mapped_column(default=list)
    # Staff not to route it to: whoever gave it back to the queue (they may still take it themselves).
    excluded_staff: Mapped[list[str]] = mapped_column(default=list)
    waiting_since: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime | None] = mapped_column()
    # "routing", "override" (a supervisor) or "manual" (an agent took it from the inbox)
    assigned_by: Mapped[str | None] = mapped_column(String(16))
    explanation: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoadEvent(Base):
    """The emotional weight of one contact an agent took on; it fades with the configured half-life.
    ``closed_at`` is set when the agent closed the conversation: from ``at`` to then is how long they
    handled it, which the wait estimate learns from."""

    __tablename__ = "routing_load_events"
    __table_args__ = (
        Index("ix_routing_load_events_staff_at", "staff_id", "at"),
        Index("ix_routing_load_events_closed_at", "closed_at"),
    )

    id: Mapped[str] = id_column()
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    heaviness: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()
