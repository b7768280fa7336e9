"""One test per constraint family of SPEC §3, on tiny instances solved by hand.

Unless a test says otherwise: cities a and b are 100 km apart, transport costs 0.01 per unit
and km, so moving one unit from b to a costs 1.
"""

from __future__ import annotations

import pytest
from pyomo.repn import generate_standard_repn

from models.build import build
from models.constraints import CONSTRAINTS
from models.scenario import load_document
from solvers import Status
from tests import tiny
from tests.tiny import flow, instance, output_of, segment, solve, two_cities

T = 0.01
pytestmark = pytest.mark.usefixtures("each_formulation")


def test_output():
    """Q = 10, all sold in a. Hosting in a: setup 5; in b: setup 1 + 10 units x 1 = 11.
    Importing at 0.3 a unit (arriving at the gateway a): 3. So x_a + x_b + g = 10 with g = 10."""
    seg = segment(
        "s", 10, setup_cost=5, setup_cost_by_city={"b": 1}, transport_cost=T, markets={"a": 1}
    )
    run = solve(instance(segments=[seg], **two_cities()))
    assert run.result.objective == pytest.approx(5)
    assert output_of(run, "s", "a") == pytest.approx(10)

    imported = instance(segments=[{**seg, "import_cost": 0.3}], **two_cities())
    run = solve(imported)
    assert run.result.objective == pytest.approx(3)
    assert run.solution.imports == {"s": pytest.approx(10)}
    assert run.solution.hosts["s"] == []

    # the shipment rows imply the output row (SPEC §3), so no optimum shows it missing: the row
    # itself, x_sa + x_sb + g_s = 10
    m = build(load_document(imported).scenarios["base"], tiny.formulation)
    repn = generate_standard_repn(m.output["s"].body)
    coefficients = {v.name: c for v, c in zip(repn.linear_vars, repn.linear_coefs, strict=True)}
    assert coefficients == {"x[s,a]": 1, "x[s,b]": 1, "g[s]": 1}
    assert m.output["s"].lower == m.output["s"].upper == 10


def test_imported_part_of_the_gateways_shipments():
    """s (10, sold in b) may be made only in the gateway a, which has land for 4; the other 6 are
    imported at 1 a unit (cost 6) and arrive at a. a ships all 10 to b, 6 of them imported."""
    cities = two_cities()
    cities["cities"][0]["capacity"] = {"land": 4}
    seg = segment(
        "s", 10, eligible_cities=["a"], resource_use={"land": 1}, import_cost=1, markets={"b": 1}
    )
    run = solve(instance(segments=[seg], **cities))
    assert run.result.objective == pytest.approx(6)
    f = run.solution.flows
    assert f[["from_city", "to_city", "quantity", "imported"]].values.tolist() == [
        ["a", "b", pytest.approx(10), pytest.approx(6)]
    ]


def test_host_link():
    """Q = 10 sold in a; each city can make at most 7 (land 7, use 1 a unit), so both host
    (setup 1 each). b must make >= 3 and, hosted, >= min_scale 4: x_a = 6, x_b = 4,
    cost 2 + 4 x 1 = 6 (without min_scale it would be 5)."""
    cities = two_cities()
    for c in cities["cities"]:
        c["capacity"] = {"land": 7}
    seg = segment(
        "s",
        10,
        setup_cost=1,
        min_scale=4,
        transport_cost=T,
        markets={"a": 1},
        resource_use={"land": 1},
    )
    run = solve(instance(segments=[seg], **cities))
    assert run.result.objective == pytest.approx(6)
    assert output_of(run, "s", "a") == pytest.approx(6)
    assert output_of(run, "s", "b") == pytest.approx(4)


def test_host_link_min_scale_infeasible():
    """Both cities capped at 7 with min_scale 6: two hosts make >= 12 > 10, one host <= 7."""
    cities = two_cities()
    for c in cities["cities"]:
        c["capacity"] = {"land": 7}
    seg = segment("s", 10, min_scale=6, markets={"a": 1}, resource_use={"land": 1})
    assert solve(instance(segments=[seg], **cities)).status == Status.INFEASIBLE


def chain(**product_fields) -> list[dict]:
    """Materials m (only in b) feed product p (only in a, sold in a): p uses 0.5 m a unit."""
    m = segment("m", 5, eligible_cities=["b"], transport_cost=0.02, markets={"a": 1})
    p = segment(
        "p",
        10,
        inputs={"m": 0.5},
        eligible_cities=["a"],
        transport_cost=T,
        markets={"a": 1},
        **product_fields,
    )
    return [m, p]


