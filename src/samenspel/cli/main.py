from __future__ import annotations

import click

from samenspel import __version__
from samenspel.cli import ask, db, demo, emotion, intents, kb, serve, simulate, triage, users
from samenspel.cli import eval as eval_cli
from samenspel.cli.common import apply_global_options


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="samenspel")
@click.option(
    "--data-dir",
    envvar="SAMENSPEL_DATA_DIR",
    type=click.Path(file_okay=False),
    help="Folder for the embedded database and indexes (default ./.samenspel).",
)
@click.option(
    "--database-url",
    envvar="SAMENSPEL_DATABASE_URL",
    help="PostgreSQL instead of SQLite, e.g. postgresql+asyncpg://user@host/db.",
)
def cli(data_dir: str | None, database_url: str | None) -> None:
    """Samenspel: a virtual assistant and human agents serving customers together."""
    apply_global_options(data_dir, database_url)


cli.add_command(demo.demo)
cli.add_command(serve.serve)
cli.add_command(users.users)
cli.add_command(ask.ask)
cli.add_command(db.db)
cli.add_command(kb.kb)
cli.add_command(eval_cli.eval_group)
cli.add_command(intents.intents)
cli.add_command(simulate.simulate)
cli.add_command(triage.triage)
cli.add_command(emotion.emotion)


def main() -> None:
    cli(prog_name="samenspel")
