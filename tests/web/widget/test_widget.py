"""The customer's chat widget in a real headless Chromium, against the live server.

The widget lives in an open Shadow DOM; Playwright's locators look inside it. The server is the one from
``web_server`` (SQLite, emptied before each test), with no knowledge base: every question the assistant
gets is handed to a person, which is what most of these tests want anyway. The tests of answers with
sources and quick replies import a small knowledge base first (the ``knowledge`` fixture).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, WebSocketRoute, expect

from tests.factories import import_knowledge, make_staff, wipe

pytestmark = pytest.mark.browser

LONG = 10_000  # ms: a reconnect waits for its backoff, so allow more than Playwright's 5 s there


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    # A Dutch customer's browser: /demo then answers in Dutch (Accept-Language), ?lang=en in English.
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="nl-NL")
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


class Widget:
    """What a customer sees and uses, found the way a screen reader would: by role and name."""

    def __init__(self, page: Page, lang: str = "nl") -> None:
        self.page = page
        nl = lang == "nl"
        # Its name also carries the number of unread messages: "Chat met ons (1 nieuw bericht)".
        self.launcher = page.get_by_role("button", name=re.compile(r"^Chat met ons" if nl else r"^Chat with us"))
        self.panel = page.get_by_role("dialog", name="Chat met ons" if nl else "Chat with us")
        self.textbox = page.get_by_role("textbox", name="Uw bericht" if nl else "Your message")
        self.log = page.get_by_role("log")
        self.status = page.locator(".status[role=status]")
        self.connection = page.locator(".conn[role=status]")
        self.alert = page.get_by_role("alert")
        self.person = page.get_by_role("button", name="Medewerker spreken" if nl else "Talk to a person")
        self.new_conversation = page.get_by_role(
            "button", name="Nieuw gesprek starten" if nl else "Start a new conversation"
        )

    def messages(self, author: str | None = None) -> Locator:
        """The conversation's messages, sent or being sent (not the local welcome, which has seq 0)."""
        who = f"[data-author={author}]" if author else ""
        return self.page.locator(f'.msg{who}:not([data-seq="0"])')

    def message(self, text: str) -> Locator:
        return self.page.locator(".msg").filter(has=self.page.locator(".text", has_text=text))

    def open(self) -> None:
        self.launcher.click()
        expect(self.textbox).to_be_focused()

    def send(self, text: str) -> None:
        self.textbox.fill(text)
        self.textbox.press("Enter")
        expect(self.textbox).to_have_value("")

    def stored(self) -> dict[str, Any]:
        """The conversation the widget keeps in localStorage."""
        raw = self.page.evaluate(
            "() => Object.entries(localStorage).find(([k]) => k.startsWith('samenspel.chat@'))?.[1] ?? null"
        )
        assert raw, "the widget stored no conversation"
        stored: dict[str, Any] = json.loads(raw)
        return stored


def load(page: Page, web_server: Any, path: str = "/demo", lang: str = "nl") -> Widget:
    page.goto(web_server.base_url + path)
    widget = Widget(page, lang)
    expect(widget.launcher).to_be_visible()
    return widget


def server_messages(web_server: Any, conversation: dict[str, Any]) -> list[dict[str, Any]]:
    with web_server.client() as client:
        response = client.get(
            f"/api/v1/conversations/{conversation['id']}",
            headers={"Authorization": f"Bearer {conversation['token']}"},
        )
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages


def focused_in_widget(page: Page) -> str:
    """A short description of the element that has the keyboard focus, looking into the shadow root."""
    return page.evaluate(
        """() => {
          let el = document.activeElement;
          while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
          if (!el) return '';
          const name = el.getAttribute('aria-label') || el.getAttribute('role') || el.textContent.trim();
          return `${el.tagName.toLowerCase()}:${name}`;
        }"""
    )


class LineToServer:
    """Sits on the line between the widget and the real /ws/chat, and can make it fail like a network.

    On the current connection, ``hold(predicate)`` keeps back the server's frames that match (they are
    in flight when the line breaks), ``deafen()`` stops every frame from the server reaching the page,
    ``mute()`` stops the page's frames reaching the server, and ``cut()`` breaks the line at both ends.
    A new connection always works.
    """

    def __init__(self, page: Page) -> None:
        self.connections: list[dict[str, Any]] = []
        page.route_web_socket(re.compile(r"/ws/chat$"), self._connect)

    def _connect(self, page_side: WebSocketRoute) -> None:
        server_side = page_side.connect_to_server()
        line: dict[str, Any] = {"page": page_side, "server": server_side, "sent": [], "held": []}
        line.update(deaf=False, mute=False, hold=lambda frame: False)
        self.connections.append(line)

        def to_server(message: str | bytes) -> None:
            line["sent"].append(json.loads(message))
            if not line["mute"]:
                server_side.send(message)

        def to_page(message: str | bytes) -> None:
            if line["hold"](json.loads(message)):
                line["held"].append(message)
            elif not line["deaf"]:
                page_side.send(message)

        page_side.on_message(to_server)
        server_side.on_message(to_page)

    @property
    def current(self) -> dict[str, Any]:
        return self.connections[-1]

    def hold(self, predicate: Any) -> None:
        self.current["hold"] = predicate

    def deafen(self) -> None:
        self.current["deaf"] = True

    def mute(self) -> None:
        self.current["mute"] = True

    def cut(self, code: int = 1011) -> None:
        self.current["server"].close()
        self.current["page"].close(code=code)


