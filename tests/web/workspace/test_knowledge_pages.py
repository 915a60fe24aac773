"""The knowledge-base pages of the workspace, driven like a browser without JavaScript: forms, their
tokens, redirects after success, and what editors and publishers may do."""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from tests.factories import make_staff
from tests.web.workspace.helpers import logged_in

OFFICIALESE = "Indien u uw container wenst te laten legen, dient u dit formulier in te vullen."


def _article(**fields: Any) -> dict[str, Any]:
    values = {
        "id": "grofvuil-ophalen",
        "title": "Grofvuil laten ophalen",
        "language": "nl",
        "group": "",
        "tags": "afval, grofvuil",
        "url": "",
        "review_by": "",
        "body": "# Grofvuil\n\nU kunt grofvuil gratis laten ophalen. Maak online een afspraak.",
        "note": "eerste versie",
    }
    values.update(fields)
    return values


def _create(browser: httpx.Client, csrf: str, action: str = "save", **fields: Any) -> httpx.Response:
    return browser.post("/workspace/kb/new", data={"csrf_token": csrf, "action": action, **_article(**fields)})


def _edit(browser: httpx.Client, csrf: str, article_id: str, action: str = "save", **fields: Any) -> httpx.Response:
    """Opens the editor, changes the given fields and submits it, as a person at the form would."""
    page = browser.get(f"/workspace/kb/{article_id}/edit")
    assert page.status_code == 200, page.text
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version, "the editor carries the version it was opened at"
    current = {
        "title": _field(page.text, "title"),
        "language": _field(page.text, "language"),
        "group": _field(page.text, "group"),
        "tags": _field(page.text, "tags"),
        "url": _field(page.text, "url"),
        "review_by": _field(page.text, "review_by"),
        "body": _textarea(page.text),
        "note": "",
    }
    data = {"csrf_token": csrf, "action": action, "version": version.group(1), **current, **fields}
    return browser.post(f"/workspace/kb/{article_id}/edit", data=data)


def _field(page: str, name: str) -> str:
    match = re.search(rf'<input id="kb-{name}" name="{name}"[^>]* value="([^"]*)"', page)
    assert match, name
    return html.unescape(match.group(1))


def _textarea(page: str) -> str:
    match = re.search(r'<textarea id="kb-body"[^>]*>\n?(.*?)</textarea>', page, re.DOTALL)
    assert match
    return html.unescape(match.group(1))


def _history(page: str) -> list[tuple[str, str]]:
    """(number, row text) of each row of an article page's history table, newest first."""
    body = page.split('class="kb-table kb-history"')[1].split("</tbody>", maxsplit=1)[0]
    rows = re.findall(r'<tr data-version="(\d+)"[^>]*>(.*?)</tr>', body, re.DOTALL)
    return [(number, " ".join(re.sub(r"<[^>]+>", " ", row).split())) for number, row in rows]


def _done(response: httpx.Response) -> str:
    """A form that worked answers with a redirect to the article (post, redirect, get)."""
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    return location


def _public(client: httpx.Client, article_id: str) -> httpx.Response:
    return client.get(f"/kb/{article_id}", headers={"Accept": "text/html"})


def test_an_agent_writes_a_draft_and_cannot_publish(server):
    with server.client() as browser, server.client() as outsider:
        agent = make_staff(server.settings, name="Eva Editor")
        csrf = logged_in(browser, agent)
        kb = browser.get("/workspace/kb")
        assert kb.status_code == 200
        assert 'href="/workspace/kb" aria-current="page"' in kb.text  # the nav link
        form = browser.get("/workspace/kb/new").text
        assert 'name="action" value="save"' in form
        assert 'value="publish"' not in form  # publishing is not offered to an editor

        r = _create(browser, csrf)
        assert r.status_code == 303
        assert r.headers["location"] == "/workspace/kb/grofvuil-ophalen?done=created"
        page = browser.get(r.headers["location"]).text
        assert re.search(r'role="status">Het artikel is opgeslagen als concept\.</p>', page)
        assert "kb-status-draft" in page
        assert "Eva Editor" in page  # the owner
        assert "/status" not in page  # no publish / archive buttons
        assert _public(outsider, "grofvuil-ophalen").status_code == 404

        # The server refuses what the page does not offer: publishing a new or an existing article.
        r = _create(browser, csrf, action="publish", id="grofvuil-twee")
        assert r.status_code == 403
        assert 'role="alert"' in r.text
        assert "U kunt grofvuil gratis laten ophalen." in r.text  # nothing lost
        r = _edit(browser, csrf, "grofvuil-ophalen", action="publish", title="Nu live")
        assert r.status_code == 403
        assert 'value="Nu live"' in r.text
        r = browser.post("/workspace/kb/grofvuil-ophalen/status", data={"csrf_token": csrf, "status": "published"})
        assert r.status_code == 403
        assert 'role="alert"' in r.text
        assert browser.get("/workspace/kb/grofvuil-twee", headers={"Accept": "text/html"}).status_code == 404
        assert _public(outsider, "grofvuil-ophalen").status_code == 404

        # A draft can be changed by its editor directly: it is not live.
        r = _edit(browser, csrf, "grofvuil-ophalen", title="Grofvuil ophalen")
        assert r.status_code == 303
        assert r.headers["location"].endswith("?done=saved")
        page = browser.get("/workspace/kb/grofvuil-ophalen").text
        assert '<h1><span lang="nl">Grofvuil ophalen</span>' in page


