"""Results shared by the dashboard's processes: a result computed once (a period's indicators,
a view's table, a trend) is kept on disk and read by every worker, and by a worker started
later, until the data or the indicator settings change.

:mod:`dashboard.kit.memo` keeps results per process.  Behind nginx (``serve --workers N``) every
process would otherwise compute each selection again, and a restarted one would start cold.
The store sits behind the kept wrappers of :mod:`dashboard.kit.cache`: a miss
in the process reads the store, and only a miss there computes.

Each data identity, settings and version of the code have their own folder under the
database's results folder (:func:`data.snapshots.results_dir`); a new folder drops all but
the newest few.  The code's version (:func:`code_version`) is a digest of the product's own
source and definition files: after an upgrade that changes a rule, results the old code
computed are never read.  Entries are
pickles written atomically.  The folder is the server's own (mode 0700) and nothing else
writes there, so they are as trusted as the code.  A result whose pickle is larger than
:data:`MAX_BYTES` is not stored, nor any result once the folder holds :data:`FOLDER_BYTES`;
those stay in the process's own cache.  The store is a cache:
an unreadable or missing entry is computed again, and deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path
from typing import TypeVar

from data.snapshots import results_dir

T = TypeVar("T")
MAX_BYTES = 32 * 1024 * 1024
FOLDER_BYTES = 2 * 1024 * 1024 * 1024
"""A folder stops taking results at 2 GiB (1M applications: about 1 GB after the page warm-up,
about 200 MB more a day of use)."""
KEEP_FOLDERS = 3
_SUFFIX = ".pickle"
ROOT = Path(__file__).resolve().parents[2]
CODE_PACKAGES = ("data", "metrics", "charts", "report", "dashboard")
"""The packages whose code and definition files make a stored result what it is."""


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@cache
def code_version() -> str:
    """A digest of every Python, TOML and JSON file of :data:`CODE_PACKAGES` (their paths and
    bytes; about 300 files, read once per process)."""
    h = hashlib.blake2b(digest_size=16)
    for package in CODE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix in (".py", ".toml", ".json") and path.is_file():
                h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def folder(url: str, identity: str, overrides: str) -> Path:
    """The folder of the results of data ``identity`` (see :func:`data.batches.data_identity`)
    with indicator settings ``overrides`` and this :func:`code_version`; made on first use,
    older folders dropped."""
    root = results_dir(url)
    here = root / _digest(f"{identity}\n{overrides}\n{code_version()}".encode())
    if not here.is_dir():
        try:
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
            here.mkdir(mode=0o700, exist_ok=True)
            _prune(root, keep=here)
        except OSError:
            pass  # a store that cannot be made is only slower: fetch computes
    return here


def _prune(root: Path, keep: Path) -> None:
    others = sorted((p for p in root.iterdir() if p.is_dir() and p != keep), key=_mtime, reverse=True)
    for old in others[KEEP_FOLDERS - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


def entry(where: Path, key: Hashable) -> Path:
    """The file of ``key`` (a tuple of picklable parts: function, scope, arguments) in ``where``."""
    return where / (_digest(pickle.dumps(key, protocol=5)) + _SUFFIX)


def fetch(where: Path, key: Hashable, compute: Callable[[], T]) -> T:
    """The stored result of ``key`` in ``where``, else ``compute()`` (then stored).

    A result this call stores is returned as read back from its pickle, as every other
    process gets it: values made from it then pickle to the same bytes in every process
    (a frame computed here and one unpickled need not share a block layout), so the keys
    of :mod:`dashboard.kit.content_key` that the drawings are kept under agree."""
    path = entry(where, key)
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)  # type: ignore[no-any-return]
    except FileNotFoundError:
        pass
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError):
        path.unlink(missing_ok=True)  # unreadable (a changed class, a cut file): computed again
    value = compute()
    raw = store(path, value)
    return value if raw is None else pickle.loads(raw)  # type: ignore[no-any-return]


def store(path: Path, value: object) -> bytes | None:
    """Write ``value`` to ``path`` atomically (a reader sees the whole pickle or none); the
    pickle written, or None when it was not (too large, a full folder, not picklable)."""
    try:
        raw = pickle.dumps(value, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    if len(raw) > MAX_BYTES or _bytes_in(path.parent) + len(raw) > FOLDER_BYTES:
        return None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, path)
    except OSError:
        return None
    with _SIZES_LOCK:
        scanned, size = _SIZES.get(path.parent, (0.0, 0))
        _SIZES[path.parent] = (scanned, size + len(raw))
    return raw


RESCAN_SECONDS = 30.0
"""How often a process counts a folder's bytes again (a stat per entry: 15 ms at 8,000
entries, which 60 sessions' results, charts and tables reached in four minutes).  In between it adds what it
wrote itself, so the cap is overshot by at most the other processes' writes of that time."""
_SIZES: dict[Path, tuple[float, int]] = {}  # folder -> (when counted, bytes since)
_SIZES_LOCK = threading.Lock()


def _bytes_in(where: Path) -> int:
    """The bytes of the results in ``where``: counted at most every :data:`RESCAN_SECONDS`,
    plus what this process stored since."""
    now = time.monotonic()
    with _SIZES_LOCK:
        scanned, size = _SIZES.get(where, (0.0, 0))
        if scanned and now - scanned < RESCAN_SECONDS:
            return size
    try:
        with os.scandir(where) as entries:
            size = sum(e.stat().st_size for e in entries if e.name.endswith(_SUFFIX))
    except OSError:
        size = 0
    with _SIZES_LOCK:
        _SIZES[where] = (now, size)
    return size


# ---------------------------------------------------------------- warming a folder once


def claim(where: Path, name: str) -> bool:
    """True for the one process that may do job ``name`` in ``where`` (e.g. warm it): the
    first to create its marker; every other process, and later calls, get False."""
    try:
        os.close(os.open(where / f"{name}.claimed", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError:
        return False
    return True


def finish(where: Path, name: str) -> None:
    """Mark job ``name`` in ``where`` as done (see :func:`finished`)."""
    try:
        (where / f"{name}.done").touch()
    except OSError:
        return


def finished(where: Path, name: str) -> bool:
    """Whether job ``name`` in ``where`` has been done."""
    return (where / f"{name}.done").exists()
