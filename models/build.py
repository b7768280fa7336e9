"""Build the Pyomo model of one scenario (SPEC §3 and the scenario's policies §4)."""

from __future__ import annotations

import pyomo.environ as pyo

from models.constraints import CONSTRAINTS
from models.constraints.strengthen import STRENGTHENING
from models.data import ScenarioData
from models.objective import add_objective
from models.policies import POLICIES

FORMULATIONS = ("default", "plain")
"""Also "default-NAME[-NAME...]": the default without the named valid inequalities."""


def inequalities(formulation: str) -> list[str]:
    """The valid inequalities (keys of STRENGTHENING) that `formulation` adds: all for "default",
    none for "plain", all but the named ones for "default-NAME-NAME..." (for measuring what
    each brings)."""
    base, *left_out = formulation.split("-")
    unknown = [name for name in left_out if name not in STRENGTHENING]
    if base not in FORMULATIONS or (base == "plain" and left_out) or unknown:
        raise ValueError(
            f"unknown formulation '{formulation}': use 'default', 'plain', or 'default-' followed "
            f"by valid inequalities to leave out, joined by '-' ({', '.join(STRENGTHENING)})"
        )
    return [] if base == "plain" else [name for name in STRENGTHENING if name not in left_out]


def build(data: ScenarioData, formulation: str = "default") -> pyo.ConcreteModel:
    """The MIP of one scenario: variables over sparse index sets, every constraint family of the
    registry, the scenario's policies, and the weighted objective; with the default formulation
    also the valid inequalities of models/constraints/strengthen.py ("plain": SPEC §3 only; see
    `inequalities` for the default without some of them).

    Requirements that cannot be met by any choice are listed in `m.conflicts` (not raised), so
    that the caller can report the scenario as infeasible in planner terms.
    """
    m = pyo.ConcreteModel(name=data.scenario.id)
    m.conflicts = []
    add_variables(m, data)
    for add_family in CONSTRAINTS.values():
        add_family(m, data)
    for name, params in data.policies.items():
        POLICIES[name].add(m, data, params)
    for name in inequalities(formulation):
        STRENGTHENING[name](m, data)
    add_objective(m, data)
    return m


def add_variables(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """Declare y, x, f, e, r, g over their sparse index sets, with bounds implied by the data."""
    m.SC = pyo.Set(dimen=2, initialize=data.pairs, ordered=True)
    m.y = pyo.Var(m.SC, within=pyo.Binary)
    m.x = pyo.Var(m.SC, bounds=lambda m, s, c: (0, data.upper[s, c]))

    arcs = [(s, a, b) for s in data.segments for a, b in data.arcs[s]]
    m.ARC = pyo.Set(dimen=3, initialize=arcs, ordered=True)
    m.f = pyo.Var(m.ARC, within=pyo.NonNegativeReals)
    m.arcs_out, m.arcs_in = {}, {}
    for s, a, b in arcs:
        m.arcs_out.setdefault((s, a), []).append(b)
        m.arcs_in.setdefault((s, b), []).append(a)

    duplicable = [
        s
        for s in data.segments
        if data.segment[s].max_hosts is not None
        and len(data.eligible[s]) > data.segment[s].max_hosts
    ]
    m.DUP = pyo.Set(initialize=duplicable, ordered=True)
    m.e = pyo.Var(m.DUP, within=pyo.NonNegativeReals)

    m.EX = pyo.Set(dimen=2, initialize=list(data.existing), ordered=True)
    m.r = pyo.Var(m.EX, bounds=lambda m, s, c: (0, data.existing[s, c]))

    m.IMP = pyo.Set(initialize=list(data.importable), ordered=True)
    m.g = pyo.Var(m.IMP, bounds=lambda m, s: (0, data.output[s]))
