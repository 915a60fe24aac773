"""The agent's own state in the header, and the supervisors' team page: who is doing what, how heavy
their hours have been, the line of waiting customers, overriding any assignment, and the queues.

Like the other workspace pages, everything works as plain HTML forms; ``/static/workspace.js`` keeps the
team page current over ``/ws/staff`` by fetching ``/workspace/team/panel`` again when something changes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.conversations.access import access_conversation_by_id
from samenspel.conversations.queries import list_conversations
from samenspel.errors import Forbidden, InvalidInput, NotFound, SamenspelError, Unauthenticated
from samenspel.routing.access import access_queue_by_name
from samenspel.routing.actions import do_delete_queue, do_override, do_save_queue, do_set_agent_state
from samenspel.routing.engine import SETTABLE_STATES
from samenspel.routing.models import Queue
from samenspel.routing.queries import (
    HANDLING_MIN_SAMPLES,
    agent_overview,
    agent_state,
    estimate_wait,
    get_queue,
    handling_time,
    list_queues,
    routing_config,
    waiting_overview,
)
from samenspel.routing.schemas import AgentOverview, AgentStatePublic, QueueSpec, SettableState, check_queue_name
from samenspel.settings import Settings
from samenspel.staff.access import check_role
from samenspel.staff.models import Staff
from samenspel.staff.queries import get_staff, list_staff
from samenspel.types import HANDOFF_REASONS
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
    handling = await handling_time(db)
    assigned = await list_conversations(db, "assigned", ASSIGNED_LIMIT)
    names = {a.staff_id: a.name for a in agents}
    at_work = [a for a in agents if a.state in ("available", "in_conversation")]
    return {
        "agents": agents,
        "tickets": tickets,
        "assigned": assigned,
        "names": names,
        "wait_minutes": None if wait is None else max(0, round(wait.total_seconds() / 60)),
        # What the estimate counts per chat: at least a minute, so "about 0 min" is never said.
        "handling_minutes": max(1, math.ceil(handling.typical.total_seconds() / 60 - 0.5)),
        "handling_samples": handling.samples,
        "handling_measured": handling.measured,
        "handling_min_samples": HANDLING_MIN_SAMPLES,
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
            "queues": await list_queues(db),
            "skill_wait_seconds": round(settings.routing_skill_wait_seconds),
            "my_state": await header_state(db, staff, settings),
        },
        status=status,
    )


@router.get("/team", response_class=HTMLResponse)
async def team_page(
    request: Request,
    staff: CurrentStaff,
    db: SessionDep,
    done: str | None = None,
    to: str | None = None,
    queue: str | None = None,
) -> HTMLResponse:
    check_role(staff, "supervisor")
    notice = None
    lang = choose_language(request, staff.ui_language)
    if done == "override" and to:
        agent = await get_staff(db, to[:32])
        if agent is not None:
            notice = translate(lang, "ws.team.done_override", name=agent.name)
    elif done in ("queue_saved", "queue_deleted") and queue and _QUEUE_NAME.match(queue):
        notice = translate(lang, f"ws.queues.{done.removeprefix('queue_')}", name=queue)
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


# --- queues ----------------------------------------------------------------------------------------------

_QUEUE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
# In the order the form shows them, which is the order the error summary lists them in.
QUEUE_FIELDS = ("name", "team", "position", "reasons", "topics", "languages", "skills")


@dataclass
class QueueForm:
    """The queue form's fields as the supervisor typed them (lists as comma-separated text)."""

    name: str = ""
    team: str = ""
    skills: str = ""
    languages: str = ""
    reasons: list[str] = field(default_factory=list)
    topics: str = ""
    position: str = "100"

    @classmethod
    def of(cls, queue: Queue) -> QueueForm:
        return cls(
            name=queue.name,
            team=queue.team or "",
            skills=", ".join(queue.skills or []),
            languages=", ".join(queue.languages or []),
            reasons=list(queue.reasons or []),
            topics=", ".join(queue.topics or []),
            position=str(queue.position),
        )


def _words(text: str) -> list[str]:
    return [word.strip() for word in re.split(r"[,;\s]+", text) if word.strip()]


