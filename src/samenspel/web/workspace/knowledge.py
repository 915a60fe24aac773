"""The knowledge-base pages of the workspace: browse and search articles, test what the assistant finds,
read an article with its translations and history, write and change articles, and decide on proposals.

Pages are plain forms that work without JavaScript (each successful POST answers with a redirect);
``/static/workspace-kb.js`` adds a live Markdown preview and plain-language check through
``POST /workspace/kb/check``. Every action goes through the knowledge access functions and actions,
whatever the page chose to show: an editor's change to a published article becomes a proposal there.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from samenspel.errors import Conflict, Forbidden, InvalidInput, NotFound, SamenspelError, Unauthenticated
from samenspel.knowledge import readability
from samenspel.knowledge.access import (
    ArticleAction,
    access_article_by_id,
    can_propose,
    can_publish,
    check_article_action,
)
from samenspel.knowledge.actions import (
    do_decide_proposal,
    do_restore_version,
    do_save_article,
    do_set_article_status,
)
from samenspel.knowledge.languages import is_language_code
from samenspel.knowledge.models import Article, ArticleVersion
from samenspel.knowledge.queries import group_members, list_articles, list_proposals, list_versions
from samenspel.knowledge.render import to_html
from samenspel.knowledge.schemas import ArticleEdit
from samenspel.knowledge.search import Hit
from samenspel.services import Services
from samenspel.settings import Settings
from samenspel.staff.models import Staff
from samenspel.staff.queries import get_staff_by_ids
from samenspel.understanding.language import detect_language
from samenspel.web.deps import CurrentStaff, ServicesDep, SessionDep
from samenspel.web.i18n import choose_language, translate
from samenspel.web.render import render
from samenspel.web.workspace.present import HELPERS, Translate, workspace_page
from samenspel.web.workspace.team import header_state

router = APIRouter(prefix="/kb")

STATUSES = ("draft", "published", "archived")
LIST_LIMIT = 200
FORM_ORDER = ("title", "id", "language", "group", "body", "tags", "review_by", "url", "note")
MAX_QUESTION = 1000
# Offered in the editor's language field; any ISO 639-1 code is accepted.
LANGUAGE_SUGGESTIONS = ("nl", "en", "de", "fr", "es", "pl", "tr", "ar", "uk", "pap", "fy")
# After a form action the article page says what happened; only these come from the query string.
DONE_NOTICES = frozenset(
    {"created", "saved", "published", "proposed", "draft", "archived", "accepted", "rejected", "restored"}
)
_SAFE_URL = re.compile(r"^(https?://[^\s/?#]+[^\s]*|/(?!/)[^\s]*)$", re.IGNORECASE)
_JS_TEXT_KEYS = ("kb.check.failed", "kb.check.expired", "kb.check.updated", "kb.edit.preview_empty")


# --- what the pages show ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KbPermissions:
    """Which buttons the pages show; the server checks each action again through the access functions."""

    propose: bool
    publish: bool

    @classmethod
    def of(cls, staff: Staff, settings: Settings) -> KbPermissions:
        return cls(propose=can_propose(staff, settings), publish=can_publish(staff, settings))


@dataclass
class ArticleForm:
    """What the editor typed, as typed: shown again whole when something needs correcting."""

    id: str = ""
    title: str = ""
    language: str = ""
    group: str = ""
    tags: str = ""
    url: str = ""
    review_by: str = ""
    body: str = ""
    note: str = ""
    version: str = ""

    @classmethod
    def of(cls, article: Article) -> ArticleForm:
        return cls(
            id=article.id,
            title=article.title,
            language=article.language,
            group=article.group,
            tags=", ".join(article.tags or []),
            url=article.url or "",
            review_by=article.review_by.isoformat() if article.review_by else "",
            body=article.body,
            version=str(article.version),
        )

    @classmethod
    def read(cls, data: FormData) -> ArticleForm:
        def value(name: str) -> str:
            item = data.get(name)
            return item if isinstance(item, str) else ""

        # Browsers send a textarea's line breaks as CRLF; the article keeps plain newlines.
        return cls(**{name: value(name) for name in cls.__dataclass_fields__}).normalised()

    def normalised(self) -> ArticleForm:
        self.body = self.body.replace("\r\n", "\n").replace("\r", "\n")
        return self


@dataclass(frozen=True)
class IssueView:
    kind: str
    message: str
    excerpt: str
    suggestion: str | None
    start: int  # in UTF-16 code units, as the editor's script counts them
    end: int


@dataclass(frozen=True)
class CheckView:
    supported: bool
    level: str = ""
    score: float = 0.0
    summary: str = ""
    words: int = 0
    issues: list[IssueView] = field(default_factory=list)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "del", "hunk" or "same"
    text: str


def _utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def plain_language(text: str, language: str, interface_language: str) -> CheckView | None:
    """The B1 / plain-English check of an article text, or None when there is nothing to check yet."""
    if not text.strip():
        return None
    if language not in readability.LANGUAGES:
        return CheckView(supported=False)
    report = readability.check(text, language, interface_language=interface_language)
    return CheckView(
        supported=True,
        level=report.level,
        score=report.score,
        summary=report.summary,
        words=report.words,
        issues=[
            IssueView(i.kind, i.message, i.excerpt, i.suggestion, _utf16(text, i.start), _utf16(text, i.end))
            for i in report.issues
        ],
    )


def today() -> date:
    return datetime.now(UTC).date()


def overdue(review_by: date | None) -> bool:
    return review_by is not None and review_by < today()


def stamp(when: datetime | None) -> str:
    """Date and time in UTC, e.g. ``2025-03-01 14:05 UTC``."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if when else ""


