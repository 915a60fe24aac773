"""Driving the workspace the way a browser without JavaScript does: pages, forms and their tokens."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from tests.factories import CustomerConversation, StaffAccount, start_conversation

ASK_FOR_PERSON = "Ik wil graag een medewerker spreken."
_HIDDEN_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def watched_page(context: Any, *, failed_requests: bool = True) -> tuple[Any, list[str]]:
    """A new browser page and the list it collects its problems in: console errors, page errors and (unless
    a test expects some) responses of 400 and up. A test ends by asserting the list is empty."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    if failed_requests:
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return page, problems


def log_in_page(page: Any, url: str, email: str, password: str) -> None:
    """Opens ``url`` and logs in on the Dutch login form it sends a visitor to."""
    page.goto(url)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def login_form_token(client: httpx.Client, next_path: str | None = None) -> str:
    page = client.get("/workspace/login", params={"next": next_path} if next_path else None)
    assert page.status_code == 200, page.text
    match = _HIDDEN_CSRF.search(page.text)
    assert match, "the login form has no CSRF field"
    return html.unescape(match.group(1))


def login(
    client: httpx.Client,
    account: StaffAccount,
    *,
    password: str | None = None,
    next_path: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    token = login_form_token(client, next_path)
    data = {"email": account.email, "password": password or account.password, "csrf_token": token}
    if next_path is not None:
        data["next"] = next_path
    return client.post("/workspace/login", data=data, headers=headers)


def logged_in(client: httpx.Client, account: StaffAccount) -> str:
    """Logs in and returns the page's CSRF token."""
    response = login(client, account)
    assert response.status_code == 303, response.text
    return page_csrf(client.get("/workspace"))


def page_csrf(page: httpx.Response) -> str:
    assert page.status_code == 200, page.text
    match = _META_CSRF.search(page.text)
    assert match, "the page carries no CSRF token"
    return html.unescape(match.group(1))


def customer_says(client: httpx.Client, conv: CustomerConversation, text: str) -> dict[str, Any]:
    response = client.post(f"/api/v1/conversations/{conv.id}/messages", json={"text": text}, headers=conv.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def waiting_conversation(client: httpx.Client, name: str, **customer: Any) -> CustomerConversation:
    conv = start_conversation(client, name=name, **customer)
    body = customer_says(client, conv, ASK_FOR_PERSON)
    assert body["decision"]["mode"] == "handoff", body
    assert "customer_request" in body["decision"]["handoff"]["reasons"], body
    return conv


def staff_view(client: httpx.Client, account: StaffAccount, conversation_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/staff/conversations/{conversation_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
