"""Seeded synthetic metropolitan areas (SPEC §2 instances) for scaling benchmarks.

Structure follows a real area: one core city and periphery cities of unequal size (lognormal
populations, GDP roughly proportional) within about 150 km; industry chains whose segments are
linked stage by stage (rd → materials → components → assembly → services); R&D only in cities
with a university; land, labour, energy and emission capacities sized so that area-wide
utilisation is about `tightness`. Capacities are built around a feasible plan (the *witness*),
so every generated instance is feasible, and the plan is checked before the instance is returned.

    python -m benchmarks.generate --cities 10 --chains 4 --segments-per-chain 5 --seed 1 -o out.json

The same arguments give the same instance, byte for byte.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.convert import format_json, write_json

STAGES = ("rd", "materials", "components", "assembly", "services")
SHORT_CHAINS = {1: ("assembly",), 2: ("components", "assembly"), 3: STAGES[1:4], 4: STAGES[:4]}
"""Stages of a chain with fewer segments than stages."""
CORE_LAT, CORE_LON = 32.0, 118.8
"""Coordinates of the core city (any point works; distances are what matter)."""
KM_PER_DEGREE = 111.2
RESOURCES = (
    {"id": "land", "name": "Industrial land", "unit": "ha"},
    {"id": "labour", "name": "Workforce", "unit": "万人"},
    {"id": "energy", "name": "Energy use", "unit": "万 tce"},
    {"id": "emissions", "name": "CO2 emissions", "unit": "万 t"},
)
CHAIN_NAMES = (
    ("新能源汽车", "New-energy vehicles"),
    ("集成电路", "Integrated circuits"),
    ("生物医药", "Biomedicine"),
    ("高端装备", "High-end equipment"),
    ("新材料", "Advanced materials"),
    ("光伏", "Photovoltaics"),
    ("智能家电", "Smart appliances"),
    ("航空航天", "Aerospace"),
    ("纺织服装", "Textiles and apparel"),
    ("绿色食品", "Food processing"),
)
STAGE_NAMES = {
    "rd": "研发",
    "materials": "材料",
    "components": "零部件",
    "assembly": "整机总装",
    "services": "服务",
}


@dataclass(frozen=True)
class StageProfile:
    """Ranges (low, high) of a stage's per-unit coefficients; output is in 亿元."""

    value_added_rate: tuple[float, float]
    land: tuple[float, float]
    """ha per 亿元."""
    labour: tuple[float, float]
    """万人 per 亿元."""
    energy: tuple[float, float]
    """万 tce per 亿元; emissions are 2.0-2.6 万 t CO2 per 万 tce."""
    transport_cost: tuple[float, float]
    """亿元 per 亿元 shipped per km."""


PROFILES = {
    "rd": StageProfile((0.45, 0.65), (0.02, 0.06), (0.010, 0.020), (0.005, 0.02), (5e-5, 1e-4)),
    "materials": StageProfile((0.12, 0.20), (0.4, 0.9), (0.002, 0.005), (0.3, 0.8), (4e-4, 8e-4)),
    "components": StageProfile((0.18, 0.26), (0.2, 0.5), (0.004, 0.008), (0.08, 0.2), (3e-4, 6e-4)),
    "assembly": StageProfile((0.12, 0.20), (0.2, 0.5), (0.005, 0.010), (0.04, 0.1), (2e-4, 5e-4)),
    "services": StageProfile(
        (0.35, 0.50), (0.02, 0.06), (0.010, 0.020), (0.005, 0.02), (1e-4, 2e-4)
    ),
}


def _sig(x: float, digits: int = 4) -> float:
    """x rounded to `digits` significant digits (stable text in the JSON)."""
    return float(f"{x:.{digits}g}")


def _ceil(x: float, decimals: int) -> float:
    """x rounded up to `decimals` decimals."""
    scale = 10**decimals
    return math.ceil(x * scale - 1e-9) / scale


