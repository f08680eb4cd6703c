"""Streamlit's own front-end files, copied for nginx to send from the disk, each with compressed twins.

A first visit fetches 70 to 100 of Streamlit's script files at once. Proxied, each was read by Streamlit's web
server (Tornado, in the Python process that also runs the pages) and compressed by nginx as it passed, at a
quality it can afford per request (brotli 5). Measured through deploy/nginx on this machine (desktop profile,
docs/performance.md), the last of them arrived 466 ms after the first visit began; sent by nginx from the disk,
322 ms. Compressed here once, at brotli's best quality (11) and gzip's (9), all of Streamlit's JavaScript is 10%
smaller than nginx made it: bytes every first visit, the floor's too, carries over a tablet's 4G link.

`python -m cpb_dash web-assets DIR` writes them under DIR/streamlit/static/{js,css,media}, beside each compressible
file its `.br` and `.gz` (nginx's brotli_static and gzip_static send the one the browser accepts). Their names carry
Streamlit's build hash, so a copy left from an earlier Streamlit is never asked for; the folder is replaced whole.
A name the copy lacks (Streamlit upgraded, the command not rerun) is asked of the app, as before.
"""

from __future__ import annotations

import gzip
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

FOLDER = "streamlit"  # under the web-assets directory: nginx's root for /static/... (deploy/nginx)
COMPRESSIBLE = {".js", ".css", ".svg", ".ttf", ".json", ".map"}
SMALLEST = 256  # as nginx's brotli_min_length / gzip_min_length: smaller files go as they are
KINDS = ("js", "css", "media")


def twins(data: bytes) -> tuple[bytes, bytes]:
    """`data` compressed by brotli at quality 11 and gzip at level 9 (with no file time, so the same bytes give
    the same file)."""
    import brotli

    return brotli.compress(data, quality=11), gzip.compress(data, compresslevel=9, mtime=0)


def _twins_of(path: Path) -> tuple[str, bytes, bytes]:
    return (str(path), *twins(path.read_bytes()))


def compressed(static: Path) -> dict[str, tuple[bytes, bytes]]:
    """Streamlit's compressible files under `static` (relative name -> (.br, .gz)); both CPUs at once (quality 11
    takes about 25 s of one CPU for Streamlit 1.67's 23 MB of JavaScript)."""
    files = [
        p
        for kind in KINDS
        for p in sorted((static / kind).glob("*"))
        if p.is_file() and p.suffix in COMPRESSIBLE and p.stat().st_size >= SMALLEST
    ]
    with ProcessPoolExecutor() as pool:
        done = list(pool.map(_twins_of, files, chunksize=8))
    return {str(Path(name).relative_to(static)): (br, gz) for name, br, gz in done}


def write(out_dir: Path, static: Path, packed: dict[str, tuple[bytes, bytes]]) -> tuple[int, int]:
    """Copy Streamlit's files from `static` to <out_dir>/streamlit/static with the twins in `packed`
    (`compressed`), replacing any earlier copy whole. Returns (files copied, bytes of .br twins)."""
    target = out_dir / FOLDER
    partial = out_dir / f"{FOLDER}.part"
    shutil.rmtree(partial, ignore_errors=True)
    count = brotli_bytes = 0
    for kind in KINDS:
        into = partial / "static" / kind
        into.mkdir(parents=True)
        for path in sorted((static / kind).glob("*")):
            if not path.is_file():
                continue
            shutil.copyfile(path, into / path.name)
            count += 1
            pair = packed.get(f"{kind}/{path.name}")
            if pair:
                (into / f"{path.name}.br").write_bytes(pair[0])
                (into / f"{path.name}.gz").write_bytes(pair[1])
                brotli_bytes += len(pair[0])
    old = out_dir / f"{FOLDER}.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.replace(old)
    partial.replace(target)  # nginx sees the old copy or the new one, never half of one
    shutil.rmtree(old, ignore_errors=True)
    return count, brotli_bytes
