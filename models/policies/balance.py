"""balance: value added per capita of listed cities at least a share of the area average."""

from __future__ import annotations

from typing import Literal

import pyomo.environ as pyo
from pydantic import model_validator

from models.data import ScenarioData
from models.policies.base import PolicyParams
from models.schema import Id, Instance, NonNegative


class Params(PolicyParams):
    min_ratio: NonNegative
    """Least ratio of a listed city's VA per capita to the area average."""
    roles: list[Literal["core", "periphery"]] = []
    """Cities of these roles are listed."""
    cities: list[Id] = []
    """These cities are listed."""

    @model_validator(mode="after")
    def _some_city(self) -> Params:
        if not self.roles and not self.cities:
            raise ValueError("balance needs 'roles' or 'cities' to say which cities it protects")
        return self

    def references(self) -> dict[str, list[str]]:
        return {"city": list(self.cities)}

    def problems(self, inst: Instance) -> list[tuple[str, str]]:
        missing = [c.id for c in inst.cities if c.population is None]
        if not missing:
            return []
        return [
            (
                f"compares value added per capita, but {', '.join(missing)} "
                f"{'has' if len(missing) == 1 else 'have'} no population",
                "give every city its population",
            )
        ]

    def listed(self, data: ScenarioData) -> list[str]:
        return [c for c in data.cities if c in self.cities or data.city[c].role in self.roles]


def value_added(m: pyo.ConcreteModel, data: ScenarioData, c: str):
    """VA_c = Σ_s value_added_rate_s · x_sc over eligible (s, c)."""
    return sum(
        data.segment[s].value_added_rate * m.x[s, c]
        for s in data.segments
        if (s, c) in m.SC and data.segment[s].value_added_rate > 0
    )


def add(m: pyo.ConcreteModel, data: ScenarioData, params: Params) -> None:
    """balance: VA_c · P ≥ min_ratio · pop_c · Σ_c' VA_c' for every listed city c.

    P is the area's population, so this is VA_c / pop_c ≥ min_ratio · (Σ VA) / P: the city's value
    added per capita is at least min_ratio times the area average.
    """
    listed = params.listed(data)
    if not listed or params.min_ratio == 0:
        return
    population = {c: data.city[c].population for c in data.cities}
    total_pop = sum(population.values())
    m.area_value_added = pyo.Expression(expr=sum(value_added(m, data, c) for c in data.cities))
    m.balance = pyo.Constraint(
        listed,
        rule=lambda m, c: (
            value_added(m, data, c) * total_pop
            >= params.min_ratio * population[c] * m.area_value_added
        ),
    )
