"""The robustness section of report.html: a sweep's result files read back and shown per swept
scenario — how often each city hosts each segment, what keeping the deterministic plan costs,
the most contested decisions and the spread of the optimum.

The files are those of `python solve.py INSTANCE --sweep SWEEP.json --out OUT` in `OUT/sweep/`
(README, Sweeps); the section exists only when `summary.json`, written last, is there. Ids for
readers and tests: the section `sweep`, per scenario a block `sweep-<id>` holding the share grid
`share-grid-<id>` (a `heatmap` chart) and the regret figure `regret-<id>` (a `histogram`).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from models.data import ScenarioData, instance_fingerprint
from reports import charts
from reports.assess import Comparison
from reports.charts import fmt
from reports.histogram import Extra, histogram
from reports.html_plan import city_columns, table
from reports.plans import city_label, segment_label
from reports.results import (
    ANY,
    COUNT,
    FLAG,
    NUMBER_OR_EMPTY,
    TEXT,
    ReportInputError,
    Table,
    read_json,
    read_table,
    unknown_ids,
)
from reports.sweep_summary import check_summary

SWEEP_DIR = "sweep"
CONTESTED_ROWS = 10
"""Contested decisions shown per scenario (summary.json lists up to 20)."""
PERCENTILE_COLUMNS = ["min", "p5", "p25", "p50", "p75", "p95", "max", "mean"]
BASE_FRAME = "#f28e2b"
"""Frame of the deterministic plan's hosts: orange shows on dark and on light cells alike."""
INFEASIBLE_COLOUR = "#e15759"
OTHER_COLOUR = "#9a9a9a"
UNPROVEN_COLOUR = "#c9c9c9"
ROBUSTNESS = Table(
    {
        "scenario": TEXT,
        "segment": TEXT,
        "city": TEXT,
        "base_host": FLAG,
        "hosted": COUNT,
        "solved": COUNT,
        "share": NUMBER_OR_EMPTY,  # empty: no sample of the scenario has a plan
    },
    key=("scenario", "segment", "city"),
)
REGRET = Table(
    {
        "scenario": TEXT,
        "sample": COUNT,
        "objective": NUMBER_OR_EMPTY,
        "kept_status": TEXT,
        "kept_objective": NUMBER_OR_EMPTY,
        "regret": NUMBER_OR_EMPTY,
        "regret_relative": NUMBER_OR_EMPTY,
        "regret_proven": FLAG,
        "kept_reason": ANY,
    },
    key=("scenario", "sample"),
)
"""What the report reads of robustness.csv and regret.csv (README, Sweeps: reading the results)."""


