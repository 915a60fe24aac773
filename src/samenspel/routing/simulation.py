"""A discrete-event simulation of a contact centre's day, to compare routing policies side by side.

The routing decisions come from ``routing.engine.assign`` — the same function live routing calls — with
simulated agents and tickets; only the world around it (arrivals, handling times, agents stepping into
improvement time) is simulated. Everything random is drawn once per scenario from one seed, so every
policy sees exactly the same customers, and a run is reproducible.

The world, the same under every policy:

* Contacts arrive as a Poisson process with a rate per hour of the day; a share is heavy (upset,
  bereaved, in debt: heaviness 0.55–1) and takes longer; some need a skill (care, taxes), some speak
  English, Arabic or Turkish; a few are vulnerable, VIP or business customers (the priority).
* An agent handles up to ``max_chats`` chats at once; each chat already open makes a new one take
  ``concurrency_cost`` longer; without the skill it needs a chat takes half as long again.
* Half the team starts the day with a block of improvement time (a staggered roster); an agent with no
  open chats who is behind on the day's improvement share by half a block or more takes a block.
* After closing time, customers still waiting are served for ``drain_hours``; whoever is left by then
  counts as unanswered, waiting until that moment.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from samenspel.routing import engine
from samenspel.routing.engine import (
    PRIORITY_BUSINESS,
    PRIORITY_STANDARD,
    PRIORITY_VIP,
    PRIORITY_VULNERABLE,
    Policy,
    RoutingConfig,
)

DEFAULT_ARRIVALS = (30.0, 45.0, 50.0, 40.0, 35.0, 40.0, 35.0, 25.0)
TICK_S = 5.0
SAMPLE_S = 300.0
LANGUAGES = (("nl", 0.82), ("en", 0.12), ("ar", 0.03), ("tr", 0.03))


@dataclass(frozen=True)
class Scenario:
    agents: int = 12
    hours: float = 8.0
    arrivals_per_hour: tuple[float, ...] = DEFAULT_ARRIVALS
    """Per hour of the day; a shorter list repeats, a longer one is cut at ``hours``."""
    heavy_share: float = 0.25
    seed: int = 7
    target_s: float = 60.0
    max_chats: int = 3
    light_minutes: float = 6.0
    heavy_minutes: float = 14.0
    block_minutes: float = 30.0
    concurrency_cost: float = 0.3
    """How much longer a chat takes for each other chat the agent has open at the time."""
    drain_hours: float = 2.0
    """After closing, waiting customers are still served for this long; whoever is left counts as unanswered."""
    config: RoutingConfig = field(default_factory=RoutingConfig)

    def rate(self, second: float) -> float:
        hour = int(second // 3600)
        return self.arrivals_per_hour[hour % len(self.arrivals_per_hour)]


@dataclass(frozen=True)
class Contact:
    id: str
    arrival: float
    language: str
    skills: frozenset[str]
    priority: int
    heaviness: float
    handle_s: float


@dataclass(frozen=True)
class AgentProfile:
    id: str
    languages: frozenset[str]
    skills: frozenset[str]


def _pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    roll, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if roll < total:
            return value
    return weighted[-1][0]


def _lognormal(rng: random.Random, mean: float, sigma: float = 0.5) -> float:
    return rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)


def make_contacts(scenario: Scenario) -> list[Contact]:
    rng = random.Random(scenario.seed)
    end = scenario.hours * 3600
    contacts: list[Contact] = []
    t = 0.0
    while True:
        # Thinning over the hourly rates gives a Poisson process with a rate that changes each hour.
        peak = max(scenario.arrivals_per_hour) / 3600
        if peak <= 0:
            break
        t += rng.expovariate(peak)
        if t >= end:
            break
        if rng.random() > scenario.rate(t) / 3600 / peak:
            continue
        heavy = rng.random() < scenario.heavy_share
        vulnerable = rng.random() < (0.15 if heavy else 0.03)
        segment = rng.random()
        priority = (
            PRIORITY_VULNERABLE
            if vulnerable
            else PRIORITY_VIP
            if segment < 0.04
            else PRIORITY_BUSINESS
            if segment < 0.09
            else PRIORITY_STANDARD
        )
        heaviness = rng.uniform(0.55, 1.0) if heavy else rng.uniform(0.0, 0.35)
        roll = rng.random()
        care = 0.35 if heavy else 0.1
        skills = frozenset({"care"}) if roll < care else frozenset({"taxes"}) if roll < care + 0.12 else frozenset()
        minutes = scenario.heavy_minutes if heavy else scenario.light_minutes
        contacts.append(
            Contact(
                id=f"c{len(contacts) + 1:04d}",
                arrival=t,
                language=_pick(rng, LANGUAGES),
                skills=skills,
                priority=priority,
                heaviness=round(heaviness, 3),
                handle_s=_lognormal(rng, minutes * 60),
            )
        )
    return contacts


# One row per agent, repeated for a larger team: everyone speaks Dutch; care and tax questions,
# English, Arabic and Turkish are each covered by at least two people in a team of twelve, and every
# combination of a skill and a language that customers bring is covered by someone in a team of six.
_TEAM_PATTERN: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({"nl", "en"}), frozenset({"care"})),
    (frozenset({"nl", "tr"}), frozenset({"care", "taxes"})),
    (frozenset({"nl", "en"}), frozenset()),
    (frozenset({"nl", "ar"}), frozenset({"care", "taxes"})),
    (frozenset({"nl", "en"}), frozenset({"taxes"})),
    (frozenset({"nl"}), frozenset()),
)


def make_agents(scenario: Scenario) -> list[AgentProfile]:
    """The team: see ``_TEAM_PATTERN``. With fewer than six agents some combinations are missing, and
    a policy that insists on skills leaves those customers waiting (as it would in real life)."""
    return [AgentProfile(f"A{i + 1:02d}", *_TEAM_PATTERN[i % len(_TEAM_PATTERN)]) for i in range(scenario.agents)]


@dataclass
class _SimAgent:
    profile: AgentProfile
    state: engine.AgentStateName = "available"
    since: float = 0.0
    open_chats: int = 0
    load: float = 0.0
    load_at: float = 0.0
    heavy_run: int = 0
    idle_since: float = 0.0
    contact_s: float = 0.0
    improvement_s: float = 0.0
    contacts: int = 0
    heavy: int = 0
    longest_heavy_run: int = 0
    samples: list[float] = field(default_factory=list)

    def load_now(self, t: float, config: RoutingConfig) -> float:
        return engine.decayed(self.load, t - self.load_at, config.load_half_life_min)

    def account(self, t: float, end: float) -> None:
        """Books the time since the last change as contact or improvement time (only within the day)."""
        seconds = max(0.0, min(t, end) - min(self.since, end))
        if self.state in ("available", "in_conversation"):
            self.contact_s += seconds
        elif self.state == "improvement":
            self.improvement_s += seconds
        self.since = t

    def behind_min(self, t: float, config: RoutingConfig, end: float) -> float:
        extra = max(0.0, min(t, end) - min(self.since, end))
        contact = self.contact_s + (extra if self.state in ("available", "in_conversation") else 0.0)
        improvement = self.improvement_s + (extra if self.state == "improvement" else 0.0)
        return (config.improvement_share * (contact + improvement) - improvement) / 60.0

    def engine_agent(self, t: float, config: RoutingConfig, max_chats: int, end: float) -> engine.Agent:
        return engine.Agent(
            id=self.profile.id,
            languages=self.profile.languages,
            skills=self.profile.skills,
            state=self.state,
            open_chats=self.open_chats,
            max_chats=max_chats,
            load=self.load_now(t, config),
            heavy_run=self.heavy_run,
            improvement_behind_min=self.behind_min(t, config, end),
            idle_since=self.idle_since,
        )


@dataclass(frozen=True)
class AgentResult:
    id: str
    languages: tuple[str, ...]
    skills: tuple[str, ...]
    contacts: int
    heavy: int
    longest_heavy_run: int
    end_load: float
    mean_load: float
    """The agent's emotional load averaged over the day (sampled every five minutes)."""
    peak_load: float
    improvement_share: float
    samples: tuple[float, ...]


