"""The header's state selector and the supervisors' team page, driven like a browser without JavaScript."""

from __future__ import annotations

import html
import re

from tests.factories import make_staff
from tests.web.workspace.helpers import logged_in, page_csrf, waiting_conversation


def _state(api, account):
    return api.get("/api/v1/staff/routing/state", headers=account.headers).json()


def _table_headers(page: str, heading_id: str) -> list[str]:
    table = page.split(f'aria-labelledby="{heading_id}"')[2].split("</thead>", maxsplit=1)[0]
    return [html.unescape(h) for h in re.findall(r'<th scope="col">([^<]*)</th>', table)]


def test_an_agent_sets_their_state_from_the_header(server):
    with server.client() as api, server.client() as browser:
        agent = make_staff(server.settings, api)
        csrf = logged_in(browser, agent)
        page = browser.get("/workspace/inbox/waiting").text
        assert '<label for="ws-state">Mijn status</label>' in page
        assert '<option value="offline" selected>Offline</option>' in page
        assert 'aria-describedby="ws-state-now"' in page
        response = browser.post(
            "/workspace/state", data={"state": "available", "next": "/workspace/inbox/mine", "csrf_token": csrf}
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/workspace/inbox/mine"
        assert _state(api, agent)["state"] == "available"
        page = browser.get("/workspace/inbox/mine").text
        assert '<option value="available" selected>Beschikbaar</option>' in page
        assert "Nu: Beschikbaar, 0 van 3 gesprekken" in page
        # The selector is on every workspace page, the knowledge base's too.
        assert '<option value="available" selected>' in browser.get("/workspace/kb").text

        refused = browser.post("/workspace/state", data={"state": "available"})
        assert refused.status_code == 403  # no CSRF token
        wrong = browser.post("/workspace/state", data={"state": "asleep", "csrf_token": csrf})
        assert wrong.status_code == 422
        away = browser.post(
            "/workspace/state", data={"state": "break", "next": "https://evil.example/", "csrf_token": csrf}
        )
        assert away.headers["location"] == "/workspace"

        # Logging out takes the agent out of routing.
        browser.post("/workspace/logout", data={"csrf_token": page_csrf(browser.get("/workspace"))})
        assert _state(api, agent)["state"] == "offline"


def test_only_supervisors_see_the_team_page(server):
    with server.client() as api, server.client() as browser:
        agent = make_staff(server.settings, api)
        logged_in(browser, agent)
        assert 'href="/workspace/team"' not in browser.get("/workspace").text
        page = browser.get("/workspace/team", headers={"accept": "text/html"})
        assert page.status_code == 403
        assert browser.get("/workspace/team/panel").status_code == 403


def test_the_team_page_shows_each_agent_and_the_queue(server):
    with server.client() as api, server.client() as browser:
        supervisor = make_staff(server.settings, api, role="supervisor", name="Sanne de Leider")
        busy = make_staff(server.settings, api, name="Bas Bezig")
        resting = make_staff(server.settings, api, name="Pia Pauze")
        api.put("/api/v1/staff/routing/state", json={"state": "available"}, headers=busy.headers)
        api.put("/api/v1/staff/routing/state", json={"state": "break"}, headers=resting.headers)
        routed = waiting_conversation(api, "Eerste Klant")  # goes straight to Bas
        api.put("/api/v1/staff/routing/state", json={"state": "break"}, headers=busy.headers)
        queued = waiting_conversation(api, "Wachtende Willem", segment="vip")

        logged_in(browser, supervisor)
        page = browser.get("/workspace/team").text
        assert 'href="/workspace/team" aria-current="page"' in page
        assert "<h1>Team en wachtrij</h1>" in page
        assert _table_headers(page, "agents-heading") == [
            "Medewerker",
            "Status",
            "Open gesprekken",
            "Emotionele belasting",
            "Zware op rij",
            "Vandaag",
            "Verbetertijd vandaag",
        ]
        bas = page.split(f'data-agent="{busy.id}"')[1].split("</tr>")[0]
        assert "Bas Bezig" in bas
        assert "Pauze" in bas
        assert "1 van 3" in bas
        assert "gesprekken: 1, zwaar: 0" in bas
        assert "licht" in bas
        assert "doel 50%" in bas
        assert "Pia Pauze" in page
        queue = page.split('id="queue-heading"')[1].split("</section>")[0]
        assert "Wachtrij (1)" in queue
        assert "Wachtende Willem" in queue
        assert "VIP" in queue
        assert "Vraagt om een medewerker" in queue
        assert f'<label for="override-{queued.id}" class="ws-visually-hidden">' in queue
        assert "Gesprek met Wachtende Willem toewijzen aan" in queue
        assert f'value="{busy.id}">Bas Bezig (Pauze, 1/3)</option>' in queue
        assigned = page.split('id="assigned-heading"')[1].split("</section>")[0]
        assert "Eerste Klant" in assigned
        assert routed.id in assigned
        assert 'role="status"' in page  # the announcer for live updates

        english = browser.get("/workspace/team?lang=en").text
        assert "<h1>Team and queue</h1>" in english
        assert "Emotional load" in english

        panel = browser.get("/workspace/team/panel")
        assert panel.status_code == 200
        assert panel.text.lstrip().startswith('<div id="ws-team"')
        assert "Wachtende Willem" in panel.text


def test_a_supervisor_overrides_from_the_team_page(server):
    with server.client() as api, server.client() as browser:
        supervisor = make_staff(server.settings, api, role="supervisor")
        agent = make_staff(server.settings, api, name="Noor Jansen")
        conv = waiting_conversation(api, "Klant In De Rij")
        csrf = logged_in(browser, supervisor)
        response = browser.post(
            "/workspace/team/override", data={"conversation_id": conv.id, "staff_id": agent.id, "csrf_token": csrf}
        )
        assert response.status_code == 303
        page = browser.get(response.headers["location"]).text
        assert "Toegewezen aan Noor Jansen." in page
        state = api.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()
        assert (state["status"], state["agent"]["name"]) == ("assigned", "Noor Jansen")

        # Nobody chosen: the page says so, and nothing changed.
        again = browser.post(
            "/workspace/team/override", data={"conversation_id": conv.id, "staff_id": "", "csrf_token": csrf}
        )
        assert again.status_code == 422
        assert "Kies een medewerker die nog actief is." in again.text
        assert (
            api.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()["agent"]["name"] == "Noor Jansen"
        )
