from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from samenspel.knowledge.formats import ID_PATTERN, is_safe_url
from samenspel.knowledge.languages import is_language_code


class ArticleEdit(BaseModel):
    """What an editor submits; the id only when creating."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, max_length=120)
    title: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=100_000)
    language: str = "nl"
    group: str | None = Field(default=None, max_length=120)
    tags: list[str] = Field(default_factory=list, max_length=20)
    url: str | None = Field(default=None, max_length=500)
    review_by: date | None = None
    note: str = Field(default="", max_length=500)

    @field_validator("id", "group")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        value = value.strip()
        if not ID_PATTERN.match(value):
            raise ValueError("use lowercase letters, digits, '-', '_' or '.' (max 120), e.g. paspoort-aanvragen")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        if not is_safe_url(value):
            raise ValueError("must start with https://, http:// or /")
        return value.strip()

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        value = value.strip().lower()
        if not is_language_code(value):
            raise ValueError(f"expected an ISO 639-1 language code such as 'nl', got {value!r}")
        return value

    @field_validator("title", "body")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return [t.strip().lower() for t in value if t.strip()][:20]


class ArticlePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    body: str
    language: str
    group: str
    tags: list[str]
    url: str | None
    owner_id: str | None
    status: str
    review_by: date | None
    version: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None


class ArticleVersionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    article_id: str
    number: int
    state: str
    title: str
    body: str
    language: str
    group: str
    tags: list[str]
    status: str
    review_by: date | None
    changed_by: str | None
    source: str
    note: str
    created_at: datetime
