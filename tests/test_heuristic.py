"""The starting plan for large MIPs (models/heuristic.py): feasible, and it does not change the
optimum the search proves."""

from __future__ import annotations

import json
from pathlib import Path

import pyomo.environ as pyo
import pytest

from benchmarks.generate import generate
from models import pipeline
from models.build import build
from models.heuristic import (
    PlanLP,
    fewer_hosts,
    hosts_of,
    linked_hosts,
    one_host,
    repaired_outputs,
    start_for,
)
from models.scenario import load_document
from reports.console import scenario_text
from reports.files import summary
from solvers import SolverOptions, Status
from solvers.highs import solve
from tests.tiny import city, instance, segment, two_cities

ROOT = Path(__file__).resolve().parents[1]


def test_small_lp_shares_are_moved_to_a_host_at_min_scale():
    """Markets half in a, half in b, no setup cost: the LP makes 5 in each city, below
    min_scale 6. The repair keeps one city and moves the other's 5 there (a holds 10). (The plain
    formulation: the default's transport_floor would already make the LP pay for one host.)"""
    seg = segment("s", 10, min_scale=6, markets={"a": 0.5, "b": 0.5}, transport_cost=0.01)
    data = load_document(instance(segments=[seg], **two_cities())).scenarios["base"]
    m = build(data, "plain")
    lp = PlanLP(m, SolverOptions())
    assert lp.relaxation(None) == pytest.approx(0)
    relaxed = lp.outputs(lp.lp.values())
    assert relaxed == pytest.approx({("s", "a"): 5, ("s", "b"): 5})
    hosts = hosts_of(data, repaired_outputs(data, relaxed))
    assert len(hosts["s"]) == 1
    assert lp.plan(hosts, None) == pytest.approx(5)
    lp.load(lp.lp.values())
    assert pyo.value(m.cost) == pytest.approx(5)  # 5 units shipped 100 km at 0.01


@pytest.mark.parametrize("formulation", ["default", "plain"])
def test_a_share_keep_existing_asks_for_stays_and_rises_to_min_scale(formulation):
    """s (10, sold in a, min_scale 6) made 2 in b today, all of it to be kept. The LP makes 8 in
    a and 2 in b; moving b's 2 away would break keep_existing, and a and b cannot both reach 6.
    The repair raises b to 6 and closes a: all 10 in b, shipped 100 km at 0.01: 10, the
    optimum."""
    seg = segment("s", 10, min_scale=6, markets={"a": 1}, transport_cost=0.01, existing={"b": 2})
    doc = instance(segments=[seg], policies={"keep_existing": {"min_share": 1}}, **two_cities())
    data = load_document(doc).scenarios["base"]
    lp = PlanLP(build(data, formulation), SolverOptions())
    lp.relaxation(None)
    repaired = repaired_outputs(data, lp.outputs(lp.lp.values()))
    assert repaired == pytest.approx({("s", "a"): 0, ("s", "b"): 10})
    assert lp.plan(hosts_of(data, repaired), None) == pytest.approx(10)


def test_a_share_in_a_city_balance_protects_stays_where_it_has_room():
    """Balance asks periphery b for 1.25 of s (VA rate 0.5, a has 300 people, b 100, all sold
    in a; tests/test_policies.py::test_balance), min_scale 3. The LP makes 1.25 in b; moved away,
    b would add no value. Raised to 3: 3 shipped 100 km at 0.01, cost 3, the optimum."""
    seg = segment("s", 10, value_added_rate=0.5, transport_cost=0.01, markets={"a": 1})
    seg["min_scale"] = 3
    cities = two_cities()
    cities["cities"][0]["population"] = 300
    policies = {"balance": {"min_ratio": 0.5, "roles": ["periphery"]}}
    data = load_document(instance(segments=[seg], policies=policies, **cities)).scenarios["base"]
    lp = PlanLP(build(data, "plain"), SolverOptions())
    lp.relaxation(None)
    repaired = repaired_outputs(data, lp.outputs(lp.lp.values()))
    assert repaired[("s", "b")] == pytest.approx(3)
    assert lp.plan(hosts_of(data, repaired), None) == pytest.approx(3)


