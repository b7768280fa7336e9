"""results.xlsx: one sheet per table, column names and units in two frozen header rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

import solve
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
