"""Convert published benchmark instances into instance files (SPEC §2) with known optima.

Two families map exactly onto the division-of-labour model (SPEC §3):

- OR-Library capacitated warehouse location (CFLP, Beasley 1988, ``cap*.txt``), multi-source: one
  segment ``goods`` whose hosts are the open warehouses; optimum = transport + setup.
- QAPLIB Koopmans–Beckmann quadratic assignment (``*.dat``, and the Taillard-site format with an
  ``n best`` header): one segment per facility, one city per location, one facility per location;
  optimum = transport.

Every file is read as a whitespace-separated token stream (line breaks carry no meaning).

    python -m benchmarks.convert benchmarks/data/cap41.txt -o cap41.json
    python -m benchmarks.convert ../shared/benchmarks/cflp/capa.txt --capacity 8000 -o capa.json
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from reports.atomic import write_text

DATA_DIR = Path(__file__).resolve().parent / "data"
"""Benchmark files shipped with the repository (a small subset of the shared collection)."""
OPTIMA_CSV = DATA_DIR / "optima.csv"
"""Published optima of the shipped files (same columns as the shared optima.csv)."""
CORRECTED_OPTIMA = {"esc8f": 6.0}
"""Published values known to be wrong: esc8f's Taillard header says 18, brute force finds 6."""
KINDS = ("qaplib", "taillard", "cflp")


@dataclass(frozen=True, eq=False)
class QapData:
    """A Koopmans–Beckmann QAP: min over permutations p of Σ_ij flow_ij · distance_p(i)p(j)."""

    name: str
    flow: np.ndarray
    """Matrix A of the file (n x n), read as the flow between facilities."""
    distance: np.ndarray
    """Matrix B of the file (n x n), read as the distance between locations."""
    stated_best: float | None = None
    """Best value written in a Taillard-format header (None for QAPLIB .dat files)."""


@dataclass(frozen=True, eq=False)
class CflpData:
    """An OR-Library capacitated warehouse location problem (m warehouses, n customers)."""

    name: str
    capacities: np.ndarray
    """s_i, capacity of warehouse i in units of demand (length m)."""
    fixed_costs: np.ndarray
    """f_i, cost of opening warehouse i (length m)."""
    demands: np.ndarray
    """d_j, demand of customer j (length n)."""
    costs: np.ndarray
    """c_ij (m x n): cost of serving ALL of customer j's demand from warehouse i."""


# ---------------------------------------------------------------- parsing


def _numbers(tokens: list[str], source: str, start: int = 0) -> np.ndarray:
    """Tokens as floats; a token that is not a number is an error naming its position."""
    values = np.empty(len(tokens))
    for k, token in enumerate(tokens):
        try:
            values[k] = float(token)
        except ValueError:
            raise ValueError(f"{source}: token {start + k + 1} '{token}' is not a number") from None
    if not np.isfinite(values).all():
        raise ValueError(f"{source}: contains an infinite or NaN value")
    return values


def _size(token: str, source: str, what: str) -> int:
    """A positive integer size from the header."""
    try:
        value = int(token)
    except ValueError:
        raise ValueError(f"{source}: {what} '{token}' is not a whole number") from None
    if value <= 0:
        raise ValueError(f"{source}: {what} must be positive, found {value}")
    return value


def _two_matrices(tokens: list[str], n: int, start: int, source: str) -> tuple[np.ndarray, ...]:
    """The two n x n matrices that follow the header of a QAP file."""
    body = tokens[start:]
    if len(body) != 2 * n * n:
        raise ValueError(
            f"{source}: expected {2 * n * n} matrix entries after the header for n = {n}, "
            f"found {len(body)} (wrong format? QAPLIB .dat has header 'n', Taillard 'n best')"
        )
    values = _numbers(body, source, start)
    return values[: n * n].reshape(n, n), values[n * n :].reshape(n, n)


def parse_qaplib(text: str, name: str) -> QapData:
    """Parse a QAPLIB ``.dat`` file: ``n``, then matrix A (flow), then matrix B (distance)."""
    tokens = text.split()
    if not tokens:
        raise ValueError(f"{name}: empty file")
    n = _size(tokens[0], name, "n")
    flow, distance = _two_matrices(tokens, n, 1, name)
    return QapData(name, flow, distance)


