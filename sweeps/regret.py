"""Solve one sample twice on one model: with the base plan's hosts kept, then freely.

The regret of the deterministic plan in a sample is

    regret = cost(sample data, hosts fixed as in the base plan) − optimum(sample data),

where "hosts fixed" is the `fixed` policy (SPEC §4) with y_sc = 1 for every (s, c) the base
plan hosts and y_sc = 0 for every other eligible pair, so only outputs, shipments and imports
are re-optimised. It is ≥ 0 up to the MIP gap; relative regret divides by the optimum.

Both solves share one build: the model is built and compiled to matrices once; the kept-hosts
solve applies the fixed policy as column bounds on y in its own HiGHS instance (the solver
interface changes them in place), and the free solve passes the same matrices to a fresh HiGHS
instance. `kept_by_policy` gives the same kept-hosts cost through the ordinary pipeline, by
rebuilding with the fixed policy (benchmarks/sweep_throughput.py compares the two routes).

The kept plan is not passed to the free solve as a MIP start, nor is the free solve run in the
HiGHS instance that solved the kept plan: on Nanjing samples either made HiGHS 4-6 times slower
(0.65-0.81 s cold against 3.2-5.1 s, same optimum). Without the start, the free optimum can lie
above the kept cost by at most the MIP gap, so regret ≥ −gap · |optimum|; with a time limit
that stops the free solve, `regret` measures from the cheaper of the two plans found.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo

from models.build import build
from models.data import ScenarioData
from models.diagnose import diagnosis_options, least_relaxation
from models.extract import plan_terms
from models.pipeline import ScenarioRun, solve_scenario
from models.policies import fixed
from models.presolve import obvious_conflicts
from solvers import SolverOptions, Status
from solvers.highs import Matrices, classify, compile_model, configure, new_highs, run_interruptible

DIGITS = 6
"""Objectives and terms are rounded to this many decimals, as in the result files."""
REASONS = 3
"""Sentences of a diagnosis kept in a record."""


@dataclass
class Outcome:
    """One solve of a sample."""

    status: Status
    objective: float | None = None
    gap: float | None = None
    reason: str = ""
    """Why there is no solution, in planner terms."""


@dataclass
class SampleSolve:
    """The free optimum of a sample, its plan, and the cost of keeping the base hosts."""

    optimum: Outcome
    hosts: dict[str, list[str]] = field(default_factory=dict)
    terms: dict[str, float] = field(default_factory=dict)
    kept: Outcome | None = None
    """None when no base plan was given (the base solve itself)."""
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Regret:
    """What keeping the base hosts costs in one sample, measured from `reference`."""

    reference: float | None
    """The sample's optimum; when the free solve stopped at its time limit with a plan dearer
    than the kept one, the kept cost (the kept plan is a plan of the sample too)."""
    absolute: float | None
    relative: float | None
    """absolute / |reference|; None when the reference is zero."""
    proven: bool
    """Both solves proven optimal (to the MIP gap): otherwise the value is an estimate."""


def regret(optimum: Outcome, kept: Outcome) -> Regret:
    """kept − reference, and relative to the reference; None where either solve has no plan.

    With both solves optimal, the value lies within gap · |optimum| of the true regret (it may be
    that much below zero). A solve stopped at its time limit leaves the value unproven: a free
    plan dearer than the kept one is not the sample's optimum, so the reference is then the kept
    cost and the regret 0 rather than negative."""
    proven = optimum.status == Status.OPTIMAL and kept.status == Status.OPTIMAL
    if optimum.objective is None or kept.objective is None:
        return Regret(optimum.objective, None, None, proven)
    reference = optimum.objective
    if optimum.status != Status.OPTIMAL:
        reference = min(reference, kept.objective)
    value = round(kept.objective - reference, DIGITS) + 0.0
    relative = round(value / abs(reference), DIGITS) + 0.0 if abs(reference) > 1e-9 else None
    return Regret(reference, value, relative, proven)


def kept_pairs(data: ScenarioData, base_hosts: dict[str, list[str]]) -> dict[tuple, int]:
    """y_sc of the base plan for every eligible (s, c): 1 where it hosts, 0 elsewhere."""
    return {(s, c): int(c in base_hosts.get(s, ())) for s, c in data.pairs}


def with_base_hosts(data: ScenarioData, base_hosts: dict[str, list[str]]) -> ScenarioData:
    """The sample's data with the `fixed` policy hosting the base plan's pairs and forbidding
    every other eligible pair (merged with a `fixed` policy the scenario already has)."""
    pairs = kept_pairs(data, base_hosts)
    own = data.policies.get("fixed")
    host = [p for p, v in pairs.items() if v] + (list(own.host) if own else [])
    forbid = [p for p, v in pairs.items() if not v] + (list(own.forbid) if own else [])
    params = fixed.Params(host=list(dict.fromkeys(host)), forbid=list(dict.fromkeys(forbid)))
    return dataclasses.replace(data, policies={**data.policies, "fixed": params})


def kept_by_policy(
    data: ScenarioData, base_hosts: dict[str, list[str]], options: SolverOptions
) -> ScenarioRun:
    """The kept-hosts solve through the ordinary pipeline (a second build with the policy)."""
    return solve_scenario(with_base_hosts(data, base_hosts), options)


def _run(h) -> None:
    if run_interruptible(h):
        raise KeyboardInterrupt


def _outcome(h) -> Outcome:
    status = classify(h, mip=True)
    if not status.has_solution:
        reason = {
            Status.INFEASIBLE: "no plan meets every requirement",
            Status.NO_SOLUTION: "the time limit was reached before any plan was found",
        }.get(status, h.modelStatusToString(h.getModelStatus()))
        return Outcome(status, reason=reason)
    info = h.getInfo()
    objective = round(float(info.objective_function_value), DIGITS) + 0.0
    return Outcome(status, objective, round(float(info.mip_gap), 9) + 0.0)


BASE_HOSTS = "fixed (the base plan's hosts)"
"""How a diagnosis names the `fixed` policy that keeps the base plan's hosts."""


