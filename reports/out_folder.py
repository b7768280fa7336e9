"""The results folder: checked before anything is solved, so that a run never ends unwritten."""

from __future__ import annotations

import tempfile
from pathlib import Path


def out_folder_problem(folder: Path, option: str = "--out") -> str | None:
    """Why results cannot be written into `folder` (created if missing), or None if they can."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except (FileExistsError, NotADirectoryError):
        return f"{option} {folder}: is a file, or inside one — give a folder"
    except OSError as err:
        return (
            f"{option} {folder}: cannot write there ({err.strerror}) — choose another folder "
            "or make this one writable"
        )
    return None
