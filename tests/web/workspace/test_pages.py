"""The inbox and the conversation page, driven like a browser without JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_staff, start_conversation
from tests.web.workspace.helpers import (
    customer_says,
    logged_in,
    page_csrf,
    staff_view,
    waiting_conversation,
)


def _rows(page_text: str) -> list[str]:
    """The conversation ids listed in an inbox page's table (the row template has none)."""
    return re.findall(r'<tr data-id="([0-9a-f]{32})"', page_text)


def test_inbox_tabs_list_the_right_conversations(server):
    with server.client() as api, server.client() as browser:
        agent = make_staff(server.settings, api, name="Sanne de Vries")
        colleague = make_staff(server.settings, api, name="Joris Bakker")
        waiting = waiting_conversation(api, "Wachtende Wim", segment="vip")
        with_assistant = start_conversation(api, name="Assistent Anna")
        mine = waiting_conversation(api, "Mijn Mila")
        theirs = waiting_conversation(api, "Collega Kees")
        closed = waiting_conversation(api, "Gesloten Gert")
        for conv, who in ((mine, agent), (theirs, colleague), (closed, agent)):
            r = api.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=who.headers)
            assert r.status_code == 200, r.text
        r = api.post(f"/api/v1/staff/conversations/{closed.id}/close", json={}, headers=agent.headers)
        assert r.status_code == 200, r.text

        logged_in(browser, agent)
        expected = {
            "/workspace": [waiting.id],
            "/workspace/inbox/waiting": [waiting.id],
            "/workspace/inbox/mine": [mine.id],
            "/workspace/inbox/assistant": [with_assistant.id],
            "/workspace/inbox/closed": [closed.id],
        }
        for path, ids in expected.items():
            page = browser.get(path)
            assert page.status_code == 200, (path, page.text)
            assert _rows(page.text) == ids, path

        waiting_page = browser.get("/workspace/inbox/waiting").text
        assert "Wachtende Wim" in waiting_page
        assert "badge-vip" in waiting_page
        assert "Vraagt om een medewerker" in waiting_page  # the reason, as a label
        rows = waiting_page.split('<tbody id="ws-rows">')[1].split("</tbody>")[0]
        assert "customer_request" not in re.sub(r'class="[^"]*"', "", rows)
        assert 'href="/workspace/inbox/waiting" aria-current="page"' in waiting_page
        mine_page = browser.get("/workspace/inbox/mine").text
        assert "Sanne de Vries" in mine_page  # the assigned agent's name in the row
        # "All assigned" is for supervisors: no tab, and no way in.
        assert "/workspace/inbox/assigned" not in waiting_page
        assert browser.get("/workspace/inbox/assigned").status_code == 403
        assert browser.get("/workspace/inbox/nonsense").status_code == 404


def test_supervisors_see_all_assigned_conversations(server):
    with server.client() as api, server.client() as browser:
        agent = make_staff(server.settings, api)
        supervisor = make_staff(server.settings, role="supervisor")
        conv = waiting_conversation(api, "Toegewezen Truus")
        api.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=agent.headers).raise_for_status()
        logged_in(browser, supervisor)
        page = browser.get("/workspace/inbox/assigned")
        assert page.status_code == 200
        assert _rows(page.text) == [conv.id]
        assert 'href="/workspace/inbox/assigned"' in browser.get("/workspace").text
        assert _rows(browser.get("/workspace/inbox/mine").text) == []


def test_customer_text_is_shown_escaped(server):
    evil = '<script>alert("x")</script><img src=x onerror="alert(1)">'
    with server.client() as api, server.client() as browser:
        agent = make_staff(server.settings, api)
        conv = waiting_conversation(api, '<b onmouseover="alert(2)">Bob</b>')
        api.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=agent.headers).raise_for_status()
        customer_says(api, conv, evil)
        logged_in(browser, agent)
        # The inbox row's preview and the transcript both hold the customer's words.
        for path in ("/workspace/inbox/mine", f"/workspace/conversations/{conv.id}"):
            page = browser.get(path).text
            assert "<script>alert" not in page, path
            assert "<img src=x" not in page, path
            assert "<b onmouseover" not in page, path
            assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page, path
            assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page, path
            assert "&lt;b onmouseover=&#34;alert(2)&#34;&gt;Bob&lt;/b&gt;" in page, path


def test_pages_obey_the_strict_content_security_policy(server):
    """No inline script or style: everything the page runs comes from /static/."""
    with server.client() as api, server.client() as browser:
        agent = make_staff(server.settings, api)
        conv = waiting_conversation(api, "Petra")
        logged_in(browser, agent)
        for path in ("/workspace/login", "/workspace", f"/workspace/conversations/{conv.id}"):
            page = browser.get(path)
            assert "script-src 'self'" in page.headers["content-security-policy"]
            assert not re.search(r"\sstyle=", page.text), path
            assert not re.search(r"\son[a-z]+=", page.text), path
            for tag in re.findall(r"<script\b[^>]*>", page.text):
                assert 'src="/static/' in tag or 'type="application/json"' in tag, (path, tag)
        for asset in ("/static/workspace.js", "/static/workspace.css"):
            assert browser.get(asset).status_code == 200


