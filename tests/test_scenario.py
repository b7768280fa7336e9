"""Scenario resolution (SPEC §2): set, scale, wildcards, policies merged over the base."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from models.paths import PathError, apply_scale, apply_set, find
from models.pipeline import solve_scenario
from models.problems import InvalidInstance
from models.scenario import load_document
from tests.tiny import city, instance, segment, two_cities

DOC = {
    "cities": [
        {"id": "a", "capacity": {"land": 10, "emissions": 4}},
        {"id": "b", "capacity": {"land": 6}},
    ],
    "chains": [{"id": "c", "segments": [{"id": "s", "max_hosts": 2}, {"id": "t"}]}],
}


def test_set_by_id_and_create_optional_field():
    doc = {**DOC}
    assert apply_set(doc, "chains.c.segments.s.max_hosts", 1) == ["chains[c].segments[s].max_hosts"]
    assert doc["chains"][0]["segments"][0]["max_hosts"] == 1
    apply_set(doc, "chains.c.segments.t.import_cost", 0.5)
    assert doc["chains"][0]["segments"][1]["import_cost"] == 0.5


def test_wildcard_skips_items_lacking_the_path():
    doc = copy.deepcopy(DOC)
    changed = apply_scale(doc, "cities.*.capacity.emissions", 0.5)
    assert changed == ["cities[a].capacity.emissions"]
    assert doc["cities"][0]["capacity"]["emissions"] == 2
    assert "emissions" not in doc["cities"][1]["capacity"]
    apply_scale(doc, "cities.*.capacity.*", 2)
    assert doc["cities"][1]["capacity"] == {"land": 12}
    assert apply_set(doc, "cities.*.capacity.emissions", 9) == ["cities[a].capacity.emissions"]
    assert "emissions" not in doc["cities"][1]["capacity"], "a city without a cap keeps none"


def test_wildcard_set_skips_optional_fields_left_out():
    """Under a '*', a segment that leaves import_cost out stays not importable (SPEC §2: items
    that lack the rest of the path are skipped); naming the segment gives it one, also where a
    '*' picks its chain."""
    segs = [segment("s", 10, markets={"a": 1}, import_cost=1), segment("t", 10, markets={"a": 1})]
    doc = instance(segments=segs, **two_cities())
    doc["scenarios"] = [
        {"id": "all", "set": {"chains.*.segments.*.import_cost": 0.05}},
        {"id": "named", "set": {"chains.chain.segments.t.import_cost": 0.05}},
        {"id": "named_under_a_star", "set": {"chains.*.segments.t.import_cost": 0.05}},
    ]
    loaded = load_document(doc).scenarios
    assert loaded["all"].importable == ("s",)
    assert loaded["all"].segment["s"].import_cost == 0.05
    assert loaded["named"].importable == ("s", "t")
    assert loaded["named_under_a_star"].importable == ("s", "t")
    doc["scenarios"] = [{"id": "none", "set": {"chains.*.segments.*.max_hosts": 1}}]
    with pytest.raises(InvalidInstance) as err:
        load_document(doc)
    assert (
        "path 'chains.*.segments.*.max_hosts' matches no value to set: under a '*', items that "
        "leave the field out are skipped — name the item instead of the '*' to give it the field"
    ) in err.value.report()


def test_set_replaces_values_not_items():
    doc = copy.deepcopy(DOC)
    with pytest.raises(PathError, match=r"points at an item \(chains\[c\]\.segments\[s\]\)"):
        apply_set(doc, "chains.*.segments.*", 5)
    assert doc == DOC, "nothing changed"
    apply_set(doc, "cities.a.capacity", {"land": 1})
    assert doc["cities"][0]["capacity"] == {"land": 1}


@pytest.mark.parametrize(
    "path",
    [
        "cities.x.capacity.land",
        "chains.*.segments.*.nothing.x",
        "cities..land",
        "cities.*.capacity.water",
    ],
)
def test_path_matching_nothing_is_an_error(path):
    with pytest.raises(PathError, match=r"matches nothing|malformed"):
        find(DOC, path)


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        ("cities.*.capacity.lnd", "no 'lnd' under cities.*.capacity (did you mean 'land'?)"),
        ("cities.bb.capacity.land", "no 'bb' under cities (did you mean 'b'?)"),
        ("cities.zz.capacity.land", "no 'zz' under cities"),
        ("chains.c.segments.s.max_host", "(did you mean 'max_hosts'?)"),
    ],
)
def test_a_misspelt_path_part_gets_the_nearest_key_or_id(path, hint):
    with pytest.raises(PathError) as err:
        find(DOC, path)
    assert str(err.value).endswith(hint)


def test_scenario_set_scale_and_policies():
    seg = segment("s", 10, markets={"a": 1}, resource_use={"land": 1})
    doc = instance(segments=[seg], **two_cities())
    doc["cities"][0]["capacity"] = {"land": 20}
    doc["policies"] = {"single_host": True}
    doc["scenarios"] = [
        {"id": "base"},
        {
            "id": "changed",
            "scale": {"cities.*.capacity.land": 0.5},
            "set": {"chains.chain.segments.s.max_hosts": 1},
            "policies": {"single_host": None, "area_cap": {"land": 50}},
        },
    ]
    loaded = load_document(doc)
    base, changed = loaded.scenarios["base"], loaded.scenarios["changed"]
    assert base.capacity[("a", "land")] == 20 and changed.capacity[("a", "land")] == 10
    assert changed.segment["s"].max_hosts == 1 and base.segment["s"].max_hosts is None
    assert set(base.policies) == {"single_host"}
    assert set(changed.policies) == {"area_cap"}


def test_a_base_policy_switched_off_is_not_checked_in_that_scenario():
    """balance needs every city's population; a scenario that removes b's population and
    switches balance off is valid, one that keeps balance on is not."""
    seg = segment("s", 10, markets={"a": 1})
    doc = instance(segments=[seg], **two_cities())
    doc["policies"] = {"balance": {"min_ratio": 0.5, "roles": ["periphery"]}}
    no_population = {"cities.b.population": None}
    doc["scenarios"] = [{"id": "off", "set": no_population, "policies": {"balance": None}}]
    assert set(load_document(doc).scenarios["off"].policies) == set()
    doc["scenarios"] = [{"id": "on", "set": no_population}]
    with pytest.raises(InvalidInstance) as err:
        load_document(doc)
    assert "scenarios[on] gives policies.balance" in err.value.report()
    assert "b has no population" in err.value.report()


def test_scaling_a_count_keeps_it_whole_or_names_it():
    seg = segment("s", 10, max_hosts=2)
    doc = instance(segments=[seg], **two_cities())
    path = "chains.chain.segments.s.max_hosts"
    doc["scenarios"] = [{"id": "twice", "scale": {path: 2}}]
    assert load_document(doc).scenarios["twice"].segment["s"].max_hosts == 4
    doc["scenarios"] = [{"id": "half", "scale": {path: 0.25}}]
    with pytest.raises(InvalidInstance) as err:
        load_document(doc)
    assert "scenarios[half]" in err.value.report() and "0.5" in err.value.report()


def test_scenario_path_error_names_the_scenario():
    doc = instance(
        segments=[segment("s", 10)],
        cities=[city("a")],
        scenarios=[{"id": "bad", "set": {"chains.chain.segments.zz.output": 3}}],
    )
    with pytest.raises(InvalidInstance) as err:
        load_document(doc)
    assert "scenarios[bad].set" in err.value.report()
    assert "zz" in err.value.report()


def test_scenario_value_that_breaks_the_schema_is_reported():
    doc = instance(
        segments=[segment("s", 10)],
        cities=[city("a")],
        scenarios=[{"id": "bad", "set": {"chains.chain.segments.s.min_scale": 50}}],
    )
    with pytest.raises(InvalidInstance) as err:
        load_document(doc)
    assert "min_scale 50 exceeds planned output 10" in err.value.report()


def test_derived_distances_from_coordinates_and_directed_overrides():
    cities = [city("a", lat=32.0608, lon=118.7789), city("b", lat=32.188, lon=119.424), city("c")]
    doc = instance(
        segments=[segment("s", 1)],
        cities=cities,
        transport={
            "detour_factor": 1.25,
            "directed": True,
            "distances": [{"from": "a", "to": "c", "km": 7}],
        },
    )
    data = load_document(doc).scenarios["base"]
    # great circle Nanjing–Zhenjiang ≈ 62 km (haversine on the two coordinates), x 1.25
    assert data.distance["a", "b"] == pytest.approx(62 * 1.25, rel=0.02)
    assert data.distance["a", "b"] == data.distance["b", "a"]
    assert data.distance["a", "c"] == 7
    assert ("c", "a") not in data.distance  # directed, and c has no coordinates
    assert data.markets["s"] == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})


def test_scenario_may_drop_a_segment_by_scaling_its_output_to_zero():
    """tiny.json without assembly: the 6 parts (existing in east, no setup) become final sales by
    population — 3 to hub at 50 km x 0.02 = 3, 1.5 to west at 100 km x 0.02 = 3, 1.5 stay in
    east. Objective 6; assembly has no host and is not reported as imported."""
    doc = json.loads((Path(__file__).parents[1] / "instances" / "tiny.json").read_text("utf-8"))
    doc["scenarios"] = [{"id": "no_assembly", "scale": {"chains.kit.segments.assembly.output": 0}}]
    run = solve_scenario(load_document(doc).scenarios["no_assembly"])
    assert run.result.objective == pytest.approx(6.0)
    assert run.solution.hosts["assembly"] == [] and "assembly" not in run.solution.imports
    assert run.solution.hosts["parts"] == ["east"]