def test_keyboard_only_customer_asks_and_the_assistant_answers(page: Page, web_server: Any) -> None:
    widget = load(page, web_server)
    for _ in range(10):  # past the page's own links to the launcher
        page.keyboard.press("Tab")
        if focused_in_widget(page).startswith("button:Chat met ons"):
            break
    expect(widget.launcher).to_be_focused()
    outline = widget.launcher.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "the keyboard focus must be visible"

    page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    expect(widget.launcher).to_have_attribute("aria-expanded", "true")
    expect(widget.textbox).to_be_focused()

    page.keyboard.type("Wanneer wordt het grofvuil opgehaald?")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("Ik woon in de Dorpsstraat.")
    expect(widget.textbox).to_have_value("Wanneer wordt het grofvuil opgehaald?\nIk woon in de Dorpsstraat.")
    page.keyboard.press("Enter")
    expect(widget.textbox).to_have_value("")

    mine = widget.messages("customer")
    expect(mine).to_have_count(1)
    expect(mine.locator(".text")).to_have_text("Wanneer wordt het grofvuil opgehaald?\nIk woon in de Dorpsstraat.")
    expect(mine).to_have_attribute("data-id", re.compile(".+"))  # acknowledged: stored on the server
    answer = widget.messages("assistant")
    expect(answer).to_have_count(1)
    expect(answer.locator(".who")).to_have_text("Digitale assistent:")
    expect(answer.locator(".text")).to_contain_text("Dank u wel voor uw vraag")
    # Without a knowledge base the assistant hands over; the widget says so where screen readers hear it.
    expect(widget.status).to_have_text(re.compile("doorverbonden met een collega"))

    # Every control is reachable with Tab, from the text box round to the launcher.
    reached = []
    for _ in range(8):
        page.keyboard.press("Tab")
        reached.append(focused_in_widget(page))
    assert "button:Versturen" in reached
    assert "button:Chat sluiten" in reached
    assert "div:log" in reached

    widget.textbox.focus()
    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_focused()
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")


def test_screen_readers_hear_who_speaks_and_what_changes(page: Page, web_server: Any) -> None:
    widget = load(page, web_server)
    widget.open()
    expect(widget.log).to_have_attribute("aria-live", "polite")
    expect(widget.panel).to_have_accessible_name("Chat met ons")
    expect(widget.status).to_have_text("U chat met de digitale assistent.")
    expect(widget.alert).to_have_count(1)
    expect(widget.textbox).to_have_attribute("maxlength", "4000")

    widget.send("Hoe vraag ik een parkeervergunning aan?")
    expect(widget.messages("system")).to_have_count(1)
    # Each message says who speaks, also where that is not shown on screen.
    expect(widget.messages("customer")).to_have_text(re.compile(r"^U:\s*Hoe vraag ik"))
    expect(widget.messages("system")).to_have_text(re.compile(r"^Melding:\s*Het gesprek is doorgezet"))
    expect(widget.status).to_have_text(re.compile("U wordt doorverbonden met een collega"))


def test_english_texts_on_the_english_page_and_dutch_on_the_dutch_one(
    browser: Browser, page: Page, web_server: Any
) -> None:
    widget = load(page, web_server, "/demo?lang=en", lang="en")
    widget.open()
    expect(widget.person).to_be_visible()
    expect(widget.textbox).to_have_attribute("placeholder", "Type your question…")
    expect(widget.status).to_have_text("You are chatting with the digital assistant.")
    expect(page.get_by_role("button", name="Send", exact=True)).to_be_visible()
    widget.send("Where can I renew my passport?")
    expect(widget.messages("assistant").locator(".who")).to_have_text("Digital assistant:")

    # A fresh browser (the first page left an English-language cookie and a conversation behind).
    with browser.new_context(locale="nl-NL") as dutch:
        page = dutch.new_page()
        widget = load(page, web_server, "/demo", lang="nl")
        widget.open()
        expect(widget.person).to_be_visible()
        expect(widget.textbox).to_have_attribute("placeholder", "Typ uw vraag…")
        expect(page.get_by_role("button", name="Versturen")).to_be_visible()


def test_counter_near_the_limit_and_text_stops_at_4000(page: Page, web_server: Any) -> None:
    widget = load(page, web_server)
    widget.open()
    counter = page.locator("#samenspel-counter")
    widget.textbox.fill("a" * 3000)
    expect(counter).to_have_text("")
    widget.textbox.fill("a" * 3700)
    expect(counter).to_have_text("Nog 300 tekens")
    widget.textbox.fill("")
    widget.textbox.press_sequentially("b" * 10)
    widget.textbox.evaluate("el => { el.focus(); }")
    page.keyboard.insert_text("a" * 4100)
    assert len(widget.textbox.input_value()) == 4000
    expect(counter).to_have_text("Nog 0 tekens")


