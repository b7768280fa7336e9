"""report.html: one self-contained page (inline CSS and SVG, no script, no network) that shows
the scenarios side by side and then each plan on its own — map, heat map, indicators.

Sections carry stable ids for readers and tests: `overview` (objective terms `objective-terms`,
`indicator-bars`, `indicator-table`), `robustness`, `sweep` when the results folder holds a sweep
(reports/html_sweep.py), and one `plan-<id>` per plan, today first, each with a `city-map` and a
`heatmap` chart.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from models.objective import TERMS
from reports import charts
from reports.assess import Comparison
from reports.charts import fmt
from reports.html_plan import city_columns, plan_section, table
from reports.html_sweep import SweepResults, sweep_section
from reports.plans import city_label, segment_label

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  system-ui, sans-serif; margin: 0; color: #222; background: #fff; font-size: 14px; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 24px; margin: 8px 0 4px; } h2 { font-size: 20px; margin: 32px 0 8px; }
h3 { font-size: 15px; margin: 18px 0 6px; } h4 { font-size: 13.5px; margin: 14px 0 4px; }
code { font-size: 12px; background: #f3f5f8; padding: 0 3px; border-radius: 2px; }
nav { position: sticky; top: 0; background: #f3f5f8; padding: 6px 24px; font-size: 13px;
  border-bottom: 1px solid #dde; z-index: 2; }
nav a { margin-right: 14px; color: #1f4e79; text-decoration: none; white-space: nowrap; }
.lead, .note { color: #555; } .note { font-size: 12.5px; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg.chart text { font-family: inherit; }
table { border-collapse: collapse; font-size: 12.5px; margin: 6px 0; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 3px 8px; text-align: left;
  vertical-align: top; }
th { background: #f3f5f8; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.today td { background: #f7f7f2; }
.row { display: flex; gap: 20px; align-items: flex-start; flex-wrap: wrap; }
.row > * { flex: 1 1 0; min-width: 0; }
.row > figure { flex: 0 0 auto; margin: 0; }
figure.map { display: table; }
figure.map figcaption { display: table-caption; caption-side: bottom; }
figcaption { font-size: 12px; color: #555; }
.chip { display: inline-block; font-size: 11.5px; padding: 0 5px; margin: 1px 2px 1px 0;
  border-left: 6px solid #999; background: #f2f2f2; border-radius: 2px; white-space: nowrap; }
.status { font-size: 12px; padding: 1px 6px; border-radius: 3px; background: #e6efe6;
  color: #245c24; vertical-align: middle; font-weight: 400; }
.status.bad { background: #f6e2e2; color: #8a1c1c; }
.status.limit { background: #fbeccb; color: #7a4a00; }
.status.today { background: #eee; color: #444; }
.bars-grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px 24px; }
section.scenario { border-top: 3px solid #1f4e79; margin-top: 36px; }
.sweep-scenario { border-top: 1px solid #c9d3e0; margin-top: 22px; }
.up { color: #2d7a2d; } .down { color: #b03030; }
"""

INDICATOR_COLUMNS = [
    ("objective", "objective", None),
    ("duplicated_segments", "duplicated segments", 0),
    ("duplicated_hosts", "duplicated hosts", 0),
    ("mean_similarity", "mean similarity S", 3),
    ("mean_krugman", "mean Krugman KSI", 3),
    ("gini_va_per_capita", "Gini VA/cap", 3),
    ("theil_t_va_per_capita", "Theil T VA/cap", 3),
    ("hoover_va_population", "Hoover VA/pop", 3),
    ("core_periphery_ratio", "core/periphery", 2),
    ("value_added", "value added", None),
    ("binding_capacities", "binding capacities", 0),
    ("moved_segments", "moved segments", 0),
]
SMALL_MULTIPLES = [
    ("duplicated_hosts", "Duplicated hosts (fewer: less 重复建设)"),
    ("mean_similarity", "Mean structure similarity S (lower: more distinct)"),
    ("mean_krugman", "Mean Krugman index KSI (higher: more specialised)"),
    ("gini_va_per_capita", "Gini of VA per capita (lower: more even)"),
    ("core_periphery_ratio", "Core / periphery VA per capita"),
    ("moved_segments", "Segments moved against the reference"),
]


