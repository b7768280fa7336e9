"""linkage: every host of one segment has a host of another within a travel time."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ScenarioData
from models.policies.base import PolicyParams
from models.schema import NonNegative, Pair


class Params(PolicyParams):
    max_minutes: NonNegative
    """Longest travel time from a host of the first segment to a host of the second, minutes."""
    pairs: list[Pair]
    """[first, second] segment pairs."""

    def references(self) -> dict[str, list[str]]:
        return {"segment": [s for pair in self.pairs for s in pair]}

    def counts_hosts(self, segment: str) -> bool:
        return any(second == segment for _, second in self.pairs)


def partners(data: ScenarioData, first: str, c: str, second: str, minutes: float) -> list[str]:
    """Eligible hosts of `second` within `minutes` of city c (c itself included)."""
    near = []
    for b in data.eligible[second]:
        t = data.travel_minutes(c, b)
        if t is not None and t <= minutes + 1e-9:
            near.append(b)
    return near


def add(m: pyo.ConcreteModel, data: ScenarioData, params: Params) -> None:
    """linkage: y_{s1,c} ≤ Σ_{c' : time(c, c') ≤ max_minutes} y_{s2,c'} for every pair (s1, s2)
    and every eligible host c of s1 (time along d_cc' at speed_kmh; time(c, c) = 0).

    A host of s1 with no eligible host of s2 in reach gets y_{s1,c} ≤ 0.
    """
    rows = [(first, c, second) for first, second in params.pairs for c in data.eligible[first]]

    def rule(m, first, c, second):
        near = partners(data, first, c, second, params.max_minutes)
        return m.y[first, c] <= sum(m.y[second, b] for b in near)

    m.linkage = pyo.Constraint(rows, rule=rule)