def check_queue_form(form: QueueForm) -> tuple[str, QueueSpec | None, list[str]]:
    """The queue's name and what to save, or the fields that are wrong (in the form's order)."""
    wrong: set[str] = set()
    name = ""
    try:
        name = check_queue_name(form.name)
    except InvalidInput:
        wrong.add("name")
    position: int | None = None
    try:
        position = int(form.position.strip())
    except ValueError:
        wrong.add("position")
    spec: QueueSpec | None = None
    try:
        spec = QueueSpec.model_validate(
            {
                "team": form.team.strip(),
                "skills": _words(form.skills),
                "languages": _words(form.languages),
                "reasons": form.reasons,
                "topics": _words(form.topics),
                "position": position if position is not None else 100,
            }
        )
    except ValidationError as exc:
        wrong.update(str(error["loc"][0]) for error in exc.errors() if error["loc"])
    return name, spec, [f for f in QUEUE_FIELDS if f in wrong]


async def _queue_page(
    request: Request,
    db: AsyncSession,
    staff: Staff,
    form: QueueForm,
    *,
    existing: Queue | None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    known_skills = sorted({skill for member in await list_staff(db) if member.active for skill in member.skills or []})
    return _page(
        request,
        staff,
        "workspace/team_queue.html",
        {
            "form": form,
            "existing": existing,
            "errors": errors or {},
            "reasons": HANDOFF_REASONS,
            "known_skills": known_skills,
            "my_state": await header_state(db, staff, settings),
        },
        status=status,
    )


@router.get("/team/queues/new", response_class=HTMLResponse)
async def new_queue_page(request: Request, staff: CurrentStaff, db: SessionDep) -> HTMLResponse:
    check_role(staff, "supervisor")
    return await _queue_page(request, db, staff, QueueForm(), existing=None)


@router.get("/team/queues/{name}/edit", response_class=HTMLResponse)
async def edit_queue_page(request: Request, name: str, staff: CurrentStaff, db: SessionDep) -> HTMLResponse:
    queue = await access_queue_by_name(db, staff, name)
    return await _queue_page(request, db, staff, QueueForm.of(queue), existing=queue)


@router.post("/team/queues")
async def save_queue(
    request: Request,
    staff: CurrentStaff,
    db: SessionDep,
    services: ServicesDep,
    original: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    team: Annotated[str, Form()] = "",
    skills: Annotated[str, Form()] = "",
    languages: Annotated[str, Form()] = "",
    reasons: Annotated[list[str] | None, Form()] = None,
    topics: Annotated[str, Form()] = "",
    position: Annotated[str, Form()] = "100",
) -> Response:
    """Creates a queue (``original`` empty) or changes one (its name stays)."""
    check_role(staff, "supervisor")
    existing = await access_queue_by_name(db, staff, original) if original else None
    form = QueueForm(
        name=existing.name if existing else name,
        team=team,
        skills=skills,
        languages=languages,
        reasons=list(reasons or []),
        topics=topics,
        position=position,
    )
    checked, spec, wrong = check_queue_form(form)
    lang = choose_language(request, staff.ui_language)
    errors = {f: translate(lang, f"ws.queues.error.{f}") for f in wrong}
    if existing is None and "name" not in errors and await get_queue(db, checked) is not None:
        errors["name"] = translate(lang, "ws.queues.error.name_taken")
    if errors or spec is None:
        return await _queue_page(request, db, staff, form, existing=existing, errors=errors, status=422)
    await do_save_queue(db, services, checked, spec)
    target = f"/workspace/team?{urlencode({'done': 'queue_saved', 'queue': checked})}#queues-heading"
    return RedirectResponse(target, status_code=303)


@router.post("/team/queues/{name}/delete")
async def delete_queue(name: str, staff: CurrentStaff, db: SessionDep, services: ServicesDep) -> Response:
    queue = await access_queue_by_name(db, staff, name)
    deleted = queue.name
    await do_delete_queue(db, services, queue)
    target = f"/workspace/team?{urlencode({'done': 'queue_deleted', 'queue': deleted})}#queues-heading"
    return RedirectResponse(target, status_code=303)
