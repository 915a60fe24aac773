"""Shared type aliases."""

from __future__ import annotations

from typing import Any, Literal

LanguageCode = str
"""An ISO 639-1 code such as ``nl``."""

Role = Literal["agent", "supervisor", "admin"]
Author = Literal["customer", "assistant", "agent", "system"]
Status = Literal["assistant", "waiting", "assigned", "closed"]
Segment = Literal["standard", "vip", "business"]
Mode = Literal["answer", "clarify", "handoff"]
HandoffReason = Literal[
    "customer_request",
    "low_confidence",
    "negative_emotion",
    "sensitive_topic",
    "complex",
    "high_value",
    "vulnerable_customer",
    "repeat_contact",
]
JSONObject = dict[str, Any]

HANDOFF_REASONS: tuple[HandoffReason, ...] = (
    "customer_request",
    "low_confidence",
    "negative_emotion",
    "sensitive_topic",
    "complex",
    "high_value",
    "vulnerable_customer",
    "repeat_contact",
)