def test_small_shares_of_an_importable_segment_without_room_are_imported():
    """s (10, min_scale 6, importable at 1, sold half in a, half in b) in LP shares of 3 and 2,
    and no city has room for 6 (land 5 each): the shares are left to imports rather than losing
    the whole start. All 10 imported at the gateway a, 5 shipped 100 km to b at 0.01: 15."""
    seg = segment(
        "s",
        10,
        min_scale=6,
        import_cost=1,
        transport_cost=0.01,
        markets={"a": 0.5, "b": 0.5},
        resource_use={"land": 1},
    )
    cities = two_cities()
    for c in cities["cities"]:
        c["capacity"] = {"land": 5}
    data = load_document(instance(segments=[seg], **cities)).scenarios["base"]
    repaired = repaired_outputs(data, {("s", "a"): 3.0, ("s", "b"): 2.0})
    assert repaired is not None and hosts_of(data, repaired) == {"s": set()}
    lp = PlanLP(build(data, "plain"), SolverOptions())
    assert lp.plan(hosts_of(data, repaired), None) == pytest.approx(15)


def test_small_shares_move_only_as_far_as_max_share_allows():
    """s (10, min_scale 3) at most 60 % in one city; LP shares a 5, b 3, c 2. c's 2 go to the
    large host with the most room under the cap: b (room 3, a only 1), to 5; before, the room
    ignored the cap, a (room 5) took both (7, above 6) and the plan for those hosts had no
    solution."""
    seg = segment("s", 10, min_scale=3, markets={"a": 1}, transport_cost=0.01)
    doc = instance(
        cities=[city("a", role="core"), city("b"), city("c")],
        segments=[seg],
        transport={
            "distances": [
                {"from": "a", "to": "b", "km": 10},
                {"from": "a", "to": "c", "km": 10},
                {"from": "b", "to": "c", "km": 10},
            ]
        },
        policies={"max_share": {"share": 0.6}},
    )
    data = load_document(doc).scenarios["base"]
    repaired = repaired_outputs(data, {("s", "a"): 5.0, ("s", "b"): 3.0, ("s", "c"): 2.0})
    assert repaired == pytest.approx({("s", "a"): 5, ("s", "b"): 5, ("s", "c"): 0})


def test_where_instance_order_finds_no_room_the_largest_blocks_go_first():
    """t (4, min_scale 4) and s (10, min_scale 10), 1 ha a unit; a holds 13 ha, b 6. LP shares
    t: a 3, b 1; s: a 5, b 5. In instance order t takes 4 of a's room and s finds 9 < 10 ha
    anywhere; s first takes a (10), then t fits in b (4)."""
    segs = [
        segment(sid, q, min_scale=q, markets={"a": 1}, resource_use={"land": 1})
        for sid, q in (("t", 4), ("s", 10))
    ]
    cities = two_cities()
    cities["cities"][0]["capacity"] = {"land": 13}
    cities["cities"][1]["capacity"] = {"land": 6}
    data = load_document(instance(segments=segs, **cities)).scenarios["base"]
    lp_shares = {("t", "a"): 3.0, ("t", "b"): 1.0, ("s", "a"): 5.0, ("s", "b"): 5.0}
    repaired = repaired_outputs(data, lp_shares)
    assert repaired == pytest.approx({("t", "a"): 0, ("t", "b"): 4, ("s", "a"): 10, ("s", "b"): 0})


@pytest.mark.parametrize(
    ("land_a", "p_hosts", "expected"),
    [
        # a has room for R&D's min_scale: R&D opens there
        (5, {"a"}, {"p": {"a"}, "rd": {"a", "b"}}),
        # a has none: p's host in a, which has another in b, closes
        (0, {"a", "b"}, {"p": {"b"}, "rd": {"b"}}),
        # none, and p has no other host: left for the plan LP to reject
        (0, {"a"}, {"p": {"a"}, "rd": {"b"}}),
    ],
)
def test_every_host_of_a_linked_segment_gets_its_partner_in_reach(land_a, p_hosts, expected):
    """linkage p → rd within 30 minutes; a and b are 100 km (100 minutes) apart, so a host of p
    needs R&D in its own city. R&D (min_scale 2, 1 ha a unit) is hosted in b only."""
    segs = [
        segment("rd", 4, min_scale=2, markets={"a": 1}, resource_use={"land": 1}),
        segment("p", 10, markets={"a": 1}),
    ]
    cities = two_cities()
    cities["cities"][0]["capacity"] = {"land": land_a}
    policies = {"linkage": {"max_minutes": 30, "pairs": [["p", "rd"]]}}
    data = load_document(instance(segments=segs, policies=policies, **cities)).scenarios["base"]
    x = {pair: 0.0 for pair in data.pairs}
    x["rd", "b"] = 4.0
    for c in p_hosts:
        x["p", c] = 10 / len(p_hosts)
    assert linked_hosts(data, x, hosts_of(data, x)) == expected


