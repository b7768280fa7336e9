"""results.xlsx: every comparison table on its own sheet, for analysts who work in a spreadsheet.

Each sheet has the column names in row 1, their units in row 2, both frozen, and a filter on the
header. Today's layout (`today`) comes first wherever plans are listed. When the results folder
holds a sweep, its robustness.csv and regret.csv follow as `sweep_robustness` and `sweep_regret`.
"""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from models.objective import TERMS
from reports.assess import Comparison, hosts_of
from reports.indicators import TOL
from reports.plans import city_label

HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
UNIT_FONT = Font(italic=True, color="666666")

INDICATORS = [
    ("objective", "money", "weighted sum of the five cost terms (SPEC §3)"),
    *((t, "money", f"{t} cost term, unweighted") for t in TERMS),
    ("duplicated_segments", "segments", "segments with more hosts than max_hosts"),
    ("duplicated_hosts", "hosts", "Σ_s max(0, hosts_s − max_hosts_s)"),
    (
        "mean_similarity",
        "0..1",
        "mean over city pairs of S_ij = Σ_k x_ik x_jk / √(Σ x_ik² Σ x_jk²)",
    ),
    ("mean_krugman", "0..2", "mean over cities of KSI_i = Σ_k |x_ik − X_k|"),
    ("gini_va_per_capita", "0..1", "Σ_i Σ_j |y_i − y_j| / (2 n² μ), cities unweighted"),
    ("theil_t_va_per_capita", "0..ln n", "Theil T = (1/n) Σ_i (y_i/μ) ln(y_i/μ)"),
    ("hoover_va_population", "0..1", "Hoover H = ½ Σ_i |VA_i/VA − P_i/P|"),
    ("core_periphery_ratio", "ratio", "VA per capita of core cities / that of periphery cities"),
    ("value_added", "money", "Σ_c value added of the modelled chains"),
    ("binding_capacities", "capacities", "city capacities with a positive shadow price or full"),
    ("moved_segments", "segments", "segments whose host cities differ from the reference"),
    ("cities_gaining", "cities", "cities whose value added rises against the reference"),
    ("cities_losing", "cities", "cities whose value added falls against the reference"),
]
"""Rows of the indicators sheet: column of the comparison table, unit, definition."""


def _units(comparison: Comparison) -> dict[str, str]:
    """Unit of every column name used on any sheet."""
    u = comparison.instance.units
    units = {
        "objective": u.money,
        "gap": "share",
        **dict.fromkeys(TERMS, u.money),
        **{f"weight_{t}": "factor" for t in TERMS},
        "output": u.output,
        "existing": u.output,
        "quantity": u.output,
        "imported": u.output,
        "value_added": u.money,
        "value_added_change": u.money,
        "value_added_share_change": "share of area value added (0.01 = 1 point)",
        "va_per_capita": f"{u.money} per 万人",
        "population": "万人",
        "km": u.distance,
        "cost": u.money,
        "utilisation": "share of capacity",
        "share": "share of scenarios",
        "scenarios": "count",
        "location_quotient": "ratio",
        "similarity": "0..1",
        "krugman_index": "0..2",
        "use": "the row's unit",
        "capacity": "the row's unit",
        "shadow_price": f"{u.money} per the row's unit",
    }
    for r in comparison.instance.resources:
        unit = r.unit or "unit"
        units |= {f"use_{r.id}": unit, f"capacity_{r.id}": unit, f"utilisation_{r.id}": "share"}
    units |= {name: unit for name, unit, _ in INDICATORS if unit != "money"}
    return units


def _rows(comparison: Comparison, table: str) -> pd.DataFrame:
    """One plan-by-plan table (`assignments`, `flows`, `cities`) stacked with a scenario column."""
    frames = [
        getattr(p, table).assign(scenario=p.id)
        for p in comparison.plans
        if p.has_plan and len(getattr(p, table))
    ]
    if not frames:
        return pd.DataFrame(columns=["scenario"])
    frame = pd.concat(frames, ignore_index=True)
    return frame[["scenario", *[c for c in frame.columns if c != "scenario"]]]


def plan_column(sid: str, fixed: list[str]) -> str:
    """The column of a plan in a sheet with one column per plan: its scenario id, unless a fixed
    column of the sheet has that name (a scenario called 'unit' or 'segment')."""
    return f"{sid} (scenario)" if sid in fixed else sid


