"""Reading and writing knowledge-base files (CONTRACT.md §4): a folder of Markdown files with front
matter, CSV, or JSON Lines. Every problem names the file, the line and what was expected."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from samenspel.errors import InvalidInput
from samenspel.knowledge.languages import is_language_code

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,119}$")


def is_safe_url(url: str) -> bool:
    """Customers follow these links from the assistant's answers: web addresses only, never script."""
    url = url.strip()
    return url.startswith(("https://", "http://")) or (url.startswith("/") and not url.startswith("//"))


STATUSES = ("draft", "published", "archived")
REQUIRED = ("id", "title", "language")
OPTIONAL = ("group", "tags", "url", "status", "review_by", "owner")
MAX_TITLE = 300
MAX_BODY = 100_000


@dataclass
class ArticleInput:
    id: str
    title: str
    body: str
    language: str
    group: str
    tags: list[str] = field(default_factory=list)
    url: str | None = None
    status: str | None = None
    review_by: date | None = None
    owner: str | None = None
    origin: str = ""  # "kb/paspoort.md" or "articles.csv"
    line: int = 1


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.message}"


class ImportProblems(InvalidInput):
    """One or more problems; the message names the first, ``problems`` holds all."""

    def __init__(self, problems: list[Problem]) -> None:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}", problems=[str(p) for p in problems])
        self.problems = problems


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))


def _tags(value: Any) -> list[str] | None:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [t.strip() for t in re.split(r"[;,]", value) if t.strip()]
    if isinstance(value, list) and all(isinstance(t, str | int) for t in value):
        return [str(t).strip() for t in value if str(t).strip()]
    return None


def _article(data: dict[str, Any], body: str, origin: str, line: int, problems: _Collector) -> ArticleInput | None:
    before = len(problems.problems)
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL) - {"body"})
    if unknown:
        problems.add(origin, line, f"unknown field {unknown[0]!r}; expected {', '.join(REQUIRED + OPTIONAL)}")
    for key in REQUIRED:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.add(origin, line, f"missing {key!r}")
    article_id = str(data.get("id") or "").strip()
    if article_id and not ID_PATTERN.match(article_id):
        problems.add(origin, line, f"id {article_id!r} must be lowercase letters, digits, '-', '_' or '.' (max 120)")
    title = str(data.get("title") or "").strip()
    if len(title) > MAX_TITLE:
        problems.add(origin, line, f"title is {len(title)} characters; the limit is {MAX_TITLE}")
    language = str(data.get("language") or "").strip().lower()
    if language and not is_language_code(language):
        problems.add(origin, line, f"unknown language code {language!r}; expected ISO 639-1 such as 'nl' or 'en'")
    if not body.strip():
        problems.add(origin, line, "empty body: the article has no text")
    elif len(body) > MAX_BODY:
        problems.add(origin, line, f"body is {len(body):,} characters; the limit is {MAX_BODY:,}")
    group = str(data.get("group") or article_id).strip()
    if group and not ID_PATTERN.match(group):
        problems.add(origin, line, f"group {group!r} must look like an id (lowercase, digits, '-', '_', '.')")
    tags = _tags(data.get("tags"))
    if tags is None:
        problems.add(origin, line, "tags must be a list such as [afval, burgerzaken] or 'afval;burgerzaken'")
    status = data.get("status")
    if status is not None and status not in STATUSES:
        problems.add(origin, line, f"status {status!r} must be one of {', '.join(STATUSES)}")
    url = data.get("url")
    if url is not None and not is_safe_url(str(url)):
        problems.add(origin, line, f"url {str(url)[:80]!r} must start with https://, http:// or /")
    review_by = data.get("review_by")
    if isinstance(review_by, str) and review_by.strip():
        try:
            review_by = date.fromisoformat(review_by.strip())
        except ValueError:
            problems.add(origin, line, f"review_by {review_by!r} must be a date such as 2027-01-31")
            review_by = None
    elif review_by is not None and not isinstance(review_by, date):
        problems.add(origin, line, "review_by must be a date such as 2027-01-31")
        review_by = None
    if len(problems.problems) > before:
        return None
    owner = data.get("owner")
    return ArticleInput(
        id=article_id,
        title=title,
        body=body.strip() + "\n",
        language=language,
        group=group,
        tags=tags or [],
        url=str(url).strip() if url else None,
        status=status,
        review_by=review_by or None,
        owner=str(owner).strip().lower() if owner else None,
        origin=origin,
        line=line,
    )


