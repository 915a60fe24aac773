"""The routing engine: which waiting ticket goes to which agent. Pure: no database, no clock, no I/O.

Live routing (``routing.actions.do_dispatch``) and the simulation (``routing.simulation``) both build
``Agent`` and ``Ticket`` values and call ``assign``, so what the simulation measures is what runs.
Times are seconds on any one clock (live: Unix time; simulation: seconds since the day began).

Three policies:

``fcfs``
    Tickets in order of arrival; each goes to the agent with the fewest open chats, then the one idle
    longest. Only language is respected (an agent cannot talk to a customer they cannot read).
``skills_only``
    Classic skills-based routing: as ``fcfs``, but only agents with every skill the queue needs.
``samenspel``
    Tickets in order of urgency: priority (vulnerable 3, vip 2, business 1, standard 0), each level worth
    ``priority_step_s`` seconds of waiting, plus the time waited — so nobody waits forever behind a VIP.
    Skills are wanted but not absolute: once a ticket has waited ``skill_wait_s`` seconds, agents without
    the skill may take it too (at a cost in the score), as a contact centre's "skill expansion" does.
    Among the agents who can take the ticket (state, free chat slot, language or translation, skills),
    two kinds are *held back*:

    * an agent whose day is behind on improvement time by more than ``improvement_slack_min`` minutes —
      passed over while anyone else can take the ticket, but never a reason to let the customer wait;
    * for a heavy ticket, an agent whose last ``max_heavy_run`` contacts were all heavy — passed over, and
      when nobody else can take it the ticket waits for a colleague to come free, but only until it has
      waited ``hold_s`` seconds; then the held-back agent takes it after all (``Choice.waived`` says so).

    Among the rest the highest score wins; the score is a sum of named parts (the breakdown):

    ``load``        −w_load × heaviness × recent emotional load: heavy ones go to the lightest hours
    ``heavy_run``   −w_run × heaviness × heavy contacts in a row: no long runs of heavy ones
    ``breather``    +w_breather × lightness × heavy contacts in a row: a light one breaks a heavy run
    ``chats``       −w_chats × (1 + heaviness) × open chats / max chats: spread work, heavy ones need room
    ``improvement`` −w_improvement × minutes behind on improvement time (soft, below the hold)
    ``language``    −w_translation when the agent needs the translation backend
    ``skills``      −w_skill when the agent lacks a skill the ticket asks for (only after ``skill_wait_s``)
    ``idle``        +w_idle × idle minutes (capped at 30) / 30: fair turns
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

Policy = Literal["fcfs", "skills_only", "samenspel"]
POLICIES: tuple[Policy, ...] = ("fcfs", "skills_only", "samenspel")

AgentStateName = Literal["available", "in_conversation", "improvement", "break", "offline"]
AGENT_STATES: tuple[AgentStateName, ...] = ("available", "in_conversation", "improvement", "break", "offline")
# What an agent chooses; "in_conversation" follows from being available with open chats.
SETTABLE_STATES: tuple[AgentStateName, ...] = ("available", "improvement", "break", "offline")

PRIORITY_STANDARD, PRIORITY_BUSINESS, PRIORITY_VIP, PRIORITY_VULNERABLE = 0, 1, 2, 3


@dataclass(frozen=True)
class RoutingConfig:
    heavy_threshold: float = 0.5
    max_heavy_run: int = 2
    hold_s: float = 45.0
    improvement_share: float = 0.5
    improvement_slack_min: float = 20.0
    load_half_life_min: float = 90.0
    translation: bool = False
    priority_step_s: float = 120.0
    skill_wait_s: float | None = 30.0
    w_skill: float = 0.8
    w_load: float = 1.5
    w_run: float = 1.0
    w_breather: float = 0.4
    w_chats: float = 0.6
    w_improvement: float = 0.01
    w_translation: float = 0.5
    w_idle: float = 0.3


@dataclass
class Agent:
    id: str
    languages: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    state: AgentStateName = "available"
    open_chats: int = 0
    max_chats: int = 3
    load: float = 0.0
    """Emotional load now: the weights of recent contacts, each halved every half-life."""
    heavy_run: int = 0
    """How many of the most recent contacts were heavy, counting back to the first light one."""
    improvement_behind_min: float = 0.0
    """Target share × minutes on duty today − minutes of improvement today; positive means behind."""
    idle_since: float = 0.0
    """When the agent last got a contact or became available."""
    name: str = ""


@dataclass
class Ticket:
    id: str
    waiting_since: float
    language: str | None = None
    skills: frozenset[str] = frozenset()
    priority: int = PRIORITY_STANDARD
    heaviness: float = 0.0
    queue: str = "general"
    exclude: frozenset[str] = frozenset()
    """Agents not to offer it to, under any policy: e.g. the one who just gave it back to the queue."""


@dataclass(frozen=True)
class Choice:
    """One assignment with the reasons for it: the score's parts, and any rule that was waived."""

    ticket_id: str
    agent_id: str
    policy: Policy
    score: float
    breakdown: dict[str, float] = field(default_factory=dict)
    waived: tuple[str, ...] = ()
    """Hold rules set aside because the ticket had waited ``hold_s``: "improvement_time", "heavy_run"."""

    def explain(self) -> dict[str, object]:
        return {
            "policy": self.policy,
            "score": round(self.score, 3),
            "breakdown": {k: round(v, 3) for k, v in self.breakdown.items()},
            "waived": list(self.waived),
        }


