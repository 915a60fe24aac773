from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from samenspel.types import Role

_CODE = re.compile(r"^[a-z]{2}$")
_SKILL = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class StaffCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    role: Role
    password: str = Field(min_length=10, max_length=256)
    languages: list[str] = Field(default_factory=lambda: ["nl"])
    skills: list[str] = Field(default_factory=list)

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        value = [v.strip().lower() for v in value if v.strip()]
        bad = [v for v in value if not _CODE.match(v)]
        if bad:
            raise ValueError(f"expected ISO 639-1 language codes such as 'nl', got {', '.join(bad)}")
        return value

    @field_validator("skills")
    @classmethod
    def _skills(cls, value: list[str]) -> list[str]:
        value = [v.strip().lower() for v in value if v.strip()]
        bad = [v for v in value if not _SKILL.match(v)]
        if bad:
            raise ValueError(f"skills are short lowercase names (a-z, 0-9, - and _), got {', '.join(bad)}")
        return value


class StaffPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    email: str
    role: Role
    languages: list[str]
    skills: list[str]


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=256)


class TokenPublic(BaseModel):
    token: str
    staff: StaffPublic
