"""Routing through the staff API and the customer's handoff: states, automatic assignment, the queue,
supervisors' overrides and queues. Runs on SQLite and on PostgreSQL + Redis."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_staff, start_conversation
from tests.web.workspace.helpers import ASK_FOR_PERSON, customer_says

ASK_IN_ENGLISH = "I would like to speak to a person please."


@contextlib.contextmanager
def service_settings(server, **changes):
    """Runs the block with some of the server's settings changed (opening hours, for instance)."""
    services = server.app.state.services
    before = services.settings
    services.settings = before.model_copy(update=changes)
    try:
        yield
    finally:
        services.settings = before


@pytest.fixture
def always_open(server):
    with service_settings(server, opening_hours="mo-su 00:00-24:00"):
        yield server


def set_state(client, account, state, **extra):
    response = client.put("/api/v1/staff/routing/state", json={"state": state, **extra}, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def conversation(client, conv):
    response = client.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers)
    assert response.status_code == 200, response.text
    return response.json()


def waiting_ids(client, account):
    response = client.get("/api/v1/staff/routing/tickets", headers=account.headers)
    assert response.status_code == 200, response.text
    return [t["conversation_id"] for t in response.json()["items"]]


def handed_over(client, name, text=ASK_FOR_PERSON, **customer):
    conv = start_conversation(client, name=name, **customer)
    body = customer_says(client, conv, text)
    assert body["decision"]["mode"] == "handoff", body
    return conv, body


# --- my state ----------------------------------------------------------------------------------------------


def test_an_agent_sets_their_own_state(server):
    with server.client() as client:
        agent = make_staff(server.settings, client)
        state = client.get("/api/v1/staff/routing/state", headers=agent.headers).json()
        assert state["state"] == "offline"
        assert state["open_chats"] == 0
        assert state["max_chats"] == server.settings.max_chats_per_agent
        state = set_state(client, agent, "available", max_chats=2)
        assert (state["state"], state["chosen_state"], state["max_chats"]) == ("available", "available", 2)
        assert set_state(client, agent, "break")["state"] == "break"
        assert client.get("/api/v1/staff/routing/state", headers=agent.headers).json()["state"] == "break"

        wrong = client.put("/api/v1/staff/routing/state", json={"state": "sleeping"}, headers=agent.headers)
        assert wrong.status_code == 422
        assert wrong.json()["error"]["code"] == "invalid_input"
        assert "state" in wrong.json()["error"]["message"]
        # "in conversation" follows from open chats; nobody sets it.
        wrong = client.put("/api/v1/staff/routing/state", json={"state": "in_conversation"}, headers=agent.headers)
        assert wrong.status_code == 422
        anonymous = client.get("/api/v1/staff/routing/state")
        assert anonymous.status_code == 401
        assert anonymous.json()["error"]["code"] == "unauthenticated"


# --- automatic assignment ------------------------------------------------------------------------------------


def test_a_handoff_goes_straight_to_an_available_agent(always_open):
    server = always_open
    with server.client() as client:
        agent = make_staff(server.settings, client, name="Noor Jansen", languages=["nl"])
        set_state(client, agent, "available")
        conv, body = handed_over(client, "Marieke Visser")
        # The customer is told someone is there; the conversation is the agent's at once.
        state = conversation(client, conv)
        assert state["status"] == "assigned"
        assert state["agent"]["name"] == "Noor Jansen"
        assert any(m["author"] == "system" and "Noor Jansen" in m["text"] for m in state["messages"])
        assert waiting_ids(client, agent) == []
        mine = client.get("/api/v1/staff/routing/state", headers=agent.headers).json()
        assert (mine["state"], mine["open_chats"]) == ("in_conversation", 1)
        # The staff view shows who routed it and why.
        detail = client.get(f"/api/v1/staff/conversations/{conv.id}", headers=agent.headers).json()
        assert detail["assigned_staff"]["id"] == agent.id
        assert [t["reason"] for t in detail["transitions"]][-1] == "take_over"
        assert body["decision"]["handoff"]["reasons"][0] == "customer_request"