def parse_taillard(text: str, name: str) -> QapData:
    """Parse a Taillard-site QAP file: ``n best``, then the flow matrix, then the distance matrix.

    ``best`` is kept as `QapData.stated_best`; it is the file's claim, not a verified optimum
    (esc8f's header says 18, the true optimum is 6).
    """
    tokens = text.split()
    if len(tokens) < 2:
        raise ValueError(f"{name}: a Taillard header needs 'n best'")
    n = _size(tokens[0], name, "n")
    best = float(_numbers(tokens[1:2], name, 1)[0])
    flow, distance = _two_matrices(tokens, n, 2, name)
    return QapData(name, flow, distance, stated_best=best)


def parse_cflp(text: str, name: str, capacity: float | None = None) -> CflpData:
    """Parse an OR-Library CFLP file (capinfo format).

    Layout: ``m n``; per warehouse ``capacity fixed_cost``; per customer ``demand`` followed by m
    costs c_ij of serving all of the demand from warehouse i. In capa, capb and capc every
    capacity is the literal word ``capacity``: pass `capacity` (capopt lists the four values
    used for each); passing `capacity` for a file with numeric capacities is an error too.
    """
    tokens = text.split()
    if len(tokens) < 2:
        raise ValueError(f"{name}: a CFLP file starts with 'm n'")
    m, n = _size(tokens[0], name, "m"), _size(tokens[1], name, "n")
    expected = 2 + 2 * m + n * (m + 1)
    if len(tokens) != expected:
        raise ValueError(
            f"{name}: expected {expected} tokens for m = {m}, n = {n}, found {len(tokens)}"
        )
    warehouse_tokens = tokens[2 : 2 + 2 * m]
    capacity_tokens = warehouse_tokens[0::2]
    capacities = _warehouse_capacities(capacity_tokens, name, capacity)
    fixed_costs = _numbers(warehouse_tokens[1::2], name, 2)
    customers = _numbers(tokens[2 + 2 * m :], name, 2 + 2 * m).reshape(n, m + 1)
    demands, costs = customers[:, 0].copy(), customers[:, 1:].T.copy()
    if (demands < 0).any() or (costs < 0).any() or (fixed_costs < 0).any():
        raise ValueError(f"{name}: negative demand, cost or fixed cost")
    return CflpData(name, capacities, fixed_costs, demands, costs)


def _warehouse_capacities(tokens: list[str], name: str, capacity: float | None) -> np.ndarray:
    """Warehouse capacities, substituting `capacity` for the literal word in capa/capb/capc."""
    symbolic = [t.lower() == "capacity" for t in tokens]
    if any(symbolic) and capacity is None:
        raise ValueError(
            f"{name}: capacities are the word 'capacity'; give a capacity value "
            "(capopt: capa 8000/10000/12000/14000, capb 5000-8000, capc 5000-7250)"
        )
    if not any(symbolic) and capacity is not None:
        raise ValueError(f"{name}: the file gives numeric capacities; do not pass a capacity")
    if capacity is not None and capacity <= 0:
        raise ValueError(f"{name}: capacity must be positive, got {capacity}")
    return np.array([capacity if s else float(t) for t, s in zip(tokens, symbolic, strict=True)])


def read_qap_solution(text: str) -> tuple[float, list[int]]:
    """Parse a QAPLIB ``.sln`` file: ``n sol`` and a 1-based permutation.

    Returns the stated objective and the permutation 0-based: facility i goes to location p[i].
    """
    tokens = text.split()
    n = _size(tokens[0], "solution", "n")
    value = float(tokens[1])
    permutation = [int(t) - 1 for t in tokens[2:]]
    if sorted(permutation) != list(range(n)):
        raise ValueError(f"solution: {tokens[2:]} is not a permutation of 1..{n}")
    return value, permutation


def qap_cost(flow: np.ndarray, distance: np.ndarray, permutation: list[int]) -> float:
    """Σ_i Σ_j flow_ij · distance_p(i)p(j) from the raw matrices (diagonal included)."""
    p = np.asarray(permutation)
    return float(np.sum(np.asarray(flow) * np.asarray(distance)[np.ix_(p, p)]))


# ---------------------------------------------------------------- QAP -> instance


