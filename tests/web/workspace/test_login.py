"""Logging in and out of the workspace: sessions, cookies, CSRF and where the login leads."""

from __future__ import annotations

import pytest

from tests.factories import make_staff
from tests.web.workspace.helpers import logged_in, login, login_form_token, page_csrf


@pytest.mark.parametrize(
    "path",
    ["/workspace", "/workspace/inbox/mine", "/workspace/conversations/0123456789abcdef0123456789abcdef"],
)
def test_pages_need_a_login(server, path):
    with server.client() as browser:
        response = browser.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/workspace/login?next={path}"


def test_a_wrong_password_is_refused_with_an_announced_error(server):
    agent = make_staff(server.settings)
    with server.client() as browser:
        response = login(browser, agent, password="not the password")
        assert response.status_code == 401
        assert 'role="alert"' in response.text
        assert "Wrong e-mail address or password" in response.text or "Verkeerd e-mailadres" in response.text
        # The e-mail address stays filled in; the password does not come back.
        assert f'value="{agent.email}"' in response.text
        assert "not the password" not in response.text
        assert "samenspel_session" not in browser.cookies
        assert browser.get("/workspace").status_code == 303


def test_the_right_password_opens_the_inbox_with_a_safe_session_cookie(server):
    agent = make_staff(server.settings, name="Fatima Haddou")
    with server.client() as browser:
        response = login(browser, agent)
        assert response.status_code == 303
        assert response.headers["location"] == "/workspace"
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("samenspel_session="))
        flags = cookie.lower()
        assert "httponly" in flags
        assert "samesite=lax" in flags
        assert "secure" not in flags  # plain http here; see the https test
        inbox = browser.get("/workspace")
        assert inbox.status_code == 200
        assert "Fatima Haddou" in inbox.text
        assert 'aria-current="page"' in inbox.text
        # Logged in already: the login page sends you on.
        assert browser.get("/workspace/login").status_code == 303


def test_the_session_cookie_is_secure_over_https(server):
    agent = make_staff(server.settings)
    with server.client() as browser:
        # The server trusts X-Forwarded-Proto from loopback, as behind a reverse proxy.
        response = login(browser, agent, headers={"X-Forwarded-Proto": "https"})
        assert response.status_code == 303
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("samenspel_session="))
        assert "secure" in cookie.lower()


def test_the_login_form_is_protected_against_login_csrf(server):
    agent = make_staff(server.settings)
    form = {"email": agent.email, "password": agent.password}
    with server.client() as attacker_page:
        # No token at all, as a form on another site would post it.
        response = attacker_page.post("/workspace/login", data=form)
        assert response.status_code == 403
        assert "samenspel_session" not in attacker_page.cookies
        # A token, but not the one this browser's cookie holds.
        login_form_token(attacker_page)
        response = attacker_page.post("/workspace/login", data={**form, "csrf_token": "x" * 43})
        assert response.status_code == 403
        # The right token from another site's page (Origin) is refused too.
        token = login_form_token(attacker_page)
        response = attacker_page.post(
            "/workspace/login", data={**form, "csrf_token": token}, headers={"Origin": "https://evil.example"}
        )
        assert response.status_code == 403
        assert "samenspel_session" not in attacker_page.cookies


@pytest.mark.parametrize(
    "evil",
    [
        "https://evil.example",
        "//evil.example/workspace",
        "/\\evil.example",
        "https://evil.example/workspace",
        "javascript:alert(1)",
        "/api/v1/staff/me",
        "/workspace/../api/v1/staff/me",
    ],
)
def test_next_never_leads_away_from_the_workspace(server, evil):
    agent = make_staff(server.settings)
    with server.client() as browser:
        response = login(browser, agent, next_path=evil)
        assert response.status_code == 303
        assert response.headers["location"] == "/workspace"


def test_next_leads_back_to_the_page_asked_for(server):
    agent = make_staff(server.settings)
    with server.client() as browser:
        response = login(browser, agent, next_path="/workspace/inbox/closed")
        assert response.status_code == 303
        assert response.headers["location"] == "/workspace/inbox/closed"


def test_logout_needs_the_csrf_token_and_ends_the_session(server):
    agent = make_staff(server.settings)
    with server.client() as browser:
        csrf = logged_in(browser, agent)
        assert browser.post("/workspace/logout").status_code == 403
        assert browser.get("/workspace").status_code == 200
        session = browser.cookies["samenspel_session"]
        response = browser.post("/workspace/logout", data={"csrf_token": csrf})
        assert response.status_code == 303
        assert response.headers["location"].startswith("/workspace/login")
        assert "samenspel_session" not in browser.cookies
        page = browser.get(response.headers["location"])
        assert 'role="status"' in page.text
    # The old cookie is worthless now, even to someone who kept it.
    with server.client(cookies={"samenspel_session": session}) as replay:
        assert replay.get("/workspace").status_code == 303


def test_switching_language_is_stored_for_the_staff_member(server):
    agent = make_staff(server.settings, languages=["nl"])
    with server.client() as browser:
        csrf = logged_in(browser, agent)
        inbox = browser.get("/workspace")
        assert "Wachtend" in inbox.text
        assert '<html lang="nl">' in inbox.text
        # Without the token nothing changes.
        assert browser.post("/workspace/language", data={"lang": "en"}).status_code == 403
        response = browser.post(
            "/workspace/language", data={"lang": "en", "next": "/workspace/inbox/mine", "csrf_token": csrf}
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/workspace/inbox/mine"
        assert '<html lang="en">' in browser.get("/workspace/inbox/mine").text
    # Another browser, another day: the choice comes along with the login.
    with server.client() as other:
        logged_in(other, agent)
        page = other.get("/workspace")
        assert '<html lang="en">' in page.text
        assert "Waiting" in page.text
    assert page_csrf(page)
