from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from samenspel.customers.schemas import CustomerCreate
from samenspel.types import Author, Mode, Segment, Status

Channel = Literal["api", "webchat", "email"]


class ConversationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Channel = "api"
    customer: CustomerCreate = Field(default_factory=CustomerCreate)


class ConversationCreated(BaseModel):
    id: str
    token: str
    status: Status


class MessageCreate(BaseModel):
    """Length and emptiness are checked by ``check_message_text``, so the error can say how long it was."""

    model_config = ConfigDict(extra="forbid")

    text: str
    client_id: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")


class SourceRef(BaseModel):
    id: str
    title: str
    url: str | None = None


class QuickReply(BaseModel):
    """A button under an assistant message. ``helped`` gives feedback, ``person`` asks for a colleague,
    ``choice`` sends ``text`` as the customer's message."""

    id: Literal["helped", "person", "choice"]
    label: str
    text: str | None = None


class MessagePublic(BaseModel):
    """CONTRACT.md §3's message, plus ``seq`` (order within the conversation) and ``author_name``."""

    id: str
    seq: int
    author: Author
    author_name: str | None = None
    text: str
    language: str | None
    created_at: datetime
    translations: dict[str, str] = Field(default_factory=dict)
    sources: list[SourceRef] = Field(default_factory=list)
    quick_replies: list[QuickReply] = Field(default_factory=list)
    client_id: str | None = None


class HandoffState(BaseModel):
    needed: bool
    reasons: list[str]


class AgentRef(BaseModel):
    id: str
    name: str


class ConversationPublic(BaseModel):
    """What the customer sees of their conversation."""

    id: str
    status: Status
    language: str | None
    messages: list[MessagePublic]
    handoff: HandoffState
    agent: AgentRef | None = None


class CustomerBrief(BaseModel):
    id: str
    name: str | None
    email: str | None
    segment: Segment
    language: str | None


class ConversationSummary(BaseModel):
    id: str
    status: Status
    channel: str
    language: str | None
    customer: CustomerBrief
    assigned_staff: AgentRef | None
    handoff: HandoffState
    contact_reason: str | None
    resolved: bool | None
    last_message: str | None
    created_at: datetime
    updated_at: datetime


class DecisionRecord(BaseModel):
    id: str
    message_id: str
    mode: Mode
    language: str
    reply: str
    handoff: dict[str, Any]
    sources: list[dict[str, Any]]
    signals: dict[str, Any]
    created_at: datetime


class TransitionRecord(BaseModel):
    from_status: Status
    to_status: Status
    staff_id: str | None
    reason: str
    created_at: datetime


class ConversationDetail(ConversationSummary):
    messages: list[MessagePublic]
    decisions: list[DecisionRecord]
    transitions: list[TransitionRecord]
    summary: str | None = None
    suggestions: list[dict[str, Any]] = Field(default_factory=list)
    handoff_brief: dict[str, Any] | None = Field(
        default=None, description="why a person is needed, what the customer wants, what the assistant said, signals"
    )


class CustomerMessageResult(BaseModel):
    message: MessagePublic
    replies: list[MessagePublic]
    decision: dict[str, Any] | None


class AssignRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_id: str | None = Field(default=None, max_length=32)


class CloseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact_reason: str | None = Field(default=None, min_length=1, max_length=200)
    resolved: bool | None = None


class StaffMessageCreate(MessageCreate):
    pass


class CustomerMessageCreate(MessageCreate):
    # Set by the widget's "talk to a person" button; the text is then the button's words.
    request_person: bool = False


class FeedbackCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message_id: str = Field(min_length=32, max_length=32)
    helpful: bool