def _ratio_down(numerator: float, denominator: float) -> float:
    """numerator / denominator rounded toward zero, so that ratio x denominator ≤ numerator exactly.

    Relative error below 2.3e-16. Rounding down keeps every computed intermediate use Σ_j a_ij Q_j
    at or below Q_i in any summation order (so final sales never turn negative by rounding), and
    keeps K / u ≥ Q for the slot resource (so min_scale never exceeds U_sc by rounding).
    """
    ratio = numerator / denominator
    if Fraction(ratio) * Fraction(denominator) > Fraction(numerator):
        ratio = math.nextafter(ratio, 0.0)
    return ratio


def _check_qap(data: QapData) -> None:
    """Square, non-negative matrices, zero distance diagonal; errors name the file."""
    n = data.flow.shape[0]
    for label, matrix in (("flow", data.flow), ("distance", data.distance)):
        if matrix.shape != (n, n):
            raise ValueError(f"{data.name}: {label} matrix is {matrix.shape}, expected ({n}, {n})")
        if (matrix < 0).any():
            raise ValueError(f"{data.name}: {label} matrix has negative entries")
    diagonal = np.flatnonzero(np.diag(data.distance))
    if diagonal.size:
        a = int(diagonal[0])
        raise ValueError(
            f"{data.name}: distance matrix has non-zero diagonal entries (D[{a + 1},{a + 1}] = "
            f"{data.distance[a, a]:g}, {diagonal.size} in all); in the model a facility supplying "
            "itself travels distance 0, so this QAP cannot be converted"
        )


def qap_instance(data: QapData) -> dict:
    """Instance equivalent to a Koopmans–Beckmann QAP (A = flow F, B = distance D).

    Segments ``f1..fn`` (one chain ``qap``) and cities ``l1..ln``. Segment i has output
    Q_i = Σ_{j≠i} F_ij, min_scale Q_i (one host), slot use 1/Q_i against a slot capacity of 1
    per city (one facility per location), transport_cost 1 on directed distances D_ab (a ≠ b).
    Segment j uses a_ij = F_ij / Q_j of i per unit, so i ships exactly F_ij to j and its final
    sales are 0. The optimal transport equals the QAP optimum Σ_ij F_ij D_p(i)p(j), with p(i) the
    host of f_i.

    Subtleties:
    (a) the diagonal F_ii is dropped: self-supply travels distance 0 in the model, which is exact
        only if every D_aa = 0; otherwise a ValueError names the file;
    (b) a facility with zero row sum (it ships nothing) would get Q_i = 0, which is not a valid
        output: it gets Q_i = 1, transport_cost 0 and its 1 unit of final sales on city l1 (free,
        as its transport costs nothing); its inputs are a_ji = F_ji / 1;
    (c) zero flows give no input key;
    (d) a_ij and 1/Q_i are rounded toward zero (`_ratio_down`): a_ij·Q_j reproduces F_ij to
        2.3e-16 relative, final sales are ≥ 0 (at most ~1e-13·Q_i) and K/u ≥ Q_i;
    (e) every segment names ``markets`` {l1: 1}, so no city needs a population.
    """
    _check_qap(data)
    flow = data.flow.copy()
    np.fill_diagonal(flow, 0.0)
    n = flow.shape[0]
    shipped = flow.sum(axis=1)
    output = np.where(shipped > 0, shipped, 1.0)
    segments = [_qap_segment(flow, output, shipped, j) for j in range(n)]
    distances = [
        {"from": f"l{a + 1}", "to": f"l{b + 1}", "km": float(data.distance[a, b])}
        for a in range(n)
        for b in range(n)
        if a != b
    ]
    header = ""
    if data.stated_best is not None:
        header = f" The file header states best value {data.stated_best:g}."
    return {
        "schema_version": 1,
        "name": data.name,
        "description": (
            f"QAP {data.name} (n = {n}) as a location model: facility f_i is a segment, location "
            "l_a a city with one slot, flow F_ij the input of f_i into f_j, transport cost 1 per "
            f"unit on the directed distance D_ab. Optimal transport = QAP optimum.{header}"
        ),
        "sources": [f"QAPLIB instance {data.name} (https://qaplib.mgi.polymtl.ca)"],
        "units": {
            "money": "QAP objective units",
            "output": "flow units",
            "distance": "QAP distance",
        },
        "resources": [{"id": "slot", "name": "Facility slot", "unit": "facility"}],
        "cities": [
            {"id": f"l{a + 1}", "name": f"Location {a + 1}", "capacity": {"slot": 1.0}}
            for a in range(n)
        ],
        "transport": {"distances": distances, "directed": True},
        "chains": [{"id": "qap", "name": "QAP facilities", "segments": segments}],
    }


