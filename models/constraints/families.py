"""The constraint families of SPEC §3 (one function each).

Symbols: s, j segments; a, b, c cities; r resources; G the gateway. Variables are declared in
`models/build.py`: y_sc, x_sc over eligible (s, c); f_sab over shipment arcs; e_s where
duplication is possible; r_sc where output exists today; g_s where import is allowed.
"""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import TOL, ScenarioData, suppliers
from models.problems import num


def add_output(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """output: Σ_c x_sc + g_s = Q_s for every segment s (g_s only where import is allowed)."""

    def rule(m, s):
        imported = m.g[s] if s in m.IMP else 0
        return sum(m.x[s, c] for c in data.eligible[s]) + imported == data.output[s]

    m.output = pyo.Constraint(data.segments, rule=rule)


def add_host_link(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """host_link: min_scale_s · y_sc ≤ x_sc ≤ U_sc · y_sc for eligible (s, c).

    U_sc = min(Q_s, min_r K_cr / u_sr). The lower row is added only where min_scale_s > 0.
    """
    m.host_upper = pyo.Constraint(
        m.SC, rule=lambda m, s, c: m.x[s, c] <= data.upper[s, c] * m.y[s, c]
    )
    scaled = [(s, c) for s, c in data.pairs if data.segment[s].min_scale > 0]
    m.host_lower = pyo.Constraint(
        scaled, rule=lambda m, s, c: m.x[s, c] >= data.segment[s].min_scale * m.y[s, c]
    )


def add_ship_out(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """ship_out: Σ_b f_sab = x_sa + g_s · 1[a = G] for every supplier a of s.

    Suppliers are the eligible hosts of s, and G when s may be imported.
    """

    def rule(m, s, a):
        supplied = m.x[s, a] if (s, a) in m.SC else 0
        if a == data.gateway and s in m.IMP:
            supplied = supplied + m.g[s]
        return sum(m.f[s, a, b] for b in m.arcs_out.get((s, a), ())) == supplied

    keys = [(s, a) for s in data.segments for a in suppliers(data, s)]
    m.ship_out = pyo.Constraint(keys, rule=rule)


def add_ship_in(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """ship_in: Σ_a f_sab = Σ_j a_sj x_jb + (Fin_s + Σ_j a_sj g_j) · μ_sb for every city b that
    may need s (a final market of s, or an eligible host of a segment j that uses s).

    A positive fixed need with no arc into b is recorded as a conflict.
    """
    rows = {}
    for s in data.segments:
        mu = data.markets.get(s, {})
        users = data.downstream(s)
        for b in data.cities:
            inputs = [(a, j) for j, a in users.items() if (j, b) in m.SC]
            imported = [(a, j) for j, a in users.items() if j in m.IMP] if b in mu else []
            fixed = data.final_sales[s] * mu.get(b, 0.0)
            if not inputs and not imported and fixed <= TOL:
                continue
            need = sum(a * m.x[j, b] for a, j in inputs) + sum(
                a * mu[b] * m.g[j] for a, j in imported
            )
            sources = m.arcs_in.get((s, b), ())
            if not sources:
                if fixed > TOL:
                    m.conflicts.append(
                        f"city '{b}' needs {num(fixed)} of segment '{s}' for its final market, "
                        f"but no city that may supply '{s}' has a route to '{b}' — give '{b}' "
                        "coordinates (lat, lon) or a distance in transport.distances, or make a "
                        f"city with a route to it eligible for '{s}'"
                    )
                    continue
                rows[s, b] = need == 0
                continue
            rows[s, b] = sum(m.f[s, a, b] for a in sources) == need + fixed
    m.ship_in = pyo.Constraint(list(rows), rule=lambda m, s, b: rows[s, b])


def add_capacity(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """capacity: Σ_s u_sr x_sc ≤ K_cr for every city c and resource r the city caps.

    Only eligible (s, c) with u_sr > 0 enter; rows with no such pair are skipped.
    """
    terms: dict[tuple[str, str], list] = {}
    for s, c in data.pairs:
        for r in data.resources:
            u = data.use.get((s, r))
            if u and (c, r) in data.capacity:
                terms.setdefault((c, r), []).append((u, s))
    m.capacity = pyo.Constraint(
        list(terms),
        rule=lambda m, c, r: sum(u * m.x[s, c] for u, s in terms[c, r]) <= data.capacity[c, r],
    )


def add_duplication(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """duplication: e_s ≥ Σ_c y_sc − max_hosts_s for segments with max_hosts that have more
    eligible cities than max_hosts (elsewhere e_s = 0 and no row is needed)."""
    m.duplication = pyo.Constraint(
        m.DUP,
        rule=lambda m, s: (
            m.e[s] >= sum(m.y[s, c] for c in data.eligible[s]) - data.segment[s].max_hosts
        ),
    )


def add_relocation(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """relocation: r_sc ≥ existing_sc − x_sc for every (s, c) with output today.

    Where c is no longer eligible for s, x_sc is absent and r_sc ≥ existing_sc.
    """

    def rule(m, s, c):
        kept = m.x[s, c] if (s, c) in m.SC else 0
        return m.r[s, c] >= data.existing[s, c] - kept

    m.relocation = pyo.Constraint(m.EX, rule=rule)
