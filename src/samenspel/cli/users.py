from __future__ import annotations

import sys

import click

from samenspel.cli.common import run_or_fail, settings_or_fail
from samenspel.db.engine import create_engine, create_sessionmaker
from samenspel.db.migrate import upgrade
from samenspel.staff.actions import do_create_staff
from samenspel.staff.passwords import generate_password
from samenspel.staff.schemas import StaffCreate


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@click.group()
def users() -> None:
    """Staff accounts."""


@users.command("add")
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(["agent", "supervisor", "admin"]))
@click.option("--languages", default="nl", show_default=True, help="Comma-separated ISO 639-1 codes.")
@click.option("--skills", default="", help="Comma-separated skill names.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_add(name: str, email: str, role: str, languages: str, skills: str, password_stdin: bool) -> None:
    """Create a staff account; prints a generated password once."""
    settings = settings_or_fail()
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else generate_password()

    async def create() -> str:
        data = StaffCreate(
            name=name,
            email=email,
            role=role,
            password=password,
            languages=_split(languages) or ["nl"],
            skills=_split(skills),
        )
        engine = create_engine(settings)
        try:
            async with create_sessionmaker(engine)() as db:
                staff = await do_create_staff(db, data)
                return staff.id
        finally:
            await engine.dispose()

    upgrade(settings)
    staff_id = run_or_fail(create)
    click.echo(f"created {role} {email} (id {staff_id})")
    if not password_stdin:
        click.echo(f"password: {password}")
        click.echo("this password is shown only once", err=True)
