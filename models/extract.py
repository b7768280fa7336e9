"""Extract a solved model into tidy tables a planner reads (SPEC §5)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyomo.environ as pyo

from models.data import ScenarioData
from models.objective import TERMS

ZERO = 1e-7
"""Quantities below this are solver noise and reported as zero."""
DIGITS = 6


def _value(var) -> float:
    v = var.value
    if v is None:
        return 0.0
    v = round(float(v), DIGITS)
    return 0.0 if abs(v) < ZERO else v + 0.0


@dataclass
class Solution:
    """A scenario's plan: tables and totals, ready to report."""

    scenario: str
    terms: dict[str, float]
    assignments: pd.DataFrame
    flows: pd.DataFrame
    cities: pd.DataFrame
    hosts: dict[str, list[str]]
    imports: dict[str, float]
    duplicated: dict[str, dict] = field(default_factory=dict)
    """Segments with more hosts than max_hosts: {segment: {hosts, max_hosts}}."""
    shadow_prices: pd.DataFrame | None = None
    """City capacities and area caps with use and shadow price (models/shadow.py)."""


def hosted(m: pyo.ConcreteModel, s: str, c: str) -> bool:
    return (s, c) in m.SC and _value(m.y[s, c]) > 0.5


def settle(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """Give the variables a solve leaves open the values the plan implies, so that the reported
    terms describe the plan. A host decision in no row and at no cost (no room for the segment
    in that city, setup weighted 0) never reaches the solver: not a host. Hosts beyond max_hosts
    (e_s) and existing output not kept (r_sc) may lie anywhere in their range when their term
    weighs 0: they are set to what the hosts and outputs make them. A host decision at 1 with no
    output, no cost and no policy that needs it (an existing site the plan leaves empty, where
    duplication costs nothing) is one of equal plans the solver chose between: not a host."""
    for s, c in m.SC:
        if m.y[s, c].value is None or _idle(m, data, s, c):
            m.y[s, c].set_value(0)
    for s in m.DUP:
        hosts = sum(_value(m.y[s, c]) for c in data.eligible[s])
        m.e[s].set_value(max(0.0, hosts - data.segment[s].max_hosts))
    for s, c in m.EX:
        kept = _value(m.x[s, c]) if (s, c) in m.SC else 0.0
        m.r[s, c].set_value(max(0.0, data.existing[s, c] - kept))


def _idle(m: pyo.ConcreteModel, data: ScenarioData, s: str, c: str) -> bool:
    """y_sc = 1 where setting it to 0 changes neither a term nor a row that holds: no output,
    not fixed, no setup paid, no duplication cost, and not a host a policy may count (a linkage
    partner: `PolicyParams.counts_hosts`)."""
    y = m.y[s, c]
    if y.fixed or _value(y) < 0.5 or _value(m.x[s, c]) > 0:
        return False
    setup_paid = (s, c) not in data.existing and data.setup_cost[s, c] > 0
    duplication_paid = data.segment[s].max_hosts is not None and data.penalty[s] > 0
    counted = any(policy.counts_hosts(s) for policy in data.policies.values())
    weight = data.weights.of
    return not (
        (setup_paid and weight("setup") > 0)
        or (duplication_paid and weight("duplication") > 0)
        or counted
    )


def plan_terms(m: pyo.ConcreteModel, data: ScenarioData) -> dict[str, float]:
    """The five cost terms of the solved plan, unweighted (see `settle`)."""
    settle(m, data)
    return {k: round(float(pyo.value(m.term[k])), DIGITS) + 0.0 for k in TERMS}


def extract(m: pyo.ConcreteModel, data: ScenarioData) -> Solution:
    """Read the variable values of a solved model into a Solution."""
    terms = plan_terms(m, data)
    assignments = _assignments(m, data)
    hosts = {s: [c for c in data.eligible[s] if hosted(m, s, c)] for s in data.segments}
    duplicated = {
        s: {"hosts": len(h), "max_hosts": data.segment[s].max_hosts}
        for s, h in hosts.items()
        if data.segment[s].max_hosts is not None and len(h) > data.segment[s].max_hosts
    }
    return Solution(
        scenario=data.scenario.id,
        terms=terms,
        assignments=assignments,
        flows=_flows(m, data),
        cities=city_table(assignments, data),
        hosts=hosts,
        imports={s: _value(m.g[s]) for s in m.IMP if _value(m.g[s]) > 0},
        duplicated=duplicated,
    )


def _assignments(m: pyo.ConcreteModel, data: ScenarioData) -> pd.DataFrame:
    """One row per (segment, city) that hosts, produces or produces today."""
    rows = []
    for s in data.segments:
        rate = data.segment[s].value_added_rate
        for c in data.cities:
            output = _value(m.x[s, c]) if (s, c) in m.SC else 0.0
            existing = data.existing.get((s, c), 0.0)
            is_host = hosted(m, s, c)
            if is_host or output > 0 or existing > 0:
                rows.append(
                    {
                        "segment": s,
                        "chain": data.chain_of[s],
                        "city": c,
                        "output": output,
                        "hosted": int(is_host),
                        "existing": existing,
                        "value_added": round(rate * output, DIGITS),
                    }
                )
    columns = ["segment", "chain", "city", "output", "hosted", "existing", "value_added"]
    return pd.DataFrame(rows, columns=columns)


def _flows(m: pyo.ConcreteModel, data: ScenarioData) -> pd.DataFrame:
    """Shipments with positive quantity, including those within a city (km 0), and the part of
    each that was imported (`imported_share`)."""
    rows = []
    for s, a, b in m.ARC:
        q = _value(m.f[s, a, b])
        if q > 0:
            km = 0.0 if a == b else data.distance[a, b]
            cost = data.segment[s].transport_cost * km * q
            rows.append(
                {
                    "segment": s,
                    "from_city": a,
                    "to_city": b,
                    "quantity": q,
                    "km": round(km, DIGITS),
                    "cost": round(cost, DIGITS),
                    "imported": round(q * imported_share(m, data, s, a), DIGITS),
                }
            )
    columns = ["segment", "from_city", "to_city", "quantity", "km", "cost", "imported"]
    return pd.DataFrame(rows, columns=columns)


def imported_share(m: pyo.ConcreteModel, data: ScenarioData, s: str, a: str) -> float:
    """The share of what city a ships of s that was bought outside the area: imports arrive at
    the gateway and leave it with what the gateway makes of s (ship_out), in proportion."""
    if a != data.gateway or s not in m.IMP:
        return 0.0
    imported = _value(m.g[s])
    made = _value(m.x[s, a]) if (s, a) in m.SC else 0.0
    return imported / (imported + made) if imported > 0 else 0.0


def city_table(assignments: pd.DataFrame, data: ScenarioData) -> pd.DataFrame:
    """Value added, VA per capita (money per 万人), resource use against capacity, and output
    per city (SPEC §5's columns in its order, then output)."""
    out = assignments.groupby("city")["output"].sum() if len(assignments) else pd.Series()
    va = assignments.groupby("city")["value_added"].sum() if len(assignments) else pd.Series()
    by_pair = {(r.segment, r.city): r.output for r in assignments.itertuples()}
    rows = []
    for c in data.cities:
        pop = data.city[c].population
        value_added = round(float(va.get(c, 0.0)), DIGITS)
        row = {
            "city": c,
            "value_added": value_added,
            "va_per_capita": round(value_added / pop, DIGITS) if pop else None,
        }
        for r in data.resources:
            used = sum(u * by_pair.get((s, c), 0.0) for (s, q), u in data.use.items() if q == r)
            row[f"use_{r}"] = round(used, DIGITS)
            cap = data.capacity.get((c, r))  # a scaled one: 1222.32, not 1222.3200000000002
            row[f"capacity_{r}"] = None if cap is None else round(cap, DIGITS) + 0.0
        row["output"] = round(float(out.get(c, 0.0)), DIGITS)  # after SPEC §5's columns
        rows.append(row)
    return pd.DataFrame(rows)
