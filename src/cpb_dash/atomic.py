"""Writing a file so that a reader sees the old content or the new, never half: the store's version files and the
benchmark table both go through here."""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Make a rename or a new entry in `path` durable, where the platform allows it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(target: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to a temporary file beside `target` (a dot name ending in .tmp, which `tidy` recognises as a
    leftover of a killed write), fsync it, rename it over `target` and fsync the folder."""
    target = Path(target)
    tmp = target.parent / f".{target.stem}.{uuid.uuid4().hex}.tmp"
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # readable by the app when it runs as another user than the publisher
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(target.parent)
