"""Atomic file writes: a temporary file in the same folder, then a rename.

`write_files` writes several files as one set: a destination that is a folder is refused before
anything is written, every temporary file is written next, and only when all of them are complete
are they renamed into place, so a failure (a read-only folder, a full disk) leaves every old file
as it was. A rename that still fails (rare: a file of another user in a shared folder) leaves the
files renamed before it replaced, and the error lists them in `replaced`. Every file gets the
permissions of a file created normally (0666 less the umask), whatever the temporary file had.
"""

from __future__ import annotations

import errno
import json
import math
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd


def write_files(contents: Mapping[Path, str | bytes]) -> None:
    """Write every file of `contents` (text as UTF-8), so that readers see the old set or the new
    one. An OSError names the file that could not be written; when a rename failed after others
    succeeded, its `replaced` lists the files already replaced, in order."""
    for path in contents:
        if path.is_dir() and not path.is_symlink():  # os.replace cannot put a file there
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    staged: dict[Path, str] = {}
    replaced: list[Path] = []
    try:
        for path, content in contents.items():
            staged[path] = _stage(path, content)
        for path, tmp in staged.items():
            try:
                os.replace(tmp, path)
            except OSError as err:
                failed = OSError(err.errno, err.strerror, str(path))  # keeps the subclass
                failed.replaced = list(replaced)
                raise failed from None
            replaced.append(path)
    except BaseException:
        for tmp in staged.values():
            Path(tmp).unlink(missing_ok=True)
        raise


def changed_files(err: OSError) -> str:
    """What a failed `write_files` changed, for a message: 'no report file was changed', or the
    files it had already replaced."""
    replaced = getattr(err, "replaced", [])
    if not replaced:
        return "no report file was changed"
    return (
        f"{', '.join(map(str, replaced))} {'was' if len(replaced) == 1 else 'were'} already "
        "replaced, the other report files were left as they were"
    )


def _stage(path: Path, content: str | bytes) -> str:
    """A complete temporary copy of `path` beside it, with normal permissions; its name. An
    OSError names `path`, not the temporary file."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(content.encode("utf-8") if isinstance(content, str) else content)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        return tmp
    except BaseException as err:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise OSError(err.errno, err.strerror, str(path)) from None  # keeps the subclass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def json_text(payload: dict) -> str:
    """`payload` as JSON; a NaN or an infinity, which JSON cannot hold, is written as null."""
    return json.dumps(_finite(payload), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _finite(value):
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def csv_text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def write_text(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never a part."""
    write_files({path: text})


def write_json(path: Path, payload: dict) -> None:
    write_text(path, json_text(payload))


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    write_text(path, csv_text(frame))
