"""The warm handoff: the agent sees why, what the customer wants, what the assistant said, and the signals."""

from __future__ import annotations

from tests.factories import DEMO_KNOWLEDGE, import_knowledge, make_staff, start_conversation
from tests.web.workspace.helpers import customer_says, logged_in, staff_view


def test_the_agent_gets_a_warm_handoff(server):
    import_knowledge(server, DEMO_KNOWLEDGE)
    with server.client() as client:
        agent = make_staff(server.settings, client, name="Anna de Vries")
        conv = start_conversation(client, name="Joke Visser")
        customer_says(client, conv, "Hoe laat is de milieustraat open op zaterdag?")
        customer_says(client, conv, "Mag ik toch een medewerker spreken? Ik snap het niet helemaal.")
        brief = staff_view(client, agent, conv.id)["handoff_brief"]
        assert brief["reasons"][0] == "customer_request"
        assert brief["explanations"]["nl"].startswith("De klant vraagt zelf om een medewerker")
        assert brief["customer_wants"][-1] == "Mag ik toch een medewerker spreken? Ik snap het niet helemaal."
        assert any("milieustraat" in line.lower() for line in brief["assistant_said"])  # the earlier answer
        assert brief["signals"]["asks_for_person"] is True
        logged_in(client, agent)
        page = client.get(f"/workspace/conversations/{conv.id}", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "Overdracht van de assistent" in page.text or "Handoff from the assistant" in page.text
    assert "Ik snap het niet helemaal." in page.text


def test_the_brief_shows_the_trained_judgement_with_the_customers_words(server):
    import_knowledge(server, DEMO_KNOWLEDGE)
    with server.client() as client:
        agent = make_staff(server.settings, client, name="Anna de Vries")
        conv = start_conversation(client, name="Henk Mulder")
        customer_says(client, conv, "Mijn vrouw is afgelopen nacht overleden. Wat moet ik nu allemaal regelen?")
        brief = staff_view(client, agent, conv.id)["handoff_brief"]
        assert brief["reasons"][0] == "sensitive_topic"
        judged = brief["signals"]["judged"]
        assert judged[0]["reason"] == "sensitive_topic"
        assert judged[0]["chance"] >= 0.5
        assert any("overleden" in cue for cue in judged[0]["cues"])
        assert [j["chance"] for j in judged] == sorted((j["chance"] for j in judged), reverse=True)
        logged_in(client, agent)
        page = client.get(f"/workspace/conversations/{conv.id}", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "Inschatting van het model" in page.text or "The model's judgement" in page.text


def test_no_brief_while_the_assistant_answers(server):
    import_knowledge(server, DEMO_KNOWLEDGE)
    with server.client() as client:
        agent = make_staff(server.settings, client)
        conv = start_conversation(client)
        customer_says(client, conv, "wat kost een parkeervergunning voor bewoners")
        assert staff_view(client, agent, conv.id)["handoff_brief"] is None
