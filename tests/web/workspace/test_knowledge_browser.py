"""A supervisor writes and publishes a knowledge article in a real browser, with the keyboard only."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_staff
from tests.web.workspace.helpers import watched_page


@pytest.mark.browser
def test_a_supervisor_writes_an_article_with_the_keyboard_and_publishes_it(web_server, browser, artifacts):
    from playwright.sync_api import expect

    supervisor = make_staff(web_server.settings, role="supervisor", name="Ilse de Wit", languages=["nl"])
    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 1000})
    page, problems = watched_page(context)
    try:
        page.goto(f"{web_server.base_url}/workspace/kb")
        page.get_by_label("E-mailadres").fill(supervisor.email)
        page.get_by_label("Wachtwoord").fill(supervisor.password)
        page.get_by_label("Wachtwoord").press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Kennisbank")

        page.get_by_role("link", name="Nieuw artikel").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw artikel")
        # From the title onwards, every field is reached with Tab, in reading order.
        title = page.get_by_label("Titel", exact=True)
        title.focus()
        page.keyboard.type("Container aanvragen")
        page.keyboard.press("Tab")
        expect(page.get_by_label("Id", exact=True)).to_be_focused()
        page.keyboard.type("container-aanvragen")
        page.keyboard.press("Tab")
        expect(page.get_by_label("Taal", exact=True)).to_be_focused()
        expect(page.get_by_label("Taal", exact=True)).to_have_value("nl")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        body = page.get_by_label("Tekst (Markdown)")
        expect(body).to_be_focused()
        page.keyboard.type(
            "# Container aanvragen\n\nIndien u een extra container wilt, vraagt u die online aan. "
            "Het kost niets.\n\n- Log in met DigiD\n- Kies de soort container"
        )

        # The preview and the B1 check follow the text without a reload.
        preview = page.locator("#kb-preview-body")
        expect(preview.get_by_role("heading", level=1)).to_have_text("Container aanvragen")
        expect(preview.get_by_role("listitem")).to_have_count(2)
        check = page.locator("#kb-check-body")
        remark = check.locator(".kb-issue-officialese").filter(has_text="Indien")
        expect(remark).to_contain_text("Beter: Als")
        expect(check.locator("[data-level]")).not_to_be_empty()
        expect(page.locator("#kb-live-status")).to_contain_text("Taalcontrole bijgewerkt.")
        page.screenshot(path=str(artifacts / "kb-editor.png"), full_page=True)

        # "Show in the text" selects the words the remark is about; typing replaces them.
        remark.get_by_role("button", name="Aanwijzen in de tekst").focus()
        page.keyboard.press("Enter")
        expect(body).to_be_focused()
        selected = body.evaluate("el => el.value.slice(el.selectionStart, el.selectionEnd)")
        assert selected == "Indien"
        page.keyboard.type("Als")
        expect(check.locator(".kb-issue-officialese").filter(has_text="Indien")).to_have_count(0)
        expect(preview).to_contain_text("Als u een extra container wilt")

        page.get_by_role("button", name="Publiceren", exact=True).focus()
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/workspace/kb/container-aanvragen$"))
        expect(page.locator("#ws-announcer")).to_have_text("Het artikel is gepubliceerd. De assistent gebruikt het nu.")
        expect(page.locator(".kb-rendered")).to_contain_text("Als u een extra container wilt")
        expect(page.locator(".kb-history")).to_contain_text("Ilse de Wit")

        with web_server.client() as outsider:
            public = outsider.get("/kb/container-aanvragen")
            assert public.status_code == 200
            assert "Als u een extra container wilt, vraagt u die online aan." in public.text
        assert problems == []
    finally:
        context.close()