def hosts_sheet(comparison: Comparison) -> pd.DataFrame:
    """Segment by plan: the cities hosting it (names; empty: none, "no plan" for a scenario
    without one), with the segment's max_hosts; a plan whose scenario sets other limits gets its
    own max_hosts column beside its hosts."""
    data = comparison.plans[0].data
    limits = [data.segment[s].max_hosts for s in data.segments]
    frame = pd.DataFrame(
        {
            "segment": list(data.segments),
            "chain": [data.chain_of[s] for s in data.segments],
            "segment_name": [data.segment[s].name or s for s in data.segments],
            "max_hosts": limits,
        }
    )
    fixed = list(frame.columns)
    for p in comparison.plans:
        hosts = hosts_of(p) if p.has_plan else {}
        column = plan_column(p.id, fixed)
        frame[column] = [
            ", ".join(city_label(data, c) for c in hosts.get(s, [])) if p.has_plan else "no plan"
            for s in data.segments
        ]
        own = [p.data.segment[s].max_hosts for s in data.segments]
        if own != limits:
            frame[f"{column} max_hosts"] = own
    return frame


def cities_sheet(comparison: Comparison) -> pd.DataFrame:
    """Per plan and city: names, population, output, value added, specialisation, resources;
    role and population as the plan's scenario sets them."""
    frame = _rows(comparison, "cities")
    data = {p.id: p.data for p in comparison.plans}
    rows = list(zip(frame.scenario, frame.city, strict=True))
    frame.insert(2, "name", [city_label(data[sid], c) for sid, c in rows])
    frame.insert(3, "role", [data[sid].city[c].role for sid, c in rows])
    frame.insert(4, "population", [data[sid].city[c].population for sid, c in rows])
    frame.insert(5, "output", frame.pop("output"))
    krugman, change, share = [], [], []
    for sid, city in rows:
        payload = comparison.indicators[sid]
        krugman.append((payload["specialisation"]["krugman"]).get(city))
        moved = payload["change"]["cities"][city] if payload["change"] else {}
        change.append(moved.get("value_added_change"))
        share.append(moved.get("value_added_share_change"))
    frame["krugman_index"] = krugman
    frame["value_added_change"] = change
    frame["value_added_share_change"] = share
    for r in comparison.instance.resources:
        if f"capacity_{r.id}" in frame:
            cap = frame[f"capacity_{r.id}"].astype(float)
            frame[f"utilisation_{r.id}"] = frame[f"use_{r.id}"] / cap.where(cap > TOL)
    return frame


def assignments_sheet(comparison: Comparison) -> pd.DataFrame:
    """assignments.csv of every plan, with the location quotient of each (segment, city)."""
    frame = _rows(comparison, "assignments")
    frame["location_quotient"] = [
        (comparison.indicators[sid]["specialisation"]["location_quotients"].get(c) or {}).get(s)
        for sid, s, c in zip(frame.scenario, frame.segment, frame.city, strict=True)
    ]
    return frame


def resources_sheet(comparison: Comparison) -> pd.DataFrame:
    """Use, capacity, utilisation and shadow price per plan, city and resource."""
    unit = {r.id: r.unit or "unit" for r in comparison.instance.resources}
    rows = []
    for p in comparison.plans:
        payload = comparison.indicators[p.id]
        if not p.has_plan:
            continue
        binding = {(b["city"], b["resource"]): b for b in payload["resources"]["binding"]}
        for u in payload["resources"]["utilisation"]:
            b = binding.get((u["city"], u["resource"]))
            rows.append(
                {"scenario": p.id, "city": u["city"], "resource": u["resource"]}
                | {"unit": unit.get(u["resource"]), "use": u["use"], "capacity": u["capacity"]}
                | {"utilisation": u["utilisation"], "binding": b is not None}
                | {"shadow_price": b["shadow_price"] if b else None}
                | {"reading": b["reading"] if b else None}
            )
    return pd.DataFrame(rows)


def similarity_sheet(comparison: Comparison) -> pd.DataFrame:
    """S_ij per plan for every pair of producing cities (i before j)."""
    rows = []
    for p in comparison.plans:
        spec = comparison.indicators[p.id]["specialisation"]
        if spec is None:
            continue
        sim = spec["similarity"]
        cities = list(sim)
        for i, a in enumerate(cities):
            rows += [
                {"scenario": p.id, "city_a": a, "city_b": b, "similarity": sim[a][b]}
                for b in cities[i + 1 :]
            ]
    return pd.DataFrame(rows, columns=["scenario", "city_a", "city_b", "similarity"])