@dataclass(frozen=True)
class SweepResults:
    """The result files of one sweep (README, Sweeps: reading the results)."""

    summary: dict
    robustness: pd.DataFrame
    """scenario, segment, city, base_host, hosted, solved, share — every eligible pair."""
    regret: pd.DataFrame
    """scenario, sample, objective, kept_status, kept_objective, regret, regret_relative,
    regret_proven, kept_reason — every sample."""

    @property
    def scenarios(self) -> list[str]:
        return list(self.summary["scenarios"])

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables for the workbook, by name."""
        return {"robustness": self.robustness, "regret": self.regret}


def read_sweep(out_dir: Path, data: ScenarioData, instance: Path) -> SweepResults | None:
    """`<out_dir>/sweep/` when its summary.json exists, checked against the instance of `data`,
    read from `instance` (scenarios, segments and cities must be the instance's, and its numbers
    those the sweep was run on); None without a sweep. A damaged file or another instance's sweep
    raises ReportInputError."""
    root = Path(out_dir) / SWEEP_DIR
    if not (root / "summary.json").exists():
        return None
    fix = f"rerun the sweep with this instance or remove {root}"
    summary = read_json(root / "summary.json", fix)
    robustness = read_table(root / "robustness.csv", ROBUSTNESS, fix)
    regret = read_table(root / "regret.csv", REGRET, fix)
    check_summary(summary, root / "summary.json", fix)
    regret["kept_reason"] = regret["kept_reason"].astype(object).fillna("")
    known = {
        "scenario": [s.id for s in data.instance.scenario_list()],
        "segment": data.segments,
        "city": data.cities,
    }
    found = {
        "scenario": [*summary["scenarios"], *robustness.scenario],
        "segment": robustness.segment,
        "city": robustness.city,
    }
    if unknown := unknown_ids(found, known):
        raise ReportInputError(
            f"{root} was written for another instance ({summary.get('instance')}): "
            f"{'; '.join(unknown)} not in this one — {fix}"
        )
    made_from = summary.get("instance_fingerprint")  # absent in sweeps of older versions
    if made_from is not None and made_from != instance_fingerprint(data.instance):
        raise ReportInputError(
            f"{root} was swept from {summary.get('instance')} with other numbers or policies "
            f"than {instance} holds — compare with the instance it was swept from, or rerun the "
            f"sweep with this one (python solve.py {instance} --sweep {summary.get('sweep')} "
            f"--out {out_dir}) or remove {root}"
        )
    return SweepResults(summary, robustness, regret)


def _share(v: float) -> str:
    """A share as a whole percentage that never rounds a rare event to 0 % or 100 %."""
    return "<1%" if 0 < v < 0.01 else ">99%" if 0.99 < v < 1 else f"{v:.0%}"


def _percent(v: float | None) -> str:
    return "—" if v is None else f"{fmt(100 * v)} %"


def share_grid(sid: str, rob: pd.DataFrame, data: ScenarioData) -> str:
    """Segment × city: the share of solved samples in which the city hosts the segment; the
    deterministic plan's hosts framed; pairs that are not eligible left white."""
    solved = int(rob.solved.max())
    values = rob.pivot_table(index="segment", columns="city", values="share", aggfunc="sum")
    segments = [s for s in data.segments if s in values.index]
    values = values.reindex(index=segments, columns=list(data.cities))
    pairs = {(r.segment, r.city): r for r in rob.itertuples()}

    def tooltip(s: str, c: str, v: float) -> str:
        where = f"{segment_label(data, s)} in {city_label(data, c)}"
        if (s, c) not in pairs:
            return f"{where}: not eligible"
        r = pairs[s, c]
        plan = "hosts it" if r.base_host else "does not host it"
        return (
            f"{where}: hosted in {r.hosted} of {r.solved} solved samples ({_share(v)}); "
            f"the deterministic plan {plan}"
        )

    return charts.heatmap(
        values,
        values,
        {s: segment_label(data, s) for s in segments},
        city_columns(data),
        f"share of {solved} samples hosting each segment in each city, {sid}",
        row_colours=charts.chain_colours(data.chain_of),
        text=_share,
        outlined={(r.segment, r.city) for r in rob.itertuples() if r.base_host},
        tooltip=tooltip,
        frame_colour=BASE_FRAME,
    )


def regret_figure(sid: str, reg: pd.DataFrame, stats: dict, money: str) -> str:
    """Histogram of the proven regrets, with beside it the samples in which the base plan is
    infeasible, those whose regret is not proven (a solve stopped at its time limit) and any
    other sample without a regret."""
    proven = reg[reg.regret_proven == 1]
    # a kept plan can come out below the sample's optimum by up to the MIP gap: that is zero
    values = [max(0.0, float(v)) for v in proven.regret]
    infeasible = int((reg.kept_status == "infeasible").sum())
    unproven = int((reg.regret.notna() & (reg.regret_proven == 0)).sum())
    other = len(reg) - len(values) - infeasible - unproven
    extras = [
        Extra(
            "base plan infeasible",
            infeasible,
            INFEASIBLE_COLOUR,
            "samples in which the deterministic plan's hosts cannot serve the sample at all: "
            f"{infeasible}",
        )
    ]
    if unproven:
        extras.append(
            Extra(
                "not proven",
                unproven,
                UNPROVEN_COLOUR,
                "samples whose regret is not proven because a solve stopped at the sweep's time "
                f"limit (regret.csv has their estimates, regret_proven 0): {unproven}",
            )
        )
    if other:
        extras.append(
            Extra(
                "no regret known",
                other,
                OTHER_COLOUR,
                f"samples without a regret (no base plan, or the sample or the kept plan not "
                f"solved): {other}",
            )
        )
    absolute = stats["absolute"] or {}
    markers = [(f"p{q}", absolute[f"p{q}"]) for q in (50, 95) if f"p{q}" in absolute]
    chart = histogram(
        values,
        f"regret ({money})",
        f"regret of the deterministic plan over the samples, {sid}",
        extras=extras,
        markers=markers,
        origin=0.0,
    )
    relative = stats["relative"] or {}
    text = (
        f"Median regret <b>{fmt(absolute.get('p50'))}</b> {escape(money)}, p95 "
        f"<b>{fmt(absolute.get('p95'))}</b> {escape(money)} (relative to the sample's optimum: "
        f"{_percent(relative.get('p50'))} and {_percent(relative.get('p95'))}). "
        if absolute
        else "No sample has a proven regret. "
    )
    if stats["proven"]:
        text += (
            f"The deterministic plan is still optimal in {stats['base_plan_optimal']} of the "
            f"{stats['proven']} samples with a proven regret. "
        )
    if stats["unproven"]:
        text += (
            f"{stats['unproven']} regrets are not proven (a solve stopped at the time limit) and "
            "are left out of these numbers. "
        )
    if stats["samples"] or stats["base_plan_infeasible"]:
        text += f"Its hosts cannot serve {stats['base_plan_infeasible']} of the {len(reg)} samples."
    reasons = "".join(
        f"<li>{escape(r['reason'])} ({r['count']}×)</li>"
        for r in stats["base_plan_infeasible_reasons"][:3]
    )
    if reasons:
        text += f'<ul class="note">{reasons}</ul>'
    return (
        f'<figure class="regret" id="regret-{escape(sid)}">{chart}'
        f'<figcaption style="max-width:580px">{text}</figcaption></figure>'
    )