def diagnosis(data: ScenarioData, options: SolverOptions) -> str:
    """The least relaxation that would make `data` feasible (`models.diagnose`), in a few
    sentences; solved with the same seed and threads, a 1e-4 gap and at most 60 s."""
    sentences = least_relaxation(data, diagnosis_options(options), BASE_HOSTS)
    more = len(sentences) - REASONS
    return "; ".join(sentences[:REASONS]) + (f"; and {more} more" if more > 0 else "")


def _y_columns(m: pyo.ConcreteModel, mats: Matrices) -> dict[tuple, int]:
    return {v.index(): j for j, v in enumerate(mats.columns) if v.parent_component() is m.y}


def _highs(mats: Matrices, options: SolverOptions):
    """A fresh HiGHS instance holding the compiled model."""
    h = new_highs()
    h.silent(not options.verbose)
    configure(h, options)
    h.passModel(mats.highs_lp)
    return h


def _keep_hosts(m, mats, data, base_hosts, options) -> Outcome:
    """Solve with y fixed to the base plan through column bounds in a HiGHS instance of its own."""
    columns = _y_columns(m, mats)
    idx, value = [], []
    for pair, want in kept_pairs(data, base_hosts).items():
        if pair in columns:
            idx.append(columns[pair])
            value.append(float(want))
        elif m.y[pair].fixed and round(m.y[pair].value) != want:
            s, c = pair
            reason = f"the base plan and this scenario's fixed policy disagree on '{s}' in '{c}'"
            return Outcome(Status.INFEASIBLE, reason=reason)
    h = _highs(mats, options)
    if idx:
        fixed_at = np.array(value, dtype=float)
        h.changeColsBounds(len(idx), np.array(idx, dtype=np.int32), fixed_at, fixed_at)
    _run(h)
    kept = _outcome(h)
    if kept.status == Status.INFEASIBLE:
        needed = diagnosis(with_base_hosts(data, base_hosts), options)
        kept.reason = f"the base plan's hosts cannot serve this sample; it would need: {needed}"
    return kept


def _load(m: pyo.ConcreteModel, mats: Matrices, values: np.ndarray) -> None:
    values = np.where(mats.integer, np.round(values), values)
    for var, value in zip(mats.columns, values.tolist(), strict=True):
        var.set_value(value, skip_validation=True)


def solve_sample(
    data: ScenarioData, base_hosts: dict[str, list[str]] | None, options: SolverOptions
) -> SampleSolve:
    """Build and compile once; with `base_hosts`, solve with them kept, then freely."""
    t0 = time.perf_counter()
    conflicts = obvious_conflicts(data)
    m = build(data) if not conflicts else None
    conflicts += m.conflicts if m is not None else []
    if conflicts:
        out = Outcome(Status.INFEASIBLE, reason="; ".join(conflicts[:REASONS]))
        kept = None if base_hosts is None else Outcome(Status.INFEASIBLE, reason=out.reason)
        return SampleSolve(out, kept=kept, seconds={"total": time.perf_counter() - t0})
    mats = compile_model(m)
    t1 = time.perf_counter()
    kept = None if base_hosts is None else _keep_hosts(m, mats, data, base_hosts, options)
    t2 = time.perf_counter()
    h = _highs(mats, options)
    _run(h)
    optimum = _outcome(h)
    if optimum.status == Status.INFEASIBLE:
        optimum.reason = (
            f"no plan meets every requirement; the least change: {diagnosis(data, options)}"
        )
    t3 = time.perf_counter()
    result = SampleSolve(optimum, kept=kept)
    if optimum.status.has_solution:
        _load(m, mats, np.asarray(h.getSolution().col_value, dtype=float))
        result.hosts = {
            s: [c for c in data.eligible[s] if (m.y[s, c].value or 0) > 0.5] for s in data.segments
        }
        result.terms = plan_terms(m, data)
    result.seconds = {
        "build": round(t1 - t0, 4),
        "kept": round(t2 - t1, 4),
        "solve": round(t3 - t2, 4),
        "total": round(time.perf_counter() - t0, 4),
    }
    return result
