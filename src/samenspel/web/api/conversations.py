"""The customer side of the API (CONTRACT.md §3): the conversation token is the credential."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from samenspel.conversations.access import access_conversation_by_token
from samenspel.conversations.actions import (
    do_create_conversation,
    do_post_customer_message,
    do_record_feedback,
)
from samenspel.conversations.queries import conversation_public
from samenspel.conversations.schemas import (
    ConversationCreate,
    ConversationCreated,
    ConversationPublic,
    CustomerMessageCreate,
    CustomerMessageResult,
    FeedbackCreate,
    MessagePublic,
)
from samenspel.types import Status
from samenspel.web.deps import ServicesDep, SessionDep, bearer_token

router = APIRouter(prefix="/conversations", tags=["customer"])


@router.post("", status_code=201)
async def create_conversation(data: ConversationCreate, db: SessionDep, services: ServicesDep) -> ConversationCreated:
    conversation, token = await do_create_conversation(db, services, data)
    status: Status = conversation.status  # type: ignore[assignment]
    return ConversationCreated(id=conversation.id, token=token, status=status)


@router.post("/{conversation_id}/messages", status_code=201)
async def post_message(
    conversation_id: str,
    data: CustomerMessageCreate,
    request: Request,
    response: Response,
    db: SessionDep,
    services: ServicesDep,
) -> CustomerMessageResult:
    conversation = await access_conversation_by_token(db, conversation_id, bearer_token(request))
    posted = await do_post_customer_message(
        db, services, conversation, data.text, client_id=data.client_id, requested_person=data.request_person
    )
    if posted.duplicate:
        response.status_code = 200
    decision: dict[str, Any] | None = posted.decision.model_dump(mode="json") if posted.decision else None
    return CustomerMessageResult(message=posted.message, replies=posted.replies, decision=decision)


@router.get("/{conversation_id}")
async def get_conversation(
    conversation_id: str,
    request: Request,
    db: SessionDep,
    after_seq: Annotated[int, Query(ge=0, description="only messages after this sequence number")] = 0,
) -> ConversationPublic:
    conversation = await access_conversation_by_token(db, conversation_id, bearer_token(request))
    return await conversation_public(db, conversation, after_seq=after_seq)


class FeedbackResult(BaseModel):
    message_id: str
    helpful: bool
    replies: list[MessagePublic]


@router.post("/{conversation_id}/feedback", status_code=201)
async def post_feedback(
    conversation_id: str, data: FeedbackCreate, request: Request, db: SessionDep, services: ServicesDep
) -> FeedbackResult:
    """The customer's "this helped" on one of the assistant's answers."""
    conversation = await access_conversation_by_token(db, conversation_id, bearer_token(request))
    replies = await do_record_feedback(db, services, conversation, data.message_id, helpful=data.helpful)
    return FeedbackResult(message_id=data.message_id, helpful=data.helpful, replies=replies)