def test_the_conversation_page_shows_the_decision_and_the_transcript(server):
    with server.client() as api, server.client() as browser:
        agent = make_staff(server.settings, api)
        conv = start_conversation(api, name="Karin", segment="business", language="nl")
        customer_says(api, conv, "Goedemiddag, ik wil graag een medewerker spreken over mijn aanslag.")
        logged_in(browser, agent)
        page = browser.get(f"/workspace/conversations/{conv.id}").text
        assert 'role="log"' in page
        assert 'aria-live="polite"' in page
        assert "Goedemiddag, ik wil graag een medewerker spreken over mijn aanslag." in page
        assert "Karin" in page
        assert "badge-business" in page
        assert "Beslissingen van de assistent" in page
        assert "Doorgezet" in page  # mode: handoff
        assert "Vraagt om een medewerker" in page  # the reason's label
        # The assistant's explanation: the main reason, and the others (a business customer whose question
        # the knowledge base cannot answer: no knowledge base in this test) in brackets.
        assert "De klant vraagt zelf om een medewerker (ook: belangrijke klant of zaak)." in page
        assert re.search(r"zekerheid \d+%", page)  # language confidence
        assert "Vroeg om een medewerker</dt>\n      <dd>ja" in page
        assert "Melding" in page  # the system notice that it was handed over
        # The agent may act: take over, close; not release (not assigned) nor assign (not a supervisor).
        assert "/take-over" in page
        assert "/close" in page
        assert "/release" not in page
        assert "/assign" not in page
        assert 'id="contact-reasons"' in page


def test_take_over_reply_release_and_close_work_without_javascript(server):
    with server.client() as api, server.client() as browser:
        agent = make_staff(server.settings, api, name="Ahmed Yilmaz")
        conv = waiting_conversation(api, "Els")
        csrf = logged_in(browser, agent)
        base = f"/workspace/conversations/{conv.id}"

        r = browser.post(f"{base}/take-over", data={"csrf_token": csrf})
        assert r.status_code == 303
        assert r.headers["location"].startswith(base)
        assert staff_view(api, agent, conv.id)["assigned_staff"]["name"] == "Ahmed Yilmaz"
        page = browser.get(r.headers["location"]).text
        assert 'role="status"' in page
        assert "U heeft dit gesprek overgenomen." in page
        assert "/release" in page

        r = browser.post(f"{base}/reply", data={"csrf_token": csrf, "text": "Goedemiddag Els, ik help u verder."})
        assert r.status_code == 303
        customer_view = api.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()
        last = customer_view["messages"][-1]
        assert (last["author"], last["text"]) == ("agent", "Goedemiddag Els, ik help u verder.")
        assert last["author_name"] == "Ahmed Yilmaz"

        r = browser.post(f"{base}/reply", data={"csrf_token": csrf, "text": "   "})
        assert r.status_code == 422
        assert 'role="alert"' in r.text

        r = browser.post(f"{base}/release", data={"csrf_token": csrf})
        assert r.status_code == 303
        assert staff_view(api, agent, conv.id)["status"] == "waiting"

        browser.post(f"{base}/take-over", data={"csrf_token": csrf})
        r = browser.post(
            f"{base}/close",
            data={"csrf_token": csrf, "contact_reason": "Paspoort aanvragen", "resolved": "yes"},
        )
        assert r.status_code == 303
        detail = staff_view(api, agent, conv.id)
        assert (detail["status"], detail["contact_reason"], detail["resolved"]) == (
            "closed",
            "Paspoort aanvragen",
            True,
        )
        page = browser.get(base).text
        assert "Paspoort aanvragen" in page
        assert 'id="ws-reply"' in page
        assert "Dit gesprek is afgesloten." in page
        # Closed: nothing more to do, and the server agrees.
        assert "/take-over" not in page
        r = browser.post(f"{base}/reply", data={"csrf_token": csrf, "text": "nog iets"})
        assert r.status_code == 409


def test_a_form_without_the_csrf_token_is_refused(server):
    with server.client() as api, server.client() as browser:
        agent = make_staff(server.settings, api)
        conv = waiting_conversation(api, "Henk")
        logged_in(browser, agent)
        base = f"/workspace/conversations/{conv.id}"
        for path, data in (
            (f"{base}/take-over", {}),
            (f"{base}/reply", {"text": "hallo"}),
            (f"{base}/close", {"contact_reason": "x"}),
            (f"{base}/take-over", {"csrf_token": "not-the-token"}),
        ):
            r = browser.post(path, data=data)
            assert r.status_code == 403, path
        detail = staff_view(api, agent, conv.id)
        assert detail["status"] == "waiting"
        assert [m for m in detail["messages"] if m["author"] == "agent"] == []


