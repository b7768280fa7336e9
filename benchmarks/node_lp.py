"""What one node of a branch-and-bound of the tool's own would cost in LP time: the model's LP
relaxation (default formulation, kept in one HiGHS instance, `solvers.highs.WarmLP`) re-solved
from its last basis after the hosts of some one-host segments are fixed, as at a node of such a
search (benchmarks/README.md).

    python -m benchmarks.node_lp nug8 tai9a --nodes 200

Each node places the first k segments (k drawn from 1 … n−1) at distinct random cities; the
times are of the re-solve alone, fixings excluded.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.run import instance_document
from models.build import build
from models.constraints.floor import one_host_segments
from models.data import ScenarioData
from models.scenario import load
from solvers import SolverOptions
from solvers.highs import WarmLP


def model_lp(name: str) -> tuple[ScenarioData, list, WarmLP]:
    """The scenario of benchmark instance `name`, its host decisions (s, c) in column order, and
    its LP relaxation solved once."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.json"
        path.write_text(json.dumps(instance_document(name)), encoding="utf-8")
        data = next(iter(load(path).scenarios.values()))
    model = build(data)
    lp = WarmLP(model, list(model.y.values()), SolverOptions())
    lp.solve()
    return data, list(model.y.keys()), lp


def place(lp: WarmLP, keys: list, host: dict[str, str]) -> None:
    """Fix the host of each segment in `host`; every other decision gets its bounds back."""
    fixed = [(k, float(c == host[s])) for k, (s, c) in enumerate(keys) if s in host]
    lp.release()
    lp.fix([k for k, _ in fixed], [v for _, v in fixed])


def node_seconds(name: str, nodes: int, seed: int = 0) -> tuple[int, list[float]]:
    """The LP's number of columns and the seconds of each of `nodes` re-solves."""
    data, keys, lp = model_lp(name)
    segments = one_host_segments(data)
    rng = np.random.default_rng(seed)
    seconds = []
    for _ in range(nodes):
        cities = rng.permutation(data.cities)
        place(lp, keys, dict(zip(segments[: rng.integers(1, len(segments))], cities, strict=False)))
        start = time.perf_counter()
        lp.solve()
        seconds.append(time.perf_counter() - start)
    return len(lp.values()), seconds


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("names", nargs="+", help="benchmark instances with one-host segments (QAP)")
    p.add_argument("--nodes", type=int, default=200)
    args = p.parse_args(argv)
    print("| instance | LP columns | nodes | re-solve median | 90th percentile |")
    print("|---|---|---|---|---|")
    for name in args.names:
        columns, seconds = node_seconds(name, args.nodes)
        median, p90 = np.median(seconds) * 1e3, np.percentile(seconds, 90) * 1e3
        print(f"| {name} | {columns:,} | {len(seconds)} | {median:.1f} ms | {p90:.1f} ms |")


if __name__ == "__main__":
    main()
