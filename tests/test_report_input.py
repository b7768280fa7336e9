"""Bad input to the reports: a message naming the file or item and the fix, no traceback, and
no report file changed — results of another instance, missing or damaged files, a folder for an
instance, an unwritable results folder, a reference without a plan; and result files' modes."""

from __future__ import annotations

import csv
import json
import os
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest

import solve
from reports import atomic
from reports.compare import main as compare_main
from reports.compare import render
from reports.files import write_comparison
from reports.results import ReportInputError

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "instances" / "tiny.json"
NANJING = ROOT / "instances" / "nanjing.json"
SCENARIOS = ["baseline", "no_east_assembly", "import_parts"]


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiny")
    assert solve.main([str(TINY), "--out", str(out), "--quiet", "--report"]) == 0
    return out


@pytest.fixture
def out(solved, tmp_path) -> Path:
    """A copy of the solved and reported tiny results, mtimes kept."""
    return Path(shutil.copytree(solved, tmp_path / "out"))


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file below `folder` with its mtime and content."""
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def compare(out: Path, instance: Path, capsys, *extra: str) -> tuple[int, str]:
    """Exit code and stderr of python -m reports.compare."""
    code = compare_main([str(out), "--instance", str(instance), *extra])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def renamed_city(tmp_path: Path) -> Path:
    """tiny.json with the city 'west' renamed 'wst' (a newer version of the instance)."""
    path = tmp_path / "renamed.json"
    path.write_text(TINY.read_text(encoding="utf-8").replace('"west"', '"wst"'), encoding="utf-8")
    return path


# ── results of another instance ──────────────────────────────────────────────────────────────


def test_results_of_an_older_version_of_the_instance(out, tmp_path, capsys):
    before, instance = snapshot(out), renamed_city(tmp_path)
    code, err = compare(out, instance, capsys)
    assert code == solve.EXIT_INVALID
    assert f"{out / 'baseline'}: city 'west' not in the instance" in err
    assert "'wst'" in err and "different instance" in err
    assert f"rerun python solve.py {instance} --out {out}" in err
    assert "pass the instance they were made from" in err
    assert snapshot(out) == before


def test_results_of_the_same_ids_with_other_numbers(out, tmp_path, capsys):
    """Assembly output 12 → 11: the same ids, other numbers. Notes and names may change freely."""
    edited = json.loads(TINY.read_text(encoding="utf-8"))
    edited["notes"] = ["a new note"]
    edited["cities"][0]["name"] = "新中心"
    renamed = tmp_path / "renamed.json"
    renamed.write_text(json.dumps(edited), encoding="utf-8")
    assert compare(out, renamed, capsys)[0] == 0
    edited["chains"][0]["segments"][1]["output"] = 11
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(edited), encoding="utf-8")
    before = snapshot(out)
    code, err = compare(out, changed, capsys)
    assert code == solve.EXIT_INVALID
    for sid in SCENARIOS:
        assert f"{out / sid}: solved with other numbers or policies than the instance" in err
    assert snapshot(out) == before
    args = [str(changed), "--out", str(out), "--quiet", "--scenario", "baseline"]
    assert solve.main(args) == 0
    assert (
        "also lists no_east_assembly, import_parts from earlier runs; no_east_assembly, "
        "import_parts solved with other numbers than the instance has now — rerun them"
    ) in capsys.readouterr().out


def test_results_of_another_instance(out, capsys):
    before = snapshot(out)
    code, err = compare(out, NANJING, capsys)
    assert code == solve.EXIT_INVALID
    assert str(out / "baseline") in err and "'hub'" in err and "different instance" in err
    assert snapshot(out) == before


def test_render_raises_one_exception_type_on_stale_results(out, tmp_path):
    """What solve.py --report calls: a ReportInputError (a ValueError), never a KeyError."""
    with pytest.raises(ReportInputError, match="different instance") as err:
        render(out, renamed_city(tmp_path))
    assert isinstance(err.value, ValueError) and "'wst'" in str(err.value)


def test_solve_report_after_an_instance_change(out, tmp_path, capsys):
    """Only baseline is solved again; the other folders are of the old instance."""
    instance = renamed_city(tmp_path)
    args = [str(instance), "--out", str(out), "--quiet", "--scenario", "baseline", "--report"]
    assert solve.main(args) != 0
    err = capsys.readouterr().err
    assert "unexpected error" not in err and "KeyError" not in err
    assert str(out / "no_east_assembly") in err and "different instance" in err


# ── missing and damaged files ────────────────────────────────────────────────────────────────


def another_scenarios_summary(out: Path) -> str:
    return (out / "import_parts" / "summary.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("flows.csv", None, "missing"),
        ("cities.csv", "", "damaged"),
        ("assignments.csv", "segment,city\nparts,east\n", "incomplete (no column chain"),
        ("summary.json", '{"scenario": "baseline", ', "damaged (Expecting property name"),
        ("summary.json", '{"scenario": "a\tb"}', "damaged (Invalid control character at line 1,"),
        (
            "summary.json",
            '{"scenario": "baseline"}',
            "damaged (status is missing; objective is missing",
        ),
        ("summary.json", another_scenarios_summary, "belongs to scenario 'import_parts'"),
    ],
)
def test_a_missing_or_damaged_file_is_named_and_nothing_is_written(
    out, capsys, name, content, what
):
    path = out / "baseline" / name
    if content is None:
        path.unlink()
    else:
        path.write_text(content if isinstance(content, str) else content(out), encoding="utf-8")
    before = snapshot(out)
    code, err = compare(out, TINY, capsys)
    assert code == solve.EXIT_INVALID
    assert f"{path}: {what}" in err
    assert f"python solve.py {TINY} --scenario baseline --out {out}" in err
    assert f"or delete {out / 'baseline'}" in err
    assert snapshot(out) == before


def test_every_damaged_folder_is_reported_at_once(out, capsys):
    (out / "baseline" / "flows.csv").unlink()
    (out / "import_parts" / "summary.json").write_text("{", encoding="utf-8")
    code, err = compare(out, TINY, capsys)
    assert code == solve.EXIT_INVALID
    assert "2 problems" in err and "flows.csv" in err and "import_parts" in err


def test_comparison_leaves_out_a_damaged_summary_with_a_warning(out, capsys):
    damaged = out / "import_parts" / "summary.json"
    damaged.write_text('{"scenario": "import_parts", ', encoding="utf-8")
    frame = write_comparison(out, SCENARIOS, TINY)
    assert list(frame.scenario) == ["baseline", "no_east_assembly"]
    assert list(pd.read_csv(out / "comparison.csv").scenario) == ["baseline", "no_east_assembly"]
    err = capsys.readouterr().err
    assert f"warning: {damaged}: damaged" in err
    assert f"python solve.py {TINY} --scenario import_parts" in err and "left out" in err


# ── the instance argument, the folder, the reference ────────────────────────────────────────


def test_a_folder_given_as_the_instance(out, capsys):
    before = snapshot(out)
    code, err = compare(out, ROOT / "instances", capsys)
    assert code == solve.EXIT_INVALID
    assert "instances: is a folder — give the path of the JSON file itself" in err
    assert snapshot(out) == before


@pytest.mark.parametrize(
    ("error", "fix"),
    [
        (PermissionError(13, "Permission denied"), "make {out} and its scenario folders writable"),
        (OSError(28, "No space left on device"), "free space on its disk (or in your quota)"),
    ],
)
def test_an_unwritable_folder_changes_nothing(out, capsys, monkeypatch, error, fix):
    """The third file cannot be written (as in a read-only folder, where root may still write,
    or on a full disk): the two already staged are removed and no file is replaced; the fix
    fits the cause."""
    before, mkstemp, calls = snapshot(out), atomic.tempfile.mkstemp, []

    def refuse_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise error
        return mkstemp(*args, **kwargs)

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse_the_third)
    code, err = compare(out, TINY, capsys)
    assert code == solve.EXIT_ERROR
    assert f"could not be written ({error.strerror}) — {fix.format(out=out)}" in err
    assert "no report file was changed" in err
    assert snapshot(out) == before


def test_a_file_given_as_the_results_folder(tmp_path, capsys):
    code, err = compare(TINY, TINY, capsys)
    assert code == solve.EXIT_INVALID
    assert f"{TINY} is a file, not a results folder — give the --out folder" in err


def set_folder_modes(out: Path, mode: int) -> None:
    for folder in [out, *out.iterdir()]:
        if folder.is_dir():
            folder.chmod(mode)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder(out, capsys):
    before = snapshot(out)
    set_folder_modes(out, 0o555)
    try:
        code, err = compare(out, TINY, capsys)
    finally:
        set_folder_modes(out, 0o755)
    assert code == solve.EXIT_ERROR and "could not be written" in err
    assert snapshot(out) == before


def test_a_reference_without_a_plan_suggests_those_with_one(tmp_path, capsys):
    doc = json.loads(TINY.read_text(encoding="utf-8"))
    doc["scenarios"].append({"id": "short", "policies": {"area_cap": {"land": 5}}})
    instance = tmp_path / "short.json"
    instance.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    args = [str(instance), "--out", str(out), "--quiet", "--scenario", "baseline"]
    assert solve.main([*args, "--scenario", "short"]) == solve.EXIT_INFEASIBLE
    code, err = compare(out, instance, capsys, "--reference", "short")
    assert code == solve.EXIT_INVALID
    assert "reference 'short' has no plan (infeasible)" in err
    assert "use one with a plan: today, baseline" in err
    assert not (out / "report.html").exists()


# ── permissions ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_every_result_file_gets_the_normal_permissions(solved, tmp_path, umask, mode):
    out = Path(shutil.copytree(solved, tmp_path / "out"))
    old = os.umask(umask)
    try:
        written = render(out, TINY)
    finally:
        os.umask(old)
    assert out / "results.xlsx" in written
    assert {stat.S_IMODE(p.stat().st_mode) for p in written} == {mode}


# ── damaged values in readable files ─────────────────────────────────────────────────────────


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell of a CSV file (row 1 is the first row after the header) as text."""
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    rows[row][rows[0].index(column)] = value
    path.write_text("".join(",".join(r) + "\n" for r in rows), encoding="utf-8")


