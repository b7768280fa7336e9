"""Special cases of the model reproduce published optima (benchmarks/data, optima.csv).

- OR-Library capacitated facility location (multi-source): one segment, warehouses as eligible
  cities with setup_cost_by_city and a capacity resource, customers as market cities, per-unit
  costs as directed explicit distances. Tolerance 1e-3 absolute, as capopt advises.
- Koopmans–Beckmann QAP: one segment per facility with min_scale = output (one host), a slot
  resource of capacity 1 per city, flows as input coefficients, distances as directed km.

The default run checks a small subset; `-m benchmark` checks every shipped instance.
"""

from __future__ import annotations

import csv

import pytest

from benchmarks.convert import DATA_DIR, OPTIMA_CSV, convert_file, known_optimum
from models.pipeline import solve_scenario
from models.scenario import load_document
from solvers import Status

QUICK = ["cap41", "cap71", "nug5", "nug6", "nug7", "nug8"]
ROWS = list(csv.DictReader(OPTIMA_CSV.open(encoding="utf-8")))
FILES = {r["instance"]: DATA_DIR / r["file"].split("/")[-1] for r in ROWS}
SLOW_QAP = {"tai11a", "tai13a", "tai14a", "chr12a"}
"""n ≥ 11: beyond what the general MIP proves in minutes (the slowest kept, rou10, takes 2)."""


def solve_published(name: str):
    doc = convert_file(FILES[name])
    run = solve_scenario(load_document(doc).scenarios["base"])
    return run, known_optimum(name)


def check(name: str) -> None:
    run, optimum = solve_published(name)
    assert run.status == Status.OPTIMAL
    tolerance = 1e-3 if name.startswith("cap") else 1e-6 * max(1.0, optimum)
    assert abs(run.result.objective - optimum) <= tolerance, (name, run.result.objective, optimum)


@pytest.mark.parametrize("name", QUICK)
def test_published_optimum(name):
    check(name)


@pytest.mark.benchmark
@pytest.mark.parametrize(
    "name", [r["instance"] for r in ROWS if r["instance"] not in QUICK + sorted(SLOW_QAP)]
)
def test_published_optimum_all(name):
    check(name)
