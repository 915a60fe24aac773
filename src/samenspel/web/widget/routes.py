"""Serves the chat widget script, embeddable on any page with one script tag."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)
WIDGET_JS = Path(__file__).parent / "widget.js"


@router.get("/widget.js")
async def widget_js() -> Response:
    return Response(
        WIDGET_JS.read_bytes(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"},
    )
