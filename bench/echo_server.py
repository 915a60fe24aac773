"""Baseline for bench/chat_roundtrip.py: the same web stack (uvicorn + Starlette WebSockets) with no storage
and no pipeline. It speaks just enough of /ws/chat to be driven by the same clients."""

from __future__ import annotations

import itertools
import json
import sys
import uuid

import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

_ids = itertools.count(1)


async def create(request):  # type: ignore[no-untyped-def]
    return JSONResponse({"id": uuid.uuid4().hex, "token": "t", "status": "assistant"}, status_code=201)


async def health(request):  # type: ignore[no-untyped-def]
    return JSONResponse({"status": "ok"})


async def chat(ws: WebSocket) -> None:
    await ws.accept()
    await ws.receive_text()
    await ws.send_text(json.dumps({"type": "ready", "conversation": {"status": "assistant"}, "messages": []}))
    try:
        while True:
            frame = json.loads(await ws.receive_text())
            if frame.get("type") != "message":
                continue
            seq = next(_ids)
            message = {"id": uuid.uuid4().hex, "seq": seq, "author": "customer", "text": frame["text"]}
            await ws.send_text(json.dumps({"type": "ack", "client_id": frame.get("client_id"), "message": message}))
            reply = {**message, "id": uuid.uuid4().hex, "author": "assistant", "text": "echo"}
            await ws.send_text(json.dumps({"type": "message", "message": reply}))
    except WebSocketDisconnect:
        return


app = Starlette(
    routes=[
        Route("/api/v1/conversations", create, methods=["POST"]),
        Route("/healthz", health),
        WebSocketRoute("/ws/chat", chat),
    ]
)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", ws="websockets-sansio")
