"""transport_floor: the least a one-host segment can spend on transport, given its host.

For a segment that has at most one host, all its output leaves that city. Its transport is then at
least what it costs to reach its final markets plus its users placed as near as the capacities of
the area allow. That amount depends only on the host, so it can be written over the binaries — the
Gilmore–Lawler bound of the quadratic assignment problem is the special case where every segment
has one host and every city room for one segment.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
from scipy.optimize import linprog

from models.data import TOL, ScenarioData


def one_host_segments(data: ScenarioData) -> list[str]:
    """Segments that cannot be imported and have at most one host in every plan: those whose
    min_scale is more than half their output, and those named by a single_host policy."""
    single = data.policies.get("single_host")
    listed = set(single.listed(data)) if single is not None else set()
    return [
        s
        for s in data.segments
        if s not in data.importable
        and (2 * data.segment[s].min_scale > data.output[s] + TOL or s in listed)
    ]


def delivery_floors(data: ScenarioData, s: str) -> dict[str, float]:
    """L_sc / t_s, the least unit-km of segment s shipped when all of its output Q_s is made in
    city c, for every eligible c where s can be made.

    Final sales go to s's markets (a fixed cost per host). Each user j of s must make Q_j
    somewhere, taking a_sj per unit from c; the cheapest placement is the LP
        min Σ_jb a_sj d_cb z_jb  s.t.  Σ_b z_jb = Q_j,  0 ≤ z_jb ≤ U_jb,
                                      Σ_j u_jr z_jb ≤ K_br − [b = c] u_sr Q_s,
    over the eligible cities b of j (z_jb = 0 where c has no route to b). Its matrix is the same
    for every host; only costs, bounds and the room at c change. Users are taken as made in the
    area (see add_transport_floor). A host is left out where s cannot be made: no route to one of
    its markets, or no room left for its users.
    """
    sold = data.markets.get(s, {}) if data.final_sales[s] > TOL else {}
    users = [(j, a) for j, a in data.downstream(s).items() if j != s]
    columns = [(j, a, b) for j, a in users for b in data.eligible[j]]
    a_eq = np.array([[1.0 if jj == j else 0.0 for jj, _, _ in columns] for j, _ in users])
    b_eq = np.array([data.output[j] for j, _ in users])
    capacity_rows = []
    for (b, r), room in data.capacity.items():
        row = np.array([data.use.get((j, r), 0.0) if bb == b else 0.0 for j, _, bb in columns])
        if row.any():
            capacity_rows.append((b, room - data.use.get((s, r), 0.0) * data.output[s], room, row))
    a_ub = np.array([row for *_, row in capacity_rows]) if capacity_rows else None

    def placement_cost(c: str, km: dict[str, float | None]) -> float | None:
        if not users:
            return 0.0
        reach = [km[b] is not None for _, _, b in columns]
        result = linprog(
            [a * km[b] if ok else 0.0 for (_, a, b), ok in zip(columns, reach, strict=True)],
            A_ub=a_ub,
            b_ub=[with_s if b == c else room for b, with_s, room, _ in capacity_rows] or None,
            A_eq=a_eq,
            b_eq=b_eq,
            bounds=[
                (0.0, data.upper[j, b] if ok else 0.0)
                for (j, _, b), ok in zip(columns, reach, strict=True)
            ],
            method="highs",
        )
        return result.fun if result.status == 0 else None

    floors = {}
    for c in data.eligible[s]:
        km = {b: data.km(c, b) for b in data.cities}
        if any(km[b] is None for b in sold):
            continue
        placement = placement_cost(c, km)
        if placement is not None:
            to_markets = data.final_sales[s] * sum(share * km[b] for b, share in sold.items())
            floors[c] = to_markets + placement
    return floors


def add_transport_floor(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """transport_floor: t_s Σ_{a≠b} d_ab f_sab ≥ Σ_c L_sc y_sc for every one-host segment s,
    L_sc from delivery_floors; written divided by t_s (unit-km on both sides), so that its
    coefficients stay those of distances and quantities whatever the money unit.

    Valid because a one-host segment made in c ships everything from c, to final markets and to
    users whose placement satisfies the capacities; where s cannot be made at all, y_sc = 0 in
    every plan and the floor is left at 0. Segments with a user that can be imported are left
    out (that user's share of s would go to s's markets instead), as are rows that are 0
    everywhere.
    """
    floors = {}
    for s in one_host_segments(data):
        if (
            data.segment[s].transport_cost <= 0
            or len(data.eligible[s]) < 2
            or any(j in data.importable for j in data.downstream(s))
        ):
            continue
        least = delivery_floors(data, s)
        if max(least.values(), default=0.0) > TOL:
            floors[s] = least
    m.transport_floor = pyo.Constraint(
        list(floors),
        rule=lambda m, s: (
            sum(data.distance[a, b] * m.f[s, a, b] for a, b in data.arcs[s] if a != b)
            >= sum(floor * m.y[s, c] for c, floor in floors[s].items())
        ),
    )