def test_history_survives_a_reload_and_the_conversation_goes_on(page: Page, web_server: Any) -> None:
    widget = load(page, web_server)
    widget.open()
    widget.send("Mijn container is niet geleegd <b>vandaag</b>")
    expect(widget.messages("system")).to_have_count(1)  # the assistant answered and handed over
    stored = widget.stored()
    assert stored["id"]
    assert stored["token"]
    assert stored["lastSeq"] == 3

    page.reload()
    widget = Widget(page)
    widget.open()
    expect(widget.messages()).to_have_count(3)
    # Text stays text: the tags are shown, not obeyed.
    typed = widget.messages("customer").locator(".text")
    expect(typed).to_have_text("Mijn container is niet geleegd <b>vandaag</b>")
    assert page.locator(".msg b").count() == 0
    expect(widget.status).to_have_text(re.compile("doorverbonden met een collega"))

    widget.send("Het is de groene container.")
    expect(widget.messages("customer")).to_have_count(2)
    expect(widget.messages("customer").last).to_have_attribute("data-seq", "4")
    assert widget.stored()["id"] == stored["id"]
    texts = [m["text"] for m in server_messages(web_server, stored)]
    assert texts.count("Het is de groene container.") == 1
    assert len(texts) == 4


def test_person_button_hands_the_conversation_to_a_colleague(page: Page, web_server: Any) -> None:
    line = LineToServer(page)
    widget = load(page, web_server)
    widget.open()
    expect(widget.person).to_be_visible()
    widget.person.click()

    expect(widget.status).to_have_text("U wordt doorverbonden met een collega. Een ogenblik geduld.")
    expect(widget.person).to_be_hidden()
    expect(widget.messages("customer").locator(".text")).to_have_text("Ik wil graag een medewerker spreken")
    expect(widget.textbox).to_be_focused()
    [asked] = [frame for frame in line.current["sent"] if frame["type"] == "message"]
    assert asked["request_person"] is True

    conversation = widget.stored()
    with web_server.client() as client:
        agent = make_staff(web_server.settings, client)
        waiting = client.get("/api/v1/staff/conversations?status=waiting", headers=agent.headers).json()
    assert conversation["id"] in [item["id"] for item in waiting["items"]]


def test_agent_reply_appears_with_the_agents_name(page: Page, web_server: Any, artifacts: Any) -> None:
    widget = load(page, web_server)
    widget.open()
    widget.send("Ik ben mijn rijbewijs kwijt en ik ga morgen op reis. Wat moet ik doen?")
    expect(widget.status).to_have_text(re.compile("doorverbonden"))
    conversation = widget.stored()

    with web_server.client() as client:
        agent = make_staff(web_server.settings, client, name="Anna de Vries")
        base = f"/api/v1/staff/conversations/{conversation['id']}"
        client.post(f"{base}/assign", headers=agent.headers).raise_for_status()
        expect(widget.status).to_have_text("Anna de Vries helpt u verder.")
        page.keyboard.press("Escape")  # the customer closes the panel and waits
        client.post(
            f"{base}/messages",
            json={"text": "Goedemiddag, ik ben Anna. Ik help u graag met een nooddocument."},
            headers=agent.headers,
        ).raise_for_status()

    # The launcher tells there is something new; opening the panel shows it.
    expect(widget.launcher).to_have_accessible_name("Chat met ons (1 nieuw bericht)")
    expect(widget.launcher.locator(".badge")).to_have_text("1")
    widget.open()
    expect(widget.launcher).to_have_accessible_name("Chat met ons")
    reply = widget.messages("agent")
    expect(reply).to_have_count(1)
    expect(reply.locator(".who")).to_have_text("Anna de Vries:")
    expect(reply.locator(".text")).to_have_text("Goedemiddag, ik ben Anna. Ik help u graag met een nooddocument.")
    expect(widget.person).to_be_hidden()
    page.screenshot(path=str(artifacts / "widget-agent.png"))