def _qap_segment(flow: np.ndarray, output: np.ndarray, shipped: np.ndarray, j: int) -> dict:
    """Segment f_{j+1}: output Q_j, inputs a_ij = F_ij / Q_j, one host, one slot."""
    q = float(output[j])
    inputs = {
        f"f{i + 1}": _ratio_down(float(flow[i, j]), q)
        for i in range(flow.shape[0])
        if i != j and flow[i, j] != 0
    }
    return {
        "id": f"f{j + 1}",
        "name": f"Facility {j + 1}",
        "output": q,
        "inputs": inputs,
        "resource_use": {"slot": _ratio_down(1.0, q)},
        "transport_cost": 1.0 if shipped[j] > 0 else 0.0,
        "min_scale": q,
        "markets": {"l1": 1.0},
    }


# ---------------------------------------------------------------- CFLP -> instance


def cflp_instance(data: CflpData) -> dict:
    """Instance equivalent to a multi-source capacitated warehouse location problem.

    One chain with one segment ``goods`` of output D = Σ_j d_j. Warehouses are cities
    ``w1..wm`` (the only eligible hosts), with setup_cost_by_city = fixed cost f_i and a
    resource ``capacity`` of s_i used 1 per unit. Customers are cities ``c1..cn`` whose market
    share of ``goods`` is d_j / D. The per-unit cost of serving j from i is c_ij / d_j, written as
    a directed distance w_i -> c_j with transport_cost 1; no coordinates, so there is no other
    route. The optimum (transport + setup) equals the published multi-source CFLP optimum.
    A customer with d_j = 0 stays as a city but gets no market share and no route.
    """
    total = float(data.demands.sum())
    if total <= 0:
        raise ValueError(f"{data.name}: total demand is zero")
    if data.capacities.sum() < total:
        raise ValueError(
            f"{data.name}: total capacity {data.capacities.sum():g} is below demand {total:g}"
        )
    m, n = data.costs.shape
    served = [j for j in range(n) if data.demands[j] > 0]
    warehouses = [f"w{i + 1}" for i in range(m)]
    return {
        "schema_version": 1,
        "name": data.name,
        "description": (
            f"OR-Library capacitated warehouse location {data.name} ({m} warehouses x {n} "
            "customers), multi-source: warehouses are the cities that may host 'goods', "
            "customers its markets; the distance w_i -> c_j is the per-unit cost c_ij / d_j. "
            "Optimal transport + setup = published optimum."
        ),
        "sources": [
            f"OR-Library (Beasley 1988) {data.name}, "
            "http://people.brunel.ac.uk/~mastjjb/jeb/orlib/capinfo.html"
        ],
        "units": {
            "money": "OR-Library cost units",
            "output": "units of demand",
            "distance": "cost per unit",
        },
        "resources": [{"id": "capacity", "name": "Warehouse capacity", "unit": "units"}],
        "cities": [
            {
                "id": w,
                "name": f"Warehouse {i + 1}",
                "capacity": {"capacity": float(data.capacities[i])},
            }
            for i, w in enumerate(warehouses)
        ]
        + [{"id": f"c{j + 1}", "name": f"Customer {j + 1}"} for j in range(n)],
        "transport": {
            "distances": [
                {
                    "from": warehouses[i],
                    "to": f"c{j + 1}",
                    "km": float(data.costs[i, j] / data.demands[j]),
                }
                for i in range(m)
                for j in served
            ],
            "directed": True,
        },
        "chains": [
            {
                "id": "cflp",
                "name": "Warehouse location",
                "segments": [
                    {
                        "id": "goods",
                        "name": "Goods delivered to customers",
                        "output": total,
                        "resource_use": {"capacity": 1.0},
                        "transport_cost": 1.0,
                        "setup_cost": 0.0,
                        "setup_cost_by_city": {
                            w: float(data.fixed_costs[i]) for i, w in enumerate(warehouses)
                        },
                        "eligible_cities": warehouses,
                        "markets": {f"c{j + 1}": float(data.demands[j] / total) for j in served},
                    }
                ],
            }
        ],
    }


# ---------------------------------------------------------------- files


