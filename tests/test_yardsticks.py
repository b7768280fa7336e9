"""The yardsticks of what a branch-and-bound of the tool's own would do and cost: the
Gilmore–Lawler search (benchmarks/gilmore_lawler.py) proves published QAP optima and agrees with
enumerating every permutation on random instances, with its floors sorted or as LPs; the node LP
(benchmarks/node_lp.py) is exact once every segment is placed."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from benchmarks.convert import known_optimum, parse_taillard, qap_cost
from benchmarks.gilmore_lawler import PlacementLP, branch_and_bound
from benchmarks.node_lp import model_lp, place
from models.constraints.floor import one_host_segments

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


@pytest.mark.parametrize("name", ["nug5", "nug6"])
def test_lp_floors_give_the_same_search(name):
    """The floors as LPs (what the general model needs) bound every node as the sorted products
    do: the same optimum after the same number of nodes."""
    data = parse_taillard((DATA / f"{name}.txt").read_text(encoding="utf-8"), name)
    sorted_cost, _, sorted_nodes = branch_and_bound(data.flow, data.distance)
    lp_cost, plan, lp_nodes = branch_and_bound(data.flow, data.distance, floors="lp")
    assert lp_cost == pytest.approx(known_optimum(name)) == pytest.approx(sorted_cost)
    assert lp_nodes == sorted_nodes and qap_cost(data.flow, data.distance, plan) == lp_cost


@pytest.mark.parametrize("seed", range(3))
def test_placement_lp_is_the_sorted_product(seed):
    """At a node with facilities 0 and 1 placed, each LP value equals the least product of the
    facility's flows to the unplaced ones and the distances to the free locations."""
    rng = np.random.default_rng(seed)
    flow, distance = rng.integers(0, 10, (6, 6)), rng.integers(0, 10, (6, 6))
    placed = {0: 3, 1: 5}
    free, spots = [2, 3, 4, 5], [0, 1, 2, 4]
    for i in free:
        lp = PlacementLP(flow, i)
        for k in spots:
            flows = np.sort([flow[i, j] for j in free if j != i])
            distances = np.sort([distance[k, m] for m in spots if m != k])[::-1]
            assert lp.value(distance, k, placed) == pytest.approx(float(flows @ distances))


def test_incumbent_prunes_plans_that_are_not_cheaper():
    data = parse_taillard((DATA / "nug6.txt").read_text(encoding="utf-8"), "nug6")
    cost, plan, nodes = branch_and_bound(data.flow, data.distance, incumbent=known_optimum("nug6"))
    assert plan is None and cost == known_optimum("nug6")
    assert nodes < branch_and_bound(data.flow, data.distance)[2]


def test_node_lp_is_the_plan_cost_once_all_but_one_segment_is_placed():
    """benchmarks/node_lp.py: at a node where n − 1 segments of nug5 have hosts, the last one has
    one free city, and the model's LP is the cost of that permutation."""
    data, keys, lp = model_lp("nug5")
    qap = parse_taillard((DATA / "nug5.txt").read_text(encoding="utf-8"), "nug5")
    segments = one_host_segments(data)
    assert len(segments) == 5
    for permutation in ([0, 1, 2, 3, 4], [4, 2, 0, 3, 1]):
        place(
            lp, keys, {s: data.cities[p] for s, p in zip(segments[:4], permutation, strict=False)}
        )
        assert lp.solve() == pytest.approx(qap_cost(qap.flow, qap.distance, permutation))