def test_offline_and_back_brings_what_was_missed_once_and_delivers_what_was_typed(
    context: BrowserContext, page: Page, web_server: Any
) -> None:
    widget = load(page, web_server)
    widget.open()
    widget.send("Ik wil een medewerker spreken")
    expect(widget.status).to_have_text(re.compile("doorverbonden"))
    conversation = widget.stored()

    context.set_offline(True)
    expect(widget.connection).to_have_text(re.compile("verbinding is verbroken"))
    with web_server.client() as client:
        agent = make_staff(web_server.settings, client, name="Sanne Bakker")
        for text in ("Goedemiddag, u spreekt met Sanne.", "Waar kan ik u mee helpen?"):
            client.post(
                f"/api/v1/staff/conversations/{conversation['id']}/messages",
                json={"text": text},
                headers=agent.headers,
            ).raise_for_status()
    widget.send("Bent u daar nog?")
    typed = widget.message("Bent u daar nog?")
    expect(typed).to_have_attribute("data-state", "sending")
    expect(typed).to_contain_text("Wordt verstuurd…")
    page.wait_for_timeout(500)
    expect(widget.messages("agent")).to_have_count(0)

    context.set_offline(False)
    expect(widget.connection).to_have_text("De verbinding is hersteld.", timeout=LONG)
    expect(widget.messages("agent")).to_have_count(2)
    expect(widget.message("Goedemiddag, u spreekt met Sanne.")).to_have_count(1)
    expect(widget.message("Waar kan ik u mee helpen?")).to_have_count(1)
    expect(typed).to_have_count(1)
    expect(typed).not_to_have_attribute("data-state", "sending")
    expect(typed).to_have_attribute("data-id", re.compile(".+"))
    expect(widget.status).to_have_text("Sanne Bakker helpt u verder.")
    texts = [m["text"] for m in server_messages(web_server, conversation)]
    assert texts.count("Bent u daar nog?") == 1
    # The agent's messages came before the customer's in the conversation, and are shown that way.
    shown = widget.messages().locator(".text").all_inner_texts()
    assert shown.index("Waar kan ik u mee helpen?") < shown.index("Bent u daar nog?")


def test_dropped_connection_loses_nothing_and_shows_nothing_twice(page: Page, web_server: Any) -> None:
    line = LineToServer(page)
    widget = load(page, web_server)
    widget.open()
    widget.send("Ik wil graag iemand spreken over mijn aanslag")  # seq 1, the assistant's 2 and 3
    expect(widget.status).to_have_text(re.compile("doorverbonden"))
    conversation = widget.stored()
    with web_server.client() as client:
        agent = make_staff(web_server.settings, client, name="Joost Jansen")
        base = f"/api/v1/staff/conversations/{conversation['id']}"
        client.post(f"{base}/assign", headers=agent.headers).raise_for_status()  # seq 4
        expect(widget.status).to_have_text("Joost Jansen helpt u verder.")

        # The agent's message (seq 5) is still on its way when the customer's next one (seq 6) is acked.
        line.hold(lambda frame: frame["type"] == "message" and frame["message"]["author"] == "agent")
        client.post(f"{base}/messages", json={"text": "Ik kijk even met u mee."}, headers=agent.headers)
    widget.send("Het gaat om de aanslag van maart.")
    expect(widget.message("Het gaat om de aanslag van maart.")).to_have_attribute("data-seq", "6")
    # The server stores this one (seq 7), but its ack never reaches the widget.
    line.deafen()
    widget.send("Klopt het bedrag wel?")
    # And this one never reaches the server at all.
    line.mute()
    widget.send("Mijn klantnummer is 12345.")
    expect(page.locator(".msg[data-state=sending]")).to_have_count(2)
    first = line.current
    line.cut()

    expect(page.locator(".msg[data-state=sending]")).to_have_count(0, timeout=LONG)
    assert line.current is not first, "the widget did not reconnect"
    hello = line.current["sent"][0]
    # It asks for everything after the last seq it has without a gap: 4, not 6.
    assert hello["type"] == "hello"
    assert hello["after_seq"] == 4
    in_order = [
        "Ik kijk even met u mee.",
        "Het gaat om de aanslag van maart.",
        "Klopt het bedrag wel?",
        "Mijn klantnummer is 12345.",
    ]
    for text in in_order:
        expect(widget.message(text)).to_have_count(1)
    shown = widget.messages().locator(".text").all_inner_texts()
    assert shown[-4:] == in_order
    stored = [m["text"] for m in server_messages(web_server, conversation)]
    assert stored[-4:] == in_order
    # What the server never got went again under the same client_id; what it had was not sent again.
    first_sent = {f["text"]: f["client_id"] for f in first["sent"] if f["type"] == "message"}
    resent = [f for f in line.current["sent"] if f["type"] == "message"]
    assert [(f["text"], f["client_id"]) for f in resent] == [
        ("Mijn klantnummer is 12345.", first_sent["Mijn klantnummer is 12345."])
    ]


def test_closed_conversation_offers_a_new_one(page: Page, web_server: Any) -> None:
    widget = load(page, web_server)
    widget.open()
    widget.send("Ik wil een medewerker spreken")
    expect(widget.status).to_have_text(re.compile("doorverbonden"))
    first = widget.stored()
    with web_server.client() as client:
        agent = make_staff(web_server.settings, client)
        client.post(
            f"/api/v1/staff/conversations/{first['id']}/close", json={"resolved": True}, headers=agent.headers
        ).raise_for_status()

    expect(widget.status).to_have_text("Dit gesprek is afgesloten.")
    expect(widget.panel).to_contain_text("Begin dan een nieuw gesprek.")
    expect(widget.new_conversation).to_be_visible()
    expect(widget.textbox).to_be_hidden()
    expect(widget.person).to_be_hidden()

    widget.new_conversation.click()
    expect(widget.textbox).to_be_focused()
    expect(widget.messages()).to_have_count(0)
    expect(widget.person).to_be_visible()
    widget.send("Nog een vraag over mijn paspoort")
    expect(widget.messages("customer")).to_have_count(1)
    expect(widget.messages("customer")).to_have_attribute("data-id", re.compile(".+"))
    assert widget.stored()["id"] != first["id"]


