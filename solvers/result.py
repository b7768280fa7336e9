"""Typed solver options and results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum


class Status(StrEnum):
    """Outcome of a solve, as reported in summary.json."""

    OPTIMAL = "optimal"
    """Proven optimal within the relative gap asked for."""
    FEASIBLE = "feasible"
    """A solution, but a limit stopped the search before optimality was proven."""
    INFEASIBLE = "infeasible"
    """No plan meets every requirement."""
    NO_SOLUTION = "no_solution"
    """A limit stopped the search before any solution was found."""

    @property
    def has_solution(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@dataclass(frozen=True)
class SolverOptions:
    """What the planner may set for a solve."""

    time_limit: float | None = None
    """Seconds per scenario; None: no limit."""
    mip_gap: float = 1e-6
    """Relative gap at which a solution counts as optimal (HiGHS mip_rel_gap)."""
    threads: int | None = None
    """Solver threads; None: the HiGHS default."""
    seed: int = 0
    """HiGHS random_seed, fixed for reproducible results."""
    node_cuts: bool = False
    """Separate cuts at the nodes of the search tree, not only at the root (HiGHS's default is
    on; off was measured 1.0–1.7x faster on this model, benchmarks/runs/)."""
    verbose: bool = False
    """Print the solver log."""

    def as_dict(self) -> dict:
        return asdict(self)

    def after(self, spent: float) -> SolverOptions:
        """These options with the time limit reduced by `spent` seconds (never below 0)."""
        if self.time_limit is None:
            return self
        return replace(self, time_limit=max(self.time_limit - spent, 0.0))


@dataclass
class SolveResult:
    """What a solve returned. Variable values are loaded into the model when there is a solution."""

    status: Status
    objective: float | None
    bound: float | None
    gap: float | None
    seconds_handoff: float
    """Compiling the Pyomo model to matrices and passing them to the solver."""
    seconds_solve: float
    solver: str
    version: str
    options: dict = field(default_factory=dict)
    message: str = ""
    """The solver's own status text."""
    interrupted: bool = False
    """The user stopped the solve (Ctrl-C)."""
    size: tuple[int, int, int] = (0, 0, 0)
    """Columns, rows and nonzeros handed to the solver."""
