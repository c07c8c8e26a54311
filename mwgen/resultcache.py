"""Results of pure functions of a text, remembered in the user cache by that text.

What is kept: the canonical form of each rendered YAML text and of each Terraform text
that passed its checks (:mod:`mwgen.render.formats`), each schema pattern's answer
for a value (:mod:`mwgen.schema.patterns`: compiling a schema's patterns was a fifth of
a pre-commit ``mwgen validate``), and each merged value set that passed validation
(:mod:`mwgen.schema.passed`). Why, for YAML:

A render parses every YAML file its templates produce and writes it out canonically
(:mod:`mwgen.render.formats`): most of a full render's CPU time, spent mostly in
PyYAML turning libyaml's events into Python objects. From one render to the next most
files come out byte-identical (a changed service re-renders its whole target; ``mwgen
diff`` re-renders everything), so the canonical text of each rendered text is kept
here, keyed by the sha256 of mwgen's code for the transform, the format and the text.
A hit is the same pure function's answer: nothing else goes into the result. A
failure is never stored.

One SQLite file (Python's own ``sqlite3``) in the user cache (:func:`mwgen.cache.cache_base`),
not a file per entry: thousands of small cache files would cost a cold render as
much kernel time as the output itself. Bodies are zlib-compressed with a CRC-32 of the
text: a damaged entry reads as a miss. New entries are written in one transaction at
the end of each batch of jobs. The oldest entries beyond :data:`MAX_ENTRIES` are
dropped. Any problem with the file (missing ``sqlite3``, a locked or corrupt database,
a read-only cache) only costs time: the store turns itself off for the process.
Deleting the file is always safe.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import os
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from mwgen.cache import cache_base

try:
    import sqlite3
except ImportError:  # pragma: no cover - a Python built without sqlite3
    sqlite3 = None  # type: ignore[assignment]

#: The database file under the cache folder.
FILENAME = "render-results.sqlite3"
#: Entries kept (first in, first out): about two renders of 2,000 services.
MAX_ENTRIES = 200_000
#: Entries collected before a batch is written even if the batch has not ended.
_FLUSH_AT = 500


@cache
def code_digest(parts: tuple[str, ...]) -> bytes:
    """Digest of mwgen's code that makes a result: ``parts`` are files relative to the
    ``mwgen`` package, or folders (ending in ``/``) for every ``.py`` in them."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for part in parts:
        files = sorted((root / part).glob("*.py")) if part.endswith("/") else [root / part]
        for path in files:
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.digest()


@cache
def package_stamp(name: str) -> str:
    """An installed package's files, by name, size and modification time, without
    importing it: results it computes are keyed by this (an upgrade misses them)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return f"{name}:none"
    folder = Path(spec.origin).parent
    return ",".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                    for p in sorted(folder.iterdir()) if p.is_file())


def key_of(kind: str, text: str | bytes, code: tuple[str, ...]) -> bytes:
    """The key of the result of ``kind`` for ``text``, made by the code in ``code``."""
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(code_digest(code) + kind.encode() + b"\0" + data).digest()


class ResultStore:
    """One process's connection to the database, and its not yet written entries."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pending: dict[bytes, str] = {}
        self.off = sqlite3 is None
        self._db: Any = None
        self._pid = 0
        self._forked_from: Any = None  # a parent's connection: kept, never used

    def _connection(self) -> Any:
        if self.off:
            return None
        if self._db is not None and self._pid == os.getpid():
            return self._db
        if self._db is not None:  # forked: SQLite connections must not cross a fork
            self._forked_from, self._db = self._db, None
            self.pending = {}  # the parent writes its own
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=2.0, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")  # a cache: a lost write is a miss
            db.execute("CREATE TABLE IF NOT EXISTS results (key BLOB PRIMARY KEY, "
                       "body BLOB NOT NULL, crc INTEGER NOT NULL)")
        except (OSError, sqlite3.Error):
            self.off = True
            return None
        self._db, self._pid = db, os.getpid()
        return db

    def get(self, key: bytes) -> str | None:
        """The text remembered for ``key``, or None."""
        text = self.pending.get(key)
        if text is not None:
            return text
        db = self._connection()
        if db is None:
            return None
        try:
            row = db.execute("SELECT body, crc FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            self.off = True
            return None
        if row is None:
            return None
        try:
            data = zlib.decompress(row[0])
        except zlib.error:
            return None
        if zlib.crc32(data) != row[1]:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def put(self, key: bytes, text: str) -> None:
        """Remember ``text`` for ``key`` (written by :meth:`flush`)."""
        if self.off:
            return
        self.pending[key] = text
        if len(self.pending) >= _FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        """Write the pending entries in one transaction, then drop the oldest beyond
        :data:`MAX_ENTRIES`; on any problem, forget them (a miss next time)."""
        if not self.pending:
            return
        pending, self.pending = self.pending, {}
        db = self._connection()
        if db is None:
            return
        rows = []
        for key, text in pending.items():
            data = text.encode("utf-8", "surrogatepass")
            rows.append((key, zlib.compress(data, 1), zlib.crc32(data)))
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR REPLACE INTO results (key, body, crc) "
                               "VALUES (?, ?, ?)", rows)
                db.execute("DELETE FROM results WHERE rowid <= "
                           "(SELECT max(rowid) FROM results) - ?", (MAX_ENTRIES,))
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error:
            self.off = True


_stores: dict[tuple[str | None, ...], ResultStore] = {}


def store() -> ResultStore:
    """This process's store for the current cache folder (the environment variables
    that choose it are the key: a render asks once per file)."""
    env = os.environ
    where = (env.get("MWGEN_CACHE_DIR"), env.get("XDG_CACHE_HOME"), env.get("HOME"))
    found = _stores.get(where)
    if found is None:
        found = _stores[where] = ResultStore(cache_base() / FILENAME)
    return found


def flush() -> None:
    """Write what every store of this process has pending (also when the process
    exits: a command that never reaches an explicit flush loses nothing)."""
    for each in _stores.values():
        try:
            each.flush()
        except Exception:  # noqa: BLE001 - best effort, like every cache write
            each.off = True


atexit.register(flush)
