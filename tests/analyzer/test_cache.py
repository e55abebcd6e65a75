"""FactsCache: hits, misses, keys, versions, and damaged or locked database files."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

import analyzer.cache as cache_module
from analyzer.cache import CACHE_FILE, FactsCache
from analyzer.facts import FileProblem, ModuleFacts, SourceFile
from analyzer.parse import parse_source

SOURCE = SourceFile(Path("/x/pkg/mod.py"), "pkg/mod.py", "pkg.mod", False)


def parsed(code: bytes = b"import os\n\ndef f():\n    g()\n") -> ModuleFacts:
    result = parse_source(SOURCE, code)
    assert isinstance(result, ModuleFacts)
    return result


def test_miss_put_hit(tmp_path: Path) -> None:
    facts = parsed()
    with FactsCache(tmp_path) as cache:
        assert cache.enabled and cache.warning is None
        assert cache.get(SOURCE, facts.content_hash) is None
        cache.put(SOURCE, facts.content_hash, facts)
        assert cache.get(SOURCE, facts.content_hash) == facts
        assert len(cache) == 1
    assert (tmp_path / CACHE_FILE).is_file()


def test_entries_persist_across_instances(tmp_path: Path) -> None:
    facts = parsed()
    problem = FileProblem("pkg/bad.py", "syntax error at line 1: x", 1)
    bad = SourceFile(Path("/x/pkg/bad.py"), "pkg/bad.py", "pkg.bad", False)
    with FactsCache(tmp_path) as cache:
        cache.put_many([(SOURCE, facts.content_hash, facts), (bad, "0" * 64, problem)])
    with FactsCache(tmp_path) as cache:
        assert cache.get(SOURCE, facts.content_hash) == facts
        assert cache.get(bad, "0" * 64) == problem


@pytest.mark.parametrize(
    "other",
    [
        SourceFile(Path("/x/pkg/moved.py"), "pkg/moved.py", "pkg.mod", False),
        SourceFile(Path("/x/pkg/mod.py"), "pkg/mod.py", "renamed.mod", False),
    ],
)
def test_module_and_relpath_are_part_of_the_key(tmp_path: Path, other: SourceFile) -> None:
    facts = parsed()
    with FactsCache(tmp_path) as cache:
        cache.put(SOURCE, facts.content_hash, facts)
        assert cache.get(other, facts.content_hash) is None
        assert cache.get(SOURCE, "f" * 64) is None


def test_parser_version_change_misses_and_purges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = parsed()
    with FactsCache(tmp_path) as cache:
        cache.put(SOURCE, facts.content_hash, facts)
    monkeypatch.setattr(cache_module, "PARSER_VERSION", "test-next")
    with FactsCache(tmp_path) as cache:
        assert cache.get(SOURCE, facts.content_hash) is None
        assert len(cache) == 0


def test_corrupt_database_file_disables_the_cache(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / CACHE_FILE).write_bytes(b"this is not a database" * 100)
    facts = parsed()
    with caplog.at_level(logging.WARNING), FactsCache(tmp_path) as cache:
        assert not cache.enabled
        assert cache.warning is not None and "continuing without cache" in cache.warning
        assert cache.get(SOURCE, facts.content_hash) is None
        cache.put(SOURCE, facts.content_hash, facts)  # silently ignored
        assert len(cache) == 0
    assert "continuing without cache" in caplog.text


def test_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    facts = parsed()
    with FactsCache(tmp_path) as cache:
        cache.put(SOURCE, facts.content_hash, facts)
    conn = sqlite3.connect(tmp_path / CACHE_FILE)
    conn.execute("UPDATE facts SET value = ?", (b"\x80\x05garbage",))
    conn.commit()
    conn.close()
    with FactsCache(tmp_path) as cache:
        assert cache.get(SOURCE, facts.content_hash) is None
        assert cache.enabled


def test_locked_database_disables_writes_without_crashing(tmp_path: Path) -> None:
    facts = parsed()
    cache = FactsCache(tmp_path, timeout=0.05)
    other = sqlite3.connect(tmp_path / CACHE_FILE, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        cache.put(SOURCE, facts.content_hash, facts)
        assert not cache.enabled
        assert cache.warning is not None and "locked" in cache.warning
        assert cache.get(SOURCE, facts.content_hash) is None
    finally:
        other.execute("ROLLBACK")
        other.close()
        cache.close()


def test_locked_database_at_open(tmp_path: Path) -> None:
    FactsCache(tmp_path).close()
    other = sqlite3.connect(tmp_path / CACHE_FILE, isolation_level=None)
    other.execute("PRAGMA journal_mode=DELETE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        cache = FactsCache(tmp_path, timeout=0.05)
        assert cache.get(SOURCE, "0" * 64) is None  # disabled or empty: never an exception
        cache.close()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_unusable_cache_directory(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    cache = FactsCache(not_a_dir)
    assert not cache.enabled
    assert cache.get(SOURCE, "0" * 64) is None
    cache.put(SOURCE, "0" * 64, parsed())
    cache.clear()
    cache.close()
