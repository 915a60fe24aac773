"""How the workspace shows things: labels, times and the assistant's signals, in the page's language.

Templates get these as plain functions that take the page's ``t``, so the language is chosen once, by
``render``. What the page may offer (``Permissions``) mirrors ``access_conversation_by_id``; the server
still checks every action there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from samenspel.conversations.models import Conversation
from samenspel.staff.access import has_role
from samenspel.staff.models import Staff
from samenspel.types import HANDOFF_REASONS
from samenspel.web.render import render

Translate = Callable[..., str]

TABS = ("waiting", "mine", "assistant", "assigned", "closed")
SUPERVISOR_TABS = frozenset({"assigned"})
TAB_STATUS = {
    "waiting": "waiting",
    "mine": "assigned",
    "assistant": "assistant",
    "assigned": "assigned",
    "closed": "closed",
}

# Common contact reasons offered when closing; free text stays possible.
COMMON_CONTACT_REASONS = (
    "information",
    "documents",
    "moving",
    "waste",
    "parking",
    "taxes",
    "payment",
    "complaint",
    "appointment",
    "other",
)

# After a form action the page says what happened; only these keys are accepted from the query string.
DONE_NOTICES = frozenset({"taken_over", "released", "closed", "assigned", "sent", "language"})

_KNOWN_SIGNALS = frozenset(
    {
        "language",
        "language_confidence",
        "language_candidates",
        "asks_for_person",
        "person_request_languages",
        "segment",
        "word_count",
    }
)


def tabs_for(staff: Staff) -> list[str]:
    supervisor = has_role(staff, "supervisor")
    return [tab for tab in TABS if supervisor or tab not in SUPERVISOR_TABS]


def label(t: Translate, prefix: str, value: str | None) -> str:
    """The translated label for a vocabulary word, or the word itself when there is no text for it."""
    if not value:
        return ""
    key = f"{prefix}.{value}"
    text = t(key)
    return value if text == key else text


def reason_label(t: Translate, reason: str) -> str:
    return label(t, "ws.reason", reason)


def ago(t: Translate, when: datetime | None, now: datetime | None = None) -> str:
    if when is None:
        return ""
    now = now or datetime.now(UTC)
    seconds = max(0, int((now - when).total_seconds()))
    minutes = seconds // 60
    if minutes < 1:
        return t("ws.ago.now")
    if minutes < 60:
        return t("ws.ago.minutes", n=minutes)
    hours = minutes // 60
    if hours < 24:
        return t("ws.ago.hour") if hours == 1 else t("ws.ago.hours", n=hours)
    days = hours // 24
    return t("ws.ago.day") if days == 1 else t("ws.ago.days", n=days)


def clock(when: datetime | None) -> str:
    """HH:MM in UTC; the page's script rewrites it in the reader's own time zone."""
    return when.astimezone(UTC).strftime("%H:%M") if when else ""


def iso(when: datetime | None) -> str:
    return when.astimezone(UTC).isoformat() if when else ""


def percent(value: Any) -> str:
    try:
        return f"{round(float(value) * 100)}%"
    except (TypeError, ValueError):
        return ""


def score(value: Any) -> str:
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return ""


def other_signals(signals: dict[str, Any]) -> list[tuple[str, str]]:
    """Signals later stages add (emotion, intent, ...), shown as they are, for transparency."""
    rows: list[tuple[str, str]] = []
    for key in sorted(signals):
        if key in _KNOWN_SIGNALS:
            continue
        value = signals[key]
        if isinstance(value, float):
            text = f"{value:.2f}"
        elif isinstance(value, list | tuple):
            text = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            text = ", ".join(f"{k}: {v}" for k, v in value.items())
        else:
            text = str(value)
        rows.append((key, text))
    return rows


def candidates(signals: dict[str, Any]) -> str:
    """The other languages the detector considered, e.g. ``en 4%, de 1%``."""
    parts: list[str] = []
    for item in signals.get("language_candidates") or []:
        if not (isinstance(item, list | tuple) and len(item) == 2) or item[0] == signals.get("language"):
            continue
        try:
            likely = float(item[1]) >= 0.01
        except (TypeError, ValueError):
            continue
        if likely:
            parts.append(f"{item[0]} {percent(item[1])}")
    return ", ".join(parts[:4])


@dataclass(frozen=True)
class Permissions:
    """Which buttons the conversation page shows this staff member."""

    take_over: bool
    reply: bool
    release: bool
    close: bool
    assign: bool
    reply_state: str  # "ok", "closed" or "colleague": why the reply box is or is not there

    @classmethod
    def of(cls, staff: Staff, conversation: Conversation) -> Permissions:
        status = conversation.status
        is_open = status != "closed"
        mine = conversation.assigned_staff_id == staff.id
        supervisor = has_role(staff, "supervisor")
        colleague = status == "assigned" and not mine
        if not is_open:
            reply_state = "closed"
        elif colleague:
            reply_state = "colleague"
        else:
            reply_state = "ok"
        return cls(
            take_over=is_open and not (status == "assigned" and mine),
            reply=reply_state == "ok",
            release=status == "assigned" and (mine or supervisor),
            close=is_open and (not colleague or supervisor),
            assign=is_open and supervisor,
            reply_state=reply_state,
        )


JS_TEXT_KEYS = (
    "ws.ago.now",
    "ws.ago.minutes",
    "ws.ago.hour",
    "ws.ago.hours",
    "ws.ago.day",
    "ws.ago.days",
    "ws.author.customer",
    "ws.author.assistant",
    "ws.author.agent",
    "ws.author.system",
    "ws.inbox.unassigned",
    "ws.inbox.unknown_customer",
    "ws.inbox.no_messages",
    "ws.inbox.empty",
    "ws.live.connected",
    "ws.live.reconnecting",
    "ws.live.expired",
    "ws.live.new_waiting",
    "ws.live.new_row",
    "ws.live.left_row",
    "ws.live.new_message",
    "ws.live.status_changed",
    "ws.live.queue",
    "ws.reply.sending",
    "ws.reply.sent",
    "ws.reply.failed",
    "ws.reply.empty",
    "ws.reply.too_long",
    "ws.reply.forbidden",
    "ws.reply.closed",
    "ws.transcript.translation",
    "ws.transcript.sources",
    "ws.state.now",
    "ws.state.saved",
    "ws.state.failed",
    "ws.state.available",
    "ws.state.in_conversation",
    "ws.state.improvement",
    "ws.state.break",
    "ws.state.offline",
    "ws.team.updated",
)


def js_texts(t: Translate) -> dict[str, str]:
    """The texts the page's script needs, so everything it shows comes from the locale files too."""
    texts = {key: t(key) for key in JS_TEXT_KEYS}
    texts.update({f"ws.reason.{r}": t(f"ws.reason.{r}") for r in HANDOFF_REASONS})
    texts.update({f"ws.segment.{s}": t(f"ws.segment.{s}") for s in ("vip", "business")})
    texts.update({f"ws.status.{s}": t(f"ws.status.{s}") for s in ("assistant", "waiting", "assigned", "closed")})
    return texts


