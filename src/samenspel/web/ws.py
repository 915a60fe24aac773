"""WebSockets: ``/ws/chat`` for the customer's widget and ``/ws/staff`` for the agent workspace.

Both start with the client's ``hello`` and the server's ``ready``, which carries every message after the
sequence number the client already has: a client that lost its connection reconnects, says what it has,
and receives exactly what it missed. Messages carry ids, so nothing is shown twice. See
docs/architecture.md for the frames.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from samenspel.conversations.access import access_conversation_by_id, access_conversation_by_token
from samenspel.conversations.actions import do_post_customer_message, do_record_feedback
from samenspel.conversations.queries import conversation_public, list_messages, messages_public
from samenspel.conversations.schemas import CustomerMessageCreate, FeedbackCreate, MessagePublic
from samenspel.errors import InvalidInput, SamenspelError, Unauthenticated
from samenspel.realtime.bus import Subscription
from samenspel.realtime.events import STAFF_CHANNEL, Event, conversation_channel
from samenspel.services import Services
from samenspel.staff.access import access_staff_by_bearer, access_staff_by_cookie
from samenspel.staff.models import Staff
from samenspel.web.deps import SESSION_COOKIE

logger = logging.getLogger(__name__)
router = APIRouter()

HELLO_TIMEOUT_S = 15
MAX_FRAME_CHARS = 20_000
_CLOSE_CODES = {401: 4401, 403: 4403, 404: 4404, 409: 4409}


class ChatHello(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str
    conversation_id: str = Field(max_length=64)
    token: str = Field(max_length=200)
    after_seq: int = Field(default=0, ge=0)


class StaffHello(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str
    token: str | None = Field(default=None, max_length=200)


class _Connection:
    """One socket: serialised sends, and the ids already sent so nothing goes out twice."""

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self._lock = asyncio.Lock()
        self.sent_ids: set[str] = set()

    async def send(self, frame: dict[str, Any]) -> None:
        async with self._lock:
            await self.websocket.send_text(json.dumps(frame, default=str))

    async def send_messages(self, messages: list[MessagePublic], **extra: Any) -> None:
        for message in messages:
            if message.id not in self.sent_ids:
                self.sent_ids.add(message.id)
                await self.send({"type": "message", **extra, "message": message.model_dump(mode="json")})

    async def error(self, exc: SamenspelError, **extra: Any) -> None:
        await self.send({"type": "error", **extra, "error": {"code": exc.code, "message": exc.message}})

    async def receive(self) -> dict[str, Any]:
        raw = await self.websocket.receive_text()
        if len(raw) > MAX_FRAME_CHARS:
            raise InvalidInput(f"frame of {len(raw):,} characters is over the limit of {MAX_FRAME_CHARS:,}")
        try:
            frame = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"frame is not valid JSON: {exc.msg} at character {exc.pos}") from None
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            raise InvalidInput("expected a JSON object with a 'type'")
        return frame


def _validation_message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ())) or "frame"
    return f"{where}: {err.get('msg', 'invalid value')}"


async def _forward(conn: _Connection, sub: Subscription, *, staff: bool) -> None:
    async for event in sub:
        await _send_event(conn, event, staff)
    # The bus dropped us (too slow, or Redis went away): close, and the client reconnects and catches up.
    with contextlib.suppress(Exception):
        await conn.websocket.close(1012)


async def _send_event(conn: _Connection, event: Event, staff: bool) -> None:
    if event.type == "message.created":
        message = MessagePublic.model_validate(event.data)
        extra = {"conversation_id": event.conversation_id} if staff else {}
        await conn.send_messages([message], **extra)
    elif event.type == "conversation.updated":
        if staff:
            await conn.send({"type": "conversation", "conversation": event.data})
        else:
            agent = event.data.get("assigned_staff")
            await conn.send(
                {
                    "type": "status",
                    "status": event.data["status"],
                    "agent": {"name": agent["name"]} if agent else None,
                }
            )
    elif event.type == "agent.updated" and staff:
        await conn.send({"type": "agent", "agent": event.data})


async def _reject(websocket: WebSocket, exc: SamenspelError) -> None:
    with contextlib.suppress(Exception):
        await websocket.send_text(json.dumps({"type": "error", "error": {"code": exc.code, "message": exc.message}}))
        await websocket.close(_CLOSE_CODES.get(exc.http_status, 4400))


@router.websocket("/ws/chat")
async def chat(websocket: WebSocket) -> None:
    services: Services = websocket.app.state.services
    await websocket.accept()
    conn = _Connection(websocket)
    try:
        frame = await asyncio.wait_for(conn.receive(), HELLO_TIMEOUT_S)
        hello = ChatHello.model_validate(frame)
        if hello.type != "hello":
            raise InvalidInput('the first frame must be {"type": "hello", "conversation_id", "token"}')
        async with services.sessionmaker() as db:
            conversation = await access_conversation_by_token(db, hello.conversation_id, hello.token)
            # Subscribe before reading history, so nothing published in between is lost.
            sub = services.bus.subscribe(conversation_channel(conversation.id))
            public = await conversation_public(db, conversation, after_seq=hello.after_seq)
    except (TimeoutError, WebSocketDisconnect):
        with contextlib.suppress(Exception):
            await websocket.close(4408)
        return
    except ValidationError as exc:
        await _reject(websocket, InvalidInput(_validation_message(exc)))
        return
    except SamenspelError as exc:
        await _reject(websocket, exc)
        return

    async with sub:
        conn.sent_ids.update(m.id for m in public.messages)
        await conn.send(
            {
                "type": "ready",
                "conversation": {
                    "id": public.id,
                    "status": public.status,
                    "language": public.language,
                    "agent": {"name": public.agent.name} if public.agent else None,
                },
                "messages": [m.model_dump(mode="json") for m in public.messages],
            }
        )
        forwarder = asyncio.create_task(_forward(conn, sub, staff=False))
        try:
            while True:
                try:
                    frame = await conn.receive()
                    await _chat_frame(conn, services, hello, frame)
                except SamenspelError as exc:
                    await conn.error(exc)
        except WebSocketDisconnect:
            pass
        finally:
            forwarder.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await forwarder


async def _chat_frame(conn: _Connection, services: Services, hello: ChatHello, frame: dict[str, Any]) -> None:
    kind = frame["type"]
    if kind == "ping":
        await conn.send({"type": "pong"})
        return
    if kind == "feedback":
        await _chat_feedback(conn, services, hello, frame)
        return
    if kind != "message":
        raise InvalidInput(f"unknown frame type {kind[:40]!r}; expected 'message', 'feedback' or 'ping'")
    client_id = frame.get("client_id") if isinstance(frame.get("client_id"), str) else None
    try:
        data = CustomerMessageCreate.model_validate({k: v for k, v in frame.items() if k != "type"})
    except ValidationError as exc:
        await conn.error(InvalidInput(_validation_message(exc)), client_id=client_id)
        return

    async def ack(message: MessagePublic) -> None:
        conn.sent_ids.add(message.id)
        await conn.send({"type": "ack", "client_id": data.client_id, "message": message.model_dump(mode="json")})

    try:
        async with services.sessionmaker() as db:
            conversation = await access_conversation_by_token(db, hello.conversation_id, hello.token)
            posted = await do_post_customer_message(
                db,
                services,
                conversation,
                data.text,
                client_id=data.client_id,
                requested_person=data.request_person,
                on_stored=ack,
            )
            if posted.duplicate:
                await ack(posted.message)
                await conn.send_messages(posted.replies)
    except SamenspelError as exc:
        await conn.error(exc, client_id=data.client_id)


async def _chat_feedback(conn: _Connection, services: Services, hello: ChatHello, frame: dict[str, Any]) -> None:
    try:
        data = FeedbackCreate.model_validate({k: v for k, v in frame.items() if k != "type"})
    except ValidationError as exc:
        raise InvalidInput(_validation_message(exc)) from None
    try:
        async with services.sessionmaker() as db:
            conversation = await access_conversation_by_token(db, hello.conversation_id, hello.token)
            await do_record_feedback(db, services, conversation, data.message_id, helpful=data.helpful)
    except SamenspelError as exc:
        await conn.error(exc, message_id=data.message_id)
        return
    await conn.send({"type": "feedback_ack", "message_id": data.message_id, "helpful": data.helpful})


def _same_origin(websocket: WebSocket) -> bool:
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser
    return urlsplit(origin).netloc == websocket.headers.get("host")


async def _staff_for(websocket: WebSocket, services: Services, hello: StaffHello) -> Staff:
    async with services.sessionmaker() as db:
        if hello.token:
            return await access_staff_by_bearer(db, hello.token)
        cookie = websocket.cookies.get(SESSION_COOKIE)
        # A cookie rides along on any site's request: only pages of this site may use it here.
        if not cookie or not _same_origin(websocket):
            raise Unauthenticated("log in first")
        staff, _ = await access_staff_by_cookie(db, cookie, None, unsafe_method=False)
        return staff


@router.websocket("/ws/staff")
async def staff_events(websocket: WebSocket) -> None:
    services: Services = websocket.app.state.services
    await websocket.accept()
    conn = _Connection(websocket)
    try:
        hello = StaffHello.model_validate(await asyncio.wait_for(conn.receive(), HELLO_TIMEOUT_S))
        staff = await _staff_for(websocket, services, hello)
    except (TimeoutError, WebSocketDisconnect):
        with contextlib.suppress(Exception):
            await websocket.close(4408)
        return
    except ValidationError as exc:
        await _reject(websocket, InvalidInput(_validation_message(exc)))
        return
    except SamenspelError as exc:
        await _reject(websocket, exc)
        return

    async with services.bus.subscribe(STAFF_CHANNEL) as sub:
        await conn.send({"type": "ready", "staff": {"id": staff.id, "name": staff.name, "role": staff.role}})
        forwarder = asyncio.create_task(_forward(conn, sub, staff=True))
        try:
            while True:
                try:
                    frame = await conn.receive()
                    await _staff_frame(conn, services, staff, sub, frame)
                except SamenspelError as exc:
                    await conn.error(exc)
        except WebSocketDisconnect:
            pass
        finally:
            forwarder.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await forwarder


async def _staff_frame(
    conn: _Connection, services: Services, staff: Staff, sub: Subscription, frame: dict[str, Any]
) -> None:
    kind = frame["type"]
    if kind == "ping":
        await conn.send({"type": "pong"})
        return
    conversation_id = frame.get("conversation_id")
    if kind not in ("watch", "unwatch") or not isinstance(conversation_id, str):
        raise InvalidInput('expected {"type": "watch"|"unwatch", "conversation_id"} or a ping')
    if kind == "unwatch":
        sub.remove(conversation_channel(conversation_id))
        return
    after_seq = frame.get("after_seq", 0)
    if not isinstance(after_seq, int) or after_seq < 0:
        raise InvalidInput("after_seq must be a whole number, 0 or more")
    async with services.sessionmaker() as db:
        conversation = await access_conversation_by_id(db, staff, conversation_id)
        sub.add(conversation_channel(conversation.id))
        messages = await messages_public(db, await list_messages(db, conversation.id, after_seq))
    await conn.send({"type": "watching", "conversation_id": conversation_id})
    await conn.send_messages(messages, conversation_id=conversation_id)
