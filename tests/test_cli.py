"""The command line: exit codes, result files, console text (SPEC §5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import reports.atomic
import solve
from models import pipeline, presolve
from reports.console import columns, pad
from solvers import Status
from tests.tiny import instance, segment, two_cities

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "instances" / "tiny.json"


def test_solves_every_scenario_and_writes_the_files(tmp_path, capsys):
    assert solve.main([str(TINY), "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "baseline" in text and "optimal" in text and "中心" in text
    for sid in ("baseline", "no_east_assembly", "import_parts"):
        folder = tmp_path / sid
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        assert summary["status"] == "optimal"
        assert set(summary["terms"]) == {
            "transport",
            "setup",
            "duplication",
            "relocation",
            "import",
        }
        assert set(summary["seconds"]) >= {"build", "solve", "total"}
        assert summary["solver"]["name"] == "highs" and summary["solver"]["version"]
        assert pd.read_csv(folder / "assignments.csv").columns.tolist() == [
            "segment",
            "chain",
            "city",
            "output",
            "hosted",
            "existing",
            "value_added",
        ]
        assert pd.read_csv(folder / "flows.csv").columns.tolist() == [
            "segment",
            "from_city",
            "to_city",
            "quantity",
            "km",
            "cost",
            "imported",
        ]
        cities = pd.read_csv(folder / "cities.csv")
        # SPEC §5's columns in its order (tiny.json's one resource: land), then output
        assert cities.columns.tolist() == [
            "city",
            "value_added",
            "va_per_capita",
            "use_land",
            "capacity_land",
            "output",
        ]
    comparison = pd.read_csv(tmp_path / "comparison.csv")
    assert comparison.scenario.tolist() == ["baseline", "no_east_assembly", "import_parts"]
    assert comparison.objective.tolist() == pytest.approx([9, 12, 8.4])
    assert not list(tmp_path.rglob("*.tmp"))


def test_one_scenario_and_quiet(tmp_path, capsys):
    assert (
        solve.main([str(TINY), "--out", str(tmp_path), "--scenario", "import_parts", "--quiet"])
        == 0
    )
    assert capsys.readouterr().out.splitlines()[0].startswith("import_parts: optimal")
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == ["import_parts"]


def test_a_later_run_of_one_scenario_says_which_rows_are_older(tmp_path, capsys):
    out = ["--out", str(tmp_path), "--quiet"]
    assert solve.main([str(TINY), *out]) == 0
    assert solve.main([str(TINY), *out, "--scenario", "baseline", "--scenario", "baseline"]) == 0
    text = capsys.readouterr().out
    assert text.count("baseline: optimal") == 2, "each scenario solved once per run"
    assert "also lists no_east_assembly, import_parts from earlier runs" in text


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--gap", "-1", "'-1' is not a relative gap of at least 0 and below 1"),
        ("--gap", "2", "'2' is not a relative gap"),
        ("--time-limit", "nan", "'nan' is not a number of seconds"),
        ("--time-limit", "-5", "'-5' is not a number of seconds ≥ 0"),
        ("--threads", "0", "'0' is not a whole number of at least 1"),
        ("--out", "", "an empty path is no folder"),
    ],
)
def test_options_out_of_range_are_refused(option, value, message, capsys):
    with pytest.raises(SystemExit) as stop:
        solve.main([str(TINY), f"{option}={value}"])
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_results_folder_that_is_a_file_is_refused_before_solving(tmp_path, capsys):
    blocker = tmp_path / "results"
    blocker.write_text("not a folder")
    assert solve.main([str(TINY), "--out", str(blocker / "tiny")]) == solve.EXIT_INVALID
    err = capsys.readouterr()
    assert f"{blocker} is a file, not a folder — give a folder for the results" in err.err
    assert "baseline" not in err.out, "nothing solved"


def test_a_full_disk_is_named_not_unexpected(tmp_path, capsys, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reports.atomic.tempfile, "mkstemp", full)
    assert solve.main([str(TINY), "--out", str(tmp_path), "--quiet"]) == solve.EXIT_ERROR
    err = capsys.readouterr().err
    assert "could not write" in err
    assert str(tmp_path / "baseline" / "assignments.csv (No space left on device)") in err
    assert "unexpected" not in err


def test_an_unexpected_error_keeps_the_comparison(tmp_path, capsys, monkeypatch):
    """A run that fails in its second scenario still leaves comparison.csv, listing the first
    scenario's new result and the earlier results of the others."""
    assert solve.main([str(TINY), "--out", str(tmp_path), "--quiet"]) == solve.EXIT_OK
    solve_scenario = pipeline.solve_scenario

    def fails_second(data, options):
        if data.scenario.id == "no_east_assembly":
            raise RuntimeError("solver gave up")
        return solve_scenario(data, options)

    monkeypatch.setattr(pipeline, "solve_scenario", fails_second)
    assert solve.main([str(TINY), "--out", str(tmp_path), "--quiet"]) == solve.EXIT_ERROR
    assert "unexpected error: RuntimeError: solver gave up" in capsys.readouterr().err
    comparison = pd.read_csv(tmp_path / "comparison.csv")
    assert list(comparison.scenario) == ["baseline", "no_east_assembly", "import_parts"]


