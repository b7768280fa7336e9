"""Derived data of one scenario (SPEC §2 "Derived quantities"), computed once, in one place.

`ScenarioData` holds plain Python containers keyed by ids, ready for the model builder: index sets
are sparse (only eligible segment-city pairs, only routes that exist) so the builder never forms a
dense product.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from models.schema import City, Instance, Scenario, Segment, Weights

EARTH_RADIUS_KM = 6371.0
TOL = 1e-9


@dataclass(frozen=True)
class ScenarioData:
    """Everything the model of one scenario needs, keyed by ids (symbols as in SPEC §3)."""

    scenario: Scenario
    instance: Instance
    policies: dict[str, Any]
    cities: tuple[str, ...]
    segments: tuple[str, ...]
    resources: tuple[str, ...]
    city: dict[str, City]
    segment: dict[str, Segment]
    chain_of: dict[str, str]
    output: dict[str, float]
    """Q_s."""
    uses: dict[str, dict[str, float]]
    """a_sj by upstream s: downstream j -> units of s per unit of j."""
    intermediate: dict[str, float]
    """I_s = Σ_j a_sj Q_j."""
    final_sales: dict[str, float]
    """Fin_s = Q_s − I_s."""
    markets: dict[str, dict[str, float]]
    """μ_sb > 0, only for segments whose goods can reach final markets."""
    eligible: dict[str, tuple[str, ...]]
    """Cities that may host s."""
    upper: dict[tuple[str, str], float]
    """U_sc = min(Q_s, min_r K_cr / u_sr) for eligible (s, c)."""
    setup_cost: dict[tuple[str, str], float]
    """F_sc for eligible (s, c)."""
    existing: dict[tuple[str, str], float]
    """Output today, only where positive."""
    capacity: dict[tuple[str, str], float]
    """K_cr, only where given."""
    use: dict[tuple[str, str], float]
    """u_sr, only where positive."""
    distance: dict[tuple[str, str], float]
    """d_ab for every route a != b."""
    gateway: str
    importable: tuple[str, ...]
    """Segments with an import_cost."""
    penalty: dict[str, float]
    """Duplication penalty per segment."""
    relocation_cost: float
    weights: Weights
    arcs: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """Shipment arcs (a, b) of s: a may supply s, b may need s, a == b or a route exists."""

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Eligible (segment, city) pairs in segment, then city order."""
        return [(s, c) for s in self.segments for c in self.eligible[s]]

    def km(self, a: str, b: str) -> float | None:
        """Distance from a to b, 0 within a city; None where there is no route."""
        return 0.0 if a == b else self.distance.get((a, b))

    def travel_minutes(self, a: str, b: str) -> float | None:
        """Travel time from a to b at the instance speed; None where there is no route."""
        km = self.km(a, b)
        return None if km is None else km / self.instance.transport.speed_kmh * 60.0

    def downstream(self, s: str) -> dict[str, float]:
        return self.uses.get(s, {})

    @cached_property
    def use_of(self) -> dict[str, dict[str, float]]:
        """u_sr by segment: s -> {r: u_sr}, only where positive."""
        by_segment: dict[str, dict[str, float]] = {s: {} for s in self.segments}
        for (s, r), u in self.use.items():
            by_segment[s][r] = u
        return by_segment


AREA = "area"
"""The city of an area-wide cap (area_cap) where tables list caps by city: shadow_prices.csv."""

WORDS = {"notes", "sources", "description", "name", "name_en", "name_local"}
"""Fields that explain an instance without changing any plan of it."""


def _numbers(node: Any) -> Any:
    """A JSON document without the fields that only explain it (WORDS)."""
    if isinstance(node, dict):
        return {k: _numbers(v) for k, v in node.items() if k not in WORDS}
    if isinstance(node, list):
        return [_numbers(v) for v in node]
    return node