class OtherSite:
    """Another website on another origin (a port of its own), serving one page with the headers given."""

    def __init__(self) -> None:
        self.body = b""
        self.headers: dict[str, str] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                for name, value in site.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(site.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def other_site() -> Iterator[OtherSite]:
    site = OtherSite()
    yield site
    site.close()


def test_embeds_cross_origin_on_a_page_with_a_strict_csp(page: Page, web_server: Any, other_site: OtherSite) -> None:
    origin = web_server.base_url
    assert origin != other_site.url.rstrip("/")
    other_site.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src {origin}; style-src 'self'; "
        f"connect-src {origin} {web_server.ws_url}; img-src 'self'"
    )
    other_site.body = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Winkel</title></head>'
        f'<body><h1>Een andere website</h1><script src="{origin}/widget.js" async data-lang="en" data-open>'
        "</script></body></html>"
    ).encode()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(other_site.url)

    widget = Widget(page, "en")  # data-lang wins over the page's <html lang="nl">
    expect(widget.panel).to_be_visible()  # data-open
    expect(widget.launcher).to_have_css("position", "fixed")  # the styles survived the CSP
    widget.textbox.click()
    widget.send("Do you deliver on Saturdays?")
    expect(widget.messages("assistant")).to_have_count(1)
    assert widget.stored()["id"]
    assert not problems, problems


def test_sources_and_server_errors_are_shown(page: Page, web_server: Any) -> None:
    """A scripted /ws/chat: the knowledge base that would give sources is not there in these tests."""
    received: list[dict[str, Any]] = []

    def fake_server(ws: WebSocketRoute) -> None:
        def on_message(raw: str | bytes) -> None:
            frame = json.loads(raw)
            received.append(frame)
            if frame["type"] == "hello":
                ws.send(
                    json.dumps(
                        {
                            "type": "ready",
                            "conversation": {
                                "id": "c1",
                                "status": "assistant",
                                "language": "nl",
                                "agent": None,
                            },
                            "messages": [
                                {
                                    "id": "m1",
                                    "seq": 1,
                                    "author": "assistant",
                                    "author_name": None,
                                    "text": "U kunt grofvuil online aanmelden.",
                                    "language": "nl",
                                    "created_at": "2025-03-01T10:00:00+00:00",
                                    "translations": {},
                                    "sources": [{"id": "grofvuil", "title": "Grofvuil aanmelden"}],
                                    "client_id": None,
                                }
                            ],
                        }
                    )
                )
            elif frame["type"] == "message":
                error = {"code": "rate_limited", "message": "too many messages"}
                ws.send(json.dumps({"type": "error", "error": error, "client_id": frame["client_id"]}))

        ws.on_message(on_message)

    page.route_web_socket(re.compile(r"/ws/chat$"), fake_server)
    page.goto(web_server.base_url + "/demo")
    page.evaluate(
        """() => localStorage.setItem('samenspel.chat@' + location.origin,
             JSON.stringify({id: 'c1', token: 't1', lastSeq: 1, status: 'assistant', outbox: []}))"""
    )
    page.reload()
    widget = Widget(page)
    widget.open()
    expect(widget.messages("assistant").locator(".sources")).to_have_text("Bron: Grofvuil aanmelden")
    assert received[0] == {"type": "hello", "conversation_id": "c1", "token": "t1", "after_seq": 0}

    widget.send("Kan dat ook telefonisch?")
    expect(widget.alert).to_have_text(re.compile("U stuurt veel berichten achter elkaar"))
    failed = widget.message("Kan dat ook telefonisch?")
    expect(failed).to_have_attribute("data-state", "failed")
    expect(failed).to_contain_text("Niet verstuurd")
    expect(failed.get_by_role("button", name="Opnieuw versturen")).to_be_visible()


def test_a_conversation_the_server_no_longer_knows_is_replaced_by_a_new_one(page: Page, web_server: Any) -> None:
    page.goto(web_server.base_url + "/demo")
    page.evaluate(
        """() => localStorage.setItem('samenspel.chat@' + location.origin,
             JSON.stringify({id: 'gone', token: 'not-valid', lastSeq: 7, status: 'assigned', outbox: []}))"""
    )
    page.reload()
    widget = Widget(page)
    page.wait_for_function(
        "() => !Object.keys(localStorage).some((k) => k.startsWith('samenspel.chat@'))"
    )  # refused with 4401/4404: forgotten
    widget.open()
    expect(widget.status).to_have_text("U chat met de digitale assistent.")
    widget.send("Wanneer is het gemeentehuis open?")
    expect(widget.messages("assistant")).to_have_count(1)
    assert widget.stored()["id"] not in ("gone", None)
    expect(widget.alert).to_have_text("")