def detect_kind(path: Path) -> str:
    """Format of a benchmark file from its name: ``.dat`` QAPLIB, ``cap*.txt`` CFLP, other
    ``.txt`` (e.g. ``taillard_small/*.txt``) Taillard format with an ``n best`` header."""
    if path.suffix == ".dat":
        return "qaplib"
    if path.suffix == ".txt" and path.name.startswith("cap"):
        return "cflp"
    if path.suffix == ".txt":
        return "taillard"
    raise ValueError(
        f"{path}: cannot tell the format from the name; pass a kind ({', '.join(KINDS)})"
    )


def instance_name(path: Path, capacity: float | None = None) -> str:
    """Benchmark name as in optima.csv: the file stem, plus ``_<capacity>`` for capa/capb/capc."""
    return f"{path.stem}_{capacity:g}" if capacity is not None else path.stem


def convert_file(path: str | Path, kind: str | None = None, capacity: float | None = None) -> dict:
    """Read a benchmark file and return its instance dict (kind detected unless given)."""
    path = Path(path)
    kind = kind or detect_kind(path)
    text = path.read_text(encoding="utf-8")
    name = instance_name(path, capacity)
    if kind == "cflp":
        return cflp_instance(parse_cflp(text, name, capacity))
    if capacity is not None:
        raise ValueError(f"{path}: a capacity applies only to CFLP files")
    if kind == "qaplib":
        return qap_instance(parse_qaplib(text, name))
    if kind == "taillard":
        return qap_instance(parse_taillard(text, name))
    raise ValueError(f"unknown kind '{kind}'; use one of {', '.join(KINDS)}")


def known_optimum(
    name: str, optima_csv: str | Path = OPTIMA_CSV, sense: str = "min"
) -> float | None:
    """Published optimum of benchmark `name` (e.g. 'cap41', 'capa_8000', 'nug5'), or None.

    Reads an optima.csv (columns family, instance, file, size, sense, value, ...); the default is
    the copy in benchmarks/data. Values known to be wrong are replaced (`CORRECTED_OPTIMA`).
    """
    if name in CORRECTED_OPTIMA:
        return CORRECTED_OPTIMA[name]
    with open(optima_csv, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["instance"] == name and row["sense"] == sense:
                return float(row["value"])
    return None


def format_json(document: object, width: int = 100, indent: str = "  ", _level: int = 0) -> str:
    """JSON text that a planner can read: an object or list that fits on one line stays on one
    line (e.g. one distance or one city), larger ones are indented. Key order is kept."""
    flat = json.dumps(document, ensure_ascii=False)
    if not isinstance(document, dict | list) or len(flat) + len(indent) * _level <= width:
        return flat
    inner = indent * (_level + 1)
    if isinstance(document, dict):
        items = [
            f"{inner}{json.dumps(key, ensure_ascii=False)}: "
            f"{format_json(value, width, indent, _level + 1)}"
            for key, value in document.items()
        ]
        opening, closing = "{", "}"
    else:
        items = [f"{inner}{format_json(value, width, indent, _level + 1)}" for value in document]
        opening, closing = "[", "]"
    return opening + "\n" + ",\n".join(items) + "\n" + indent * _level + closing


def write_json(document: dict, out: Path) -> None:
    """Write an instance as readable JSON, atomically (reports.atomic: temporary file, then
    rename)."""
    write_text(out, format_json(document) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Command line: convert one benchmark file to an instance JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.convert", description=__doc__.split("\n")[0]
    )
    parser.add_argument("source", type=Path, help="benchmark file (.dat, taillard .txt, cap*.txt)")
    parser.add_argument("-o", "--out", type=Path, help="output JSON (default: stdout)")
    parser.add_argument("--kind", choices=KINDS, help="force the file format")
    parser.add_argument("--capacity", type=float, help="warehouse capacity for capa/capb/capc")
    parser.add_argument("--optima", type=Path, default=OPTIMA_CSV, help="optima.csv to report from")
    args = parser.parse_args(argv)
    try:
        instance = convert_file(args.source, args.kind, args.capacity)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 3
    if args.out is None:
        print(format_json(instance))
        return 0
    write_json(instance, args.out)
    optimum = known_optimum(instance["name"], args.optima) if args.optima.exists() else None
    note = f"; known optimum {optimum}" if optimum is not None else ""
    print(f"wrote {args.out}: {instance['name']}{note}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