def day(when: date | None) -> str:
    return when.isoformat() if when else ""


def body_diff(old: str, new: str) -> list[DiffLine]:
    """Line changes from ``old`` to ``new``, with three lines of context around each change."""
    lines: list[DiffLine] = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=3):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            lines.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("del", line[1:]))
        else:
            lines.append(DiffLine("same", line[1:]))
    return lines


def field_changes(article: Article, version: ArticleVersion) -> list[tuple[str, str, str]]:
    """The fields (other than the body) in which a version differs from the article as it is now."""
    rows: list[tuple[str, str, str]] = []
    for name in ("title", "language", "group", "tags", "url", "review_by", "status"):
        now, then = getattr(article, name), getattr(version, name)
        if name == "tags":
            now, then = ", ".join(now or []), ", ".join(then or [])
        now, then = "" if now is None else str(now), "" if then is None else str(then)
        if now != then:
            rows.append((name, now, then))
    return rows


def web_address(value: str) -> bool:
    """Whether a link may be offered: a web address or a path, never ``javascript:`` or ``data:``."""
    return bool(_SAFE_URL.match(value.strip()))


KB_HELPERS: dict[str, Any] = {"overdue": overdue, "stamp": stamp, "day": day, "web_address": web_address}


async def _page(
    request: Request,
    staff: Staff,
    template: str,
    context: dict[str, Any],
    *,
    db: AsyncSession,
    page: str,
    status: int = 200,
) -> HTMLResponse:
    """A knowledge-base page in the workspace layout, with the agent's state in the header."""
    settings: Settings = request.app.state.settings
    kb_context = {
        **KB_HELPERS,
        "my_state": await header_state(db, staff, settings),
        **context,
        "section": "kb",
        "perms": KbPermissions.of(staff, settings),
    }
    return workspace_page(request, staff, template, kb_context, data={"page": page}, texts=_JS_TEXT_KEYS, status=status)


def _t(request: Request, staff: Staff) -> Translate:
    lang = choose_language(request, staff.ui_language)

    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    return t


def _article_path(article_id: str, done: str | None = None, anchor: str = "") -> str:
    path = f"/workspace/kb/{quote(article_id, safe='')}"
    if done:
        path += "?" + urlencode({"done": done})
    return path + (f"#{anchor}" if anchor else "")


async def _names(db: AsyncSession, ids: Iterable[str | None]) -> dict[str, str]:
    staff = await get_staff_by_ids(db, {i for i in ids if i})
    return {staff_id: s.name for staff_id, s in staff.items()}