def test_a_supervisor_publishes_and_the_public_page_shows_it(server):
    with server.client() as agent_browser, server.client() as boss_browser, server.client() as outsider:
        agent = make_staff(server.settings)
        supervisor = make_staff(server.settings, role="supervisor", name="Sam Supervisor")
        _done(_create(agent_browser, logged_in(agent_browser, agent)))

        csrf = logged_in(boss_browser, supervisor)
        page = boss_browser.get("/workspace/kb/grofvuil-ophalen").text
        assert 'name="status" value="published"' in page
        r = boss_browser.post("/workspace/kb/grofvuil-ophalen/status", data={"csrf_token": csrf, "status": "published"})
        assert r.status_code == 303
        assert r.headers["location"] == "/workspace/kb/grofvuil-ophalen?done=published"
        page = boss_browser.get(r.headers["location"]).text
        assert "De assistent gebruikt het nu." in page
        assert "kb-status-published" in page
        assert 'href="/kb/grofvuil-ophalen"' in page

        public = _public(outsider, "grofvuil-ophalen")
        assert public.status_code == 200
        assert "Grofvuil laten ophalen" in public.text
        assert "U kunt grofvuil gratis laten ophalen." in public.text

        # Archived: gone from the public site again.
        r = boss_browser.post("/workspace/kb/grofvuil-ophalen/status", data={"csrf_token": csrf, "status": "archived"})
        assert r.status_code == 303
        assert _public(outsider, "grofvuil-ophalen").status_code == 404


