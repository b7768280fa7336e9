"""Conversion of OR-Library CFLP and QAPLIB files into instances (benchmarks/convert.py).

No solver: the converted instances are checked by their structure and by evaluating the transport
cost of a given assignment directly from the instance dict.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest

from benchmarks.convert import (
    DATA_DIR,
    QapData,
    cflp_instance,
    convert_file,
    detect_kind,
    known_optimum,
    main,
    parse_cflp,
    parse_qaplib,
    parse_taillard,
    qap_cost,
    qap_instance,
    read_qap_solution,
)


def _read(name: str) -> str:
    return (DATA_DIR / name).read_text()


def _segments(instance: dict) -> dict[str, dict]:
    return {s["id"]: s for chain in instance["chains"] for s in chain["segments"]}


def _transport_of_hosts(instance: dict, hosts: dict[str, str]) -> float:
    """Transport term of SPEC §3 when segment s is made entirely in hosts[s]: segment i ships
    a_ij · Q_j to the host of j at t_i · d. (Final sales of a QAP instance are 0 up to rounding,
    or free where they are not: zero-row facilities have transport_cost 0.)"""
    km = {(d["from"], d["to"]): d["km"] for d in instance["transport"]["distances"]}
    segments = _segments(instance)
    total = 0.0
    for j, seg in segments.items():
        for i, a in seg.get("inputs", {}).items():
            if hosts[i] != hosts[j]:
                total += segments[i]["transport_cost"] * km[hosts[i], hosts[j]] * a * seg["output"]
    return total


def _hosts(permutation: list[int]) -> dict[str, str]:
    return {f"f{i + 1}": f"l{p + 1}" for i, p in enumerate(permutation)}


def _validate_with_project(instance: dict) -> None:
    """Validate with the project's loader (schema + semantic checks) once it exists."""
    scenario = pytest.importorskip("models.scenario")
    scenario.load_document(json.loads(json.dumps(instance)))


# ---------------------------------------------------------------- parsing


def test_parse_cap41():
    data = parse_cflp(_read("cap41.txt"), "cap41")
    assert data.costs.shape == (16, 50)
    assert data.demands.sum() == 58268
    assert data.capacities[0] == 5000 and data.fixed_costs[0] == 7500
    assert data.fixed_costs[10] == 0  # warehouse 11 is "5000 0."
    assert data.demands[0] == 146 and data.costs[0, 0] == pytest.approx(6739.725)
    assert data.costs[15, 0] == pytest.approx(6051.7)  # the 16th cost of customer 1


def test_parse_nug5_taillard_header():
    data = parse_taillard(_read("nug5.txt"), "nug5")
    assert data.stated_best == 50
    assert data.flow.shape == (5, 5)
    assert data.flow[0].tolist() == [0, 1, 1, 2, 3]
    assert data.distance[0].tolist() == [0, 5, 2, 4, 1]


def test_parse_chr12a_dat():
    data = parse_qaplib(_read("chr12a.dat"), "chr12a")
    assert data.flow.shape == data.distance.shape == (12, 12)
    assert data.flow[0, 1] == 90 and data.distance[0, 1] == 36 and data.distance[11, 10] == 18
    assert data.stated_best is None


def test_wrong_header_format_is_reported():
    with pytest.raises(ValueError, match=r"nug5.*expected 50 matrix entries"):
        parse_qaplib(_read("nug5.txt"), "nug5")  # Taillard file read as QAPLIB: one token too many


def test_chr12a_solution_evaluates_to_9552():
    data = parse_qaplib(_read("chr12a.dat"), "chr12a")
    value, permutation = read_qap_solution(_read("chr12a.sln"))
    assert value == 9552
    assert qap_cost(data.flow, data.distance, permutation) == 9552


def test_nug5_brute_force_optimum_is_50():
    data = parse_taillard(_read("nug5.txt"), "nug5")
    costs = [qap_cost(data.flow, data.distance, list(p)) for p in itertools.permutations(range(5))]
    assert len(costs) == 120
    assert min(costs) == 50 == data.stated_best


# ---------------------------------------------------------------- QAP -> instance


def test_converted_chr12a_structure():
    data = parse_qaplib(_read("chr12a.dat"), "chr12a")
    instance = qap_instance(data)
    segments = _segments(instance)
    assert len(instance["cities"]) == 12 and len(segments) == 12
    assert len(instance["transport"]["distances"]) == 12 * 11
    assert instance["transport"]["directed"] is True
    assert all("lat" not in c and c["capacity"] == {"slot": 1.0} for c in instance["cities"])
    for j in range(12):
        seg = segments[f"f{j + 1}"]
        q = seg["output"]
        assert q == data.flow[j].sum() and seg["min_scale"] == q
        assert seg["resource_use"]["slot"] * q <= 1.0  # one segment fills a slot
        assert 1.0 / seg["resource_use"]["slot"] >= q  # U_sc = K / u never below min_scale
        for i in range(12):
            a = seg["inputs"].get(f"f{i + 1}")
            if data.flow[i, j] == 0 or i == j:
                assert a is None  # zero flows give no input key
            else:
                assert math.isclose(a * q, data.flow[i, j], rel_tol=1e-12)
    # intermediate use of every segment equals its output: final sales 0 (never negative)
    for i, seg in segments.items():
        used = sum(s["inputs"].get(i, 0.0) * s["output"] for s in segments.values())
        assert 0 <= seg["output"] - used <= 1e-12 * seg["output"]