def _hash(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprint(data: ScenarioData) -> str:
    """A short hash of the numbers and choices that decide a scenario's plan (its resolved
    instance and policies, without names and notes), to tell results of an edited instance."""
    return _hash(
        {
            "instance": _numbers(data.instance.model_dump(mode="json", by_alias=True)),
            "policies": {k: _numbers(p.model_dump(mode="json")) for k, p in data.policies.items()},
        }
    )


def instance_fingerprint(instance: Instance) -> str:
    """A short hash of the numbers and choices of a whole instance, every scenario included
    (without names and notes), to tell a sweep of an edited instance."""
    return _hash(_numbers(instance.model_dump(mode="json", by_alias=True)))


def haversine_km(a: City, b: City) -> float:
    """Great-circle distance between two cities with coordinates."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlmb = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def road_distances(inst: Instance) -> dict[tuple[str, str], float]:
    """d_ab for a != b: explicit km where listed, else haversine x detour_factor, else no route."""
    t = inst.transport
    explicit: dict[tuple[str, str], float] = {}
    for d in t.distances:
        explicit[(d.from_, d.to)] = d.km
        if not t.directed:
            explicit.setdefault((d.to, d.from_), d.km)
    dist = {}
    cities = inst.cities
    for a in cities:
        for b in cities:
            if a.id == b.id:
                continue
            if (a.id, b.id) in explicit:
                dist[(a.id, b.id)] = explicit[(a.id, b.id)]
            elif None not in (a.lat, a.lon, b.lat, b.lon):
                dist[(a.id, b.id)] = haversine_km(a, b) * t.detour_factor
    return dist


def eligible_cities(seg: Segment, cities: list[City]) -> tuple[str, ...]:
    """eligible(s, c): in eligible_cities if given, not excluded, carries every required tag."""
    allowed = set(seg.eligible_cities) if seg.eligible_cities is not None else None
    return tuple(
        c.id
        for c in cities
        if (allowed is None or c.id in allowed)
        and c.id not in seg.excluded_cities
        and set(seg.requires_tags) <= set(c.tags)
    )


def not_eligible_because(seg: Segment, city: City) -> str:
    """Each rule of eligibility that keeps city from hosting seg, with the field to change."""
    reasons = []
    if seg.eligible_cities is not None and city.id not in seg.eligible_cities:
        reasons.append(f"'{city.id}' is not in the eligible_cities of '{seg.id}'; add it there")
    if city.id in seg.excluded_cities:
        reasons.append(f"'{city.id}' is in the excluded_cities of '{seg.id}'; remove it there")
    if missing := ", ".join(sorted(set(seg.requires_tags) - set(city.tags))):
        reasons.append(
            f"'{city.id}' lacks the tags that '{seg.id}' requires ({missing}); add them to its tags"
        )
    return "; and ".join(reasons)


def default_gateway(inst: Instance) -> str:
    if inst.transport.gateway:
        return inst.transport.gateway
    return next((c.id for c in inst.cities if c.role == "core"), inst.cities[0].id)


def uses_by_upstream(inst: Instance) -> dict[str, dict[str, float]]:
    """a_sj indexed by upstream segment s."""
    uses: dict[str, dict[str, float]] = {}
    for _, seg in inst.segments():
        for t, a in seg.inputs.items():
            if a > 0:
                uses.setdefault(t, {})[seg.id] = a
    return uses


def reaches_final_markets(s: str, fin: float, uses: dict, importable: set[str]) -> bool:
    """Goods of s reach final markets when it has final sales or a user of s may be imported."""
    return fin > TOL or any(j in importable for j in uses.get(s, {}))


def market_shares(seg: Segment, cities: list[City]) -> dict[str, float]:
    """μ_sb: the segment's markets if given, else population shares (positive shares only)."""
    if seg.markets is not None:
        return {c: v for c, v in seg.markets.items() if v > 0}
    total = sum(c.population or 0.0 for c in cities)
    return {c.id: c.population / total for c in cities if c.population}


def capacity_bound(seg: Segment, city: City) -> float:
    """U_sc = min(Q_s, min_r K_cr / u_sr) over resources the segment uses and the city caps."""
    bound = seg.output
    for r, u in seg.resource_use.items():
        if u > 0 and r in city.capacity:
            bound = min(bound, city.capacity[r] / u)
    return bound


class TooManyRoutes(Exception):
    """The shipment routes alone pass the budget: the model would not fit in memory."""

    def __init__(self, routes: int, densest: str, densest_routes: int):
        self.routes, self.densest, self.densest_routes = routes, densest, densest_routes
        super().__init__(f"more than {routes:,} shipment routes")


def derive(
    inst: Instance,
    scenario: Scenario,
    policies: dict[str, Any],
    max_routes: int | None = None,
) -> ScenarioData:
    """Compute the derived data of a resolved scenario instance (checked beforehand).

    Raises TooManyRoutes as soon as the shipment routes pass `max_routes`, before they fill the
    memory."""
    cities = list(inst.cities)
    city = {c.id: c for c in cities}
    segment = {seg.id: seg for _, seg in inst.segments()}
    chain_of = {seg.id: ch.id for ch, seg in inst.segments()}
    output = {s: seg.output for s, seg in segment.items()}
    uses = uses_by_upstream(inst)
    intermediate = {s: sum(a * output[j] for j, a in uses.get(s, {}).items()) for s in segment}
    final = {s: output[s] - intermediate[s] for s in segment}
    importable = tuple(s for s, seg in segment.items() if seg.import_cost is not None)
    markets = {
        s: market_shares(seg, cities)
        for s, seg in segment.items()
        if reaches_final_markets(s, final[s], uses, set(importable))
    }
    eligible = {s: eligible_cities(seg, cities) for s, seg in segment.items()}
    pairs = [(s, c) for s in segment for c in eligible[s]]
    dist = road_distances(inst)
    gateway = default_gateway(inst)
    data = ScenarioData(
        scenario=scenario,
        instance=inst,
        policies=policies,
        cities=tuple(city),
        segments=tuple(segment),
        resources=tuple(r.id for r in inst.resources),
        city=city,
        segment=segment,
        chain_of=chain_of,
        output=output,
        uses=uses,
        intermediate=intermediate,
        final_sales=final,
        markets=markets,
        eligible=eligible,
        upper={(s, c): capacity_bound(segment[s], city[c]) for s, c in pairs},
        setup_cost={
            (s, c): segment[s].setup_cost_by_city.get(c, segment[s].setup_cost) for s, c in pairs
        },
        existing={
            (s, c): q for s, seg in segment.items() for c, q in seg.existing.items() if q > 0
        },
        capacity={(c.id, r): k for c in cities for r, k in c.capacity.items()},
        use={(s, r): u for s, seg in segment.items() for r, u in seg.resource_use.items() if u > 0},
        distance=dist,
        gateway=gateway,
        importable=importable,
        penalty={
            s: seg.duplication_penalty
            if seg.duplication_penalty is not None
            else inst.defaults.duplication_penalty
            for s, seg in segment.items()
        },
        relocation_cost=inst.defaults.relocation_cost,
        weights=inst.weights,
    )
    object.__setattr__(data, "arcs", shipment_arcs(data, max_routes))
    return data


def suppliers(data: ScenarioData, s: str) -> list[str]:
    """Cities from which s can be shipped: its eligible hosts, and the gateway if importable."""
    sources = list(data.eligible[s])
    if s in data.importable and data.gateway not in sources:
        sources.append(data.gateway)
    return sources


def customers(data: ScenarioData, s: str) -> list[str]:
    """Cities that may need s: its final markets and the eligible hosts of its users."""
    need = set(data.markets.get(s, {}))
    for j in data.downstream(s):
        need.update(data.eligible[j])
    return [c for c in data.cities if c in need]


def shipment_arcs(
    data: ScenarioData, max_routes: int | None = None
) -> dict[str, tuple[tuple[str, str], ...]]:
    """For each s, the arcs (a, b) from a supplier to a customer along an existing route."""
    arcs = {}
    total = 0
    for s in data.segments:
        dest = customers(data, s)
        arcs[s] = tuple(
            (a, b) for a in suppliers(data, s) for b in dest if a == b or (a, b) in data.distance
        )
        total += len(arcs[s])
        if max_routes is not None and total > max_routes:
            densest = max(arcs, key=lambda k: len(arcs[k]))
            raise TooManyRoutes(max_routes, densest, len(arcs[densest]))
    return arcs