def test_output_piped_into_a_reader_that_stops(tmp_path):
    """`python solve.py … | head -1`: the pipe closes after one line; the console falls silent,
    every scenario is still solved and written, no traceback, exit 0."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "solve.py"), str(TINY), "--out", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert "Traceback" not in err and "unexpected" not in err and "Exception" not in err
    comparison = pd.read_csv(tmp_path / "comparison.csv")
    assert list(comparison.scenario) == ["baseline", "no_east_assembly", "import_parts"]


@pytest.mark.parametrize("sweep", [False, True])
def test_run_before_installing_names_the_install_command(tmp_path, sweep):
    """Python without the project's packages (here: pyomo and highspy hidden)."""
    args = [str(TINY), "--out", str(tmp_path)]
    args += ["--sweep", str(ROOT / "instances" / "tiny_sweep.json")] if sweep else []
    code = (
        "import sys; sys.modules['pyomo'] = sys.modules['highspy'] = None; import solve; "
        f"sys.exit(solve.main({args!r}))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == solve.EXIT_ERROR
    assert f"is missing — install the project first: pip install -e {ROOT}" in proc.stderr
    assert "Traceback" not in proc.stderr and not list(tmp_path.iterdir())


def test_weights_are_shown_beside_the_unweighted_terms_and_kept_in_the_summary(tmp_path, capsys):
    """Baseline with transport weighted 10: terms stay unweighted (transport 6, setup 3; the
    plan of instances/tiny.json's notes), the objective is 10 · 6 + 3 = 63."""
    doc = json.loads(TINY.read_text())
    doc["scenarios"] = [{"id": "heavy", "set": {"weights.transport": 10}}]
    path = tmp_path / "heavy.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert solve.main([str(path), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "objective 63.0000 亿元" in out
    assert "terms      (亿元, unweighted) transport 6.00 · setup 3.00" in out
    assert "weights    transport ×10 (the objective is Σ weight × term)" in out
    summary = json.loads((tmp_path / "out" / "heavy" / "summary.json").read_text())
    assert summary["weights"] == {
        "transport": 10.0,
        "setup": 1.0,
        "duplication": 1.0,
        "relocation": 1.0,
        "import": 1.0,
    }


def test_quiet_line_flags_a_plan_stopped_at_a_limit():
    run = SimpleNamespace(
        data=SimpleNamespace(
            scenario=SimpleNamespace(id="cap"),
            instance=SimpleNamespace(units=SimpleNamespace(money="亿元")),
        ),
        status=Status.FEASIBLE,
        result=SimpleNamespace(objective=1716.64751, gap=0.484),
    )
    assert (
        solve.quiet_line(run)
        == "cap: feasible objective 1,716.6475 亿元 (not proven optimal: gap 48.4 %)"
    )
    run.status, run.result.gap = Status.OPTIMAL, 0.0
    assert solve.quiet_line(run) == "cap: optimal objective 1,716.6475 亿元"


def test_a_run_without_report_says_the_report_is_older_and_drops_stale_indicators(tmp_path, capsys):
    out = tmp_path / "out"
    assert solve.main([str(TINY), "--out", str(out), "--quiet", "--report"]) == 0
    assert (out / "baseline" / "indicators.json").exists()
    capsys.readouterr()
    assert solve.main([str(TINY), "--out", str(out), "--quiet", "--scenario", "baseline"]) == 0
    text = capsys.readouterr().out
    assert (
        f"note: {out}/report.html, results.xlsx and robustness.csv are from an earlier run — add "
        "--report" in text
    )
    assert not (out / "baseline" / "indicators.json").exists()  # the earlier plan's
    assert (out / "import_parts" / "indicators.json").exists()  # not solved again: still fits


def test_unknown_scenario_is_invalid(tmp_path, capsys):
    assert solve.main([str(TINY), "--out", str(tmp_path), "--scenario", "nope"]) == 3
    assert "unknown scenario 'nope' — use one of: baseline," in capsys.readouterr().err


def test_a_misspelt_scenario_or_reference_gets_the_nearest_id(tmp_path, capsys):
    args = [
        str(TINY),
        "--out",
        str(tmp_path),
        "--scenario",
        "Baseline",
        "--scenario",
        "import_part",
    ]
    assert solve.main(args) == 3
    assert (
        "unknown scenario 'Baseline' (did you mean 'baseline'?), 'import_part' (did you mean "
        "'import_parts'?) — use one of: baseline, no_east_assembly, import_parts"
    ) in capsys.readouterr().err
    args = [str(TINY), "--out", str(tmp_path), "--report", "--reference", "todya"]
    assert solve.main(args) == 3
    assert "unknown reference 'todya' (did you mean 'today'?)" in capsys.readouterr().err


def test_invalid_instance_exit_3_without_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "name": "x", "cities": [{"id": "a"}],', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "solve.py"), str(bad)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 3
    assert "line 1" in proc.stderr and "Traceback" not in proc.stderr


def test_numbers_the_solver_refuses_are_named(tmp_path, capsys, monkeypatch):
    """A balance target typed as 1e12 and populations in persons instead of 万人: every number
    passes its own check, and the target is caught before solving (min_ratio can be at most
    2 here). Without that check HiGHS refuses a coefficient of 3e17 (it took the model as
    empty and the run ended in "unexpected error: RuntimeError"): the message names the row and
    what to check; exit 1."""
    doc = json.loads(TINY.read_text())
    doc["policies"] = {"balance": {"min_ratio": 1e12, "roles": ["periphery"]}}
    for city in doc["cities"]:
        city["population"] *= 10_000
    path = tmp_path / "typo.json"
    path.write_text(json.dumps(doc))
    assert solve.main([str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 4
    summary = json.loads((tmp_path / "out" / "baseline" / "summary.json").read_text())
    assert summary["diagnosis"][0].endswith("min_ratio can be at most 2 for these cities")
    capsys.readouterr()

    checks = [c for c in presolve.PRESOLVE_CHECKS if c is not presolve.balance_reach]
    monkeypatch.setattr(presolve, "PRESOLVE_CHECKS", checks)
    assert solve.main([str(path), "--out", str(tmp_path / "out"), "--quiet"]) == solve.EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith("scenario baseline: HiGHS refused the model: its costs and coefficients")
    assert "to 3.0e+17, the largest being x[parts,east] in row balance[west]" in err
    assert "typing error" in err and "unexpected" not in err


def test_infeasible_scenario_exit_4_and_others_still_written(tmp_path, capsys):
    path = with_an_infeasible_scenario(tmp_path)
    assert solve.main([str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 4
    assert "short: infeasible objective —" in capsys.readouterr().out
    out = tmp_path / "out"
    assert json.loads((out / "short" / "summary.json").read_text())["status"] == "infeasible"
    assert not (out / "short" / "assignments.csv").exists()
    assert json.loads((out / "ok" / "summary.json").read_text())["status"] == "optimal"
    comparison = pd.read_csv(out / "comparison.csv").set_index("scenario")
    assert comparison.duplicated_segments["ok"] == 0
    assert pd.isna(comparison.duplicated_segments["short"])  # no plan: nothing to count


def test_limit_without_solution_exit_5(tmp_path):
    assert solve.main([str(TINY), "--out", str(tmp_path), "--time-limit", "0", "--quiet"]) == 5
    summary = json.loads((tmp_path / "baseline" / "summary.json").read_text())
    assert summary["status"] == "no_solution"
    assert not (tmp_path / "baseline" / "flows.csv").exists()


def test_report_after_solving(tmp_path, capsys):
    assert (
        solve.main(
            [str(TINY), "--out", str(tmp_path), "--quiet", "--report", "--reference", "baseline"]
        )
        == 0
    )
    assert (tmp_path / "report.html").exists() and (tmp_path / "results.xlsx").exists()
    comparison = pd.read_csv(tmp_path / "comparison.csv")
    assert {"duplicated_segments", "mean_similarity", "gini_va_per_capita"} <= set(comparison)
    assert solve.main([str(TINY), "--out", str(tmp_path), "--report", "--reference", "nope"]) == 3


def with_an_infeasible_scenario(tmp_path: Path) -> Path:
    """Scenarios ok (optimal) and short (infeasible: the area may use 5 of the 10 ha needed)."""
    seg = segment("s", 10, markets={"a": 1}, resource_use={"land": 1})
    doc = instance(segments=[seg], **two_cities())
    doc["scenarios"] = [{"id": "ok"}, {"id": "short", "policies": {"area_cap": {"land": 5}}}]
    path = tmp_path / "i.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_report_reference_without_a_plan_is_refused_before_solving(tmp_path, capsys):
    args = [str(TINY), "--out", str(tmp_path), "--scenario", "import_parts", "--report"]
    assert solve.main([*args, "--reference", "baseline"]) == solve.EXIT_INVALID
    captured = capsys.readouterr()
    assert "--reference baseline: not solved in this run and no plan of it" in captured.err
    assert "add --scenario baseline" in captured.err and captured.out == ""
    assert solve.main([*args, "--reference", "today", "--quiet"]) == solve.EXIT_OK

    path, out = with_an_infeasible_scenario(tmp_path), tmp_path / "out"
    assert solve.main([str(path), "--out", str(out), "--quiet"]) == solve.EXIT_INFEASIBLE
    capsys.readouterr()
    args = [str(path), "--out", str(out), "--scenario", "ok", "--report", "--reference", "short"]
    assert solve.main(args) == solve.EXIT_INVALID  # short has results, but no plan
    err = capsys.readouterr().err
    assert f"--reference short: its results in {out}/short have no plan (status infeasible)" in err
    assert "choose today or a scenario with a plan" in err


def test_messages_into_a_closed_pipe_keep_the_exit_code(tmp_path):
    """`… 2>&1 | head -1`: stderr closes too; a refusal still exits 3, not 1."""
    path, out = with_an_infeasible_scenario(tmp_path), tmp_path / "out"
    assert solve.main([str(path), "--out", str(out), "--quiet"]) == solve.EXIT_INFEASIBLE
    args = ["--scenario", "ok", "--report", "--reference", "short", "--out", str(out)]
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "solve.py"), str(path), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    proc.stdout.close()
    assert proc.wait(timeout=60) == solve.EXIT_INVALID


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--gap", "0.01"], "--gap cannot go with --sweep: scenarios, time limit and gap are"),
        (["--time-limit", "0"], "--time-limit cannot go with --sweep"),
        (["--scenario", "a", "--threads", "2"], "--scenario and --threads cannot go with --sweep"),
        (["--report"], "--quiet and --report go with scenario runs"),
        (["--quiet"], "--quiet and --report go with scenario runs"),
        (["--workers", "-1"], "--workers: give 0 (this process) or more"),
    ],
)
def test_options_a_sweep_does_not_take_are_refused(options, message, capsys):
    sweep = ROOT / "instances" / "tiny_sweep.json"
    with pytest.raises(SystemExit) as stop:
        solve.parse_args([str(TINY), "--sweep", str(sweep), *options])
    assert stop.value.code == 2 and message in capsys.readouterr().err


def test_reference_without_report_is_refused(capsys):
    with pytest.raises(SystemExit) as stop:
        solve.parse_args([str(TINY), "--reference", "baseline"])
    assert stop.value.code == 2 and "--reference goes with --report" in capsys.readouterr().err


def test_sweep_from_the_command_line(tmp_path):
    sweep = ROOT / "instances" / "tiny_sweep.json"
    assert (
        solve.main([str(TINY), "--sweep", str(sweep), "--out", str(tmp_path), "--workers", "0"])
        == 0
    )
    samples = pd.read_csv(tmp_path / "sweep" / "samples.csv")
    assert set(samples.status) == {"optimal"}
    assert (tmp_path / "sweep" / "robustness.csv").exists()


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux's /proc")
def test_out_where_no_file_can_be_made_is_refused_before_solving(capsys):
    """/proc passes a permission check (for root) but takes no files: refused with exit 3 before
    anything is solved, nothing created."""
    assert solve.main([str(TINY), "--out", "/proc/results", "--quiet"]) == solve.EXIT_INVALID
    captured = capsys.readouterr()
    assert "--out /proc/results: no file can be made in /proc" in captured.err
    assert captured.out == "" and not Path("/proc/results").exists()


def test_a_rerun_that_fails_halfway_leaves_no_summary_beside_mixed_files(
    tmp_path, capsys, monkeypatch
):
    """The disk fills while a rerun writes flows.csv: the earlier summary.json was removed
    first, so the folder reads as incomplete instead of pairing the old summary with the new
    assignments."""
    assert solve.main([str(TINY), "--out", str(tmp_path), "--quiet"]) == solve.EXIT_OK
    write_text = reports.atomic.write_text

    def full_at_flows(path, text):
        if path.name == "flows.csv":
            raise OSError(28, "No space left on device", str(path))
        write_text(path, text)

    monkeypatch.setattr(reports.atomic, "write_text", full_at_flows)
    assert solve.main([str(TINY), "--out", str(tmp_path), "--quiet"]) == solve.EXIT_ERROR
    assert "flows.csv (No space left on device)" in capsys.readouterr().err
    assert (tmp_path / "baseline" / "assignments.csv").exists()
    assert not (tmp_path / "baseline" / "summary.json").exists()
    # rewritten from the summaries on disk: the replaced one is gone, the others are earlier
    comparison = pd.read_csv(tmp_path / "comparison.csv")
    assert list(comparison.scenario) == ["no_east_assembly", "import_parts"]


def test_report_counts_stay_whole_numbers_beside_a_scenario_without_a_plan(tmp_path):
    path = with_an_infeasible_scenario(tmp_path)
    out = tmp_path / "out"
    assert solve.main([str(path), "--out", str(out), "--quiet", "--report"]) == 4
    rows = {line.split(",")[0]: line for line in (out / "comparison.csv").read_text().splitlines()}
    header = rows["scenario"].split(",")
    ok, short = (
        dict(zip(header, rows["ok"].split(","), strict=True)),
        dict(zip(header, rows["short"].split(","), strict=True)),
    )
    for column in ("duplicated_segments", "duplicated_hosts", "binding_capacities"):
        assert ok[column] == "0" and short[column] == "", column


def test_segment_names_line_up_after_host_lists_of_any_width(tmp_path, capsys):
    """s is made in all three cities (its market is spread, shipping costs, setting up is free),
    t only in a: s's host list, 34 columns with two-column Chinese names, is wider than the 24
    columns the list once had, and both segment names still start in one column."""
    cities = [
        {"id": c, "name": f"{name}市", "population": 100}
        for c, name in (("a", "南京南京"), ("b", "镇江镇江"), ("c", "扬州扬州"))
    ]
    spread = {"a": 0.4, "b": 0.3, "c": 0.3}
    doc = instance(
        cities=cities,
        segments=[
            segment("s", 10, name="甲", transport_cost=0.1, markets=spread),
            segment("t", 5, name="乙", eligible_cities=["a"], markets={"a": 1}),
        ],
        transport={"distances": [{"from": x, "to": y, "km": 50} for x, y in ("ab", "ac", "bc")]},
    )
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert solve.main([str(path), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    rows = out[out.index("hosts\n") + 6 : out.index("duplicated")].splitlines()
    assert "南京南京市, 镇江镇江市, 扬州扬州市" in rows[0]
    starts = {columns(row[: row.index(name)]) for row, name in zip(rows, "甲乙", strict=True)}
    assert len(starts) == 1
    assert pad("南京", 6) == "南京  " and columns("南京, x") == 7


def test_scenarios_listed_after_one_option_or_by_repeating_it():
    """SPEC §5's `--scenario ID ...`: several ids after one option, or the option repeated; each
    id once, in the order given."""
    args = solve.parse_args([str(TINY), "--scenario", "b", "a", "--scenario", "c", "b"])
    assert args.scenario == ["b", "a", "c"]
    args = solve.parse_args(["--scenario", "b", "a", str(TINY), "--quiet"])  # instance last
    assert args.instance == TINY and args.scenario == ["b", "a"] and args.quiet


def test_a_run_without_an_instance_names_it(capsys):
    for argv in ([], ["--scenario", "baseline"]):
        with pytest.raises(SystemExit) as stop:
            solve.parse_args(argv)
        assert stop.value.code == 2
        assert "required: INSTANCE.json (the instance file)" in capsys.readouterr().err