def test_agents_who_are_not_available_are_not_given_anything_but_can_still_take_over(server):
    with server.client() as client:
        offline = make_staff(server.settings, client)
        on_break = make_staff(server.settings, client)
        set_state(client, on_break, "break")
        conv, _ = handed_over(client, "Petra")
        assert conversation(client, conv)["status"] == "waiting"
        assert waiting_ids(client, offline) == [conv.id]
        taken = client.post(f"/api/v1/staff/conversations/{conv.id}/assign", json={}, headers=offline.headers)
        assert taken.status_code == 200, taken.text
        assert taken.json()["status"] == "assigned"
        assert waiting_ids(client, offline) == []
        # A colleague who then becomes available does not get it: it is taken.
        set_state(client, on_break, "available")
        assert conversation(client, conv)["agent"]["id"] == offline.id


def test_the_queue_serves_vip_first_when_someone_comes_free(server):
    with server.client() as client:
        supervisor = make_staff(server.settings, client, role="supervisor")
        agent = make_staff(server.settings, client, languages=["nl"])
        first, _ = handed_over(client, "Standaard Klant", segment="standard")
        vip, _ = handed_over(client, "Belangrijke Klant", segment="vip")
        tickets = client.get("/api/v1/staff/routing/tickets", headers=agent.headers).json()["items"]
        assert [t["conversation_id"] for t in tickets] == [vip.id, first.id]
        assert [(t["segment"], t["priority"]) for t in tickets] == [("vip", 2), ("standard", 0)]
        assert tickets[0]["customer_name"] == "Belangrijke Klant"
        assert "customer_request" in tickets[0]["reasons"]
        set_state(client, agent, "available", max_chats=1)
        assert conversation(client, vip)["status"] == "assigned"
        assert conversation(client, first)["status"] == "waiting"
        # Closing the first chat frees the slot: the next in line comes to the same agent.
        closed = client.post(f"/api/v1/staff/conversations/{vip.id}/close", json={}, headers=agent.headers)
        assert closed.status_code == 200, closed.text
        assert conversation(client, first)["agent"]["id"] == agent.id
        assert waiting_ids(client, supervisor) == []


def test_a_customer_goes_to_an_agent_who_speaks_their_language(always_open):
    server = always_open
    with server.client() as client:
        dutch = make_staff(server.settings, client, languages=["nl"])
        set_state(client, dutch, "available")
        conv, body = handed_over(client, "Emily Clarke", text=ASK_IN_ENGLISH)
        assert body["decision"]["language"] == "en"
        assert conversation(client, conv)["status"] == "waiting"
        english = make_staff(server.settings, client, languages=["nl", "en"], name="Sam Baker")
        set_state(client, english, "available")
        assert conversation(client, conv)["agent"]["name"] == "Sam Baker"


def test_max_chats_is_respected_and_a_released_chat_goes_to_someone_else(server):
    with server.client() as client:
        first = make_staff(server.settings, client, name="Eerste Agent")
        set_state(client, first, "available", max_chats=1)
        one, _ = handed_over(client, "Een")
        two, _ = handed_over(client, "Twee")
        assert conversation(client, one)["agent"]["id"] == first.id
        assert conversation(client, two)["status"] == "waiting"
        # Giving it back: it is not offered to the same agent again...
        released = client.post(f"/api/v1/staff/conversations/{one.id}/release", headers=first.headers)
        assert released.status_code == 200, released.text
        assert conversation(client, two)["agent"]["id"] == first.id  # the free slot took the next in line
        assert conversation(client, one)["status"] == "waiting"
        ticket = next(
            t
            for t in client.get("/api/v1/staff/routing/tickets", headers=first.headers).json()["items"]
            if t["conversation_id"] == one.id
        )
        assert ticket["excluded_staff"] == [first.id]
        # ...but to a colleague who comes free.
        second = make_staff(server.settings, client, name="Tweede Agent")
        set_state(client, second, "available")
        assert conversation(client, one)["agent"]["id"] == second.id


