"""What a worker does: turn one task (scenario, sample) into one JSON-ready record.

A worker receives the sweep context once (the instance document, the sweep, the solver options)
and keeps the parsed instance and each scenario's resolved document for every later task, so a
sample pays only for its own draws, validation, build and solves. Tasks carry only the scenario
id, the sample number and the base plan's hosts. The same functions run in a local process
pool, in the calling process, or on a Dask worker.
"""

from __future__ import annotations

import functools
import hashlib
import json
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path

from models.schema import Instance, Scenario
from solvers import SolverOptions, Status
from sweeps.regret import regret, solve_sample
from sweeps.sample import sample_data
from sweeps.spec import Sweep, scenario_document

RECORD_VERSION = 2
"""Bumped when a record's meaning changes, so that older sample files are recomputed."""
MAX_REASONS = 3


@dataclass(frozen=True)
class SweepContext:
    """Everything a worker needs, sent once per worker."""

    fingerprint: str
    """Hash of what determines a result (instance, draws, options, code), not of `samples`."""
    instance: dict
    """The instance document, as validated."""
    sweep: dict
    """The sweep document, as validated."""
    options: SolverOptions


@dataclass(frozen=True)
class Task:
    """One solve to do: a sample of a scenario, or (sample None) the unperturbed scenario."""

    scenario: str
    sample: int | None
    base_hosts: dict[str, list[str]] | None = field(default=None, compare=False)
    """Hosts of the base plan, kept in the regret solve; None: no regret solve."""


def solver_options(sweep: Sweep) -> SolverOptions:
    """The same options for every solve of a sweep: a fixed seed and one thread per solve, so
    that a sample gives the same plan on any worker."""
    return SolverOptions(time_limit=sweep.time_limit, mip_gap=sweep.gap, threads=1, seed=0)


@functools.cache
def code_version() -> str:
    """A hash of the model, solver and sweep code and of the HiGHS version: results of another
    version are not mixed into a resumed sweep."""
    from solvers.highs import new_highs

    digest = hashlib.sha256(new_highs().version().encode())
    root = Path(__file__).resolve().parents[1]
    for package in ("models", "solvers", "sweeps"):
        for path in sorted((root / package).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(instance: dict, sweep: Sweep, options: SolverOptions) -> str:
    """A hash of everything a sample's result depends on. The number of samples and the list of
    scenarios are left out: extending a sweep keeps the samples already solved."""
    payload = {
        "record_version": RECORD_VERSION,
        "code": code_version(),
        "instance": instance,
        "seed": sweep.seed,
        "vary": [v.model_dump(exclude={"notes"}) for v in sweep.vary],
        "options": options.as_dict(),
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def make_context(instance: Instance, sweep: Sweep) -> SweepContext:
    """The context of a sweep over a validated instance."""
    document = instance.model_dump(mode="json", by_alias=True)
    options = solver_options(sweep)
    return SweepContext(
        fingerprint(document, sweep, options), document, sweep.model_dump(mode="json"), options
    )


@dataclass
class _Prepared:
    instance: Instance
    sweep: Sweep
    scenarios: dict[str, Scenario]
    documents: dict[str, dict] = field(default_factory=dict)

    def document(self, sid: str) -> dict:
        if sid not in self.documents:
            self.documents[sid] = scenario_document(self.instance, sid)
        return self.documents[sid]


_prepared: dict[str, _Prepared] = {}
_lock = threading.Lock()
_context: SweepContext | None = None


def prepared(context: SweepContext) -> _Prepared:
    """The parsed instance and sweep of a context, made once per worker process."""
    with _lock:
        if context.fingerprint not in _prepared:
            instance = Instance.model_validate(context.instance)
            _prepared[context.fingerprint] = _Prepared(
                instance,
                Sweep.model_validate(context.sweep),
                {s.id: s for s in instance.scenario_list()},
            )
        return _prepared[context.fingerprint]


def _reasons(problems: list) -> str:
    text = "; ".join(str(p) for p in problems[:MAX_REASONS])
    more = len(problems) - MAX_REASONS
    return text + (f"; and {more} more" if more > 0 else "")


def record_of(context: SweepContext, task: Task, status: str, reason: str = "") -> dict:
    """A record of a task that has no solution."""
    return {
        "fingerprint": context.fingerprint,
        "scenario": task.scenario,
        "sample": task.sample,
        "status": status,
        "objective": None,
        "gap": None,
        "reason": reason,
        "hosts": {},
        "terms": {},
        "kept": None,
        "regret": None,
        "regret_relative": None,
        "regret_reference": None,
        "regret_proven": None,
        "seconds": {},
    }


def run_task(context: SweepContext, task: Task) -> dict:
    """Solve one task. Invalid sample data and unexpected errors become records (status
    `invalid`, `error`) instead of exceptions, so one bad sample never stops a sweep."""
    try:
        ready = prepared(context)
        scenario = ready.scenarios[task.scenario]
        data, problems = sample_data(
            ready.document(task.scenario), scenario, ready.sweep, task.sample
        )
        if data is None:
            return record_of(context, task, "invalid", _reasons(problems))
        solved = solve_sample(data, task.base_hosts, context.options)
    except KeyboardInterrupt:
        raise
    except Exception as err:
        return record_of(context, task, "error", f"{type(err).__name__}: {err}")
    record = record_of(context, task, solved.optimum.status.value, solved.optimum.reason)
    record.update(
        objective=solved.optimum.objective,
        gap=solved.optimum.gap,
        hosts=solved.hosts,
        terms=solved.terms,
        seconds=solved.seconds,
    )
    if solved.kept is not None:
        kept = solved.kept
        record["kept"] = {"status": kept.status.value, "objective": kept.objective}
        if kept.reason:
            record["kept"]["reason"] = kept.reason
        measured = regret(solved.optimum, kept)
        if measured.absolute is not None:
            record.update(
                regret=measured.absolute,
                regret_relative=measured.relative,
                regret_reference=measured.reference,
                regret_proven=measured.proven,
            )
    return record


def init_worker(context: SweepContext) -> None:
    """Initializer of a local pool worker: keep the context; leave Ctrl-C to the parent, which
    stops the workers itself (an interrupted solve is never recorded)."""
    global _context
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _context = context
    prepared(context)


def run_in_worker(task: Task) -> dict:
    """`run_task` with the context given to `init_worker`."""
    if _context is None:
        raise RuntimeError("init_worker was not called in this process")
    return run_task(_context, task)


def probe() -> dict:
    """Versions a worker runs, to check that every worker solves with the same solver."""
    import pyomo

    from solvers.highs import new_highs

    return {"highs": new_highs().version(), "pyomo": pyomo.version.version}


def has_solution(record: dict) -> bool:
    return record["status"] in (Status.OPTIMAL.value, Status.FEASIBLE.value)
