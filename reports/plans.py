"""Plans read back from a results folder, and today's layout read from the instance as a plan.

A `Plan` is what the comparison reports need of one scenario: its summary and tables (SPEC §5),
the optional `shadow_prices.csv`, and the scenario's data (populations, roles, max_hosts, units).
Today's layout (the instance's `existing` output per segment and city) is the pseudo-scenario
`today`, so that every scenario can be read against it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from models.data import ScenarioData, derive
from models.extract import city_table
from models.scenario import LoadedInstance
from models.schema import Scenario

TODAY = "today"
"""Id of the pseudo-scenario holding today's layout (existing output)."""
TODAY_NAME = "现状 Today (existing output)"
ASSIGNMENT_COLUMNS = ["segment", "chain", "city", "output", "hosted", "existing", "value_added"]
FLOW_COLUMNS = ["segment", "from_city", "to_city", "quantity", "km", "cost"]


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
        return self.summary.get("status", "unknown")

    @property
    def has_plan(self) -> bool:
        return self.assignments is not None

    @property
    def is_today(self) -> bool:
        return self.id == TODAY


def _csv(path: Path, columns: list[str] | None = None) -> pd.DataFrame | None:
    if not path.exists():
        return None
    frame = pd.read_csv(path)
    if columns is not None and frame.empty:
        frame = pd.DataFrame(columns=columns)
    return frame


def read_plan(out: Path, data: ScenarioData) -> Plan | None:
    """The plan of one scenario from `<out>/<scenario>/`; None when its summary is absent."""
    folder = out / data.scenario.id
    path = folder / "summary.json"
    if not path.exists():
        return None
    summary = json.loads(path.read_text(encoding="utf-8"))
    has_plan = summary.get("status") in ("optimal", "feasible")
    if has_plan and not (folder / "assignments.csv").exists():
        raise FileNotFoundError(f"{folder}: summary.json says a plan exists but a table is missing")
    return Plan(
        id=data.scenario.id,
        data=data,
        summary=summary,
        assignments=_csv(folder / "assignments.csv", ASSIGNMENT_COLUMNS) if has_plan else None,
        flows=_csv(folder / "flows.csv", FLOW_COLUMNS) if has_plan else None,
        cities=_csv(folder / "cities.csv") if has_plan else None,
        shadow_prices=_csv(folder / "shadow_prices.csv") if has_plan else None,
    )


def today_plan(loaded: LoadedInstance) -> Plan:
    """Today's layout as a plan: output = existing output, hosted where it is positive.

    Value added = value_added_rate × existing output; resource use = Σ_s u_sr × existing_sc
    against the base capacities. No flows and no cost terms: today is not an optimised plan.
    """
    ids = [s.id for s in loaded.instance.scenario_list()]
    if TODAY in ids:
        raise ValueError(
            f"a scenario is called {TODAY!r}, the name of today's layout in the reports — "
            "rename that scenario"
        )
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
    """'南京 Nanjing': the local and the English name of a city, or its id."""
    c = data.city[city]
    return " ".join(dict.fromkeys(n for n in (c.name, c.name_en) if n)) or city


def segment_label(data: ScenarioData, segment: str) -> str:
    """The segment's name, or its id."""
    return data.segment[segment].name or segment