def test_plan_lp_reads_outputs_from_highs_without_loading_them():
    """The relaxation's outputs come from HiGHS's column values; the model's variables stay
    unset until `load`. An x fixed in the model is not a column and is read at its value."""
    seg = segment("s", 10, min_scale=6, markets={"a": 0.5, "b": 0.5}, transport_cost=0.01)
    data = load_document(instance(segments=[seg], **two_cities())).scenarios["base"]
    m = build(data, "plain")
    m.x["s", "b"].fix(0)
    lp = PlanLP(m, SolverOptions())
    assert lp.relaxation(None) == pytest.approx(5)  # 5 units shipped from a to b
    values = lp.lp.values()
    assert lp.outputs(values) == pytest.approx({("s", "a"): 10, ("s", "b"): 0})
    assert m.x["s", "a"].value is None
    lp.load(values)
    assert m.x["s", "a"].value == pytest.approx(10)


def split(land_a: float = 10, **fields) -> tuple:
    """s (output 10, sold in a) made 6 in a and 4 in b, 100 km apart; a has `land_a` ha."""
    doc = instance(
        segments=[segment("s", 10, resource_use={"land": 1}, markets={"a": 1}, **fields)],
        **two_cities(),
    )
    doc["cities"][0]["capacity"] = {"land": land_a}
    data = load_document(doc).scenarios["base"]
    return data, {("s", "a"): 6.0, ("s", "b"): 4.0}


@pytest.mark.parametrize(
    "land_a, fields, fixed, closed",
    [
        # moving b's 4 to a costs about 0.01 * 4 * 100 = 4 in transport, setup 5 is saved
        (10, dict(setup_cost=5, transport_cost=0.01), {}, {"b": 0.0, "a": 10.0}),
        # setup 3 saved < 4 of transport: both stay
        (10, dict(setup_cost=3, transport_cost=0.01), {}, None),
        # with max_hosts 1 the second host also costs its duplication penalty 2: 3 + 2 > 4
        (
            10,
            dict(setup_cost=3, transport_cost=0.01, max_hosts=1, duplication_penalty=2),
            {},
            {"b": 0.0, "a": 10.0},
        ),
        # a has 8 ha: room for 2 of b's 4, so b cannot close
        (8, dict(setup_cost=5, transport_cost=0.01), {}, None),
        # b makes 4 today: it pays no setup, and closing it would cost relocation
        (10, dict(setup_cost=5, transport_cost=0.01, existing={"b": 4}), {}, None),
        # b is a host the model fixes (e.g. a policy): it stays
        (10, dict(setup_cost=5, transport_cost=0.01), {("s", "b"): 1}, None),
    ],
)
def test_a_host_closes_when_the_saving_exceeds_the_extra_transport(land_a, fields, fixed, closed):
    data, x = split(land_a, **fields)
    after = fewer_hosts(data, x, fixed)
    expected = x if closed is None else {("s", c): q for c, q in closed.items()}
    assert after == pytest.approx(expected)


def three_cities(setup_c: float) -> tuple:
    """s (output 10, sold in a and b) made 5 in a and 5 in b, 100 km apart; c lies 50 km from
    each and has land for all 10 (a and b only for their 5). Setup 6 in a and b, `setup_c` in c."""
    seg = segment(
        "s",
        10,
        resource_use={"land": 1},
        transport_cost=0.01,
        markets={"a": 0.5, "b": 0.5},
        setup_cost=6,
        setup_cost_by_city={"c": setup_c},
    )
    distances = [("a", "b", 100), ("a", "c", 50), ("b", "c", 50)]
    doc = instance(
        cities=[
            city("a", role="core", capacity={"land": 5}),
            city("b", capacity={"land": 5}),
            city("c", capacity={"land": 10}),
        ],
        segments=[seg],
        transport={"distances": [{"from": p, "to": q, "km": km} for p, q, km in distances]},
    )
    data = load_document(doc).scenarios["base"]
    return data, {("s", "a"): 5.0, ("s", "b"): 5.0, ("s", "c"): 0.0}


def test_a_segment_gathers_in_one_city_when_that_pays():
    """Hosts a and b cost 6 + 6 = 12. All 10 in c: setup 4 plus about 0.01 * (5 * 50 + 5 * 50)
    = 5 of extra transport, 9 < 12: s moves to c. With setup 7 in c: 12, not below 12: it stays.
    Neither a nor b has room for all of it. A host fixed in a, or c ruled out, keeps it too."""
    data, x = three_cities(setup_c=4)
    assert one_host(data, x) == pytest.approx({("s", "a"): 0, ("s", "b"): 0, ("s", "c"): 10})
    assert one_host(data, x, {("s", "a"): 1}) == x
    assert one_host(data, x, {("s", "c"): 0}) == x
    data, x = three_cities(setup_c=7)
    assert one_host(data, x) == x