def test_ship_out():
    """5 of m travel b -> a at 0.02 x 100: cost 10. Importing m at 1.5 (gateway a) costs 7.5,
    shipped out of the gateway a -> a at no cost."""
    run = solve(instance(segments=chain(), **two_cities()))
    assert run.result.objective == pytest.approx(10)
    assert flow(run, "m", "b", "a") == pytest.approx(5)
    assert flow(run, "p", "a", "a") == pytest.approx(10)

    segs = chain()
    segs[0]["import_cost"] = 1.5
    run = solve(instance(segments=segs, **two_cities()))
    assert run.result.objective == pytest.approx(7.5)
    assert flow(run, "m", "a", "a") == pytest.approx(5)
    assert output_of(run, "m", "b") == 0


def test_ship_in():
    """p costs 100 to set up in a but 1 a unit to import: import 10 (cost 10). The 5 of m that p
    would have used are then sold on m's market a: shipped b -> a for 5 x 0.02 x 100 = 10.
    Total 20."""
    run = solve(instance(segments=chain(setup_cost=100, import_cost=1.0), **two_cities()))
    assert run.result.objective == pytest.approx(20)
    assert run.solution.imports == {"p": pytest.approx(10)}
    assert flow(run, "m", "b", "a") == pytest.approx(5)
    assert run.solution.terms["transport"] == pytest.approx(10)


def test_capacity():
    """a holds 10 ha; s (6 units, 1 ha a unit) and t (4 units, 2 ha a unit), both sold in a,
    would take 14. Making a unit in b and shipping it costs 1 and frees 1 ha (s) or 2 ha (t):
    2 units of t move, cost 2. One more ha in a keeps half a unit of t there: shadow price 0.5."""
    cities = two_cities()
    cities["cities"][0]["capacity"] = {"land": 10}
    segments = [
        segment("s", 6, transport_cost=T, markets={"a": 1}, resource_use={"land": 1}),
        segment("t", 4, transport_cost=T, markets={"a": 1}, resource_use={"land": 2}),
    ]
    run = solve(instance(segments=segments, **cities))
    assert run.result.objective == pytest.approx(2)
    assert output_of(run, "s", "a") == pytest.approx(6)
    assert output_of(run, "t", "a") == pytest.approx(2)
    row = run.solution.cities.set_index("city").loc["a"]
    assert row.use_land == pytest.approx(10) and row.capacity_land == 10
    prices = run.solution.shadow_prices.set_index(["city", "resource"])
    assert prices.loc[("a", "land"), "shadow_price"] == pytest.approx(0.5)


def test_capacity_of_each_resource():
    """a holds 100 ha but may emit 4; s (10 units, 1 ha and 1 t a unit) is sold in a: emissions
    bind, 6 units are made in b and shipped (100 km at 0.01): cost 6. One more t in a keeps one
    more unit there: emissions' price 1, land's 0."""
    cities = two_cities()
    cities["cities"][0]["capacity"] = {"land": 100, "emissions": 4}
    seg = segment(
        "s", 10, transport_cost=T, markets={"a": 1}, resource_use={"land": 1, "emissions": 1}
    )
    run = solve(instance(segments=[seg], **cities))
    assert run.result.objective == pytest.approx(6)
    assert output_of(run, "s", "a") == pytest.approx(4)
    prices = run.solution.shadow_prices.set_index(["city", "resource"]).shadow_price
    assert prices[("a", "emissions")] == pytest.approx(1)
    assert prices[("a", "land")] == pytest.approx(0)


def test_capacity_price_beside_a_one_host_supplier():
    """a holds 15 ha, b 100. s (10 units, min_scale 10: one host; setup 50 in b, free in a) feeds
    j (10 units, one unit of s each, sold half in a, half in b, shipped free); 1 ha a unit each.
    s in a leaves 5 ha for j there: j makes 5 in b, which gets 5 units of s, cost 5. One more ha
    in a keeps one more unit of j there: cost 4, shadow price 1. (In the default formulation the
    transport floor of s, computed from a's 15 ha, must not take this price from the capacity.)"""
    cities = two_cities()
    cities["cities"][0]["capacity"] = {"land": 15}
    cities["cities"][1]["capacity"] = {"land": 100}
    segments = [
        segment(
            "s",
            10,
            min_scale=10,
            setup_cost_by_city={"b": 50},
            transport_cost=T,
            resource_use={"land": 1},
        ),
        segment("j", 10, inputs={"s": 1}, markets={"a": 0.5, "b": 0.5}, resource_use={"land": 1}),
    ]
    run = solve(instance(segments=segments, **cities))
    assert run.result.objective == pytest.approx(5)
    assert output_of(run, "s", "a") == pytest.approx(10)
    prices = run.solution.shadow_prices.set_index(["city", "resource"])
    assert prices.loc[("a", "land"), "shadow_price"] == pytest.approx(1)


