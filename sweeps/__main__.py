"""Command line of a sweep.

    python -m sweeps INSTANCE --sweep SWEEP.json [--scheduler ADDRESS] [--workers N] [--out DIR]

Exit codes: 0 done; 1 a solve ended in an error (rerun to retry) or the cluster cannot be used;
3 the instance or the sweep file is invalid, or a path given cannot be used (nothing solved);
130 interrupted (rerun to resume).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m sweeps",
        description="How robust is a plan when the numbers are uncertain: solve many samples.",
    )
    p.add_argument("instance", type=Path, help="instance file (JSON, see SPEC §2)")
    p.add_argument("--sweep", type=Path, required=True, metavar="SWEEP.json", help="sweep file")
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on a Dask cluster (e.g. tcp://10.0.0.5:8786)"
    )
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="local worker processes (default: one per core; 0: in this process)",
    )
    p.add_argument("--out", type=Path, help="results folder (default results/<instance stem>)")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    args = p.parse_args(argv)
    if args.workers is not None and args.workers < 0:
        p.error("--workers: give 0 (this process) or more worker processes")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    from sweeps.run import run_sweep

    try:
        return run_sweep(args.instance, args.sweep, args.out, args.scheduler, args.workers)
    except KeyboardInterrupt:
        print("interrupted: finished samples are kept", file=sys.stderr)
        return 130
    except Exception as err:
        if args.debug:
            traceback.print_exc()
        print(
            f"unexpected error: {type(err).__name__}: {err} (rerun with --debug)", file=sys.stderr
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
