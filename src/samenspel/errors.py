"""One error base for everything Samenspel refuses; the web layer renders it as CONTRACT.md §3 JSON."""

from __future__ import annotations

from typing import Any, ClassVar


class SamenspelError(Exception):
    """An error a user or client can act on. ``message`` says what was expected and what came."""

    code: ClassVar[str] = "error"
    http_status: ClassVar[int] = 400

    def __init__(self, message: str, **data: Any) -> None:
        super().__init__(message)
        self.message = message
        self.data = data


class InvalidInput(SamenspelError):
    code = "invalid_input"
    http_status = 422


class TooLarge(SamenspelError):
    code = "too_large"
    http_status = 413


class NotFound(SamenspelError):
    code = "not_found"
    http_status = 404


class Unauthenticated(SamenspelError):
    code = "unauthenticated"
    http_status = 401


class Forbidden(SamenspelError):
    code = "forbidden"
    http_status = 403


class Conflict(SamenspelError):
    code = "conflict"
    http_status = 409


class InvalidTransition(Conflict):
    code = "invalid_transition"


class ConcurrentChange(Conflict):
    """Someone else changed the thing between reading and writing it."""

    code = "concurrent_change"
