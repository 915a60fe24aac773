"""The whole foundation in two real browsers: a customer on the municipality's site, an agent in the
workspace. Screenshots for the README land in test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import make_staff

pytestmark = pytest.mark.browser
LONG = 15_000


def test_customer_writes_agent_takes_over_and_replies(web_server, browser, artifacts):
    agent = make_staff(web_server.settings, role="agent", name="Anna de Vries")
    customer_context = browser.new_context(locale="nl-NL", viewport={"width": 1100, "height": 800})
    agent_context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    try:
        # The customer, on the municipality's website, asks a question in the chat.
        site = customer_context.new_page()
        site.goto(f"{web_server.base_url}/demo")
        site.get_by_role("button", name="Chat met ons").click()
        box = site.get_by_role("textbox", name="Uw bericht")
        box.fill("Goedemiddag, mijn paspoort is gestolen. Wat moet ik doen?")
        box.press("Enter")
        chat_log = site.get_by_role("log")
        expect(chat_log).to_contain_text("Digitale assistent", timeout=LONG)
        expect(chat_log).to_contain_text("doorgezet naar een medewerker", timeout=LONG)

        # The agent logs in, sees it waiting, opens it, reads why, and takes it over.
        desk = agent_context.new_page()
        desk.goto(f"{web_server.base_url}/workspace")
        desk.get_by_label("E-mailadres").fill(agent.email)
        desk.get_by_label("Wachtwoord").fill(agent.password)
        desk.get_by_role("button", name="Inloggen").click()
        row = desk.locator("tr[data-id]").filter(has_text="paspoort")
        expect(row).to_have_count(1, timeout=LONG)
        row.get_by_role("link").first.click()
        aside = desk.get_by_role("complementary")
        expect(aside).to_contain_text("Geen artikel in de kennisbank", timeout=LONG)
        desk.get_by_role("button", name="Overnemen").click()
        expect(site.locator(".status[role=status]")).to_contain_text("Anna de Vries", timeout=LONG)

        reply = desk.get_by_label("Uw antwoord aan de klant")
        reply.fill("Goedemiddag, wat vervelend! Ik help u met een aangifte en een nieuw paspoort.")
        reply.press("Control+Enter")

        # The customer sees the reply live, with the agent's name.
        agent_message = site.locator(".msg").filter(has_text="Ik help u met een aangifte")
        expect(agent_message).to_have_count(1, timeout=LONG)
        expect(agent_message).to_contain_text("Anna de Vries")

        # And the customer's answer reaches the agent live.
        box.fill("Dank u wel!")
        box.press("Enter")
        expect(desk.get_by_role("log")).to_contain_text("Dank u wel!", timeout=LONG)

        site.screenshot(path=str(artifacts / "end-to-end-widget.png"))
        desk.screenshot(path=str(artifacts / "end-to-end-workspace.png"), full_page=True)
    finally:
        customer_context.close()
        agent_context.close()
