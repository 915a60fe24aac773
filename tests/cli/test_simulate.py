"""``samenspel simulate``, run as a real process with a small, fast scenario."""

from __future__ import annotations

import re

from tests.cli.test_cli import samenspel


def test_simulate_prints_the_policies_side_by_side_and_writes_the_plot(tmp_path):
    plot = tmp_path / "out" / "loads.png"
    result = samenspel(
        "simulate",
        "--agents",
        "4",
        "--hours",
        "1",
        "--seed",
        "5",
        "--heavy-share",
        "0.4",
        "--plot",
        str(plot),
        data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "4 agents, 1 hours" in out
    header = next(line for line in out.splitlines() if line.startswith("| measure"))
    assert [c.strip() for c in header.strip("|").split("|")] == ["measure", "fcfs", "skills_only", "samenspel"]
    for measure in (
        "service level (answered within 60 s)",
        "average wait",
        "p90 wait",
        "longest run of heavy contacts (any agent)",
        "load spread (sd of agents' average load)",
    ):
        row = next(line for line in out.splitlines() if line.startswith(f"| {measure}"))
        assert len(row.strip("|").split("|")) == 4, row
    assert re.search(r"\| service level \(answered within 60 s\) +\| +\d+\.\d% \|", out)
    agent_rows = [line for line in out.splitlines() if re.match(r"\| A0\d ", line)]
    assert [row.split("|")[1].strip() for row in agent_rows] == ["A01", "A02", "A03", "A04"]
    assert all(len(row.strip("|").split("|")) == 3 + 3 * 3 for row in agent_rows)
    assert plot.read_bytes().startswith(b"\x89PNG")
    assert f"Plot of each agent's load over the day: {plot}" in out


def test_the_same_seed_prints_the_same_day(tmp_path):
    args = ("simulate", "--agents", "3", "--hours", "0.5", "--seed", "9", "--no-plot")
    first, second = samenspel(*args, data_dir=tmp_path), samenspel(*args, data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert "Plot" not in first.stdout


def test_options_change_the_day(tmp_path):
    result = samenspel(
        "simulate",
        "--agents",
        "2",
        "--hours",
        "1",
        "--arrivals",
        "10",
        "--max-chats",
        "1",
        "--target",
        "30",
        "--no-plot",
        data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "at most 1 chats at once" in result.stdout
    assert "answered within 30 s" in result.stdout
    contacts = int(re.search(r"(\d+) contacts", result.stdout).group(1))
    assert contacts < 25  # about ten an hour


def test_bad_input_is_one_line_and_exit_code_2(tmp_path):
    result = samenspel("simulate", "--arrivals", "30,lots", "--no-plot", data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: --arrivals expects numbers per hour separated by commas, such as 30,45,50; got '30,lots'"
    ]
    result = samenspel("simulate", "--heavy-share", "1.5", data_dir=tmp_path)
    assert result.returncode == 2
    assert "heavy-share" in result.stderr