def _uniform(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return float(rng.uniform(*bounds))


# ---------------------------------------------------------------- cities


def make_cities(rng: np.random.Generator, n: int) -> list[dict]:
    """The core city first, then periphery cities by falling population (万人), GDP (亿元) about
    proportional, coordinates 25-150 km from the core; the core and the largest ~15 % of the
    periphery carry the tag ``university``."""
    core_pop = float(np.clip(rng.lognormal(math.log(900), 0.3), 400, 2000))
    core = {
        "id": "core",
        "name": "核心市",
        "name_en": "Core City",
        "role": "core",
        "lat": CORE_LAT,
        "lon": CORE_LON,
        "population": round(core_pop, 1),
        "gdp": round(core_pop * rng.uniform(15, 20), 0),
        "tags": ["university"],
    }
    pops = np.sort(np.clip(rng.lognormal(math.log(180), 0.6, n - 1), 20, 0.8 * core_pop))[::-1]
    universities = max(1, round(0.15 * (n - 1))) if n > 2 else n - 1
    width = max(2, len(str(n - 1)))
    periphery = []
    for k, pop in enumerate(pops):
        radius = 150 * math.sqrt(rng.uniform(0.03, 1.0))
        angle = rng.uniform(0, 2 * math.pi)
        city = {
            "id": f"city{k + 1:0{width}d}",
            "name": f"{k + 1}号市",
            "name_en": f"City {k + 1}",
            "role": "periphery",
            "lat": round(CORE_LAT + radius * math.cos(angle) / KM_PER_DEGREE, 4),
            "lon": round(
                CORE_LON
                + radius * math.sin(angle) / (KM_PER_DEGREE * math.cos(math.radians(CORE_LAT))),
                4,
            ),
            "population": round(float(pop), 1),
            "gdp": round(float(pop) * rng.uniform(7, 14), 0),
        }
        if k < universities:
            city["tags"] = ["university"]
        periphery.append(city)
    return [core, *periphery]


# ---------------------------------------------------------------- chains


def stage_sequence(n_segments: int) -> list[str]:
    """Stages of a chain's segments in order; with five or more segments every stage occurs."""
    if n_segments in SHORT_CHAINS:
        return list(SHORT_CHAINS[n_segments])
    return [STAGES[p * len(STAGES) // n_segments] for p in range(n_segments)]


def _chain_identity(k: int, n_chains: int) -> tuple[str, str, str]:
    """Id, Chinese and English name of chain k (names repeat, numbered, after the first ten)."""
    zh, en = CHAIN_NAMES[k % len(CHAIN_NAMES)]
    suffix = f" {k // len(CHAIN_NAMES) + 1}" if k >= len(CHAIN_NAMES) else ""
    return f"chain{k + 1:0{max(2, len(str(n_chains)))}d}", zh + suffix, en + suffix


def _segment_labels(stages: list[str]) -> list[tuple[str, str]]:
    """(id suffix, name suffix) per segment: the stage, numbered where it has several segments."""
    labels = []
    for p, stage in enumerate(stages):
        number = "" if stages.count(stage) == 1 else str(stages[:p].count(stage) + 1)
        labels.append((f"{stage}{number}", f"{STAGE_NAMES[stage]}{number}"))
    return labels


def _suppliers(rng: np.random.Generator, stages: list[str]) -> dict[int, list[int]]:
    """For each segment position, the positions of its suppliers in the previous stage group.

    The upstream segments are dealt round-robin (in random order) over the downstream ones, so
    every upstream segment has a user; a downstream segment left without a supplier gets a random
    one, and one with a single supplier gets a second one with probability 0.3. Stage groups
    differ in size by at most one, so nobody has more than two suppliers.
    """
    groups: list[list[int]] = []
    for p, stage in enumerate(stages):
        if p and stages[p - 1] == stage:
            groups[-1].append(p)
        else:
            groups.append([p])
    suppliers: dict[int, list[int]] = {p: [] for p in range(len(stages))}
    for upstream, downstream in itertools.pairwise(groups):
        for k, u in enumerate(rng.permutation(len(upstream))):
            suppliers[downstream[k % len(downstream)]].append(upstream[int(u)])
        for p in downstream:
            others = [u for u in upstream if u not in suppliers[p]]
            if not suppliers[p] or (len(suppliers[p]) == 1 and others and rng.uniform() < 0.3):
                suppliers[p].append(int(rng.choice(others)))
            suppliers[p].sort()
    return suppliers


def make_chain(rng: np.random.Generator, k: int, n_chains: int, n_segments: int) -> dict:
    """One chain: stages, input coefficients and outputs, with every Fin_s ≥ 10 % of Q_s.

    Each input coefficient a_ts (t in the previous stage) is 0.3-0.8; a segment with two
    suppliers takes 0.3-0.4 from each, so its inputs never exceed 0.8 per unit. Outputs are set
    downstream first: final segments draw an output, each supplier produces its intermediate use
    plus 10-40 % final sales, rounded up to 0.1.
    """
    chain_id, name_zh, name_en = _chain_identity(k, n_chains)
    stages = stage_sequence(n_segments)
    labels = _segment_labels(stages)
    ids = [f"{chain_id}_{label}" for label, _ in labels]
    suppliers = _suppliers(rng, stages)
    inputs = {p: {} for p in range(n_segments)}
    for p, ups in suppliers.items():
        high = max(0.3, 0.8 / max(1, len(ups)))
        inputs[p] = {ids[u]: round(rng.uniform(0.3, high), 3) for u in ups}
    chain_scale = rng.lognormal(math.log(500), 0.5)
    output: dict[int, float] = {}
    for p in reversed(range(n_segments)):
        used = sum(inputs[d].get(ids[p], 0.0) * output[d] for d in output)
        if used > 0:
            output[p] = _ceil(used / (1 - rng.uniform(0.1, 0.4)), 1)
        else:
            output[p] = round(float(chain_scale * rng.lognormal(0, 0.3)), 1)
    segments = [
        _segment(rng, ids[p], f"{name_zh}·{labels[p][1]}", stages[p])
        | {"output": output[p], "inputs": inputs[p]}
        for p in range(n_segments)
    ]
    return {"id": chain_id, "name": f"{name_zh} ({name_en})", "segments": segments}


def _segment(rng: np.random.Generator, seg_id: str, name: str, stage: str) -> dict:
    """Per-unit coefficients of a segment from its stage profile (output filled in later)."""
    prof = PROFILES[stage]
    energy = _uniform(rng, prof.energy)
    return {
        "id": seg_id,
        "name": name,
        "stage": stage,
        "value_added_rate": round(_uniform(rng, prof.value_added_rate), 3),
        "resource_use": {
            "land": _sig(_uniform(rng, prof.land)),
            "labour": _sig(_uniform(rng, prof.labour)),
            "energy": _sig(energy),
            "emissions": _sig(energy * rng.uniform(2.0, 2.6)),
        },
        "transport_cost": _sig(_uniform(rng, prof.transport_cost), 2),
    }


SEGMENT_KEYS = (
    "id",
    "name",
    "stage",
    "output",
    "inputs",
    "value_added_rate",
    "resource_use",
    "transport_cost",
    "setup_cost",
    "setup_cost_by_city",
    "min_scale",
    "max_hosts",
    "duplication_penalty",
    "eligible_cities",
    "excluded_cities",
    "requires_tags",
    "existing",
)
CITY_KEYS = ("id", "name", "name_en", "role", "lat", "lon", "population", "gdp", "capacity", "tags")


def _order(item: dict, keys: tuple[str, ...]) -> dict:
    """Keys in the order of SPEC §2 (so the JSON reads like a hand-written instance); empty
    inputs are left out."""
    return {key: item[key] for key in keys if key in item and item[key] != {}}


# ---------------------------------------------------------------- siting


def place_segment(
    rng: np.random.Generator, segment: dict, cities: list[dict], eligibility: float
) -> dict[str, float]:
    """Eligibility, economics, existing output and a witness plan for one segment.

    Sets setup costs (4-10 % of output; 50-80 % of that in 1-2 eligible periphery cities for
    ~30 % of segments), min_scale (10-25 % of output), max_hosts (1-3), a duplication penalty,
    and existing output (~30 % of segments, 1-2 eligible cities, each ≥ min_scale). Returns the
    witness plan {city: output}: the existing cities, or 1-2 eligible cities, each ≥ min_scale.
    """
    q = segment["output"]
    eligible = _set_eligibility(rng, segment, cities, eligibility)
    setup = round(q * rng.uniform(0.04, 0.10), 1)
    segment["setup_cost"] = setup
    periphery = [c for c in eligible if c != "core"]
    if periphery and rng.uniform() < 0.3:
        chosen = rng.choice(
            periphery, size=min(len(periphery), int(rng.integers(1, 3))), replace=False
        )
        segment["setup_cost_by_city"] = {
            str(c): round(setup * rng.uniform(0.5, 0.8), 1)
            for c in sorted(chosen, key=eligible.index)
        }
    segment["min_scale"] = round(q * rng.uniform(0.10, 0.25), 1)
    segment["max_hosts"] = int(rng.integers(1, 4))
    segment["duplication_penalty"] = round(setup * rng.uniform(0.5, 1.0), 1)
    weights = np.array([_population(cities, c) for c in eligible]) ** 0.5
    hosts = _pick(rng, eligible, weights, 2 if len(eligible) > 1 and rng.uniform() < 0.5 else 1)
    if rng.uniform() < 0.3:
        existing = _existing(rng, q, segment["min_scale"], hosts)
        segment["existing"] = existing
        return {c: q * e / sum(existing.values()) for c, e in existing.items()}
    if len(hosts) == 1:
        return {hosts[0]: q}
    share = rng.uniform(0.3, 0.7)
    return {hosts[0]: q * share, hosts[1]: q * (1 - share)}


def _population(cities: list[dict], city_id: str) -> float:
    return next(c["population"] for c in cities if c["id"] == city_id)


def _pick(rng: np.random.Generator, ids: list[str], weights: np.ndarray, k: int) -> list[str]:
    """k distinct ids drawn with probability proportional to weights, in the order of `ids`."""
    chosen = rng.choice(len(ids), size=k, replace=False, p=weights / weights.sum())
    return [ids[i] for i in sorted(int(i) for i in chosen)]


def _existing(rng: np.random.Generator, q: float, min_scale: float, hosts: list[str]) -> dict:
    """Output today in the host cities: 40-90 % of Q in all, each city at least min_scale."""
    total = q * rng.uniform(0.4, 0.9)
    first = 1.0 if len(hosts) == 1 else rng.uniform(0.35, 0.65)
    split = [first, 1.0 - first][: len(hosts)]
    return {c: max(min_scale, round(total * s, 1)) for c, s in zip(hosts, split, strict=True)}


def _set_eligibility(
    rng: np.random.Generator, segment: dict, cities: list[dict], eligibility: float
) -> list[str]:
    """Write eligible_cities / excluded_cities / requires_tags and return the eligible city ids.

    eligibility = 1: every city, no field at all. Otherwise R&D requires the tag ``university``;
    other segments get max(1, round(eligibility x cities)) random cities, written as an
    exclusion list when that is the shorter one.
    """
    ids = [c["id"] for c in cities]
    if eligibility >= 1.0:
        return ids
    if segment["stage"] == "rd":
        segment["requires_tags"] = ["university"]
        return [c["id"] for c in cities if "university" in c.get("tags", [])]
    k = max(1, round(eligibility * len(ids)))
    if k >= len(ids):
        return ids
    chosen = sorted(int(i) for i in rng.choice(len(ids), size=k, replace=False))
    eligible = [ids[i] for i in chosen]
    if k > len(ids) / 2:
        segment["excluded_cities"] = [c for c in ids if c not in eligible]
    else:
        segment["eligible_cities"] = eligible
    return eligible


# ---------------------------------------------------------------- capacities


def set_capacities(
    rng: np.random.Generator,
    cities: list[dict],
    segments: list[dict],
    plan: dict[str, dict[str, float]],
    tightness: float,
) -> None:
    """City capacities with area-wide utilisation ≈ tightness, never below the witness plan.

    For each resource r, total use U_r = Σ_s u_sr Q_s; capacities K_cr = max(W_cr, λ_r w_cr)
    with W_cr the witness plan's use in city c and w_cr a size-based share (land favours the
    periphery, labour follows population, energy and emissions GDP), λ_r chosen so that
    Σ_c K_cr = U_r / tightness; rounded up to 0.01.
    """
    witness = {
        c["id"]: dict.fromkeys(("land", "labour", "energy", "emissions"), 0.0) for c in cities
    }
    for seg in segments:
        for city, x in plan[seg["id"]].items():
            for r, u in seg["resource_use"].items():
                witness[city][r] += u * x
    pop = np.array([c["population"] for c in cities])
    gdp = np.array([c["gdp"] for c in cities])
    periphery = np.array([0.6 if c["role"] == "core" else 1.0 for c in cities])
    shares = {
        "land": pop**0.6 * periphery * rng.lognormal(0, 0.25, len(cities)),
        "labour": pop * rng.lognormal(0, 0.1, len(cities)),
        "energy": gdp**0.8 * rng.lognormal(0, 0.2, len(cities)),
        "emissions": gdp**0.8 * periphery * rng.lognormal(0, 0.3, len(cities)),
    }
    for r, weight in shares.items():
        floor = np.array([witness[c["id"]][r] * (1 + 1e-9) for c in cities])
        scale = _fill_factor(floor, weight, floor.sum() / tightness)
        for city, k in zip(cities, np.maximum(floor, scale * weight), strict=True):
            city.setdefault("capacity", {})[r] = _ceil(float(k), 2)


def _fill_factor(floor: np.ndarray, weight: np.ndarray, target: float) -> float:
    """λ ≥ 0 with Σ_c max(floor_c, λ weight_c) = target (0 when the floors already reach it)."""
    if floor.sum() >= target:
        return 0.0
    low, high = 0.0, target / weight.sum()
    for _ in range(100):
        mid = (low + high) / 2
        low, high = (mid, high) if np.maximum(floor, mid * weight).sum() < target else (low, mid)
    return high


# ---------------------------------------------------------------- checks


def segment_eligible_cities(segment: dict, cities: list[dict]) -> list[str]:
    """eligible(s, c) of SPEC §2: in eligible_cities if given, not excluded, has required tags."""
    allowed = segment.get("eligible_cities")
    return [
        c["id"]
        for c in cities
        if (allowed is None or c["id"] in allowed)
        and c["id"] not in segment.get("excluded_cities", [])
        and set(segment.get("requires_tags", [])) <= set(c.get("tags", []))
    ]


def plan_problems(instance: dict, plan: dict[str, dict[str, float]]) -> list[str]:
    """Why `plan` ({segment: {city: output}}) is not a feasible production plan, if it is not:
    outputs sum to Q_s, every host is eligible and produces at least min_scale, and every city's
    capacity holds (SPEC §3 output, host_link, capacity). Empty list: feasible."""
    problems = []
    cities = instance["cities"]
    use: dict[tuple[str, str], float] = {}
    for chain in instance["chains"]:
        for seg in chain["segments"]:
            x = plan.get(seg["id"], {})
            if not math.isclose(sum(x.values()), seg["output"], rel_tol=1e-9):
                problems.append(
                    f"{seg['id']}: plan makes {sum(x.values()):g}, not {seg['output']:g}"
                )
            eligible = segment_eligible_cities(seg, cities)
            for city, amount in x.items():
                if city not in eligible or amount < seg.get("min_scale", 0.0) - 1e-9:
                    problems.append(f"{seg['id']}: {amount:g} in {city} (eligible, min_scale?)")
                for r, u in seg.get("resource_use", {}).items():
                    use[city, r] = use.get((city, r), 0.0) + u * amount
    for city in cities:
        for r, k in city.get("capacity", {}).items():
            if use.get((city["id"], r), 0.0) > k:
                problems.append(
                    f"{city['id']}: plan uses {use[city['id'], r]:g} {r}, capacity {k:g}"
                )
    return problems


def utilisation(instance: dict) -> dict[str, float]:
    """Area-wide utilisation per resource: Σ_s u_sr Q_s / Σ_c K_cr."""
    used: dict[str, float] = {}
    for chain in instance["chains"]:
        for seg in chain["segments"]:
            for r, u in seg.get("resource_use", {}).items():
                used[r] = used.get(r, 0.0) + u * seg["output"]
    return {
        r: total / sum(c.get("capacity", {}).get(r, 0.0) for c in instance["cities"])
        for r, total in used.items()
    }


# ---------------------------------------------------------------- assembly


def generate_with_plan(
    cities: int,
    chains: int,
    segments_per_chain: int,
    eligibility: float = 0.4,
    tightness: float = 0.7,
    seed: int = 0,
) -> tuple[dict, dict[str, dict[str, float]]]:
    """A synthetic instance and the feasible witness plan {segment: {city: output}} it was built
    around (see `generate`). Raises RuntimeError if the plan does not check out."""
    _check_arguments(cities, chains, segments_per_chain, eligibility, tightness)
    rng = np.random.default_rng(seed)
    city_list = make_cities(rng, cities)
    chain_list = [make_chain(rng, k, chains, segments_per_chain) for k in range(chains)]
    segments = [seg for chain in chain_list for seg in chain["segments"]]
    plan = {seg["id"]: place_segment(rng, seg, city_list, eligibility) for seg in segments}
    for chain in chain_list:
        chain["segments"] = [_order(seg, SEGMENT_KEYS) for seg in chain["segments"]]
    set_capacities(rng, city_list, segments, plan, tightness)
    city_list = [_order(city, CITY_KEYS) for city in city_list]
    instance = {
        "schema_version": 1,
        "name": f"synthetic_c{cities}_k{chains}x{segments_per_chain}_s{seed}",
        "name_local": "合成都市圈",
        "description": (
            f"Synthetic metropolitan area: {cities} cities, {chains} chains x "
            f"{segments_per_chain} segments, eligibility {eligibility:g}, tightness "
            f"{tightness:g}, seed {seed}. Feasible by construction."
        ),
        "sources": [
            f"benchmarks.generate(cities={cities}, chains={chains}, "
            f"segments_per_chain={segments_per_chain}, eligibility={eligibility!r}, "
            f"tightness={tightness!r}, seed={seed})"
        ],
        "units": {"money": "亿元", "output": "亿元 gross output", "distance": "km"},
        "resources": [dict(r) for r in RESOURCES],
        "cities": city_list,
        "transport": {"detour_factor": 1.25, "speed_kmh": 60, "gateway": "core"},
        "chains": chain_list,
        "defaults": {"duplication_penalty": 10.0, "relocation_cost": 0.05},
    }
    problems = plan_problems(instance, plan)
    if problems:
        raise RuntimeError("generated instance fails its own witness plan: " + "; ".join(problems))
    return instance, plan


def generate(
    cities: int,
    chains: int,
    segments_per_chain: int,
    eligibility: float = 0.4,
    tightness: float = 0.7,
    seed: int = 0,
) -> dict:
    """A seeded synthetic metropolitan area as an instance dict (schema_version 1).

    `eligibility` is the share of cities eligible for each non-R&D segment (at least one;
    1.0: every city may host every segment, with no eligibility fields at all); `tightness` the
    area-wide utilisation of each resource (0 < tightness ≤ 1). The instance is feasible: its
    capacities are built around a checked production plan.
    """
    return generate_with_plan(cities, chains, segments_per_chain, eligibility, tightness, seed)[0]


def _check_arguments(
    cities: int, chains: int, segments_per_chain: int, eligibility: float, tightness: float
) -> None:
    if cities < 1 or chains < 1 or segments_per_chain < 1:
        raise ValueError("cities, chains and segments_per_chain must be at least 1")
    if not 0 < eligibility <= 1:
        raise ValueError(f"eligibility must be in (0, 1], got {eligibility}")
    if not 0 < tightness <= 1:
        raise ValueError(f"tightness must be in (0, 1], got {tightness}")


def main(argv: list[str] | None = None) -> int:
    """Command line: write one synthetic instance."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--cities", type=int, default=10)
    parser.add_argument("--chains", type=int, default=4)
    parser.add_argument("--segments-per-chain", type=int, default=5)
    parser.add_argument("--eligibility", type=float, default=0.4, help="share of eligible cities")
    parser.add_argument("--tightness", type=float, default=0.7, help="area-wide utilisation")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--out", type=Path, help="output JSON (default: stdout)")
    args = parser.parse_args(argv)
    try:
        instance = generate(
            args.cities,
            args.chains,
            args.segments_per_chain,
            args.eligibility,
            args.tightness,
            args.seed,
        )
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.out is None:
        print(format_json(instance))
    else:
        write_json(instance, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
