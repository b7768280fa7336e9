"""Valid inequalities: implied by SPEC §3 (the optimal value is unchanged), added because they
let HiGHS derive stronger cuts. `formulation="plain"` leaves them out for side-by-side runs.
"""

from __future__ import annotations

import pyomo.environ as pyo

from models.constraints.floor import add_transport_floor
from models.data import TOL, ScenarioData


def add_capacity_cover(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """capacity_cover: Σ_c U_sc y_sc ≥ Q_s for every segment s that cannot be imported.

    Implied by output (Σ_c x_sc = Q_s) and host_link (x_sc ≤ U_sc y_sc). A knapsack row in the
    binaries alone, from which HiGHS lifts cover cuts: hosts must be able to hold the output.
    """
    rows = [s for s in data.segments if s not in data.importable and len(data.eligible[s]) > 1]
    m.capacity_cover = pyo.Constraint(
        rows,
        rule=lambda m, s: (
            sum(data.upper[s, c] * m.y[s, c] for c in data.eligible[s]) >= data.output[s]
        ),
    )


def add_min_scale_knapsack(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """min_scale_knapsack: Σ_s u_sr · min_scale_s · y_sc ≤ K_cr for every city c and resource r
    where the segments it may host could not all run at min_scale together.

    Implied by host_link (x_sc ≥ min_scale_s y_sc) and capacity. A knapsack row in the binaries.
    """
    rows: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for s, c in data.pairs:
        scale = data.segment[s].min_scale
        for r in data.resources:
            u = data.use.get((s, r))
            if scale > 0 and u and (c, r) in data.capacity:
                rows.setdefault((c, r), []).append((u * scale, s))
    rows = {k: v for k, v in rows.items() if sum(w for w, _ in v) > data.capacity[k] + TOL}
    m.min_scale_knapsack = pyo.Constraint(
        list(rows),
        rule=lambda m, c, r: sum(w * m.y[s, c] for w, s in rows[c, r]) <= data.capacity[c, r],
    )


STRENGTHENING = {
    "capacity_cover": add_capacity_cover,
    "min_scale_knapsack": add_min_scale_knapsack,
    "transport_floor": add_transport_floor,
}
