from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samenspel.db.base import Base, id_column, utcnow


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_status_updated", "status", "updated_at"),)

    id: Mapped[str] = id_column()
    token_hash: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="assistant")
    language: Mapped[str | None] = mapped_column(String(8))
    assigned_staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"), index=True)
    # The last message's sequence number; bumped atomically by each new message.
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    handoff_reasons: Mapped[list[str]] = mapped_column(default=list)
    # The start of the customer's latest message: what an inbox shows.
    last_customer_text: Mapped[str | None] = mapped_column(String(200))
    contact_reason: Mapped[str | None] = mapped_column(String(200))
    resolved: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq", name="uq_messages_conversation_seq"),
        UniqueConstraint("conversation_id", "client_id", name="uq_messages_conversation_client_id"),
    )

    id: Mapped[str] = id_column()
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    quick_replies: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    # Set by the sender so a resent message (after a lost connection) is stored once.
    client_id: Mapped[str | None] = mapped_column(String(64))
    in_reply_to: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Decision(Base):
    """What the assistant decided about one customer message, with everything it based that on (audit)."""

    __tablename__ = "decisions"

    id: Mapped[str] = id_column()
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    reply: Mapped[str] = mapped_column(Text)
    reply_language: Mapped[str] = mapped_column(String(8))
    handoff_needed: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[str]] = mapped_column(default=list)
    explanation: Mapped[str] = mapped_column(Text, default="")
    explanations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    signals: Mapped[dict[str, Any]] = mapped_column(default=dict)
    pipeline_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Transition(Base):
    """Every status change, who made it and why (audit)."""

    __tablename__ = "conversation_transitions"

    id: Mapped[str] = id_column()
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Feedback(Base):
    """A customer's "this helped" (or not) on one of the assistant's answers."""

    __tablename__ = "message_feedback"
    __table_args__ = (UniqueConstraint("message_id", name="uq_message_feedback_message_id"),)

    id: Mapped[str] = id_column()
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
