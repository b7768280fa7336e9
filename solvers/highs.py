"""HiGHS through a matrix hand-off: Pyomo's linear standard-form compiler turns the model into
sparse arrays, which go to `highspy.Highs.passModel` in one call.

This route was measured against Pyomo's own HiGHS interfaces (benchmarks/handoff.py) and is the
one that also accepts a MIP start, an IIS query and a clean Ctrl-C.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.environ as pyo
import scipy.sparse  # noqa: F401 — imported here so that its import is not timed as hand-off
from pyomo.common.collections import ComponentMap
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from solvers.result import SolveResult, SolverOptions, Status

INF = highspy.kHighsInf
_MS = highspy.HighsModelStatus
PRESOLVE_DEPENDENT_EQUATIONS = 1 << 10
"""Bit of HiGHS's `presolve_rule_off` for its search for linearly dependent equations."""
_STOPPED = {
    _MS.kTimeLimit,
    _MS.kInterrupt,
    _MS.kIterationLimit,
    _MS.kSolutionLimit,
    _MS.kObjectiveBound,
    _MS.kObjectiveTarget,
    _MS.kMemoryLimit,
}


@dataclass
class Matrices:
    """The model as HiGHS sees it, with the Pyomo objects behind each column and row."""

    columns: list
    rows: list
    highs_lp: highspy.HighsLp
    integer: np.ndarray


def compile_model(model: pyo.ConcreteModel) -> Matrices:
    """Compile the active objective and constraints of `model` into a HiGHS LP/MIP."""
    repn = LinearStandardFormCompiler().write(model, mixed_form=True)
    columns, rows = repn.columns, repn.rows
    n, m = len(columns), len(rows)
    lower = np.array([-INF if v.lb is None else v.lb for v in columns], dtype=float)
    upper = np.array([INF if v.ub is None else v.ub for v in columns], dtype=float)
    integer = np.array([v.is_integer() for v in columns], dtype=bool)
    kind = np.fromiter((r.bound_type for r in rows), dtype=np.int8, count=m)
    rhs = np.asarray(repn.rhs, dtype=float)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, m
    lp.col_cost_ = repn.c.toarray().ravel() if n else np.zeros(0)
    lp.offset_ = float(repn.c_offset[0]) if len(repn.c_offset) else 0.0
    lp.col_lower_, lp.col_upper_ = lower, upper
    lp.row_lower_ = np.where(kind == 1, -INF, rhs)
    lp.row_upper_ = np.where(kind == -1, INF, rhs)
    a = repn.A.tocsc()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(float)
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, m
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in integer
    ]
    return Matrices(columns, rows, lp, integer)


def new_highs() -> highspy.Highs:
    """A HiGHS instance; the banner HiGHS prints on its first construction is kept off stdout."""
    global _banner_shown
    if _banner_shown:
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _banner_shown = True
    return h


_banner_shown = False


def configure(h: highspy.Highs, options: SolverOptions) -> dict:
    """Set HiGHS options; return them as reported in summary.json."""
    settings: dict = {
        "mip_rel_gap": options.mip_gap,
        "random_seed": options.seed,
        "mip_allow_cut_separation_at_nodes": options.node_cuts,
        "output_flag": options.verbose,
    }
    if options.time_limit is not None:
        settings["time_limit"] = float(options.time_limit)
    if options.threads is not None:
        settings["threads"] = int(options.threads)
    for key, value in settings.items():
        h.setOptionValue(key, value)
    return {k: v for k, v in settings.items() if k != "output_flag"}


