"""The customer side of the API, over real HTTP, on SQLite and on PostgreSQL + Redis."""

from __future__ import annotations

from tests.factories import make_staff, start_conversation


def post(client, conv, text, **extra):
    return client.post(f"/api/v1/conversations/{conv.id}/messages", json={"text": text, **extra}, headers=conv.headers)


def test_start_conversation_returns_id_token_and_status(server):
    with server.client() as client:
        r = client.post("/api/v1/conversations", json={"channel": "api", "customer": {"name": "Joke Visser"}})
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "assistant"
    assert len(body["id"]) == 32
    assert len(body["token"]) >= 40


def test_without_knowledge_the_assistant_hands_over_kindly_in_dutch(server):
    with server.client() as client:
        conv = start_conversation(client, name="Joke Visser")
        r = post(client, conv, "Hoe kan ik mijn paspoort verlengen?")
        assert r.status_code == 201
        body = r.json()
        decision = body["decision"]
        assert decision["language"] == "nl"
        assert decision["mode"] == "handoff"
        assert decision["handoff"]["needed"] is True
        assert decision["handoff"]["reasons"] == ["low_confidence"]
        assert decision["handoff"]["explanation"]
        assert decision["sources"] == []
        assert "signals" in decision
        assert body["message"]["author"] == "customer"
        assert body["message"]["text"] == "Hoe kan ik mijn paspoort verlengen?"
        assistant = body["replies"][0]
        assert assistant["author"] == "assistant"
        assert assistant["text"] == decision["reply"]
        assert "Joke" in assistant["text"]  # addressed by name
        assert "medewerker" in assistant["text"]
        state = client.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()
    assert state["status"] == "waiting"
    assert state["handoff"] == {"needed": True, "reasons": ["low_confidence"]}
    assert [m["author"] for m in state["messages"]] == ["customer", "assistant", "system"]


def test_english_question_gets_an_english_reply(server):
    with server.client() as client:
        conv = start_conversation(client)
        decision = post(client, conv, "How do I register my new address after moving?").json()["decision"]
    assert decision["language"] == "en"
    assert decision["mode"] == "handoff"
    assert "colleague" in decision["reply"]


def test_customer_can_always_ask_for_a_person(server):
    with server.client() as client:
        conv = start_conversation(client)
        decision = post(client, conv, "Mag ik een medewerker spreken alstublieft?").json()["decision"]
        assert decision["handoff"]["reasons"] == ["customer_request"]
        assert decision["signals"]["asks_for_person"] is True
        # The widget's button: the words of the button with request_person set.
        other = start_conversation(client)
        flagged = post(client, other, "Talk to a person", request_person=True).json()["decision"]
    assert flagged["handoff"]["reasons"] == ["customer_request"]


def test_after_handoff_the_assistant_stays_quiet(server):
    with server.client() as client:
        conv = start_conversation(client)
        post(client, conv, "ik wil een mens spreken")
        r = post(client, conv, "ben er nog hoor")
    assert r.status_code == 201
    assert r.json()["replies"] == []
    assert r.json()["decision"] is None


def test_messages_are_ordered_and_can_be_fetched_after_a_sequence_number(server):
    with server.client() as client:
        conv = start_conversation(client)
        post(client, conv, "eerste vraag")
        post(client, conv, "tweede bericht")
        full = client.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()["messages"]
        seqs = [m["seq"] for m in full]
        assert seqs == sorted(seqs) == list(range(1, len(full) + 1))
        newer = client.get(f"/api/v1/conversations/{conv.id}?after_seq=3", headers=conv.headers).json()
    assert [m["seq"] for m in newer["messages"]] == seqs[3:]


def test_a_resent_message_is_stored_once(server):
    with server.client() as client:
        conv = start_conversation(client)
        first = post(client, conv, "mijn container is niet geleegd", client_id="c-1")
        again = post(client, conv, "mijn container is niet geleegd", client_id="c-1")
        assert first.status_code == 201
        assert again.status_code == 200
        assert again.json()["message"]["id"] == first.json()["message"]["id"]
        assert again.json()["decision"] == first.json()["decision"]
        messages = client.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()["messages"]
    assert sum(1 for m in messages if m["author"] == "customer") == 1


def test_customer_sees_the_agent_reply_with_the_agents_name(server):
    with server.client() as client:
        conv = start_conversation(client)
        post(client, conv, "ik heb een vraag over mijn aanslag")
        agent = make_staff(server.settings, client, name="Anna de Vries")
        client.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=agent.headers).raise_for_status()
        r = client.post(
            f"/api/v1/staff/conversations/{conv.id}/messages",
            json={"text": "Goedemiddag, ik kijk even met u mee."},
            headers=agent.headers,
        )
        assert r.status_code == 201
        state = client.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()
    assert state["status"] == "assigned"
    assert state["agent"]["name"] == "Anna de Vries"
    last = state["messages"][-1]
    assert (last["author"], last["author_name"], last["text"]) == (
        "agent",
        "Anna de Vries",
        "Goedemiddag, ik kijk even met u mee.",
    )


def test_customer_profile_is_kept_by_external_id(server):
    with server.client() as client:
        client.post(
            "/api/v1/conversations",
            json={"customer": {"external_id": "klant-42", "name": "Bakkerij", "segment": "business"}},
        )
        second = client.post("/api/v1/conversations", json={"customer": {"external_id": "klant-42"}}).json()
        agent = make_staff(server.settings, client)
        detail = client.get(f"/api/v1/staff/conversations/{second['id']}", headers=agent.headers).json()
    assert detail["customer"]["name"] == "Bakkerij"
    assert detail["customer"]["segment"] == "business"
