"""Trying the demo: nobody is available until they log in and say so, and then, in one click, routing
hands them the customer who has been waiting."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from samenspel.settings import Settings
from tests.conftest import LiveServer
from tests.web.workspace.helpers import log_in_page, watched_page

DEMO_PASSWORD = "samenspel-demo"


def _token(api, email):
    response = api.post("/api/v1/auth/token", json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.mark.browser
def test_in_the_demo_an_agent_logs_in_and_becomes_available_in_one_click(tmp_path, browser, artifacts):
    from playwright.sync_api import expect

    seeded = subprocess.run(
        [sys.executable, "-m", "samenspel", "--data-dir", str(tmp_path), "demo", "--no-serve"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SAMENSPEL_ENVIRONMENT": "test"},
        check=False,
    )
    assert seeded.returncode == 0, seeded.stderr
    server = LiveServer(Settings(environment="test", data_dir=tmp_path)).start()
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    try:
        with server.client() as api:
            supervisor = _token(api, "sanne@samenstad.example")
            team = api.get("/api/v1/staff/routing/agents", headers=supervisor).json()
            # Seeding makes nobody available: nobody has logged in yet. Mehmet asked for a person and waits.
            assert {a["state"] for a in team["items"]} == {"offline"}
            assert team["waiting"] == 1
            assert team["estimated_wait_seconds"] is None
            waiting = api.get("/api/v1/staff/conversations?status=waiting", headers=supervisor).json()["items"]
            assert [c["customer"]["name"] for c in waiting] == ["Mehmet Kaya"]
            queues = api.get("/api/v1/staff/routing/queues", headers=supervisor).json()["items"]
            assert [(q["name"], q["skills"]) for q in queues] == [("zorg-en-schulden", ["zorg", "schulden"])]

            page, problems = watched_page(context)
            log_in_page(page, f"{server.base_url}/workspace", "anna@samenstad.example", DEMO_PASSWORD)
            expect(page.locator("#ws-live")).to_have_attribute("data-state", "live")

            # Logging in alone does not make Anna available; the workspace says so and offers one button.
            expect(page.locator("#ws-state-now")).to_have_text("Nu: Offline, 0 van 3 gesprekken")
            button = page.get_by_role("button", name="Beschikbaar worden")
            expect(button).to_have_accessible_description(re.compile("^U staat op Offline: routering geeft u geen"))
            page.screenshot(path=str(artifacts / "workspace-offline.png"))
            button.focus()
            page.keyboard.press("Enter")

            expect(button).to_be_hidden()
            expect(page.get_by_label("Mijn status")).to_be_focused()
            expect(page.get_by_label("Mijn status")).to_have_value("available")
            expect(page.locator("#ws-state-now")).to_contain_text("Beschikbaar")
            # Routing gave her Mehmet at once.
            mine = api.get("/api/v1/staff/conversations?status=assigned", headers=supervisor).json()["items"]
            assert [(c["customer"]["name"], c["assigned_staff"]["name"]) for c in mine] == [
                ("Mehmet Kaya", "Anna de Vries")
            ]
            page.goto(f"{server.base_url}/workspace/inbox/mine")
            expect(page.get_by_role("link", name="Mehmet Kaya")).to_be_visible()
            expect(page.locator("#ws-state-now")).to_have_text("Nu: In gesprek, 1 van 3 gesprekken")
            expect(page.get_by_role("button", name="Beschikbaar worden")).to_be_hidden()

            # Her colleagues did not log in, so they stay offline.
            states = {
                a["name"]: a["state"]
                for a in api.get("/api/v1/staff/routing/agents", headers=supervisor).json()["items"]
            }
            assert states["Anna de Vries"] == "in_conversation"
            assert {states[n] for n in ("Youssef El Amrani", "Marieke Jansen", "Sanne Bakker")} == {"offline"}
            assert problems == []
    finally:
        context.close()
        server.stop()
