"""The one typed configuration object (CONTRACT.md §2 and §6).

Every field is also an environment variable: ``SAMENSPEL_`` + the name in capitals.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDER_SECRETS = {"", "changethis", "change-me", "secret"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAMENSPEL_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path(".samenspel")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL; default is SQLite (WAL) in the data dir.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis for the event bus between several server processes; default is in-process.",
    )
    redis_channel_prefix: str = Field(
        default="samenspel", description="Prefix of the Redis pub/sub channels, to share one Redis safely."
    )
    secret_key: SecretStr = SecretStr("")
    base_url: str = "http://127.0.0.1:8000"

    working_language: str = "nl"
    organisation_name: str = "Gemeente Samenstad"
    tone: Literal["formal", "informal"] = "formal"
    timezone: str = "Europe/Amsterdam"

    # Knowledge base: who may propose changes and who may publish them
    kb_edit_role: Literal["agent", "supervisor", "admin"] = "agent"
    kb_publish_role: Literal["agent", "supervisor", "admin"] = "supervisor"

    # Contact hours and routing
    opening_hours: str = Field(
        default="mo-fr 08:30-17:00",
        description="When people answer, e.g. 'mo-th 08:30-17:00; fr 08:30-12:00' (times in `timezone`).",
    )
    max_chats_per_agent: int = Field(default=3, ge=1, le=20)
    improvement_share: float = Field(
        default=0.5, ge=0.0, le=0.9, description="Share of an agent's day kept for improvement work."
    )
    load_half_life_minutes: float = Field(
        default=90.0, gt=0, description="How fast the emotional weight of handled conversations fades."
    )
    routing_max_heavy_run: int = Field(
        default=2, ge=1, le=20, description="Heavy contacts in a row after which an agent is passed over for more."
    )
    routing_hold_seconds: float = Field(
        default=45.0,
        ge=0,
        description="How long a heavy contact may wait for a colleague of an agent who had a run of heavy ones.",
    )
    routing_skill_wait_seconds: float = Field(
        default=30.0, ge=0, description="After this wait, agents without the skill a contact asks for may take it."
    )
    routing_tick_seconds: float = Field(
        default=15.0, ge=0, description="How often waiting contacts are routed again (0: only on changes)."
    )
    repeat_window_days: int = Field(
        default=14, ge=1, description="A contact about the same matter within this many days is a repeat."
    )
    triage_policy: Path | None = Field(
        default=None, description="A YAML triage policy that replaces the shipped one (see triage/policy.yaml)."
    )
    triage_model: Literal["embedded", "none"] = Field(
        default="embedded",
        description=(
            "The trained judgement of what a message needs from a person, beside the lexicons: 'embedded' (the "
            "data dir's needs.joblib from `samenspel triage train`, else trained on the shipped corpus) or 'none'."
        ),
    )

    # Limits
    max_message_chars: int = 4000
    max_request_bytes: int = 64_000
    session_hours: int = 12
    api_token_hours: int = 24 * 30

    # Optional AI backends (CONTRACT.md §6)
    translation_backend: Literal["none", "openai", "ctranslate2"] = "none"
    generation_backend: Literal["none", "openai"] = "none"
    embedding_backend: Literal["none", "sentence-transformers"] = "none"
    openai_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    openai_model: str | None = None
    ctranslate2_model_dir: Path | None = None
    embedding_model_path: Path | None = None

    @field_validator("working_language")
    @classmethod
    def _iso_639_1(cls, value: str) -> str:
        value = value.strip().lower()
        if len(value) != 2 or not value.isalpha():
            raise ValueError(f"expected an ISO 639-1 code such as 'nl', got {value!r}")
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str | None) -> str | None:
        if not value:
            return None
        # Accept the plain forms people paste and pick the async driver for them.
        for plain, async_form in (
            ("postgresql://", "postgresql+asyncpg://"),
            ("postgres://", "postgresql+asyncpg://"),
            ("sqlite:///", "sqlite+aiosqlite:///"),
        ):
            if value.startswith(plain):
                return async_form + value[len(plain) :]
        return value

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.environment == "production" and self.secret_key.get_secret_value() in _PLACEHOLDER_SECRETS:
            raise ValueError("SAMENSPEL_SECRET_KEY must be set to a real secret in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'samenspel.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
