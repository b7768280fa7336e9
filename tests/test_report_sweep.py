"""The sweep in report.html and results.xlsx, on a 4-sample sweep of instances/tiny.json.

Two scenarios are swept (baseline and no_east_assembly, seed 1): the assembly transport cost as
in instances/tiny_sweep.json, and land cut by 0-50 % with one draw per sample. East needs 6 ha
for its parts and has 8 × (1 + u): when u < −1/4 the deterministic plan's hosts cannot serve the
sample and parts move partly to West; otherwise the tiny sweep's notes hold, so the baseline's
regret is max(0, 450 t − 7.5) with t the assembly transport cost.
"""

from __future__ import annotations

import io
import json
import shutil
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import solve
from reports.charts import fmt
from reports.compare import main as compare_main
from reports.compare import render
from reports.histogram import Extra, bin_counts, histogram, nice_step
from reports.html_sweep import BASE_FRAME
from sweeps.run import run_sweep
from tests.test_report_html import Elements, charts_in
from tests.test_sweeps import tiny_t, u_by_hand

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "instances" / "tiny.json"
SWEPT = ["baseline", "no_east_assembly"]
SAMPLES = 4


def land_factor(k: int) -> float:
    """1 + u of the common land draw of sample k (second `vary` entry)."""
    return 1 + u_by_hand(1, k, 1, -0.5, 0.0, None)


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("swept")
    assert solve.main([str(TINY), "--out", str(out), "--quiet"]) == 0
    sweep = out / "tiny_land.json"
    sweep.write_text(
        json.dumps(
            {
                "samples": SAMPLES,
                "seed": 1,
                "scenarios": SWEPT,
                "vary": [
                    {"path": "chains.kit.segments.assembly.transport_cost", "relative": [0, 1.5]},
                    {"path": "cities.*.capacity.land", "relative": [-0.5, 0.0], "common": True},
                ],
            }
        ),
        encoding="utf-8",
    )
    assert run_sweep(TINY, sweep, out, workers=0, stream=io.StringIO()) == 0
    render(out, TINY)
    return out


@pytest.fixture(scope="module")
def page(results) -> tuple[str, Elements]:
    text = (results / "report.html").read_text(encoding="utf-8")
    parsed = Elements()
    parsed.feed(text)
    return text, parsed


def elements_in(parsed: Elements, tag: str, inside: str) -> list[dict[str, str]]:
    return [a for t, a, ancestors in parsed.inside if t == tag and inside in ancestors]


def test_the_section_is_linked_with_one_block_per_swept_scenario(page):
    text, parsed = page
    ids = [a.get("id", "") for _, a in parsed.tags]
    assert "sweep" in ids and 'href="#sweep"' in text
    blocks = [a["id"] for _, a in parsed.tags if "sweep-scenario" in a.get("class", "")]
    assert blocks == [f"sweep-{s}" for s in SWEPT]
    assert ids.index("robustness") < ids.index("sweep") < ids.index("plan-today")


def test_each_swept_scenario_has_a_share_grid_and_a_regret_histogram(page):
    _, parsed = page
    for sid in SWEPT:
        assert charts_in(parsed, f"share-grid-{sid}") == {"chart", "heatmap"}, sid
        assert charts_in(parsed, f"regret-{sid}") == {"chart", "histogram"}, sid
        assert f"share-grid-{sid}" in [a.get("id") for _, a in parsed.tags]


def test_share_grid_frames_the_deterministic_hosts_and_counts_the_samples(page, results):
    _, parsed = page
    cells = elements_in(parsed, "rect", "share-grid-baseline")
    framed = [a for a in cells if a.get("stroke") == BASE_FRAME]
    assert len(framed) == 2  # parts and assembly in East (instances/tiny.json notes)
    assert sum(a.get("fill") == "#fff" for a in cells if "cell" in a.get("class", "")) == 2
    # parts move partly to West exactly in the samples where East's land falls below 6 ha
    west = sum(8 * land_factor(k) < 6 for k in range(SAMPLES))
    rob = pd.read_csv(results / "sweep" / "robustness.csv").set_index(["scenario", "segment"])
    row = rob[rob.city == "west"].loc[("baseline", "parts")]
    assert (int(row.hosted), int(row.solved)) == (west, SAMPLES) and 0 < west < SAMPLES
    text, _ = page
    assert f"零件 in 西 West: hosted in {west} of {SAMPLES} solved samples" in text
    assert "零件 in 中心 Hub: not eligible" in text


