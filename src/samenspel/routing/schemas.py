from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from samenspel.errors import InvalidInput
from samenspel.types import HandoffReason

SettableState = Literal["available", "improvement", "break", "offline"]
StateName = Literal["available", "in_conversation", "improvement", "break", "offline"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def _names(value: list[str], what: str) -> list[str]:
    value = [v.strip().lower() for v in value if v.strip()]
    bad = [v for v in value if not _NAME.match(v)]
    if bad:
        raise ValueError(f"{what} are short lowercase names (a-z, 0-9, - and _), got {', '.join(bad)}")
    return value


class StateUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: SettableState
    max_chats: int | None = Field(default=None, ge=1, le=20)


class AgentStatePublic(BaseModel):
    staff_id: str
    state: StateName
    """What the agent chose; "in_conversation" when they are available and have open chats."""
    chosen_state: SettableState
    since: datetime | None
    open_chats: int
    max_chats: int


class AgentOverview(BaseModel):
    """One agent as a supervisor sees them: what they do, how busy, and how their day is going."""

    staff_id: str
    name: str
    role: str
    languages: list[str]
    skills: list[str]
    state: StateName
    chosen_state: SettableState
    since: datetime | None
    open_chats: int
    max_chats: int
    load: float
    """Recent emotional load: each contact's weight (0.1 light … 1.0 heavy), halved every half-life."""
    heavy_run: int
    contacts_today: int
    heavy_today: int
    contact_minutes_today: float
    improvement_minutes_today: float
    improvement_share_today: float | None
    improvement_target: float
    improvement_behind_minutes: float
    held_back: bool
    """Behind on improvement time by more than the slack: routing gives them new chats only when the
    queue has waited too long."""


class AgentOverviewList(BaseModel):
    items: list[AgentOverview]
    waiting: int
    estimated_wait_seconds: float | None
    typical_handling_seconds: float
    """How long a chat takes, as the wait estimate counts it: the median from taking a conversation on to
    closing it over recent closes, or 8 minutes while fewer than ten were closed."""
    handling_samples: int


class TicketPublic(BaseModel):
    id: str
    conversation_id: str
    queue: str
    status: str
    priority: int
    heaviness: float
    language: str | None
    skills: list[str]
    reasons: list[str]
    excluded_staff: list[str]
    waiting_since: datetime
    customer_name: str | None = None
    segment: str | None = None
    assigned_staff_id: str | None
    assigned_at: datetime | None
    assigned_by: str | None
    explanation: dict[str, Any]


class TicketList(BaseModel):
    items: list[TicketPublic]


class OverrideRequest(BaseModel):
    """Give this conversation (or the conversation of this ticket) to this agent."""

    model_config = ConfigDict(extra="forbid")

    staff_id: str = Field(min_length=1, max_length=32)
    conversation_id: str | None = Field(default=None, min_length=1, max_length=32)
    ticket_id: str | None = Field(default=None, min_length=1, max_length=32)


class Assignment(BaseModel):
    ticket_id: str
    conversation_id: str
    staff_id: str
    staff_name: str
    assigned_by: str
    explanation: dict[str, Any]


class AssignmentList(BaseModel):
    items: list[Assignment]


class QueueSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    team: str = Field(default="", max_length=80)
    skills: list[str] = Field(default_factory=list, max_length=20)
    languages: list[str] = Field(default_factory=list, max_length=20)
    reasons: list[HandoffReason] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list, max_length=50)
    position: int = Field(default=100, ge=0, le=10_000)

    @field_validator("skills")
    @classmethod
    def _skills(cls, value: list[str]) -> list[str]:
        return _names(value, "skills")

    @field_validator("topics")
    @classmethod
    def _topics(cls, value: list[str]) -> list[str]:
        return _names(value, "topics")

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        value = [v.strip().lower() for v in value if v.strip()]
        bad = [v for v in value if not re.match(r"^[a-z]{2}$", v)]
        if bad:
            raise ValueError(f"expected ISO 639-1 language codes such as 'nl', got {', '.join(bad)}")
        return value


class QueuePublic(QueueSpec):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    name: str


class QueueList(BaseModel):
    items: list[QueuePublic]


def check_queue_name(name: str) -> str:
    name = name.strip().lower()
    if not _NAME.match(name):
        raise InvalidInput(f"a queue name is a short lowercase name (a-z, 0-9, - and _), got {name[:40]!r}")
    return name
