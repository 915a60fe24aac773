from __future__ import annotations

import click

from samenspel.cli.common import run_or_fail, settings_or_fail
from samenspel.cli.serve import default_base_url, run_server
from samenspel.db.migrate import upgrade
from samenspel.demo.seed import SeedReport, seed_demo
from samenspel.services import open_services


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-serve", is_flag=True, help="Only seed the demo data.")
def demo(host: str, port: int, no_serve: bool) -> None:
    """Seed the demo organisation (safe to repeat), then serve it."""
    default_base_url(host, port)
    settings = settings_or_fail()
    upgrade(settings)

    async def seed() -> SeedReport:
        async with open_services(settings) as services:
            return await seed_demo(services)

    report = run_or_fail(seed)
    url = f"http://{host}:{port}"
    click.echo("")
    click.echo(
        f"Samenspel demo: Gemeente Samenstad  ({report.articles} knowledge-base articles; "
        f"{report.created_staff} staff and {report.created_conversations} conversations added this time)"
    )
    click.echo(f"  front page        {url}/")
    click.echo(f"  chat widget demo  {url}/demo")
    click.echo(f"  agent workspace   {url}/workspace")
    click.echo(f"  API               {url}/api/v1/docs")
    click.echo("")
    click.echo(f"Demo accounts (password for all: {report.password}):")
    for person in report.staff:
        click.echo(f"  {person['role']:<11} {person['name']:<20} {person['email']}")
    click.echo("")
    if not no_serve:
        run_server(host, port, 1)
