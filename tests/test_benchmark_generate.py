"""Synthetic metropolitan areas (benchmarks/generate.py): determinism, structure, feasibility."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np
import pytest

from benchmarks.generate import (
    STAGES,
    _fill_factor,
    generate,
    generate_with_plan,
    main,
    plan_problems,
    segment_eligible_cities,
    stage_sequence,
    utilisation,
)


def _segments(instance: dict) -> list[dict]:
    return [s for chain in instance["chains"] for s in chain["segments"]]


def _km(a: dict, b: dict) -> float:
    phi1, phi2 = math.radians(a["lat"]), math.radians(b["lat"])
    h = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(b["lon"] - a["lon"]) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def medium() -> tuple[dict, dict]:
    return generate_with_plan(20, 5, 5, eligibility=0.4, tightness=0.7, seed=3)


# ---------------------------------------------------------------- determinism


def test_same_seed_same_instance_different_seed_different():
    a, b = generate(12, 3, 5, seed=7), generate(12, 3, 5, seed=7)
    assert a == b
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert generate(12, 3, 5, seed=8) != a


def test_cli_output_is_identical_byte_for_byte(tmp_path: Path):
    args = ["--cities", "10", "--chains", "4", "--segments-per-chain", "5", "--eligibility", "1.0"]
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert main([*args, "--seed", "1", "-o", str(first)]) == 0
    assert main([*args, "--seed", "1", "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text()) == generate(10, 4, 5, eligibility=1.0, seed=1)


def test_invalid_arguments_are_rejected():
    with pytest.raises(ValueError, match="tightness"):
        generate(10, 2, 5, tightness=1.5)
    with pytest.raises(ValueError, match="eligibility"):
        generate(10, 2, 5, eligibility=0)
    assert main(["--cities", "0"]) == 2


# ---------------------------------------------------------------- sizes


@pytest.mark.parametrize(("cities", "chains", "per_chain"), [(10, 6, 5), (60, 60, 5), (60, 30, 10)])
def test_sizes_generate_in_seconds(cities: int, chains: int, per_chain: int):
    start = time.perf_counter()
    instance, plan = generate_with_plan(cities, chains, per_chain, seed=1)
    assert time.perf_counter() - start < 5
    assert len(instance["cities"]) == cities
    assert len(_segments(instance)) == chains * per_chain
    assert plan_problems(instance, plan) == []


def test_stage_sequences():
    # Hand check: 7 segments -> stage p·5//7 for p = 0..6 = 0,0,1,2,2,3,4.
    assert stage_sequence(7) == [
        "rd",
        "rd",
        "materials",
        "components",
        "components",
        "assembly",
        "services",
    ]
    assert stage_sequence(5) == list(STAGES)
    assert stage_sequence(1) == ["assembly"]
    assert all(set(stage_sequence(n)) == set(STAGES) for n in range(5, 12))


# ---------------------------------------------------------------- structure


def test_cities_core_and_periphery(medium: tuple[dict, dict]):
    instance, _ = medium
    cities = instance["cities"]
    core = cities[0]
    assert core["role"] == "core" and [c["role"] for c in cities].count("core") == 1
    assert instance["transport"]["gateway"] == core["id"]
    populations = [c["population"] for c in cities[1:]]
    assert populations == sorted(populations, reverse=True)
    assert max(populations) > 2 * min(populations)  # unequal sizes
    assert all(_km(core, c) <= 151 for c in cities[1:])
    for c in cities:
        per_capita = c["gdp"] / c["population"]
        assert 6 <= per_capita <= 21  # 万元 per person: GDP roughly proportional to population
    universities = [c["id"] for c in cities if "university" in c.get("tags", [])]
    assert core["id"] in universities and 1 < len(universities) < len(cities) / 2


def test_chains_link_consecutive_stages(medium: tuple[dict, dict]):
    instance, _ = medium
    for chain in instance["chains"]:
        position = {s["id"]: STAGES.index(s["stage"]) for s in chain["segments"]}
        for seg in chain["segments"]:
            inputs = seg.get("inputs", {})
            assert all(position[t] == position[seg["id"]] - 1 for t in inputs)
            assert all(0.3 <= a <= 0.8 for a in inputs.values())
            assert len(inputs) <= 2 and sum(inputs.values()) <= 0.8
        users = {t for s in chain["segments"] for t in s.get("inputs", {})}
        last = max(position.values())
        assert all(s["id"] in users for s in chain["segments"] if position[s["id"]] < last)


def test_final_sales_nonnegative():
    instance = generate(30, 8, 7, seed=5)
    segments = _segments(instance)
    output = {s["id"]: s["output"] for s in segments}
    for seg in segments:
        used = sum(s.get("inputs", {}).get(seg["id"], 0.0) * output[s["id"]] for s in segments)
        assert seg["output"] - used >= 0.1 * seg["output"] - 1e-9


def test_segment_economics(medium: tuple[dict, dict]):
    instance, _ = medium
    segments = _segments(instance)
    for seg in segments:
        q = seg["output"]
        assert 0.1 * q - 0.05 <= seg["min_scale"] <= 0.25 * q + 0.05
        assert 1 <= seg["max_hosts"] <= 3
        assert seg["setup_cost"] > 0 and seg["transport_cost"] > 0
        assert set(seg["resource_use"]) == {"land", "labour", "energy", "emissions"}
        eligible = segment_eligible_cities(seg, instance["cities"])
        assert set(seg.get("setup_cost_by_city", {})) <= set(eligible)
        existing = seg.get("existing", {})
        assert len(existing) <= 2 and set(existing) <= set(eligible)
        assert all(e >= seg["min_scale"] for e in existing.values())
        assert sum(existing.values()) <= q
    with_existing = sum(1 for s in segments if s.get("existing"))
    assert 0.1 * len(segments) <= with_existing <= 0.5 * len(segments)


# ---------------------------------------------------------------- eligibility


def test_full_eligibility_has_no_restrictions():
    instance = generate(10, 4, 5, eligibility=1.0, seed=1)
    for seg in _segments(instance):
        assert not {"eligible_cities", "excluded_cities", "requires_tags"} & set(seg)


def test_partial_eligibility(medium: tuple[dict, dict]):
    instance, _ = medium
    cities = instance["cities"]
    for seg in _segments(instance):
        eligible = segment_eligible_cities(seg, cities)
        assert eligible
        if seg["stage"] == "rd":
            assert seg["requires_tags"] == ["university"] and "core" in eligible
        else:
            assert len(eligible) == round(0.4 * len(cities))  # 8 of 20


def test_one_eligible_city_at_least():
    instance, plan = generate_with_plan(10, 3, 5, eligibility=0.01, seed=2)
    for seg in _segments(instance):
        assert len(segment_eligible_cities(seg, instance["cities"])) >= 1
    assert plan_problems(instance, plan) == []


# ---------------------------------------------------------------- capacities


def test_fill_factor_hand_check():
    # floors (1, 0), weights (1, 1), target 4: max(1, λ) + λ = 4 -> λ = 2 (λ ≥ 1), capacities (2, 2)
    assert _fill_factor(np.array([1.0, 0.0]), np.array([1.0, 1.0]), 4.0) == pytest.approx(2.0)
    assert _fill_factor(np.array([3.0, 2.0]), np.array([1.0, 1.0]), 4.0) == 0.0


@pytest.mark.parametrize("tightness", [0.5, 0.7, 0.95, 1.0])
def test_capacities_feasible_with_target_utilisation(tightness: float):
    instance, plan = generate_with_plan(15, 4, 6, tightness=tightness, seed=11)
    assert plan_problems(instance, plan) == []
    for resource, value in utilisation(instance).items():
        assert tightness - 0.01 <= value <= tightness + 1e-9, resource


def test_each_segment_fits_in_its_eligible_cities(medium: tuple[dict, dict]):
    instance, _ = medium
    for seg in _segments(instance):
        room = 0.0
        for city in instance["cities"]:
            if city["id"] in segment_eligible_cities(seg, instance["cities"]):
                bound = min(
                    [seg["output"]]
                    + [city["capacity"][r] / u for r, u in seg["resource_use"].items() if u > 0]
                )
                room += bound if bound >= seg["min_scale"] else 0.0
        assert room >= seg["output"]


def test_plan_problems_detects_an_infeasible_plan(medium: tuple[dict, dict]):
    instance, plan = medium
    seg = _segments(instance)[0]
    broken = dict(plan) | {seg["id"]: {c: 2 * x for c, x in plan[seg["id"]].items()}}
    assert any(seg["id"] in p for p in plan_problems(instance, broken))


# ---------------------------------------------------------------- project schema


@pytest.mark.parametrize("eligibility", [0.4, 1.0])
def test_generated_instances_validate(eligibility: float):
    scenario = pytest.importorskip("models.scenario")
    instance = generate(10, 4, 5, eligibility=eligibility, seed=1)
    scenario.load_document(json.loads(json.dumps(instance)))


def test_dense_eligibility_is_written_as_exclusions():
    instance = generate(10, 3, 5, eligibility=0.7, seed=4)
    others = [s for s in _segments(instance) if s["stage"] != "rd"]
    assert all("excluded_cities" in s and "eligible_cities" not in s for s in others)
    assert all(len(segment_eligible_cities(s, instance["cities"])) == 7 for s in others)
