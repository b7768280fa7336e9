"""How often the starting plan of large MIPs is found on tight areas: generated 8-city areas
(3 chains of 4 segments, 60 % of cities eligible), seeds 1-8, capacities 50 % and 70 % used.

    python -m benchmarks.start_rate

Prints, per capacity use, how many of the 8 seeds get a start (`models.heuristic.start_for`);
where one does not, the search runs without a start.
"""

from __future__ import annotations

from benchmarks.generate import generate
from models.build import build
from models.heuristic import start_for
from models.scenario import load_document

SEEDS = range(1, 9)
TIGHTNESS = (0.5, 0.7)


def found(tightness: float, seed: int) -> bool:
    doc = generate(
        cities=8, chains=3, segments_per_chain=4, eligibility=0.6, tightness=tightness, seed=seed
    )
    data = load_document(doc).scenarios["base"]
    return start_for(build(data), data).plan is not None


def main() -> None:
    for tightness in TIGHTNESS:
        hits = [seed for seed in SEEDS if found(tightness, seed)]
        print(
            f"capacities {tightness:.0%} used: a start on {len(hits)} of {len(SEEDS)} seeds {hits}"
        )


if __name__ == "__main__":
    main()