# ---------------------------------------------------------------------------------------------------------
# Answers from the knowledge base: sources and quick replies

ARTICLES = {
    "grofvuil.md": """---
id: grofvuil
title: Grofvuil laten ophalen
language: nl
tags: [afval]
---
Grofvuil is afval dat te groot is voor uw container, zoals een bank of een matras.

## Kosten
- Elk huishouden mag 4 keer per jaar gratis grofvuil laten ophalen.
- Vaker dan 4 keer per jaar? Dan kost een ophaalbeurt € 30.

## Zo maakt u een afspraak
- Online via de website. Vul uw postcode en huisnummer in en kies een datum.
- Of bel 14 0999, op werkdagen van 08.00 tot 17.00 uur.
""",
    # Two articles alike enough that "aanvragen" alone makes the assistant ask which one is meant.
    "paspoort.md": """---
id: paspoort-aanvragen
title: Paspoort aanvragen
language: nl
---
Een paspoort vraagt u aan bij de gemeente waar u woont. Maak eerst een afspraak.

## Kosten
Een paspoort voor volwassenen kost € 84,40.
""",
    "identiteitskaart.md": """---
id: identiteitskaart-aanvragen
title: Identiteitskaart aanvragen
language: nl
---
Een identiteitskaart vraagt u aan bij de gemeente waar u woont. Maak eerst een afspraak.

## Kosten
Een identiteitskaart voor volwassenen kost € 73,20.
""",
}
GROFVUIL_COSTS = "Wat kost het om grofvuil te laten ophalen?"
CLOSING = "Fijn dat ik u kon helpen!"


@pytest.fixture
def knowledge(web_server: Any, tmp_path: Path) -> Iterator[None]:
    """A small knowledge base, imported through the real import action into the running server."""
    folder = tmp_path / "kb"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    import_knowledge(web_server, folder)
    yield

    async def reload(services: Any) -> None:
        await services.reload_knowledge()

    # The server is shared: its index must not answer the next tests from these articles.
    wipe(web_server.settings)
    web_server.run(reload)


def quick_replies(message: Locator, lang: str = "nl") -> Locator:
    return message.get_by_role("group", name="Reageer op dit antwoord" if lang == "nl" else "Reply to this answer")


def test_answer_shows_its_source_once_as_a_link_and_this_helped_thanks_once(
    context: BrowserContext, page: Page, web_server: Any, knowledge: None, artifacts: Path
) -> None:
    line = LineToServer(page)
    widget = load(page, web_server)
    widget.open()
    widget.send(GROFVUIL_COSTS)

    answer = widget.messages("assistant")
    expect(answer).to_have_count(1)
    expect(answer.locator(".text")).to_contain_text("Dit staat in onze informatie over Grofvuil laten ophalen")
    expect(answer.locator(".text")).to_contain_text("• Elk huishouden mag 4 keer per jaar gratis")
    source = answer.get_by_role("link", name=re.compile(r"^Grofvuil laten ophalen"))
    href = f"{web_server.base_url}/kb/grofvuil"
    expect(source).to_have_attribute("href", href)
    expect(source).to_have_attribute("target", "_blank")
    expect(source).to_have_attribute("rel", "noopener noreferrer")
    expect(source).to_have_accessible_name("Grofvuil laten ophalen (opent in een nieuw tabblad)")
    expect(answer.locator(".sources")).to_have_text(re.compile(r"^Bron: Grofvuil laten ophalen"))
    # The reply's own "Bron: … (url)" line is not shown as well: the source is named once.
    shown = answer.inner_text()
    assert shown.count("Bron:") == 1, shown
    assert href not in shown, shown

    # The buttons under the answer; the bar's "Medewerker spreken" gives way to the one in the answer.
    buttons = quick_replies(answer).get_by_role("button")
    expect(buttons).to_have_text(["Dit hielp", "Medewerker spreken"])
    expect(page.get_by_role("button", name="Medewerker spreken")).to_have_count(1)
    page.screenshot(path=str(artifacts / "widget.png"))

    # The link opens the public article in a tab of its own; the chat stays where it was.
    with context.expect_page() as opened:
        source.click()
    article = opened.value
    expect(article).to_have_url(href)
    expect(article.get_by_role("heading", name="Grofvuil laten ophalen")).to_be_visible()
    article.close()

    # From the text box, back with Shift+Tab to "Dit hielp", and Enter.
    widget.textbox.focus()
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        if focused_in_widget(page) == "button:Dit hielp":
            break
    expect(quick_replies(answer).get_by_role("button", name="Dit hielp")).to_be_focused()
    page.keyboard.press("Enter")

    thanks = answer.locator(".thanks")
    expect(thanks).to_have_text("Bedankt voor uw reactie")
    # Inside the log, which screen readers follow politely.
    expect(widget.log.locator(".thanks")).to_have_count(1)
    expect(quick_replies(answer)).to_have_count(0)
    expect(widget.textbox).to_be_focused()
    closing = widget.message(CLOSING)
    expect(closing).to_have_attribute("data-author", "assistant")
    expect(widget.person).to_be_visible()  # the bar's button is back

    answer_id = answer.first.get_attribute("data-id")
    assert [f for f in line.current["sent"] if f["type"] == "feedback"] == [
        {"type": "feedback", "message_id": answer_id, "helpful": True}
    ]
    conversation = widget.stored()
    texts = [m["text"] for m in server_messages(web_server, conversation)]
    assert sum(CLOSING in text for text in texts) == 1
    assert CLOSING in texts[-1]

    # After a reload the thank-you is still there, no buttons come back and nothing is sent again.
    page.reload()
    widget = Widget(page)
    widget.open()
    answer = widget.messages("assistant").first
    expect(answer.locator(".thanks")).to_have_text("Bedankt voor uw reactie")
    expect(widget.message(CLOSING)).to_have_count(1)
    expect(page.locator(".quick")).to_have_count(0)
    assert [f for f in line.current["sent"] if f["type"] == "feedback"] == []
    assert sum(CLOSING in m["text"] for m in server_messages(web_server, conversation)) == 1


