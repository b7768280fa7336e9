"""The Gilmore–Lawler yardstick (benchmarks/gilmore_lawler.py) proves published QAP optima and
agrees with enumerating every permutation on random instances."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from benchmarks.convert import known_optimum, parse_taillard, qap_cost
from benchmarks.gilmore_lawler import branch_and_bound

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"


@pytest.mark.parametrize("name", ["nug5", "nug6", "nug7", "nug8", "tai9a", "esc8b"])
def test_proves_the_published_optimum(name):
    data = parse_taillard((DATA / f"{name}.txt").read_text(encoding="utf-8"), name)
    cost, plan, nodes = branch_and_bound(data.flow, data.distance)
    assert cost == pytest.approx(known_optimum(name))
    assert qap_cost(data.flow, data.distance, plan) == pytest.approx(cost)
    assert sorted(plan) == list(range(len(plan))) and nodes >= 1


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_every_permutation(seed):
    """Asymmetric integer flows and distances, with diagonals, n = 6 (720 permutations)."""
    rng = np.random.default_rng(seed)
    flow, distance = rng.integers(0, 10, (6, 6)), rng.integers(0, 10, (6, 6))
    every = min(qap_cost(flow, distance, list(p)) for p in itertools.permutations(range(6)))
    assert branch_and_bound(flow, distance)[0] == pytest.approx(every)
