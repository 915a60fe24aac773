"""What every command shares: settings from the global options, and one way to fail."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

import click
from pydantic import ValidationError

from samenspel.errors import SamenspelError
from samenspel.settings import Settings, get_settings

T = TypeVar("T")


def apply_global_options(data_dir: str | None, database_url: str | None) -> None:
    # Environment variables, so server worker processes started later see the same settings.
    if data_dir:
        os.environ["SAMENSPEL_DATA_DIR"] = data_dir
    if database_url:
        os.environ["SAMENSPEL_DATABASE_URL"] = database_url
    get_settings.cache_clear()


def note_training() -> None:
    """Said before a command first trains the triage model on the shipped corpus."""
    click.echo("Training the triage model on the shipped corpus (once, a few seconds)...", err=True)


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def settings_or_fail() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        fail(f"bad setting {'.'.join(str(p) for p in err['loc'])}: {err['msg']}")


def run_or_fail(make: Callable[[], Awaitable[T]]) -> T:
    """Runs a coroutine; a SamenspelError or validation error becomes a one-line message and exit code 2."""
    try:
        return asyncio.run(make())  # type: ignore[arg-type]
    except SamenspelError as exc:
        fail(exc.message)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        fail(f"{where}: {err['msg']}" if where else str(err["msg"]))