def repeat_row(path: Path, row: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[row]]) + "\n", encoding="utf-8")


def cell(row: int, column: str, value: str):
    return lambda path: set_cell(path, row, column, value)


def field(name: str, value):
    return lambda path: set_field(path, name, value)


def set_field(path: Path, field: str, value) -> None:
    """Set a field of a JSON file; 'terms.transport' names a field of an object."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    *parents, name = field.split(".")
    target = payload
    for parent in parents:
        target = target[parent]
    target[name] = value
    path.write_text(json.dumps(payload), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "edit", "what"),
    [
        ("cities.csv", cell(2, "value_added", "nan"), "row 2, city 'east': value_added is 'nan'"),
        ("cities.csv", cell(2, "value_added", "inf"), "value_added is 'inf', not a finite number"),
        ("cities.csv", cell(2, "value_added", "abc"), "value_added is 'abc', not a number"),
        ("cities.csv", cell(1, "capacity_land", "x"), "row 1, city 'hub': capacity_land is 'x'"),
        ("cities.csv", cell(3, "value_added", ""), "row 3, city 'west': value_added is empty"),
        ("cities.csv", lambda p: repeat_row(p, 2), "city 'east' is listed in rows 2 and 4"),
        ("assignments.csv", cell(1, "output", "abc"), "segment 'parts', city 'east': output is"),
        ("assignments.csv", cell(2, "hosted", "yes"), "row 2, segment 'assembly', city 'east': "),
        ("assignments.csv", cell(2, "hosted", "2"), "hosted is '2', not 0 or 1"),
        ("assignments.csv", cell(2, "city", ""), "city '': city is empty, not text"),
        ("flows.csv", cell(1, "quantity", "abc"), "to_city 'east': quantity is 'abc', not a"),
        ("shadow_prices.csv", cell(1, "shadow_price", "abc"), "resource 'land': shadow_price is"),
        ("summary.json", field("terms.transport", "x"), 'terms.transport is "x", not a number'),
        ("summary.json", field("name", 5), "name is 5, not text"),
        ("summary.json", field("name", [1]), "name is [1], not text"),
        ("summary.json", field("objective", True), "objective is true, not a number"),
        ("summary.json", field("diagnosis", [1]), "diagnosis.0 is 1, not text"),
        ("summary.json", field("seconds.total", "1"), 'seconds.total is "1", not a number'),
    ],
)
def test_a_damaged_value_is_named_with_its_column_and_row(out, capsys, name, edit, what):
    """A value of the wrong type, not finite, or a key listed twice: the file, the column or
    field, the row and the fix; no traceback, and no report file changed."""
    path = out / "baseline" / name
    edit(path)
    before = snapshot(out)
    code, err = compare(out, TINY, capsys)
    assert code == solve.EXIT_INVALID
    assert f"{path}: damaged (" in err and what in err
    assert f"python solve.py {TINY} --scenario baseline --out {out}" in err
    assert snapshot(out) == before
    with pytest.raises(ReportInputError):  # what solve.py --report calls: nothing else escapes
        render(out, TINY)


# ── a report set replaced whole or not at all ────────────────────────────────────────────────


def test_a_folder_in_the_place_of_a_report_file_changes_nothing(out, capsys):
    """report.html, the last file of the set, is a folder: refused before any file is replaced."""
    (out / "report.html").unlink()
    (out / "report.html").mkdir()
    before = snapshot(out)
    code, err = compare(out, TINY, capsys)
    assert code == solve.EXIT_ERROR
    assert f"{out / 'report.html'} could not be written (Is a directory)" in err
    assert f"move the folder {out / 'report.html'} out of the way" in err
    assert "no report file was changed" in err
    assert snapshot(out) == before
    assert not [p for p in out.rglob("*.tmp")]


def test_a_rename_failing_halfway_names_the_files_replaced(out, capsys, monkeypatch):
    """A rename that fails after others succeeded (a file of another user in a shared folder):
    the message names the files already replaced instead of claiming none was."""
    before, replace = snapshot(out), atomic.os.replace

    def refuse_the_workbook(src, dst):
        if Path(dst).name == "results.xlsx":
            raise PermissionError(1, "Operation not permitted", src, None, dst)
        replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", refuse_the_workbook)
    code, err = compare(out, TINY, capsys)
    assert code == solve.EXIT_ERROR
    assert f"{out / 'results.xlsx'} could not be written (Operation not permitted)" in err
    assert "no report file was changed" not in err
    after = snapshot(out)
    changed = [name for name in before if after[name] != before[name]]
    assert {"comparison.csv", "robustness.csv", "baseline/indicators.json"} <= set(changed)
    assert "results.xlsx" not in changed and "report.html" not in changed
    named = err.split("; ")[-1]
    assert named.endswith("were already replaced, the other report files were left as they were\n")
    assert all(str(out / name) in named for name in changed)
    assert not [p for p in out.rglob("*.tmp")]


def test_solve_report_names_the_files_replaced_when_a_rename_fails(out, capsys, monkeypatch):
    replace = atomic.os.replace

    def refuse_the_page(src, dst):
        if Path(dst).name == "report.html":
            raise PermissionError(1, "Operation not permitted", src, None, dst)
        replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", refuse_the_page)
    args = [str(TINY), "--out", str(out), "--quiet", "--scenario", "baseline", "--report"]
    assert solve.main(args) == solve.EXIT_ERROR
    err = capsys.readouterr().err
    assert f"could not write {out / 'report.html'} (Operation not permitted)" in err
    assert f"of the report set, {out / 'today_indicators.json'}, " in err
    assert f"{out / 'results.xlsx'} were replaced already" in err
    assert "whole or not at all" not in err