def test_what_the_customer_adds_while_waiting_keeps_their_place(server):
    with server.client() as client:
        agent = make_staff(server.settings, client)
        conv, _ = handed_over(client, "Wachtende")
        before = client.get("/api/v1/staff/routing/tickets", headers=agent.headers).json()["items"]
        customer_says(client, conv, "Ik wacht nog steeds, dit is echt belachelijk!!")
        after = client.get("/api/v1/staff/routing/tickets", headers=agent.headers).json()["items"]
        assert [t["id"] for t in after] == [t["id"] for t in before]
        assert after[0]["waiting_since"] == before[0]["waiting_since"]
        assert after[0]["heaviness"] >= before[0]["heaviness"]


# --- what the customer is told ----------------------------------------------------------------------------------


def test_outside_opening_hours_the_customer_hears_when_someone_will_answer(server):
    tz = ZoneInfo(server.settings.timezone)
    in_two_days = (datetime.now(tz) + timedelta(days=2)).strftime("%a").lower()[:2]
    with service_settings(server, opening_hours=f"{in_two_days} 09:00-10:00"), server.client() as client:
        _, body = handed_over(client, "Laat Op De Avond")
        reply = body["decision"]["reply"]
        assert "gesloten" in reply, reply
        assert "09:00" in reply, reply
        _, body = handed_over(client, "Evening Customer", text=ASK_IN_ENGLISH)
        assert "closed" in body["decision"]["reply"], body["decision"]["reply"]


def test_outside_opening_hours_an_agent_at_work_still_gives_a_wait_instead_of_closed(server):
    tz = ZoneInfo(server.settings.timezone)
    in_two_days = (datetime.now(tz) + timedelta(days=2)).strftime("%a").lower()[:2]
    with service_settings(server, opening_hours=f"{in_two_days} 09:00-10:00"), server.client() as client:
        agent = make_staff(server.settings, client)
        set_state(client, agent, "available", max_chats=1)
        handed_over(client, "Avonddienst Een")  # the agent at work takes it
        _, body = handed_over(client, "Avonddienst Twee")
        reply = body["decision"]["reply"]
        assert "gesloten" not in reply, reply
        assert "minuten" in reply, reply


def test_while_open_the_customer_hears_roughly_how_long_it_takes(always_open):
    server = always_open
    with server.client() as client:
        agent = make_staff(server.settings, client)
        set_state(client, agent, "available", max_chats=1)
        handed_over(client, "Eerste")  # takes the only slot
        _, body = handed_over(client, "Tweede")
        reply = body["decision"]["reply"]
        assert "minuten" in reply, reply
        assert "gesloten" not in reply


def test_an_earlier_contact_of_the_same_customer_reaches_the_assistant(server):
    with server.client() as client:
        first = start_conversation(client, name="Herhaal", external_id="klant-42")
        customer_says(client, first, "Hoe vraag ik een parkeervergunning aan?")
        again = start_conversation(client, name="Herhaal", external_id="klant-42")
        body = customer_says(client, again, "Ik heb al eerder gevraagd naar mijn parkeervergunning.")
        earlier = body["decision"]["signals"]["repeat_contact"]["earlier"]
        assert [e["conversation_id"] for e in earlier] == [first.id]
        assert {"conversation_id", "groups", "at"} <= set(earlier[0])
        other = start_conversation(client, name="Iemand Anders", external_id="klant-43")
        body = customer_says(client, other, "Hoe vraag ik een parkeervergunning aan?")
        assert not body["decision"]["signals"].get("repeat_contact")


# --- supervisors -------------------------------------------------------------------------------------------------