def overview(comparison: Comparison) -> str:
    """Objective terms, indicator small multiples and the indicator table across plans."""
    inst = comparison.instance
    rows = [
        (
            p.name,
            {t: (p.data.weights.of(t) * (p.summary["terms"].get(t) or 0.0)) for t in TERMS}
            if p.has_plan
            else None,
            p.status,
        )
        for p in comparison.scenarios
    ]
    bars = charts.stacked_bars(
        rows, list(TERMS), inst.units.money, "objective terms by scenario (weighted)"
    )
    table_rows = comparison.table.set_index("scenario")
    multiples = "".join(
        charts.small_bars(
            title, [(p.id, _num(table_rows.at[p.id, col])) for p in comparison.plans], "today"
        )
        for col, title in SMALL_MULTIPLES
    )
    ind_rows = []
    for p in comparison.plans:
        r = table_rows.loc[p.id]
        cells = [f'<a href="#plan-{escape(p.id)}">{escape(p.name)}</a>', escape(p.status_text)]
        ind_rows.append(cells + [fmt(_num(r[col]), d) for col, _, d in INDICATOR_COLUMNS])
    ind_table = table(
        ["plan", "status", *[escape(label) for _, label, _ in INDICATOR_COLUMNS]],
        ind_rows,
        "indicator-table",
        numeric=set(range(2, 2 + len(INDICATOR_COLUMNS))),
        row_classes=["today" if p.is_today else "" for p in comparison.plans],
        table_id="indicator-table",
    )
    return (
        '<section id="overview"><h2>Scenarios at a glance</h2>'
        f"<h3>Cost of each plan, by objective term ({escape(inst.units.money)})</h3>"
        f'<div id="objective-terms">{bars}</div>'
        "<h3>Division of labour</h3>"
        f'<div class="bars-grid" id="indicator-bars">{multiples}</div>'
        f"<h3>Indicators</h3>{ind_table}"
        '<p class="note">S: UNIDO structure similarity of two cities\' segment output shares, '
        "mean over pairs of producing cities (1: identical mix). KSI: Σ|x_ik − X_k| of a city "
        "against the area (0: the area's mix, 2: nothing in common). Gini and Theil T over "
        "cities' value added per capita, unweighted. Core/periphery: pooled VA per capita of "
        "the core city over that of the periphery. Binding capacities: positive shadow price or "
        f"full. Moved: segments whose hosts differ from {escape(comparison.reference)}.</p>"
        "</section>"
    )


def robustness_section(comparison: Comparison) -> str:
    """Per (segment, city): in how many scenarios it is hosted; the safe first moves."""
    rob = comparison.robustness
    solved = [p for p in comparison.scenarios if p.has_plan]
    if rob.empty or not solved:
        return '<section id="robustness"><h2>Robust allocations</h2><p>No plans.</p></section>'
    if len(solved) < 2:
        return (
            '<section id="robustness"><h2>Robust allocations</h2><p>One scenario has a plan: '
            "robust allocations need at least two to compare (solve more scenarios, or run a "
            "sweep for robustness under uncertain numbers).</p></section>"
        )
    plan = solved[0]
    n = len(solved)
    safe = rob[rob.in_all]
    safe_rows = []
    for s, part in safe.groupby("segment", sort=False):
        keep, build = part[part.today].city, part[~part.today].city
        safe_rows.append(
            [
                escape(segment_label(plan.data, s)),
                escape(", ".join(city_label(plan.data, c) for c in keep)) or "—",
                escape(", ".join(city_label(plan.data, c) for c in build)) or "—",
            ]
        )
    safe_table = (
        table(["segment", "keep (output today)", "build (new)"], safe_rows, "safe-moves")
        if safe_rows
        else "<p>None: every allocation depends on the scenario.</p>"
    )
    segments = [s for s in plan.data.segments if s in set(rob.segment)]
    values = rob.pivot_table(index="segment", columns="city", values="scenarios", aggfunc="sum")
    values = values.reindex(index=segments, columns=list(plan.data.cities)).fillna(0.0)
    grid = charts.heatmap(
        values,
        values / n,
        {s: segment_label(plan.data, s) for s in segments},
        city_columns(plan.data),
        "scenarios hosting each segment in each city",
        row_colours=charts.chain_colours(plan.data.chain_of),
        text=lambda v: f"{v:.0f}/{n}",
        marked={(r.segment, r.city) for r in rob.itertuples() if r.today},
        outlined={(r.segment, r.city) for r in safe.itertuples()},
        tooltip=lambda s, c, v: (
            f"{segment_label(plan.data, s)} in {city_label(plan.data, c)}: "
            f"hosted in {v:.0f} of {n} scenarios"
        ),
    )
    return (
        '<section id="robustness"><h2>Robust allocations</h2>'
        f'<p class="lead">Allocations hosted in every one of the {n} solved scenarios are the '
        f"safe first moves ({len(safe)}):</p>{safe_table}"
        '<p class="note">Cell: number of scenarios hosting the segment in the city; framed: '
        "in all of them; red corner: the city has output today.</p>"
        f"{grid}</section>"
    )


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def report(comparison: Comparison, sweep: SweepResults | None = None) -> str:
    """The whole page; with a sweep's results, their section after the robust allocations."""
    inst = comparison.instance
    title = " · ".join(n for n in (inst.name_local, inst.name) if n)
    ref = next(p.name for p in comparison.plans if p.id == comparison.reference)
    nav = "".join(
        f'<a href="#{a}">{escape(t)}</a>'
        for a, t in [("overview", "Overview"), ("robustness", "Robust allocations")]
        + ([("sweep", "Robustness under uncertainty")] if sweep else [])
        + [(f"plan-{p.id}", p.name) for p in comparison.plans]
    )
    return (
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} — scenario comparison</title><style>{STYLE}</style></head>"
        f"<body><nav>{nav}</nav><main><h1>{escape(title)}</h1>"
        f'<p class="lead">{len(comparison.scenarios)} scenarios compared with today\'s layout '
        f"(existing output). Changes are measured against <b>{escape(ref)}</b>. Money in "
        f"{escape(inst.units.money)}, output in {escape(inst.units.output)}.</p>"
        f"{overview(comparison)}{robustness_section(comparison)}"
        + (sweep_section(sweep, comparison) if sweep else "")
        + "".join(plan_section(p, comparison) for p in comparison.plans)
        + "</main></body></html>\n"
    )