def test_converted_chr12a_transport_of_the_sln_assignment_is_9552():
    instance = convert_file(DATA_DIR / "chr12a.dat")
    _, permutation = read_qap_solution(_read("chr12a.sln"))
    assert _transport_of_hosts(instance, _hosts(permutation)) == pytest.approx(9552, rel=1e-12)


def test_converted_nug5_transport_equals_qap_cost_for_every_permutation():
    data = parse_taillard(_read("nug5.txt"), "nug5")
    instance = qap_instance(data)
    for p in itertools.permutations(range(5)):
        expected = qap_cost(data.flow, data.distance, list(p))
        assert _transport_of_hosts(instance, _hosts(list(p))) == pytest.approx(expected, rel=1e-12)


def test_zero_row_sum_facility_gets_one_free_unit():
    # Hand check. Flow F = [[0,2,0],[0,0,3],[0,0,0]]: facility 3 ships nothing (row sum 0).
    # Distance D = [[0,1,4],[1,0,2],[4,2,0]].
    # Outputs Q = (2, 3, 1): f3 gets Q = 1, transport_cost 0 and final sales 1 on l1.
    # Inputs: f2 uses a_12 = 2/3 of f1; f3 uses a_23 = 3/1 = 3 of f2.
    # p = (l3, l1, l2): f1 at l3 ships (2/3)·3 = 2 to l1 at distance 4 -> 8;
    #                  f2 at l1 ships 3·1 = 3 to l2 at distance 1 -> 3;  total 11
    # = F12·D31 + F23·D12 = 2·4 + 3·1 = 11, the QAP cost.
    flow = np.array([[0, 2, 0], [0, 0, 3], [0, 0, 0]], float)
    distance = np.array([[0, 1, 4], [1, 0, 2], [4, 2, 0]], float)
    instance = qap_instance(QapData("tiny", flow, distance))
    f1, f2, f3 = (_segments(instance)[s] for s in ("f1", "f2", "f3"))
    assert (f1["output"], f2["output"], f3["output"]) == (2, 3, 1)
    assert f3["transport_cost"] == 0 and f3["min_scale"] == 1 and f3["resource_use"] == {"slot": 1}
    assert f3["markets"] == {"l1": 1.0}
    assert f3["inputs"] == {"f2": 3.0} and f2["inputs"] == {"f1": pytest.approx(2 / 3)}
    assert f1["inputs"] == {}
    assert qap_cost(flow, distance, [2, 0, 1]) == 11
    assert _transport_of_hosts(instance, _hosts([2, 0, 1])) == pytest.approx(11)
    for p in itertools.permutations(range(3)):
        expected = qap_cost(flow, distance, list(p))
        assert _transport_of_hosts(instance, _hosts(list(p))) == pytest.approx(expected)
    _validate_with_project(instance)


def test_diagonal_flow_is_dropped():
    flow = np.array([[5, 1], [2, 7]], float)
    instance = qap_instance(QapData("diag", flow, np.array([[0, 3], [3, 0]], float)))
    f1, f2 = _segments(instance)["f1"], _segments(instance)["f2"]
    assert f1["output"] == 1 and f2["output"] == 2
    assert "f1" not in f1["inputs"] and f1["inputs"] == {"f2": 2 / 1}


def test_nonzero_distance_diagonal_is_an_error(tmp_path: Path):
    source = tmp_path / "bad3.dat"
    source.write_text("2\n0 1\n1 0\n\n4 2\n2 0\n")
    with pytest.raises(
        ValueError, match=r"bad3: distance matrix has non-zero diagonal.*D\[1,1\] = 4"
    ):
        convert_file(source)


# ---------------------------------------------------------------- CFLP -> instance


