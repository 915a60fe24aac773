"""An agent's working day in a real browser: log in, see a customer arrive, take over, reply, close."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_staff
from tests.web.workspace.helpers import customer_says, staff_view, waiting_conversation, watched_page


@pytest.mark.browser
def test_an_agent_handles_a_waiting_conversation_live(web_server, browser, artifacts):
    from playwright.sync_api import expect

    with web_server.client() as api:
        agent = make_staff(web_server.settings, api, name="Noor Jansen", languages=["nl"])
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        page, problems = watched_page(context)
        try:
            page.goto(f"{web_server.base_url}/workspace")
            expect(page).to_have_url(re.compile(r"/workspace/login\?next=/workspace$"))
            page.get_by_label("E-mailadres").fill(agent.email)
            page.get_by_label("Wachtwoord").fill(agent.password)
            page.get_by_role("button", name="Inloggen").click()

            expect(page.get_by_role("heading", name="Wachtend")).to_be_visible()
            expect(page.locator("#ws-live")).to_have_attribute("data-state", "live")

            # A customer asks for a person while the agent looks at the queue.
            conv = waiting_conversation(api, "Marieke Visser", segment="vip")
            row = page.locator(f'tr[data-id="{conv.id}"]')
            expect(row).to_contain_text("Marieke Visser")
            expect(row).to_contain_text("VIP")
            expect(row).to_contain_text("Vraagt om een medewerker")
            expect(page.locator("#ws-queue")).to_have_text("1 wachtend")
            expect(page.get_by_role("status").filter(has_text="Marieke")).to_have_text(
                "Nieuw wachtend gesprek: Marieke Visser"
            )

            row.get_by_role("link", name="Marieke Visser").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Marieke Visser")
            aside = page.get_by_role("complementary")
            expect(aside).to_contain_text("Beslissingen van de assistent")
            expect(aside).to_contain_text("Doorgezet")
            expect(aside).to_contain_text("Vraagt om een medewerker")
            expect(aside).to_contain_text("De klant vraagt zelf om een medewerker")
            log = page.get_by_role("log")
            expect(log).to_contain_text("Ik wil graag een medewerker spreken.")

            page.get_by_role("button", name="Overnemen").click()
            expect(page.locator("#ws-announcer")).to_have_text("U heeft dit gesprek overgenomen.")
            box = page.get_by_label("Uw antwoord aan de klant")
            expect(box).to_be_focused()
            expect(page.locator("#ws-live")).to_have_attribute("data-state", "live")
            expect(page.locator("#ws-queue")).to_have_text("0 wachtend")
            assert "done=" not in page.url  # a reload does not repeat the notice

            # Enter starts a new line; Ctrl+Enter sends, without reloading the page.
            page.evaluate("window.__samePage = true")
            box.press_sequentially("Goedemiddag Marieke,")
            box.press("Enter")
            box.press_sequentially("ik help u graag verder.")
            box.press("Control+Enter")
            expect(log.locator(".msg-agent")).to_have_count(1)
            expect(log.locator(".msg-agent .msg-author")).to_have_text("Noor Jansen")
            expect(log.locator(".msg-agent .msg-text")).to_have_text("Goedemiddag Marieke,\nik help u graag verder.")
            expect(box).to_have_value("")
            assert page.evaluate("window.__samePage") is True

            seen_by_customer = api.get(f"/api/v1/conversations/{conv.id}", headers=conv.headers).json()
            replies = [m for m in seen_by_customer["messages"] if m["author"] == "agent"]
            assert [(m["text"], m["author_name"]) for m in replies] == [
                ("Goedemiddag Marieke,\nik help u graag verder.", "Noor Jansen")
            ]

            # The customer answers; it shows up in the transcript by itself.
            customer_says(api, conv, "Dank u! Het gaat over <b>mijn paspoort</b>.")
            expect(log.locator(".msg-customer").last).to_have_text(re.compile(r"Het gaat over <b>mijn paspoort</b>\."))
            page.screenshot(path=str(artifacts / "workspace.png"), full_page=True)

            page.get_by_label("Contactreden").fill("Paspoort aanvragen")
            expect(page.get_by_label("Opgelost")).to_be_checked()
            page.get_by_role("button", name="Gesprek afsluiten").click()
            expect(page.locator("#ws-announcer")).to_have_text("Het gesprek is afgesloten.")
            expect(page.get_by_label("Uw antwoord aan de klant")).to_be_hidden()
            detail = staff_view(api, agent, conv.id)
            assert (detail["status"], detail["contact_reason"], detail["resolved"]) == (
                "closed",
                "Paspoort aanvragen",
                True,
            )
            assert problems == []
        finally:
            context.close()


@pytest.mark.browser
def test_the_conversation_page_follows_a_colleague_taking_over(web_server, browser):
    from playwright.sync_api import expect

    with web_server.client() as api:
        agent = make_staff(web_server.settings, name="Lieke Smit", languages=["en"])
        colleague = make_staff(web_server.settings, api, name="Tom de Boer")
        conv = waiting_conversation(api, "Yusuf")
        context = browser.new_context(locale="en-GB")
        page, problems = watched_page(context, failed_requests=False)
        try:
            page.goto(f"{web_server.base_url}/workspace/conversations/{conv.id}")
            page.get_by_label("E-mail address").fill(agent.email)
            page.get_by_label("Password").fill(agent.password)
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Yusuf")
            expect(page.locator("#ws-live")).to_have_attribute("data-state", "live")
            box = page.get_by_label("Your reply to the customer")
            box.fill("A draft the agent is still writing")

            r = api.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=colleague.headers)
            assert r.status_code == 200, r.text

            aside = page.get_by_role("complementary")
            expect(aside).to_contain_text("Tom de Boer")
            expect(aside).to_contain_text("Assigned")
            expect(page.locator("#ws-announcer")).to_have_text("Conversation status: Assigned")
            expect(box).to_be_hidden()
            expect(page.get_by_text("A colleague is handling this conversation.")).to_be_visible()
            expect(page.get_by_role("log")).to_contain_text("Tom de Boer neemt het gesprek over.")
            # Taking it back is one button away, and the draft is still there.
            page.get_by_role("button", name="Take over").click()
            expect(box).to_be_visible()
            expect(box).to_have_value("A draft the agent is still writing")
            expect(aside).to_contain_text("Lieke Smit")
            assert problems == []
        finally:
            context.close()
