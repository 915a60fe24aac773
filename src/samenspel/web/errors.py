"""One place that turns every failure into CONTRACT.md §3's ``{"error": {"code", "message"}}``.

Pages get the same error as a short HTML page, and a login redirect when the session is missing.
No stack trace ever reaches a client; unexpected errors are logged with an id the client is given.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from samenspel.errors import SamenspelError, Unauthenticated

logger = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
}


def error_body(code: str, message: str, **data: Any) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if data:
        error["data"] = data
    return {"error": error}


def _is_page(request: Request) -> bool:
    path = request.url.path
    return not path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _page_error(request: Request, status: int, message: str) -> Response:
    if status == 401 and request.url.path.startswith("/workspace"):
        return RedirectResponse(f"/workspace/login?next={request.url.path}", status_code=303)
    from samenspel.web.render import render_error

    return render_error(request, status, message)


def _describe_validation(errors: list[Any]) -> tuple[int, str]:
    parts: list[str] = []
    for err in errors[:5]:
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        if err.get("type") == "json_invalid":
            return 400, "the request body is not valid JSON: " + str(err.get("ctx", {}).get("error", "parse error"))
        where = ".".join(loc) if loc else "body"
        if err.get("type") == "missing" and not loc:
            parts.append("the request needs a JSON body")
            continue
        parts.append(f"{where}: {err.get('msg', 'invalid value')}")
    return 422, "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SamenspelError)
    async def _samenspel(request: Request, exc: SamenspelError) -> Response:
        if _is_page(request) or (isinstance(exc, Unauthenticated) and request.url.path.startswith("/workspace")):
            return _page_error(request, exc.http_status, exc.message)
        headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
        return JSONResponse(error_body(exc.code, exc.message, **exc.data), exc.http_status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        status, message = _describe_validation(list(exc.errors()))
        if _is_page(request):
            return _page_error(request, status, message)
        return JSONResponse(error_body("bad_request" if status == 400 else "invalid_input", message), status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        if _is_page(request):
            return _page_error(request, exc.status_code, message)
        return JSONResponse(
            error_body(_HTTP_CODES.get(exc.status_code, "error"), message),
            exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        incident = secrets.token_hex(4)
        logger.exception("http.unexpected_error incident=%s path=%s", incident, request.url.path)
        message = f"something went wrong on our side (incident {incident}); please try again"
        if _is_page(request):
            return _page_error(request, 500, message)
        return JSONResponse(error_body("internal", message), 500)
