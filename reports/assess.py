"""Indicators of every plan and of today's layout, gathered into one `Comparison`.

`assess` turns one plan into the payload of its `indicators.json`; `compare_plans` assesses
today's layout and every scenario against a reference and adds the robustness table. The
workbook and the HTML report only read a `Comparison`; nothing here writes files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from models.data import AREA, ScenarioData
from models.objective import TERMS
from models.schema import Instance
from reports import indicators as ind
from reports.plans import TODAY, Plan
from reports.results import ReportInputError, with_weights

DIGITS = 6
COMPARISON_COLUMNS = [
    "duplicated_segments",
    "duplicated_hosts",
    "mean_similarity",
    "mean_krugman",
    "gini_va_per_capita",
    "theil_t_va_per_capita",
    "hoover_va_population",
    "core_periphery_ratio",
    "value_added",
    "binding_capacities",
    "reference",
    "moved_segments",
    "cities_gaining",
    "cities_losing",
]
"""Indicator columns that comparison.csv gains, in order."""
COUNT_COLUMNS = [
    "duplicated_segments",
    "duplicated_hosts",
    "binding_capacities",
    "moved_segments",
    "cities_gaining",
    "cities_losing",
]
"""Columns that count: whole numbers, empty for a scenario without a plan."""


@dataclass(frozen=True)
class Comparison:
    """Today's layout and every scenario, assessed against one reference."""

    instance: Instance
    plans: list[Plan]
    """Today first, then the scenarios in instance order (with or without a plan)."""
    indicators: dict[str, dict]
    """indicators.json payload by plan id."""
    table: pd.DataFrame
    """One row per plan: status, objective and terms, then COMPARISON_COLUMNS."""
    robustness: pd.DataFrame
    """indicators.robustness over the scenarios that have a plan."""
    reference: str

    @property
    def scenarios(self) -> list[Plan]:
        """The plans that are scenarios (today left out)."""
        return [p for p in self.plans if not p.is_today]


def hosts_of(plan: Plan) -> dict[str, list[str]]:
    """Host cities per segment of a plan, in segment order (today: where output exists)."""
    found = ind.hosts_from_assignments(plan.assignments)
    return {s: found[s] for s in plan.data.segments if s in found}


def clean(value: Any) -> Any:
    """JSON-safe copy: floats rounded, NaN and infinity as null, tables as records."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return clean(value.to_dict("records"))
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar
    if isinstance(value, float):
        return None if not math.isfinite(value) else round(value, DIGITS) + 0.0
    return value


def assess(plan: Plan, reference: Plan | None) -> dict:
    """The indicators.json payload of a plan: duplication, specialisation, balance, resources,
    change against the reference. A scenario without a plan gets its status and nulls."""
    data = plan.data
    units = data.instance.units
    head = {
        "scenario": plan.id,
        "name": plan.name,
        "status": plan.status,
        "units": {
            "money": units.money,
            "output": units.output,
            "va_per_capita": f"{units.money} per 万人",
        },
    }
    if not plan.has_plan:
        empty = ("duplication", "specialisation", "balance", "resources", "change")
        return head | dict.fromkeys(empty)
    matrix = ind.output_matrix(plan.assignments, data.segments, data.cities)
    hosts = hosts_of(plan)
    max_hosts = {s: data.segment[s].max_hosts for s in data.segments}
    duplicated = ind.duplicated_segments(hosts, max_hosts)
    similarity = ind.similarity_matrix(matrix)
    krugman = ind.krugman_indices(matrix)
    lq = ind.location_quotients(matrix)
    cities = plan.cities.set_index("city")
    va = {c: float(cities.at[c, "value_added"]) for c in data.cities}
    population = {c: data.city[c].population for c in data.cities if data.city[c].population}
    va_pc = {c: va[c] / population[c] for c in population}
    used = ind.utilisation(plan.cities, data.resources)
    if caps := data.policies.get("area_cap"):
        used = pd.concat([used, ind.area_utilisation(plan.cities, caps.root)], ignore_index=True)
    binding = ind.binding_resources(used, plan.shadow_prices)
    payload = head | {
        "duplication": {
            "hosts": {s: len(hosts.get(s, [])) for s in data.segments},
            "host_cities": hosts,
            "duplicated_segments": duplicated,
            "duplicated_hosts": sum(d["extra"] for d in duplicated.values()),
        },
        "specialisation": {
            "mean_similarity": ind.mean_over_pairs(similarity),
            "similarity": similarity.to_dict(),
            "krugman": krugman,
            "mean_krugman": sum(krugman.values()) / len(krugman) if krugman else None,
            "location_quotients": {
                c: {s: v for s, v in lq[c].items() if v > ind.TOL} for c in lq.columns
            },
        },
        "balance": {
            "value_added": va,
            "va_per_capita": va_pc,
            "gini_va_per_capita": ind.gini(va_pc.values()),
            "theil_t_va_per_capita": ind.theil_t(va_pc.values()),
            "hoover_va_population": ind.hoover(va, population),
            "core_periphery_ratio": ind.core_periphery_ratio(
                va, population, {c: data.city[c].role for c in data.cities}
            ),
        },
        "resources": {
            "shadow_prices_known": plan.shadow_prices is not None,
            "utilisation": used,
            "binding": [row | {"reading": reading(row, data)} for row in clean(binding)],
        },
        "change": change(plan, hosts, va, reference),
    }
    return clean(payload)


def change(plan: Plan, hosts: dict, va: dict, reference: Plan | None) -> dict | None:
    """Segments moved and cities' gains and losses against the reference plan."""
    if reference is None or not reference.has_plan:
        return None
    ref_hosts = hosts_of(reference)
    ref_va = reference.cities.set_index("city")["value_added"].to_dict()
    return {
        "reference": reference.id,
        "moved_segments": ind.moved_segments(hosts, ref_hosts),
        "cities": ind.city_changes(hosts, ref_hosts, va, ref_va, plan.data.cities),
    }