def test_an_editors_change_to_a_published_article_waits_for_a_publisher(server):
    with server.client() as agent_browser, server.client() as boss_browser, server.client() as outsider:
        agent = make_staff(server.settings, name="Eva Editor")
        supervisor = make_staff(server.settings, role="supervisor", name="Sam Supervisor")
        boss_csrf = logged_in(boss_browser, supervisor)
        r = _create(boss_browser, boss_csrf, action="publish")
        assert r.status_code == 303
        assert r.headers["location"].endswith("?done=published")

        csrf = logged_in(agent_browser, agent)
        editor = agent_browser.get("/workspace/kb/grofvuil-ophalen/edit").text
        assert "Uw wijziging wordt een voorstel." in editor
        assert "Opslaan als voorstel" in editor
        new_body = "# Grofvuil\n\nBel 14 0123 om grofvuil te laten ophalen. Het is gratis."
        r = _edit(agent_browser, csrf, "grofvuil-ophalen", body=new_body, note="telefoonnummer erbij")
        assert r.status_code == 303
        assert r.headers["location"] == "/workspace/kb/grofvuil-ophalen?done=proposed"
        page = agent_browser.get(r.headers["location"]).text
        assert "opgeslagen als voorstel" in page
        assert "Wacht op beoordeling. Het gepubliceerde artikel blijft zoals het is" in page
        assert "/versions/2/accept" not in page  # only publishers decide
        # The live text stays, for customers and on the article page.
        assert "U kunt grofvuil gratis laten ophalen." in _public(outsider, "grofvuil-ophalen").text
        assert "Bel 14 0123" not in _public(outsider, "grofvuil-ophalen").text
        assert "U kunt grofvuil gratis laten ophalen." in page
        r = agent_browser.post("/workspace/kb/grofvuil-ophalen/versions/2/accept", data={"csrf_token": csrf})
        assert r.status_code == 403
        assert "Bel 14 0123" not in _public(outsider, "grofvuil-ophalen").text

        # The list says a proposal is waiting, and the version page shows what it changes.
        assert "1 wacht op beoordeling" in boss_browser.get("/workspace/kb").text
        version = boss_browser.get("/workspace/kb/grofvuil-ophalen/versions/2").text
        assert "<del>- U kunt grofvuil gratis laten ophalen. Maak online een afspraak.</del>" in version
        assert "<ins>+ Bel 14 0123 om grofvuil te laten ophalen. Het is gratis.</ins>" in version
        assert "telefoonnummer erbij" in version
        assert "Eva Editor" in version

        page = boss_browser.get("/workspace/kb/grofvuil-ophalen").text
        assert 'action="/workspace/kb/grofvuil-ophalen/versions/2/accept"' in page
        before = datetime.now(UTC)
        r = boss_browser.post("/workspace/kb/grofvuil-ophalen/versions/2/accept", data={"csrf_token": boss_csrf})
        assert r.status_code == 303
        assert r.headers["location"] == "/workspace/kb/grofvuil-ophalen?done=accepted"
        public = _public(outsider, "grofvuil-ophalen").text
        assert "Bel 14 0123 om grofvuil te laten ophalen." in public
        assert "U kunt grofvuil gratis laten ophalen." not in public

        # The history: who, when and what, newest first.
        page = boss_browser.get("/workspace/kb/grofvuil-ophalen").text
        rows = _history(page)
        assert [number for number, _ in rows] == ["3", "2", "1"]
        assert "Sam Supervisor" in rows[0][1]
        assert "proposal 2 accepted: telefoonnummer erbij" in rows[0][1]
        assert "(nu)" in rows[0][1]
        assert "Overgenomen" in rows[1][1]
        assert "Eva Editor" in rows[1][1]
        assert "Sam Supervisor" in rows[2][1]
        assert "eerste versie" in rows[2][1]
        stamp = re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", rows[0][1])
        assert stamp
        when = datetime.strptime(stamp.group(0), "%Y-%m-%d %H:%M UTC").replace(tzinfo=UTC)
        assert abs((when - before).total_seconds()) < 120
        assert "Er wachten geen voorstellen voor dit artikel." in page


def test_a_rejected_proposal_changes_nothing(server):
    with server.client() as agent_browser, server.client() as boss_browser, server.client() as outsider:
        agent = make_staff(server.settings)
        supervisor = make_staff(server.settings, role="supervisor")
        boss_csrf = logged_in(boss_browser, supervisor)
        _done(_create(boss_browser, boss_csrf, action="publish"))
        r = _edit(agent_browser, logged_in(agent_browser, agent), "grofvuil-ophalen", title="Slechte titel")
        assert r.headers["location"].endswith("?done=proposed")
        r = boss_browser.post("/workspace/kb/grofvuil-ophalen/versions/2/reject", data={"csrf_token": boss_csrf})
        assert r.status_code == 303
        assert r.headers["location"].endswith("?done=rejected")
        assert "Slechte titel" not in _public(outsider, "grofvuil-ophalen").text
        rows = _history(boss_browser.get("/workspace/kb/grofvuil-ophalen").text)
        assert "Afgewezen" in rows[0][1]
        # A decided proposal cannot be decided again.
        r = boss_browser.post("/workspace/kb/grofvuil-ophalen/versions/2/accept", data={"csrf_token": boss_csrf})
        assert r.status_code == 409
        assert 'role="alert"' in r.text


