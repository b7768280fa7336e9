"""single_host: at most one host for the listed segments (or for every segment)."""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from models.data import ScenarioData
from models.policies.base import PolicyParams
from models.schema import Id


class Params(PolicyParams):
    segments: list[Id] | None = None
    """Segments limited to one host; null (or the policy given as `true`): every segment."""

    @classmethod
    def from_json(cls, value: Any) -> Params:
        return cls() if value is True else cls.model_validate(value)

    def references(self) -> dict[str, list[str]]:
        return {"segment": list(self.segments or [])}

    def listed(self, data: ScenarioData) -> list[str]:
        """The segments limited to one host."""
        return list(data.segments) if self.segments is None else list(self.segments)


def add(m: pyo.ConcreteModel, data: ScenarioData, params: Params) -> None:
    """single_host: Σ_c y_sc ≤ 1 for every listed segment s (eligible c only)."""
    rows = [s for s in params.listed(data) if len(data.eligible[s]) > 1]
    m.single_host = pyo.Constraint(
        rows, rule=lambda m, s: sum(m.y[s, c] for c in data.eligible[s]) <= 1
    )
