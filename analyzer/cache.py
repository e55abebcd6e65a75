"""ModuleFacts (or FileProblems) by content hash, in one sqlite file (stdlib only).

Key: (content sha256, module, relpath, FACTS_VERSION). Those are all the inputs of
`analyzer.parse.parse_source` (`is_package` follows from relpath), so an entry is exactly what
parsing would produce again. FACTS_VERSION combines PARSER_VERSION (the shape of ModuleFacts
and what the parser records) with libcst's version (which grammar it accepts). Settings that
skip files (size limits, generated code) are applied before the cache is asked, so they are not
part of the key. The module name and relpath are, so a moved or renamed file is a miss. Value:
the pickled ModuleFacts/FileProblem.

Safe for concurrent runs: WAL journal, a busy timeout, every write one transaction, and the
schema set up inside `BEGIN IMMEDIATE`. A file of another layout (`PRAGMA user_version`) has
its tables recreated; entries of another FACTS_VERSION are purged when the version changes.
A corrupt or truncated file (not a database, a malformed image) is deleted and rebuilt, with
one warning, whether that shows at open or in the middle of a run.

The cache is an optimization and never a reason to fail: a locked, unwritable or unopenable
database turns it off for the run with one logged warning (also kept in `FactsCache.warning`
for the CLI to show), and every call then behaves as a miss.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sqlite3
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from analyzer.facts import PARSER_VERSION, FileProblem, ModuleFacts, SourceFile

log = logging.getLogger(__name__)

#: File name of the database inside the cache directory.
CACHE_FILE = "facts.sqlite3"

#: Layout of the database itself (its table); stored as `PRAGMA user_version`.
SCHEMA_VERSION = 2


#: What the facts of the same bytes depend on besides the key's own columns.
def _libcst_version() -> str:
    try:
        return metadata.version("libcst")
    except metadata.PackageNotFoundError:
        return "unknown"


FACTS_VERSION = f"{PARSER_VERSION}/libcst-{_libcst_version()}"

_SCHEMA = """
CREATE TABLE facts (
    content_hash TEXT NOT NULL,
    module TEXT NOT NULL,
    relpath TEXT NOT NULL,
    version TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (content_hash, module, relpath, version)
) WITHOUT ROWID
"""

_META_SCHEMA = "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"

#: sqlite result codes of a damaged file: SQLITE_CORRUPT, SQLITE_NOTADB.
_DAMAGED_CODES = frozenset({11, 26})

Result = ModuleFacts | FileProblem


def is_damaged(exc: sqlite3.Error) -> bool:
    """Whether the error says the database file itself is damaged (not locked or busy)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGED_CODES
    text = str(exc)
    return "malformed" in text or "not a database" in text


class FactsCache:
    """A sqlite-backed map from (content hash, module, relpath, facts version) to facts."""

    def __init__(self, cache_dir: Path | str, timeout: float = 5.0) -> None:
        self.path = Path(cache_dir) / CACHE_FILE
        self.warning: str | None = None
        self._timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._rebuilt = False
        self._disabled_warned = False
        try:
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            self._conn = self._open()
        except sqlite3.Error as exc:
            if is_damaged(exc):
                self._rebuild(exc)
            else:
                self._disable(f"cannot open facts cache {self.path}: {exc}")
        except OSError as exc:
            self._disable(f"cannot open facts cache {self.path}: {exc}")

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        try:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version != SCHEMA_VERSION:
                    # New file, or an older or foreign layout: (re)create the tables.
                    conn.execute("DROP TABLE IF EXISTS facts")
                    conn.execute("DROP TABLE IF EXISTS meta")
                    conn.execute(_SCHEMA)
                    conn.execute(_META_SCHEMA)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                row = conn.execute("SELECT value FROM meta WHERE key = 'facts_version'").fetchone()
                if row is None or row[0] != FACTS_VERSION:
                    # Entries of other facts versions can never be hit again.
                    conn.execute("DELETE FROM facts WHERE version != ?", (FACTS_VERSION,))
                    conn.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('facts_version', ?)", (FACTS_VERSION,)
                    )
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
        except BaseException:
            conn.close()
            raise
        return conn

    def _rebuild(self, exc: sqlite3.Error) -> None:
        """Replace a damaged database file with an empty one; warn once. If that fails too
        (or the file was rebuilt already in this run), run without the cache."""
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
        if self._rebuilt:
            self._disable(f"facts cache {self.path} unusable: {exc}")
            return
        self._rebuilt = True
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{self.path}{suffix}")
            self._conn = self._open()
        except (sqlite3.Error, OSError) as again:
            self._disable(
                f"facts cache {self.path} was damaged ({exc}) and cannot be rebuilt: {again}"
            )
            return
        self.warning = f"facts cache {self.path} was damaged ({exc}); rebuilt it empty"
        log.warning("%s", self.warning)

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    def _disable(self, message: str) -> None:
        if not self._disabled_warned:
            self._disabled_warned = True
            self.warning = f"{message}; continuing without cache"
            log.warning("%s", self.warning)
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None

    def _failed(self, exc: sqlite3.Error, message: str) -> None:
        if is_damaged(exc):
            self._rebuild(exc)
        else:
            self._disable(f"{message}: {exc}")

    def get(self, source: SourceFile, content_hash: str) -> Result | None:
        """The cached facts for this file content, or None on a miss."""
        if self._conn is None:
            return None
        try:
            row = self._conn.execute(
                "SELECT value FROM facts WHERE content_hash = ? AND module = ? AND relpath = ?"
                " AND version = ?",
                (content_hash, source.module, source.relpath, FACTS_VERSION),
            ).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc, f"facts cache {self.path} unusable")
            return None
        if row is None:
            return None
        try:
            value = pickle.loads(row[0])
        except Exception:  # noqa: BLE001 - a damaged entry is just a miss
            return None
        if not isinstance(value, ModuleFacts | FileProblem):
            return None
        return value

    def put(self, source: SourceFile, content_hash: str, value: Result) -> None:
        """Store one result."""
        self.put_many([(source, content_hash, value)])

    def put_many(self, items: Iterable[tuple[SourceFile, str, Result]]) -> None:
        """Store many results in one transaction (after a rebuild, into the new file)."""
        if self._conn is None:
            return
        self.put_pickled(
            (source, content_hash, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            for source, content_hash, value in items
        )

    def put_pickled(self, items: Iterable[tuple[SourceFile, str, bytes]]) -> None:
        """Store many results already pickled (a parse worker pickles what it returns, so
        the parent stores those bytes instead of pickling the facts again)."""
        if self._conn is None:
            return
        rows = [
            (content_hash, source.module, source.relpath, FACTS_VERSION, blob)
            for source, content_hash, blob in items
        ]
        for _attempt in range(2):
            if not rows or self._conn is None:
                return
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?)", rows)
                conn.execute("COMMIT")
                return
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                self._failed(exc, f"cannot write facts cache {self.path}")

    def clear(self) -> None:
        """Forget every entry."""
        if self._conn is None:
            return
        try:
            self._conn.execute("DELETE FROM facts")
        except sqlite3.Error as exc:
            self._failed(exc, f"cannot clear facts cache {self.path}")

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    def __enter__(self) -> FactsCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __len__(self) -> int:
        if self._conn is None:
            return 0
        try:
            return int(self._conn.execute("SELECT COUNT(*) FROM facts").fetchone()[0])
        except sqlite3.Error:
            return 0

    def __repr__(self) -> str:
        state = "enabled" if self.enabled else "disabled"
        return f"FactsCache({os.fspath(self.path)!r}, {state})"
