"""A supervisor's team page in a real browser: it follows routing live, and an assignment is overridden."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_staff
from tests.web.workspace.helpers import log_in_page, waiting_conversation, watched_page


@pytest.mark.browser
def test_a_supervisor_follows_the_team_and_overrides_an_assignment(web_server, browser, artifacts):
    from playwright.sync_api import expect

    with web_server.client() as api:
        supervisor = make_staff(web_server.settings, api, role="supervisor", name="Sanne de Leider")
        noor = make_staff(web_server.settings, api, name="Noor Jansen", languages=["nl"])
        bram = make_staff(web_server.settings, api, name="Bram de Boer", languages=["nl", "en"])
        api.put("/api/v1/staff/routing/state", json={"state": "available"}, headers=noor.headers)
        context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
        page, problems = watched_page(context)
        try:
            log_in_page(page, f"{web_server.base_url}/workspace/team", supervisor.email, supervisor.password)

            expect(page.get_by_role("heading", level=1)).to_have_text("Team en wachtrij")
            expect(page.get_by_role("link", name="Team")).to_have_attribute("aria-current", "page")
            expect(page.locator("#ws-live")).to_have_attribute("data-state", "live")
            agents = page.get_by_role("table", name="Medewerkers")
            expect(agents.get_by_role("columnheader", name="Emotionele belasting")).to_be_visible()
            expect(agents.get_by_role("row", name=re.compile("Noor Jansen"))).to_contain_text("Beschikbaar")
            expect(agents.get_by_role("row", name=re.compile("Bram de Boer"))).to_contain_text("Offline")
            expect(page.get_by_text("Er wacht nu niemand.")).to_be_visible()

            # A customer asks for a person; routing gives her to Noor, and the page follows by itself.
            conv = waiting_conversation(api, "Marieke Visser", segment="vip")
            ongoing = page.get_by_role("table", name=re.compile("Lopende gesprekken"))
            row = ongoing.get_by_role("row", name=re.compile("Marieke Visser"))
            expect(row).to_contain_text("Noor Jansen")
            expect(agents.get_by_role("row", name=re.compile("Noor Jansen"))).to_contain_text("In gesprek")
            expect(agents.get_by_role("row", name=re.compile("Noor Jansen"))).to_contain_text("1 van 3")
            expect(page.locator("#ws-announcer")).to_have_text("Bijgewerkt: 0 wachtend, 1 aan het werk")

            # The supervisor gives the conversation to Bram instead, with the keyboard.
            choice = page.get_by_label("Gesprek met Marieke Visser toewijzen aan")
            choice.focus()
            choice.select_option(label="Bram de Boer (Offline, 0/3)")
            page.keyboard.press("Tab")
            expect(row.get_by_role("button", name="Toewijzen")).to_be_focused()
            page.keyboard.press("Enter")
            expect(page.locator("#ws-announcer")).to_have_text("Toegewezen aan Bram de Boer.")
            row = page.get_by_role("table", name=re.compile("Lopende gesprekken")).get_by_role(
                "row", name=re.compile("Marieke Visser")
            )
            expect(row).to_contain_text("Bram de Boer")
            bram_row = page.get_by_role("table", name="Medewerkers").get_by_role("row", name=re.compile("Bram de Boer"))
            expect(bram_row).to_contain_text("1 van 3")
            expect(bram_row).to_contain_text("gesprekken: 1, zwaar: 0")
            assert "done=" not in page.url
            page.screenshot(path=str(artifacts / "team.png"), full_page=True)

            state = api.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()
            assert (state["status"], state["agent"]["id"]) == ("assigned", bram.id)

            # The supervisor's own state, from the header, without leaving the page.
            page.get_by_label("Mijn status").select_option("break")
            page.get_by_role("button", name="Wijzigen").click()
            # First the confirmation ("Uw status is nu: Pauze"), then the live line ("Nu: Pauze, 0 van 3
            # gesprekken") as the server's agent update arrives; either way it says the new state.
            expect(page.locator("#ws-state-now")).to_contain_text("Pauze")
            assert api.get("/api/v1/staff/routing/state", headers=supervisor.headers).json()["state"] == "break"
            assert problems == []
        finally:
            context.close()


@pytest.mark.browser
def test_a_supervisor_sets_up_a_queue_with_the_keyboard(web_server, browser, artifacts):
    from playwright.sync_api import expect

    with web_server.client() as api:
        supervisor = make_staff(web_server.settings, api, role="supervisor", name="Sanne de Leider")
        make_staff(web_server.settings, api, name="Vera Vergunning", skills=["vergunningen"])
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 1000})
        page, problems = watched_page(context)
        try:
            log_in_page(page, f"{web_server.base_url}/workspace/team", supervisor.email, supervisor.password)
            queues = page.get_by_role("region", name="Wachtrijen")
            expect(queues).to_contain_text("Er zijn nog geen wachtrijen")

            queues.get_by_role("link", name="Nieuwe wachtrij").focus()
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe wachtrij")
            name = page.get_by_label("Naam")
            expect(name).to_have_accessible_description(re.compile("^Kort, in kleine letters"))
            name.focus()
            page.keyboard.type("Vergunningen!")
            page.keyboard.press("Tab")
            expect(page.get_by_label("Team", exact=True)).to_be_focused()
            page.keyboard.type("Vergunningen en handhaving")
            reasons = page.get_by_role("group", name="Overdrachtsredenen die in deze rij komen")
            complex_box = reasons.get_by_role("checkbox", name="Complexe vraag")
            complex_box.focus()
            page.keyboard.press("Space")
            expect(complex_box).to_be_checked()
            expect(page.get_by_label("Vaardigheden")).to_have_accessible_description(
                re.compile("Vaardigheden van medewerkers nu: vergunningen")
            )
            page.get_by_label("Vaardigheden").fill("vergunningen")
            page.get_by_role("button", name="Opslaan").focus()
            page.keyboard.press("Enter")

            # The name was wrong: the page says which field and why, and keeps what was typed.
            summary = page.get_by_role("alert").filter(has_text="Controleer deze velden")
            expect(summary).to_contain_text("Naam: Geef een korte naam in kleine letters")
            name = page.get_by_label("Naam")
            expect(name).to_have_attribute("aria-invalid", "true")
            expect(name).to_have_accessible_description(re.compile("Geef een korte naam in kleine letters"))
            expect(name).to_have_value("Vergunningen!")
            expect(page.get_by_role("checkbox", name="Complexe vraag")).to_be_checked()
            summary.get_by_role("link", name=re.compile("^Naam")).focus()
            page.keyboard.press("Enter")
            expect(name).to_be_focused()
            name.fill("vergunningen")
            name.press("Enter")  # Enter in a field submits the form

            expect(page.get_by_role("heading", level=1)).to_have_text("Team en wachtrij")
            expect(page.locator("#ws-announcer")).to_have_text("Wachtrij vergunningen is opgeslagen.")
            table = page.get_by_role("table", name="Wachtrijen")
            row = table.get_by_role("row", name=re.compile("vergunningen"))
            expect(row).to_contain_text("Vergunningen en handhaving")
            expect(row).to_contain_text("Complexe vraag")
            expect(row).to_contain_text("alle talen")

            row.get_by_role("link", name="Wijzigen wachtrij vergunningen").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Wachtrij vergunningen wijzigen")
            page.get_by_label("Talen").fill("nl, en")
            page.get_by_role("checkbox", name="Belangrijke klant").check()
            page.get_by_role("button", name="Opslaan").click()
            row = page.get_by_role("table", name="Wachtrijen").get_by_role("row", name=re.compile("vergunningen"))
            expect(row).to_contain_text("nl, en")
            expect(row).to_contain_text("Complexe vraag, Belangrijke klant")
            page.screenshot(path=str(artifacts / "team-queues.png"), full_page=True)

            saved = api.get("/api/v1/staff/routing/queues", headers=supervisor.headers).json()["items"]
            assert [(q["name"], q["languages"], q["reasons"], q["skills"]) for q in saved] == [
                ("vergunningen", ["nl", "en"], ["complex", "high_value"], ["vergunningen"])
            ]

            page.goto(f"{web_server.base_url}/workspace/team/queues/new?lang=en")
            expect(page.get_by_role("heading", level=1)).to_have_text("New queue")
            expect(page.get_by_role("group", name="Handoff reasons that join this queue")).to_be_visible()
            expect(page.get_by_label("Skills")).to_be_visible()
            # The form with the wrong name came back as 422 (and Chromium logs that); nothing else went wrong.
            assert [p for p in problems if "422" not in p] == []
            assert f"422 {web_server.base_url}/workspace/team/queues" in problems
        finally:
            context.close()