def contested_table(rows: list[dict], rob: pd.DataFrame, data: ScenarioData) -> str:
    """The decisions closest to a coin flip, from summary.json, with their counts."""
    if not rows:
        return (
            '<p class="note">None: every pair is hosted in fewer than 5 % or in more than 95 % '
            "of the solved samples.</p>"
        )
    html, shown = _decisions(rows, rob, data, "contested-table")
    return html + (
        '<p class="note">Hosted in more than 5 % and fewer than 95 % of the solved samples, '
        f"closest to a coin flip first; {shown}.</p>"
    )


def overturned_table(rows: list[dict], rob: pd.DataFrame, data: ScenarioData) -> str:
    """The deterministic plan's decisions that most samples reverse, from summary.json."""
    if not rows:
        return (
            '<p class="note">None: each of its decisions is what most of the solved samples do.</p>'
        )
    html, shown = _decisions(rows, rob, data, "overturned-table")
    return html + (
        '<p class="note">A host of the deterministic plan in fewer than half of the solved '
        "samples, or a pair it leaves out that more than half host, the most reversed first; "
        f"{shown}.</p>"
    )


def _decisions(rows: list[dict], rob: pd.DataFrame, data: ScenarioData, css: str):
    """A table of the first CONTESTED_ROWS decisions listed in summary.json, with their counts,
    and which of them it shows."""
    counts = rob.set_index(["segment", "city"])
    cells = []
    for r in rows[:CONTESTED_ROWS]:
        c = counts.loc[(r["segment"], r["city"])]
        share = r["share"]
        reading = (
            f"kept in {_share(share)}, dropped in {_share(1 - share)}"
            if r["base_host"]
            else f"added in {_share(share)}"
        )
        cells.append(
            [
                escape(segment_label(data, r["segment"])),
                escape(city_label(data, r["city"])),
                f"{_share(share)} ({int(c.hosted)}/{int(c.solved)})",
                "hosts" if r["base_host"] else "does not host",
                escape(reading),
            ]
        )
    shown = (
        f"the {len(cells)} of {len(rows)} listed in sweep/summary.json"
        if len(rows) > len(cells)
        else f"all {len(rows)}"
    )
    head = ["segment", "city", "share", "deterministic plan", "in the samples"]
    return table(head, cells, css, numeric={2}), shown


def percentile_table(summary: dict, money: str) -> str:
    """Percentiles of the samples' optimum, of the regret and of the relative regret."""
    objective, regret = summary["objective"], summary["regret"]
    rows = []
    for name, stats, show in (
        (f"optimum of the sample ({escape(money)})", objective, fmt),
        (f"regret ({escape(money)})", regret["absolute"], fmt),
        ("regret / optimum", regret["relative"], _percent),
    ):
        if stats:
            rows.append([name, *(show(stats[k]) for k in PERCENTILE_COLUMNS)])
    if not rows:
        return '<p class="note">No sample has a plan.</p>'
    return table(
        ["", *PERCENTILE_COLUMNS],
        rows,
        "percentile-table",
        numeric=set(range(1, len(PERCENTILE_COLUMNS) + 1)),
    )


def _at_limit(count: int) -> str:
    """The caveat on the shares when some samples' plans stopped at the time limit."""
    if not count:
        return ""
    return (
        f" {count} of these plans stopped at the sweep's time limit and are not proven optimal, "
        "so their hosts may differ from the samples' optimal ones."
    )