HELPERS: dict[str, Any] = {
    "ago": ago,
    "clock": clock,
    "iso": iso,
    "label": label,
    "reason_label": reason_label,
    "percent": percent,
    "score": score,
    "other_signals": other_signals,
    "candidates": candidates,
    "js_texts": js_texts,
}


def workspace_page(
    request: Request,
    staff: Staff,
    template: str,
    context: dict[str, Any],
    *,
    data: dict[str, Any],
    texts: tuple[str, ...] = (),
    status: int = 200,
) -> HTMLResponse:
    """Every workspace page: the CSRF token, the helpers, and the data its script reads (texts, who I am,
    ``data``; ``texts`` adds translation keys beyond the shared ones)."""
    web_session = getattr(request.state, "web_session", None)
    settings = request.app.state.settings

    def page_data(t: Translate) -> dict[str, Any]:
        return {
            "me": staff.id,
            "role": staff.role,
            "maxChars": settings.max_message_chars,
            "texts": {**js_texts(t), **{key: t(key) for key in texts}},
            **data,
        }

    response = render(
        request,
        template,
        {
            **HELPERS,
            **context,
            "staff": staff,
            "csrf_token": web_session.csrf_token if web_session is not None else "",
            "page_data": page_data,
        },
        status=status,
        preferred_language=staff.ui_language,
    )
    # Pages hold customers' words: keep them out of shared caches and the back button after logout.
    response.headers["cache-control"] = "no-store"
    return response
