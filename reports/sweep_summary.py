"""What the report reads of a sweep's summary.json, checked before anything is drawn.

The file is written by `sweeps.outputs`; these models list the fields the robustness section
uses, with their kinds (numbers finite, counts whole and not negative, true and false not
numbers). Fields the report does not read are allowed and not checked. A value of another kind
is named by its place in the file, e.g. `scenarios.baseline.regret.proven`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field

from reports.results import Checked, check_json

Count = Annotated[int, Field(ge=0)]


class Percentiles(Checked):
    min: float
    p5: float
    p25: float
    p50: float
    p75: float
    p95: float
    max: float
    mean: float


class Base(Checked):
    status: str
    objective: float | None
    gap: float | None = None
    reason: str


class Failure(Checked):
    status: str
    reason: str
    count: Count


class Failed(Checked):
    count: Count
    by_status: dict[str, Count]
    reasons: list[Failure]


class KeptInfeasible(Checked):
    reason: str
    count: Count


class Regret(Checked):
    samples: Count
    proven: Count
    unproven: Count
    base_plan_optimal: Count
    base_plan_infeasible: Count
    base_plan_infeasible_reasons: list[KeptInfeasible]
    absolute: Percentiles | None
    relative: Percentiles | None


class Contested(Checked):
    segment: str
    city: str
    share: float
    base_host: Annotated[int, Field(ge=0, le=1)]


class ScenarioSweep(Checked):
    base: Base
    samples: Count
    solved: Count
    feasible_at_limit: Count
    failed: Failed
    objective: Percentiles | None
    regret: Regret
    contested: list[Contested]
    overturned: list[Contested] = []  # absent in sweeps of older versions


class Vary(Checked):
    path: str
    relative: Annotated[list[float], Field(min_length=2, max_length=2)]
    common: bool = False


class Run(Checked):
    samples_per_minute: float | None = None


class SweepSummary(Checked):
    instance: str | None = None
    sweep: str | None = None
    instance_fingerprint: str | None = None
    """Absent in sweeps of older versions."""
    samples: Count
    seed: int
    vary: list[Vary]
    scenarios: dict[str, ScenarioSweep]
    run: Run | None = None


def check_summary(payload: dict, path: Path, fix: str) -> None:
    """Raise ReportInputError naming every field of `payload` the report cannot use."""
    check_json(SweepSummary, payload, path, fix)
