"""The reports over scenarios that change what the base instance says: area-wide caps, capacities
of 0 that today's layout exceeds, scenarios that set population, role or max_hosts, scenario ids
that are also column names, and plans stopped at a limit. Variants of instances/tiny.json."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import solve
from models.problems import InvalidInstance
from models.scenario import load
from reports.charts import small_bars
from reports.compare import render

ROOT = Path(__file__).resolve().parents[1]
TINY = json.loads((ROOT / "instances" / "tiny.json").read_text(encoding="utf-8"))


def write(tmp_path: Path, document: dict) -> Path:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def solved(tmp_path: Path, document: dict) -> tuple[Path, Path]:
    instance = write(tmp_path, document)
    out = tmp_path / "out"
    assert solve.main([str(instance), "--out", str(out), "--quiet", "--report"]) == 0
    return instance, out


def sheet(out: Path, name: str) -> pd.DataFrame:
    """A sheet of results.xlsx as a table (row 1 names, row 2 units)."""
    rows = list(load_workbook(out / "results.xlsx")[name].iter_rows(values_only=True))
    return pd.DataFrame(rows[2:], columns=rows[0])


def test_a_binding_area_cap_is_listed_with_the_city_capacities(tmp_path):
    """Land capped at 5 ha for the whole area, where parts need 6, and parts importable at 2:
    the baseline plan (9) with 5 parts made in East and 1 imported, 2 + 1 for shipping it 50 km
    from the gateway hub to East's assembly, costs 12 (assembly in the hub instead: 13). One
    more ha would save that import: the cap's shadow price is 3."""
    document = copy.deepcopy(TINY)
    document["chains"][0]["segments"][0]["import_cost"] = 2
    document["scenarios"] = [{"id": "capped", "policies": {"area_cap": {"land": 5}}}]
    _, out = solved(tmp_path, document)
    summary = json.loads((out / "capped" / "summary.json").read_text(encoding="utf-8"))
    assert summary["objective"] == pytest.approx(12.0)
    prices = pd.read_csv(out / "capped" / "shadow_prices.csv")
    area = prices[prices.city == "area"].iloc[0]
    assert area.utilisation == pytest.approx(1.0) and area.shadow_price == pytest.approx(3.0)

    indicators = json.loads((out / "capped" / "indicators.json").read_text(encoding="utf-8"))
    binding = {(b["city"], b["resource"]): b for b in indicators["resources"]["binding"]}
    assert binding["area", "land"]["shadow_price"] == pytest.approx(area.shadow_price)
    assert binding["area", "land"]["use"] == pytest.approx(5.0)
    assert binding["area", "land"]["reading"].startswith(
        "one more ha of Industrial land under the area-wide cap saves"
    )
    comparison = pd.read_csv(out / "comparison.csv").set_index("scenario")
    assert comparison.at["capped", "binding_capacities"] == len(binding)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert '<td>whole area</td><td>land</td><td class="num">100%</td>' in page
    resources = sheet(out, "resources")
    row = resources[(resources.scenario == "capped") & (resources.city == "area")].iloc[0]
    assert bool(row.binding) and row.capacity == 5


def test_city_id_area_is_refused_only_beside_an_area_cap(tmp_path):
    document = copy.deepcopy(TINY)
    document["cities"][2]["id"] = "area"
    for segment in document["chains"][0]["segments"]:
        segment["eligible_cities"] = [
            "area" if c == "west" else c for c in segment["eligible_cities"]
        ]
    document["transport"]["distances"] = [
        {**d, "from": "area" if d["from"] == "west" else d["from"], "to": "area"}
        if d["to"] == "west"
        else d
        for d in document["transport"]["distances"]
    ]
    load(write(tmp_path, document))  # a city may be called 'area' without area caps
    document["scenarios"].append({"id": "capped", "policies": {"area_cap": {"land": 5}}})
    with pytest.raises(InvalidInstance) as err:
        load(write(tmp_path, document))
    assert (
        "cities[area]: the id 'area' names the area-wide caps of area_cap in shadow_prices.csv "
        "— give the city another id"
    ) in err.value.report()


def test_today_above_a_capacity_of_zero_is_reported_not_a_crash(tmp_path):
    """West has no land (capacity 0) but makes 2 units of parts today."""
    document = copy.deepcopy(TINY)
    document["cities"][2]["capacity"] = {"land": 0}
    document["chains"][0]["segments"][0]["existing"] = {"east": 4, "west": 2}
    _, out = solved(tmp_path, document)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "over a capacity of 0" in page


