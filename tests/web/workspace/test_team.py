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


def test_an_offline_agent_becomes_available_with_one_button(server):
    with server.client() as api, server.client() as browser:
        agent = make_staff(server.settings, api)
        csrf = logged_in(browser, agent)
        page = browser.get("/workspace/kb").text
        offline = page.split('id="ws-offline-form"')[1].split("</form>")[0]
        assert offline.startswith(">")  # shown: not hidden
        assert '<input type="hidden" name="state" value="available">' in offline
        assert 'aria-describedby="ws-offline-text">Beschikbaar worden</button>' in offline
        response = browser.post(
            "/workspace/state", data={"state": "available", "next": "/workspace/kb", "csrf_token": csrf}
        )
        assert response.headers["location"] == "/workspace/kb"
        assert _state(api, agent)["state"] == "available"
        assert 'id="ws-offline-form" hidden>' in browser.get("/workspace/kb").text


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


def _queues(api, supervisor):
    response = api.get("/api/v1/staff/routing/queues", headers=supervisor.headers)
    assert response.status_code == 200, response.text
    return {q["name"]: q for q in response.json()["items"]}


def test_a_supervisor_creates_changes_and_deletes_a_queue_from_the_team_page(server):
    with server.client() as api, server.client() as browser:
        supervisor = make_staff(server.settings, api, role="supervisor")
        make_staff(server.settings, api, name="Vera Vergunning", skills=["vergunningen"])
        csrf = logged_in(browser, supervisor)
        team = browser.get("/workspace/team").text
        section = team.split('id="queues-heading"')[1].split("</section>")[0]
        assert "Er zijn nog geen wachtrijen" in section
        assert 'href="/workspace/team/queues/new"' in section

        form = browser.get("/workspace/team/queues/new").text
        assert "<h1>Nieuwe wachtrij</h1>" in form
        assert '<label for="queue-name">Naam</label>' in form
        assert 'aria-describedby="name-hint"' in form
        assert "<legend>Overdrachtsredenen die in deze rij komen</legend>" in form
        assert '<label for="queue-reason-sensitive_topic">Gevoelig onderwerp</label>' in form
        assert "Vaardigheden van medewerkers nu: vergunningen." in form

        created = browser.post(
            "/workspace/team/queues",
            data={
                "csrf_token": csrf,
                "name": "Vergunningen",
                "team": "Vergunningen en handhaving",
                "skills": "vergunningen",
                "languages": "nl, en",
                "reasons": ["complex", "high_value"],
                "topics": "parkeervergunning; evenement",
                "position": "20",
            },
        )
        assert created.status_code == 303
        assert created.headers["location"] == "/workspace/team?done=queue_saved&queue=vergunningen#queues-heading"
        page = browser.get(created.headers["location"]).text
        assert "Wachtrij vergunningen is opgeslagen." in page
        row = page.split('data-queue="vergunningen"')[1].split("</tr>")[0]
        assert "Vergunningen en handhaving" in row
        assert "Complexe vraag, Belangrijke klant" in row
        assert "parkeervergunning, evenement" in row
        assert _queues(api, supervisor)["vergunningen"] == {
            "name": "vergunningen",
            "team": "Vergunningen en handhaving",
            "skills": ["vergunningen"],
            "languages": ["nl", "en"],
            "reasons": ["complex", "high_value"],
            "topics": ["parkeervergunning", "evenement"],
            "position": 20,
        }

        # A second queue of the same name would replace the first unseen: the form says so instead.
        taken = browser.post("/workspace/team/queues", data={"csrf_token": csrf, "name": "vergunningen"})
        assert taken.status_code == 422
        assert "Er is al een wachtrij met deze naam." in taken.text
        assert _queues(api, supervisor)["vergunningen"]["team"] == "Vergunningen en handhaving"

        # Edit: the name stays, the rest is replaced; wrong fields are named, and what was typed stays.
        edit = browser.get("/workspace/team/queues/vergunningen/edit").text
        assert "<h1>Wachtrij vergunningen wijzigen</h1>" in edit
        assert 'value="nl, en"' in edit
        assert 'id="queue-reason-complex" name="reasons" value="complex" checked' in edit
        wrong = browser.post(
            "/workspace/team/queues",
            data={
                "csrf_token": csrf,
                "original": "vergunningen",
                "team": "Vergunningen",
                "languages": "Nederlands",
                "skills": "Vergunningen Buitenland!",
                "position": "eerst",
            },
        )
        assert wrong.status_code == 422
        summary = wrong.text.split('id="form-error"')[1].split("</div>")[0]
        assert summary.index("Volgorde") < summary.index("Talen") < summary.index("Vaardigheden")
        assert 'href="#queue-languages"' in summary
        assert "Gebruik taalcodes van twee letters" in wrong.text
        assert 'aria-describedby="languages-hint languages-error" aria-invalid="true"' in wrong.text
        assert 'value="Nederlands"' in wrong.text
        assert 'aria-invalid="true"' not in wrong.text.split('id="queue-team"')[1].split(">")[0]
        assert _queues(api, supervisor)["vergunningen"]["languages"] == ["nl", "en"]  # nothing half saved

        changed = browser.post(
            "/workspace/team/queues",
            data={"csrf_token": csrf, "original": "vergunningen", "name": "hacked", "languages": "", "position": "5"},
        )
        assert changed.status_code == 303
        saved = _queues(api, supervisor)
        assert set(saved) == {"vergunningen"}
        assert (saved["vergunningen"]["languages"], saved["vergunningen"]["position"]) == ([], 5)
        assert saved["vergunningen"]["reasons"] == []  # no box ticked is no reason

        # Without the page's token nothing happens.
        refused = browser.post("/workspace/team/queues/vergunningen/delete")
        assert refused.status_code == 403
        deleted = browser.post("/workspace/team/queues/vergunningen/delete", data={"csrf_token": csrf})
        assert deleted.status_code == 303
        assert "Wachtrij vergunningen is verwijderd." in browser.get(deleted.headers["location"]).text
        assert _queues(api, supervisor) == {}
        assert browser.get("/workspace/team/queues/vergunningen/edit").status_code == 404


def test_agents_cannot_reach_the_queue_forms(server):
    with server.client() as api, server.client() as browser:
        supervisor = make_staff(server.settings, api, role="supervisor")
        api.put(
            "/api/v1/staff/routing/queues/afval", json={"skills": ["afval"]}, headers=supervisor.headers
        ).raise_for_status()
        agent = make_staff(server.settings, api)
        csrf = logged_in(browser, agent)
        assert browser.get("/workspace/team/queues/new").status_code == 403
        assert browser.get("/workspace/team/queues/afval/edit").status_code == 403
        posted = browser.post("/workspace/team/queues", data={"csrf_token": csrf, "name": "eigen"})
        assert posted.status_code == 403
        assert browser.post("/workspace/team/queues/afval/delete", data={"csrf_token": csrf}).status_code == 403
        assert set(_queues(api, supervisor)) == {"afval"}
