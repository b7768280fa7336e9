"""Known optima: the shared example (independently solved) and instances/tiny.json (by hand)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.pipeline import solve_scenario
from models.scenario import load
from solvers import Status

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "example.json"

EXAMPLE_OPTIMA = {
    "baseline": 238.0154,
    "green": 300.2848,
    "balanced": 256.6917,
    "core_packs": 372.3353,
}
TINY_OPTIMA = {"baseline": 9.0, "no_east_assembly": 12.0, "import_parts": 8.4}


@pytest.mark.parametrize(
    ("path", "optima"), [(EXAMPLE, EXAMPLE_OPTIMA), (ROOT / "instances" / "tiny.json", TINY_OPTIMA)]
)
def test_known_optima(path, optima):
    loaded = load(path)
    assert list(loaded.scenarios) == list(optima)
    for sid, expected in optima.items():
        run = solve_scenario(loaded.scenarios[sid])
        assert run.status == Status.OPTIMAL
        assert run.result.objective == pytest.approx(expected, rel=1e-6, abs=1e-4)
        assert sum(run.solution.terms.values()) == pytest.approx(run.result.objective, abs=1e-5)


def test_example_plans():
    """What the example's README says happens in each scenario."""
    loaded = load(EXAMPLE)
    base = solve_scenario(loaded.scenarios["baseline"]).solution
    assert base.hosts == {
        "materials": ["east"],
        "cells": ["east"],
        "packs": ["east"],
        "rd": ["core"],
    }
    assert base.imports["materials"] == pytest.approx(39.94, abs=0.01)
    green = solve_scenario(loaded.scenarios["green"]).solution
    assert green.hosts["cells"] == ["east", "south"]
    core = solve_scenario(loaded.scenarios["core_packs"]).solution
    assert core.hosts["packs"] == ["core"]


@pytest.mark.parametrize("output", [1e-6, 1e-300])
def test_a_vanishing_output_is_planned_not_a_crash(output, tmp_path):
    """tiny.json with assembly's output almost 0: its host decisions are fractions of 1e-6 and
    the shadow-price LP, with them rounded, lost every row that held the plan together."""
    doc = json.loads((ROOT / "instances" / "tiny.json").read_text())
    for chain in doc["chains"]:
        for seg in chain["segments"]:
            if seg["id"] == "assembly":
                seg["output"] = output
    path = tmp_path / "vanishing.json"
    path.write_text(json.dumps(doc))
    run = solve_scenario(load(path).scenarios["baseline"])
    assert run.status == Status.OPTIMAL
    # east's land, the one capacity, 6 of 8 ha used by parts; its price comes from the LP of the
    # rounded plan, which may have no solution when a host decision within the solver's tolerance
    # of 0 carries output: then it is left empty (not computed), never a wrong number
    (row,) = run.solution.shadow_prices.to_dict("records")
    assert (row["city"], row["resource"], row["use"], row["capacity"]) == ("east", "land", 6, 8)
    assert row["shadow_price"] is None or row["shadow_price"] == 0
