"""collect_facts: determinism across jobs, the cache, unreadable files, duplicates, crashes."""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path

import pytest

from analyzer.cache import FactsCache
from analyzer.collect import (
    MAX_FILE_BYTES,
    MIN_FILES_FOR_POOL,
    CollectedFacts,
    FileLimits,
    collect_facts,
)
from analyzer.discover import discover
from analyzer.facts import SourceFile


@pytest.fixture(autouse=True)
def pool_even_for_small_trees(monkeypatch: pytest.MonkeyPatch) -> None:
    """These trees are small; let them go through the process pool all the same."""
    monkeypatch.setattr("analyzer.collect.MIN_BYTES_FOR_POOL", 0)


def make_tree(root: Path, count: int = MIN_FILES_FOR_POOL + 8) -> Path:
    (root / "app").mkdir(parents=True)
    (root / "app/__init__.py").write_text("from .m0 import f0\n")
    for i in range(count):
        body = (
            f"import os\nfrom . import m{(i + 1) % count}\n\n\ndef f{i}():\n    os.sep.join([])\n"
        )
        (root / f"app/m{i}.py").write_text(body)
    (root / "app/broken.py").write_text('print "python 2"\n')
    (root / "app/latin.py").write_bytes(b"x = '\xe9'\n")
    return root


def collect(root: Path, **kwargs: object) -> CollectedFacts:
    return collect_facts(discover(root).files, **kwargs)  # type: ignore[arg-type]


