"""Article Markdown as safe HTML: raw HTML in the source is shown as text, and links that could run
script (javascript:, data:) are dropped by markdown-it's link validation."""

from __future__ import annotations

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def to_html(markdown: str) -> str:
    return str(_md.render(markdown))
