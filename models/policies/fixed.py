"""fixed: planner decisions taken as given (segment hosted in, or kept out of, a city)."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ScenarioData, not_eligible_because
from models.policies.base import PolicyParams
from models.schema import Pair


class Params(PolicyParams):
    host: list[Pair] = []
    """[segment, city] pairs that must host."""
    forbid: list[Pair] = []
    """[segment, city] pairs that must not host."""

    def references(self) -> dict[str, list[str]]:
        pairs = [*self.host, *self.forbid]
        return {"segment": [s for s, _ in pairs], "city": [c for _, c in pairs]}


def add(m: pyo.ConcreteModel, data: ScenarioData, params: Params) -> None:
    """fixed: y_sc = 1 for every (s, c) in host, y_sc = 0 for every (s, c) in forbid.

    A host pair that is not eligible cannot be met and is recorded as a conflict; a forbidden
    pair that is not eligible is already met.
    """
    for s, c in params.host:
        if (s, c) in m.SC:
            m.y[s, c].fix(1)
        else:
            m.conflicts.append(
                f"fixed asks '{c}' to host '{s}', but '{c}' is not eligible for '{s}' "
                f"(eligible: {', '.join(data.eligible[s]) or 'none'}): "
                f"{not_eligible_because(data.segment[s], data.city[c])}, or drop "
                f"['{s}', '{c}'] from fixed.host"
            )
    for s, c in params.forbid:
        if (s, c) in m.SC:
            if m.y[s, c].fixed and m.y[s, c].value == 1:
                m.conflicts.append(f"fixed both hosts and forbids '{s}' in '{c}'")
            m.y[s, c].fix(0)
