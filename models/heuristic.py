"""A feasible starting plan for large MIPs, from the LP relaxation.

1. Solve the LP relaxation (y_sc in [0, 1]). Its outputs x*_sc respect every capacity jointly.
2. Hosts: for each segment, the cities where x*_sc reaches min_scale, largest first, until
   their room U_sc covers the output Q_s (more cities by decreasing x* if needed).
3. With those hosts fixed, the LP of outputs, shipments and imports gives the best plan for
   them, or shows that they cannot work (then there is no start).

HiGHS takes the plan as a MIP start, so a large instance has a plan, and a reported gap, from the
start of the search rather than whenever the search first finds one.
"""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap

from models.data import TOL, ScenarioData
from solvers import SolverOptions, solve


def rounded_hosts(m: pyo.ConcreteModel, data: ScenarioData) -> dict[str, set[str]]:
    """Hosts per segment from the LP outputs x* loaded in the model's variables."""
    hosts: dict[str, set[str]] = {}
    for s in data.segments:
        scale = max(data.segment[s].min_scale * (1 - 1e-6), TOL)
        ranked = sorted(data.eligible[s], key=lambda c: -(m.x[s, c].value or 0.0))
        chosen = {c for c in ranked if (m.x[s, c].value or 0.0) >= scale}
        if s not in data.importable:
            for c in ranked:
                if sum(data.upper[s, k] for k in chosen) >= data.output[s] - TOL:
                    break
                chosen.add(c)
        hosts[s] = chosen
    return hosts


def relaxation(m: pyo.ConcreteModel, options: SolverOptions) -> bool:
    """Solve the LP relaxation of `m` (values loaded into its variables); True if solved."""
    free = [y for y in m.y.values() if not y.fixed]
    for y in free:
        y.domain = pyo.UnitInterval
    try:
        return solve(m, options).status.has_solution
    finally:
        for y in free:
            y.domain = pyo.Binary


def plan_for_hosts(
    m: pyo.ConcreteModel, hosts: dict[str, set[str]], options: SolverOptions
) -> ComponentMap | None:
    """Best outputs and flows with the hosts fixed: every variable's value, or None."""
    free = [(key, y) for key, y in m.y.items() if not y.fixed]
    if any(y.value != (1 if c in hosts[s] else 0) for (s, c), y in m.y.items() if y.fixed):
        return None
    for (s, c), y in free:
        y.fix(1 if c in hosts[s] else 0)
    try:
        solved = solve(m, options).status.has_solution
    finally:
        for _, y in free:
            y.unfix()
    if not solved:
        return None
    return ComponentMap(
        (v, v.value) for v in m.component_data_objects(pyo.Var) if v.value is not None
    )


def start_for(
    m: pyo.ConcreteModel, data: ScenarioData, options: SolverOptions | None = None
) -> ComponentMap | None:
    """A complete feasible solution {variable: value} of model `m`, or None."""
    lp_options = SolverOptions(
        time_limit=options.time_limit if options else None,
        threads=options.threads if options else None,
    )
    if not relaxation(m, lp_options):
        return None
    return plan_for_hosts(m, rounded_hosts(m, data), lp_options)
