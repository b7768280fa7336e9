"""The results folder: checked before anything is solved, so that a run never ends unwritten."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from models.problems import Problem


def out_folder_problem(folder: Path, given: Path | None = None) -> Problem | None:
    """Why results cannot be written into `folder`, or None. Found without leaving anything
    behind, so that a refused run leaves no folder: a missing folder's nearest existing parent
    must be a folder that may be written to, and where a file can be made (a temporary one,
    removed at once: permissions alone miss e.g. /proc). `given` is the --out the user gave, when
    `folder` lies inside it."""
    where = f"--out {given or folder}"
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not existing.is_dir():
        fix = "give a folder for the results (created if missing), or move the file"
        return Problem(where, f"{existing} is a file, not a folder", fix)
    if not os.access(existing, os.W_OK | os.X_OK):
        fix = "give a folder you can write to, or make this one writable"
        return Problem(where, f"folder {existing} is not writable", fix)
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as err:
        fix = "give a folder on a disk you can write to"
        return Problem(where, f"no file can be made in {existing} ({err.strerror})", fix)
    return None
