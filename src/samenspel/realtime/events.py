"""The events that travel over the bus. Channels: ``conversation:<id>`` and ``staff`` (inbox changes, and
``agent.updated`` when an agent's routing state or number of open chats changes)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

STAFF_CHANNEL = "staff"
KNOWLEDGE_CHANNEL = "knowledge"


def conversation_channel(conversation_id: str) -> str:
    return f"conversation:{conversation_id}"


class Event(BaseModel):
    type: Literal["message.created", "conversation.updated", "knowledge.changed", "agent.updated"]
    conversation_id: str
    data: dict[str, Any]
