"""ModuleFacts (or FileProblems) by content hash, in one sqlite file (stdlib only).

Key: (content sha256, module, relpath, PARSER_VERSION); the module name and relpath are part
of the facts, so a moved or renamed file is a miss. Value: the pickled ModuleFacts/FileProblem.

The cache is an optimization and never a reason to fail: a corrupt, locked, unwritable or
foreign database file turns it off for the run with one logged warning (also kept in
`FactsCache.warning` for the CLI to show), and every call then behaves as a miss.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from analyzer.facts import FileProblem, ModuleFacts, SourceFile
from analyzer.parse import PARSER_VERSION

log = logging.getLogger(__name__)

#: File name of the database inside the cache directory.
CACHE_FILE = "facts.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (
    content_hash TEXT NOT NULL,
    module TEXT NOT NULL,
    relpath TEXT NOT NULL,
    version TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (content_hash, module, relpath, version)
) WITHOUT ROWID
"""

Result = ModuleFacts | FileProblem


class FactsCache:
    """A sqlite-backed map from (content hash, module, relpath, parser version) to facts."""

    def __init__(self, cache_dir: Path | str, timeout: float = 5.0) -> None:
        self.path = Path(cache_dir) / CACHE_FILE
        self.warning: str | None = None
        self._conn: sqlite3.Connection | None = None
        try:
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
            except sqlite3.DatabaseError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
            conn.execute(_SCHEMA)
            # Entries of other parser versions can never be hit again.
            conn.execute("DELETE FROM facts WHERE version != ?", (PARSER_VERSION,))
            self._conn = conn
        except (sqlite3.Error, OSError) as exc:
            self._disable(f"cannot open facts cache {self.path}: {exc}")

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    def _disable(self, message: str) -> None:
        if self.warning is None:
            self.warning = f"{message}; continuing without cache"
            log.warning("%s", self.warning)
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None

    def get(self, source: SourceFile, content_hash: str) -> Result | None:
        """The cached facts for this file content, or None on a miss."""
        if self._conn is None:
            return None
        try:
            row = self._conn.execute(
                "SELECT value FROM facts WHERE content_hash = ? AND module = ? AND relpath = ?"
                " AND version = ?",
                (content_hash, source.module, source.relpath, PARSER_VERSION),
            ).fetchone()
        except sqlite3.Error as exc:
            self._disable(f"facts cache {self.path} unusable: {exc}")
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
        """Store many results in one transaction."""
        if self._conn is None:
            return
        rows = [
            (
                content_hash,
                source.module,
                source.relpath,
                PARSER_VERSION,
                pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
            )
            for source, content_hash, value in items
        ]
        if not rows:
            return
        try:
            self._conn.execute("BEGIN")
            self._conn.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?)", rows)
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            self._disable(f"cannot write facts cache {self.path}: {exc}")

    def clear(self) -> None:
        """Forget every entry."""
        if self._conn is None:
            return
        try:
            self._conn.execute("DELETE FROM facts")
        except sqlite3.Error as exc:
            self._disable(f"cannot clear facts cache {self.path}: {exc}")

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
