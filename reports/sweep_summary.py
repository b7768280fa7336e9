"""What the report reads of a sweep's summary.json, checked before anything is drawn.

The file is written by `sweeps.outputs`; these models list the fields the robustness section
uses, with their kinds (numbers finite, counts whole and not negative, true and false not
numbers). Fields the report does not read are allowed and not checked. A value of another kind
is named by its place in the file, e.g. `scenarios.baseline.regret.proven`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reports.results import SHOWN, ReportInputError, json_value

Count = Annotated[int, Field(ge=0)]


class _Read(BaseModel):
    model_config = ConfigDict(strict=True, allow_inf_nan=False, extra="allow")


class Percentiles(_Read):
    min: float
    p5: float
    p25: float
    p50: float
    p75: float
    p95: float
    max: float
    mean: float


class Base(_Read):
    status: str
    objective: float | None
    gap: float | None = None
    reason: str


class Failure(_Read):
    status: str
    reason: str
    count: Count


class Failed(_Read):
    count: Count
    by_status: dict[str, Count]
    reasons: list[Failure]


class KeptInfeasible(_Read):
    reason: str
    count: Count


class Regret(_Read):
    samples: Count
    proven: Count
    unproven: Count
    base_plan_optimal: Count
    base_plan_infeasible: Count
    base_plan_infeasible_reasons: list[KeptInfeasible]
    absolute: Percentiles | None
    relative: Percentiles | None


class Contested(_Read):
    segment: str
    city: str
    share: float
    base_host: Annotated[int, Field(ge=0, le=1)]


class ScenarioSweep(_Read):
    base: Base
    samples: Count
    solved: Count
    feasible_at_limit: Count
    failed: Failed
    objective: Percentiles | None
    regret: Regret
    contested: list[Contested]


class Vary(_Read):
    path: str
    relative: Annotated[list[float], Field(min_length=2, max_length=2)]
    common: bool = False


class Run(_Read):
    samples_per_minute: float | None = None


class SweepSummary(_Read):
    instance: str | None = None
    sweep: str | None = None
    instance_fingerprint: str | None = None
    """Absent in sweeps of older versions."""
    samples: Count
    seed: int
    vary: list[Vary]
    scenarios: dict[str, ScenarioSweep]
    run: Run | None = None


KINDS = {
    "model_type": "an object",
    "dict_type": "an object",
    "list_type": "a list",
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "greater_than_equal": "0 or more",
    "less_than_equal": "0 or 1",
    "too_short": "a pair [low, high]",
    "too_long": "a pair [low, high]",
}
"""What a field must be, by pydantic's error type."""


def _problem(error: dict) -> str:
    place = ".".join(map(str, error["loc"]))
    if error["type"] == "missing":
        return f"{place} is missing"
    kind = KINDS.get(error["type"], error["msg"].lower())
    return f"{place} is {json_value(error['input'])}, not {kind}"


def check_summary(payload: dict, path: Path, fix: str) -> None:
    """Raise ReportInputError naming every field of `payload` the report cannot use."""
    try:
        SweepSummary.model_validate(payload)
    except ValidationError as err:
        wrong = [_problem(e) for e in err.errors()]
        more = f"; and {len(wrong) - SHOWN} more" if len(wrong) > SHOWN else ""
        raise ReportInputError(
            f"{path}: damaged ({'; '.join(wrong[:SHOWN])}{more}) — {fix}"
        ) from None