def _read_markdown(path: Path, shown: str, problems: _Collector) -> ArticleInput | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.add(shown, 1, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.add(shown, 1, "expected a front-matter block starting with '---'")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problems.add(shown, 1, "the front-matter block that starts here has no closing '---'")
        return None
    try:
        data = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problems.add(shown, line, f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}")
        return None
    if not isinstance(data, dict):
        problems.add(shown, 2, "front matter must be 'key: value' lines")
        return None
    return _article(data, "\n".join(lines[end + 1 :]), shown, 1, problems)


def _read_csv(path: Path, shown: str, problems: _Collector) -> list[ArticleInput]:
    out: list[ArticleInput] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            problems.add(shown, 1, "empty file; expected the header id,title,body,language[,group,tags]")
            return out
        missing = [c for c in ("id", "title", "body", "language") if c not in header]
        if missing:
            problems.add(
                shown,
                1,
                f"the header lacks {', '.join(missing)}; expected id,title,body,language[,group,tags]",
            )
            return out
        line = reader.line_num + 1
        for row in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.add(shown, start, f"expected {len(header)} columns as in the header, found {len(row)}")
                continue
            data = dict(zip(header, row, strict=True))
            body = data.pop("body")
            article = _article({k: v for k, v in data.items() if v != ""}, body, shown, start, problems)
            if article:
                out.append(article)
    return out


def _read_jsonl(path: Path, shown: str, problems: _Collector) -> list[ArticleInput]:
    out: list[ArticleInput] = []
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.add(shown, number, f"not valid JSON: {exc.msg} at character {exc.pos}")
                continue
            if not isinstance(data, dict):
                problems.add(shown, number, "expected a JSON object with id, title, body, language")
                continue
            body = data.get("body")
            if not isinstance(body, str):
                problems.add(shown, number, "missing 'body' (a string of Markdown)")
                continue
            article = _article({k: v for k, v in data.items() if k != "body"}, body, shown, number, problems)
            if article:
                out.append(article)
    return out


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield from sorted(p for p in path.rglob("*.md") if p.is_file())
    else:
        yield path


def read_articles(paths: list[Path]) -> list[ArticleInput]:
    """All articles in the given files and folders; raises ImportProblems if anything is wrong."""
    problems = _Collector()
    articles: list[ArticleInput] = []
    for root in paths:
        if not root.exists():
            problems.add(str(root), 1, "no such file or folder")
            continue
        files = list(_files(root))
        if root.is_dir() and not files:
            problems.add(str(root), 1, "the folder holds no .md files")
        for file in files:
            shown = str(file)
            suffix = file.suffix.lower()
            if suffix == ".md":
                article = _read_markdown(file, shown, problems)
                if article:
                    articles.append(article)
            elif suffix == ".csv":
                articles += _read_csv(file, shown, problems)
            elif suffix in (".jsonl", ".ndjson"):
                articles += _read_jsonl(file, shown, problems)
            else:
                problems.add(shown, 1, f"unsupported file type {suffix or '(none)'}; use .md, .csv or .jsonl")
    seen: dict[str, ArticleInput] = {}
    group_languages: dict[tuple[str, str], ArticleInput] = {}
    for article in articles:
        if article.id in seen:
            first = seen[article.id]
            problems.add(
                article.origin,
                article.line,
                f"duplicate id {article.id!r} (also in {first.origin}, line {first.line})",
            )
            continue
        seen[article.id] = article
        key = (article.group, article.language)
        if key in group_languages:
            other = group_languages[key]
            problems.add(
                article.origin,
                article.line,
                f"group {article.group!r} already has a {article.language} article ({other.id} in {other.origin});"
                " articles in one group are translations of each other",
            )
        group_languages[key] = article
    if problems.problems:
        raise ImportProblems(problems.problems)
    return articles


def to_markdown(
    *,
    id: str,
    title: str,
    language: str,
    group: str,
    tags: list[str],
    body: str,
    url: str | None = None,
    status: str | None = None,
    review_by: date | None = None,
) -> str:
    meta: dict[str, Any] = {"id": id, "title": title, "language": language, "group": group, "tags": tags}
    if url:
        meta["url"] = url
    if status:
        meta["status"] = status
    if review_by:
        meta["review_by"] = review_by.isoformat()
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None).strip()
    return f"---\n{front}\n---\n{body.strip()}\n"
