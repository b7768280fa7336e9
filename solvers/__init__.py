"""Solver layer: hands a Pyomo model to HiGHS and returns a typed `SolveResult`.

It knows nothing of cities or segments: only models, options and statuses.
"""

from solvers.highs import SolverFailed, solve, solve_lp_duals
from solvers.result import SolveResult, SolverOptions, Status

__all__ = ["SolveResult", "SolverFailed", "SolverOptions", "Status", "solve", "solve_lp_duals"]
