"""The routing engine's choices, policy by policy: who gets which waiting contact, and who is held back."""

from __future__ import annotations

import pytest

from samenspel.routing.engine import (
    PRIORITY_STANDARD,
    PRIORITY_VIP,
    PRIORITY_VULNERABLE,
    Agent,
    RoutingConfig,
    Ticket,
    assign,
    choose,
    decayed,
    heavy_run_of,
    load_weight,
    why_not,
)

CONFIG = RoutingConfig()
NOW = 10_000.0


def agent(agent_id: str, **kw: object) -> Agent:
    values: dict[str, object] = {"languages": frozenset({"nl"}), "idle_since": NOW - 60}
    values.update(kw)
    return Agent(id=agent_id, **values)  # type: ignore[arg-type]


def ticket(ticket_id: str, *, waited: float = 0.0, **kw: object) -> Ticket:
    values: dict[str, object] = {"language": "nl"}
    values.update(kw)
    return Ticket(id=ticket_id, waiting_since=NOW - waited, **values)  # type: ignore[arg-type]


def chosen(choices: list, ticket_id: str) -> str | None:
    return next((c.agent_id for c in choices if c.ticket_id == ticket_id), None)


# --- who can take a contact at all ------------------------------------------------------------------------


def test_only_agents_at_work_with_a_free_slot_are_offered_a_contact():
    t = ticket("t1")
    assert why_not(t, agent("a", state="break"), "samenspel", CONFIG) == "state"
    assert why_not(t, agent("a", state="improvement"), "fcfs", CONFIG) == "state"
    assert why_not(t, agent("a", state="offline"), "fcfs", CONFIG) == "state"
    assert why_not(t, agent("a", open_chats=3, max_chats=3), "fcfs", CONFIG) == "capacity"
    assert why_not(t, agent("a", state="in_conversation", open_chats=2, max_chats=3), "fcfs", CONFIG) is None
    assert (
        assign([t], [agent("a", open_chats=3, max_chats=3), agent("b", state="break")], "samenspel", NOW, CONFIG) == []
    )


def test_max_chats_limits_how_many_contacts_one_agent_gets_in_one_round():
    tickets = [ticket(f"t{i}", waited=100 - i) for i in range(5)]
    choices = assign(tickets, [agent("a", max_chats=2)], "samenspel", NOW, CONFIG)
    assert [c.ticket_id for c in choices] == ["t0", "t1"]


def test_language_is_needed_unless_a_translation_backend_is_there():
    english = ticket("t1", language="en")
    dutch_only = agent("a", languages=frozenset({"nl"}))
    for policy in ("fcfs", "skills_only", "samenspel"):
        assert why_not(english, dutch_only, policy, CONFIG) == "language"
        assert assign([english], [dutch_only], policy, NOW, CONFIG) == []
    translating = RoutingConfig(translation=True)
    assert why_not(english, dutch_only, "samenspel", translating) is None


def test_with_translation_an_agent_who_speaks_the_language_is_still_preferred():
    translating = RoutingConfig(translation=True)
    english = ticket("t1", language="en")
    choices = assign(
        [english],
        [agent("a", languages=frozenset({"nl"})), agent("b", languages=frozenset({"nl", "en"}), idle_since=NOW)],
        "samenspel",
        NOW,
        translating,
    )
    assert chosen(choices, "t1") == "b"
    # Nobody speaks it: the agent who can use the translation backend takes it.
    choices = assign([english], [agent("a", languages=frozenset({"nl"}))], "samenspel", NOW, translating)
    assert chosen(choices, "t1") == "a"
    assert choices[0].breakdown["language"] < 0


def test_an_agent_who_gave_a_contact_back_is_not_offered_it_again():
    t = ticket("t1", exclude=frozenset({"a"}))
    for policy in ("fcfs", "skills_only", "samenspel"):
        assert chosen(assign([t], [agent("a"), agent("b")], policy, NOW, CONFIG), "t1") == "b"
        assert assign([t], [agent("a")], policy, NOW, CONFIG) == []