def load_weight(heaviness: float) -> float:
    """What one contact adds to an agent's emotional load: a light one a little, a heavy one up to 1."""
    return 0.1 + 0.9 * min(1.0, max(0.0, heaviness))


def decayed(load: float, elapsed_s: float, half_life_min: float) -> float:
    if elapsed_s <= 0:
        return load
    return load * math.pow(0.5, elapsed_s / (half_life_min * 60.0))


def is_heavy(heaviness: float, config: RoutingConfig) -> bool:
    return heaviness >= config.heavy_threshold


def heavy_run_of(heavinesses_newest_first: Iterable[float], config: RoutingConfig) -> int:
    run = 0
    for h in heavinesses_newest_first:
        if not is_heavy(h, config):
            break
        run += 1
    return run


def why_not(
    ticket: Ticket, agent: Agent, policy: Policy, config: RoutingConfig, now: float | None = None
) -> str | None:
    """Why this agent cannot take this ticket at all, or None when they can. Under the Samenspel policy a
    missing skill stops counting once the ticket has waited ``skill_wait_s`` (it still costs score)."""
    if agent.id in ticket.exclude:
        return "excluded"
    if agent.state not in ("available", "in_conversation"):
        return "state"
    if agent.open_chats >= agent.max_chats:
        return "capacity"
    if ticket.language and ticket.language not in agent.languages and not config.translation:
        return "language"
    if policy != "fcfs" and not ticket.skills <= agent.skills:
        expanded = (
            policy == "samenspel"
            and config.skill_wait_s is not None
            and now is not None
            and now - ticket.waiting_since >= config.skill_wait_s
        )
        if not expanded:
            return "skills"
    return None


def holds(ticket: Ticket, agent: Agent, config: RoutingConfig) -> tuple[str, ...]:
    """The Samenspel hold rules this agent falls under for this ticket (see the module docstring)."""
    found: list[str] = []
    if agent.improvement_behind_min > config.improvement_slack_min:
        found.append("improvement_time")
    if is_heavy(ticket.heaviness, config) and agent.heavy_run >= config.max_heavy_run:
        found.append("heavy_run")
    return tuple(found)


def urgency(ticket: Ticket, now: float, config: RoutingConfig) -> float:
    """Seconds-equivalent of waiting: the time waited plus ``priority_step_s`` per priority level."""
    return max(0.0, now - ticket.waiting_since) + ticket.priority * config.priority_step_s


