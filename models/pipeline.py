"""One scenario through the pipeline: build → solve → extract, timed stage by stage."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from models.build import build
from models.data import ScenarioData
from models.diagnose import diagnosis_options, least_relaxation
from models.extract import Solution, extract
from models.heuristic import Start, start_for
from models.presolve import obvious_conflicts
from models.shadow import shadow_prices
from solvers import SolveResult, SolverOptions, Status, solve

LARGE_MIP_BINARIES = 1000
"""From this many free host decisions on, a starting plan is computed before the MIP search:
the search on such models can spend minutes in its root node before it finds any plan (the
generated 30-city × 100-segment area, 1,060 of them: none in 300 s without the start)."""


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
    seconds_start: float = 0.0
    """Finding a starting plan for a large MIP (models/heuristic.py), before the solve."""
    time_limit: float | None = None
    """The scenario's time limit (the solver gets what the starting plan leaves of it)."""

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
            "start": round(self.seconds_start, 3),
            "handoff": round(handoff, 3),
        }


def solve_scenario(
    data: ScenarioData,
    options: SolverOptions | None = None,
    diagnose: bool = True,
    formulation: str = "default",
) -> ScenarioRun:
    """Build and solve one scenario.

    Requirements that no plan can meet, found from the data or while building, make it
    infeasible at once; when the solver proves infeasibility, the least relaxation that would
    make it feasible is computed (unless `diagnose` is False).
    """
    t0 = time.perf_counter()
    limit = options.time_limit if options else None
    conflicts = obvious_conflicts(data)
    model = build(data, formulation) if not conflicts else None
    t1 = time.perf_counter()
    conflicts += model.conflicts if model is not None else []
    if conflicts:
        return ScenarioRun(
            data, Status.INFEASIBLE, None, None, t1 - t0, t1 - t0, conflicts, time_limit=limit
        )
    start, seconds_start = Start(None, None), 0.0
    if formulation != "plain" and len(model.y) - _fixed(model) >= LARGE_MIP_BINARIES:
        t2 = time.perf_counter()
        start = start_for(model, data, options)
        seconds_start = time.perf_counter() - t2
        options = options.after(seconds_start) if options else None
    result = solve(model, options, start=start.plan, known_bound=start.bound)
    if result.interrupted:  # Ctrl-C: the caller stops; nothing more to compute
        return ScenarioRun(
            data, result.status, result, None, t1 - t0, time.perf_counter() - t0, time_limit=limit
        )
    solution = extract(model, data) if result.status.has_solution else None
    if solution is not None:
        solution.shadow_prices = shadow_prices(model, data)
    diagnosis = []
    if result.status == Status.NO_SOLUTION:
        diagnosis = [
            f"the solver stopped ({result.message.lower()}) before it found any plan — raise "
            "--time-limit, or shrink the model (tighter eligibility, fewer segments)"
        ]
    if result.status == Status.INFEASIBLE and diagnose:
        diagnosis = ["no plan meets every requirement; the least change that would allow one:"]
        diagnosis += least_relaxation(data, diagnosis_options(options))
    return ScenarioRun(
        data,
        result.status,
        result,
        solution,
        t1 - t0,
        time.perf_counter() - t0,
        diagnosis,
        seconds_start,
        limit,
    )


def _fixed(model) -> int:
    return sum(1 for y in model.y.values() if y.fixed)
