"""The agent's own state in the header, and the supervisors' team page: who is doing what, how heavy
their hours have been, the line of waiting customers, and overriding any assignment.

Like the other workspace pages, everything works as plain HTML forms; ``/static/workspace.js`` keeps the
team page current over ``/ws/staff`` by fetching ``/workspace/team/panel`` again when something changes.
"""

from __future__ import annotations

from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.conversations.access import access_conversation_by_id
from samenspel.conversations.queries import list_conversations
from samenspel.errors import Forbidden, InvalidInput, NotFound, SamenspelError, Unauthenticated
from samenspel.routing.actions import do_override, do_set_agent_state
from samenspel.routing.engine import SETTABLE_STATES
from samenspel.routing.queries import agent_overview, agent_state, estimate_wait, routing_config, waiting_overview
from samenspel.routing.schemas import AgentOverview, AgentStatePublic, SettableState
from samenspel.settings import Settings
from samenspel.staff.access import check_role
from samenspel.staff.models import Staff
from samenspel.staff.queries import get_staff
from samenspel.web.deps import CurrentStaff, ServicesDep, SessionDep
from samenspel.web.i18n import choose_language, translate
from samenspel.web.render import render
from samenspel.web.workspace.present import HELPERS, Translate, workspace_page
from samenspel.web.workspace.session import safe_next

router = APIRouter()

ASSIGNED_LIMIT = 200
# Recent emotional load: the sum of recent contacts' weights (0.1 light … 1.0 heavy), each fading.
LOAD_LEVELS = ((1.0, "low"), (2.5, "moderate"), (float("inf"), "high"))


async def header_state(db: AsyncSession, staff: Staff, settings: Settings) -> AgentStatePublic:
    """The state selector in every workspace page's header."""
    return await agent_state(db, settings, staff)


def load_level(load: float) -> str:
    return next(name for limit, name in LOAD_LEVELS if load < limit)


def number(value: float, lang: str, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def minutes(value: float) -> str:
    return str(round(value))


TEAM_HELPERS: dict[str, Any] = {"load_level": load_level, "number": number, "minutes": minutes}


def _page(
    request: Request,
    staff: Staff,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HTMLResponse:
    return workspace_page(
        request, staff, template, {**TEAM_HELPERS, **context, "section": "team"}, data={"page": "team"}, status=status
    )


async def _team_context(db: AsyncSession, settings: Settings) -> dict[str, Any]:
    agents = await agent_overview(db, settings)
    tickets = await waiting_overview(db, settings)
    wait = await estimate_wait(db, settings)
    assigned = await list_conversations(db, "assigned", ASSIGNED_LIMIT)
    names = {a.staff_id: a.name for a in agents}
    at_work = [a for a in agents if a.state in ("available", "in_conversation")]
    return {
        "agents": agents,
        "tickets": tickets,
        "assigned": assigned,
        "names": names,
        "wait_minutes": None if wait is None else max(0, round(wait.total_seconds() / 60)),
        "at_work": len(at_work),
        "max_heavy_run": routing_config(settings).max_heavy_run,
        "improvement_target": settings.improvement_share,
        # The script announces the panel's summary when this changes.
        "summary_key": f"{len(tickets)}|{len(at_work)}|{len(assigned)}",
    }


def _option_label(t: Translate, agent: AgentOverview) -> str:
    return t(
        "ws.team.option",
        name=agent.name,
        state=t(f"ws.state.{agent.state}"),
        chats=agent.open_chats,
        max=agent.max_chats,
    )


async def _team_page(
    request: Request,
    db: AsyncSession,
    staff: Staff,
    *,
    notice: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    context = await _team_context(db, settings)
    return _page(
        request,
        staff,
        "workspace/team.html",
        {
            **context,
            "option_label": _option_label,
            "notice": notice,
            "error": error,
            "my_state": await header_state(db, staff, settings),
        },
        status=status,
    )


@router.get("/team", response_class=HTMLResponse)
async def team_page(
    request: Request, staff: CurrentStaff, db: SessionDep, done: str | None = None, to: str | None = None
) -> HTMLResponse:
    check_role(staff, "supervisor")
    notice = None
    if done == "override" and to:
        agent = await get_staff(db, to[:32])
        if agent is not None:
            lang = choose_language(request, staff.ui_language)
            notice = translate(lang, "ws.team.done_override", name=agent.name)
    return await _team_page(request, db, staff, notice=notice)


@router.get("/team/panel", response_class=HTMLResponse)
async def team_panel(request: Request, staff: CurrentStaff, db: SessionDep) -> HTMLResponse:
    """The page's tables alone, for the script to swap in when something changed."""
    check_role(staff, "supervisor")
    settings: Settings = request.app.state.settings
    web_session = getattr(request.state, "web_session", None)
    response = render(
        request,
        "workspace/_team_panel.html",
        {
            **HELPERS,
            **TEAM_HELPERS,
            **await _team_context(db, settings),
            "option_label": _option_label,
            "staff": staff,
            "csrf_token": web_session.csrf_token if web_session is not None else "",
        },
        preferred_language=staff.ui_language,
    )
    response.headers["cache-control"] = "no-store"
    return response


def _error_text(request: Request, staff: Staff, exc: SamenspelError) -> str:
    lang = choose_language(request, staff.ui_language)
    if isinstance(exc, Forbidden):
        return translate(lang, "ws.error.forbidden")
    if isinstance(exc, InvalidInput):
        return translate(lang, "ws.team.error_agent")
    return translate(lang, "ws.team.error_conflict")


@router.post("/team/override")
async def team_override(
    request: Request,
    staff: CurrentStaff,
    db: SessionDep,
    services: ServicesDep,
    conversation_id: Annotated[str, Form(max_length=32)] = "",
    staff_id: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    check_role(staff, "supervisor")
    conversation = await access_conversation_by_id(db, staff, conversation_id, "assign_other")
    try:
        agent = await get_staff(db, staff_id) if staff_id else None
        if agent is None or not agent.active:
            raise InvalidInput(f"no active staff member with id {staff_id!r}", field="staff_id")
        await do_override(db, services, staff, conversation, agent)
    except (NotFound, Unauthenticated):
        raise
    except SamenspelError as exc:
        # The domain refuses before it writes anything, so the session is still good to show the page.
        return await _team_page(request, db, staff, error=_error_text(request, staff, exc), status=exc.http_status)
    return RedirectResponse(f"/workspace/team?{urlencode({'done': 'override', 'to': agent.id})}", status_code=303)


@router.post("/state")
async def set_state(
    request: Request,
    staff: CurrentStaff,
    db: SessionDep,
    services: ServicesDep,
    state: Annotated[str, Form(max_length=20)] = "",
    next_path: Annotated[str, Form(alias="next", max_length=1000)] = "/workspace",
) -> Response:
    """The header's state selector without JavaScript; with it, the page uses the staff API."""
    if state not in SETTABLE_STATES:
        raise InvalidInput(f"expected one of {', '.join(SETTABLE_STATES)}, got {state[:20]!r}", field="state")
    await do_set_agent_state(db, services, staff, cast(SettableState, state))
    return RedirectResponse(safe_next(next_path), status_code=303)