# --- browsing and testing the assistant ------------------------------------------------------------------


def _clean_language(value: str) -> str:
    value = value.strip().lower()[:8]
    return value if is_language_code(value) else ""


def _search(services: Services, question: str, language: str) -> tuple[list[Hit], str]:
    settings = services.settings
    lang = language or detect_language(question, fallback=settings.working_language).code
    kb = services.knowledge.knowledge
    if kb is None or not len(kb):
        return [], lang
    hits: list[Hit] = kb.search(question, lang)
    return hits, lang


@router.get("", response_class=HTMLResponse)
async def kb_home(
    request: Request,
    staff: CurrentStaff,
    db: SessionDep,
    services: ServicesDep,
    q: str = "",
    status: str = "",
    language: str = "",
    ask: str = "",
    ask_language: str = "",
) -> HTMLResponse:
    q = " ".join(q.split())[:200]
    status = status if status in STATUSES else ""
    language = _clean_language(language)
    ask = ask.strip()[:MAX_QUESTION]
    ask_language = _clean_language(ask_language)
    articles = await list_articles(db, status=status or None, language=language or None, text=q or None)
    proposals = await list_proposals(db)
    waiting: dict[str, int] = {}
    for p in proposals:
        waiting[p.article_id] = waiting.get(p.article_id, 0) + 1
    titles = {a.id: a.title for a in articles}
    names = await _names(db, [a.owner_id for a in articles] + [p.changed_by for p in proposals])
    hits: list[Hit] = []
    asked_language = ""
    if ask:
        # The search is plain CPU work; keep the event loop free for the other requests.
        hits, asked_language = await run_in_threadpool(_search, services, ask, ask_language)
    kb = services.knowledge.knowledge
    languages = sorted(
        {"nl", "en", services.settings.working_language}
        | {a.language for a in articles}
        | set(kb.languages if kb is not None else [])
        | ({language} if language else set())
    )
    return await _page(
        request,
        staff,
        "workspace/kb_list.html",
        {
            "articles": articles,
            "limit": LIST_LIMIT,
            "waiting": waiting,
            "proposals": proposals,
            "titles": titles,
            "names": names,
            "q": q,
            "status": status,
            "language": language,
            "languages": languages,
            "statuses": STATUSES,
            "ask": ask,
            "ask_language": ask_language,
            "asked_language": asked_language,
            "hits": hits,
            "indexed": len(kb) if kb is not None else 0,
            "filtered": bool(q or status or language),
        },
        db=db,
        page="kb-list",
    )


# --- the editor --------------------------------------------------------------------------------------------


def _split_tags(value: str) -> list[str]:
    return [tag.strip() for tag in re.split(r"[,;]", value) if tag.strip()]


def _error_message(t: Translate, name: str, error: Any) -> str:
    kind = str(error.get("type", ""))
    if name == "tags":
        return t("kb.error.tags")
    if kind == "string_too_long":
        return t("kb.error.too_long", n=error.get("ctx", {}).get("max_length", ""))
    if name in ("title", "body"):
        return t("kb.error.required")
    if name in ("id", "group"):
        return t("kb.error.slug")
    if name == "language":
        return t("kb.error.language")
    if name == "review_by":
        return t("kb.error.date")
    return str(error.get("msg", t("kb.error.invalid")))


def check_article_form(
    form: ArticleForm, *, new: bool, working_language: str, t: Translate
) -> tuple[ArticleEdit | None, dict[str, str]]:
    """The typed form as an ``ArticleEdit``, or the problems per field in the page's language."""
    errors: dict[str, str] = {}
    if new and not form.id.strip():
        errors["id"] = t("kb.error.id_required")
    url = form.url.strip()
    if url and not web_address(url):
        # The assistant links customers to it: only web addresses, never javascript: or data:.
        errors["url"] = t("kb.error.url")
    data = {
        "id": (form.id.strip() or None) if new else None,
        "title": form.title,
        "body": form.body,
        "language": form.language.strip() or working_language,
        "group": form.group.strip() or None,
        "tags": _split_tags(form.tags),
        "url": url or None,
        "review_by": form.review_by.strip() or None,
        "note": " ".join(form.note.split()),
    }
    try:
        edit = ArticleEdit.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "form"
            errors.setdefault(name, _error_message(t, name, error))
        return None, _in_form_order(errors)
    return (None, _in_form_order(errors)) if errors else (edit, {})


