"""Server-rendered pages: one Jinja2 environment with autoescaping and the interface texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from samenspel import __version__
from samenspel.web.i18n import LANG_COOKIE, choose_language, translate

TEMPLATES = Path(__file__).parent / "templates"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    preferred_language: str | None = None,
) -> HTMLResponse:
    lang = choose_language(request, preferred_language)

    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    html = _env.get_template(template).render(request=request, lang=lang, t=t, version=__version__, **(context or {}))
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") == lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "message": message}, status=status)