@contextmanager
def sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C inside the block (in the main thread, the only one that receives it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_interruptible(h: highspy.Highs) -> bool:
    """Run the solver; Ctrl-C cancels it cleanly. Returns True when the user interrupted."""
    h.HandleUserInterrupt = True
    thread = h.startSolve()
    try:
        while not h.wait(0.1)[0]:
            pass
    except KeyboardInterrupt:
        with sigint_ignored():  # a second Ctrl-C while HiGHS stops would abort the process
            h.cancelSolve()
            while not h.wait(0.1)[0]:
                pass
            thread.join()
        return True
    thread.join()
    return False


def classify(h: highspy.Highs, mip: bool) -> Status:
    """Map the HiGHS model status to ours; a stopped search is never reported as optimal."""
    status = h.getModelStatus()
    has_solution = (
        h.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    )
    if status == _MS.kOptimal:
        return Status.OPTIMAL
    # every cost is at least 0, so the model is never unbounded: "unbounded or infeasible" is
    # infeasible
    if status in (_MS.kInfeasible, _MS.kUnboundedOrInfeasible):
        return Status.INFEASIBLE
    if status in _STOPPED:
        return Status.FEASIBLE if has_solution and mip else Status.NO_SOLUTION
    raise SolverFailed(f"HiGHS ended with status '{h.modelStatusToString(status)}'")


class SolverFailed(RuntimeError):
    """HiGHS refused a model or gave up on it; the message names the widest-ranging number."""


def number_range(mats: Matrices) -> str:
    """The smallest and largest nonzero magnitudes among costs and coefficients, and where the
    largest sits: what to look at when HiGHS fails on numbers."""
    lp = mats.highs_lp
    cost = np.abs(np.asarray(lp.col_cost_))
    coef = np.abs(np.asarray(lp.a_matrix_.value_))
    values = np.concatenate([cost[cost > 0], coef[coef > 0]])
    if not len(values):
        return "the model has no nonzero cost or coefficient"
    if cost.max(initial=0) >= coef.max(initial=0):
        where = f"the cost of {mats.columns[int(cost.argmax())].name}"
    else:
        k = int(coef.argmax())
        column = int(np.searchsorted(np.asarray(lp.a_matrix_.start_), k, side="right")) - 1
        row = mats.rows[int(lp.a_matrix_.index_[k])].constraint
        where = f"{mats.columns[column].name} in row {row.name}"
    return (
        f"its costs and coefficients range from {values.min():.1e} to {values.max():.1e}, the "
        f"largest being {where}"
    )


def solve(
    model: pyo.ConcreteModel,
    options: SolverOptions | None = None,
    start: dict | None = None,
    known_bound: float | None = None,
) -> SolveResult:
    """Solve `model` with HiGHS and load the solution into its variables.

    `start` maps Pyomo variables to values of a known feasible plan (a MIP start); `known_bound`
    a lower bound on the optimum proven before (the LP relaxation solved for the start), reported
    where HiGHS stops with a weaker one, or none (a time limit before its root bound).
    """
    options = options or SolverOptions()
    t0 = time.perf_counter()
    try:
        mats = compile_model(model)
    except InfeasibleConstraintException as err:
        # fixed variables left a row with no variables that cannot hold
        return SolveResult(
            Status.INFEASIBLE,
            None,
            None,
            None,
            time.perf_counter() - t0,
            0.0,
            "highs",
            new_highs().version(),
            message=str(err),
        )
    h = new_highs()
    h.silent(not options.verbose)
    settings = configure(h, options)
    try:
        if h.passModel(mats.highs_lp) == highspy.HighsStatus.kError:
            raise SolverFailed("HiGHS refused the model")
        if start:
            _pass_start(h, mats.columns, start)
        t1 = time.perf_counter()
        interrupted = run_interruptible(h)
        t2 = time.perf_counter()
        mip = bool(mats.integer.any())
        status = classify(h, mip)
    except SolverFailed as err:
        raise SolverFailed(
            f"{err}: {number_range(mats)} — check that value for a typing error, or give "
            "money or quantities in units that bring the instance's numbers closer together"
        ) from None
    info = h.getInfo()
    objective = bound = gap = None
    if status.has_solution:
        _load(h, mats)
        objective = float(info.objective_function_value)
        bound = _best_bound(float(info.mip_dual_bound) if mip else objective, known_bound)
        gap = relative_gap(objective, bound)
        if status == Status.FEASIBLE and gap is not None and gap <= options.mip_gap:
            status = Status.OPTIMAL  # stopped at a limit, but the known bound proves the plan
    elif status == Status.NO_SOLUTION:  # no plan yet, but what any plan will cost at least
        bound = _best_bound(float(info.mip_dual_bound) if mip else None, known_bound)
    return SolveResult(
        status=status,
        objective=objective,
        bound=bound,
        gap=gap,
        seconds_handoff=t1 - t0,
        seconds_solve=t2 - t1,
        solver="highs",
        version=h.version(),
        options=settings,
        message=h.modelStatusToString(h.getModelStatus()),
        interrupted=interrupted,
        size=(mats.highs_lp.num_col_, mats.highs_lp.num_row_, len(mats.highs_lp.a_matrix_.value_)),
    )


def _best_bound(*bounds: float | None) -> float | None:
    """The highest finite lower bound given, at least 0 (every cost is at least 0, as in
    `relative_gap`: HiGHS may stop at a limit with a negative bound); None without one."""
    best = max((b for b in bounds if b is not None and math.isfinite(b)), default=None)
    return None if best is None else max(best, 0.0)


def relative_gap(objective: float, bound: float | None) -> float | None:
    """(objective − bound) / objective, as HiGHS reports its gap; None without a bound. Every
    cost is at least 0, so a plan that costs 0 is optimal: gap 0."""
    if bound is None:
        return None
    return max(objective - bound, 0.0) / objective if objective > 0 else 0.0


class WarmLP:
    """The LP relaxation of a model kept in one HiGHS instance, for solving it many times with
    some variables fixed: each solve starts from the last basis, so a changed bound costs a few
    simplex iterations instead of a new hand-off (about 20 ms against 0.4 s on the generated
    30-city × 100-segment area).

    `variables` are the ones whose bounds change; fixed Pyomo variables are not columns and are
    left out. Integer variables are relaxed to their bounds.
    """

    def __init__(self, model: pyo.ConcreteModel, variables: list, options: SolverOptions):
        self._mats = compile_model(model)
        self._mats.highs_lp.integrality_ = []
        self._h = new_highs()
        self._h.silent(not options.verbose)
        # presolve's search for dependent equations took 82 s of the 128 s of the relaxation of
        # the 60-city × 300-segment area, to find what is known: one row per segment (its two
        # shipment balances, summed over cities, give its output row). Without it: 64 s
        self._h.setOptionValue("presolve_rule_off", PRESOLVE_DEPENDENT_EQUATIONS)
        if options.threads is not None:
            self._h.setOptionValue("threads", int(options.threads))
        self._h.passModel(self._mats.highs_lp)
        self._column = {id(v): i for i, v in enumerate(self._mats.columns)}
        self.variables = [v for v in variables if id(v) in self._column]
        self._index = self.columns_of(self.variables).astype(np.int32)

    def columns_of(self, variables: list) -> np.ndarray:
        """The column of each variable in values(), -1 for a fixed one (not a column)."""
        return np.array([self._column.get(id(v), -1) for v in variables], dtype=np.int64)

    def fix(self, positions: list[int], values: list[float]) -> None:
        """Fix self.variables[p] at value for each p (lower bound = upper bound = value)."""
        columns = self._index[positions]
        v = np.asarray(values, dtype=float)
        self._h.changeColsBounds(len(columns), columns, v, v)

    def release(self) -> None:
        """Give every variable of self.variables back the bounds it has in the model."""
        lp = self._mats.highs_lp
        lower = np.asarray(lp.col_lower_)[self._index]
        upper = np.asarray(lp.col_upper_)[self._index]
        self._h.changeColsBounds(len(self._index), self._index, lower, upper)

    def solve(
        self, time_limit: float | None = None, warm: bool = True, stop_above: float | None = None
    ) -> float | None:
        """Solve from the last basis, or with `warm` False afresh (presolve first: faster when
        many bounds changed at once); the objective value, or None if the LP is infeasible or
        the time limit stopped it. Ctrl-C raises KeyboardInterrupt.

        With `stop_above`, the dual simplex may also stop, returning None, as soon as its
        objective (a lower bound on the LP's value) passes `stop_above`: for callers that only
        want values below it (a move of the local search that cannot pay)."""
        if not warm:
            self._h.clearSolver()
        # HiGHS measures its time limit from the instance's first run, not from this one
        limit = INF if time_limit is None else self._h.getRunTime() + float(time_limit)
        self._h.setOptionValue("time_limit", limit)
        self._h.setOptionValue("objective_bound", INF if stop_above is None else stop_above)
        if run_interruptible(self._h):
            raise KeyboardInterrupt
        if self._h.getModelStatus() != _MS.kOptimal:
            return None
        return float(self._h.getInfo().objective_function_value)

    def reduced_costs(self) -> np.ndarray:
        """d(objective)/d(value) of each of self.variables at the last solution."""
        return np.asarray(self._h.getSolution().col_dual)[self._index]

    def values(self) -> np.ndarray:
        """The last solution's value of every column (a copy, to keep)."""
        return np.array(self._h.getSolution().col_value, dtype=float)

    def solution(self, values: np.ndarray) -> ComponentMap:
        """Column values from values() as {Pyomo variable: value}."""
        return ComponentMap(zip(self._mats.columns, values.tolist(), strict=True))


def _pass_start(h: highspy.Highs, columns: list, start: dict) -> None:
    index = {id(v): i for i, v in enumerate(columns)}
    pairs = [(index[id(v)], float(x)) for v, x in start.items() if id(v) in index]
    if pairs:
        idx = np.array([i for i, _ in pairs], dtype=np.int32)
        val = np.array([x for _, x in pairs], dtype=float)
        h.setSolution(len(pairs), idx, val)


def _load(h: highspy.Highs, mats: Matrices) -> None:
    values = np.asarray(h.getSolution().col_value)
    values = np.where(mats.integer, np.round(values), values)
    for var, value in zip(mats.columns, values.tolist(), strict=True):
        var.set_value(value, skip_validation=True)


def solve_lp_duals(model: pyo.ConcreteModel, options: SolverOptions | None = None) -> dict:
    """Solve a model without integer variables as an LP; return its row duals by constraint.

    A dual is d(objective)/d(right-hand side) of the constraint (HiGHS's sign convention); a
    constraint compiled into two rows (a range) gets the sum. Empty if the LP is not optimal,
    or if the fixed variables break a row of their own.
    """
    try:
        mats = compile_model(model)
    except InfeasibleConstraintException:
        return {}
    if mats.integer.any():
        raise ValueError("solve_lp_duals needs a model without integer variables: fix them first")
    h = new_highs()
    h.silent(not (options and options.verbose))
    h.passModel(mats.highs_lp)
    h.run()
    if h.getModelStatus() != _MS.kOptimal:
        return {}
    duals: dict = {}
    for row, value in zip(mats.rows, h.getSolution().row_dual, strict=True):
        duals[row.constraint] = duals.get(row.constraint, 0.0) + value
    return duals
