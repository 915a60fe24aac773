from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from samenspel.types import Segment


class CustomerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_id: str | None = Field(default=None, min_length=1, max_length=200)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: EmailStr | None = None
    segment: Segment = "standard"
    language: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}([-_][A-Za-z]{2})?$")


class CustomerPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    external_id: str | None
    name: str | None
    email: str | None
    segment: Segment
    language: str | None