def test_a_supervisor_sees_the_team_with_load_and_improvement_time(server):
    with server.client() as client:
        supervisor = make_staff(server.settings, client, role="supervisor")
        agent = make_staff(server.settings, client, name="Aan Het Werk")
        idle = make_staff(server.settings, client, name="Nog Offline")
        set_state(client, agent, "available")
        conv, _ = handed_over(client, "Klant")
        assert conversation(client, conv)["agent"]["id"] == agent.id
        response = client.get("/api/v1/staff/routing/agents", headers=supervisor.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        by_id = {a["staff_id"]: a for a in body["items"]}
        working = by_id[agent.id]
        assert (working["state"], working["open_chats"], working["contacts_today"]) == ("in_conversation", 1, 1)
        assert working["load"] > 0
        assert working["improvement_target"] == server.settings.improvement_share
        assert working["contact_minutes_today"] >= 0
        assert by_id[idle.id]["state"] == "offline"
        assert body["items"][0]["staff_id"] == agent.id  # those at work first
        assert body["waiting"] == 0

        forbidden = client.get("/api/v1/staff/routing/agents", headers=agent.headers)
        assert forbidden.status_code == 403
        assert forbidden.json()["error"]["code"] == "forbidden"


def test_a_supervisor_overrides_an_assignment(server):
    with server.client() as client:
        supervisor = make_staff(server.settings, client, role="supervisor", name="Sanne de Leider")
        agent = make_staff(server.settings, client, name="Gekozen Agent")
        colleague = make_staff(server.settings, client, name="Andere Agent")
        conv, _ = handed_over(client, "Klant Met Spoed")
        ticket_id = client.get("/api/v1/staff/routing/tickets", headers=supervisor.headers).json()["items"][0]["id"]

        refused = client.post(
            "/api/v1/staff/routing/override", json={"ticket_id": ticket_id, "staff_id": agent.id}, headers=agent.headers
        )
        assert refused.status_code == 403

        # The agent is offline: an override does not care.
        response = client.post(
            "/api/v1/staff/routing/override",
            json={"ticket_id": ticket_id, "staff_id": agent.id},
            headers=supervisor.headers,
        )
        assert response.status_code == 200, response.text
        assignment = response.json()
        assert (assignment["staff_id"], assignment["assigned_by"]) == (agent.id, "override")
        assert assignment["explanation"]["by"] == supervisor.id
        assert conversation(client, conv)["agent"]["name"] == "Gekozen Agent"

        # An assigned conversation can be moved to someone else too.
        response = client.post(
            "/api/v1/staff/routing/override",
            json={"conversation_id": conv.id, "staff_id": colleague.id},
            headers=supervisor.headers,
        )
        assert response.status_code == 200, response.text
        assert conversation(client, conv)["agent"]["name"] == "Andere Agent"
        overview = {
            a["staff_id"]: a
            for a in client.get("/api/v1/staff/routing/agents", headers=supervisor.headers).json()["items"]
        }
        assert overview[colleague.id]["contacts_today"] == 1
        assert overview[agent.id]["open_chats"] == 0

        same = client.post(
            "/api/v1/staff/routing/override",
            json={"conversation_id": conv.id, "staff_id": colleague.id},
            headers=supervisor.headers,
        )
        assert same.status_code == 409
        assert same.json()["error"]["code"] == "conflict"


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"staff_id": "x"}, 422, "either conversation_id or ticket_id"),
        ({"conversation_id": "0" * 32, "ticket_id": "1" * 32, "staff_id": "x"}, 422, "not both"),
        ({"ticket_id": "f" * 32, "staff_id": "x"}, 404, "no routing ticket"),
        ({"conversation_id": "f" * 32, "staff_id": "x"}, 404, "no conversation"),
        ({"conversation_id": "f" * 32}, 422, "staff_id"),
    ],
)
def test_a_wrong_override_says_what_is_wrong(server, body, status, words):
    with server.client() as client:
        supervisor = make_staff(server.settings, client, role="supervisor")
        response = client.post("/api/v1/staff/routing/override", json=body, headers=supervisor.headers)
        assert response.status_code == status, response.text
        assert words in response.json()["error"]["message"]