def test_a_publisher_restores_an_older_version(server):
    with server.client() as boss_browser, server.client() as agent_browser, server.client() as outsider:
        supervisor = make_staff(server.settings, role="supervisor")
        csrf = logged_in(boss_browser, supervisor)
        _done(_create(boss_browser, csrf, action="publish"))
        r = _edit(boss_browser, csrf, "grofvuil-ophalen", action="publish", body="# Grofvuil\n\nEen foute tekst.")
        assert r.headers["location"].endswith("?done=published")
        assert "Een foute tekst." in _public(outsider, "grofvuil-ophalen").text

        page = boss_browser.get("/workspace/kb/grofvuil-ophalen").text
        assert 'action="/workspace/kb/grofvuil-ophalen/versions/1/restore"' in page
        assert "/versions/2/restore" not in page  # the current version is not offered
        r = boss_browser.post("/workspace/kb/grofvuil-ophalen/versions/1/restore", data={"csrf_token": csrf})
        assert r.status_code == 303
        assert r.headers["location"] == "/workspace/kb/grofvuil-ophalen?done=restored"
        public = _public(outsider, "grofvuil-ophalen").text
        assert "U kunt grofvuil gratis laten ophalen." in public
        assert "Een foute tekst." not in public
        rows = _history(boss_browser.get("/workspace/kb/grofvuil-ophalen").text)
        assert rows[0][0] == "3"
        assert "teruggezet" in rows[0][1]
        assert "restored version 1" in rows[0][1]
        # The restored version now equals version 1: its page says there is nothing to compare.
        assert (
            "Deze versie is gelijk aan de huidige tekst."
            in boss_browser.get("/workspace/kb/grofvuil-ophalen/versions/1").text
        )

        # Restoring is for publishers.
        agent = make_staff(server.settings)
        agent_csrf = logged_in(agent_browser, agent)
        assert "/restore" not in agent_browser.get("/workspace/kb/grofvuil-ophalen").text
        r = agent_browser.post("/workspace/kb/grofvuil-ophalen/versions/2/restore", data={"csrf_token": agent_csrf})
        assert r.status_code == 403


def test_validation_errors_are_shown_next_to_the_fields_and_nothing_typed_is_lost(server):
    with server.client() as browser:
        csrf = logged_in(browser, make_staff(server.settings))
        r = _create(
            browser,
            csrf,
            id="Paspoort Aanvragen!",
            title="Paspoort <aanvragen>",
            body="   ",
            tags="reizen, documenten",
            review_by="2031-02-30",
            url="javascript:alert(1)",
            note="mijn toelichting",
        )
        assert r.status_code == 422
        page = r.text
        assert re.search(r'<div class="ws-error kb-error-summary" role="alert"', page)
        for name in ("id", "body", "review_by", "url"):
            assert re.search(rf'<p id="{name}-error" class="kb-field-error" role="alert">', page), name
            assert re.search(rf'id="kb-{name}"[^>]*aria-describedby="[^"]*{name}-error"[^>]*aria-invalid="true"', page)
        assert 'id="title-error"' not in page
        # What was typed comes back, escaped.
        assert 'value="Paspoort Aanvragen!"' in page
        assert 'value="Paspoort &lt;aanvragen&gt;"' in page
        assert 'value="reizen, documenten"' in page
        assert 'value="mijn toelichting"' in page
        assert 'value="javascript:alert(1)"' in page
        assert "Gebruik alleen kleine letters" in page
        assert "Vul dit in." in page
        assert browser.get("/workspace/kb/paspoort-aanvragen", headers={"Accept": "text/html"}).status_code == 404

        # A long text with an empty title: the text is all still there.
        body = "# Paspoort\n\n" + "Regel met <tekst> & meer.\n" * 50
        r = _create(browser, csrf, id="paspoort-aanvragen", title="", body=body)
        assert r.status_code == 422
        assert 'id="title-error"' in r.text
        assert _textarea(r.text) == body

        # An id that is taken is said next to the id.
        assert _create(browser, csrf, id="paspoort-aanvragen").status_code == 303
        r = _create(browser, csrf, id="paspoort-aanvragen", title="Een tweede")
        assert r.status_code == 409
        assert "Er is al een artikel met dit id." in r.text
        assert 'value="Een tweede"' in r.text
        # As is a group that already has an article in that language.
        r = _create(browser, csrf, id="paspoort-kwijt", group="paspoort-aanvragen", title="Kwijt")
        assert r.status_code == 409
        assert re.search(r'<p id="group-error" class="kb-field-error" role="alert">', r.text)