def test_jobs_do_not_change_the_result(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    serial = collect(root, jobs=1)
    parallel = collect(root, jobs=2)
    assert serial == parallel
    assert serial.parsed == len(discover(root).files)
    assert [f.module for f in serial.facts] == sorted(f.module for f in serial.facts)
    assert [(p.relpath, p.reason.split(" at ")[0]) for p in serial.problems] == [
        ("app/latin.py", "not valid UTF-8 (and no encoding declared)"),
    ]
    # Python 2 is read in degraded mode, in the workers as in this process.
    assert serial.by_module()["app.broken"].degraded.startswith("Python 2 syntax at line 1")


def test_progress_reaches_the_total(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    for jobs in (1, 2):
        calls: list[tuple[int, int]] = []
        result = collect(
            root, jobs=jobs, progress=lambda done, total, seen=calls: seen.append((done, total))
        )
        total = len(result.facts) + len(result.problems)
        assert calls[-1] == (total, total)
        assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_cache_hits_on_the_second_run(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "tree", count=4)
    with FactsCache(tmp_path / "cache") as cache:
        first = collect(root, jobs=1, cache=cache)
        assert (first.cache_hits, first.parsed) == (0, 7)
    with FactsCache(tmp_path / "cache") as cache:
        second = collect(root, jobs=1, cache=cache)
        assert (second.cache_hits, second.parsed) == (7, 0)
        assert (second.facts, second.problems) == (first.facts, first.problems)
        (root / "app/m1.py").write_text("import sys\n")
        third = collect(root, jobs=1, cache=cache)
        assert (third.cache_hits, third.parsed) == (6, 1)
        assert third.by_module()["app.m1"].imports[0].module == "sys"


def test_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    root = make_tree(tmp_path, count=2)
    sources = discover(root).files
    (root / "app/m1.py").unlink()
    result = collect_facts(sources, jobs=1)
    assert "app.m1" not in result.by_module()
    assert ("app/m1.py", "unreadable: No such file or directory") in [
        (p.relpath, p.reason) for p in result.problems
    ]


def test_duplicate_module_names_keep_the_package(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/__init__.py").write_text("X = 1\n")
    (tmp_path / "a.py").write_text("Y = 2\n")
    found = discover(tmp_path)
    assert [s.module for s in found.files] == ["a", "a"]
    result = collect_facts(found.files, jobs=1)
    assert [(f.relpath, f.module_names) for f in result.facts] == [("a/__init__.py", ("X",))]
    assert [(p.relpath, p.reason) for p in result.problems] == [
        ("a.py", "module 'a' is also defined by a/__init__.py; skipped")
    ]


def test_duplicate_modules_from_two_package_roots(tmp_path: Path) -> None:
    for relpath in ("x/util.py", "src/util.py"):
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text("pass\n")
    sources = [
        SourceFile(tmp_path / "x/util.py", "x/util.py", "util", False),
        SourceFile(tmp_path / "src/util.py", "src/util.py", "util", False),
    ]
    result = collect_facts(sources, jobs=1)
    assert [f.relpath for f in result.facts] == ["src/util.py"]
    assert [p.relpath for p in result.problems] == ["x/util.py"]


def test_empty_input() -> None:
    assert collect_facts([], jobs=2) == CollectedFacts((), (), 0, 0)


class _ExitingSource(SourceFile):
    """Kills the worker process that unpickles it: a stand-in for a native parser crash."""

    def __reduce__(self) -> tuple[object, tuple[int]]:
        return (os._exit, (3,))


class _SegfaultingSource(SourceFile):
    """Kills the worker that unpickles it with SIGSEGV, as libcst's native parser would."""

    def __reduce__(self) -> tuple[object, tuple[int]]:
        return (signal.raise_signal, (signal.SIGSEGV,))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(
    ("kind", "how"), [(_ExitingSource, "exit code 3"), (_SegfaultingSource, "killed by SIGSEGV")]
)
def test_a_crashing_worker_is_reported_and_the_run_goes_on(
    tmp_path: Path, kind: type[SourceFile], how: str
) -> None:
    root = make_tree(tmp_path)
    sources = list(discover(root).files)
    victim = next(i for i, s in enumerate(sources) if s.module == "app.m3")
    original = sources[victim]
    sources[victim] = kind(original.path, original.relpath, original.module, original.is_package)
    result = collect_facts(sources, jobs=2)
    assert [(p.relpath, p.reason) for p in result.problems] == [
        ("app/latin.py", "not valid UTF-8 (and no encoding declared)"),
        ("app/m3.py", f"the parser crashed on this file ({how})"),
    ]
    # Every other file has exactly the facts a run without the crash gives.
    expected = collect(root, jobs=1).by_module()
    del expected["app.m3"]
    assert result.by_module() == expected


class _NoProcesses:
    """A multiprocessing context on a platform where processes cannot be started."""

    def get_start_method(self, allow_none: bool = False) -> str:
        raise OSError("no semaphores here")

    def __getattr__(self, name: str) -> object:
        raise OSError("no semaphores here")


def test_without_usable_processes_it_parses_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import analyzer.collect as collect_module

    root = make_tree(tmp_path)
    serial = collect(root, jobs=1)
    monkeypatch.setattr(collect_module, "_pool_context", _NoProcesses)
    with caplog.at_level(logging.WARNING):
        assert collect(root, jobs=2) == serial
    assert "parsing in this process" in caplog.text


LARGER = "; --max-file-size raises the limit"
GENERATED = "; --include-generated analyzes it"


def test_max_file_bytes_is_one_megabyte() -> None:
    assert MAX_FILE_BYTES == 1_000_000
    assert FileLimits() == FileLimits(max_bytes=1_000_000, include_generated=False)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_huge_file_is_reported_without_parsing(tmp_path: Path, jobs: int) -> None:
    root = make_tree(tmp_path)
    (root / "app/big.py").write_bytes(b"x = 1\n" * 566_667)  # 3.4 MB
    with FactsCache(tmp_path / "cache") as cache:
        result = collect(root, jobs=jobs, cache=cache)
    assert "app.big" not in result.by_module()
    assert ("app/big.py", f"too large to parse (3.4 MB, limit 1.0 MB){LARGER}") in [
        (p.relpath, p.reason) for p in result.problems
    ]
    assert result.parsed == len(discover(root).files) - 1
    assert len(result.facts) == len(discover(root).files) - 2  # and the undecodable file


@pytest.mark.parametrize(
    ("size", "reason"),
    [
        (100, None),
        (1_000, None),
        (1_001, "too large to parse (1,001 bytes, limit 1,000 bytes)"),
        (1_500, "too large to parse (1,500 bytes, limit 1,000 bytes)"),
    ],
)
def test_the_limit_is_inclusive(tmp_path: Path, size: int, reason: str | None) -> None:
    (tmp_path / "m.py").write_bytes(b"#" * (size - 1) + b"\n")
    result = collect(tmp_path, jobs=1, limits=FileLimits(max_bytes=1_000))
    if reason is None:
        assert ([f.module for f in result.facts], result.problems) == (["m"], ())
    else:
        assert result.facts == ()
        assert [(p.relpath, p.reason) for p in result.problems] == [("m.py", reason + LARGER)]


def test_no_limit(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_bytes(b"x = 1\n" + b"#" * 1_200_000 + b"\n")
    result = collect(tmp_path, jobs=1, limits=FileLimits(max_bytes=None))
    assert [f.module for f in result.facts] == ["m"]
    assert result.facts[0].total_lines == 2


@pytest.mark.parametrize(
    ("size", "reason"),
    [
        (1_000_001, "too large to parse (1,000,001 bytes, limit 1,000,000 bytes)"),
        (2_100_000, "too large to parse (2.1 MB, limit 1.0 MB)"),
        (999_999_999, "too large to parse (1000.0 MB, limit 1.0 MB)"),
        (1_250_000_000, "too large to parse (1.2 GB, limit 1.0 MB)"),
    ],
)
def test_sizes_in_the_message(tmp_path: Path, size: int, reason: str) -> None:
    with open(tmp_path / "m.py", "wb") as file:
        file.truncate(size)  # sparse
    result = collect(tmp_path, jobs=1)
    assert [(p.relpath, p.reason) for p in result.problems] == [("m.py", reason + LARGER)]


def test_a_gigantic_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.py").write_text("x = 1\n")
    with open(tmp_path / "huge.py", "wb") as file:
        file.truncate(50_000_000_000)  # sparse: reading it would take minutes and 50 GB
    reads: list[int] = []
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        reads.append(1)
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = collect(tmp_path, jobs=1)
    assert [f.module for f in result.facts] == ["ok"]
    assert [(p.relpath, p.reason) for p in result.problems] == [
        ("huge.py", f"too large to parse (50.0 GB, limit 1.0 MB){LARGER}")
    ]
    assert reads == []


def test_a_file_larger_than_its_reported_size_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files that grow after `stat`, or report no size at all, are still cut at the limit."""
    import analyzer.collect as collect_module

    (tmp_path / "m.py").write_bytes(b"#" * 2_999 + b"\n")
    (tmp_path / "small.py").write_text("x = 1\n")

    class _NoSize:
        st_size = 0

    monkeypatch.setattr(collect_module.os, "fstat", lambda fd: _NoSize())
    result = collect_facts(discover(tmp_path).files, jobs=1, limits=FileLimits(max_bytes=1_000))
    assert [f.module for f in result.facts] == ["small"]
    assert [(p.relpath, p.reason) for p in result.problems] == [
        ("m.py", f"too large to parse (1,001 bytes, limit 1,000 bytes){LARGER}")
    ]


PROTOBUF_HEADER = (
    "# -*- coding: utf-8 -*-\n"
    "# Generated by the protocol buffer compiler.  DO NOT EDIT!\n"
    "# source: shop.proto\n"
)


@pytest.mark.parametrize(
    ("header", "line", "comment"),
    [
        (PROTOBUF_HEADER, 2, "# Generated by the protocol buffer compiler.  DO NOT EDIT!"),
        (
            "#!/usr/bin/env python\n# @generated by tools/codegen\n",
            2,
            "# @generated by tools/codegen",
        ),
        (
            "# Copyright 2020 ACME\n# MIT licence\n\n"
            "# This file was automatically generated by SWIG (https://www.swig.org).\n",
            4,
            "# This file was automatically generated by SWIG (https://www.swig.org).",
        ),
        (
            "# Autogenerated by Thrift Compiler (0.13.0)\n",
            1,
            "# Autogenerated by Thrift Compiler (0.13.0)",
        ),
        ("# Code generated by sqlc. DO NOT EDIT.\n", 1, "# Code generated by sqlc. DO NOT EDIT."),
        (
            "\ufeff# Generated by Django 4.2 on 2024-01-01 10:00\n",
            1,
            "# Generated by Django 4.2 on 2024-01-01 10:00",
        ),
    ],
)
def test_generated_code_is_skipped_unless_asked_for(
    tmp_path: Path, header: str, line: int, comment: str
) -> None:
    (tmp_path / "gen.py").write_text(header + "import os\n", encoding="utf-8")
    (tmp_path / "ok.py").write_text("import gen\n")
    result = collect(tmp_path, jobs=1)
    assert [f.module for f in result.facts] == ["ok"]
    assert [(p.relpath, p.reason, p.line) for p in result.problems] == [
        ("gen.py", f"generated code ({comment!r}){GENERATED}", line)
    ]
    included = collect(tmp_path, jobs=1, limits=FileLimits(include_generated=True))
    assert [f.module for f in included.facts] == ["gen", "ok"]
    assert included.problems == ()


@pytest.mark.parametrize(
    "text",
    [
        "import os\n# Generated by the protocol buffer compiler.  DO NOT EDIT!\n",
        '"""Docs."""\n# @generated\n',
        "# A helper for files generated by protoc\nimport os\n",
        "# Do not edit lightly\nx = 1\n",
        "x = '@generated'\n",
    ],
)
def test_hand_written_code_is_not_taken_for_generated(tmp_path: Path, text: str) -> None:
    (tmp_path / "m.py").write_text(text)
    result = collect(tmp_path, jobs=1)
    assert ([f.module for f in result.facts], result.problems) == (["m"], ())


@pytest.mark.parametrize("name", ["shop_pb2.py", "shop_pb2_grpc.py"])
def test_protobuf_modules_are_generated_by_name(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("import os\n")
    result = collect(tmp_path, jobs=1)
    assert [(p.relpath, p.reason) for p in result.problems] == [
        (name, f"generated code (protocol buffers module){GENERATED}")
    ]
    included = collect(tmp_path, jobs=1, limits=FileLimits(include_generated=True))
    assert len(included.facts) == 1


def test_limits_are_applied_before_the_cache(tmp_path: Path) -> None:
    """A file cached while generated code was included is skipped again when it is not."""
    (tmp_path / "gen.py").write_text(PROTOBUF_HEADER + "import os\n")
    with FactsCache(tmp_path / "cache") as cache:
        first = collect(tmp_path, jobs=1, cache=cache, limits=FileLimits(include_generated=True))
        assert [f.module for f in first.facts] == ["gen"]
        again = collect(tmp_path, jobs=1, cache=cache)
        assert again.facts == () and len(again.problems) == 1
        third = collect(tmp_path, jobs=1, cache=cache, limits=FileLimits(include_generated=True))
        assert third.cache_hits == 1 and third.facts == first.facts
