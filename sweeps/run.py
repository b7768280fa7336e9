"""Run a sweep: validate, solve the base plans, solve the missing samples, write the files.

    run_sweep("instances/nanjing.json", "instances/nanjing_sweep.json", Path("results/nanjing"))

Order of work: (1) the instance and the sweep file are validated, every path checked, and the
results folder checked to be writable, before anything is solved; (2) each scenario is solved
unperturbed (its base plan, needed for the regret); (3) every sample not yet finished is solved,
its record written atomically as soon as it arrives; (4) the result files are written from all
finished samples. Interrupting and rerunning the same command resumes at (3) with only the
missing samples.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

from models.data import instance_fingerprint
from models.problems import InvalidInstance
from models.scenario import LoadedInstance, load
from reports.out_folder import out_folder_problem
from solvers import Status
from sweeps import store
from sweeps.executors import ClusterError, Executor, open_executor
from sweeps.outputs import write_outputs
from sweeps.progress import Progress, duration
from sweeps.spec import Sweep, load_sweep, scenario_ids
from sweeps.worker import SweepContext, Task, has_solution, make_context

EXIT_OK, EXIT_ERROR, EXIT_INVALID, EXIT_LIMIT, EXIT_INTERRUPTED = 0, 1, 3, 5, 130


def solve_bases(
    executor: Executor, context: SweepContext, root: Path, scenarios: list[str]
) -> dict[str, dict]:
    """The unperturbed plan of each scenario, from disk when this sweep already solved it."""
    base = {sid: store.load_base(root, sid, context.fingerprint) for sid in scenarios}
    missing = [Task(sid, None) for sid, record in base.items() if record is None]
    for task, record in executor.run(missing):
        store.save(root, record)
        base[task.scenario] = record
    return base


def solve_samples(
    executor: Executor,
    context: SweepContext,
    root: Path,
    sweep: Sweep,
    base: dict[str, dict],
    stream: TextIO,
) -> tuple[dict[str, dict[int, dict]], int]:
    """Every sample of every scenario; those finished earlier are read, the rest solved. Returns
    the records by scenario and sample, and how many were solved in this run."""
    finished: dict[str, dict[int, dict]] = {}
    foreign = 0
    for sid in base:
        finished[sid], ignored = store.load_samples(root, sid, context.fingerprint, sweep.samples)
        foreign += ignored
    if foreign:
        print(
            f"ignoring {foreign} sample files of another sweep (the instance, ranges, seed, "
            "solver options or code changed); they are recomputed",
            file=stream,
        )
    # A generator: the executors take tasks as workers free up, so a long sweep never holds
    # every task (or its future) in memory at once.
    tasks = (
        Task(sid, k, base[sid]["hosts"] if has_solution(base[sid]) else None)
        for sid in base
        for k in range(sweep.samples)
        if k not in finished[sid]
    )
    kept = sum(len(records) for records in finished.values())
    progress = Progress(len(base) * sweep.samples, kept, stream)
    progress.show(force=True)
    try:
        for task, record in executor.run(tasks):
            store.save(root, record)
            finished[task.scenario][task.sample] = record
            progress.advance()
    finally:
        progress.close()
    return finished, progress.done - kept


def settings_of(
    loaded: LoadedInstance,
    sweep_path: Path,
    sweep: Sweep,
    context: SweepContext,
    executor: Executor,
) -> dict:
    """The sweep's settings as recorded in summary.json."""
    return {
        "instance": str(loaded.path),
        "instance_fingerprint": instance_fingerprint(loaded.instance),
        "sweep": str(sweep_path),
        "samples": sweep.samples,
        "seed": sweep.seed,
        "vary": [v.model_dump(exclude={"notes"}) for v in sweep.vary],
        "solver": {
            "name": "highs",
            "mip_gap": context.options.mip_gap,
            "time_limit": context.options.time_limit,
            "threads": context.options.threads,
            "random_seed": context.options.seed,
        },
        "executor": {"description": executor.description, "workers": executor.workers},
        "fingerprint": context.fingerprint,
    }


def execute(
    instance_path: Path,
    sweep_path: Path,
    out: Path,
    scheduler: str | None,
    workers: int | None,
    stream: TextIO,
) -> int:
    """`run_sweep` with its defaults resolved."""
    problem = out_folder_problem(out / "sweep", given=out)
    if problem is not None:
        print(problem, file=stream)
        return EXIT_INVALID
    try:
        loaded = load(instance_path)
        sweep = load_sweep(sweep_path, loaded)
    except InvalidInstance as err:
        print(err.report(), file=stream)
        return EXIT_INVALID
    scenarios = scenario_ids(sweep, loaded)
    context = make_context(loaded.instance, sweep)
    root = out / "sweep"
    try:
        executor = open_executor(context, scheduler, workers)
    except ClusterError as err:
        print(f"sweep: {err}", file=stream)
        return EXIT_ERROR
    print(
        f"sweep: {sweep.samples} samples x {len(scenarios)} scenario(s) on {executor.description}",
        file=stream,
    )
    for warning in executor.warnings():
        print(f"warning: {warning}", file=stream)
    earlier = store.finished_fingerprint(root) not in (None, context.fingerprint)
    if earlier:
        print(
            f"{root}: its result files are of an earlier sweep with other inputs; they are "
            "replaced when this sweep finishes",
            file=stream,
        )
    interrupted = False
    t0 = time.perf_counter()
    try:
        base = solve_bases(executor, context, root, scenarios)
        broken = {sid: r["reason"] for sid, r in base.items() if r["status"] == "error"}
        for sid, reason in broken.items():
            print(f"{sid}: the base plan could not be solved: {reason}", file=stream)
        if broken:
            return EXIT_ERROR
        records, computed = solve_samples(executor, context, root, sweep, base, stream)
    except KeyboardInterrupt:
        interrupted = True
        still = f"; until it finishes, {root} holds the earlier sweep's results" if earlier else ""
        print(
            f"interrupted: finished samples are kept — rerun the same command to resume{still}",
            file=stream,
        )
        return EXIT_INTERRUPTED
    finally:
        executor.close(interrupted=interrupted)
    seconds = time.perf_counter() - t0
    settings = settings_of(loaded, sweep_path, sweep, context, executor)
    settings["run"] = {
        "samples_solved": computed,
        "seconds": round(seconds, 3),
        "samples_per_minute": round(computed / seconds * 60.0, 3) if computed else None,
    }
    ordered = {sid: [records[sid][k] for k in range(sweep.samples)] for sid in scenarios}
    payload = write_outputs(
        root, {sid: loaded.scenarios[sid] for sid in scenarios}, base, ordered, settings
    )
    report(payload, root, computed, seconds, stream if stream is not sys.stderr else sys.stdout)
    errors = sum(s["failed"]["by_status"].get("error", 0) for s in payload["scenarios"].values())
    if errors:
        print(
            f"{errors} solves ended in an error — rerun the same command to retry them", file=stream
        )
        return EXIT_ERROR
    if stopped := stopped_without_plan(base, records):
        print(
            f"{stopped} solves reached the time limit of {sweep.time_limit} s without a plan — "
            f"raise time_limit in {sweep_path} and rerun (every sample is then solved afresh)",
            file=stream,
        )
        return EXIT_LIMIT
    return EXIT_OK


