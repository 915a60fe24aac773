"""The contact-centre simulation: reproducible, and what it says about the policies on the default day."""

from __future__ import annotations

import dataclasses

import pytest

from samenspel.routing.engine import POLICIES
from samenspel.routing.simulation import Scenario, make_agents, make_contacts, plot_loads, simulate


@pytest.fixture(scope="module")
def default_day():
    return {r.policy: r for r in simulate(Scenario())}


def test_the_same_seed_gives_the_same_day_and_another_seed_another():
    small = Scenario(agents=6, hours=2, seed=11)
    first, again = simulate(small), simulate(small)
    assert [dataclasses.asdict(r) for r in first] == [dataclasses.asdict(r) for r in again]
    other = simulate(dataclasses.replace(small, seed=12))
    assert [r.average_wait_s for r in other] != [r.average_wait_s for r in first]


def test_every_policy_sees_the_same_customers_and_answers_them_all(default_day):
    contacts = make_contacts(Scenario())
    assert len(contacts) > 250  # 8 hours at 25-50 an hour
    for result in default_day.values():
        assert result.contacts == len(contacts)
        assert result.answered == len(contacts)
        assert sum(a.contacts for a in result.agents) == len(contacts)
        assert 0.0 <= result.answered_within_target <= 1.0
        assert result.max_wait_s >= result.p90_wait_s >= 0
    assert list(default_day) == list(POLICIES)


def test_the_heavy_share_shapes_the_day():
    light = make_contacts(Scenario(heavy_share=0.05))
    heavy = make_contacts(Scenario(heavy_share=0.6))
    share = lambda cs: sum(c.heaviness >= 0.5 for c in cs) / len(cs)  # noqa: E731
    assert share(light) < 0.1 < 0.5 < share(heavy)


def test_the_team_covers_every_skill_and_language_customers_bring():
    agents = make_agents(Scenario(agents=6))
    for language in ("nl", "en", "ar", "tr"):
        for skill in ("care", "taxes"):
            assert any(language in a.languages and skill in a.skills for a in agents), (language, skill)


def test_samenspel_spreads_the_heavy_contacts_on_the_default_day(default_day):
    """What the default scenario (seed 7) yields; the CLI prints the same figures."""
    fcfs, skills, ours = default_day["fcfs"], default_day["skills_only"], default_day["samenspel"]
    # Nobody gets a long run of heavy ones: the run limit (2) holds all day.
    assert ours.max_heavy_run == 2
    assert ours.max_heavy_run < fcfs.max_heavy_run
    assert ours.max_heavy_run < skills.max_heavy_run
    # The emotional weight is shared more evenly, and nobody's load peaks as high.
    assert ours.load_spread < fcfs.load_spread
    assert ours.load_spread < skills.load_spread
    assert ours.peak_load < fcfs.peak_load
    # At a small cost in service level against first-come-first-served, a clear gain against strict skills.
    assert ours.answered_within_target > skills.answered_within_target
    assert fcfs.answered_within_target - ours.answered_within_target < 0.02
    assert ours.p90_wait_s < skills.p90_wait_s


def test_in_a_small_team_strict_skills_routing_strands_customers_samenspel_does_not():
    scenario = Scenario(agents=1, hours=2, seed=3)
    contacts, team = make_contacts(scenario), make_agents(scenario)
    speaks = lambda c: any(c.language in a.languages for a in team)  # noqa: E731
    nobody_speaks = [c for c in contacts if not speaks(c)]
    nobody_has_the_skill = [
        c for c in contacts if speaks(c) and not any(c.language in a.languages and c.skills <= a.skills for a in team)
    ]
    assert nobody_has_the_skill, "the scenario should include contacts nobody in the team has the skill for"
    results = {r.policy: r for r in simulate(scenario)}
    assert results["skills_only"].answered == len(contacts) - len(nobody_speaks) - len(nobody_has_the_skill)
    # Samenspel widens to agents without the skill after a short wait; fcfs ignores skills.
    assert results["samenspel"].answered == len(contacts) - len(nobody_speaks)
    assert results["fcfs"].answered == len(contacts) - len(nobody_speaks)


def test_the_plot_is_a_png_with_one_panel_per_policy(tmp_path):
    results = simulate(Scenario(agents=4, hours=1))
    path = plot_loads(results, tmp_path / "plots" / "loads.png", title="test")
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 10_000
