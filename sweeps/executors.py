"""Where the samples run: one interface, three places.

- `InProcess` (workers 0): one after the other in the calling process (debugging, tests);
- `LocalPool` (default): a local process pool, one worker per core unless told otherwise;
- `DaskCluster` (`--scheduler ADDRESS`): the workers of a Dask distributed cluster.

Each yields `(task, record)` pairs as tasks finish, in any order. Every worker runs the same
function (`sweeps.worker.run_task`) with the same solver options, so a sample gives the same
record wherever it runs. A task that dies with its worker becomes an `error` record, which a
rerun retries.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Protocol

from sweeps import worker
from sweeps.worker import SweepContext, Task, record_of

CONNECT_TIMEOUT = "20s"
"""How long to try reaching a Dask scheduler."""
WORKERS_TIMEOUT = 60.0
"""Seconds to wait for a Dask cluster to have at least one worker."""
IN_FLIGHT_PER_WORKER = 2
"""Tasks submitted per worker at a time: every worker has its next task ready, and a sweep of
100,000 samples holds a few futures instead of 100,000 (about 1.6 kB each)."""


class Executor(Protocol):
    """Runs tasks and yields their records as they finish."""

    description: str
    workers: int

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, dict]]: ...

    def warnings(self) -> list[str]: ...

    def close(self, interrupted: bool = False) -> None: ...


class ClusterError(RuntimeError):
    """The Dask cluster cannot be used (unreachable, no workers, project not installed)."""


class InProcess:
    """Tasks one after the other in this process."""

    description = "this process"
    workers = 1

    def __init__(self, context: SweepContext):
        self.context = context

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, dict]]:
        for task in tasks:
            yield task, worker.run_task(self.context, task)

    def warnings(self) -> list[str]:
        return []

    def close(self, interrupted: bool = False) -> None:
        pass


def cores() -> int:
    """Cores this process may run on (its CPU affinity where the system reports one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


class LocalPool:
    """A pool of worker processes on this machine; each receives the context once.

    At most one worker per core: each solve is single-threaded and CPU-bound, so more workers
    finish no sooner, slow every solve, and each holds its own Pyomo and HiGHS (~170 MB on the
    tiny instance, more on Nanjing); `--workers 500` would exhaust the memory of most machines.
    """

    def __init__(self, context: SweepContext, workers: int | None = None):
        self.context = context
        self.requested = workers
        self.workers = min(workers or cores(), cores())
        self.description = f"local pool of {plural(self.workers, 'worker')}"
        self.pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=worker.init_worker,
            initargs=(context,),
        )

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, dict]]:
        for task, future in windowed(
            tasks,
            lambda task: self.pool.submit(worker.run_in_worker, task),
            lambda running: wait(running, return_when=FIRST_COMPLETED).done,
            lambda: IN_FLIGHT_PER_WORKER * self.workers,
        ):
            yield task, _record(self.context, task, future)

    def warnings(self) -> list[str]:
        """A request for more workers than cores, capped."""
        if not self.requested or self.requested <= self.workers:
            return []
        return [
            f"--workers {self.requested}: this machine has {plural(cores(), 'core')}; running "
            f"{plural(self.workers, 'worker')} (more would slow each solve and use memory "
            f"without finishing sooner) — give --workers {self.workers} or fewer"
        ]

    def close(self, interrupted: bool = False) -> None:
        if interrupted:
            # Workers ignore Ctrl-C so that a half-finished solve is never returned; stop them
            # here instead of waiting for the solves in progress.
            for process in list(getattr(self.pool, "_processes", {}).values()):
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskCluster:
    """The workers of a Dask distributed cluster; the context is sent once to every worker."""

    def __init__(self, context: SweepContext, address: str):
        try:
            from distributed import Client
        except ImportError as err:
            raise ClusterError(
                "Dask is not installed — pip install -e '.[sweep]' (dask[distributed])"
            ) from err
        self.context = context
        try:
            self.client = Client(address, timeout=CONNECT_TIMEOUT)
        except ValueError as err:  # not an address at all
            raise ClusterError(
                f"--scheduler {address}: {err} — give the scheduler's address as "
                "tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786"
            ) from err
        except OSError as err:
            raise ClusterError(
                f"cannot reach a Dask scheduler at {address} ({err}) — start one with "
                f"'dask scheduler' and workers with 'dask worker {address}'"
            ) from err
        except Exception as err:  # something answers there, but not a Dask scheduler
            raise ClusterError(
                f"{address} does not answer as a Dask scheduler ({type(err).__name__}: {err}) — "
                "check the address and port of 'dask scheduler' (default port 8786)"
            ) from err
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
            self.versions = self.client.run(worker.probe)
        except Exception as err:
            self.client.close()
            raise ClusterError(
                f"the Dask workers at {address} cannot run the sweep ({type(err).__name__}: "
                f"{err}) — install this project on every worker (pip install -e '.[sweep]')"
            ) from err
        self.workers = len(self.versions)
        self.description = f"Dask cluster at {address} ({self.workers} workers)"
        self._context = self.client.scatter(context, broadcast=True)

    def warnings(self) -> list[str]:
        """Workers whose HiGHS or Pyomo differ from the first worker's: their plans may differ."""
        first = next(iter(self.versions.values()))
        return [
            f"worker {w} runs {v}, others {first}: its plans may differ"
            for w, v in self.versions.items()
            if v != first
        ]

    def submit(self, task: Task) -> Any:
        """Submit one task under a readable key (shown on the Dask dashboard)."""
        label = "base" if task.sample is None else task.sample
        return self.client.submit(
            worker.run_task,
            self._context,
            task,
            key=f"sweep-{self.context.fingerprint[:12]}-{task.scenario}-{label}",
            pure=False,
        )

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, dict]]:
        from distributed import wait as dask_wait

        for task, future in windowed(
            tasks,
            self.submit,
            lambda running: dask_wait(list(running), return_when="FIRST_COMPLETED").done,
            # counted at each refill, so that workers joining later get work too
            lambda: IN_FLIGHT_PER_WORKER * max(len(self.client.nthreads()), 1),
        ):
            yield task, _record(self.context, task, future)
            future.release()

    def close(self, interrupted: bool = False) -> None:
        self.client.close()


def windowed(
    tasks: Iterable[Task],
    submit: Callable[[Task], Any],
    first_done: Callable[[dict], Iterable[Any]],
    room: Callable[[], int],
) -> Iterator[tuple[Task, Any]]:
    """(task, finished future) pairs as tasks finish. Tasks are submitted as earlier ones finish,
    at most `room()` at a time, so that a long sweep never holds every task's future; those
    still running when the caller stops are cancelled."""
    waiting = iter(tasks)
    running: dict[Any, Task] = {}
    try:
        while True:
            for task in itertools.islice(waiting, max(room() - len(running), 0)):
                running[submit(task)] = task
            if not running:
                return
            for future in first_done(running):
                yield running.pop(future), future
    finally:
        for future in running:
            future.cancel()


def _record(context: SweepContext, task: Task, future) -> dict:
    """The record a future returned, or an `error` record if the task died with its worker."""
    try:
        return future.result()
    except Exception as err:
        return record_of(context, task, "error", f"{type(err).__name__}: {err}")


def open_executor(
    context: SweepContext, scheduler: str | None = None, workers: int | None = None
) -> Executor:
    """A Dask cluster when a scheduler address is given, else a local pool (workers 0: this
    process)."""
    if scheduler:
        return DaskCluster(context, scheduler)
    if workers == 0:
        return InProcess(context)
    return LocalPool(context, workers)
