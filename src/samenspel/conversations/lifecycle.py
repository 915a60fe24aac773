"""The conversation lifecycle: assistant → waiting → assigned → closed, and the moves allowed between them."""

from __future__ import annotations

from samenspel.errors import InvalidTransition

ALLOWED: dict[str, frozenset[str]] = {
    "assistant": frozenset({"waiting", "assigned", "closed"}),
    "waiting": frozenset({"assigned", "closed"}),
    # assigned → assigned is a take-over by another agent; → waiting hands it back to the queue.
    "assigned": frozenset({"assigned", "waiting", "closed"}),
    "closed": frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return target in ALLOWED.get(current, frozenset())


def check_transition(current: str, target: str) -> None:
    if not can_transition(current, target):
        if current == "closed":
            raise InvalidTransition("this conversation is closed; start a new conversation instead", status=current)
        raise InvalidTransition(f"a conversation cannot move from {current} to {target}", status=current)