def test_a_change_made_meanwhile_is_not_overwritten_unseen(server):
    with server.client() as one, server.client() as other:
        supervisor = make_staff(server.settings, role="supervisor")
        csrf_one = logged_in(one, supervisor)
        csrf_other = logged_in(other, supervisor)
        _done(_create(one, csrf_one))
        stale = one.get("/workspace/kb/grofvuil-ophalen/edit").text
        assert _edit(other, csrf_other, "grofvuil-ophalen", title="Van de ander").status_code == 303

        data = {
            "csrf_token": csrf_one,
            "action": "save",
            "version": "1",
            "title": "Van mij",
            "language": "nl",
            "body": _textarea(stale),
        }
        r = one.post("/workspace/kb/grofvuil-ophalen/edit", data=data)
        assert r.status_code == 409
        assert "Iemand anders heeft het artikel gewijzigd" in r.text
        assert 'value="Van mij"' in r.text
        assert 'name="version" value="2"' in r.text
        # Having seen it, saving again goes ahead.
        r = one.post("/workspace/kb/grofvuil-ophalen/edit", data={**data, "version": "2"})
        assert r.status_code == 303
        assert "Van mij" in one.get("/workspace/kb/grofvuil-ophalen").text


def test_forms_without_the_csrf_token_are_refused(server):
    with server.client() as browser:
        supervisor = make_staff(server.settings, role="supervisor")
        csrf = logged_in(browser, supervisor)
        _done(_create(browser, csrf, action="publish"))
        r = _edit(browser, csrf, "grofvuil-ophalen", action="publish", title="Versie twee")
        assert r.status_code == 303
        for path, data in (
            ("/workspace/kb/new", _article(id="zonder-token")),
            ("/workspace/kb/new", {**_article(id="fout-token"), "csrf_token": "not-the-token"}),
            ("/workspace/kb/grofvuil-ophalen/edit", {**_article(title="Gekaapt"), "version": "2"}),
            ("/workspace/kb/grofvuil-ophalen/status", {"status": "archived"}),
            ("/workspace/kb/grofvuil-ophalen/versions/1/restore", {}),
        ):
            r = browser.post(path, data={"action": "publish", **data})
            assert r.status_code == 403, path
        # The editor's live check needs the token in its header.
        r = browser.post("/workspace/kb/check", json={"body": "Hallo", "language": "nl"})
        assert r.status_code == 403
        r = browser.post(
            "/workspace/kb/check", json={"body": "Hallo", "language": "nl"}, headers={"X-CSRF-Token": csrf}
        )
        assert r.status_code == 200
        page = browser.get("/workspace/kb/grofvuil-ophalen").text
        assert "Versie twee" in page
        assert "Gekaapt" not in page
        assert "kb-status-published" in page
        assert [n for n, _ in _history(page)] == ["2", "1"]
        assert browser.get("/workspace/kb/zonder-token", headers={"Accept": "text/html"}).status_code == 404


def test_markdown_is_rendered_safely_in_the_preview_and_on_the_article_page(server):
    evil = (
        "# Let op\n\n<script>alert('x')</script>\n\n[klik hier](javascript:alert(1)) en "
        '<img src=x onerror="alert(2)">\n\n[veilig](https://www.samenstad.example/afval)'
    )
    with server.client() as browser, server.client() as outsider:
        csrf = logged_in(browser, make_staff(server.settings, role="supervisor"))

        def safe(text: str) -> None:
            assert "<script>alert" not in text
            assert 'href="javascript:' not in text
            assert "<img src=x" not in text
            assert "&lt;script&gt;alert(" in text

        preview = _create(browser, csrf, action="preview", id="veilig-renderen", body=evil)
        assert preview.status_code == 200
        rendered = preview.text.split('id="kb-preview-body"')[1].split("</section>")[0]
        safe(rendered)
        assert '<a href="https://www.samenstad.example/afval">veilig</a>' in rendered
        assert _textarea(preview.text) == evil  # the editor gets back exactly what was typed
        assert browser.get("/workspace/kb/veilig-renderen", headers={"Accept": "text/html"}).status_code == 404

        live = browser.post(
            "/workspace/kb/check", json={"body": evil, "language": "nl"}, headers={"X-CSRF-Token": csrf}
        ).json()
        safe(live["preview_html"])

        assert _create(browser, csrf, action="publish", id="veilig-renderen", body=evil).status_code == 303
        for page in (
            browser.get("/workspace/kb/veilig-renderen").text,
            browser.get("/workspace/kb/veilig-renderen/versions/1").text,
            _public(outsider, "veilig-renderen").text,
        ):
            body = page.split("<main", 1)[1]
            assert "<script>alert" not in body
            assert 'href="javascript:' not in body
            assert "<img src=x" not in body


