"""Objective of SPEC §3: five cost terms, each kept as a named expression and weighted."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ScenarioData

TERMS = ("transport", "setup", "duplication", "relocation", "import")


def transport(m: pyo.ConcreteModel, data: ScenarioData):
    """transport = Σ_s t_s Σ_{a≠b} d_ab f_sab."""
    return sum(
        data.segment[s].transport_cost * data.distance[a, b] * m.f[s, a, b]
        for s, a, b in m.ARC
        if a != b and data.segment[s].transport_cost > 0
    )


def setup(m: pyo.ConcreteModel, data: ScenarioData):
    """setup = Σ_{s,c: existing_sc = 0} F_sc y_sc."""
    return sum(
        data.setup_cost[s, c] * m.y[s, c]
        for s, c in m.SC
        if (s, c) not in data.existing and data.setup_cost[s, c] > 0
    )


def duplication(m: pyo.ConcreteModel, data: ScenarioData):
    """duplication = Σ_s penalty_s e_s."""
    return sum(data.penalty[s] * m.e[s] for s in m.DUP)


def relocation(m: pyo.ConcreteModel, data: ScenarioData):
    """relocation = Σ_{s,c} relocation_cost · r_sc."""
    return sum(data.relocation_cost * m.r[s, c] for s, c in m.EX)


def imports(m: pyo.ConcreteModel, data: ScenarioData):
    """import = Σ_s import_cost_s g_s."""
    return sum(data.segment[s].import_cost * m.g[s] for s in m.IMP)


TERM_RULES = {
    "transport": transport,
    "setup": setup,
    "duplication": duplication,
    "relocation": relocation,
    "import": imports,
}


def add_objective(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """min Σ_k weight_k · term_k; each term stays readable as m.term[k]."""
    m.term = pyo.Expression(TERMS, rule=lambda m, k: TERM_RULES[k](m, data))
    m.cost = pyo.Objective(
        expr=sum(data.weights.of(k) * m.term[k] for k in TERMS), sense=pyo.minimize
    )
