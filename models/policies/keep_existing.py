"""keep_existing: every city keeps at least a share of its output today, per segment."""

from __future__ import annotations

from typing import Annotated

import pyomo.environ as pyo
from pydantic import Field

from models.data import ScenarioData
from models.policies.base import PolicyParams
from models.problems import num


class Params(PolicyParams):
    min_share: Annotated[float, Field(ge=0, le=1)]
    """Least share of existing output kept in each city."""


def add(m: pyo.ConcreteModel, data: ScenarioData, params: Params) -> None:
    """keep_existing: x_sc ≥ min_share · existing_sc for every (s, c) with output today.

    Where c may no longer host s, the requirement cannot be met and is recorded as a conflict.
    """
    rows = []
    for (s, c), q in data.existing.items():
        if (s, c) in m.SC:
            rows.append((s, c))
        elif params.min_share * q > 0:
            m.conflicts.append(
                f"keep_existing asks '{c}' to keep {num(params.min_share * q)} of '{s}', "
                f"but '{c}' is not eligible to host '{s}'"
            )
    m.keep_existing = pyo.Constraint(
        rows, rule=lambda m, s, c: m.x[s, c] >= params.min_share * data.existing[s, c]
    )