def test_a_single_host_segment_gathers_where_it_fits_even_when_that_costs_more():
    """As above with setup 7 in c: gathering in c costs 12, not less than the 12 of a and b, but a
    single_host policy asks for one host, so s moves to c, the one city with room for all 10.
    With c ruled out no city has room: it stays (the start then finds no plan for it)."""
    data, x = three_cities(setup_c=7)
    gathered = one_host(data, x, must=["s"])
    assert gathered == pytest.approx({("s", "a"): 0, ("s", "b"): 0, ("s", "c"): 10})
    assert one_host(data, x, {("s", "c"): 0}, must=["s"]) == x


def test_start_is_a_feasible_plan_of_a_generated_area():
    """A looser area (capacities 50 % used): the start satisfies every row, and closing hosts
    makes it cheaper than the plan for the repaired LP hosts. On tight areas the repair can fail
    (8 seeds: 7 succeed at 50 %, 4 at 70 %: `python -m benchmarks.start_rate`); the search then
    starts without a plan."""
    doc = generate(cities=8, chains=3, segments_per_chain=4, eligibility=0.6, tightness=0.5, seed=2)
    data = load_document(doc).scenarios["base"]
    m = build(data)
    lp = PlanLP(m, SolverOptions())
    assert lp.relaxation(None) is not None
    repaired = hosts_of(data, repaired_outputs(data, lp.outputs(lp.lp.values())))
    repaired_cost = lp.plan(repaired, None)
    assert repaired_cost is not None

    start = start_for(m, data)
    assert start.plan is not None and start.bound == pytest.approx(lp.relaxation(None))
    for con in m.component_data_objects(pyo.Constraint, active=True):
        body = pyo.value(con.body)
        assert con.lower is None or body >= pyo.value(con.lower) - 1e-6, con.name
        assert con.upper is None or body <= pyo.value(con.upper) + 1e-6, con.name
    assert all(pyo.value(y) in (0, 1) for y in m.y.values())
    assert pyo.value(m.cost) < repaired_cost - 1
    assert sum(pyo.value(y) for y in m.y.values()) < sum(len(c) for c in repaired.values())


def test_start_under_single_host_gives_every_segment_one_host():
    """A generated area with single_host for every segment, where gathering each segment in
    one city fits the capacities (seed 5; on 11 other seeds and tightness 0.5 / 0.7 no start is
    found, where the LP shares of one segment fit no single city left): every row holds."""
    doc = generate(
        cities=10, chains=4, segments_per_chain=5, eligibility=0.6, tightness=0.5, seed=5
    )
    doc["policies"] = {"single_host": True}
    data = load_document(doc).scenarios["base"]
    m = build(data)
    assert start_for(m, data).plan is not None
    for con in m.component_data_objects(pyo.Constraint, active=True):
        body = pyo.value(con.body)
        assert con.lower is None or body >= pyo.value(con.lower) - 1e-6, con.name
        assert con.upper is None or body <= pyo.value(con.upper) + 1e-6, con.name
    for s in data.segments:
        assert sum(pyo.value(m.y[s, c]) for c in data.eligible[s]) <= 1


def test_start_keeps_to_the_time_limit():
    """The LPs of the start share the scenario's time limit: with none left there is no start."""
    doc = generate(cities=8, chains=3, segments_per_chain=4, eligibility=0.6, tightness=0.5, seed=2)
    data = load_document(doc).scenarios["base"]
    assert start_for(build(data), data, SolverOptions(time_limit=0.0)) == (None, None)
    assert start_for(build(data), data, SolverOptions(time_limit=60.0)).plan is not None


def test_search_stopped_before_its_root_bound_reports_the_relaxation_bound():
    """HiGHS stopped at once holds the start as its plan and no bound of its own (-inf, gap inf
    in its info; invalid in summary.json): the relaxation the start began from is the bound."""
    doc = generate(cities=8, chains=3, segments_per_chain=4, eligibility=0.6, tightness=0.5, seed=2)
    data = load_document(doc).scenarios["base"]
    m = build(data)
    start = start_for(m, data)
    stopped = SolverOptions(time_limit=0.0)
    bare = solve(m, stopped, start=start.plan)
    assert bare.status == Status.FEASIBLE and bare.bound is None and bare.gap is None
    res = solve(m, stopped, start=start.plan, known_bound=start.bound)
    assert res.objective == pytest.approx(bare.objective)
    assert res.bound == start.bound
    assert res.gap == pytest.approx((res.objective - start.bound) / res.objective)