# --- fcfs and skills_only ------------------------------------------------------------------------------------


def test_fcfs_serves_in_order_of_arrival_to_the_least_busy_agent_ignoring_skills():
    old = ticket("old", waited=300, skills=frozenset({"care"}))
    vip = ticket("vip", waited=10, priority=PRIORITY_VIP)
    agents = [agent("busy", open_chats=1), agent("free", idle_since=NOW - 5)]
    choices = assign([vip, old], agents, "fcfs", NOW, CONFIG)
    assert [(c.ticket_id, c.agent_id) for c in choices] == [("old", "free"), ("vip", "busy")]


def test_fcfs_breaks_a_tie_by_who_waited_longest_for_work():
    choices = assign(
        [ticket("t1")], [agent("a", idle_since=NOW - 10), agent("b", idle_since=NOW - 500)], "fcfs", NOW, CONFIG
    )
    assert chosen(choices, "t1") == "b"


def test_skills_only_waits_for_an_agent_with_every_skill_however_long():
    care = ticket("t1", waited=3600, skills=frozenset({"care"}))
    assert assign([care], [agent("a")], "skills_only", NOW, CONFIG) == []
    assert (
        chosen(assign([care], [agent("a"), agent("c", skills=frozenset({"care"}))], "skills_only", NOW, CONFIG), "t1")
        == "c"
    )
    assert chosen(assign([care], [agent("a")], "fcfs", NOW, CONFIG), "t1") == "a"


# --- samenspel ---------------------------------------------------------------------------------------------------


def test_samenspel_serves_vulnerable_then_vip_first_but_long_waits_catch_up():
    tickets = [
        ticket("standard", waited=60, priority=PRIORITY_STANDARD),
        ticket("vip", waited=30, priority=PRIORITY_VIP),
        ticket("vulnerable", waited=5, priority=PRIORITY_VULNERABLE),
    ]
    choices = assign(tickets, [agent("a", max_chats=1)], "samenspel", NOW, CONFIG)
    assert [c.ticket_id for c in choices] == ["vulnerable"]
    choices = assign(tickets, [agent("a", max_chats=3)], "samenspel", NOW, CONFIG)
    assert [c.ticket_id for c in choices] == ["vulnerable", "vip", "standard"]
    # Each priority level is worth priority_step_s of waiting: after long enough, arrival order wins.
    patient = ticket("patient", waited=3 * CONFIG.priority_step_s + 60)
    choices = assign([patient, tickets[2]], [agent("a", max_chats=1)], "samenspel", NOW, CONFIG)
    assert [c.ticket_id for c in choices] == ["patient"]


def test_samenspel_gives_a_heavy_contact_to_whoever_had_the_lightest_hours():
    heavy = ticket("t1", heaviness=0.9)
    agents = [agent("tired", load=2.5), agent("fresh", load=0.2)]
    choice = choose(heavy, agents, "samenspel", NOW, CONFIG)
    assert choice is not None
    assert choice.agent_id == "fresh"
    assert set(choice.breakdown) >= {"load", "heavy_run", "chats", "improvement", "idle"}
    # For a light contact the load hardly matters: fcfs-like fairness decides.
    light = ticket("t2", heaviness=0.0)
    assert (
        choose(
            light, [agent("tired", load=2.5, idle_since=NOW - 1200), agent("fresh", load=0.2)], "samenspel", NOW, CONFIG
        ).agent_id
        == "tired"
    )


def test_samenspel_passes_over_an_agent_after_a_run_of_heavy_contacts():
    heavy = ticket("t1", heaviness=0.8)
    agents = [agent("run", heavy_run=2, load=0.5, idle_since=NOW - 1800), agent("other", load=1.5)]
    assert choose(heavy, agents, "samenspel", NOW, CONFIG).agent_id == "other"


