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
    listed: set[str] = set()
    if single is not None:
        listed = set(data.segments if single.segments is None else single.segments)
    return [
        s
        for s in data.segments
        if s not in data.importable
        and (2 * data.segment[s].min_scale > data.output[s] + TOL or s in listed)
    ]


def _km(data: ScenarioData, a: str, b: str) -> float | None:
    return 0.0 if a == b else data.distance.get((a, b))


def least_delivery_cost(data: ScenarioData, s: str, c: str) -> float | None:
    """The least transport of segment s when all of its output Q_s is made in city c.

    Final sales go to s's markets (a fixed cost). Each user j of s must make Q_j somewhere, taking
    a_sj per unit from c; the cheapest placement is the LP
        min Σ_jb a_sj d_cb z_jb  s.t.  Σ_b z_jb = Q_j,  0 ≤ z_jb ≤ U_jb,
                                      Σ_j u_jr z_jb ≤ K_br − [b = c] u_sr Q_s,
    over the eligible cities b of j that c can ship to. Users are taken as made in the area (see
    add_transport_floor). None if s cannot be made in c: no route to one of its markets, or no
    room left for its users.
    """
    users = [(j, a) for j, a in data.downstream(s).items() if j != s]
    to_markets = 0.0
    sold = data.markets.get(s, {}) if data.final_sales[s] > TOL else {}
    for b, share in sold.items():
        km = _km(data, c, b)
        if km is None:
            return None
        to_markets += data.final_sales[s] * share * km
    if not users:
        return data.segment[s].transport_cost * to_markets

    columns = [
        (j, a, b, km)
        for j, a in users
        for b in data.eligible[j]
        if (km := _km(data, c, b)) is not None
    ]
    cost = np.array([a * km for _, a, _, km in columns])
    user_row = {j: i for i, (j, _) in enumerate(users)}
    a_eq = np.zeros((len(users), len(columns)))
    for k, (j, *_rest) in enumerate(columns):
        a_eq[user_row[j], k] = 1.0
    b_eq = np.array([data.output[j] for j, _ in users])

    a_ub, b_ub = [], []
    for (b, r), room in data.capacity.items():
        row = np.array([data.use.get((j, r), 0.0) if bb == b else 0.0 for j, _, bb, _ in columns])
        if row.any():
            a_ub.append(row)
            b_ub.append(room - (data.use.get((s, r), 0.0) * data.output[s] if b == c else 0.0))
    result = linprog(
        cost,
        A_ub=np.array(a_ub) if a_ub else None,
        b_ub=np.array(b_ub) if b_ub else None,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=[(0.0, data.upper[j, b]) for j, _, b, _ in columns],
        method="highs",
    )
    if result.status != 0:
        return None
    return data.segment[s].transport_cost * (to_markets + result.fun)


def add_transport_floor(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """transport_floor: t_s Σ_{a≠b} d_ab f_sab ≥ Σ_c L_sc y_sc for every one-host segment s,
    L_sc = least_delivery_cost(s, c).

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
        least = {c: least_delivery_cost(data, s, c) for c in data.eligible[s]}
        least = {c: floor for c, floor in least.items() if floor is not None}
        if max(least.values(), default=0.0) > TOL:
            floors[s] = least
    t = {s: data.segment[s].transport_cost for s in floors}
    m.transport_floor = pyo.Constraint(
        list(floors),
        rule=lambda m, s: (
            sum(t[s] * data.distance[a, b] * m.f[s, a, b] for a, b in data.arcs[s] if a != b)
            >= sum(floor * m.y[s, c] for c, floor in floors[s].items())
        ),
    )
