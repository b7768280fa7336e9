"""Plans read back from a results folder, and today's layout read from the instance as a plan.

A `Plan` is what the comparison reports need of one scenario: its summary and tables (SPEC §5),
the optional `shadow_prices.csv`, and the scenario's data (populations, roles, max_hosts, units).
Today's layout (the instance's `existing` output per segment and city) is the pseudo-scenario
`today`, so that every scenario can be read against it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from models.data import AREA, ScenarioData, derive, fingerprint
from models.extract import city_table
from models.scenario import LoadedInstance
from models.schema import Scenario
from reports.results import (
    FLAG,
    NUMBER,
    NUMBER_OR_EMPTY,
    TEXT,
    ReportInputError,
    Table,
    read_summary,
    read_table,
    rerun_fix,
    unknown_ids,
)

TODAY = "today"
"""Id of the pseudo-scenario holding today's layout (existing output)."""
TODAY_NAME = "现状 Today (existing output)"
ASSIGNMENTS = Table(
    {
        "segment": TEXT,
        "chain": TEXT,
        "city": TEXT,
        "output": NUMBER,
        "hosted": FLAG,
        "existing": NUMBER,
        "value_added": NUMBER,
    },
    key=("segment", "city"),
)
FLOWS = Table(
    {
        "segment": TEXT,
        "from_city": TEXT,
        "to_city": TEXT,
        "quantity": NUMBER,
        "km": NUMBER,
        "cost": NUMBER,
    },
    key=("segment", "from_city", "to_city"),
    optional={"imported": NUMBER},  # absent from results written before it
)
SHADOW_PRICES = Table(
    {"city": TEXT, "resource": TEXT, "shadow_price": NUMBER_OR_EMPTY},  # empty: LP not solved
    key=("city", "resource"),
    optional=dict.fromkeys(["use", "capacity", "utilisation"], NUMBER_OR_EMPTY),
)
"""What the reports read of each table of a plan (each file may have more columns)."""
ASSIGNMENT_COLUMNS = list(ASSIGNMENTS.columns)
FLOW_COLUMNS = list(FLOWS.columns)
CITY_COLUMNS = ["city", "value_added"]
SHADOW_PRICE_COLUMNS = list(SHADOW_PRICES.columns)


def cities_table(resources: Iterable[str]) -> Table:
    """What the reports read of cities.csv: value added, and use and capacity of each resource
    (an empty capacity is unlimited)."""
    per_resource = {f"{use}_{r}": NUMBER_OR_EMPTY for r in resources for use in ("use", "capacity")}
    return Table(
        {"city": TEXT, "value_added": NUMBER},
        key=("city",),
        optional={"va_per_capita": NUMBER_OR_EMPTY, "output": NUMBER} | per_resource,
    )


PLAN_STATUSES = ("optimal", "feasible")
"""Statuses whose scenario folder holds a plan (the tables of SPEC §5)."""


@dataclass(frozen=True)
class Plan:
    """One scenario's result (or today's layout), ready for indicators and reports."""

    id: str
    data: ScenarioData
    summary: dict
    assignments: pd.DataFrame | None
    """SPEC §5 assignments.csv; None when the scenario has no plan (infeasible, no solution)."""
    flows: pd.DataFrame | None
    cities: pd.DataFrame | None
    shadow_prices: pd.DataFrame | None = None
    """city, resource, use, capacity, utilisation, shadow_price; None when not written."""

    @property
    def name(self) -> str:
        return self.summary.get("name") or self.id

    @property
    def status(self) -> str:
        return self.summary["status"]

    @property
    def status_text(self) -> str:
        """The status as the report shows it: a plan stopped at a limit carries its gap."""
        gap = self.summary.get("gap")
        if self.status == "feasible" and gap is not None:
            return f"feasible, not proven optimal (gap {100 * gap:.3g} %)"
        return self.status

    @property
    def has_plan(self) -> bool:
        return self.assignments is not None

    @property
    def is_today(self) -> bool:
        return self.id == TODAY


def _table(
    folder: Path, name: str, table: Table, fix: str, optional: bool = False
) -> pd.DataFrame | None:
    """`<folder>/<name>.csv` with at least the columns of `table`, its values checked (all of
    them when it has no rows)."""
    path = folder / f"{name}.csv"
    if optional and not path.exists():
        return None
    frame = read_table(path, table, fix)
    return pd.DataFrame(columns=list(table.columns)) if frame.empty else frame


def solved_status(folder: Path) -> str | None:
    """The status in a scenario folder's readable summary; None without one (or a damaged one)."""
    try:
        summary = read_summary(folder)
    except ReportInputError:
        return None
    return None if summary is None else summary["status"]


def folder_has_plan(folder: Path) -> bool:
    """Whether a scenario folder holds a readable summary of a plan (a damaged one holds none)."""
    return solved_status(folder) in PLAN_STATUSES


