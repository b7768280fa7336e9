"""The local search of the starting plan (models/local_search.py) and the warm LP it prices moves
with (solvers.highs.WarmLP), on cases worked out by hand."""

from __future__ import annotations

import time

import numpy as np
import pyomo.environ as pyo
import pytest

from benchmarks.generate import generate
from models.build import build
from models.heuristic import PlanLP, hosts_of, repaired_outputs, start_for
from models.local_search import candidate_moves, improve
from models.scenario import load_document
from solvers import SolverOptions
from solvers.highs import WarmLP
from tests.tiny import instance, segment, two_cities


def test_warm_lp_fixes_releases_and_prices_a_variable():
    """min 3a + 2b, a + b ≥ 1, a and b binary. Relaxed: 2 (b = 1). With b fixed at 0: 3, and
    b's reduced cost there is 2 − 3 = −1 (each unit of b saves a unit of a). Released: 2."""
    m = pyo.ConcreteModel()
    m.a = pyo.Var(domain=pyo.Binary)
    m.b = pyo.Var(domain=pyo.Binary)
    m.cover = pyo.Constraint(expr=m.a + m.b >= 1)
    m.cost = pyo.Objective(expr=3 * m.a + 2 * m.b)
    lp = WarmLP(m, [m.b], SolverOptions())
    assert lp.solve() == pytest.approx(2)
    lp.fix([0], [0.0])
    assert lp.solve() == pytest.approx(3)
    assert lp.reduced_costs() == pytest.approx([-1])
    assert lp.solution(lp.values())[m.a] == pytest.approx(1)
    lp.release()
    assert lp.solve() == pytest.approx(2)


def generated_area():
    """The generated 10-city × 20-segment area where every city may host every segment."""
    doc = generate(cities=10, chains=4, segments_per_chain=5, eligibility=1.0, seed=1)
    return load_document(doc).scenarios["base"]


def test_warm_lp_time_limit_counts_from_each_solve():
    """HiGHS measures a time limit from its instance's first run. After relaxations of a
    generated 10-city area (about 60 ms each) for at least 1 s, a re-solve with one bound changed
    (about 6 ms) and a limit of half the time run so far still finishes: counted from the first
    run, that limit would be long past."""
    lp = PlanLP(build(generated_area()), SolverOptions())
    began = time.perf_counter()
    while time.perf_counter() - began < 1.0:
        assert lp.lp.solve(warm=False) is not None
    so_far = time.perf_counter() - began
    lp.lp.fix([0], [1.0])
    assert lp.lp.solve(so_far / 2) is not None


def test_moves_are_ranked_by_their_reduced_cost_estimate():
    """s is hosted at position 0 (reduced cost 2), not at 1 (−1); t not at 2 (0.5). Closing 0
    saves at most 2, opening 1 at most 1, the swap 0 → 1 at most 3; opening t cannot pay."""
    moves = candidate_moves(["s", "s", "t"], np.array([1.0, 0.0, 0.0]), np.array([2, -1, 0.5]))
    assert moves == [((0, 1), (0.0, 1.0)), ((0,), (0.0,)), ((1,), (1.0,))]


def wrong_host(**policies) -> tuple[PlanLP, np.ndarray, float]:
    """s (output 10, all sold in a, setup 1 in either city) made in b, 100 km away at 0.01 per
    unit-km: setup 1 + transport 10 = 11. Made in a instead it costs 1."""
    seg = segment("s", 10, markets={"a": 1}, setup_cost=1, transport_cost=0.01)
    doc = instance(segments=[seg], policies=policies, **two_cities())
    data = load_document(doc).scenarios["base"]
    lp = PlanLP(build(data, "plain"), SolverOptions())
    open_ = lp.open_({"s": {"b"}})
    return lp, open_, lp.plan({"s": {"b"}}, None)


def test_search_moves_a_segment_to_the_city_that_buys_it():
    lp, open_, cost = wrong_host()
    assert cost == pytest.approx(11)
    hosts, cost, values = improve(lp.lp, [s for s, _ in lp.keys], open_, cost)
    assert cost == pytest.approx(1)
    assert dict(zip(lp.keys, hosts, strict=True)) == {("s", "a"): 1.0, ("s", "b"): 0.0}
    lp.load(values)
    assert pyo.value(lp.m.cost) == pytest.approx(1)


def test_search_stops_at_its_deadline():
    lp, open_, cost = wrong_host()
    hosts, after, _ = improve(lp.lp, [s for s, _ in lp.keys], open_, cost, time.perf_counter())
    assert after == cost
    assert (hosts == open_).all()


def test_search_leaves_host_decisions_a_policy_fixes():
    """With a forbidden by the `fixed` policy, a is not among the decisions searched, and b
    cannot close: the plan stays at 11."""
    lp, open_, cost = wrong_host(fixed={"forbid": [["s", "a"]]})
    assert lp.keys == [("s", "b")]
    assert improve(lp.lp, ["s"], open_, cost)[1] == pytest.approx(11)


def test_no_start_where_fixed_decisions_leave_a_row_that_cannot_hold():
    """Both hosts of s fixed at 0: capacity cover reads 0 ≥ 10, so there is no plan to start
    from, and start_for says so instead of raising."""
    seg = segment("s", 10, markets={"a": 1})
    data = load_document(instance(segments=[seg], **two_cities())).scenarios["base"]
    m = build(data)
    m.y["s", "a"].fix(0)
    m.y["s", "b"].fix(0)
    assert start_for(m, data) == (None, None)


def test_warm_lp_stops_once_its_value_cannot_fall_below_stop_above():
    """From the repaired relaxation's plan of a generated 10-city area, every host decision is
    flipped in turn and priced with stop_above = the plan's cost: a stopped solve (None) is
    always one whose full solve is infeasible or above that cost, and some do stop early."""
    data = generated_area()
    lp = PlanLP(build(data), SolverOptions())
    assert lp.relaxation(None) is not None
    hosts = hosts_of(data, repaired_outputs(data, lp.outputs(lp.lp.values())))
    cost, open_ = lp.plan(hosts, None, warm=False), lp.open_(hosts)
    stopped = 0
    for p in range(len(open_)):
        lp.lp.fix([p], [1.0 - open_[p]])
        early = lp.lp.solve(stop_above=cost)
        full = lp.lp.solve()
        if early is None and full is not None:
            stopped += 1
            assert full > cost
        else:  # the same value, or None both times where the flip leaves no feasible plan
            assert early == pytest.approx(full)
        lp.lp.fix([p], [open_[p]])
    assert stopped > 0
