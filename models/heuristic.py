"""A feasible starting plan for large MIPs, from the LP relaxation.

1. Solve the LP relaxation (y_sc in [0, 1]). Its outputs x*_sc respect every capacity jointly.
2. Hosts: the cities where x*_sc > 0, after moving the small shares (below min_scale) of each
   segment to its large hosts or to one new host, within the capacities left.
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


def _room(data: ScenarioData, residual: dict, s: str, c: str) -> float:
    """How much more of s city c can make with its remaining capacities."""
    room = data.upper[s, c]
    for (t, r), u in data.use.items():
        if t == s and (c, r) in residual:
            room = min(room, residual[c, r] / u)
    return max(room, 0.0)


def _use(data: ScenarioData, residual: dict, s: str, c: str, quantity: float) -> None:
    for (t, r), u in data.use.items():
        if t == s and (c, r) in residual:
            residual[c, r] -= u * quantity


def repaired_hosts(m: pyo.ConcreteModel, data: ScenarioData) -> dict[str, set[str]] | None:
    """Hosts per segment from the LP outputs x* loaded in the model's variables.

    x* respects every capacity jointly but may make a little of a segment in many cities, below
    min_scale. Those small shares are moved, segment by segment, to the segment's large hosts
    while they have room, else to new hosts (the cities with the most room), each at least at
    min_scale, the large hosts giving up what that adds beyond the small shares. None if the
    shares find no room.
    """
    x = {(s, c): max(m.x[s, c].value or 0.0, 0.0) for s, c in data.pairs}
    residual = dict(data.capacity)
    for (s, c), q in x.items():
        _use(data, residual, s, c, q)
    for s in data.segments:
        scale = data.segment[s].min_scale
        small = [c for c in data.eligible[s] if TOL < x[s, c] < scale * (1 - 1e-6)]
        if not small:
            continue
        amount = sum(x[s, c] for c in small)
        for c in small:
            _use(data, residual, s, c, -x[s, c])
            x[s, c] = 0.0
        large = sorted(
            (c for c in data.eligible[s] if x[s, c] > TOL),
            key=lambda c: -_room(data, residual, s, c),
        )
        for c in large:
            add = min(_room(data, residual, s, c), amount)
            x[s, c] += add
            _use(data, residual, s, c, add)
            amount -= add
        while amount > TOL:
            spare = [c for c in data.eligible[s] if x[s, c] <= TOL]
            best = max(spare, key=lambda c: _room(data, residual, s, c), default=None)
            if best is None or _room(data, residual, s, best) < scale - TOL:
                return None
            take = min(_room(data, residual, s, best), max(amount, scale))
            excess = take - amount  # a new host runs at least at min_scale
            for c in sorted(large, key=lambda c: -x[s, c]):
                give = min(max(x[s, c] - scale, 0.0), max(excess, 0.0))
                x[s, c] -= give
                _use(data, residual, s, c, -give)
                excess -= give
            if excess > TOL:
                return None
            x[s, best] = take
            _use(data, residual, s, best, take)
            large.append(best)
            amount = max(amount - take, 0.0)
    return {s: {c for c in data.eligible[s] if x[s, c] > TOL} for s in data.segments}


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
    hosts = repaired_hosts(m, data)
    return None if hosts is None else plan_for_hosts(m, hosts, lp_options)