@pytest.mark.parametrize(("penalty", "expected", "hosts"), [(3, 3, 2), (6, 5, 1)])
def test_duplication(penalty, expected, hosts):
    """Markets half in a, half in b. One host ships 5 units: 5. Two hosts exceed max_hosts 1 and
    pay the penalty instead."""
    seg = segment(
        "s",
        10,
        transport_cost=T,
        markets={"a": 0.5, "b": 0.5},
        max_hosts=1,
        duplication_penalty=penalty,
    )
    run = solve(instance(segments=[seg], **two_cities()))
    assert run.result.objective == pytest.approx(expected)
    assert len(run.solution.hosts["s"]) == hosts
    assert run.solution.terms["duplication"] == pytest.approx(penalty if hosts == 2 else 0)


def test_relocation():
    """All 10 made in b today, sold in a. Staying: transport 10. Moving k units to a costs setup
    2 + 0.5 k relocation + (10 - k) transport = 12 - 0.5 k, least at k = 10: 7."""
    seg = segment("s", 10, transport_cost=T, markets={"a": 1}, setup_cost=2, existing={"b": 10})
    doc = instance(segments=[seg], defaults={"relocation_cost": 0.5}, **two_cities())
    run = solve(doc)
    assert run.result.objective == pytest.approx(7)
    assert run.solution.terms["relocation"] == pytest.approx(5)
    assert output_of(run, "s", "a") == pytest.approx(10)


def test_an_existing_site_left_empty_is_not_a_host():
    """5 made in b today (relocation free), sold in a. Making all 10 in a costs setup 3; in b,
    transport 10: 3. b's host decision then costs nothing either way, so the solver may leave it
    at 1 with no output: the plan's hosts are a alone, b is not hosted."""
    seg = segment("s", 10, transport_cost=T, markets={"a": 1}, setup_cost=3, existing={"b": 5})
    run = solve(instance(segments=[seg], **two_cities()))
    assert run.result.objective == pytest.approx(3)
    assert run.solution.hosts == {"s": ["a"]}
    rows = run.solution.assignments.set_index("city")
    assert rows.at["b", "hosted"] == 0 and rows.at["b", "output"] == 0


def test_terms_weighted_zero_still_report_what_the_plan_does():
    """Markets half in a, half in b; 2 units made in a today; max_hosts 1 at penalty 3, and
    relocation (0.5 a unit) and duplication weighted 0. Two hosts (5 each, setup 1 in b; no
    transport) cost 1, less than one host shipping 5 units (5). What the plan does: 1 host beyond
    max_hosts (duplication 3), nothing relocated (a keeps 5 ≥ 2) — although the solver may leave
    the uncosted counts anywhere in their range."""
    seg = segment(
        "s",
        10,
        transport_cost=T,
        markets={"a": 0.5, "b": 0.5},
        setup_cost=1,
        existing={"a": 2},
        max_hosts=1,
        duplication_penalty=3,
    )
    doc = instance(
        segments=[seg],
        defaults={"relocation_cost": 0.5},
        weights={"relocation": 0, "duplication": 0},
        **two_cities(),
    )
    run = solve(doc)
    assert run.result.objective == pytest.approx(1)
    assert run.solution.terms["duplication"] == pytest.approx(3)
    assert run.solution.terms["relocation"] == pytest.approx(0)


def test_relocation_from_city_no_longer_eligible():
    """Output today in b, which is excluded: all 10 are relocated whatever the plan (cost 5)."""
    seg = segment("s", 10, markets={"a": 1}, existing={"b": 10}, excluded_cities=["b"])
    doc = instance(segments=[seg], defaults={"relocation_cost": 0.5}, **two_cities())
    assert solve(doc).result.objective == pytest.approx(5)


def test_every_family_has_a_test():
    """A registered constraint family without its own test here fails."""
    missing = [name for name in CONSTRAINTS if f"test_{name}" not in globals()]
    assert not missing, f"registered without a test: {missing}"