@dataclass(frozen=True)
class PolicyResult:
    policy: Policy
    contacts: int
    answered: int
    answered_within_target: float
    average_wait_s: float
    p90_wait_s: float
    max_wait_s: float
    agents: tuple[AgentResult, ...]

    @property
    def max_heavy_run(self) -> int:
        return max((a.longest_heavy_run for a in self.agents), default=0)

    @property
    def load_spread(self) -> float:
        """How unevenly the emotional weight fell: the standard deviation of the agents' average loads."""
        return statistics.pstdev([a.mean_load for a in self.agents]) if self.agents else 0.0

    @property
    def load_range(self) -> float:
        loads = [a.mean_load for a in self.agents]
        return max(loads) - min(loads) if loads else 0.0

    @property
    def peak_load(self) -> float:
        return max((a.peak_load for a in self.agents), default=0.0)

    @property
    def heavy_range(self) -> tuple[int, int]:
        heavy = [a.heavy for a in self.agents]
        return (min(heavy), max(heavy)) if heavy else (0, 0)

    @property
    def improvement_share(self) -> float:
        return statistics.fmean([a.improvement_share for a in self.agents]) if self.agents else 0.0


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low, high = math.floor(k), math.ceil(k)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def simulate_policy(
    scenario: Scenario, policy: Policy, contacts: Sequence[Contact], profiles: Sequence[AgentProfile]
) -> PolicyResult:
    config = scenario.config
    end = scenario.hours * 3600
    stop = end + scenario.drain_hours * 3600
    block_s = scenario.block_minutes * 60
    agents = {p.id: _SimAgent(p) for p in profiles}
    by_id = {c.id: c for c in contacts}
    events: list[tuple[float, int, str, str]] = []
    seq = 0

    def push(t: float, kind: str, ref: str) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(events, (t, seq, kind, ref))

    for i, agent in enumerate(agents.values()):
        if i % 2 == 1:
            agent.state = "improvement"
            push(block_s, "block_end", agent.profile.id)
    for contact in contacts:
        push(contact.arrival, "arrival", contact.id)
    for k in range(int(end // SAMPLE_S) + 1):
        push(k * SAMPLE_S, "sample", "")

    waiting: dict[str, engine.Ticket] = {}
    waits: dict[str, float] = {}
    tick_pending = False
    t = 0.0
    while events:
        t, _, kind, ref = heapq.heappop(events)
        if kind == "arrival":
            c = by_id[ref]
            waiting[c.id] = engine.Ticket(c.id, c.arrival, c.language, c.skills, c.priority, c.heaviness)
        elif kind == "done":
            agent = agents[ref]
            agent.account(t, end)
            agent.open_chats -= 1
            if agent.open_chats == 0 and agent.state == "in_conversation":
                agent.state = "available"
        elif kind == "block_end":
            agent = agents[ref]
            agent.account(t, end)
            agent.state = "available"
            agent.idle_since = t
        elif kind == "tick":
            tick_pending = False
        elif kind == "sample":
            for agent in agents.values():
                agent.samples.append(agent.load_now(t, config))
            continue

        # Agents' own behaviour (the same under every policy): an idle agent who is behind on
        # improvement time by half a block or more takes a block of it, while the day lasts.
        if t < end:
            for agent in agents.values():
                if (
                    agent.state == "available"
                    and agent.open_chats == 0
                    and agent.behind_min(t, config, end) * 60 >= block_s * config.improvement_share
                ):
                    agent.account(t, end)
                    agent.state = "improvement"
                    push(t + block_s, "block_end", agent.profile.id)

        if waiting:
            pool = [a.engine_agent(t, config, scenario.max_chats, end) for a in agents.values()]
            for choice in engine.assign(list(waiting.values()), pool, policy, t, config):
                ticket = waiting.pop(choice.ticket_id)
                contact = by_id[ticket.id]
                agent = agents[choice.agent_id]
                agent.account(t, end)
                agent.load = agent.load_now(t, config) + engine.load_weight(contact.heaviness)
                agent.load_at = t
                heavy = engine.is_heavy(contact.heaviness, config)
                agent.heavy_run = agent.heavy_run + 1 if heavy else 0
                agent.longest_heavy_run = max(agent.longest_heavy_run, agent.heavy_run)
                agent.contacts += 1
                agent.heavy += int(heavy)
                agent.open_chats += 1
                agent.idle_since = t
                agent.state = "in_conversation"
                # Chats at the same time share the agent's attention: each one already open makes this one
                # take longer.
                handle = contact.handle_s * (1 + scenario.concurrency_cost * (agent.open_chats - 1))
                if not contact.skills <= agent.profile.skills:
                    handle *= 1.5
                if contact.language not in agent.profile.languages:
                    handle *= 1.25
                push(t + handle, "done", agent.profile.id)
                waits[contact.id] = t - contact.arrival
            if waiting and not tick_pending and t + TICK_S <= stop:
                tick_pending = True
                push(t + TICK_S, "tick", "")

    for agent in agents.values():
        agent.account(end, end)
    wait_values = [waits[c.id] for c in contacts if c.id in waits]
    unanswered = [stop - c.arrival for c in contacts if c.id not in waits]
    all_waits = wait_values + unanswered
    return PolicyResult(
        policy=policy,
        contacts=len(contacts),
        answered=len(wait_values),
        answered_within_target=(sum(w <= scenario.target_s for w in wait_values) / len(contacts) if contacts else 1.0),
        average_wait_s=statistics.fmean(all_waits) if all_waits else 0.0,
        p90_wait_s=_percentile(all_waits, 0.9),
        max_wait_s=max(all_waits, default=0.0),
        agents=tuple(
            AgentResult(
                id=a.profile.id,
                languages=tuple(sorted(a.profile.languages)),
                skills=tuple(sorted(a.profile.skills)),
                contacts=a.contacts,
                heavy=a.heavy,
                longest_heavy_run=a.longest_heavy_run,
                end_load=a.load_now(end, config),
                mean_load=statistics.fmean(a.samples) if a.samples else 0.0,
                peak_load=max(a.samples, default=0.0),
                improvement_share=(
                    a.improvement_s / (a.contact_s + a.improvement_s) if a.contact_s + a.improvement_s else 0.0
                ),
                samples=tuple(a.samples),
            )
            for a in agents.values()
        ),
    )


def simulate(scenario: Scenario, policies: Sequence[Policy] = engine.POLICIES) -> list[PolicyResult]:
    contacts = make_contacts(scenario)
    profiles = make_agents(scenario)
    return [simulate_policy(scenario, p, contacts, profiles) for p in policies]


def with_options(scenario: Scenario, **changes: object) -> Scenario:
    return dataclasses.replace(scenario, **changes)  # type: ignore[arg-type]


def plot_loads(results: Sequence[PolicyResult], path: Path, *, title: str = "") -> Path:
    """One panel per policy: each agent's emotional load over the day (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(1, len(results), figsize=(5.2 * len(results), 4.2), sharey=True, squeeze=False)
    colours = plt.get_cmap("tab20").colors  # type: ignore[attr-defined]
    for ax, result in zip(axes[0], results, strict=True):
        # Twenty colours, then dashed: every agent keeps one recognisable line in every panel.
        ax.set_prop_cycle(color=list(colours) * 2, linestyle=["-"] * len(colours) + ["--"] * len(colours))
        for agent in result.agents:
            hours = [i * SAMPLE_S / 3600 for i in range(len(agent.samples))]
            ax.plot(hours, agent.samples, linewidth=1.1, label=agent.id)
        ax.set_title(f"{result.policy}: spread {result.load_spread:.2f}, longest heavy run {result.max_heavy_run}")
        ax.set_xlabel("hour of the day")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("emotional load (decayed)")
    axes[0][-1].legend(fontsize=7, ncol=2, loc="upper left", frameon=False)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
