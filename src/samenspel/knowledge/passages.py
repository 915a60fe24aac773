"""An article's Markdown body as sections and blocks, and the passage that answers a question best."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False}).enable("table")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(.+?)\1")


@dataclass
class Block:
    text: str  # plain text, lists as "• item" lines


@dataclass
class Section:
    heading: str  # "" for the text before the first heading
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


def plain(markdown_inline: str) -> str:
    """Inline Markdown to plain text: links keep their target in brackets, emphasis markers go."""
    text = _LINK.sub(
        lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})", markdown_inline
    )
    return _EMPHASIS.sub(r"\2", text).strip()


def sections(body: str) -> list[Section]:
    """Splits a body at its headings; paragraphs, list items and tables become blocks."""
    result = [Section("")]
    lines = body.splitlines()
    tokens = _md.parse(body)
    list_depth = 0
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            if list_depth == 0 and token.map:
                start, end = token.map
                items = _list_items(lines[start:end])
                if items:
                    result[-1].blocks.append(Block("\n".join(items)))
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "table_open" and token.map:
            start, end = token.map
            rows = [
                " – ".join(plain(cell) for cell in line.strip().strip("|").split("|"))
                for line in lines[start:end]
                if line.strip() and not set(line.strip()) <= set("|-: ")
            ]
            result[-1].blocks.append(Block("\n".join(rows)))
        elif token.type == "heading_open":
            result.append(Section(plain(tokens[index + 1].content)))
        elif token.type == "paragraph_open" and list_depth == 0:
            result[-1].blocks.append(Block(plain(tokens[index + 1].content)))
    return [s for s in result if s.blocks or s.heading]


def _list_items(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        stripped = line.strip()
        marker = re.match(r"^([-*+]|\d+[.)])\s+", stripped)
        if marker:
            bullet = "•" if not marker.group(1)[0].isdigit() else marker.group(1)
            items.append(f"{bullet} {plain(stripped[marker.end() :])}")
        elif stripped and items:
            items[-1] += " " + plain(stripped)
    return items