def test_this_helped_while_offline_is_sent_after_the_reconnect(
    context: BrowserContext, page: Page, web_server: Any, knowledge: None
) -> None:
    line = LineToServer(page)
    widget = load(page, web_server)
    widget.open()
    widget.send(GROFVUIL_COSTS)
    answer = widget.messages("assistant")
    helped = quick_replies(answer).get_by_role("button", name="Dit hielp")
    expect(helped).to_be_visible()

    context.set_offline(True)
    expect(widget.connection).to_have_text(re.compile("verbinding is verbroken"))
    helped.click()
    expect(answer.locator(".thanks")).to_have_text("Bedankt voor uw reactie")
    assert widget.stored()["feedback"][0]["acked"] is False  # kept, in case the page is closed now
    offline = line.current

    context.set_offline(False)
    expect(widget.message(CLOSING)).to_have_count(1, timeout=LONG)
    assert line.current is not offline
    assert [f["type"] for f in offline["sent"]].count("feedback") == 0
    assert [f["type"] for f in line.current["sent"]].count("feedback") == 1
    page.wait_for_function(
        "() => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith('samenspel.chat@'))[1])"
        ".feedback[0].acked === true"
    )


def test_talk_to_a_person_quick_reply_hands_the_conversation_over(page: Page, web_server: Any, knowledge: None) -> None:
    line = LineToServer(page)
    widget = load(page, web_server)
    widget.open()
    widget.send(GROFVUIL_COSTS)
    answer = widget.messages("assistant")
    quick_replies(answer).get_by_role("button", name="Medewerker spreken").click()

    expect(widget.status).to_have_text("U wordt doorverbonden met een collega. Een ogenblik geduld.")
    expect(widget.message("Ik wil graag een medewerker spreken")).to_have_attribute("data-author", "customer")
    expect(page.locator(".quick")).to_have_count(0)
    expect(widget.textbox).to_be_focused()
    asked = [f for f in line.current["sent"] if f["type"] == "message" and f.get("request_person")]
    assert len(asked) == 1
    with web_server.client() as client:
        agent = make_staff(web_server.settings, client)
        waiting = client.get("/api/v1/staff/conversations?status=waiting", headers=agent.headers).json()
    assert widget.stored()["id"] in [item["id"] for item in waiting["items"]]


def assistant_message(seq: int, text: str, **fields: Any) -> dict[str, Any]:
    """A message as the server sends it (MessagePublic)."""
    message: dict[str, Any] = {
        "id": f"m{seq}",
        "seq": seq,
        "author": "assistant",
        "author_name": None,
        "text": text,
        "language": "nl",
        "created_at": "2025-03-01T10:00:00+00:00",
        "translations": {},
        "sources": [],
        "quick_replies": [],
        "client_id": None,
    }
    message.update(fields)
    return message


