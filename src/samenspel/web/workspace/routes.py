"""The agent workspace pages: the inbox, a conversation, and the forms that act on it.

Pages are plain HTML forms that work without JavaScript (each POST answers with a redirect back);
``/static/workspace.js`` adds the live parts over ``/ws/staff`` and sends replies through the staff API.
Every action goes through ``access_conversation_by_id``, whatever the page chose to show.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.conversations.access import StaffAction, access_conversation_by_id
from samenspel.conversations.actions import do_close, do_post_agent_message, do_release, do_take_over
from samenspel.conversations.models import Conversation
from samenspel.conversations.queries import conversation_detail, list_conversations
from samenspel.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    SamenspelError,
    TooLarge,
    Unauthenticated,
)
from samenspel.staff.access import check_role
from samenspel.staff.models import Staff
from samenspel.staff.queries import get_staff, list_staff
from samenspel.web.deps import CurrentStaff, ServicesDep, SessionDep
from samenspel.web.i18n import choose_language, translate
from samenspel.web.render import render
from samenspel.web.workspace import knowledge, session, team
from samenspel.web.workspace.present import (
    COMMON_CONTACT_REASONS,
    DONE_NOTICES,
    HELPERS,
    SUPERVISOR_TABS,
    TAB_STATUS,
    TABS,
    Permissions,
    tabs_for,
    workspace_page,
)

router = APIRouter(prefix="/workspace", include_in_schema=False)
router.include_router(session.router)
router.include_router(knowledge.router)
router.include_router(team.router)

INBOX_LIMIT = 100
MAX_CONTACT_REASON = 200

_BLANK_ROW: dict[str, Any] = {
    "id": "",
    "customer": {"name": "", "segment": "standard"},
    "last_message": "",
    "handoff": {"reasons": []},
    "language": "",
    "updated_at": None,
    "assigned_staff": None,
}
_BLANK_MESSAGE: dict[str, Any] = {
    "id": "",
    "seq": 0,
    "author": "",
    "author_name": None,
    "text": "",
    "language": None,
    "created_at": None,
    "translations": {},
    "sources": [],
}


def _page(
    request: Request,
    staff: Staff,
    template: str,
    context: dict[str, Any],
    *,
    data: dict[str, Any],
    status: int = 200,
) -> HTMLResponse:
    return workspace_page(request, staff, template, context, data=data, status=status)


async def _inbox(request: Request, staff: Staff, db: AsyncSession, tab: str) -> HTMLResponse:
    items = await list_conversations(db, TAB_STATUS[tab], INBOX_LIMIT, assigned_to=staff.id if tab == "mine" else None)
    return _page(
        request,
        staff,
        "workspace/inbox.html",
        {
            "section": "inbox",
            "tab": tab,
            "tabs": tabs_for(staff),
            "items": items,
            "limit": INBOX_LIMIT,
            "blank_row": _BLANK_ROW,
            "my_state": await team.header_state(db, staff, request.app.state.settings),
        },
        data={"page": "inbox", "tab": tab, "status": TAB_STATUS[tab], "limit": INBOX_LIMIT},
    )


@router.get("", response_class=HTMLResponse)
async def home(request: Request, staff: CurrentStaff, db: SessionDep) -> HTMLResponse:
    return await _inbox(request, staff, db, "waiting")


@router.get("/inbox/{tab}", response_class=HTMLResponse)
async def inbox(tab: str, request: Request, staff: CurrentStaff, db: SessionDep) -> HTMLResponse:
    if tab not in TABS:
        raise NotFound(f"no inbox tab {tab[:40]!r}; expected one of {', '.join(TABS)}")
    if tab in SUPERVISOR_TABS:
        check_role(staff, "supervisor")
    return await _inbox(request, staff, db, tab)


def _back_tab(staff: Staff, conversation: Conversation) -> str:
    if conversation.status == "assigned":
        return "mine" if conversation.assigned_staff_id == staff.id else "waiting"
    return TAB_STATUS.get(conversation.status, "waiting")


async def _conversation_context(db: AsyncSession, staff: Staff, conversation: Conversation) -> dict[str, Any]:
    detail = await conversation_detail(db, conversation)
    perms = Permissions.of(staff, conversation)
    colleagues: list[Staff] = []
    if perms.assign:
        colleagues = [s for s in await list_staff(db) if s.active and s.id != conversation.assigned_staff_id]
    assigned = detail.assigned_staff.id if detail.assigned_staff else ""
    return {
        "c": detail,
        "perms": perms,
        "colleagues": colleagues,
        "contact_reasons": COMMON_CONTACT_REASONS,
        # The script refreshes the side panel when this changes.
        "state_key": f"{detail.status}|{assigned}|{','.join(detail.handoff.reasons)}",
    }


async def _conversation_page(
    request: Request,
    db: AsyncSession,
    staff: Staff,
    conversation: Conversation,
    *,
    notice: str | None = None,
    error: str | None = None,
    draft: str = "",
    status: int = 200,
) -> HTMLResponse:
    context = await _conversation_context(db, staff, conversation)
    return _page(
        request,
        staff,
        "workspace/conversation.html",
        {
            **context,
            "section": "conversation",
            "notice": notice,
            "error": error,
            "draft": draft,
            "back_tab": _back_tab(staff, conversation),
            "blank_message": _BLANK_MESSAGE,
            "max_chars": request.app.state.settings.max_message_chars,
            "my_state": await team.header_state(db, staff, request.app.state.settings),
        },
        data={"page": "conversation", "conversationId": conversation.id},
        status=status,
    )


@router.get("/conversations/{conversation_id}", response_class=HTMLResponse)
async def conversation_page(
    conversation_id: str,
    request: Request,
    staff: CurrentStaff,
    db: SessionDep,
    done: str | None = None,
) -> HTMLResponse:
    conversation = await access_conversation_by_id(db, staff, conversation_id, "view")
    notice = done if done in DONE_NOTICES else None
    return await _conversation_page(request, db, staff, conversation, notice=notice)


@router.get("/conversations/{conversation_id}/aside", response_class=HTMLResponse)
async def conversation_aside(
    conversation_id: str, request: Request, staff: CurrentStaff, db: SessionDep
) -> HTMLResponse:
    """The side panel alone (status, actions, decisions), for the page's script to swap in."""
    conversation = await access_conversation_by_id(db, staff, conversation_id, "view")
    context = await _conversation_context(db, staff, conversation)
    web_session = getattr(request.state, "web_session", None)
    response = render(
        request,
        "workspace/_aside.html",
        {**HELPERS, **context, "csrf_token": web_session.csrf_token if web_session is not None else ""},
        preferred_language=staff.ui_language,
    )
    response.headers["cache-control"] = "no-store"
    return response


