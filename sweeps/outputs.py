"""Result files of a sweep, in `<out>/sweep/` (written atomically, summary.json last):

- `samples.csv`: sample, scenario, status, objective, gap, seconds, reason, and `hosts_<segment>`
  (the host cities of each segment, joined by ';', empty when the segment is imported);
- `regret.csv`: scenario, sample, objective (the sample's optimum, see `sweeps.regret.regret`),
  kept_status, kept_objective (the cost of keeping the base plan's hosts), regret =
  kept_objective − objective, regret_relative = regret / objective, regret_proven (1 when both
  solves were proven optimal; 0 when one stopped at the time limit, or there is no regret),
  and kept_reason (why the base hosts cannot serve the sample, with the least change that
  would let them);
- `robustness.csv`: scenario, segment, city, base_host (1 if the base plan hosts it there),
  hosted (samples in which the city hosts the segment), solved (samples with a plan) and
  share = hosted / solved, for every eligible pair;
- `summary.json`: per scenario the base plan, objective percentiles, samples failed and why,
  the regret distribution (over the proven regrets), contested decisions; the sweep's settings
  and throughput.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from models.data import ScenarioData
from reports.atomic import write_csv, write_json
from sweeps.worker import has_solution

PERCENTILES = (5, 25, 50, 75, 95)
CONTESTED = (0.05, 0.95)
"""Pairs hosted in more than 5 % and fewer than 95 % of the samples are listed as contested."""
MAX_LISTED = 20


def percentiles(values: list[float]) -> dict[str, float] | None:
    """min, p5, p25, p50, p75, p95, max and mean (numpy's linear interpolation); None if empty."""
    if not values:
        return None
    a = np.asarray(values, dtype=float)
    out = {"min": float(a.min())}
    out.update({f"p{q}": float(np.percentile(a, q)) for q in PERCENTILES})
    out.update(max=float(a.max()), mean=float(a.mean()))
    return {k: round(v, 6) + 0.0 for k, v in out.items()}


def samples_frame(records: list[dict], segments: tuple[str, ...]) -> pd.DataFrame:
    """One row per (scenario, sample), in the order given."""
    rows = []
    for r in records:
        row = {
            "sample": r["sample"],
            "scenario": r["scenario"],
            "status": r["status"],
            "objective": r["objective"],
            "gap": r["gap"],
            "seconds": r["seconds"].get("total"),
            "reason": r["reason"],
        }
        row.update({f"hosts_{s}": ";".join(r["hosts"].get(s, [])) for s in segments})
        rows.append(row)
    columns = ["sample", "scenario", "status", "objective", "gap", "seconds", "reason"]
    return pd.DataFrame(rows, columns=columns + [f"hosts_{s}" for s in segments])


def regret_frame(records: list[dict]) -> pd.DataFrame:
    """One row per (scenario, sample): the optimum against the cost of keeping the base hosts."""
    rows = [
        {
            "scenario": r["scenario"],
            "sample": r["sample"],
            "objective": r["objective"] if r["regret"] is None else r["regret_reference"],
            "kept_status": (r["kept"] or {}).get("status", "no_base_plan"),
            "kept_objective": (r["kept"] or {}).get("objective"),
            "regret": r["regret"],
            "regret_relative": r["regret_relative"],
            "regret_proven": int(bool(r["regret_proven"])),
            "kept_reason": (r["kept"] or {}).get("reason", ""),
        }
        for r in records
    ]
    columns = ["scenario", "sample", "objective", "kept_status", "kept_objective", "regret"]
    columns += ["regret_relative", "regret_proven", "kept_reason"]
    return pd.DataFrame(rows, columns=columns)


def robustness_frame(data: ScenarioData, base: dict, records: list[dict]) -> pd.DataFrame:
    """Share of the solved samples in which each eligible city hosts each segment."""
    solved = [r for r in records if has_solution(r)]
    counts = Counter((s, c) for r in solved for s, cities in r["hosts"].items() for c in cities)
    base_hosts = base.get("hosts", {})
    rows = [
        {
            "scenario": data.scenario.id,
            "segment": s,
            "city": c,
            "base_host": int(c in base_hosts.get(s, ())),
            "hosted": counts[s, c],
            "solved": len(solved),
            "share": round(counts[s, c] / len(solved), 6) if solved else None,
        }
        for s, c in data.pairs
    ]
    columns = ["scenario", "segment", "city", "base_host", "hosted", "solved", "share"]
    return pd.DataFrame(rows, columns=columns)


def failures(records: list[dict]) -> dict:
    """Samples without a plan, grouped by status and reason, with their numbers."""
    failed = [r for r in records if not has_solution(r)]
    groups: dict[tuple[str, str], list[int]] = {}
    for r in failed:
        groups.setdefault((r["status"], r["reason"]), []).append(r["sample"])
    return {
        "count": len(failed),
        "by_status": dict(Counter(r["status"] for r in failed)),
        "reasons": [
            {"status": st, "reason": why, "count": len(ks), "samples": ks[:MAX_LISTED]}
            for (st, why), ks in sorted(groups.items(), key=lambda g: -len(g[1]))
        ],
    }


NUMBER = re.compile(r"(?<![\w'])\d[\d,]*(?:\.\d+)?")
"""A number in a sentence (not the digits of an id such as 'c1')."""


def reason_groups(reasons: list[str]) -> list[dict]:
    """Reasons that differ only in their numbers, counted together, most frequent first: the
    sentence itself where all are alike, else with each number as '…'."""
    groups: dict[str, list[str]] = {}
    for reason in reasons:
        groups.setdefault(NUMBER.sub("…", reason), []).append(reason)
    ranked = sorted(groups.items(), key=lambda g: -len(g[1]))[:MAX_LISTED]
    return [
        {"reason": texts[0] if len(set(texts)) == 1 else pattern, "count": len(texts)}
        for pattern, texts in ranked
    ]


def regret_summary(records: list[dict], gap: float, unit: str) -> dict:
    """Distribution of the proven regrets of the base plan, the samples whose regret rests on a
    solve stopped at its time limit, and where keeping the plan is infeasible."""
    with_regret = [r for r in records if r["regret"] is not None]
    proven = [r for r in with_regret if r["regret_proven"]]
    unproven = [r["sample"] for r in with_regret if not r["regret_proven"]]
    kept_infeasible = [r for r in records if (r["kept"] or {}).get("status") == "infeasible"]
    return {
        "unit": unit,
        "samples": len(with_regret),
        "proven": len(proven),
        "base_plan_optimal": sum(
            r["regret"] <= gap * abs(r["regret_reference"]) + 1e-6 for r in proven
        ),
        "unproven": len(unproven),
        "unproven_samples": unproven[:MAX_LISTED],
        "base_plan_infeasible": len(kept_infeasible),
        "base_plan_infeasible_samples": [r["sample"] for r in kept_infeasible][:MAX_LISTED],
        "base_plan_infeasible_reasons": reason_groups(
            [r["kept"].get("reason", "") for r in kept_infeasible]
        ),
        "absolute": percentiles([r["regret"] for r in proven]),
        "relative": percentiles(
            [r["regret_relative"] for r in proven if r["regret_relative"] is not None]
        ),
    }


def contested(robustness: pd.DataFrame) -> list[dict]:
    """Pairs whose share is neither near 0 nor near 1, closest to a coin flip first."""
    low, high = CONTESTED
    rows = robustness[(robustness.share > low) & (robustness.share < high)].copy()
    rows["order"] = (rows.share - 0.5).abs()
    return _listed(rows)


def overturned(robustness: pd.DataFrame) -> list[dict]:
    """Decisions of the base plan that more than half the solved samples reverse (a base host
    with a share below 0.5, a pair it leaves out with a share above 0.5), most reversed first."""
    rows = robustness[(robustness.share - robustness.base_host).abs() > 0.5].copy()
    rows["order"] = -(rows.share - rows.base_host).abs()
    return _listed(rows)


def _listed(rows: pd.DataFrame) -> list[dict]:
    """The first MAX_LISTED pairs by `order`, as summary.json lists them."""
    rows = rows.sort_values(["order", "segment", "city"]).head(MAX_LISTED)
    return [
        {"segment": r.segment, "city": r.city, "share": r.share, "base_host": r.base_host}
        for r in rows.itertuples()
    ]


def scenario_summary(
    data: ScenarioData, base: dict, records: list[dict], robustness: pd.DataFrame, gap: float
) -> dict:
    solved = [r for r in records if has_solution(r)]
    return {
        "base": {
            "status": base["status"],
            "objective": base["objective"],
            "gap": base["gap"],
            "hosts": base["hosts"],
            "reason": base["reason"],
        },
        "samples": len(records),
        "solved": len(solved),
        "feasible_at_limit": sum(r["status"] == "feasible" for r in solved),
        "failed": failures(records),
        "objective": percentiles([r["objective"] for r in solved]),
        "regret": regret_summary(records, gap, data.instance.units.money),
        "contested": contested(robustness),
        "overturned": overturned(robustness),
    }


def write_outputs(
    root: Path,
    scenarios: dict[str, ScenarioData],
    base: dict[str, dict],
    records: dict[str, list[dict]],
    settings: dict,
) -> dict:
    """Write the four files for the scenarios given (records in sample order); return the
    summary payload."""
    gap = settings["solver"]["mip_gap"]
    segments = next(iter(scenarios.values())).segments
    flat = [r for sid in scenarios for r in records[sid]]
    write_csv(root / "samples.csv", samples_frame(flat, segments))
    write_csv(root / "regret.csv", regret_frame(flat))
    frames = {
        sid: robustness_frame(data, base[sid], records[sid]) for sid, data in scenarios.items()
    }
    write_csv(root / "robustness.csv", pd.concat(frames.values(), ignore_index=True))
    payload = {
        **settings,
        "scenarios": {
            sid: scenario_summary(data, base[sid], records[sid], frames[sid], gap)
            for sid, data in scenarios.items()
        },
    }
    write_json(root / "summary.json", payload)
    return payload
