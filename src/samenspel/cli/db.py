from __future__ import annotations

import click

from samenspel.cli.common import settings_or_fail
from samenspel.db.migrate import upgrade


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema to the newest version."""
    upgrade(settings_or_fail())
    click.echo("database is up to date")