def stopped_without_plan(base: dict[str, dict], records: dict[str, dict[int, dict]]) -> int:
    """Solves (base plans, samples, kept plans) that the time limit stopped before any plan."""
    limit = Status.NO_SOLUTION.value
    every = [*base.values(), *(r for by_sample in records.values() for r in by_sample.values())]
    return sum(r["status"] == limit for r in every) + sum(
        (r["kept"] or {}).get("status") == limit for r in every
    )


FAILED = {
    Status.NO_SOLUTION.value: "stopped at the time limit",
    Status.INFEASIBLE.value: "infeasible",
    "invalid": "with numbers that break a rule",
    "error": "ended in an error",
}
"""Why samples have no plan, as the closing report says it."""


def _base_line(base: dict) -> str:
    if base["status"] == "optimal":
        return f"base plan optimal, {base['objective']:.6g}"
    if base["status"] == "feasible":
        return (
            f"base plan stopped at the time limit, {base['objective']:.6g} "
            f"(gap {base['gap']:.2%}): its regret measures that plan, not an optimal one"
        )
    return f"no base plan ({base['status']}: {base['reason']}), so no regret"


def report(payload: dict, root: Path, computed: int, seconds: float, stream: TextIO) -> None:
    """A few lines per scenario: base plan, objective range, failures, regret."""
    rate = f", {computed / seconds * 60.0:.1f} samples/min" if computed and seconds > 0 else ""
    print(f"solved {computed} samples in {duration(seconds)}{rate}", file=stream)
    for sid, s in payload["scenarios"].items():
        obj, reg, failed = s["objective"], s["regret"], s["failed"]
        line = f"{sid}: {_base_line(s['base'])}; {s['solved']}/{s['samples']} samples solved"
        if failed["count"]:
            line += " (without a plan: "
            line += ", ".join(
                f"{n} {FAILED.get(status, status)}" for status, n in failed["by_status"].items()
            )
            line += ")"
        if obj:
            line += (
                f"; objective p5 {obj['p5']:.4g} · p50 {obj['p50']:.4g} · p95 {obj['p95']:.4g} "
                f"{reg['unit']}"
            )
        print(line, file=stream)
        if reg["samples"] or reg["base_plan_infeasible"]:
            parts = []
            if a := reg["absolute"]:
                parts.append(
                    f"p50 {a['p50']:.4g} · p95 {a['p95']:.4g} · max {a['max']:.4g} {reg['unit']}"
                )
            if reg["proven"]:
                parts.append(f"base plan optimal in {reg['base_plan_optimal']}/{reg['proven']}")
            if reg["unproven"]:
                parts.append(f"{reg['unproven']} not proven (a solve stopped at the time limit)")
            parts.append(f"infeasible in {reg['base_plan_infeasible']}")
            print(f"  regret of the base plan: {'; '.join(parts)}", file=stream)
    print(f"results in {root}/", file=stream)


def run_sweep(
    instance_path: str | Path,
    sweep_path: str | Path,
    out: str | Path | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    stream: TextIO | None = None,
) -> int:
    """Run a sweep and write `<out>/sweep/`; return the exit code: 0 done, 1 a solve ended in an
    error or the cluster cannot be used, 3 the instance or the sweep file is invalid, or one of
    the paths cannot be used: a folder given as a file, `out` on a file or not writable (nothing
    solved), 5 a solve reached the time limit without a plan (files written), 130 interrupted
    (finished samples kept).

    `out` defaults to results/<instance stem>; `workers` is the size of the local pool (default
    one per core; 0 runs in this process) and is ignored when a Dask `scheduler` is given.
    Progress and problems go to `stream` (default stderr), the closing report to stdout unless a
    `stream` is given.
    """
    stream = stream if stream is not None else sys.stderr
    if workers is not None and workers < 0:
        print(f"--workers {workers}: give 0 (this process) or more worker processes", file=stream)
        return EXIT_INVALID
    instance_path, sweep_path = Path(instance_path), Path(sweep_path)
    out = Path(out) if out is not None else Path("results") / instance_path.stem
    return execute(instance_path, sweep_path, out, scheduler, workers, stream)