def test_an_override_to_someone_unknown_or_of_a_closed_conversation_is_refused(server):
    with server.client() as client:
        supervisor = make_staff(server.settings, client, role="supervisor")
        agent = make_staff(server.settings, client)
        conv, _ = handed_over(client, "Klant")
        unknown = client.post(
            "/api/v1/staff/routing/override",
            json={"conversation_id": conv.id, "staff_id": "0" * 32},
            headers=supervisor.headers,
        )
        assert unknown.status_code == 422
        assert "no active staff member" in unknown.json()["error"]["message"]
        client.post(f"/api/v1/staff/conversations/{conv.id}/close", json={}, headers=supervisor.headers)
        closed = client.post(
            "/api/v1/staff/routing/override",
            json={"conversation_id": conv.id, "staff_id": agent.id},
            headers=supervisor.headers,
        )
        assert closed.status_code == 409


def test_queues_send_matching_handoffs_to_agents_with_the_skill(always_open):
    server = always_open
    with server.client() as client:
        supervisor = make_staff(server.settings, client, role="supervisor")
        generalist = make_staff(server.settings, client, name="Algemeen")
        specialist = make_staff(server.settings, client, name="Specialist", skills=["klantcontact"])
        response = client.put(
            "/api/v1/staff/routing/queues/persoonlijk",
            json={"team": "Klantcontact", "skills": ["klantcontact"], "reasons": ["customer_request"], "position": 1},
            headers=supervisor.headers,
        )
        assert response.status_code == 200, response.text
        assert response.json()["queue"]["name"] == "persoonlijk"
        queues = client.get("/api/v1/staff/routing/queues", headers=supervisor.headers).json()["items"]
        assert [(q["name"], q["skills"]) for q in queues] == [("persoonlijk", ["klantcontact"])]

        set_state(client, generalist, "available")
        set_state(client, specialist, "available")
        conv, _ = handed_over(client, "Klant Voor Het Team")
        assert conversation(client, conv)["agent"]["name"] == "Specialist"

        for bad, words in (
            ({"skills": ["Met Spaties"]}, "skills"),
            ({"reasons": ["hungry"]}, "reasons"),
            ({"languages": ["dutch"]}, "ISO 639-1"),
            ({"colour": "blue"}, "colour"),
        ):
            wrong = client.put("/api/v1/staff/routing/queues/team", json=bad, headers=supervisor.headers)
            assert wrong.status_code == 422, (bad, wrong.text)
            assert words in wrong.json()["error"]["message"]
        bad_name = client.put("/api/v1/staff/routing/queues/Mijn%20Rij", json={}, headers=supervisor.headers)
        assert bad_name.status_code == 422
        assert client.put("/api/v1/staff/routing/queues/x", json={}, headers=generalist.headers).status_code == 403
        assert client.get("/api/v1/staff/routing/queues", headers=generalist.headers).status_code == 403

        # Without the queue, the next such handoff wants no skill: the colleague with fewer chats takes it.
        refused = client.delete("/api/v1/staff/routing/queues/persoonlijk", headers=generalist.headers)
        assert refused.status_code == 403
        deleted = client.delete("/api/v1/staff/routing/queues/persoonlijk", headers=supervisor.headers)
        assert deleted.status_code == 204
        assert client.get("/api/v1/staff/routing/queues", headers=supervisor.headers).json()["items"] == []
        gone = client.delete("/api/v1/staff/routing/queues/persoonlijk", headers=supervisor.headers)
        assert gone.status_code == 404
        assert gone.json()["error"]["message"] == "no queue named 'persoonlijk'"
        conv, _ = handed_over(client, "Klant Zonder Rij")
        assert conversation(client, conv)["agent"]["name"] == "Algemeen"


def test_the_routing_api_is_in_the_openapi_document(server):
    with server.client() as client:
        paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/staff/routing/state", "/api/v1/staff/routing/agents", "/api/v1/staff/routing/override"} <= set(
        paths
    )
