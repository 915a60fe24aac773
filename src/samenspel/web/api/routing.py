"""Routing for staff: my state, the team and the queue for supervisors, queues, and overrides.

Under the staff API (bearer token or session cookie with its CSRF token); roles are checked through
``staff.access.check_role`` (the ``CurrentSupervisor`` dependency) and conversations are reached through
``conversations.access`` only.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel

from samenspel.conversations.access import access_conversation_by_id
from samenspel.errors import InvalidInput
from samenspel.routing.access import access_queue_by_name
from samenspel.routing.actions import do_delete_queue, do_dispatch, do_override, do_save_queue, do_set_agent_state
from samenspel.routing.queries import (
    agent_overview,
    agent_state,
    estimate_wait,
    get_ticket,
    handling_time,
    list_queues,
    waiting_overview,
)
from samenspel.routing.schemas import (
    AgentOverviewList,
    AgentStatePublic,
    Assignment,
    AssignmentList,
    OverrideRequest,
    QueueList,
    QueuePublic,
    QueueSpec,
    StateUpdate,
    TicketList,
)
from samenspel.staff.queries import get_staff
from samenspel.web.deps import CurrentStaff, CurrentSupervisor, ServicesDep, SessionDep

router = APIRouter(prefix="/staff/routing", tags=["routing"])


class QueueSaved(BaseModel):
    queue: QueuePublic


@router.get("/state")
async def my_state(staff: CurrentStaff, db: SessionDep, services: ServicesDep) -> AgentStatePublic:
    return await agent_state(db, services.settings, staff)


@router.put("/state")
async def set_my_state(
    data: StateUpdate, staff: CurrentStaff, db: SessionDep, services: ServicesDep
) -> AgentStatePublic:
    """available, improvement, break or offline; "in conversation" follows from having open chats."""
    return await do_set_agent_state(db, services, staff, data.state, max_chats=data.max_chats)


@router.get("/agents")
async def agents(staff: CurrentSupervisor, db: SessionDep, services: ServicesDep) -> AgentOverviewList:
    """Every agent: state, open chats, emotional load, heavy run and improvement time today."""
    items = await agent_overview(db, services.settings)
    wait = await estimate_wait(db, services.settings)
    waiting = len(await waiting_overview(db, services.settings))
    handling = await handling_time(db)
    return AgentOverviewList(
        items=items,
        waiting=waiting,
        estimated_wait_seconds=wait.total_seconds() if wait is not None else None,
        typical_handling_seconds=handling.typical.total_seconds(),
        handling_samples=handling.samples,
    )


@router.get("/tickets")
async def tickets(staff: CurrentStaff, db: SessionDep, services: ServicesDep) -> TicketList:
    """The conversations waiting for a person, in the order routing serves them."""
    return TicketList(items=await waiting_overview(db, services.settings))


@router.get("/queues")
async def queues(staff: CurrentSupervisor, db: SessionDep) -> QueueList:
    return QueueList(items=[QueuePublic.model_validate(q) for q in await list_queues(db)])


@router.put("/queues/{name}")
async def save_queue(
    name: str, data: QueueSpec, staff: CurrentSupervisor, db: SessionDep, services: ServicesDep
) -> QueueSaved:
    """Creates or replaces a queue: the team, the skills it needs, the languages it serves, and which
    handoff reasons or topics go there (the first matching queue by position wins)."""
    queue = await do_save_queue(db, services, name, data)
    return QueueSaved(queue=QueuePublic.model_validate(queue))


@router.delete("/queues/{name}", status_code=204, response_class=Response)
async def delete_queue(name: str, staff: CurrentSupervisor, db: SessionDep, services: ServicesDep) -> Response:
    """Removes a queue; conversations already waiting in it keep their place."""
    await do_delete_queue(db, services, await access_queue_by_name(db, staff, name))
    return Response(status_code=204)


@router.post("/override")
async def override(
    data: OverrideRequest, staff: CurrentSupervisor, db: SessionDep, services: ServicesDep
) -> Assignment:
    """A supervisor gives a conversation to a named agent, whatever routing would have done."""
    if (data.conversation_id is None) == (data.ticket_id is None):
        raise InvalidInput("send either conversation_id or ticket_id, not both and not neither")
    conversation_id = data.conversation_id or (await get_ticket(db, data.ticket_id or "")).conversation_id
    conversation = await access_conversation_by_id(db, staff, conversation_id, "assign_other")
    agent = await get_staff(db, data.staff_id)
    if agent is None or not agent.active:
        raise InvalidInput(f"no active staff member with id {data.staff_id}", field="staff_id")
    return await do_override(db, services, staff, conversation, agent)


@router.post("/dispatch")
async def dispatch(staff: CurrentSupervisor, db: SessionDep, services: ServicesDep) -> AssignmentList:
    """Routes the waiting conversations now (routing also does this on every change, and periodically)."""
    return AssignmentList(items=await do_dispatch(services))
