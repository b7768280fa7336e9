"""Shadow prices of city capacities and area caps: what one more unit would save.

They come from the LP with every hosting decision fixed at the optimum (y_sc fixed), where the
host links use Q_s instead of U_sc so that a capacity appears in exactly one row: its own.
shadow_price = −∂cost/∂K_cr ≥ 0, in money per unit of the resource ("one more hectare of land in
Wuhu saves X"). LP duals at a degenerate optimum are not unique: HiGHS reports one of them.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from models.constraints.strengthen import STRENGTHENING
from models.data import AREA, ScenarioData
from solvers import solve_lp_duals

COLUMNS = ["city", "resource", "use", "capacity", "utilisation", "shadow_price"]


def fix_hosting(m: pyo.ConcreteModel, data: ScenarioData) -> None:
    """Fix y at its (rounded) values; make capacity rows the only limit on output.

    The valid inequalities go too: with y fixed, a transport floor is a row whose right-hand side
    was computed from the capacities, and it could take the dual that belongs to a capacity."""
    for (s, c), y in m.y.items():
        y.fix(round(y.value or 0.0))
        m.x[s, c].setub(data.output[s])
        m.host_upper[s, c].set_value(m.x[s, c] <= data.output[s] * y)
    for name in STRENGTHENING:
        if hasattr(m, name):
            getattr(m, name).deactivate()


def shadow_prices(m: pyo.ConcreteModel, data: ScenarioData) -> pd.DataFrame:
    """One row per city capacity (and per area cap, city 'area'), after a solved MIP.

    Changes the model (hosting fixed), so call it after the plan has been extracted.
    """
    fix_hosting(m, data)
    duals = solve_lp_duals(m)
    rows = []
    for (c, r), con in m.capacity.items():
        rows.append(_row(c, r, pyo.value(con.body), data.capacity[c, r], duals.get(con)))
    if hasattr(m, "area_cap"):
        caps = data.policies["area_cap"].root
        for r, con in m.area_cap.items():
            rows.append(_row(AREA, r, pyo.value(con.body), caps[r], duals.get(con)))
    return pd.DataFrame(rows, columns=COLUMNS)


def _row(city: str, resource: str, use: float, capacity: float, dual: float | None) -> dict:
    price = None if dual is None else max(0.0, -dual) + 0.0
    return {
        "city": city,
        "resource": resource,
        "use": round(use, 6) + 0.0,
        "capacity": round(capacity, 6) + 0.0,  # as in cities.csv
        "utilisation": round(use / capacity, 6) if capacity > 0 else None,
        "shadow_price": None if price is None else round(price, 6),
    }