def changes_sheet(comparison: Comparison) -> pd.DataFrame:
    """Segments whose hosts differ from the reference, per plan: cities added and removed."""
    data = comparison.plans[0].data
    rows = []
    for p in comparison.plans:
        moved = comparison.indicators[p.id]["change"]
        for s, d in (moved or {}).get("moved_segments", {}).items():
            rows.append(
                {
                    "scenario": p.id,
                    "reference": comparison.reference,
                    "segment": s,
                    "added": ", ".join(city_label(data, c) for c in d["added"]),
                    "removed": ", ".join(city_label(data, c) for c in d["removed"]),
                }
            )
    return pd.DataFrame(rows, columns=["scenario", "reference", "segment", "added", "removed"])


INDICATOR_FIXED = ["indicator", "unit", "definition"]


def indicators_sheet(comparison: Comparison) -> pd.DataFrame:
    """Indicator by plan (today first), with its unit and definition."""
    money = comparison.instance.units.money
    table = comparison.table.set_index("scenario")
    weights = [  # after the terms, where a scenario weights one other than 1
        (f"weight_{t}", "factor", f"weight of the {t} term in the objective")
        for t in TERMS
        if f"weight_{t}" in table
    ]
    after_terms = [name for name, _, _ in INDICATORS].index(TERMS[-1]) + 1
    rows = []
    for name, unit, meaning in [*INDICATORS[:after_terms], *weights, *INDICATORS[after_terms:]]:
        row = {"indicator": name, "unit": money if unit == "money" else unit, "definition": meaning}
        row |= {plan_column(sid, INDICATOR_FIXED): table.at[sid, name] for sid in table.index}
        rows.append(row)
    return pd.DataFrame(rows)


def sheets(comparison: Comparison) -> dict[str, pd.DataFrame]:
    """The workbook's sheets by name, in order."""
    return {
        "comparison": comparison.table,
        "indicators": indicators_sheet(comparison),
        "hosts": hosts_sheet(comparison),
        "assignments": assignments_sheet(comparison),
        "cities": cities_sheet(comparison),
        "flows": _rows(comparison, "flows"),
        "resources": resources_sheet(comparison),
        "similarity": similarity_sheet(comparison),
        "changes": changes_sheet(comparison),
        "robustness": comparison.robustness,
    }


def _sweep_units(units: dict[str, str], money: str) -> dict[str, str]:
    """Units of the sweep's columns: counts and shares are of samples, not of scenarios."""
    return units | {
        "sample": "number",
        "base_host": "1 = deterministic plan hosts",
        "hosted": "samples",
        "solved": "samples",
        "share": "share of samples",
        "kept_objective": money,
        "regret": money,
        "regret_relative": "share of the optimum",
    }


def _fill(ws, frame: pd.DataFrame, units: dict[str, str]) -> None:
    """Names in row 1, units in row 2 (both frozen, filter on row 2), then the values."""
    bold = Font(bold=True)
    for j, col in enumerate(frame.columns, start=1):
        head = ws.cell(row=1, column=j, value=str(col))
        head.font, head.fill = bold, HEADER_FILL
        unit = ws.cell(row=2, column=j, value=units.get(str(col), ""))
        unit.font, unit.fill = UNIT_FONT, HEADER_FILL
        width = max(len(str(col)), len(unit.value or ""))
        for i, value in enumerate(frame[col].tolist(), start=3):
            if value is not None and not (isinstance(value, float) and pd.isna(value)):
                value = value.item() if hasattr(value, "item") else value
                cell = ws.cell(row=i, column=j, value=value)
                if isinstance(value, float):
                    cell.number_format = "#,##0.000"
                width = max(width, min(len(str(value)), 48))
        ws.column_dimensions[get_column_letter(j)].width = min(width + 2, 50)
    ws.freeze_panes = "B3" if frame.shape[1] > 6 else "A3"
    if frame.shape[1]:
        ws.auto_filter.ref = f"A2:{get_column_letter(frame.shape[1])}{max(2, len(frame) + 2)}"
    ws.row_dimensions[1].height = 18
    for cell in ws[1]:
        cell.alignment = Alignment(vertical="center")


def workbook_bytes(
    comparison: Comparison, sweep: Mapping[str, pd.DataFrame] | None = None
) -> bytes:
    """The content of results.xlsx; `sweep` holds a sweep's `robustness` and `regret` tables,
    written after the comparison's sheets."""
    book = Workbook()
    book.remove(book.active)
    units = _units(comparison)
    by_plan = units | {p.id: "" for p in comparison.plans}
    for name, frame in sheets(comparison).items():
        ws = book.create_sheet(name)
        _fill(ws, frame, by_plan if name in ("indicators", "hosts") else units)
    per_sample = _sweep_units(units, comparison.instance.units.money)
    for name, frame in (sweep or {}).items():
        _fill(book.create_sheet(f"sweep_{name}"), frame, per_sample)
    content = BytesIO()
    book.save(content)
    return content.getvalue()