def _error_text(request: Request, staff: Staff, exc: SamenspelError) -> str:
    lang = choose_language(request, staff.ui_language)
    if isinstance(exc, Forbidden):
        key = "ws.error.forbidden"
    elif isinstance(exc, Conflict):
        key = "ws.error.conflict"
    elif isinstance(exc, TooLarge):
        return translate(lang, "ws.error.too_long", n=request.app.state.settings.max_message_chars)
    elif isinstance(exc, InvalidInput):
        key = "ws.error.empty" if exc.data.get("field") == "text" else "ws.error.invalid"
    else:
        key = "ws.error.generic"
    return translate(lang, key)


async def _act(
    request: Request,
    db: AsyncSession,
    staff: Staff,
    conversation_id: str,
    action: StaffAction,
    work: Callable[[Conversation], Awaitable[object]],
    *,
    done: str,
    anchor: str = "",
    draft: str = "",
) -> Response:
    """Runs one form action; on success back to the conversation, on refusal the page with the reason."""
    conversation = await access_conversation_by_id(db, staff, conversation_id, "view")
    try:
        await work(await access_conversation_by_id(db, staff, conversation_id, action))
    except (NotFound, Unauthenticated):
        raise
    except SamenspelError as exc:
        # The domain refuses before it writes anything, so the session is still good to show the page.
        return await _conversation_page(
            request,
            db,
            staff,
            conversation,
            error=_error_text(request, staff, exc),
            draft=draft,
            status=exc.http_status,
        )
    target = f"/workspace/conversations/{conversation.id}?{urlencode({'done': done})}"
    return RedirectResponse(target + (f"#{anchor}" if anchor else ""), status_code=303)


@router.post("/conversations/{conversation_id}/take-over")
async def take_over(
    conversation_id: str, request: Request, staff: CurrentStaff, db: SessionDep, services: ServicesDep
) -> Response:
    async def work(conversation: Conversation) -> None:
        await do_take_over(db, services, conversation, staff)

    return await _act(request, db, staff, conversation_id, "take_over", work, done="taken_over", anchor="reply")


@router.post("/conversations/{conversation_id}/release")
async def release(
    conversation_id: str, request: Request, staff: CurrentStaff, db: SessionDep, services: ServicesDep
) -> Response:
    async def work(conversation: Conversation) -> None:
        await do_release(db, services, conversation, staff)

    return await _act(request, db, staff, conversation_id, "release", work, done="released")


@router.post("/conversations/{conversation_id}/reply")
async def reply(
    conversation_id: str,
    request: Request,
    staff: CurrentStaff,
    db: SessionDep,
    services: ServicesDep,
    text: Annotated[str, Form()] = "",
) -> Response:
    """The reply box without JavaScript; with it, the page posts to the staff API instead."""

    async def work(conversation: Conversation) -> None:
        await do_post_agent_message(db, services, conversation, staff, text)

    return await _act(request, db, staff, conversation_id, "reply", work, done="sent", anchor="reply", draft=text)


@router.post("/conversations/{conversation_id}/close")
async def close(
    conversation_id: str,
    request: Request,
    staff: CurrentStaff,
    db: SessionDep,
    services: ServicesDep,
    contact_reason: Annotated[str, Form()] = "",
    resolved: Annotated[str | None, Form()] = None,
) -> Response:
    reason = " ".join(contact_reason.split())

    async def work(conversation: Conversation) -> None:
        if len(reason) > MAX_CONTACT_REASON:
            raise InvalidInput(
                f"the contact reason is {len(reason)} characters; the limit is {MAX_CONTACT_REASON}",
                field="contact_reason",
            )
        await do_close(
            db,
            services,
            conversation,
            staff,
            contact_reason=reason or None,
            # The box was on the form: unticked means "not resolved", not "unknown".
            resolved=resolved is not None,
        )

    return await _act(request, db, staff, conversation_id, "close", work, done="closed")


@router.post("/conversations/{conversation_id}/assign")
async def assign(
    conversation_id: str,
    request: Request,
    staff: CurrentStaff,
    db: SessionDep,
    services: ServicesDep,
    staff_id: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    action: StaffAction = "take_over" if staff_id == staff.id else "assign_other"

    async def work(conversation: Conversation) -> None:
        target = staff if staff_id == staff.id else await get_staff(db, staff_id) if staff_id else None
        if target is None or not target.active:
            raise InvalidInput(f"no active staff member with id {staff_id!r}", field="staff_id")
        await do_take_over(db, services, conversation, staff, target)

    return await _act(request, db, staff, conversation_id, action, work, done="assigned")
