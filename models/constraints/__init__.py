"""Constraint families of SPEC §3, in the order the builder adds them.

Each family is `add_<name>(m, data) -> None`: it states its mathematics in its docstring, builds
only over sparse index sets, and returns early when nothing applies. A requirement that no choice
of variables can meet (e.g. a market no supplier can reach) is recorded in `m.conflicts` instead
of a constraint, so the solve stage can report it in planner terms.
"""

from models.constraints.families import (
    add_capacity,
    add_duplication,
    add_host_link,
    add_output,
    add_relocation,
    add_ship_in,
    add_ship_out,
)

CONSTRAINTS = {
    "output": add_output,
    "host_link": add_host_link,
    "ship_out": add_ship_out,
    "ship_in": add_ship_in,
    "capacity": add_capacity,
    "duplication": add_duplication,
    "relocation": add_relocation,
}