def test_a_plan_stopped_at_the_limit_but_proven_by_the_known_bound_is_optimal():
    """HiGHS stopped at once holds the start; a known bound within the gap of its cost (here the
    cost itself, or within a gap of 0.5) proves it optimal, so it is not reported as feasible."""
    doc = generate(cities=8, chains=3, segments_per_chain=4, eligibility=0.6, tightness=0.5, seed=2)
    data = load_document(doc).scenarios["base"]
    m = build(data)
    start = start_for(m, data)
    bare = solve(m, SolverOptions(time_limit=0.0), start=start.plan)
    assert bare.status == Status.FEASIBLE
    proven = solve(m, SolverOptions(time_limit=0.0), start=start.plan, known_bound=bare.objective)
    assert proven.status == Status.OPTIMAL and proven.gap == 0.0
    loose = SolverOptions(time_limit=0.0, mip_gap=0.5)
    within = solve(m, loose, start=start.plan, known_bound=0.6 * bare.objective)
    assert within.status == Status.OPTIMAL and within.gap == pytest.approx(0.4)
    beyond = solve(m, loose, start=start.plan, known_bound=0.4 * bare.objective)
    assert beyond.status == Status.FEASIBLE and beyond.gap == pytest.approx(0.6)


def test_a_search_stopped_without_a_plan_still_reports_the_known_bound():
    """No plan by the time limit, but the start's LP relaxation proved what any plan costs at
    least: summary.json's bound says so (it was null)."""
    doc = generate(cities=8, chains=3, segments_per_chain=4, eligibility=0.6, tightness=0.5, seed=2)
    m = build(load_document(doc).scenarios["base"])
    res = solve(m, SolverOptions(time_limit=0.0), known_bound=123.0)
    assert res.status == Status.NO_SOLUTION and res.objective is None
    assert res.bound == 123.0 and res.gap is None


def test_a_negative_bound_is_reported_as_zero():
    """Every cost is at least 0, so a bound below 0 (HiGHS stopped early, or a weak known
    bound) says nothing: the reported bound is 0 and the gap 100 %."""
    doc = generate(cities=8, chains=3, segments_per_chain=4, eligibility=0.6, tightness=0.5, seed=2)
    data = load_document(doc).scenarios["base"]
    m = build(data)
    start = start_for(m, data)
    res = solve(m, SolverOptions(time_limit=0.0), start=start.plan, known_bound=-721.0)
    assert res.status == Status.FEASIBLE
    assert res.bound == 0.0 and res.gap == 1.0
    none = solve(m, SolverOptions(time_limit=0.0), known_bound=-5.0)
    assert none.status == Status.NO_SOLUTION and none.bound == 0.0


def test_search_from_the_start_proves_the_same_optimum(monkeypatch):
    data = load_document(json.loads((ROOT / "instances" / "tiny.json").read_text())).scenarios
    monkeypatch.setattr(pipeline, "LARGE_MIP_BINARIES", 0)
    for sid, expected in {"baseline": 9.0, "no_east_assembly": 12.0, "import_parts": 8.4}.items():
        run = pipeline.solve_scenario(data[sid])
        assert run.result.objective == pytest.approx(expected)
        assert run.seconds["start"] > 0
        # the console counts the start apart from the search
        assert f"starting plan {run.seconds['start']:.2f} s, solve" in scenario_text(run)


def test_summary_records_the_scenarios_time_limit_beside_the_solvers_share(monkeypatch):
    """The starting plan spends part of the scenario's limit; summary.json keeps the limit the
    planner set (`solver.time_limit`) and, in HiGHS's options, what the search was given."""
    data = load_document(json.loads((ROOT / "instances" / "tiny.json").read_text())).scenarios
    monkeypatch.setattr(pipeline, "LARGE_MIP_BINARIES", 0)
    run = pipeline.solve_scenario(data["baseline"], SolverOptions(time_limit=30.0))
    solver = summary(run)["solver"]
    assert solver["time_limit"] == 30.0
    assert solver["options"]["time_limit"] == pytest.approx(30.0 - run.seconds_start)
    assert solver["options"]["time_limit"] < 30.0
    assert summary(pipeline.solve_scenario(data["baseline"]))["solver"]["time_limit"] is None
