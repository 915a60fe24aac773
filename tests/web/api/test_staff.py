"""The staff side of the API: login, inbox, take-over, replies, closing, and roles."""

from __future__ import annotations

from tests.factories import make_staff, start_conversation


def customer_writes(client, conv, text):
    r = client.post(f"/api/v1/conversations/{conv.id}/messages", json={"text": text}, headers=conv.headers)
    assert r.status_code == 201, r.text
    return r.json()


def ids(response):
    return [item["id"] for item in response.json()["items"]]


def test_login_gives_a_token_and_the_staff_member(server):
    with server.client() as client:
        agent = make_staff(server.settings, name="Youssef El Amrani")
        r = client.post("/api/v1/auth/token", json={"email": agent.email.upper(), "password": agent.password})
        assert r.status_code == 200
        body = r.json()
        assert body["staff"]["name"] == "Youssef El Amrani"
        assert body["staff"]["role"] == "agent"
        assert "password_hash" not in body["staff"]
        me = client.get("/api/v1/staff/me", headers={"Authorization": f"Bearer {body['token']}"})
        assert me.json()["email"] == agent.email
        client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {body['token']}"})
        after = client.get("/api/v1/staff/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert after.status_code == 401


def test_inbox_lists_each_status_newest_first(server):
    with server.client() as client:
        agent = make_staff(server.settings, client)
        quiet = start_conversation(client)
        waiting_old = start_conversation(client)
        customer_writes(client, waiting_old, "ik wil een medewerker")
        waiting_new = start_conversation(client)
        customer_writes(client, waiting_new, "kan ik iemand bellen?")
        mine = start_conversation(client)
        client.post(f"/api/v1/staff/conversations/{mine.id}/assign", headers=agent.headers).raise_for_status()
        done = start_conversation(client)
        client.post(f"/api/v1/staff/conversations/{done.id}/close", headers=agent.headers).raise_for_status()

        def listing(status):
            return ids(client.get(f"/api/v1/staff/conversations?status={status}", headers=agent.headers))

        assert listing("waiting") == [waiting_new.id, waiting_old.id]
        assert listing("assistant") == [quiet.id]
        assert listing("assigned") == [mine.id]
        assert listing("closed") == [done.id]
        assert len(ids(client.get("/api/v1/staff/conversations", headers=agent.headers))) == 5


def test_detail_shows_messages_decisions_with_reasons_and_transitions(server):
    with server.client() as client:
        agent = make_staff(server.settings, client)
        conv = start_conversation(client, name="Mehmet Kaya", segment="vip")
        customer_writes(client, conv, "Ik wil graag een medewerker spreken over mijn aanslag.")
        detail = client.get(f"/api/v1/staff/conversations/{conv.id}", headers=agent.headers).json()
    assert detail["customer"]["name"] == "Mehmet Kaya"
    assert detail["customer"]["segment"] == "vip"
    assert detail["status"] == "waiting"
    (decision,) = detail["decisions"]
    assert decision["mode"] == "handoff"
    assert decision["handoff"]["reasons"][0] == "customer_request"  # the main reason; a VIP adds high_value
    assert decision["handoff"]["explanation"]
    assert decision["signals"]["language"] == "nl"
    assert decision["message_id"] == detail["messages"][0]["id"]
    assert [(t["from_status"], t["to_status"]) for t in detail["transitions"]] == [("assistant", "waiting")]
    assert "summary" in detail
    assert "suggestions" in detail


def test_agent_can_take_over_a_conversation_the_assistant_is_handling(server):
    with server.client() as client:
        agent = make_staff(server.settings, client, name="Marieke Jansen")
        conv = start_conversation(client)
        r = client.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=agent.headers)
        assert r.status_code == 200
        assert r.json()["status"] == "assigned"
        assert r.json()["assigned_staff"]["name"] == "Marieke Jansen"
        # While a person has the conversation, the assistant does not answer.
        assert customer_writes(client, conv, "hoe laat zijn jullie open")["replies"] == []
        state = client.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()
    assert any(m["author"] == "system" and "Marieke Jansen" in m["text"] for m in state["messages"])


