"""The WebSockets, over real sockets, on SQLite and on PostgreSQL + Redis."""

from __future__ import annotations

import json
import time
from contextlib import contextmanager

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.factories import make_staff, start_conversation
from tests.web.workspace.helpers import login


def send(ws, **frame):
    ws.send(json.dumps(frame))


def recv(ws, timeout=5.0):
    return json.loads(ws.recv(timeout=timeout))


def recv_until(ws, predicate, timeout=5.0):
    """Frames until one matches; returns (match, everything received before it)."""
    seen = []
    deadline = time.monotonic() + timeout
    while True:
        frame = recv(ws, max(0.05, deadline - time.monotonic()))
        if predicate(frame):
            return frame, seen
        seen.append(frame)


@contextmanager
def chat(server, conv, after_seq=0):
    """A customer's widget connection, after its hello: yields (socket, ready frame)."""
    with connect(f"{server.ws_url}/ws/chat", open_timeout=5) as ws:
        send(ws, type="hello", conversation_id=conv.id, token=conv.token, after_seq=after_seq)
        ready = recv(ws)
        assert ready["type"] == "ready", ready
        yield ws, ready


def test_message_is_acknowledged_then_the_assistant_answers(server):
    with server.client() as client:
        conv = start_conversation(client, name="Joke")
    with chat(server, conv) as (ws, ready):
        assert ready["conversation"]["status"] == "assistant"
        assert ready["messages"] == []
        send(ws, type="message", text="Wanneer wordt het grofvuil opgehaald?", client_id="m1")
        ack, before = recv_until(ws, lambda f: f["type"] == "ack")
        assert ack["client_id"] == "m1"
        assert ack["message"]["text"] == "Wanneer wordt het grofvuil opgehaald?"
        assert not any(f["type"] == "message" and f["message"]["author"] == "assistant" for f in before)
        reply, _ = recv_until(ws, lambda f: f["type"] == "message" and f["message"]["author"] == "assistant")
        assert "Joke" in reply["message"]["text"]
        status, _ = recv_until(ws, lambda f: f["type"] == "status")
        assert status["status"] == "waiting"


def test_reconnecting_widget_receives_what_it_missed_exactly_once(server):
    with server.client() as client:
        conv = start_conversation(client)
        agent = make_staff(server.settings, client, name="Anna de Vries")
        with chat(server, conv) as (ws, _):
            send(ws, type="message", text="ik wil een medewerker spreken", client_id="a")
            recv_until(ws, lambda f: f["type"] == "status" and f["status"] == "waiting")
            seen = client.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()["messages"]
        last_seq = seen[-1]["seq"]
        # The widget is gone; meanwhile the agent takes over and writes twice.
        client.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=agent.headers).raise_for_status()
        for text in ("Goedemiddag!", "Waar kan ik u mee helpen?"):
            client.post(
                f"/api/v1/staff/conversations/{conv.id}/messages", json={"text": text}, headers=agent.headers
            ).raise_for_status()
    with chat(server, conv, after_seq=last_seq) as (ws, ready):
        missed = ready["messages"]
        assert [m["author"] for m in missed] == ["system", "agent", "agent"]
        assert [m["text"] for m in missed[1:]] == ["Goedemiddag!", "Waar kan ik u mee helpen?"]
        assert missed[1]["author_name"] == "Anna de Vries"
        assert ready["conversation"]["status"] == "assigned"
        assert ready["conversation"]["agent"] == {"name": "Anna de Vries"}
        assert len({m["id"] for m in missed}) == len(missed)
        # Nothing more arrives: everything was in the catch-up.
        with pytest.raises(TimeoutError):
            recv(ws, timeout=0.5)


def test_unacknowledged_message_resent_after_reconnect_is_stored_once(server):
    with server.client() as client:
        conv = start_conversation(client)
        agent = make_staff(server.settings, client)
        client.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=agent.headers).raise_for_status()
        for _ in range(2):  # the same client_id twice, as a widget does after a lost connection
            with chat(server, conv) as (ws, _):
                send(ws, type="message", text="Is mijn aanvraag binnen?", client_id="resend-1")
                ack, _ = recv_until(ws, lambda f: f["type"] == "ack")
                assert ack["client_id"] == "resend-1"
        messages = client.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()["messages"]
    assert [m["text"] for m in messages if m["author"] == "customer"] == ["Is mijn aanvraag binnen?"]