def scripted_chat(
    page: Page, messages: list[dict[str, Any]], answers: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """A /ws/chat that answers the hello with these messages, and each customer message with an ack and
    the next of ``answers``: for what the real server sends only with a knowledge base tuned just so."""
    received: list[dict[str, Any]] = []
    to_come = list(answers or [])

    def fake_server(ws: WebSocketRoute) -> None:
        def on_message(raw: str | bytes) -> None:
            frame = json.loads(raw)
            received.append(frame)
            if frame["type"] == "hello":
                conversation = {"id": "c1", "status": "assistant", "language": "nl", "agent": None}
                ws.send(json.dumps({"type": "ready", "conversation": conversation, "messages": messages}))
            elif frame["type"] == "message":
                seq = len(messages) + 1
                mine = {**assistant_message(seq, frame["text"]), "author": "customer"}
                mine.update(id=f"c{seq}", client_id=frame["client_id"])
                messages.append(mine)
                ws.send(json.dumps({"type": "ack", "client_id": frame["client_id"], "message": mine}))
                if to_come:
                    reply = {**to_come.pop(0), "seq": seq + 1, "id": f"m{seq + 1}"}
                    messages.append(reply)
                    ws.send(json.dumps({"type": "message", "message": reply}))

        ws.on_message(on_message)

    page.route_web_socket(re.compile(r"/ws/chat$"), fake_server)
    page.evaluate(
        """() => localStorage.setItem('samenspel.chat@' + location.origin,
             JSON.stringify({id: 'c1', token: 't1', lastSeq: 0, status: 'assistant', outbox: []}))"""
    )
    page.reload()
    return received


def test_a_choice_sends_its_text_as_the_next_message(page: Page, web_server: Any) -> None:
    page.goto(web_server.base_url + "/demo")
    clarify = assistant_message(
        1,
        "Ik wil u graag het goede antwoord geven. Gaat uw vraag over Identiteitskaart aanvragen of over "
        "Paspoort aanvragen?\n\nKies hieronder wat u bedoelt, of vertel er iets meer over.",
        sources=[
            {"id": "identiteitskaart-aanvragen", "title": "Identiteitskaart aanvragen", "url": "/kb/id"},
            {"id": "paspoort-aanvragen", "title": "Paspoort aanvragen", "url": "/kb/paspoort-aanvragen"},
        ],
        quick_replies=[
            {"id": "choice", "label": "Identiteitskaart aanvragen", "text": "Identiteitskaart aanvragen"},
            {"id": "choice", "label": "Paspoort", "text": "Paspoort aanvragen"},
            {"id": "person", "label": "Medewerker spreken"},
        ],
    )
    answer = assistant_message(
        0,
        "Dit staat in onze informatie over Paspoort aanvragen:\nMaak eerst een afspraak.\n\n"
        "Bron: Paspoort aanvragen (/kb/paspoort-aanvragen)\n\nHelpt dit u verder?",
        sources=[{"id": "paspoort-aanvragen", "title": "Paspoort aanvragen", "url": "/kb/paspoort-aanvragen"}],
        quick_replies=[{"id": "helped", "label": "Dit hielp"}, {"id": "person", "label": "Medewerker spreken"}],
    )
    received = scripted_chat(page, [clarify], [answer])
    widget = Widget(page)
    widget.open()
    question = widget.messages("assistant").first
    buttons = quick_replies(question).get_by_role("button")
    expect(buttons).to_have_text(["Identiteitskaart aanvragen", "Paspoort", "Medewerker spreken"])
    # The articles are offered as choices; they are not the source of an answer.
    expect(question.locator(".sources")).to_have_count(0)

    quick_replies(question).get_by_role("button", name="Paspoort").press("Enter")
    chosen = widget.messages("customer")
    expect(chosen.locator(".text")).to_have_text("Paspoort aanvragen")  # its text, not its label
    expect(chosen).to_have_attribute("data-id", "c2")
    expect(widget.textbox).to_be_focused()
    [sent] = [f for f in received if f["type"] == "message"]
    assert sent["text"] == "Paspoort aanvragen"
    assert re.fullmatch(r"[A-Za-z0-9_.:-]{1,64}", sent["client_id"])
    assert not sent.get("request_person")

    # Only the newest answer has buttons; a path as the source's address is on the Samenspel server.
    answer_shown = widget.messages("assistant").last
    expect(answer_shown.get_by_role("link", name=re.compile("^Paspoort aanvragen"))).to_have_attribute(
        "href", f"{web_server.base_url}/kb/paspoort-aanvragen"
    )
    assert answer_shown.inner_text().count("Bron:") == 1
    expect(quick_replies(question)).to_have_count(0)
    expect(quick_replies(answer_shown).get_by_role("button")).to_have_text(["Dit hielp", "Medewerker spreken"])


def test_only_http_addresses_become_links(page: Page, web_server: Any) -> None:
    page.goto(web_server.base_url + "/demo")
    message = assistant_message(
        1,
        "Kijk op https://example.org/afval. Of op javascript:alert(1).\n\n"
        "Bron: Gevaarlijk <b>vet</b> (javascript:alert(2))\n\n"
        "Helpt dit u verder?",
        sources=[
            {"id": "a", "title": "Gevaarlijk <b>vet</b>", "url": "javascript:alert(2)"},
            {"id": "b", "title": "Ook niet", "url": "data:text/html,<script>alert(3)</script>"},
        ],
        quick_replies=[{"id": "helped", "label": "Dit hielp"}],
    )
    scripted_chat(page, [message])
    widget = Widget(page)
    widget.open()
    answer = widget.messages("assistant")
    expect(answer.locator(".sources li")).to_have_text(["Bron: Gevaarlijk <b>vet</b>", "Bron: Ook niet"])
    links = answer.locator("a")
    expect(links).to_have_count(1)  # the https address in the text, without the full stop after it
    expect(links).to_have_attribute("href", "https://example.org/afval")
    expect(links).to_have_attribute("target", "_blank")
    expect(links).to_have_attribute("rel", "noopener noreferrer")
    assert answer.locator("b").count() == 0
    text = answer.locator(".text").inner_text()
    assert "javascript:alert(1)" in text  # shown as the text it is
    assert "Bron:" not in text  # named once, under the message
