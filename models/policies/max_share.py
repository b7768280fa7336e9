"""max_share: no city makes more than a share of a segment (supply security)."""

from __future__ import annotations

from typing import Annotated

import pyomo.environ as pyo
from pydantic import Field

from models.data import ScenarioData
from models.policies.base import PolicyParams
from models.schema import Id


class Params(PolicyParams):
    share: Annotated[float, Field(gt=0, le=1)]
    """Largest share of a segment's planned output that one city may make."""
    segments: list[Id] | None = None
    """Segments it applies to; null: every segment."""

    def references(self) -> dict[str, list[str]]:
        return {"segment": list(self.segments or [])}


def add(m: pyo.ConcreteModel, data: ScenarioData, params: Params) -> None:
    """max_share: x_sc ≤ share · Q_s for every listed segment s and eligible city c."""
    listed = params.segments if params.segments is not None else data.segments
    rows = [(s, c) for s in listed for c in data.eligible[s]]
    m.max_share = pyo.Constraint(
        rows, rule=lambda m, s, c: m.x[s, c] <= params.share * data.output[s]
    )