def test_replying_takes_the_conversation(server):
    with server.client() as client:
        agent = make_staff(server.settings, client)
        conv = start_conversation(client)
        customer_writes(client, conv, "ik wil iemand spreken")
        r = client.post(
            f"/api/v1/staff/conversations/{conv.id}/messages",
            json={"text": "Ik help u."},
            headers=agent.headers,
        )
        assert r.status_code == 201
        assert r.json()["message"]["author"] == "agent"
        detail = client.get(f"/api/v1/staff/conversations/{conv.id}", headers=agent.headers).json()
    assert detail["status"] == "assigned"
    assert detail["assigned_staff"]["id"] == agent.id


def test_an_agent_cannot_reply_in_a_colleagues_conversation_but_can_take_it_over(server):
    with server.client() as client:
        anna = make_staff(server.settings, client)
        bram = make_staff(server.settings, client)
        conv = start_conversation(client)
        client.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=anna.headers).raise_for_status()
        r = client.post(
            f"/api/v1/staff/conversations/{conv.id}/messages",
            json={"text": "Ik neem het over"},
            headers=bram.headers,
        )
        assert r.status_code == 403
        assert "colleague" in r.json()["error"]["message"]
        assert client.post(f"/api/v1/staff/conversations/{conv.id}/close", headers=bram.headers).status_code == 403
        taken = client.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=bram.headers)
    assert taken.json()["assigned_staff"]["id"] == bram.id


def test_only_supervisors_assign_to_someone_else(server):
    with server.client() as client:
        agent = make_staff(server.settings, client)
        colleague = make_staff(server.settings, client, name="Sem Colleague")
        supervisor = make_staff(server.settings, client, role="supervisor")
        conv = start_conversation(client)
        url = f"/api/v1/staff/conversations/{conv.id}/assign"
        refused = client.post(url, json={"staff_id": colleague.id}, headers=agent.headers)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "forbidden"
        unknown = client.post(url, json={"staff_id": "f" * 32}, headers=supervisor.headers)
        assert unknown.status_code == 422
        ok = client.post(url, json={"staff_id": colleague.id}, headers=supervisor.headers)
    assert ok.status_code == 200
    assert ok.json()["assigned_staff"]["name"] == "Sem Colleague"


def test_release_puts_it_back_in_the_queue(server):
    with server.client() as client:
        agent = make_staff(server.settings, client)
        conv = start_conversation(client)
        client.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=agent.headers).raise_for_status()
        r = client.post(f"/api/v1/staff/conversations/{conv.id}/release", headers=agent.headers)
    assert r.json()["status"] == "waiting"
    assert r.json()["assigned_staff"] is None


def test_close_records_contact_reason_and_resolution(server):
    with server.client() as client:
        agent = make_staff(server.settings, client)
        conv = start_conversation(client)
        customer_writes(client, conv, "ik wil een medewerker")
        client.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=agent.headers).raise_for_status()
        r = client.post(
            f"/api/v1/staff/conversations/{conv.id}/close",
            json={"contact_reason": "aanslag gemeentelijke belastingen", "resolved": True},
            headers=agent.headers,
        )
        assert r.status_code == 200
        state = client.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()
    body = r.json()
    assert body["status"] == "closed"
    assert body["contact_reason"] == "aanslag gemeentelijke belastingen"
    assert body["resolved"] is True
    assert state["status"] == "closed"
    assert [t["to_status"] for t in body["transitions"]] == ["waiting", "assigned", "closed"]


def test_openapi_describes_the_contract(server):
    with server.client() as client:
        spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/v1/conversations",
        "/api/v1/conversations/{conversation_id}/messages",
        "/api/v1/conversations/{conversation_id}",
        "/api/v1/auth/token",
        "/api/v1/staff/conversations",
        "/api/v1/staff/conversations/{conversation_id}",
        "/api/v1/staff/conversations/{conversation_id}/assign",
        "/api/v1/staff/conversations/{conversation_id}/messages",
        "/api/v1/staff/conversations/{conversation_id}/close",
    ):
        assert path in paths
