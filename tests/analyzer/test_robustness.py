"""Bad input is normal input: a corpus of what legacy trees really contain.

Every bad file is reported with its reason (in `Analysis.problems` and in `monocut analyze`'s
output) and the rest of the analysis is exactly what it is without the bad files: the same
facts, import graph and call graph. Everything runs through the real pipeline, in one process
and through the process pool.

Unreadable files and directories: the tests run as root here, and root reads a `chmod 000`
file all the same. The files are still made unreadable with chmod; when that does not stop
this user, reading them is made to fail as the kernel would for anyone else (EACCES for a
path without read permission), so the test checks the same thing whoever runs it.
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import networkx as nx
import pytest
import yaml

import analyzer.collect as collect_module
import analyzer.discover as discover_module
from analyzer.cache import FactsCache
from analyzer.collect import FileLimits
from analyzer.pipeline import Analysis, AnalysisSettings, analyze
from monocut import output
from monocut.cli import main

GOOD: dict[str, str] = {
    "app/__init__.py": "",
    "app/models.py": "import os\n\n\nclass Order:\n    def total(self):\n        return os.sep\n",
    "app/util.py": "import json\n\n\ndef helper():\n    return json.dumps({})\n",
    "app/services.py": (
        "from app.models import Order\nfrom app import util\n\n\n"
        "def place():\n    util.helper()\n    return Order().total()\n"
    ),
    "app/api.py": "from app.services import place\n\n\ndef handler():\n    return place()\n",
}

#: Unusual files that are valid Python 3: analyzed like any other (and not reported).
ODD_BUT_VALID: dict[str, bytes] = {
    "app/bom.py": b"\xef\xbb\xbffrom app import util\n\n\ndef f():\n    util.helper()\n",
    "app/crlf.py": b"from app import util\r\n\r\n\r\ndef f():\r\n    util.helper()\r\n",
    "app/mixed_eol.py": b"import os\r\nfrom app import util\n\rdef f():\r\n    util.helper()\n",
    "app/latin1_declared.py": (
        b"# -*- coding: latin-1 -*-\nfrom app import util\nNAME = 'caf\xe9'\n"
    ),
    "app/empty.py": b"",
    # `except A, B:` (without `as`) is valid again since Python 3.14 (PEP 758): it catches A
    # or B. libcst reads 3.14 grammar, so this Python 2 idiom alone is analyzed, not refused.
    "app/except_comma.py": (
        b"from app import util\ntry:\n    util.helper()\nexcept ValueError, e:\n    pass\n"
    ),
}

NESTING = 5_000


def _generated_module(lines: int) -> bytes:
    """A data table as code generators write them, without any marker comment."""
    return b"TABLE = {}\n" + b"".join(b"TABLE[%d] = %d\n" % (i, i * 7) for i in range(lines - 1))


#: relpath -> (content, reason). Reasons are exact, but for the text of libcst's own parser
#: errors (a trailing "*": only the start is compared).
#: (Python 2 files are not here: they are read in part, see PYTHON_2 below.)
BAD: dict[str, tuple[bytes, str]] = {
    "app/syntax_error.py": (
        b"def broken(:\n    pass\n",
        "syntax error at line 2: parser error: *",
    ),
    "app/latin1_undeclared.py": (
        b"NAME = 'caf\xe9'\n",
        "not valid UTF-8 (and no encoding declared)",
    ),
    "app/bad_utf8_declared.py": (
        b"# coding: utf-8\nx = '\xff\xfe'\n",
        "not valid utf-8 (its declared encoding)",
    ),
    "app/unknown_encoding.py": (
        b"# coding: klingon\nx = 1\n",
        "unknown encoding declared: klingon",
    ),
    "app/nul_bytes.py": (b"import os\nx = 1\x00\n", "contains NUL bytes"),
    "app/utf16.py": ("import os\n".encode("utf-16"), "contains NUL bytes (UTF-16 encoded?)"),
    "app/deep_parens.py": (
        b"x = " + b"(" * NESTING + b"1" + b")" * NESTING + b"\n",
        "brackets nested deeper than Python allows (more than 200 levels)",
    ),
    "app/deep_fstring.py": (
        b"x = f'{" + b"[" * NESTING + b"]" * NESTING + b"}'\n",
        "brackets nested deeper than Python allows (more than 200 levels)",
    ),
    "app/deep_unary.py": (
        b"x = " + b"-" * NESTING + b"1\n",
        "expression too long or deeply nested to analyze safely (more than 1000 chained terms)",
    ),
    "app/deep_lambda.py": (
        b"f = " + b"lambda: " * NESTING + b"1\n",
        "expression too long or deeply nested to analyze safely (more than 1000 chained terms)",
    ),
    "app/long_chain.py": (
        b"x = " + b" + ".join(b"a%d" % i for i in range(50_000)) + b"\n",
        "expression too long or deeply nested to analyze safely (more than 1000 chained terms)",
    ),
    "app/deep_blocks.py": (
        b"".join(b" " * i + b"if x:\n" for i in range(150)) + b" " * 150 + b"pass\n",
        "syntax error at line 101: tokenizer error: too many indentation levels",
    ),
    "app/generated_table.py": (
        _generated_module(100_000),
        "too large to parse (2.2 MB, limit 1.0 MB); --max-file-size raises the limit",
    ),
    "app/shop_pb2.py": (
        b"# Generated by the protocol buffer compiler.  DO NOT EDIT!\nimport os\n",
        "generated code (protocol buffers module); --include-generated analyzes it",
    ),
    "app/codegen.py": (
        b"# @generated by tools/codegen.py\nfrom app import util\n",
        "generated code ('# @generated by tools/codegen.py'); --include-generated analyzes it",
    ),
    "app/elf.py": (
        b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8,
        "contains NUL bytes",
    ),
    "app/random_bytes.py": (
        bytes((i * 131 + 7) % 256 for i in range(4096) if (i * 131 + 7) % 256),
        "not valid UTF-8 (and no encoding declared)",
    ),
    "app/script.py": (
        b'#!/bin/sh\nset -e\necho "deploying $1"\nexit 0\n',
        "syntax error at line 4: parser error: *",
    ),
    "app/page.py": (
        b"<!DOCTYPE html>\n<html><body><p>Not Python</p></body></html>\n",
        "syntax error at line 2: parser error: *",
    ),
}

_PARTLY = "; analyzed for imports and definitions only"

#: Python 2 files: analyzed in part (imports and definitions, analyzer.legacy_parse) and
#: listed with the reason; relpath -> (content, reason).
PYTHON_2: dict[str, tuple[bytes, str]] = {
    "app/py2_print.py": (
        b"import os\n\n\ndef main():\n    print 'hello', os.sep\n",
        "Python 2 syntax at line 5 (print statement)" + _PARTLY,
    ),
    "app/py2_except.py": (
        b"from app import util\ntry:\n    import json\nexcept ImportError, e:\n"
        b"    json = None\n    print 'no json:', e\n",
        "Python 2 syntax at line 6 (print statement)" + _PARTLY,
    ),
    "app/py2_backticks.py": (
        b"def show(x):\n    return `x`\n",
        "Python 2 syntax at line 2 (backtick repr)" + _PARTLY,
    ),
    "app/py2_raise.py": (
        b"def f():\n    raise ValueError, 'bad'\n",
        "Python 2 syntax at line 2 (raise E, msg)" + _PARTLY,
    ),
}

#: Problems found by discovery: relpath -> reason.
DISCOVERY_PROBLEMS: dict[str, str] = {
    "app/loop": "symlink loop",
    "app/self_link.py": "symlink loop",
    "app/link_a.py": "symlink loop",
    "app/link_b.py": "symlink loop",
    "app/dangling.py": "broken symlink",
    "app/unreadable.py": "unreadable: Permission denied",
    "app/locked": "unreadable directory: Permission denied",
}


def write_good(root: Path) -> Path:
    for relpath, text in GOOD.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(text)
    for relpath, data in ODD_BUT_VALID.items():
        (root / relpath).write_bytes(data)
    return root


def write_bad(root: Path) -> None:
    for relpath, (data, _) in (*BAD.items(), *PYTHON_2.items()):
        (root / relpath).write_bytes(data)
    (root / "app/loop").symlink_to("..", target_is_directory=True)
    (root / "app/self_link.py").symlink_to("self_link.py")
    (root / "app/link_a.py").symlink_to("link_b.py")
    (root / "app/link_b.py").symlink_to("link_a.py")
    (root / "app/dangling.py").symlink_to("does_not_exist.py")
    unreadable = root / "app/unreadable.py"
    unreadable.write_text("import os\n")
    locked = root / "app/locked"
    locked.mkdir()
    (locked / "__init__.py").write_text("import os\n")
    (locked / "hidden.py").write_text("from app import util\n")
    unreadable.chmod(0)
    locked.chmod(0)


def _denied(path: object) -> bool:
    """Whether the path's permission bits deny reading to everyone."""
    try:
        mode = os.stat(path, follow_symlinks=True).st_mode  # type: ignore[arg-type]
    except (OSError, TypeError, ValueError):
        return False
    return not mode & (stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


@pytest.fixture
def permissions_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a file or listing a directory without read permission fails with EACCES,
    also for root (see the module docstring)."""
    if os.geteuid() != 0:
        return
    real_open: Callable[..., object] = builtins.open
    real_scandir = os.scandir

    def guarded_open(file: object, *args: object, **kwargs: object) -> object:
        if isinstance(file, str | bytes | os.PathLike) and _denied(file):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(file))
        return real_open(file, *args, **kwargs)

    def guarded_scandir(path: object = ".") -> Iterator[os.DirEntry[str]]:
        if _denied(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(collect_module, "open", guarded_open, raising=False)
    monkeypatch.setattr(discover_module.os, "scandir", guarded_scandir)


@pytest.fixture(params=[1, 2], ids=["jobs1", "jobs2"])
def jobs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """With 2 jobs, the process pool is used however small the tree."""
    monkeypatch.setattr(collect_module, "MIN_FILES_FOR_POOL", 2)
    monkeypatch.setattr(collect_module, "MIN_BYTES_FOR_POOL", 0)
    return int(request.param)


@pytest.fixture
def trees(tmp_path: Path, permissions_enforced: None) -> Iterator[tuple[Path, Path]]:
    """(the good tree, the same tree with every bad file added)."""
    clean = write_good(tmp_path / "clean")
    dirty = write_good(tmp_path / "dirty")
    write_bad(dirty)
    yield clean, dirty
    for locked in (dirty / "app/unreadable.py", dirty / "app/locked"):
        locked.chmod(0o755)


def settings(jobs: int) -> AnalysisSettings:
    return AnalysisSettings(jobs=jobs, cochange=False)


def graph_data(graph: nx.DiGraph) -> tuple[list[object], list[object]]:
    return sorted(graph.nodes(data=True)), sorted(graph.edges(data=True))


def same_analysis(clean: Analysis, dirty: Analysis) -> None:
    """The modules of `clean` have the same facts, imports and calls in `dirty`, which may
    hold more modules (the Python 2 files, read in part) but nothing else."""
    modules = set(clean.modules)
    extra = set(dirty.modules) - modules
    assert {f.relpath for f in dirty.facts if f.module in extra} <= set(PYTHON_2)
    assert tuple(f for f in dirty.facts if f.module in modules) == clean.facts
    kept = dirty.imports.graph.subgraph(modules)
    assert graph_data(kept) == graph_data(clean.imports.graph)
    resolved = tuple(r for r in dirty.imports.resolved if r.importer in modules)
    assert resolved == clean.imports.resolved
    assert dirty.calls.calls == clean.calls.calls
    assert dirty.calls.external_calls == clean.calls.external_calls
    assert graph_data(dirty.dependencies.subgraph(modules)) == graph_data(clean.dependencies)


def expected_problems() -> list[tuple[str, str]]:
    found = [(relpath, reason) for relpath, (_, reason) in BAD.items()]
    found += list(DISCOVERY_PROBLEMS.items())
    return sorted(found)


def matches(found: list[tuple[str, str]]) -> bool:
    """Whether (relpath, reason) pairs, sorted, are the expected ones."""
    expected = expected_problems()
    return len(found) == len(expected) and all(
        path == want_path
        and (reason.startswith(want[:-1]) if want.endswith("*") else reason == want)
        for (path, reason), (want_path, want) in zip(sorted(found), expected, strict=True)
    )


def test_the_good_tree_has_the_expected_shape(tmp_path: Path) -> None:
    result = analyze(write_good(tmp_path), settings(1))
    assert result.problems == ()
    modules = {f"app.{Path(p).stem}" for p in (*GOOD, *ODD_BUT_VALID)} - {"app.__init__"}
    assert set(result.modules) == modules | {"app"}
    edges = set(result.imports.graph.edges())
    assert {("app.services", "app.models"), ("app.api", "app.services")} <= edges
    for odd in ("bom", "crlf", "mixed_eol", "latin1_declared", "except_comma"):
        assert (f"app.{odd}", "app.util") in edges
    assert ("app.services.place", "app.util.helper") in result.calls.function_graph().edges()


def test_every_bad_file_is_reported_and_the_rest_is_unaffected(
    trees: tuple[Path, Path], jobs: int
) -> None:
    clean, dirty = trees
    clean_result = analyze(clean, settings(jobs))
    dirty_result = analyze(dirty, settings(jobs))
    found = [(p.relpath, p.reason) for p in dirty_result.problems]
    assert matches(found), sorted(found)
    assert dirty_result.partial == tuple(sorted((p, r) for p, (_, r) in PYTHON_2.items()))
    same_analysis(clean_result, dirty_result)


def test_lines_of_the_problems(trees: tuple[Path, Path]) -> None:
    _, dirty = trees
    lines = {p.relpath: p.line for p in analyze(dirty, settings(1)).problems}
    assert lines["app/nul_bytes.py"] == 2
    assert lines["app/latin1_undeclared.py"] == 1
    assert lines["app/codegen.py"] == 1


def test_the_cache_gives_the_same_answers(trees: tuple[Path, Path], tmp_path: Path) -> None:
    _, dirty = trees
    cached = AnalysisSettings(jobs=1, cochange=False, cache_dir=tmp_path / "cache")
    first = analyze(dirty, cached)
    second = analyze(dirty, cached)
    assert second.cache_hits == len(first.facts) + sum(
        1
        for p in first.problems
        if p.relpath in BAD and "generated" not in p.reason and "too large" not in p.reason
    )
    assert second.problems == first.problems
    same_analysis(first, second)


def test_the_cli_lists_every_reason(
    trees: tuple[Path, Path], jobs: int, capsys: pytest.CaptureFixture[str]
) -> None:
    _, dirty = trees
    code = main(["analyze", str(dirty), "--no-cache", "--no-cochange", "-j", str(jobs), "-v"])
    out, err = capsys.readouterr()
    assert code == 0, err
    found = listed_after(out, "files could not be analyzed:")
    assert matches(found), found
    assert f"{len(found)} files could not be analyzed:" in out
    partial = listed_after(out, "files analyzed in part (imports and definitions, no calls):")
    assert sorted(partial) == sorted((p, r) for p, (_, r) in PYTHON_2.items())
    assert "Traceback" not in out + err


def listed_after(out: str, header: str) -> list[tuple[str, str]]:
    """The indented `path: reason` lines below `header` in the text output."""
    lines = out.split(header + "\n", 1)[1].splitlines()
    found = []
    for line in lines:
        if not line.startswith("  "):
            break
        path, reason = line.strip().split(": ", 1)
        found.append((path, reason))
    return found


def test_the_json_output_lists_every_reason(
    trees: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, dirty = trees
    code = main(["analyze", str(dirty), "--no-cache", "--no-cochange", "-f", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    listed = [(p["path"], p["reason"]) for p in json.loads(out)["problems"]]
    assert matches(listed), listed


def test_a_large_file_is_analyzed_when_the_limit_is_lifted(tmp_path: Path) -> None:
    # Parsing the 100,000-line table above takes libcst some 17 s of CPU, too long for the
    # test run; a file as large but mostly comments makes the same point in a fraction.
    root = write_good(tmp_path)
    large = b"from app import util\n" + (b"# " + b"data " * 20 + b"\n") * 12_000
    (root / "app/large.py").write_bytes(large)
    skipped = analyze(root, settings(1))
    assert [(p.relpath, p.reason) for p in skipped.problems] == [
        (
            "app/large.py",
            "too large to parse (1.2 MB, limit 1.0 MB); --max-file-size raises the limit",
        )
    ]
    lifted = AnalysisSettings(jobs=1, cochange=False, file_limits=FileLimits(max_bytes=None))
    result = analyze(root, lifted)
    assert result.problems == ()
    assert ("app.large", "app.util") in result.imports.graph.edges()
    assert next(f for f in result.facts if f.module == "app.large").total_lines == 12_001


# --- size and generated-code settings from the command line and the configuration ------------


def small_tree(root: Path) -> Path:
    write_good(root)
    (root / "app/shop_pb2.py").write_text("import os\n")
    (root / "app/big.py").write_text("from app import util\n" + "#" * 3_000 + "\n")
    return root


@pytest.mark.parametrize(
    ("args", "config", "skipped"),
    [
        ([], "", {"app/shop_pb2.py"}),
        (["--max-file-size", "2KB"], "", {"app/shop_pb2.py", "app/big.py"}),
        ([], "max_file_size = '2KB'\n", {"app/shop_pb2.py", "app/big.py"}),
        ([], "max_file_size = 2000\ninclude_generated = true\n", {"app/big.py"}),
        (["--max-file-size", "0", "--include-generated"], "max_file_size = '1KB'\n", set()),
        (["--skip-generated"], "include_generated = true\n", {"app/shop_pb2.py"}),
    ],
)
def test_limits_from_flags_and_configuration(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    config: str,
    skipped: set[str],
) -> None:
    root = small_tree(tmp_path)
    if config:
        (root / "pyproject.toml").write_text("[tool.monocut]\n" + config)
    code = main(["analyze", str(root), "--no-cache", "--no-cochange", "-f", "json", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert {p["path"] for p in json.loads(out)["problems"]} == skipped


@pytest.mark.parametrize(
    ("args", "config", "message"),
    [
        (
            ["--max-file-size", "lots"],
            "",
            "monocut: error: command line: --max-file-size: 'lots' is not a size (like '1MB', "
            "'500KB', '2MiB'; '0' or 'unlimited': no limit)\n",
        ),
        (
            [],
            "max_file_size = -1\n",
            "[tool.monocut]: 'max_file_size': must be a size of at least 0 (0: no limit)\n",
        ),
        ([], "include_generated = 'yes'\n", "'include_generated' must be true or false\n"),
    ],
)
def test_bad_limits_are_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], config: str, message: str
) -> None:
    root = small_tree(tmp_path)
    if config:
        (root / "pyproject.toml").write_text("[tool.monocut]\n" + config)
    code = main(["analyze", str(root), "--no-cache", *args])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.endswith(message) and err.count("\n") == 1
    assert out == ""


# --- progress and Ctrl-C -----------------------------------------------------------------------


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_files_per_second_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    with output.parse_progress(quiet=False) as progress:
        assert progress is not None
        for done in range(1, 51):
            progress(done, 50)
    assert "files/s" in terminal.getvalue()
    assert "50/50" in terminal.getvalue()


@pytest.mark.parametrize(
    ("tty", "env", "quiet"),
    [
        (False, {}, False),
        (True, {"CI": "true"}, False),
        (True, {"TERM": "dumb"}, False),
        (True, {}, True),
    ],
    ids=["pipe", "ci", "dumb-terminal", "quiet"],
)
def test_the_progress_bar_is_silent_off_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tty: bool, env: dict[str, str], quiet: bool
) -> None:
    stream = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with output.parse_progress(quiet) as progress:
        assert progress is None
    assert stream.getvalue() == ""


def test_ctrl_c_is_one_line_and_exit_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import monocut.cli as cli

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "analyze", interrupted)
    code = main(["analyze", str(write_good(tmp_path)), "--no-cache"])
    out, err = capsys.readouterr()
    assert (code, out, err.strip()) == (130, "", "monocut: error: interrupted")


_INTERRUPTIBLE = """
import sys
from contextlib import contextmanager

import analyzer.collect
import monocut.output
from monocut import output
from monocut.cli import main

analyzer.collect.MIN_FILES_FOR_POOL = 2
analyzer.collect.MIN_BYTES_FOR_POOL = 0


@contextmanager
def announce_progress(quiet):
    def report(done, total):
        if done == 1 or (done > 1 and not report.said):
            report.said = True
            print("parsing", done, total, flush=True)
    report.said = False
    yield report


monocut.output.parse_progress = announce_progress
sys.exit(main(sys.argv[1:]))
"""


def _busy_tree(root: Path, files: int = 40) -> Path:
    body = "".join(
        f"def f{i}(a, b):\n    if a:\n        return [x * b for x in range(a)]\n"
        f"    return g{i}(b)\n\n\n"
        for i in range(300)
    )
    write_good(root)
    for n in range(files):
        (root / f"app/busy{n}.py").write_text("from app import util\n\n\n" + body)
    return root


def _group_gone(pgid: int, seconds: float = 60.0) -> bool:
    """Wait (up to a generous bound, this is not a timing test) for every process of the
    group to exit; the forkserver exits when its parent has."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_ctrl_c_stops_the_workers_and_leaves_the_cache_usable(tmp_path: Path) -> None:
    """Ctrl-C on a terminal reaches every process of the foreground group: here SIGINT goes to
    a new process group holding monocut, its forkserver and its parse workers."""
    root = _busy_tree(tmp_path / "tree")
    cache_dir = tmp_path / "cache"
    args = ["analyze", str(root), "--cache-dir", str(cache_dir), "--no-cochange", "-j", "2"]
    process = subprocess.Popen(
        [sys.executable, "-c", _INTERRUPTIBLE, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # the first parsed chunk: workers are busy
        assert first.startswith("parsing"), first
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, (out, err)
    assert err.strip() == "monocut: error: interrupted"
    assert _group_gone(process.pid), "worker processes outlived monocut"
    with FactsCache(cache_dir) as cache:
        assert cache.warning is None
    finished = subprocess.run(
        [sys.executable, "-m", "monocut", *args, "-q"], capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr


def test_decompose_records_every_reason_in_the_plan_and_report(
    trees: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, dirty = trees
    out = tmp_path / "out"
    args = ["decompose", str(dirty), "-o", str(out), "--no-cache", "--no-cochange", "-q"]
    code = main(args)
    _, err = capsys.readouterr()
    assert code == 0, err
    plan = yaml.safe_load((out / "plan.yaml").read_text())
    entries = plan["unparseable"]
    skipped = [(e["path"], e["reason"]) for e in entries if not e["reason"].endswith(_PARTLY)]
    assert matches(skipped), skipped
    partial = sorted((e["path"], e["reason"]) for e in entries if e["reason"].endswith(_PARTLY))
    assert partial == sorted((p, r) for p, (_, r) in PYTHON_2.items())
    report = (out / "report.md").read_text()
    for relpath in (*dict(expected_problems()), *PYTHON_2):
        assert relpath in report