def reading(row: dict, data: ScenarioData) -> str:
    """A binding capacity in a planner's words: 'one more ha of land in 芜湖 saves 0.35 亿元'."""
    resource = next((r for r in data.instance.resources if r.id == row["resource"]), None)
    unit = (resource.unit if resource else None) or "unit"
    what = (resource.name if resource else None) or row["resource"]
    if row["city"] == AREA:
        place = "under the area-wide cap"
    else:
        city = data.city[row["city"]]
        place = f"in {city.name_en or city.name or city.id}"
    price = row.get("shadow_price")
    if price is None:
        return f"{what} {place} is fully used (shadow price not known)"
    if price <= ind.TOL:
        return f"{what} {place} is fully used, but one more {unit} would save nothing"
    money = data.instance.units.money
    return f"one more {unit} of {what} {place} saves {price:,.4g} {money}"


def comparison_row(plan: Plan, payload: dict) -> dict:
    """A row of the comparison table: status, objective and terms, then the indicators."""
    s = plan.summary
    row = {
        "scenario": plan.id,
        "name": plan.name,
        "status": plan.status,
        "objective": s.get("objective"),
        "gap": s.get("gap"),
    }
    row |= {k: (s.get("terms") or {}).get(k) for k in TERMS}
    row |= dict.fromkeys(COMPARISON_COLUMNS)
    if payload.get("duplication") is None:
        return row
    dup, spec, bal = payload["duplication"], payload["specialisation"], payload["balance"]
    row["duplicated_segments"] = len(dup["duplicated_segments"])
    row["duplicated_hosts"] = dup["duplicated_hosts"]
    row["mean_similarity"] = spec["mean_similarity"]
    row["mean_krugman"] = spec["mean_krugman"]
    row["gini_va_per_capita"] = bal["gini_va_per_capita"]
    row["theil_t_va_per_capita"] = bal["theil_t_va_per_capita"]
    row["hoover_va_population"] = bal["hoover_va_population"]
    row["core_periphery_ratio"] = bal["core_periphery_ratio"]
    row["value_added"] = round(sum(bal["value_added"].values()), DIGITS)
    row["binding_capacities"] = len(payload["resources"]["binding"])
    if payload["change"] is not None:
        moved = payload["change"]["moved_segments"]
        cities = payload["change"]["cities"].values()
        row["reference"] = payload["change"]["reference"]
        row["moved_segments"] = len(moved)
        row["cities_gaining"] = sum(c["value_added_change"] > ind.TOL for c in cities)
        row["cities_losing"] = sum(c["value_added_change"] < -ind.TOL for c in cities)
    return row


def compare_plans(
    instance: Instance, today: Plan, scenarios: list[Plan], reference: str | None = None
) -> Comparison:
    """Assess today's layout and every scenario against `reference` (default: today)."""
    plans = [today, *scenarios]
    by_id = {p.id: p for p in plans}
    ref_id = reference or TODAY
    if ref_id not in by_id or not by_id[ref_id].has_plan:
        why = f"has no plan ({by_id[ref_id].status})" if ref_id in by_id else "has no results"
        usable = ", ".join(p.id for p in plans if p.has_plan)
        raise ReportInputError(f"reference {ref_id!r} {why} — use one with a plan: {usable}")
    payloads = {p.id: assess(p, by_id[ref_id]) for p in plans}
    table = pd.DataFrame([comparison_row(p, payloads[p.id]) for p in plans])
    table = with_weights(table, [p.summary for p in plans])
    solved = {p.id: hosts_of(p) for p in scenarios if p.has_plan}
    return Comparison(
        instance=instance,
        plans=plans,
        indicators=payloads,
        table=table,
        robustness=ind.robustness(solved, today=hosts_of(today)),
        reference=ref_id,
    )
