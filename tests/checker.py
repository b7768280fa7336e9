"""An independent check of written results: reads the result files of a scenario and verifies
every constraint of SPEC §3 (and the policies in force) and the objective terms, from the files
alone and the instance's derived data — not from the model."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pandas as pd

from models.data import ScenarioData

TOL = 1e-4


def close(a: float, b: float, tol: float = TOL) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def verify(data: ScenarioData, folder: Path) -> list[str]:
    """Every violated requirement, in words; empty when the written plan is valid."""
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assign = pd.read_csv(folder / "assignments.csv")
    flows = pd.read_csv(folder / "flows.csv")
    x = defaultdict(float, {(r.segment, r.city): r.output for r in assign.itertuples()})
    hosted = {(r.segment, r.city) for r in assign.itertuples() if r.hosted}
    g = defaultdict(float, summary["imports"])
    ship = defaultdict(float)
    for r in flows.itertuples():
        ship[r.segment, r.from_city, r.to_city] += r.quantity
    errors = []

    def need(ok: bool, message: str) -> None:
        if not ok:
            errors.append(message)

    for s in data.segments:
        seg = data.segment[s]
        need(close(sum(x[s, c] for c in data.cities) + g[s], seg.output), f"output of {s}")
        for c in data.cities:
            if x[s, c] > TOL:
                need((s, c) in hosted, f"{s} made in {c} without hosting")
                need(c in data.eligible[s], f"{s} made in ineligible {c}")
            if (s, c) in hosted:
                need(x[s, c] >= seg.min_scale - TOL, f"{s} below min_scale in {c}")
            supplied = x[s, c] + (g[s] if c == data.gateway else 0.0)
            sent = sum(q for (t, a, _), q in ship.items() if t == s and a == c)
            need(close(sent, supplied), f"ship_out {s} from {c}: {sent} vs {supplied}")
            mu = data.markets.get(s, {}).get(c, 0.0)
            demand = sum(a * x[j, c] for j, a in data.downstream(s).items())
            demand += (
                data.final_sales[s] + sum(a * g[j] for j, a in data.downstream(s).items())
            ) * mu
            got = sum(q for (t, _, b), q in ship.items() if t == s and b == c)
            need(close(got, demand), f"ship_in {s} to {c}: {got} vs {demand}")
    for (c, r), cap in data.capacity.items():
        used = sum(u * x[s, c] for (s, q), u in data.use.items() if q == r)
        need(used <= cap + TOL * max(1, cap), f"capacity {r} in {c}: {used} > {cap}")
    for s, a, b in ship:
        need(a == b or (a, b) in data.distance, f"{s} shipped {a}->{b} without a route")
    for s in data.segments:  # the imported part of the shipments: all from the gateway
        imported = flows[flows.segment == s].groupby("from_city")["imported"].sum()
        need(close(imported.sum(), g[s]), f"imported part of {s}'s shipments vs its import")
        need(close(imported.sum(), imported.get(data.gateway, 0.0)), f"{s} imported elsewhere")
    errors += _policies(data, x, hosted)

    hosts = defaultdict(int)
    for s, _ in hosted:
        hosts[s] += 1
    terms = {
        "transport": sum(
            data.segment[s].transport_cost * data.distance[a, b] * q
            for (s, a, b), q in ship.items()
            if a != b
        ),
        "setup": sum(data.setup_cost[s, c] for s, c in hosted if (s, c) not in data.existing),
        "duplication": sum(
            data.penalty[s] * max(0, hosts[s] - data.segment[s].max_hosts)
            for s in data.segments
            if data.segment[s].max_hosts is not None
        ),
        "relocation": sum(
            data.relocation_cost * max(0.0, q - x[s, c]) for (s, c), q in data.existing.items()
        ),
        "import": sum(data.segment[s].import_cost * q for s, q in summary["imports"].items()),
    }
    for k, v in terms.items():
        need(
            close(v, summary["terms"][k], 1e-3),
            f"term {k}: recomputed {v}, written {summary['terms'][k]}",
        )
    total = sum(data.weights.of(k) * v for k, v in terms.items())
    need(
        close(total, summary["objective"], 1e-3),
        f"objective: recomputed {total}, written {summary['objective']}",
    )
    return errors


def _listed(segments: list[str] | None, data: ScenarioData) -> list[str]:
    """A policy's segments: every segment when none are given (null), none for an empty list."""
    return list(data.segments) if segments is None else segments


CHECKED_POLICIES = (
    "single_host",
    "area_cap",
    "keep_existing",
    "max_share",
    "fixed",
    "linkage",
    "balance",
)
"""The policies whose rows `_policies` checks (tests/test_policies.py: every registered one)."""


def _policies(data: ScenarioData, x: dict, hosted: set) -> list[str]:
    p = data.policies
    errors = [
        f"policy {name} is not read by the checker" for name in p if name not in CHECKED_POLICIES
    ]
    if "single_host" in p:
        listed = _listed(p["single_host"].segments, data)
        errors += [
            f"single_host {s}" for s in listed if sum((s, c) in hosted for c in data.cities) > 1
        ]
    if "area_cap" in p:
        for r, cap in p["area_cap"].root.items():
            used = sum(u * x[s, c] for (s, q), u in data.use.items() if q == r for c in data.cities)
            if used > cap + TOL * max(1, cap):
                errors.append(f"area_cap {r}: {used} > {cap}")
    if "keep_existing" in p:
        share = p["keep_existing"].min_share
        errors += [
            f"keep_existing {s} in {c}"
            for (s, c), q in data.existing.items()
            if x[s, c] < share * q - TOL
        ]
    if "max_share" in p:
        share = p["max_share"].share
        listed = _listed(p["max_share"].segments, data)
        errors += [
            f"max_share {s} in {c}"
            for s in listed
            for c in data.cities
            if x[s, c] > share * data.output[s] + TOL * max(1.0, data.output[s])
        ]
    if "fixed" in p:
        errors += [f"fixed host {s} in {c}" for s, c in p["fixed"].host if (s, c) not in hosted]
        errors += [f"fixed forbid {s} in {c}" for s, c in p["fixed"].forbid if (s, c) in hosted]
    if "linkage" in p:
        limit = p["linkage"].max_minutes
        for first, second in p["linkage"].pairs:
            for s, c in sorted(hosted):
                if s != first:
                    continue
                near = [
                    b
                    for t, b in hosted
                    if t == second
                    and data.travel_minutes(c, b) is not None
                    and data.travel_minutes(c, b) <= limit + 1e-9
                ]
                if not near:
                    errors.append(f"linkage {first} in {c}: no {second} within {limit:g} min")
    if "balance" in p:
        va = {
            c: sum(data.segment[s].value_added_rate * x[s, c] for s in data.segments)
            for c in data.cities
        }
        pop = {c: data.city[c].population for c in data.cities}
        balance = p["balance"]  # its cities worked out here, not by the policy's own code
        for c in [
            c for c in data.cities if c in balance.cities or data.city[c].role in balance.roles
        ]:
            lhs, rhs = va[c] * sum(pop.values()), p["balance"].min_ratio * pop[c] * sum(va.values())
            if lhs < rhs - TOL * max(1, rhs):
                errors.append(f"balance {c}")
    return errors