def test_customer_sees_the_agent_live(server):
    with server.client() as client:
        conv = start_conversation(client)
        agent = make_staff(server.settings, client, name="Youssef El Amrani")
        with chat(server, conv) as (ws, _):
            client.post(
                f"/api/v1/staff/conversations/{conv.id}/messages",
                json={"text": "Hallo!"},
                headers=agent.headers,
            ).raise_for_status()
            status, _ = recv_until(ws, lambda f: f["type"] == "status" and f["status"] == "assigned")
            assert status["agent"] == {"name": "Youssef El Amrani"}
            message, _ = recv_until(ws, lambda f: f["type"] == "message" and f["message"]["author"] == "agent")
    assert message["message"]["author_name"] == "Youssef El Amrani"
    assert message["message"]["text"] == "Hallo!"


def closed_with(ws):
    """The close code the server ended the connection with (after any frames still on the way)."""
    try:
        for _ in range(5):
            ws.recv(timeout=5)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None
    raise AssertionError("the server did not close the connection")


def test_bad_hello_is_refused_with_a_reason(server):
    with server.client() as client:
        conv = start_conversation(client)
        other = start_conversation(client)
    cases = [
        ({"conversation_id": conv.id, "token": "wrong"}, 4401, "unauthenticated"),
        ({"conversation_id": conv.id, "token": other.token}, 4403, "forbidden"),
        ({"conversation_id": "0" * 32, "token": conv.token}, 4404, "not_found"),
    ]
    for hello, close_code, error_code in cases:
        with connect(f"{server.ws_url}/ws/chat") as ws:
            send(ws, type="hello", **hello)
            frame = recv(ws)
            assert frame["type"] == "error"
            assert frame["error"]["code"] == error_code
            assert closed_with(ws) == close_code
    with connect(f"{server.ws_url}/ws/chat") as ws:
        ws.send("not json")
        frame = recv(ws)
        assert frame["error"]["code"] == "invalid_input"
        assert "JSON" in frame["error"]["message"]


def test_bad_frames_get_errors_and_the_connection_goes_on(server):
    with server.client() as client:
        conv = start_conversation(client)
    with chat(server, conv) as (ws, _):
        ws.send("{broken")
        assert recv(ws)["error"]["code"] == "invalid_input"
        send(ws, type="message", text="x" * 4001, client_id="long")
        error = recv(ws)
        assert (error["error"]["code"], error["client_id"]) == ("too_large", "long")
        send(ws, type="message", text="   ", client_id="empty")
        assert recv(ws)["error"]["code"] == "invalid_input"
        send(ws, type="dance")
        assert "unknown frame type" in recv(ws)["error"]["message"]
        send(ws, type="ping")
        assert recv(ws) == {"type": "pong"}
    with server.client() as client:
        assert client.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()["messages"] == []


def test_staff_socket_streams_the_inbox_and_watched_conversations(server):
    with server.client() as client:
        agent = make_staff(server.settings, client)
        with connect(f"{server.ws_url}/ws/staff") as ws:
            send(ws, type="hello", token=agent.token)
            assert recv(ws)["type"] == "ready"
            conv = start_conversation(client, name="Emily Clarke")
            created, _ = recv_until(ws, lambda f: f["type"] == "conversation")
            assert created["conversation"]["id"] == conv.id
            assert created["conversation"]["customer"]["name"] == "Emily Clarke"
            send(ws, type="watch", conversation_id=conv.id, after_seq=0)
            recv_until(ws, lambda f: f["type"] == "watching")
            client.post(
                f"/api/v1/conversations/{conv.id}/messages",
                json={"text": "I need a person"},
                headers=conv.headers,
            )
            first, _ = recv_until(ws, lambda f: f["type"] == "message")
            assert first["conversation_id"] == conv.id
            assert first["message"]["text"] == "I need a person"
            waiting, _ = recv_until(
                ws, lambda f: f["type"] == "conversation" and f["conversation"]["status"] == "waiting"
            )
            assert waiting["conversation"]["handoff"]["reasons"] == ["customer_request"]


def test_staff_socket_needs_a_login_and_refuses_foreign_pages(server):
    with connect(f"{server.ws_url}/ws/staff") as ws:
        send(ws, type="hello")
        assert recv(ws)["error"]["code"] == "unauthenticated"
        assert closed_with(ws) == 4401
    with server.client() as client:
        agent = make_staff(server.settings)
        assert login(client, agent).status_code == 303
        cookie = client.cookies.get("samenspel_session")
    # The same cookie works from this site's own pages, and not from another site's.
    for origin, expected in ((server.base_url, "ready"), ("https://evil.example", "error")):
        headers = {"Cookie": f"samenspel_session={cookie}", "Origin": origin}
        with connect(f"{server.ws_url}/ws/staff", additional_headers=headers) as ws:
            send(ws, type="hello")
            assert recv(ws)["type"] == expected