def test_regret_histogram_counts_every_sample_and_states_median_and_p95(page):
    text, parsed = page
    infeasible = [k for k in range(SAMPLES) if 8 * land_factor(k) < 6]
    regrets = sorted(max(0.0, 450 * tiny_t(k) - 7.5) for k in range(SAMPLES) if k not in infeasible)
    bars = [a.get("class") for a in elements_in(parsed, "rect", "regret-baseline")]
    assert "bar" in bars and bars.count("bar extra") == 1
    block = unescape(text[text.index('id="regret-baseline"') : text.index('id="sweep-no_east')])
    counts = [int(t.rsplit(": ", 1)[1]) for t in _titles(block) if t.startswith("regret (亿元)")]
    assert sum(counts) == len(regrets)
    assert (
        f"samples in which the deterministic plan's hosts cannot serve the sample at all: "
        f"{len(infeasible)}" in block
    )
    median = regrets[len(regrets) // 2]  # an odd number of samples with a regret
    assert len(regrets) % 2 == 1 and f"Median regret <b>{fmt(median)}</b> 亿元" in block
    assert "p95 <b>" in block and "allow import" in block  # why the kept plan fails


def _titles(html: str) -> list[str]:
    return [part.split("</title>", 1)[0] for part in html.split("<title>")[1:]]


def test_contested_decisions_and_percentiles(page, results):
    text, _ = page
    summary = json.loads((results / "sweep" / "summary.json").read_text(encoding="utf-8"))
    contested = summary["scenarios"]["no_east_assembly"]["contested"]
    assert contested and all(0.05 < c["share"] < 0.95 for c in contested)
    start = text.index('id="sweep-no_east_assembly"')
    block = text[start : text.index("</section>", start)]
    assert 'class="contested-table"' in block and 'class="percentile-table"' in block
    p50 = summary["scenarios"]["no_east_assembly"]["objective"]["p50"]
    assert fmt(p50) in block


def test_nothing_is_fetched_from_the_network(page):
    text, parsed = page
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "link", "iframe", "img"), tag
        for name in ("src", "href", "xlink:href"):
            value = attrs.get(name, "")
            assert not value or value.startswith("#"), (tag, name, value)
    assert "http://" not in text and "https://" not in text and "@import" not in text


def test_workbook_has_the_sweep_sheets(results):
    book = load_workbook(results / "results.xlsx")
    assert book.sheetnames[-3:] == ["robustness", "sweep_robustness", "sweep_regret"]
    for name, file in (("sweep_robustness", "robustness.csv"), ("sweep_regret", "regret.csv")):
        ws = book[name]
        frame = pd.read_csv(results / "sweep" / file)
        assert [c.value for c in ws[1]] == list(frame.columns)
        assert ws.max_row == 2 + len(frame) and ws.freeze_panes in ("A3", "B3")
    units = {
        c.value: u.value
        for c, u in zip(book["sweep_robustness"][1], book["sweep_robustness"][2], strict=True)
    }
    assert units["share"] == "share of samples" and units["hosted"] == "samples"
    regret = {
        c.value: u.value
        for c, u in zip(book["sweep_regret"][1], book["sweep_regret"][2], strict=True)
    }
    assert regret["regret"] == "亿元"


def test_a_sweep_of_another_instance_is_refused(results, tmp_path, capsys):
    out = tmp_path / "copy"
    shutil.copytree(results, out)
    rob = pd.read_csv(out / "sweep" / "robustness.csv")
    rob.loc[0, "segment"] = "bolts"
    rob.to_csv(out / "sweep" / "robustness.csv", index=False)
    assert compare_main([str(out), "--instance", str(TINY)]) == 3
    err = capsys.readouterr().err
    assert "another instance" in err and "'bolts'" in err


def test_without_summary_the_section_is_absent(results, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(results, out)
    (out / "sweep" / "summary.json").unlink()  # an unfinished sweep: summary.json comes last
    render(out, TINY)
    text = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="sweep"' not in text and "#sweep" not in text
    assert "sweep_regret" not in load_workbook(out / "results.xlsx").sheetnames


# ── the histogram chart ────────────────────────────────────────────────────────────────────


def test_bins_are_round_and_count_every_value():
    assert nice_step(3.21, 6) == 0.5 and nice_step(12, 4) == 2.5 and nice_step(0, 6) == 1.0
    edges, counts = bin_counts([2.09, 2.89, 3.21], 6, origin=0.0)
    assert edges == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5]
    assert counts == [0, 0, 0, 0, 1, 1, 1]
    edges, counts = bin_counts([0.0, 0.2, 0.6, 1.0], 5)  # 0.6 on an edge; the top edge closed
    assert edges == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0] and counts == [1, 1, 0, 1, 1]
    edges, counts = bin_counts([0.0, 0.0, 0.0], 6)  # all equal: still an axis of 6 bins
    assert len(counts) == 6 and counts[0] == 3


def test_histogram_draws_bins_extras_and_markers():
    svg = histogram(
        [0.0, 0.1, 0.3, 1.2],
        "regret (亿元)",
        "test",
        extras=[Extra("base plan infeasible", 2, "#e15759", "infeasible: 2")],
        markers=[("p50", 0.2), ("p95", 1.1)],
    )
    assert svg.count('class="bar"') == 6 and svg.count('class="bar extra"') == 1
    assert svg.count('class="marker"') == 2 and "p95 1.10" in svg
    assert sum(int(t.rsplit(": ", 1)[1]) for t in _titles(svg) if t.startswith("regret")) == 4
    empty = histogram([], "regret (亿元)", "test", extras=[Extra("x y", 3, "#e15759", "x: 3")])
    assert "no samples with a value" in empty and 'class="bar extra"' in empty