def test_the_plain_language_check_flags_officialese_in_the_editor(server):
    with server.client() as browser:
        csrf = logged_in(browser, make_staff(server.settings))
        page = _create(browser, csrf, action="preview", body=OFFICIALESE).text
        check = page.split('id="kb-check-body"')[1].split("</section>")[0]
        assert "Geschat niveau:" in check
        issues = re.findall(r'<li class="kb-issue kb-issue-(\w+)">(.*?)</li>', check, re.DOTALL)
        officialese = {
            re.search(r'<q class="kb-excerpt">(.*?)</q>', text).group(1): re.sub(r"<[^>]+>", "", text)
            for kind, text in issues
            if kind == "officialese"
        }
        assert "Indien" in officialese
        assert "Beter: Als" in " ".join(officialese["Indien"].split())
        assert "dient" in officialese

        # The English page gets the remarks in English; the text is still checked as Dutch.
        english = browser.post(
            "/workspace/kb/check?lang=en",
            json={"body": "👋 " + OFFICIALESE, "language": "nl"},
            headers={"X-CSRF-Token": csrf},
        )
        assert english.status_code == 200
        result = english.json()
        assert result["level"]
        assert "Estimated level" in result["summary"]
        first = next(i for i in result["issues"] if i["kind"] == "officialese")
        assert first["excerpt"] == "Indien"
        assert first["suggestion"] == "Als"
        assert "Better:" in result["check_html"]
        # The places are counted as the editor's script counts them (UTF-16), past the emoji.
        units = ("👋 " + OFFICIALESE).encode("utf-16-le")
        assert units[first["start"] * 2 : first["end"] * 2].decode("utf-16-le") == "Indien"

        # Languages the check does not know get the preview and a plain note.
        other = browser.post(
            "/workspace/kb/check", json={"body": "Bonjour", "language": "fr"}, headers={"X-CSRF-Token": csrf}
        ).json()
        assert other["level"] is None
        assert "<p>Bonjour</p>" in other["preview_html"]
        assert "werkt voor Nederlands en Engels" in other["check_html"]


def test_the_assistant_test_search_finds_an_article_once_it_is_published(server):
    question = "Mag ik een kangoeroe als huisdier houden?"
    body = (
        "# Kangoeroe als huisdier\n\n"
        "Een kangoeroe als huisdier houden mag alleen met een vergunning voor exotische dieren. "
        "Vraag de vergunning aan bij de gemeente."
    )
    with server.client() as browser:
        csrf = logged_in(browser, make_staff(server.settings, role="supervisor"))
        r = _create(browser, csrf, id="kangoeroe-huisdier", title="Kangoeroe als huisdier", body=body)
        assert r.status_code == 303
        page = browser.get("/workspace/kb", params={"ask": question}).text
        assert 'href="/workspace/kb/kangoeroe-huisdier" lang="nl">Kangoeroe' not in page.split("ask-results")[-1]

        r = browser.post("/workspace/kb/kangoeroe-huisdier/status", data={"csrf_token": csrf, "status": "published"})
        assert r.status_code == 303
        # The server rebuilds its index when it hears knowledge.changed; give it a moment.
        deadline = time.monotonic() + 15
        while True:
            page = browser.get("/workspace/kb", params={"ask": question}).text
            results = page.split('id="ask-results"')[1].split("</section>")[0]
            if "/workspace/kb/kangoeroe-huisdier" in results:
                break
            assert time.monotonic() < deadline, results
            time.sleep(0.2)
        assert "Wat de assistent vindt (herkende taal: nl)" in results
        assert re.search(r'<span class="score">kans \d+%</span>', results)
        assert "vergunning voor exotische dieren" in results  # the passage it would answer from
        assert question in page  # the question stays in its box