def order_tickets(tickets: Iterable[Ticket], policy: Policy, now: float, config: RoutingConfig) -> list[Ticket]:
    if policy == "samenspel":
        return sorted(tickets, key=lambda t: (-urgency(t, now, config), t.waiting_since, t.id))
    return sorted(tickets, key=lambda t: (t.waiting_since, t.id))


def samenspel_breakdown(ticket: Ticket, agent: Agent, now: float, config: RoutingConfig) -> dict[str, float]:
    h = min(1.0, max(0.0, ticket.heaviness))
    idle_min = min(30.0, max(0.0, now - agent.idle_since) / 60.0)
    translated = bool(ticket.language) and ticket.language not in agent.languages
    return {
        "load": -config.w_load * h * agent.load,
        "heavy_run": -config.w_run * h * agent.heavy_run,
        "breather": config.w_breather * (1.0 - h) * min(agent.heavy_run, 3),
        "chats": -config.w_chats * (1.0 + h) * agent.open_chats / max(1, agent.max_chats),
        "improvement": -config.w_improvement * max(0.0, agent.improvement_behind_min),
        "language": -config.w_translation if translated else 0.0,
        "skills": 0.0 if ticket.skills <= agent.skills else -config.w_skill,
        "idle": config.w_idle * idle_min / 30.0,
    }


def _simple_choice(ticket: Ticket, candidates: Sequence[Agent], policy: Policy, now: float) -> Choice:
    agent = min(candidates, key=lambda a: (a.open_chats, a.idle_since, a.id))
    idle_s = max(0.0, now - agent.idle_since)
    return Choice(
        ticket.id,
        agent.id,
        policy,
        score=-float(agent.open_chats),
        breakdown={"open_chats": float(agent.open_chats), "idle_s": idle_s},
    )


def choose(ticket: Ticket, agents: Sequence[Agent], policy: Policy, now: float, config: RoutingConfig) -> Choice | None:
    """The agent for this ticket now, or None when it should wait."""
    candidates = [a for a in agents if why_not(ticket, a, policy, config, now) is None]
    if not candidates:
        return None
    if policy != "samenspel":
        return _simple_choice(ticket, candidates, policy, now)
    free = [a for a in candidates if not holds(ticket, a, config)]
    if not free:
        # Being behind on improvement time never keeps a customer waiting; a run of heavy contacts does,
        # for up to ``hold_s``, in the hope that a colleague comes free.
        free = [a for a in candidates if "heavy_run" not in holds(ticket, a, config)]
    if not free:
        if now - ticket.waiting_since < config.hold_s:
            return None
        free = candidates
    scored = [(sum(b.values()), a, b) for a in free for b in [samenspel_breakdown(ticket, a, now, config)]]
    score, agent, breakdown = max(scored, key=lambda s: (s[0], -s[1].idle_since, s[1].id))
    waived = holds(ticket, agent, config)
    return Choice(ticket.id, agent.id, policy, score, breakdown, waived)


def after_assignment(agent: Agent, ticket: Ticket, now: float, config: RoutingConfig) -> Agent:
    """The agent as they stand right after taking the ticket."""
    return dataclasses.replace(
        agent,
        open_chats=agent.open_chats + 1,
        load=agent.load + load_weight(ticket.heaviness),
        heavy_run=agent.heavy_run + 1 if is_heavy(ticket.heaviness, config) else 0,
        idle_since=now,
        state="in_conversation",
    )


def assign(
    tickets: Iterable[Ticket], agents: Iterable[Agent], policy: Policy, now: float, config: RoutingConfig
) -> list[Choice]:
    """Assigns as many waiting tickets as can be assigned now, most urgent first (per the policy).

    Each choice sees the ones before it (an agent who just got a heavy ticket has a higher load for the
    next). The inputs are not changed.
    """
    pool = {a.id: dataclasses.replace(a) for a in agents}
    choices: list[Choice] = []
    for ticket in order_tickets(tickets, policy, now, config):
        choice = choose(ticket, list(pool.values()), policy, now, config)
        if choice is None:
            continue
        pool[choice.agent_id] = after_assignment(pool[choice.agent_id], ticket, now, config)
        choices.append(choice)
    return choices
