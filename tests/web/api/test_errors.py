"""Bad input gets CONTRACT.md §3's JSON error with a fitting 4xx, a clear message, and nothing stored half."""

from __future__ import annotations

import pytest

from tests.factories import make_staff, start_conversation


def assert_error(response, status, code=None, mentions=()):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    for word in mentions:
        assert word in body["error"]["message"]
    assert "Traceback" not in response.text


def messages_of(client, conv):
    return client.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()["messages"]


def test_bad_json_is_a_400_naming_the_problem(server):
    with server.client() as client:
        conv = start_conversation(client)
        r = client.post(
            f"/api/v1/conversations/{conv.id}/messages",
            content=b'{"text": "hallo"',
            headers={**conv.headers, "content-type": "application/json"},
        )
        assert_error(r, 400, "bad_request", ["JSON"])
        assert messages_of(client, conv) == []


def test_missing_and_wrongly_typed_fields_name_the_field(server):
    with server.client() as client:
        r = client.post("/api/v1/conversations", json={"customer": {"segment": "gold"}})
        assert_error(r, 422, "invalid_input", ["customer.segment"])
        conv = start_conversation(client)
        r = client.post(f"/api/v1/conversations/{conv.id}/messages", json={}, headers=conv.headers)
        assert_error(r, 422, "invalid_input", ["text"])
        r = client.post(f"/api/v1/conversations/{conv.id}/messages", json={"text": 42}, headers=conv.headers)
        assert_error(r, 422, "invalid_input", ["text"])
        r = client.post("/api/v1/conversations", json={"channel": "fax"})
        assert_error(r, 422, "invalid_input", ["channel"])


def test_unknown_conversation_is_404(server):
    with server.client() as client:
        conv = start_conversation(client)
        unknown = "0" * 32
        r = client.post(f"/api/v1/conversations/{unknown}/messages", json={"text": "hoi"}, headers=conv.headers)
        assert_error(r, 404, "not_found", [unknown])
        assert_error(client.get("/api/v1/conversations/not-an-id", headers=conv.headers), 404, "not_found")
        assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")


def test_missing_wrong_and_foreign_tokens_are_refused(server):
    with server.client() as client:
        conv = start_conversation(client)
        other = start_conversation(client)
        url = f"/api/v1/conversations/{conv.id}/messages"
        assert_error(client.post(url, json={"text": "hoi"}), 401, "unauthenticated", ["token"])
        assert_error(
            client.post(url, json={"text": "hoi"}, headers={"Authorization": "Bearer wrong"}),
            401,
            "unauthenticated",
        )
        assert_error(
            client.post(url, json={"text": "hoi"}, headers={"Authorization": "Basic abc"}),
            401,
            "unauthenticated",
        )
        assert_error(client.post(url, json={"text": "hoi"}, headers=other.headers), 403, "forbidden", ["another"])
        assert_error(client.get(f"/api/v1/conversations/{conv.id}", headers=other.headers), 403, "forbidden")
        assert messages_of(client, conv) == []


def test_too_long_and_empty_messages_are_refused_and_nothing_is_stored(server):
    with server.client() as client:
        conv = start_conversation(client)
        url = f"/api/v1/conversations/{conv.id}/messages"
        assert_error(client.post(url, json={"text": "a" * 4001}, headers=conv.headers), 413, "too_large", ["4,000"])
        assert_error(client.post(url, json={"text": "   \n "}, headers=conv.headers), 422, "invalid_input", ["empty"])
        assert_error(client.post(url, json={"text": ""}, headers=conv.headers), 422, "invalid_input", ["empty"])
        # A body far over any limit is refused before it is read.
        assert_error(client.post(url, json={"text": "a" * 200_000}, headers=conv.headers), 413, "too_large")
        assert messages_of(client, conv) == []
        ok = client.post(url, json={"text": "a" * 4000}, headers=conv.headers)
    assert ok.status_code == 201


def test_agent_messages_have_the_same_limits(server):
    with server.client() as client:
        conv = start_conversation(client)
        agent = make_staff(server.settings, client)
        url = f"/api/v1/staff/conversations/{conv.id}/messages"
        assert_error(client.post(url, json={"text": "b" * 4001}, headers=agent.headers), 413, "too_large")
        assert_error(client.post(url, json={"text": ""}, headers=agent.headers), 422, "invalid_input")
        detail = client.get(f"/api/v1/staff/conversations/{conv.id}", headers=agent.headers).json()
    # Refused input did not half-happen: no take-over, no message.
    assert detail["status"] == "assistant"
    assert detail["messages"] == []


def test_closed_conversation_refuses_new_messages(server):
    with server.client() as client:
        conv = start_conversation(client)
        agent = make_staff(server.settings, client)
        client.post(f"/api/v1/staff/conversations/{conv.id}/close", headers=agent.headers).raise_for_status()
        r = client.post(f"/api/v1/conversations/{conv.id}/messages", json={"text": "hallo?"}, headers=conv.headers)
        assert_error(r, 409, "invalid_transition", ["closed"])
        r = client.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=agent.headers)
        assert_error(r, 409, "invalid_transition")


@pytest.mark.parametrize("path", ["/api/v1/staff/conversations", "/api/v1/staff/me"])
def test_staff_endpoints_need_a_login(server, path):
    with server.client() as client:
        assert_error(client.get(path), 401, "unauthenticated")
        assert_error(client.get(path, headers={"Authorization": "Bearer nonsense"}), 401, "unauthenticated")


def test_wrong_password_is_401_without_saying_which_part_was_wrong(server):
    with server.client() as client:
        agent = make_staff(server.settings)
        wrong = client.post("/api/v1/auth/token", json={"email": agent.email, "password": "nope"})
        unknown = client.post("/api/v1/auth/token", json={"email": "nobody@example.org", "password": "nope"})
    assert_error(wrong, 401, "unauthenticated")
    assert_error(unknown, 401, "unauthenticated")
    assert wrong.json()["error"]["message"] == unknown.json()["error"]["message"]
