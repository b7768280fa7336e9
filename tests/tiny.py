"""Builders for tiny instances whose optima are worked out by hand in the tests."""

from __future__ import annotations

import copy
from typing import Any

from models.pipeline import ScenarioRun, solve_scenario
from models.scenario import load_document


def city(cid: str, **fields: Any) -> dict:
    return {"id": cid, "name": cid.upper(), "population": 100, **fields}


def segment(sid: str, output: float, **fields: Any) -> dict:
    return {"id": sid, "output": output, **fields}


def instance(cities: list[dict], segments: list[dict], **fields: Any) -> dict:
    """A one-chain instance; cities without coordinates, so only listed distances are routes."""
    doc = {
        "schema_version": 1,
        "name": "tiny",
        "resources": [{"id": "land"}, {"id": "emissions"}],
        "cities": cities,
        "chains": [{"id": "chain", "segments": segments}],
    }
    doc.update(copy.deepcopy(fields))
    return doc


def two_cities(km: float = 100.0, **fields: Any) -> dict:
    """Cities a (core) and b (periphery), `km` apart."""
    return {
        "cities": [city("a", role="core"), city("b")],
        "transport": {"distances": [{"from": "a", "to": "b", "km": km}]},
        **fields,
    }


FORMULATIONS = ("default", "plain")
formulation = "default"
"""The formulation `solve` builds; the hand-worked tests of families and policies run under each
of FORMULATIONS (fixture `each_formulation`), since the default's valid inequalities can enforce
what a family or policy should (a one-host transport floor also limits the hosts)."""


def solve(doc: dict, scenario: str | None = None) -> ScenarioRun:
    """Validate, resolve and solve one scenario (the first when none is named)."""
    loaded = load_document(doc)
    sid = scenario or next(iter(loaded.scenarios))
    return solve_scenario(loaded.scenarios[sid], formulation=formulation)


def output_of(run: ScenarioRun, seg: str, city_id: str) -> float:
    a = run.solution.assignments
    row = a[(a.segment == seg) & (a.city == city_id)]
    return float(row.output.iloc[0]) if len(row) else 0.0


def flow(run: ScenarioRun, seg: str, a: str, b: str) -> float:
    f = run.solution.flows
    row = f[(f.segment == seg) & (f.from_city == a) & (f.to_city == b)]
    return float(row.quantity.iloc[0]) if len(row) else 0.0
