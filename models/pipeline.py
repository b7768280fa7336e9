"""One scenario through the pipeline: build → solve → extract, timed stage by stage."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from models.build import build
from models.data import ScenarioData
from models.extract import Solution, extract
from solvers import SolveResult, SolverOptions, Status, solve


@dataclass
class ScenarioRun:
    """The outcome of one scenario."""

    data: ScenarioData
    status: Status
    result: SolveResult | None
    solution: Solution | None
    seconds_build: float
    seconds_total: float
    diagnosis: list[str] = field(default_factory=list)
    """Why the scenario is infeasible, in planner terms."""

    @property
    def scenario(self) -> str:
        return self.data.scenario.id

    @property
    def seconds(self) -> dict[str, float]:
        handoff = self.result.seconds_handoff if self.result else 0.0
        solve_s = self.result.seconds_solve if self.result else 0.0
        return {
            "build": round(self.seconds_build + handoff, 3),
            "solve": round(solve_s, 3),
            "total": round(self.seconds_total, 3),
            "model": round(self.seconds_build, 3),
            "handoff": round(handoff, 3),
        }


def solve_scenario(data: ScenarioData, options: SolverOptions | None = None) -> ScenarioRun:
    """Build and solve one scenario; conflicts found while building make it infeasible at once."""
    t0 = time.perf_counter()
    model = build(data)
    t1 = time.perf_counter()
    if model.conflicts:
        return ScenarioRun(
            data, Status.INFEASIBLE, None, None, t1 - t0, t1 - t0, list(model.conflicts)
        )
    result = solve(model, options)
    solution = extract(model, data) if result.status.has_solution else None
    diagnosis = []
    if result.status == Status.INFEASIBLE:
        diagnosis = ["the solver proved that no plan meets every requirement"]
    return ScenarioRun(
        data, result.status, result, solution, t1 - t0, time.perf_counter() - t0, diagnosis
    )
