"""area_cap: an area-wide cap on a resource, shared by all cities."""

from __future__ import annotations

import pyomo.environ as pyo
from pydantic import ConfigDict, RootModel

from models.data import ScenarioData
from models.policies.base import PolicyHooks
from models.schema import Id, NonNegative


class Params(PolicyHooks, RootModel[dict[Id, NonNegative]]):
    """Resource id -> cap for the whole area, in the resource's unit."""

    model_config = ConfigDict(strict=True, frozen=True, allow_inf_nan=False)

    def references(self) -> dict[str, list[str]]:
        return {"resource": list(self.root)}


def add(m: pyo.ConcreteModel, data: ScenarioData, params: Params) -> None:
    """area_cap: Σ_{s,c} u_sr x_sc ≤ cap_r for every capped resource r (eligible (s, c) only)."""

    def rule(m, r):
        used = [(u, s) for (s, q), u in data.use.items() if q == r]
        body = sum(u * m.x[s, c] for u, s in used for c in data.eligible[s])
        if isinstance(body, int | float):
            return pyo.Constraint.Skip
        return body <= params.root[r]

    m.area_cap = pyo.Constraint(list(params.root), rule=rule)