def scenario_block(sid: str, sweep: SweepResults, comparison: Comparison) -> str:
    """One swept scenario: headline, share grid, regret histogram, contested and percentiles."""
    data = comparison.plans[0].data
    money = comparison.instance.units.money
    summary = sweep.summary["scenarios"][sid]
    rob = sweep.robustness[sweep.robustness.scenario == sid]
    reg = sweep.regret[sweep.regret.scenario == sid]
    names = {s.id: s.name or s.id for s in comparison.instance.scenario_list()}
    base, failed = summary["base"], summary["failed"]
    solved_cls = "" if summary["solved"] == summary["samples"] else " bad"
    head = (
        f'<div class="sweep-scenario" id="sweep-{escape(sid)}" data-scenario="{escape(sid)}">'
        f'<h3>{escape(names.get(sid, sid))} <span class="status{solved_cls}">'
        f"{summary['solved']}/{summary['samples']} samples solved</span></h3>"
    )
    plan_link = (
        f'<a href="#plan-{escape(sid)}">deterministic plan</a>'
        if any(p.id == sid for p in comparison.scenarios)
        else "deterministic plan"
    )
    facts = [f"{plan_link}: {escape(base['status'])}, objective {fmt(base['objective'])}"]
    if summary["objective"]:
        o = summary["objective"]
        facts.append(
            f"optimum over the samples p5 {fmt(o['p5'])} · p50 {fmt(o['p50'])} · "
            f"p95 {fmt(o['p95'])} {escape(money)}"
        )
    if failed["count"]:
        why = "; ".join(f"{r['status']}: {r['reason']} ({r['count']}×)" for r in failed["reasons"])
        facts.append(
            f'<span class="down">{failed["count"]} samples without a plan ({escape(why)})</span>'
        )
    head += f'<p class="key">{" · ".join(facts)}</p>'
    if base["status"] == "feasible":
        head += (
            '<p class="note down">The deterministic plan stopped at the sweep\'s time limit '
            f"(gap {_percent(base.get('gap'))}): the regret measures that plan, not an optimal "
            "one. Raise <code>time_limit</code> in the sweep file and rerun the sweep.</p>"
        )
    elif base["status"] != "optimal":
        head += (
            '<p class="note">The unperturbed scenario has no plan, so nothing is kept and there '
            f"is no regret: {escape(base.get('reason') or base['status'])}</p>"
        )
    if not summary["solved"]:
        return head + "<p>No sample has a plan.</p></div>"
    solved = summary["solved"]
    grid = (
        "<h4>Share of the samples in which each city hosts each segment</h4>"
        f'<p class="note">Cell: share of the {solved} solved samples; orange frame: the '
        "deterministic plan hosts it; grey: eligible, never hosted; white: not eligible."
        f"{_at_limit(summary['feasible_at_limit'])}</p>"
        f'<div class="share-grid" id="share-grid-{escape(sid)}">'
        f"{share_grid(sid, rob, data)}</div>"
    )
    regret = regret_figure(sid, reg, summary["regret"], money)
    side = (
        "<h4>Decisions of the deterministic plan most samples reverse</h4>"
        f"{overturned_table(summary.get('overturned', []), rob, data)}"
        f"<h4>Most contested decisions</h4>{contested_table(summary['contested'], rob, data)}"
        f"<h4>Percentiles over the samples</h4>{percentile_table(summary, money)}"
    )
    return (
        head
        + grid
        + "<h4>Regret: what keeping the deterministic plan's hosts costs in each sample</h4>"
        + f'<div class="row">{regret}<div>{side}</div></div></div>'
    )


def sweep_section(sweep: SweepResults, comparison: Comparison) -> str:
    """The section: what was varied, then one block per swept scenario."""
    s = sweep.summary
    varied = "".join(
        f"<li><code>{escape(v['path'])}</code> × (1 + u), u in "
        f"[{v['relative'][0]:+.0%}, {v['relative'][1]:+.0%}], "
        f"{'one draw per sample' if v.get('common') else 'one draw per value'}</li>"
        for v in s.get("vary", [])
    )
    rate = (s.get("run") or {}).get("samples_per_minute")
    run = f" Last run: {fmt(rate)} samples per minute." if rate else ""
    return (
        f'<section id="{SWEEP_DIR}"><h2>Robustness under uncertainty</h2>'
        f'<p class="lead">Each scenario below was solved for {s["samples"]} samples of its '
        f"uncertain numbers (seed {s['seed']}), each number multiplied by a random factor:</p>"
        f'<ul class="note">{varied}</ul>'
        '<p class="note">Regret: the cost of keeping the deterministic plan\'s hosts in a sample '
        "(outputs, shipments and imports re-optimised) minus the sample's own optimum; zero "
        "means the plan is still optimal there. From sweep/ of the results folder: "
        f"robustness.csv, regret.csv, summary.json.{run}</p>"
        + "".join(scenario_block(sid, sweep, comparison) for sid in sweep.scenarios)
        + "</section>"
    )
