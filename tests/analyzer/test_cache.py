"""FactsCache: hits, misses, keys, versions, and damaged or locked database files."""

from __future__ import annotations

import inspect
import logging
import sqlite3
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

import analyzer.cache as cache_module
from analyzer.cache import CACHE_FILE, FactsCache
from analyzer.facts import FileProblem, ModuleFacts, SourceFile
from analyzer.parse import PARSER_VERSION, parse_source

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
    monkeypatch.setattr(cache_module, "FACTS_VERSION", "test-next")
    with FactsCache(tmp_path) as cache:
        assert cache.get(SOURCE, facts.content_hash) is None
        assert len(cache) == 0


def test_the_facts_version_names_the_parser_and_libcst() -> None:
    from importlib import metadata

    expected = f"{PARSER_VERSION}/libcst-{metadata.version('libcst')}"
    assert expected == cache_module.FACTS_VERSION


def test_the_key_covers_every_input_of_the_parser() -> None:
    # parse_source depends on the bytes and the SourceFile's module, relpath and is_package
    # (which follows from relpath); no setting reaches it, so none needs to be in the key.
    assert list(inspect.signature(parse_source).parameters) == ["source", "data"]
    assert {f.name for f in fields(SourceFile)} == {"path", "relpath", "module", "is_package"}


def fill(cache_dir: Path, count: int = 300) -> list[tuple[SourceFile, str, FileProblem]]:
    items = [
        (
            SourceFile(Path(f"/x/m{i}.py"), f"m{i}.py", f"m{i}", False),
            f"{i:064d}",
            FileProblem(f"m{i}.py", "x" * 400),
        )
        for i in range(count)
    ]
    with FactsCache(cache_dir) as cache:
        cache.put_many(items)
        assert len(cache) == count
    return items


def damage(path: Path, how: str) -> None:
    if how == "not a database":
        path.write_bytes(b"this is not a database" * 100)
    elif how == "truncated":
        with open(path, "r+b") as file:
            file.truncate(path.stat().st_size // 3)
    else:  # garbage over the pages after the first
        with open(path, "r+b") as file:
            file.seek(4096)
            file.write(b"\xa5" * (path.stat().st_size - 4096))


@pytest.mark.parametrize("how", ["not a database", "truncated", "garbage pages"])
def test_a_damaged_database_file_is_rebuilt_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    items = fill(tmp_path)
    damage(tmp_path / CACHE_FILE, how)
    facts = parsed()
    with caplog.at_level(logging.WARNING), FactsCache(tmp_path) as cache:
        for source, content_hash, _ in items[::7]:
            assert cache.get(source, content_hash) is None
        assert cache.enabled
        cache.put(SOURCE, facts.content_hash, facts)
        assert cache.get(SOURCE, facts.content_hash) == facts
        assert cache.warning is not None and "rebuilt it empty" in cache.warning
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "was damaged" in warnings[0].getMessage()
    caplog.clear()
    with caplog.at_level(logging.WARNING), FactsCache(tmp_path) as cache:
        assert cache.get(SOURCE, facts.content_hash) == facts  # the rebuilt file persists
        assert cache.warning is None
    assert not caplog.records


def test_damage_found_in_the_middle_of_a_run_rebuilds(tmp_path: Path) -> None:
    items = fill(tmp_path)
    cache = FactsCache(tmp_path)
    try:
        assert cache.get(*items[0][:2]) == items[0][2]
        damage(tmp_path / CACHE_FILE, "garbage pages")
        for source, content_hash, _ in items[::3]:
            cache.get(source, content_hash)  # never raises
        cache.put_many(items[:5])
        assert cache.enabled
        assert cache.warning is not None and "rebuilt it empty" in cache.warning
        assert cache.get(*items[1][:2]) == items[1][2]
    finally:
        cache.close()


def test_a_database_of_another_layout_is_recreated(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / CACHE_FILE)
    conn.execute("CREATE TABLE facts (a, b, c)")
    conn.execute("INSERT INTO facts VALUES (1, 2, 3)")
    conn.commit()
    conn.close()
    facts = parsed()
    with FactsCache(tmp_path) as cache:
        assert cache.enabled and cache.warning is None
        assert len(cache) == 0
        cache.put(SOURCE, facts.content_hash, facts)
        assert cache.get(SOURCE, facts.content_hash) == facts


_WRITER = """
import sys
from pathlib import Path
from analyzer.cache import FactsCache
from analyzer.facts import FileProblem, SourceFile

name, cache_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with FactsCache(cache_dir, timeout=60) as cache:
    for i in range(count):
        source = SourceFile(Path(f"/x/{name}{i}.py"), f"{name}{i}.py", f"{name}{i}", False)
        cache.put(source, f"{i:064d}", FileProblem(source.relpath, name))
        cache.get(source, f"{i:064d}")
    print(cache.warning or "ok")
"""


@pytest.mark.parametrize("start", ["empty", "damaged"])
def test_concurrent_runs_write_safely(tmp_path: Path, start: str) -> None:
    if start == "damaged":
        fill(tmp_path, 50)
        damage(tmp_path / CACHE_FILE, "not a database")
    count = 150
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, name, str(tmp_path), str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b", "c")
    ]
    outputs = [writer.communicate() for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0, 0], outputs
    if start == "empty":
        assert [out.strip() for out, _ in outputs] == ["ok"] * 3
    with FactsCache(tmp_path) as cache:
        assert cache.warning is None
        found = {
            name: sum(
                cache.get(
                    SourceFile(Path(f"/x/{name}{i}.py"), f"{name}{i}.py", f"{name}{i}", False),
                    f"{i:064d}",
                )
                is not None
                for i in range(count)
            )
            for name in ("a", "b", "c")
        }
    if start == "empty":
        assert found == {"a": count, "b": count, "c": count}
    else:  # a writer that rebuilt the file after another wrote may have dropped those rows
        assert max(found.values()) == count


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
