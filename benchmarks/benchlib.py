"""Helpers shared by the benchmarks: fetch pinned PyPI releases once, run a measurement in a
fresh subprocess, and measure its peak memory including the processes it starts.

The only network use of the benchmarks is `fetch_source` (pip download, once per release
into the cache directory); tests never call it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = Path.home() / ".cache" / "monocut-bench"


def fetch_source(requirement: str, cache: Path) -> Path:
    """Unpack the wheel (or sdist) of `requirement` (`name==version`) under `cache`,
    downloading it once; returns the directory holding its top-level packages."""
    target = cache / requirement.replace("==", "-")
    if target.is_dir():
        return target
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    name = requirement.split("==")[0].lower().replace("-", "_")
    version = requirement.partition("==")[2]

    def archives() -> list[Path]:
        return [
            p
            for p in sorted(downloads.iterdir())
            if p.name.lower().startswith(f"{name}-{version}".lower())
            and p.name.endswith((".whl", ".tar.gz"))
        ]

    if not archives():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(downloads)]
            + ["--only-binary", ":all:", requirement],
            check=True,
        )
    archive = next(iter(archives()), None)
    if archive is None:
        raise SystemExit(f"pip downloaded no archive of {requirement} into {downloads}")
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            wheel.extractall(partial)
    else:
        with tarfile.open(archive) as sdist:
            sdist.extractall(partial, filter="data")
    partial.rename(target)  # only a complete unpack is ever seen as cached
    return target


def top_level_package(root: Path, requirement: str) -> str:
    """The importable package of an unpacked distribution (its name, else the first one)."""
    name = requirement.split("==")[0].lower().replace("-", "_")
    if (root / name / "__init__.py").is_file():
        return name
    return next(p.name for p in sorted(root.iterdir()) if (p / "__init__.py").is_file())


def combined_tree(parts: Sequence[tuple[Path, str]], target: Path) -> Path:
    """One root holding each (unpacked root, package) side by side, hard-linked (copied
    where links fail) once into `target`; returns `target`."""
    if target.is_dir():
        return target
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)

    def link(source: str, destination: str) -> None:
        try:
            os.link(source, destination)
        except OSError:
            shutil.copy2(source, destination)

    for root, package in parts:
        shutil.copytree(root / package, partial / package, copy_function=link)
    partial.rename(target)
    return target


# -- peak memory of a process tree ------------------------------------------------------------


def _group_rss_kib(pgid: int) -> int:
    """Resident memory (KiB) of every live process in process group `pgid` (Linux /proc)."""
    total = 0
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        # after the command: state ppid pgrp ... ; rss is field 24 (index 21 here)
        if int(fields[2]) == pgid:
            total += int(fields[21]) * page_kib
    return total


class TreeMemory:
    """Samples the summed RSS of a process group every `interval` seconds (a thread)."""

    def __init__(self, pgid: int, interval: float = 0.05) -> None:
        self.pgid, self.interval = pgid, interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, _group_rss_kib(self.pgid))
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kib


def run_child(command: Sequence[str], timeout: float) -> dict[str, Any]:
    """Run `command` (which prints one JSON object as its last stdout line) in a fresh
    process group. Adds `tree_peak_kib` (the largest summed RSS of the group, sampled) to
    its result; on a timeout or a crash, returns {"error": why} instead."""
    child = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        start_new_session=True,  # its own process group: the sampler and a kill see only it
    )
    memory = TreeMemory(child.pid)
    started = time.perf_counter()
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)  # the child and its workers, nothing else
        child.communicate()
        memory.stop()
        return {"error": f"timed out after {timeout:.0f} s", "timeout": True}
    finally:
        wall = time.perf_counter() - started
    peak = memory.stop()
    if child.returncode != 0:
        if child.returncode < 0:
            why = f"killed by {signal.Signals(-child.returncode).name} (not by this script)"
        else:
            why = f"exit code {child.returncode}"
        tail = "".join(f"\n    {line}" for line in err.strip().splitlines()[-15:])
        return {"error": why + tail}
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["tree_peak_kib"] = max(peak, result.get("maxrss_kib", 0))
    result["wall"] = wall
    return result


def print_json_result(result: dict[str, Any]) -> None:
    """The child side: one JSON line on stdout (the parent reads the last line)."""
    print(json.dumps(result), flush=True)