def _in_form_order(errors: dict[str, str]) -> dict[str, str]:
    """Problems listed in the order of the fields on the page, so the summary reads top to bottom."""
    return dict(sorted(errors.items(), key=lambda item: FORM_ORDER.index(item[0]) if item[0] in FORM_ORDER else 99))


async def _editor(
    request: Request,
    staff: Staff,
    db: AsyncSession,
    services: Services,
    *,
    article: Article | None,
    form: ArticleForm,
    errors: dict[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    settings: Settings = services.settings
    lang = choose_language(request, staff.ui_language)
    language = form.language.strip().lower() or settings.working_language
    preview_html, report = await run_in_threadpool(
        lambda: (to_html(form.body) if form.body.strip() else "", plain_language(form.body, language, lang))
    )
    pending = 0
    if article is not None:
        pending = sum(1 for v in await list_versions(db, article.id) if v.state == "proposed")
    return await _page(
        request,
        staff,
        "workspace/kb_edit.html",
        {
            "article": article,
            "form": form,
            "preview_language": language,
            "errors": errors or {},
            "error": error,
            "preview_html": preview_html,
            "report": report,
            "pending": pending,
            "language_suggestions": LANGUAGE_SUGGESTIONS,
            "publish_role": settings.kb_publish_role,
        },
        db=db,
        page="kb-edit",
        status=status,
    )


def _save_refusal(t: Translate, exc: SamenspelError) -> tuple[dict[str, str], str | None]:
    """A refusal from the domain, shown next to the field it is about where there is one."""
    name = exc.data.get("field")
    if isinstance(exc, Forbidden):
        return {}, t("kb.error.forbidden")
    if name == "id":
        return {"id": t("kb.error.id_taken") if isinstance(exc, Conflict) else t("kb.error.id_required")}, None
    if name == "group":
        return {"group": t("kb.error.group_taken", detail=exc.message)}, None
    if isinstance(name, str) and name:
        return {name: exc.message}, None
    return {}, t("kb.error.generic", detail=exc.message)


async def _submit(
    request: Request, staff: Staff, db: AsyncSession, services: Services, article: Article | None
) -> Response:
    submitted = await request.form()
    form = ArticleForm.read(submitted)
    action = submitted.get("action")
    t = _t(request, staff)

    async def again(errors: dict[str, str] | None = None, error: str | None = None, status: int = 200) -> HTMLResponse:
        return await _editor(
            request, staff, db, services, article=article, form=form, errors=errors, error=error, status=status
        )

    if action == "preview":
        return await again()
    if action not in ("save", "publish"):
        return await again(error=t("kb.error.invalid"), status=422)
    publish = action == "publish"
    edit, errors = check_article_form(
        form, new=article is None, working_language=services.settings.working_language, t=t
    )
    if edit is None:
        return await again(errors=errors, error=t("kb.error.summary", n=len(errors)), status=422)
    if article is not None and form.version and form.version != str(article.version):
        # Someone changed the article since this form was opened. Say so, keep the text; a second save
        # (now against the current version) goes ahead.
        stale = form.version
        form.version = str(article.version)
        return await again(error=t("kb.error.stale", mine=stale, now=article.version), status=409)
    try:
        saved, version = await do_save_article(db, services, staff, article, edit, publish=publish)
    except (NotFound, Unauthenticated):
        raise
    except SamenspelError as exc:
        field_errors, message = _save_refusal(t, exc)
        if field_errors and not message:
            message = t("kb.error.summary", n=len(field_errors))
        return await again(errors=field_errors, error=message, status=exc.http_status)
    if version.state == "proposed":
        done = "proposed"
    elif publish:
        done = "published"
    else:
        done = "created" if article is None else "saved"
    return RedirectResponse(_article_path(saved.id, done), status_code=303)


@router.get("/new", response_class=HTMLResponse)
async def new_article(
    request: Request,
    staff: CurrentStaff,
    db: SessionDep,
    services: ServicesDep,
    group: str = "",
) -> HTMLResponse:
    check_article_action(staff, services.settings, "propose")
    form = ArticleForm(language=services.settings.working_language)
    group = group.strip()[:120]
    if group:
        # Adding a translation: same group, and a language the group does not have yet.
        form.group = group
        taken = {a.language for a in await group_members(db, group)}
        free = [c for c in ("nl", "en", services.settings.working_language) if c not in taken]
        form.language = free[0] if free else ""
    return await _editor(request, staff, db, services, article=None, form=form)


@router.post("/new")
async def create_article(request: Request, staff: CurrentStaff, db: SessionDep, services: ServicesDep) -> Response:
    return await _submit(request, staff, db, services, None)


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    body: str = Field(default="", max_length=100_000)
    language: str = Field(default="", max_length=16)


class CheckIssue(BaseModel):
    kind: str
    message: str
    excerpt: str
    suggestion: str | None
    start: int  # UTF-16 code units, as a textarea's selection counts
    end: int


class CheckResult(BaseModel):
    """The editor's live preview and plain-language check, as HTML for the page and as figures."""

    preview_html: str
    check_html: str
    language: str
    level: str | None
    score: float | None
    summary: str | None
    issues: list[CheckIssue]


@router.post("/check")
async def check_text(request: Request, staff: CurrentStaff, services: ServicesDep, data: CheckRequest) -> CheckResult:
    """What the editor shows next to the text as it is typed: rendered Markdown and the B1 check."""
    check_article_action(staff, services.settings, "propose")
    lang = choose_language(request, staff.ui_language)
    language = data.language.strip().lower()[:8] or services.settings.working_language
    body = data.body.replace("\r\n", "\n")
    preview_html, report = await run_in_threadpool(
        lambda: (to_html(body) if body.strip() else "", plain_language(body, language, lang))
    )
    fragment = render(
        request,
        "workspace/kb_check.html",
        {**HELPERS, **KB_HELPERS, "report": report, "preview_language": language},
        preferred_language=staff.ui_language,
    )
    return CheckResult(
        preview_html=preview_html,
        check_html=bytes(fragment.body).decode(),
        language=language,
        level=report.level if report and report.supported else None,
        score=report.score if report and report.supported else None,
        summary=report.summary if report and report.supported else None,
        issues=[
            CheckIssue(
                kind=i.kind, message=i.message, excerpt=i.excerpt, suggestion=i.suggestion, start=i.start, end=i.end
            )
            for i in (report.issues if report else [])
        ],
    )


# --- an article --------------------------------------------------------------------------------------------


async def _article_page(
    request: Request,
    staff: Staff,
    db: AsyncSession,
    article: Article,
    *,
    notice: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    versions = await list_versions(db, article.id)
    translations = [a for a in await group_members(db, article.group) if a.id != article.id]
    names = await _names(db, [article.owner_id] + [v.changed_by for v in versions])
    return await _page(
        request,
        staff,
        "workspace/kb_article.html",
        {
            "article": article,
            "body_html": await run_in_threadpool(to_html, article.body),
            "versions": versions,
            "proposals": [v for v in versions if v.state == "proposed"],
            "translations": translations,
            "names": names,
            "notice": notice,
            "error": error,
        },
        db=db,
        page="kb-article",
        status=status,
    )


@router.get("/{article_id}", response_class=HTMLResponse)
async def article_page(
    article_id: str,
    request: Request,
    staff: CurrentStaff,
    db: SessionDep,
    services: ServicesDep,
    done: str | None = None,
) -> HTMLResponse:
    article = await access_article_by_id(db, staff, services.settings, article_id, "read")
    return await _article_page(request, staff, db, article, notice=done if done in DONE_NOTICES else None)


@router.get("/{article_id}/edit", response_class=HTMLResponse)
async def edit_article(
    article_id: str, request: Request, staff: CurrentStaff, db: SessionDep, services: ServicesDep
) -> HTMLResponse:
    article = await access_article_by_id(db, staff, services.settings, article_id, "propose")
    return await _editor(request, staff, db, services, article=article, form=ArticleForm.of(article))


@router.post("/{article_id}/edit")
async def save_article(
    article_id: str, request: Request, staff: CurrentStaff, db: SessionDep, services: ServicesDep
) -> Response:
    article = await access_article_by_id(db, staff, services.settings, article_id, "propose")
    return await _submit(request, staff, db, services, article)


async def _version(db: AsyncSession, article: Article, number: int) -> ArticleVersion:
    for version in await list_versions(db, article.id):
        if version.number == number:
            return version
    raise NotFound(f"article {article.id!r} has no version {number}")


@router.get("/{article_id}/versions/{number}", response_class=HTMLResponse)
async def version_page(
    article_id: str, number: int, request: Request, staff: CurrentStaff, db: SessionDep, services: ServicesDep
) -> HTMLResponse:
    """One version as it was (or as proposed), and what it changes compared with the article now."""
    article = await access_article_by_id(db, staff, services.settings, article_id, "read")
    version = await _version(db, article, number)
    names = await _names(db, [version.changed_by])
    return await _page(
        request,
        staff,
        "workspace/kb_version.html",
        {
            "article": article,
            "v": version,
            "names": names,
            "body_html": await run_in_threadpool(to_html, version.body),
            "diff": body_diff(article.body, version.body),
            "changes": field_changes(article, version),
        },
        db=db,
        page="kb-version",
    )


def _action_error(t: Translate, exc: SamenspelError) -> str:
    if isinstance(exc, Forbidden):
        return t("kb.error.forbidden")
    if isinstance(exc, Conflict):
        return t("kb.error.conflict", detail=exc.message)
    return t("kb.error.generic", detail=exc.message)


async def _act(
    request: Request,
    staff: Staff,
    db: AsyncSession,
    settings: Settings,
    article_id: str,
    action: ArticleAction,
    work: Callable[[Article], Awaitable[str]],
) -> Response:
    """Runs one form action on an article; on success back to it (PRG), on refusal its page with the reason."""
    article = await access_article_by_id(db, staff, settings, article_id, "read")
    try:
        done = await work(await access_article_by_id(db, staff, settings, article_id, action))
    except (NotFound, Unauthenticated):
        raise
    except SamenspelError as exc:
        # The domain refuses before it writes anything, so the session is still good to show the page.
        return await _article_page(
            request, staff, db, article, error=_action_error(_t(request, staff), exc), status=exc.http_status
        )
    return RedirectResponse(_article_path(article.id, done), status_code=303)


@router.post("/{article_id}/status")
async def set_status(
    article_id: str, request: Request, staff: CurrentStaff, db: SessionDep, services: ServicesDep
) -> Response:
    value = (await request.form()).get("status")

    async def work(article: Article) -> str:
        if value not in STATUSES:
            raise InvalidInput(f"status must be one of {', '.join(STATUSES)}, not {str(value)[:20]!r}", field="status")
        await do_set_article_status(db, services, staff, article, str(value))
        return str(value)

    return await _act(request, staff, db, services.settings, article_id, "publish", work)


@router.post("/{article_id}/versions/{number}/{decision}")
async def decide_version(
    article_id: str,
    number: int,
    decision: str,
    request: Request,
    staff: CurrentStaff,
    db: SessionDep,
    services: ServicesDep,
) -> Response:
    """Accepting or rejecting a proposal, or restoring an earlier version: all for publishers."""
    if decision not in ("accept", "reject", "restore"):
        raise NotFound(f"nothing at {request.url.path}")

    async def work(article: Article) -> str:
        version = await _version(db, article, number)
        if decision == "restore":
            if version.state != "applied" or version.number == article.version:
                raise Conflict(f"version {number} is not an earlier version of the article")
            await do_restore_version(db, services, staff, article, version)
            return "restored"
        await do_decide_proposal(db, services, staff, article, version, accept=decision == "accept")
        return "accepted" if decision == "accept" else "rejected"

    return await _act(request, staff, db, services.settings, article_id, "publish", work)