def test_the_workbook_shows_each_scenarios_own_population_role_and_max_hosts(tmp_path):
    document = copy.deepcopy(TINY)
    document["scenarios"] = [
        {"id": "baseline"},
        {
            "id": "grow",
            "scale": {"cities.west.population": 4},
            "set": {"cities.west.role": "core", "chains.kit.segments.assembly.max_hosts": 1},
        },
    ]
    _, out = solved(tmp_path, document)
    cities = sheet(out, "cities").set_index(["scenario", "city"])
    assert cities.at[("grow", "west"), "population"] == 400
    assert cities.at[("grow", "west"), "role"] == "core"
    assert cities.at[("baseline", "west"), "population"] == 100
    assert cities.at[("baseline", "west"), "role"] == "periphery"
    hosts = sheet(out, "hosts").set_index("segment")
    assert pd.isna(hosts.at["assembly", "max_hosts"])
    assert hosts.at["assembly", "grow max_hosts"] == 1
    assert "baseline max_hosts" not in hosts.columns


def test_scenario_ids_that_are_column_names_keep_both_columns(tmp_path):
    document = copy.deepcopy(TINY)
    document["scenarios"] = [{"id": "unit"}, {"id": "segment"}]
    _, out = solved(tmp_path, document)
    indicators = sheet(out, "indicators").set_index("indicator")
    assert indicators.at["objective", "unit"] == "亿元"
    assert indicators.at["objective", "unit (scenario)"] == pytest.approx(9.0)
    hosts = sheet(out, "hosts").set_index("segment")
    assert list(hosts.index) == ["parts", "assembly"]
    assert hosts.at["assembly", "segment (scenario)"] == "东 East"


def test_a_plan_stopped_at_a_limit_is_flagged_with_its_gap(tmp_path):
    instance, out = solved(tmp_path, copy.deepcopy(TINY))
    path = out / "baseline" / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**summary, "status": "feasible", "gap": 0.0107}), encoding="utf-8")
    render(out, instance)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert '<span class="status limit">feasible, not proven optimal (gap 1.07 %)</span>' in page
    assert "<td>feasible, not proven optimal (gap 1.07 %)</td>" in page


def test_an_undefined_indicator_has_no_bar_and_says_so():
    """A core/periphery ratio without periphery value added is not defined: no bar of length 0
    that would read as the best value."""
    svg = small_bars("core/periphery", [("today", 2.0), ("a", None), ("b", 1.0)], "today")
    assert svg.count('class="bar"') == 2
    assert '<text class="undefined"' in svg and "a: not defined" in svg


def test_city_table_units_and_hosts_sheet_without_a_plan(tmp_path):
    document = copy.deepcopy(TINY)
    document["scenarios"].append(
        {
            "id": "no_land",
            "set": {"cities.east.capacity.land": 0, "cities.west.capacity": {"land": 0}},
        }
    )
    instance = write(tmp_path, document)
    out = tmp_path / "out"
    assert solve.main([str(instance), "--out", str(out), "--quiet", "--report"]) == 4
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "VA per capita (亿元 per 万人)" in page and "Δ VA vs reference (亿元)" in page
    hosts = sheet(out, "hosts").set_index("segment")
    assert hosts.at["parts", "no_land"] == "no plan"
    none = hosts.at["parts", "import_parts"]  # a plan that makes no parts: an empty cell
    assert pd.isna(none) or none == ""


def test_robust_allocations_need_two_scenarios_with_a_plan(tmp_path):
    """With one solved scenario every host would read as 'safe in all scenarios'."""
    document = copy.deepcopy(TINY)
    document["scenarios"] = [{"id": "baseline"}]
    _, out = solved(tmp_path, document)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "robust allocations need at least two to compare" in page
    assert "safe first moves" not in page


def test_a_scaled_capacity_is_written_as_a_planner_would_read_it(tmp_path):
    """West's 3 ha × 1.1 is 3.3000000000000003 in binary floating point; the files say 3.3."""
    document = copy.deepcopy(TINY)
    document["cities"][2]["capacity"] = {"land": 3}
    document["scenarios"] = [{"id": "more", "scale": {"cities.west.capacity.land": 1.1}}]
    _, out = solved(tmp_path, document)
    cities = (out / "more" / "cities.csv").read_text(encoding="utf-8")
    prices = (out / "more" / "shadow_prices.csv").read_text(encoding="utf-8")
    assert ",3.3," in cities and "3.3000000000000003" not in cities
    assert "west,land,0.0,3.3," in prices and "3.3000000000000003" not in prices