def test_a_heavy_contact_waits_a_little_for_a_colleague_then_the_run_is_waived():
    agents = [agent("run", heavy_run=2)]
    fresh = ticket("t1", heaviness=0.8, waited=CONFIG.hold_s - 5)
    assert choose(fresh, agents, "samenspel", NOW, CONFIG) is None
    waited = ticket("t1", heaviness=0.8, waited=CONFIG.hold_s + 1)
    choice = choose(waited, agents, "samenspel", NOW, CONFIG)
    assert choice is not None
    assert choice.agent_id == "run"
    assert choice.waived == ("heavy_run",)
    assert choice.explain()["waived"] == ["heavy_run"]
    # A light contact is a breather: no hold, and the agent in a run is even preferred for it.
    light = ticket("t2", heaviness=0.1)
    assert choose(light, [agent("run", heavy_run=2), agent("other")], "samenspel", NOW, CONFIG).agent_id == "run"


def test_being_behind_on_improvement_time_passes_an_agent_over_but_never_keeps_a_customer_waiting():
    behind = agent("behind", improvement_behind_min=CONFIG.improvement_slack_min + 10, idle_since=NOW - 1800)
    choice = choose(ticket("t1"), [behind, agent("other")], "samenspel", NOW, CONFIG)
    assert choice.agent_id == "other"
    choice = choose(ticket("t1"), [behind], "samenspel", NOW, CONFIG)
    assert choice is not None
    assert choice.agent_id == "behind"
    assert choice.waived == ("improvement_time",)


def test_samenspel_wants_skills_but_expands_to_everyone_after_a_short_wait():
    care = ticket("t1", skills=frozenset({"care"}))
    assert choose(care, [agent("a")], "samenspel", NOW, CONFIG) is None
    assert choose(care, [agent("a"), agent("c", skills=frozenset({"care"}))], "samenspel", NOW, CONFIG).agent_id == "c"
    waited = ticket("t1", skills=frozenset({"care"}), waited=CONFIG.skill_wait_s + 1)
    choice = choose(waited, [agent("a")], "samenspel", NOW, CONFIG)
    assert choice is not None
    assert choice.breakdown["skills"] < 0
    # Even then, a skilled agent is preferred.
    assert (
        choose(
            waited,
            [agent("a", idle_since=NOW - 1800), agent("c", skills=frozenset({"care"}))],
            "samenspel",
            NOW,
            CONFIG,
        ).agent_id
        == "c"
    )


def test_each_choice_sees_the_ones_before_it_so_heavy_contacts_are_spread():
    heavy = [ticket(f"h{i}", waited=50 - i, heaviness=0.9) for i in range(3)]
    agents = [agent("a"), agent("b"), agent("c")]
    choices = assign(heavy, agents, "samenspel", NOW, CONFIG)
    assert sorted(c.agent_id for c in choices) == ["a", "b", "c"]
    fcfs = assign(heavy, agents, "fcfs", NOW, CONFIG)
    assert sorted(c.agent_id for c in fcfs) == ["a", "b", "c"]  # fcfs spreads by open chats too


def test_assign_does_not_change_its_inputs():
    agents = [agent("a")]
    tickets = [ticket("t1", heaviness=0.9)]
    assign(tickets, agents, "samenspel", NOW, CONFIG)
    assert agents[0].open_chats == 0
    assert agents[0].load == 0.0
    assert agents[0].heavy_run == 0


# --- load arithmetic -------------------------------------------------------------------------------------------


def test_load_fades_by_half_every_half_life():
    assert decayed(1.0, 90 * 60, 90) == pytest.approx(0.5)
    assert decayed(1.0, 180 * 60, 90) == pytest.approx(0.25)
    assert decayed(0.8, 0, 90) == 0.8
    assert load_weight(0.0) == pytest.approx(0.1)
    assert load_weight(1.0) == pytest.approx(1.0)
    assert load_weight(5.0) == pytest.approx(1.0)


def test_a_heavy_run_counts_back_to_the_last_light_contact():
    assert heavy_run_of([0.9, 0.7, 0.2, 0.9], CONFIG) == 2
    assert heavy_run_of([0.1, 0.9], CONFIG) == 0
    assert heavy_run_of([], CONFIG) == 0
