"""Interface texts in Dutch and English, and the choice of language for a request."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from starlette.requests import HTTPConnection

UI_LANGUAGES = ("nl", "en")
LANG_COOKIE = "samenspel_lang"
_DIR = Path(__file__).parent / "locales"


@lru_cache(maxsize=2)
def catalog(language: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((_DIR / f"{language}.json").read_text(encoding="utf-8"))
    return data


def translate(language: str, key: str, **values: object) -> str:
    text = catalog(language).get(key) or catalog("en").get(key) or key
    return text.format(**values) if values else text


def choose_language(request: HTTPConnection, preferred: str | None = None) -> str:
    """?lang= first, then the language cookie, then the staff member's setting, then the browser's."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE), preferred):
        if candidate in UI_LANGUAGES:
            return candidate
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in UI_LANGUAGES:
            return code
    return "nl"