def test_converted_cap41_structure():
    instance = convert_file(DATA_DIR / "cap41.txt")
    data = parse_cflp(_read("cap41.txt"), "cap41")
    assert instance["name"] == "cap41"
    cities = {c["id"]: c for c in instance["cities"]}
    assert len(cities) == 16 + 50
    assert cities["w1"]["capacity"] == {"capacity": 5000.0}
    assert all("population" not in c and "lat" not in c for c in cities.values())
    (goods,) = _segments(instance).values()
    assert goods["output"] == 58268
    assert goods["eligible_cities"] == [f"w{i}" for i in range(1, 17)]
    assert goods["setup_cost_by_city"]["w1"] == 7500 and goods["setup_cost_by_city"]["w11"] == 0
    assert goods["resource_use"] == {"capacity": 1.0} and goods["transport_cost"] == 1.0
    assert goods["markets"]["c1"] == pytest.approx(146 / 58268)
    assert sum(goods["markets"].values()) == pytest.approx(1, abs=1e-12)
    distances = instance["transport"]["distances"]
    assert instance["transport"]["directed"] is True and len(distances) == 16 * 50
    km = {(d["from"], d["to"]): d["km"] for d in distances}
    # per-unit cost x demand = cost of serving all of the customer's demand
    assert km["w1", "c1"] * 146 == pytest.approx(6739.725)
    for i in range(16):
        for j in range(50):
            assert km[f"w{i + 1}", f"c{j + 1}"] * data.demands[j] == pytest.approx(data.costs[i, j])
    _validate_with_project(instance)


def _write_small_cflp(path: Path, capacities: tuple[str, str]) -> Path:
    # 2 warehouses x 3 customers; customer 3 has demand 0
    path.write_text(
        f"2 3\n{capacities[0]} 100.\n{capacities[1]} 0.\n 4\n 8. 12.\n 2\n .00000 6.\n 0\n 5. 5.\n"
    )
    return path


def test_capa_style_file_needs_a_capacity(tmp_path: Path):
    source = _write_small_cflp(tmp_path / "capx.txt", ("capacity", "capacity"))
    with pytest.raises(ValueError, match=r"capx.*'capacity'"):
        convert_file(source)
    assert main([str(source), "-o", str(tmp_path / "out.json")]) == 3
    instance = convert_file(source, capacity=10)
    assert instance["name"] == "capx_10"
    assert [c["capacity"] for c in instance["cities"][:2]] == [{"capacity": 10.0}] * 2


def test_capacity_for_a_numeric_file_is_an_error(tmp_path: Path):
    source = _write_small_cflp(tmp_path / "capy.txt", ("7", "9"))
    with pytest.raises(ValueError, match="numeric capacities"):
        convert_file(source, capacity=10)


def test_zero_demand_customer_has_no_market_and_no_route(tmp_path: Path):
    instance = convert_file(_write_small_cflp(tmp_path / "capz.txt", ("7", "9")))
    (goods,) = _segments(instance).values()
    assert goods["output"] == 6
    assert goods["markets"] == {"c1": pytest.approx(4 / 6), "c2": pytest.approx(2 / 6)}
    routes = {(d["from"], d["to"]): d["km"] for d in instance["transport"]["distances"]}
    assert routes == {("w1", "c1"): 2.0, ("w2", "c1"): 3.0, ("w1", "c2"): 0.0, ("w2", "c2"): 3.0}
    assert len(instance["cities"]) == 5  # c3 is kept, without market or route


def test_cflp_with_too_little_capacity_is_an_error(tmp_path: Path):
    data = parse_cflp(_write_small_cflp(tmp_path / "capw.txt", ("1", "2")).read_text(), "capw")
    with pytest.raises(ValueError, match="capw: total capacity 3 is below demand 6"):
        cflp_instance(data)


# ---------------------------------------------------------------- files and CLI


def test_kind_detection():
    assert detect_kind(DATA_DIR / "chr12a.dat") == "qaplib"
    assert detect_kind(DATA_DIR / "nug5.txt") == "taillard"
    assert detect_kind(Path("qap/taillard_small/tai9a.txt")) == "taillard"
    assert detect_kind(DATA_DIR / "cap71.txt") == "cflp"
    with pytest.raises(ValueError, match="kind"):
        detect_kind(Path("x.json"))


def test_cli_writes_the_converted_instance(tmp_path: Path):
    out = tmp_path / "nug5.json"
    assert main([str(DATA_DIR / "nug5.txt"), "-o", str(out)]) == 0
    assert json.loads(out.read_text()) == convert_file(DATA_DIR / "nug5.txt")
    forced = tmp_path / "forced.json"
    assert main([str(DATA_DIR / "nug5.txt"), "--kind", "qaplib", "-o", str(forced)]) == 3
    assert not forced.exists()


def test_known_optima():
    assert known_optimum("cap41") == 1040444.375
    assert known_optimum("nug5") == 50
    assert known_optimum("chr12a") == 9552
    assert known_optimum("esc8f") == 6  # header says 18; brute force finds 6
    assert known_optimum("no_such_instance") is None


@pytest.mark.parametrize(
    "name",
    ["cap41.txt", "cap71.txt", "chr12a.dat", "nug6.txt", "nug7.txt", "nug8.txt", "tai9a.txt"],
)
def test_shipped_files_convert_and_validate(name: str):
    instance = convert_file(DATA_DIR / name)
    assert known_optimum(instance["name"]) is not None
    _validate_with_project(instance)
