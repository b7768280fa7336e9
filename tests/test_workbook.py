"""results.xlsx: one sheet per table, column names and units in two frozen header rows."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import solve
from models.objective import TERMS
from reports.compare import render

TINY = Path(__file__).resolve().parents[1] / "instances" / "tiny.json"
SCENARIOS = ["baseline", "no_east_assembly", "import_parts"]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny")
    assert solve.main([str(TINY), "--out", str(out), "--quiet"]) == 0
    render(out, TINY)
    return load_workbook(out / "results.xlsx")


def header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def column(ws, name: str) -> list:
    j = header(ws).index(name)
    return [row[j] for row in ws.iter_rows(min_row=3, values_only=True)]


def test_a_sheet_per_table(book):
    assert book.sheetnames == [
        "comparison",
        "indicators",
        "hosts",
        "assignments",
        "cities",
        "flows",
        "resources",
        "similarity",
        "changes",
        "robustness",
    ]


def test_headers_units_and_frozen_rows(book):
    for ws in book.worksheets:
        assert ws.freeze_panes in ("A3", "B3"), ws.title
        assert all(isinstance(v, str) and v for v in header(ws)), ws.title
    comparison = book["comparison"]
    units = dict(zip(header(comparison), [c.value for c in comparison[2]], strict=True))
    assert units["objective"] == "亿元" and units["mean_similarity"] == "0..1"
    assert book["cities"]["A2"].font.italic


def test_comparison_lists_today_first_with_the_indicator_columns(book):
    ws = book["comparison"]
    assert {
        "scenario",
        "status",
        "objective",
        "transport",
        "import",
        "duplicated_segments",
        "mean_similarity",
        "gini_va_per_capita",
        "theil_t_va_per_capita",
        "core_periphery_ratio",
    } <= set(header(ws))
    assert column(ws, "scenario") == ["today", *SCENARIOS]
    assert column(ws, "objective") == pytest.approx([None, 9.0, 12.0, 8.4], nan_ok=True)


def test_per_scenario_tables_carry_the_scenario(book):
    expected = {
        "assignments": ["scenario", "segment", "chain", "city", "output", "hosted", "existing"],
        "cities": ["scenario", "city", "name", "role", "population", "output", "value_added"],
        "flows": ["scenario", "segment", "from_city", "to_city", "quantity", "km", "cost"],
    }
    for sheet, columns in expected.items():
        assert header(book[sheet])[: len(columns)] == columns, sheet
    assert set(column(book["assignments"], "scenario")) == {"today", *SCENARIOS}
    assert "today" not in column(book["flows"], "scenario")  # today's flows are not known
    assert "中心 Hub" in column(book["cities"], "name")


def test_indicators_sheet_has_one_column_per_plan(book):
    ws = book["indicators"]
    assert header(ws) == ["indicator", "unit", "definition", "today", *SCENARIOS]
    assert "gini_va_per_capita" in column(ws, "indicator")


def test_tiny_hosts(book):
    """Baseline: parts and assembly in East (instances/tiny.json notes)."""
    ws = book["hosts"]
    assert column(ws, "segment") == ["parts", "assembly"]
    assert column(ws, "baseline") == ["东 East", "东 East"]
    assert column(ws, "no_east_assembly") == ["东 East", "中心 Hub"]


def test_weights_other_than_1_are_listed_beside_the_unweighted_terms(tmp_path):
    """A scenario weighting transport ×2 and setup ×0.5: comparison.csv and the workbook carry
    those two weights (1 for the baseline), so that Σ weight × term gives each objective; a run
    where every weight is 1 has no weight columns."""
    doc = json.loads(TINY.read_text(encoding="utf-8"))
    doc["scenarios"] = [
        {"id": "baseline"},
        {"id": "weighted", "set": {"weights.transport": 2, "weights.setup": 0.5}},
    ]
    path = tmp_path / "weighted.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    assert solve.main([str(path), "--out", str(out), "--quiet"]) == 0
    table = pd.read_csv(out / "comparison.csv")
    assert [c for c in table if c.startswith("weight_")] == ["weight_transport", "weight_setup"]
    assert table.weight_transport.tolist() == [1, 2] and table.weight_setup.tolist() == [1, 0.5]
    weights = {t: table.get(f"weight_{t}", 1) for t in TERMS}
    assert table.objective.tolist() == pytest.approx(sum(weights[t] * table[t] for t in TERMS))

    render(out, path)
    ws = load_workbook(out / "results.xlsx")["indicators"]
    names = column(ws, "indicator")
    at = names.index("weight_transport")
    assert names[at - len(TERMS) : at + 2] == [*TERMS, "weight_transport", "weight_setup"]
    row = next(ws.iter_rows(min_row=3 + at, max_row=3 + at, values_only=True))
    assert row[1:] == ("factor", "weight of the transport term in the objective", None, 1, 2)

    assert solve.main([str(TINY), "--out", str(tmp_path / "ones"), "--quiet"]) == 0
    plain = pd.read_csv(tmp_path / "ones" / "comparison.csv")
    assert not [c for c in plain if c.startswith("weight_")]