def test_the_list_filters_and_marks_overdue_reviews(server):
    with server.client() as browser:
        supervisor = make_staff(server.settings, role="supervisor", name="Olga Owner")
        csrf = logged_in(browser, supervisor)
        last_year = (date.today() - timedelta(days=365)).isoformat()
        next_year = (date.today() + timedelta(days=365)).isoformat()
        _done(_create(browser, csrf, id="afval-nl", title="Afvalkalender", group="afval", review_by=last_year))
        r = browser.get("/workspace/kb/new", params={"group": "afval"})
        assert 'value="afval"' in r.text
        assert _field(r.text, "language") == "en"  # a translation: the language the group lacks
        r = _create(
            browser,
            csrf,
            action="publish",
            id="waste-en",
            title="Waste calendar",
            language="en",
            group="afval",
            review_by=next_year,
            body="# Waste\n\nYour bins are emptied every two weeks.",
        )
        _done(r)

        def rows(**params: str) -> list[str]:
            page = browser.get("/workspace/kb", params=params)
            assert page.status_code == 200
            return re.findall(r'<tr data-id="([^"]+)"', page.text)

        assert rows() == ["afval-nl", "waste-en"]
        assert rows(status="published") == ["waste-en"]
        assert rows(status="draft") == ["afval-nl"]
        assert rows(language="en") == ["waste-en"]
        assert rows(q="kalender") == ["afval-nl"]
        assert rows(q="waste") == ["waste-en"]
        assert rows(q="niets-zoals-dit") == []
        assert rows(status="nonsense") == ["afval-nl", "waste-en"]  # unknown filters are ignored

        page = browser.get("/workspace/kb").text
        overdue = page.split('<tr data-id="afval-nl"')[1].split("</tr>")[0]
        assert 'class="kb-row-overdue"' in overdue
        assert f'<time datetime="{last_year}">{last_year}</time> <span class="kb-overdue">te laat</span>' in overdue
        assert "Olga Owner" in overdue
        on_time = page.split('<tr data-id="waste-en"')[1].split("</tr>")[0]
        assert "kb-overdue" not in on_time
        assert "Gepubliceerd" in on_time
        assert "Geen artikelen gevonden met deze filters." in browser.get("/workspace/kb?q=zzz").text

        # Translations link to each other on the article page.
        article = browser.get("/workspace/kb/afval-nl").text
        assert 'href="/workspace/kb/waste-en" lang="en" hreflang="en">Waste calendar</a>' in article


def test_knowledge_pages_obey_the_content_security_policy_and_speak_english(server):
    with server.client() as browser:
        supervisor = make_staff(server.settings, role="supervisor")
        csrf = logged_in(browser, supervisor)
        _done(_create(browser, csrf, action="publish"))
        _done(_edit(browser, csrf, "grofvuil-ophalen", action="publish", body="# Grofvuil\n\nNieuw."))
        paths = (
            "/workspace/kb",
            "/workspace/kb?ask=grofvuil",
            "/workspace/kb/new",
            "/workspace/kb/grofvuil-ophalen",
            "/workspace/kb/grofvuil-ophalen/edit",
            "/workspace/kb/grofvuil-ophalen/versions/1",
        )
        for path in paths:
            page = browser.get(path)
            assert page.status_code == 200, path
            assert "script-src 'self'" in page.headers["content-security-policy"]
            assert page.headers["cache-control"] == "no-store"
            assert not re.search(r"\sstyle=", page.text), path
            assert not re.search(r"\son[a-z]+=", page.text), path
            for tag in re.findall(r"<script\b[^>]*>", page.text):
                assert 'src="/static/' in tag or 'type="application/json"' in tag, (path, tag)
        assert 'src="/static/workspace-kb.js"' in browser.get("/workspace/kb/new").text
        assert browser.get("/static/workspace-kb.js").status_code == 200

        english = browser.get("/workspace/kb/grofvuil-ophalen?lang=en").text
        assert "History" in english
        assert "Restore version 1" in english
        assert "Knowledge base" in english
        assert (
            "Difference between the current version (2) and version 1"
            in browser.get("/workspace/kb/grofvuil-ophalen/versions/1?lang=en").text
        )


def test_unknown_articles_and_versions_are_404_pages(server):
    with server.client() as browser:
        csrf = logged_in(browser, make_staff(server.settings))
        _done(_create(browser, csrf))
        for path in (
            "/workspace/kb/bestaat-niet",
            "/workspace/kb/bestaat-niet/edit",
            "/workspace/kb/grofvuil-ophalen/versions/9",
        ):
            page = browser.get(path, headers={"Accept": "text/html"})
            assert page.status_code == 404, path
            assert "text/html" in page.headers["content-type"]
        r = browser.post("/workspace/kb/grofvuil-ophalen/versions/1/explode", data={"csrf_token": csrf})
        assert r.status_code == 404


def test_the_knowledge_pages_need_a_login(server):
    with server.client() as browser:
        for path in ("/workspace/kb", "/workspace/kb/new", "/workspace/kb/x"):
            r = browser.get(path, headers={"Accept": "text/html"})
            assert r.status_code == 303
            assert r.headers["location"] == f"/workspace/login?next={path}"
