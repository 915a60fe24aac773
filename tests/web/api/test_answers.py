"""With a knowledge base: answers with their source, quick replies, feedback, and the public article page."""

from __future__ import annotations

import json

from websockets.sync.client import connect

from tests.factories import DEMO_KNOWLEDGE, import_knowledge, start_conversation


def ask(client, conv, text):
    r = client.post(f"/api/v1/conversations/{conv.id}/messages", json={"text": text}, headers=conv.headers)
    assert r.status_code == 201, r.text
    return r.json()


def test_the_assistant_answers_from_the_knowledge_base_with_its_source(server):
    import_knowledge(server, DEMO_KNOWLEDGE)
    with server.client() as client:
        conv = start_conversation(client, name="Fatima Yilmaz")
        body = ask(client, conv, "hoe lang is mijn rijbewijs geldig en wat kost verlengen")
        state = client.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()
    decision = body["decision"]
    assert decision["mode"] == "answer"
    assert decision["handoff"] == {
        "needed": False,
        "reasons": [],
        "explanation": decision["handoff"]["explanation"],
        "explanations": decision["handoff"]["explanations"],
    }
    assert decision["sources"][0]["group"] == "rijbewijs"
    (reply,) = body["replies"]
    assert reply["author"] == "assistant"
    assert reply["sources"] == [
        {"id": "rijbewijs", "title": decision["sources"][0]["title"], "url": f"{server.base_url}/kb/rijbewijs"}
    ]
    assert "Fatima" in reply["text"]
    assert f"({server.base_url}/kb/rijbewijs)" in reply["text"]
    assert [q["id"] for q in reply["quick_replies"]] == ["helped", "person"]
    assert state["status"] == "assistant"  # answered: nobody needs to take over


def test_this_helped_is_stored_and_answered_warmly(server):
    import_knowledge(server, DEMO_KNOWLEDGE)
    with server.client() as client:
        conv = start_conversation(client)
        answer = ask(client, conv, "openingstijden milieustraat")["replies"][0]
        r = client.post(
            f"/api/v1/conversations/{conv.id}/feedback",
            json={"message_id": answer["id"], "helpful": True},
            headers=conv.headers,
        )
        assert r.status_code == 201
        (closing,) = r.json()["replies"]
        assert closing["author"] == "assistant"
        assert "Fijn dat ik u kon helpen" in closing["text"]
        again = client.post(
            f"/api/v1/conversations/{conv.id}/feedback",
            json={"message_id": answer["id"], "helpful": True},
            headers=conv.headers,
        )
        assert again.json()["replies"] == []  # said once, thanked once
        other = start_conversation(client)
        foreign = client.post(
            f"/api/v1/conversations/{other.id}/feedback",
            json={"message_id": answer["id"], "helpful": True},
            headers=other.headers,
        )
        assert foreign.status_code == 404


def test_feedback_over_the_websocket(server):
    import_knowledge(server, DEMO_KNOWLEDGE)
    with server.client() as client:
        conv = start_conversation(client)
    with connect(f"{server.ws_url}/ws/chat") as ws:
        ws.send(json.dumps({"type": "hello", "conversation_id": conv.id, "token": conv.token}))
        assert json.loads(ws.recv(timeout=5))["type"] == "ready"
        ws.send(
            json.dumps({"type": "message", "text": "wat kost een parkeervergunning voor bewoners", "client_id": "q"})
        )
        answer = None
        while answer is None:
            frame = json.loads(ws.recv(timeout=5))
            if frame["type"] == "message" and frame["message"]["quick_replies"]:
                answer = frame["message"]
        ws.send(json.dumps({"type": "feedback", "message_id": answer["id"], "helpful": True}))
        frames = []
        while not any(f["type"] == "feedback_ack" for f in frames):
            frames.append(json.loads(ws.recv(timeout=5)))
        ws.send(json.dumps({"type": "feedback", "message_id": "0" * 32, "helpful": True}))
        error = json.loads(ws.recv(timeout=5))
    assert {"type": "feedback_ack", "message_id": answer["id"], "helpful": True} in frames
    assert any(f["type"] == "message" and "Fijn dat ik u kon helpen" in f["message"]["text"] for f in frames)
    assert (error["type"], error["error"]["code"], error["message_id"]) == ("error", "not_found", "0" * 32)


def test_two_equally_likely_articles_make_the_assistant_ask_which_is_meant(server):
    import_knowledge(server, DEMO_KNOWLEDGE)
    with server.client() as client:
        conv = start_conversation(client)
        body = ask(client, conv, "Hoeveel kost een paspoort voor volwassenen?")
    decision = body["decision"]
    if decision["mode"] != "clarify":  # ranking may settle it; then it must be a confident answer
        assert decision["mode"] == "answer"
        return
    reply = body["replies"][0]
    choices = [q for q in reply["quick_replies"] if q["id"] == "choice"]
    assert len(choices) == 2
    assert all(c["text"] in reply["text"] for c in choices)


def test_the_public_article_page_shows_published_articles_only_and_safely(server, tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\nid: veilig\ntitle: Veilig <b>artikel</b>\nlanguage: nl\n---\n"
        "Tekst met <script>alert(1)</script> en [een link](javascript:alert(2)).\n",
        encoding="utf-8",
    )
    (folder / "b.md").write_text("---\nid: concept\ntitle: Concept\nlanguage: nl\nstatus: draft\n---\nNog niet af.\n")
    import_knowledge(server, folder)
    with server.client() as client:
        page = client.get("/kb/veilig", headers={"accept": "text/html"})
        draft = client.get("/kb/concept", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text
    assert 'href="javascript:' not in page.text  # shown as text, never as a link
    assert "Veilig &lt;b&gt;artikel&lt;/b&gt;" in page.text
    assert draft.status_code == 404
