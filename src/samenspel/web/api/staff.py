"""The staff side of the API (CONTRACT.md §3): bearer token or session cookie, roles enforced."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from samenspel.conversations.access import StaffAction, access_conversation_by_id
from samenspel.conversations.actions import (
    do_close,
    do_post_agent_message,
    do_release,
    do_take_over,
)
from samenspel.conversations.queries import conversation_detail, list_conversations
from samenspel.conversations.schemas import (
    AssignRequest,
    CloseRequest,
    ConversationDetail,
    ConversationSummary,
    MessagePublic,
    StaffMessageCreate,
)
from samenspel.errors import InvalidInput
from samenspel.staff.queries import get_staff, list_staff
from samenspel.staff.schemas import StaffPublic
from samenspel.types import Status
from samenspel.web.deps import CurrentStaff, ServicesDep, SessionDep

router = APIRouter(prefix="/staff", tags=["staff"])


class ConversationList(BaseModel):
    items: list[ConversationSummary]


class StaffList(BaseModel):
    items: list[StaffPublic]


class AgentMessageResult(BaseModel):
    message: MessagePublic


@router.get("/me")
async def me(staff: CurrentStaff) -> StaffPublic:
    return StaffPublic.model_validate(staff)


@router.get("/members")
async def members(staff: CurrentStaff, db: SessionDep) -> StaffList:
    return StaffList(items=[StaffPublic.model_validate(s) for s in await list_staff(db) if s.active])


@router.get("/conversations")
async def conversations(
    staff: CurrentStaff,
    db: SessionDep,
    status: Annotated[Status | None, Query(description="assistant, waiting, assigned or closed")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ConversationList:
    return ConversationList(items=await list_conversations(db, status, limit))


@router.get("/conversations/{conversation_id}")
async def conversation(conversation_id: str, staff: CurrentStaff, db: SessionDep) -> ConversationDetail:
    found = await access_conversation_by_id(db, staff, conversation_id)
    return await conversation_detail(db, found)


@router.post("/conversations/{conversation_id}/assign")
async def assign(
    conversation_id: str,
    staff: CurrentStaff,
    db: SessionDep,
    services: ServicesDep,
    data: AssignRequest | None = None,
) -> ConversationDetail:
    target_id = data.staff_id if data and data.staff_id else staff.id
    action: StaffAction = "take_over" if target_id == staff.id else "assign_other"
    found = await access_conversation_by_id(db, staff, conversation_id, action)
    target = staff if target_id == staff.id else await get_staff(db, target_id)
    if target is None or not target.active:
        raise InvalidInput(f"no active staff member with id {target_id}", field="staff_id")
    await do_take_over(db, services, found, staff, target)
    return await conversation_detail(db, found)


@router.post("/conversations/{conversation_id}/messages", status_code=201)
async def reply(
    conversation_id: str, data: StaffMessageCreate, staff: CurrentStaff, db: SessionDep, services: ServicesDep
) -> AgentMessageResult:
    found = await access_conversation_by_id(db, staff, conversation_id, "reply")
    message = await do_post_agent_message(db, services, found, staff, data.text, client_id=data.client_id)
    return AgentMessageResult(message=message)


@router.post("/conversations/{conversation_id}/release")
async def release(
    conversation_id: str, staff: CurrentStaff, db: SessionDep, services: ServicesDep
) -> ConversationDetail:
    found = await access_conversation_by_id(db, staff, conversation_id, "release")
    await do_release(db, services, found, staff)
    return await conversation_detail(db, found)


@router.post("/conversations/{conversation_id}/close")
async def close(
    conversation_id: str,
    staff: CurrentStaff,
    db: SessionDep,
    services: ServicesDep,
    data: CloseRequest | None = None,
) -> ConversationDetail:
    found = await access_conversation_by_id(db, staff, conversation_id, "close")
    await do_close(
        db,
        services,
        found,
        staff,
        contact_reason=data.contact_reason if data else None,
        resolved=data.resolved if data else None,
    )
    return await conversation_detail(db, found)
