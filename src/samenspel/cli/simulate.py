"""``samenspel simulate``: a simulated contact-centre day, each routing policy side by side."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from samenspel.cli.common import fail, settings_or_fail
from samenspel.routing import simulation
from samenspel.routing.engine import POLICIES
from samenspel.routing.queries import routing_config
from samenspel.routing.simulation import DEFAULT_ARRIVALS, PolicyResult, Scenario, plot_loads


def _arrivals(text: str | None) -> tuple[float, ...]:
    if not text:
        return DEFAULT_ARRIVALS
    try:
        values = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        fail(f"--arrivals expects numbers per hour separated by commas, such as 30,45,50; got {text!r}")
    if not values or any(v < 0 for v in values) or not any(values):
        fail(f"--arrivals needs at least one hour with arrivals and no negative numbers; got {text!r}")
    return values


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], *, left: int = 1) -> str:
    """A Markdown table, padded so it also reads well in a terminal; the first ``left`` columns are text."""
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(("-" * (w + 2)) if i < left else ("-" * (w + 1) + ":") for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _summary(results: Sequence[PolicyResult], target_s: float) -> str:
    measures: list[tuple[str, Callable[[PolicyResult], str]]] = [
        (f"service level (answered within {target_s:g} s)", lambda r: f"{r.answered_within_target:.1%}"),
        ("average wait", lambda r: f"{r.average_wait_s:.0f} s"),
        ("p90 wait", lambda r: f"{r.p90_wait_s:.0f} s"),
        ("longest wait", lambda r: f"{r.max_wait_s:.0f} s"),
        ("unanswered at the end", lambda r: str(r.contacts - r.answered)),
        ("longest run of heavy contacts (any agent)", lambda r: str(r.max_heavy_run)),
        ("heavy contacts per agent (fewest-most)", lambda r: "{}-{}".format(*r.heavy_range)),
        ("load spread (sd of agents' average load)", lambda r: f"{r.load_spread:.2f}"),
        ("highest load of anyone", lambda r: f"{r.peak_load:.2f}"),
        ("improvement time (share of the day)", lambda r: f"{r.improvement_share:.0%}"),
    ]
    rows = [[name, *(show(r) for r in results)] for name, show in measures]
    return _table(["measure", *(r.policy for r in results)], rows)


def _per_agent(results: Sequence[PolicyResult]) -> str:
    header = ["agent", "speaks", "skills"]
    for r in results:
        header += [f"{r.policy}: heavy", "run", "load avg/peak"]
    rows: list[list[str]] = []
    for i, first in enumerate(results[0].agents):
        row = [first.id, " ".join(first.languages), " ".join(first.skills) or "-"]
        for r in results:
            a = r.agents[i]
            row += [f"{a.heavy}/{a.contacts}", str(a.longest_heavy_run), f"{a.mean_load:.2f}/{a.peak_load:.2f}"]
        rows.append(row)
    return _table(header, rows, left=3)


@click.command("simulate")
@click.option("--agents", type=click.IntRange(1, 500), default=12, show_default=True, help="Agents on duty.")
@click.option("--hours", type=click.FloatRange(0.25, 24), default=8.0, show_default=True, help="Length of the day.")
@click.option("--seed", type=int, default=7, show_default=True, help="Same seed, same day.")
@click.option(
    "--arrivals",
    help="Contacts arriving per hour of the day, comma-separated; repeats when the day is longer "
    f"[default: {','.join(f'{a:g}' for a in DEFAULT_ARRIVALS)}].",
)
@click.option(
    "--heavy-share",
    type=click.FloatRange(0, 1),
    default=0.25,
    show_default=True,
    help="Share of heavy contacts (upset, bereaved, in debt).",
)
@click.option(
    "--target",
    "target_s",
    type=click.FloatRange(1),
    default=60.0,
    show_default=True,
    help="Service level: the share of contacts answered within this many seconds.",
)
@click.option(
    "--max-chats", type=click.IntRange(1, 20), help="Chats per agent at once [default: the configured maximum]."
)
@click.option(
    "--improvement-share",
    type=click.FloatRange(0, 0.9),
    help="Share of the day kept for improvement [default: the configured share].",
)
@click.option("--translation/--no-translation", default=None, help="As if a translation backend were configured.")
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("simulation-loads.png"),
    show_default=True,
    help="Where to write the plot of each agent's load over the day (PNG).",
)
@click.option("--no-plot", is_flag=True, help="Do not write the plot.")
def simulate(
    agents: int,
    hours: float,
    seed: int,
    arrivals: str | None,
    heavy_share: float,
    target_s: float,
    max_chats: int | None,
    improvement_share: float | None,
    translation: bool | None,
    plot_path: Path,
    no_plot: bool,
) -> None:
    """Simulates a contact-centre day and compares the routing policies side by side: first come first
    served, skills only, and Samenspel's (which weighs emotional load, heavy runs and improvement time).

    The routing settings (improvement share, load half-life, heavy-run limit, hold, skill wait, maximum
    chats, translation backend) are this installation's, unless an option says otherwise."""
    settings = settings_or_fail()
    config = routing_config(settings)
    changes: dict[str, object] = {}
    if improvement_share is not None:
        changes["improvement_share"] = improvement_share
    if translation is not None:
        changes["translation"] = translation
    scenario = Scenario(
        agents=agents,
        hours=hours,
        arrivals_per_hour=_arrivals(arrivals),
        heavy_share=heavy_share,
        seed=seed,
        target_s=target_s,
        max_chats=max_chats or settings.max_chats_per_agent,
        config=dataclasses.replace(config, **changes),  # type: ignore[arg-type]
    )
    results = simulation.simulate(scenario, POLICIES)
    contacts = results[0].contacts
    heavy = sum(c.heaviness >= scenario.config.heavy_threshold for c in simulation.make_contacts(scenario))
    click.echo(
        f"A simulated day: {agents} agents, {hours:g} hours, {contacts} contacts ({heavy} heavy), seed {seed}; "
        f"at most {scenario.max_chats} chats at once, improvement share {scenario.config.improvement_share:.0%}, "
        f"translation {'on' if scenario.config.translation else 'off'}."
    )
    click.echo("")
    click.echo(_summary(results, target_s))
    click.echo("")
    click.echo("Per agent: heavy contacts of all they took, their longest run of heavy ones, and their emotional")
    click.echo(
        "load (each contact 0.1 light to 1.0 heavy, halving every half-life) on average over the day and at most."
    )
    click.echo("")
    click.echo(_per_agent(results))
    if not no_plot:
        try:
            written = plot_loads(results, plot_path, title=f"Emotional load per agent, seed {seed}")
        except OSError as exc:
            fail(f"cannot write the plot to {plot_path}: {exc.strerror or exc}")
        click.echo("")
        click.echo(f"Plot of each agent's load over the day: {written}")