def read_plan(out: Path, data: ScenarioData, instance: Path | None = None) -> Plan | None:
    """The plan of one scenario from `<out>/<scenario>/`; None when its summary is absent.

    A missing, damaged or incomplete file raises ReportInputError naming it and the fix (which
    names `instance`, the instance file).
    """
    folder = out / data.scenario.id
    summary = read_summary(folder, instance)
    if summary is None:
        return None
    if summary["status"] not in PLAN_STATUSES:
        return Plan(data.scenario.id, data, summary, assignments=None, flows=None, cities=None)
    fix = rerun_fix(folder, instance)
    return Plan(
        id=data.scenario.id,
        data=data,
        summary=summary,
        assignments=_table(folder, "assignments", ASSIGNMENTS, fix),
        flows=_table(folder, "flows", FLOWS, fix),
        cities=_table(folder, "cities", cities_table(data.resources), fix),
        shadow_prices=_table(folder, "shadow_prices", SHADOW_PRICES, fix, optional=True),
    )


def mismatches(plan: Plan) -> list[str]:
    """How a plan's files disagree with its instance: ids the instance lacks, cities of the
    instance that cities.csv lacks, or numbers changed since the plan was solved. Empty when they
    agree."""
    data = plan.data
    found = {"segment": set(plan.summary["hosts"]), "city": set()}
    if plan.has_plan:
        found["segment"] |= {*plan.assignments.segment, *plan.flows.segment}
        found["city"] |= {*plan.assignments.city, *plan.flows.from_city, *plan.flows.to_city}
        found["city"] |= set(plan.cities.city)
    known = {"segment": data.segments, "city": data.cities}
    lines = [f"{ids} not in the instance" for ids in unknown_ids(found, known)]
    if plan.has_plan and (absent := unknown_ids({"city": data.cities}, {"city": plan.cities.city})):
        lines += [f"the instance's {ids} not in cities.csv" for ids in absent]
    solved = plan.summary.get("instance_fingerprint")  # absent in results of older versions
    if not lines and solved is not None and solved != fingerprint(data):
        lines.append("solved with other numbers or policies than the instance has now")
    return lines


def read_plans(out: Path, loaded: LoadedInstance) -> list[Plan]:
    """The plans of every scenario of the instance that has a summary in `out`, in instance
    order. Every problem found, in any folder, is raised in one ReportInputError."""
    plans, problems, foreign = [], [], []
    for data in loaded.scenarios.values():
        try:
            plan = read_plan(out, data, loaded.path)
        except ReportInputError as err:
            problems += err.problems
            continue
        if plan is None:
            continue
        if ids := mismatches(plan):
            foreign.append(f"{out / plan.id}: {'; '.join(ids)}")
        plans.append(plan)
    if foreign:
        problems.append(
            f"{out}: these results were made from a different instance than {loaded.path} (or "
            f"from an older version of it) — rerun python solve.py {loaded.path} --out {out}, "
            "or pass the instance they were made from\n"
            + "\n".join(f"      {line}" for line in foreign)
        )
    if problems:
        raise ReportInputError(problems)
    return plans


def today_plan(loaded: LoadedInstance) -> Plan:
    """Today's layout as a plan: output = existing output, hosted where it is positive.

    Value added = value_added_rate × existing output; resource use = Σ_s u_sr × existing_sc
    against the base capacities. No flows and no cost terms: today is not an optimised plan.
    """
    data = derive(loaded.instance, Scenario(id=TODAY, name=TODAY_NAME), {})
    rows = [
        {
            "segment": s,
            "chain": data.chain_of[s],
            "city": c,
            "output": q,
            "hosted": 1,
            "existing": q,
            "value_added": data.segment[s].value_added_rate * q,
        }
        for s in data.segments
        for c in data.cities
        if (q := data.existing.get((s, c), 0.0)) > 0
    ]
    assignments = pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)
    summary = {
        "scenario": TODAY,
        "name": TODAY_NAME,
        "description": "Existing output per segment and city, as given in the instance.",
        "status": "existing",
        "objective": None,
        "terms": {},
        "hosts": {},
    }
    return Plan(
        id=TODAY,
        data=data,
        summary=summary,
        assignments=assignments,
        flows=pd.DataFrame(columns=FLOW_COLUMNS),
        # the same per-city table a solved plan gets (value added, VA per capita, use/capacity)
        cities=city_table(assignments, data),
    )


def city_label(data: ScenarioData, city: str) -> str:
    """'南京 Nanjing': the local and the English name of a city, or its id; area-wide caps'
    rows (city AREA) read 'whole area'."""
    if city == AREA and city not in data.city:
        return "whole area"
    c = data.city[city]
    return " ".join(dict.fromkeys(n for n in (c.name, c.name_en) if n)) or city


def segment_label(data: ScenarioData, segment: str) -> str:
    """The segment's name, or its id."""
    return data.segment[segment].name or segment