def test_an_agent_cannot_reply_to_a_colleagues_conversation(server):
    with server.client() as api, server.client() as browser:
        agent = make_staff(server.settings, api)
        colleague = make_staff(server.settings, api, name="Collega Cor")
        conv = waiting_conversation(api, "Ria")
        api.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=colleague.headers).raise_for_status()
        csrf = logged_in(browser, agent)
        base = f"/workspace/conversations/{conv.id}"

        page = browser.get(base).text
        assert '<form id="ws-reply" method="post" action="' in page
        assert re.search(r'<form id="ws-reply"[^>]* hidden>', page)  # the reply box is not offered
        assert "Een collega behandelt dit gesprek." in page
        assert "/release" not in page
        assert "/close" not in page

        r = browser.post(f"{base}/reply", data={"csrf_token": csrf, "text": "Ik kaap dit gesprek"})
        assert r.status_code == 403
        assert 'role="alert"' in r.text
        # Through the staff API, as the page's script would, it is refused too.
        r = browser.post(
            f"/api/v1/staff/conversations/{conv.id}/messages",
            json={"text": "Ik kaap dit gesprek"},
            headers={"X-CSRF-Token": csrf},
        )
        assert r.status_code == 403
        assert browser.post(f"{base}/release", data={"csrf_token": csrf}).status_code == 403
        assert browser.post(f"{base}/close", data={"csrf_token": csrf}).status_code == 403
        detail = staff_view(api, colleague, conv.id)
        assert detail["assigned_staff"]["name"] == "Collega Cor"
        assert all("kaap" not in m["text"] for m in detail["messages"])


def test_supervisors_assign_to_a_colleague_and_agents_cannot(server):
    with server.client() as api, server.client() as boss_browser, server.client() as agent_browser:
        agent = make_staff(server.settings, api, name="Agent Anouk")
        other = make_staff(server.settings, api, name="Agent Bram")
        supervisor = make_staff(server.settings, api, role="supervisor")
        conv = waiting_conversation(api, "Dirk")
        base = f"/workspace/conversations/{conv.id}"

        csrf = logged_in(agent_browser, agent)
        assert "/assign" not in agent_browser.get(base).text
        r = agent_browser.post(f"{base}/assign", data={"csrf_token": csrf, "staff_id": other.id})
        assert r.status_code == 403
        assert staff_view(api, agent, conv.id)["status"] == "waiting"

        csrf = logged_in(boss_browser, supervisor)
        page = boss_browser.get(base).text
        assert 'id="assign-to"' in page
        assert "Agent Anouk" in page
        r = boss_browser.post(f"{base}/assign", data={"csrf_token": csrf, "staff_id": agent.id})
        assert r.status_code == 303
        assert staff_view(api, agent, conv.id)["assigned_staff"]["name"] == "Agent Anouk"
        r = boss_browser.post(f"{base}/assign", data={"csrf_token": csrf, "staff_id": "f" * 32})
        assert r.status_code == 422


@pytest.mark.parametrize("conversation_id", ["0123456789abcdef0123456789abcdef", "not-an-id"])
def test_an_unknown_conversation_is_a_404_page(server, conversation_id):
    with server.client() as browser:
        logged_in(browser, make_staff(server.settings))
        page = browser.get(f"/workspace/conversations/{conversation_id}", headers={"Accept": "text/html"})
        assert page.status_code == 404
        assert "text/html" in page.headers["content-type"]


def test_the_side_panel_fragment_follows_the_conversation(server):
    with server.client() as api, server.client() as browser:
        agent = make_staff(server.settings, api)
        conv = waiting_conversation(api, "Lotte")
        logged_in(browser, agent)
        aside = browser.get(f"/workspace/conversations/{conv.id}/aside")
        assert aside.status_code == 200
        assert 'data-state-key="waiting||customer_request"' in aside.text
        api.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=agent.headers).raise_for_status()
        aside = browser.get(f"/workspace/conversations/{conv.id}/aside").text
        assert f'data-state-key="assigned|{agent.id}|customer_request"' in aside
        assert 'data-reply-state="ok"' in aside
        assert page_csrf(browser.get(f"/workspace/conversations/{conv.id}"))


def test_an_agent_can_take_over_from_the_assistant(server):
    with server.client() as api, server.client() as browser:
        agent = make_staff(server.settings, api)
        conv = start_conversation(api, name="Vera")
        csrf = logged_in(browser, agent)
        base = f"/workspace/conversations/{conv.id}"
        page = browser.get(base).text
        assert "Bij de assistent" in page
        assert f'action="{base}/take-over"' in page
        r = browser.post(f"{base}/take-over", data={"csrf_token": csrf})
        assert r.status_code == 303
        detail = staff_view(api, agent, conv.id)
        assert (detail["status"], detail["assigned_staff"]["id"]) == ("assigned", agent.id)
        assert _rows(browser.get("/workspace/inbox/mine").text) == [conv.id]
        assert _rows(browser.get("/workspace/inbox/assistant").text) == []
