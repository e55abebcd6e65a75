"""Facts for many files: read, look up in the cache, parse the misses (in parallel), merge.

The result does not depend on `jobs`, the cache or completion order: facts are sorted by
module and problems by relpath.

Parallel parsing uses a process pool (libcst holds the GIL) started with the "forkserver"
method where available, so a parent with threads (a progress bar) is never forked. If a worker
dies (libcst's native parser can crash on input the guards in parse.py did not foresee), the
unfinished files are retried one at a time in a fresh worker, and the file that kills it is
reported as a FileProblem instead of taking the run down.

Files larger than `MAX_FILE_BYTES` (generated code, data dumps) are reported as FileProblems
without being read in full or parsed.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from analyzer.cache import FactsCache
from analyzer.facts import FileProblem, ModuleFacts, SourceFile
from analyzer.parse import parse_source

log = logging.getLogger(__name__)

#: Below this many files, or this much source (about 50,000 lines, some 2.5 s of parsing
#: against the 2-3 s it takes to start workers that import libcst), a process pool costs
#: more than it saves.
MIN_FILES_FOR_POOL = 16
MIN_BYTES_FOR_POOL = 1_500_000
_MAX_CHUNK = 32

#: Larger files are reported ("too large to parse") instead of parsed: libcst needs about
#: 7 s and 550 MB per megabyte of source (a generated 3.4 MB file took 24 s and 1.9 GB),
#: and files that big are generated tables or data, not code worth splitting. Decimal bytes.
MAX_FILE_BYTES = 2_000_000

Progress = Callable[[int, int], None]
_Result = ModuleFacts | FileProblem


@dataclass(frozen=True)
class CollectedFacts:
    """Facts sorted by module, problems sorted by relpath, and how they were obtained."""

    facts: tuple[ModuleFacts, ...]
    problems: tuple[FileProblem, ...]
    cache_hits: int
    parsed: int

    def by_module(self) -> dict[str, ModuleFacts]:
        """Facts keyed by module name."""
        return {facts.module: facts for facts in self.facts}


def default_jobs() -> int:
    """Worker processes to use when not told: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def collect_facts(
    sources: Sequence[SourceFile],
    jobs: int | None = None,
    cache: FactsCache | None = None,
    progress: Progress | None = None,
) -> CollectedFacts:
    """Facts for every source. `progress(done, total)` is called as files complete."""
    jobs = default_jobs() if jobs is None else max(1, jobs)
    kept, problems = _drop_duplicate_modules(sources)
    total = len(kept)
    done = 0
    results: list[_Result] = []
    misses: list[tuple[SourceFile, bytes, str]] = []
    cache_hits = 0

    for source in kept:
        data = _read_source(source)
        if isinstance(data, FileProblem):
            problems.append(data)
            done += 1
            _report(progress, done, total)
            continue
        content_hash = hashlib.sha256(data).hexdigest()
        cached = cache.get(source, content_hash) if cache is not None else None
        if cached is not None:
            results.append(cached)
            cache_hits += 1
            done += 1
            _report(progress, done, total)
        else:
            misses.append((source, data, content_hash))

    def on_parsed(count: int) -> None:
        nonlocal done
        done += count
        _report(progress, done, total)

    pending_bytes = sum(len(data) for _, data, _ in misses)
    if jobs > 1 and len(misses) >= MIN_FILES_FOR_POOL and pending_bytes >= MIN_BYTES_FOR_POOL:
        parsed = _parse_in_pool(misses, jobs, on_parsed)
    else:
        parsed = []
        for source, data, _ in misses:
            parsed.append(parse_source(source, data))
            on_parsed(1)

    if cache is not None and parsed:
        cache.put_many(
            (source, content_hash, result)
            for (source, _, content_hash), result in zip(misses, parsed, strict=True)
        )
    results.extend(parsed)

    facts = [result for result in results if isinstance(result, ModuleFacts)]
    problems.extend(result for result in results if isinstance(result, FileProblem))
    facts.sort(key=lambda item: (item.module, item.relpath))
    problems.sort(key=lambda item: (item.relpath, item.reason))
    return CollectedFacts(tuple(facts), tuple(problems), cache_hits, len(parsed))


def _read_source(source: SourceFile) -> bytes | FileProblem:
    """The file's bytes, or why it is not parsed: unreadable, or over `MAX_FILE_BYTES` (told
    from its size before reading, and never reading more than one byte past the limit, so a
    huge or growing file costs nothing)."""
    limit = MAX_FILE_BYTES
    try:
        with open(source.path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            data = b"" if size > limit else file.read(limit + 1)
            if len(data) > limit:  # grew since fstat, or a file that reports no size
                size = max(os.fstat(file.fileno()).st_size, len(data))
    except OSError as exc:
        return FileProblem(source.relpath, f"unreadable: {exc.strerror or exc}")
    if size > limit or len(data) > limit:
        size = max(size, len(data))
        shown, limit_shown = _megabytes(size), _megabytes(limit)
        if shown == limit_shown:  # just over: "2.0 MB, limit 2.0 MB" would read oddly
            shown, limit_shown = f"{size:,} bytes", f"{limit:,} bytes"
        return FileProblem(source.relpath, f"too large to parse ({shown}, limit {limit_shown})")
    return data


def _megabytes(size: int) -> str:
    if size >= 1_000_000_000:
        return f"{size / 1_000_000_000:.1f} GB"
    return f"{size / 1_000_000:.1f} MB"


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _drop_duplicate_modules(
    sources: Sequence[SourceFile],
) -> tuple[list[SourceFile], list[FileProblem]]:
    """One file per module name: a package (`a/__init__.py`) wins over a module (`a.py`),
    then the first relpath in sort order; the others become FileProblems."""
    ordered = sorted(sources, key=lambda s: (s.module, not s.is_package, s.relpath))
    kept: list[SourceFile] = []
    problems: list[FileProblem] = []
    for source in ordered:
        if kept and kept[-1].module == source.module:
            winner = kept[-1]
            if winner.relpath == source.relpath:
                continue  # the same file listed twice
            problems.append(
                FileProblem(
                    source.relpath,
                    f"module {source.module!r} is also defined by {winner.relpath}; skipped",
                )
            )
        else:
            kept.append(source)
    return kept, problems


def _parse_chunk(items: list[tuple[SourceFile, bytes]]) -> list[_Result]:
    """Worker entry point: parse a list of files."""
    return [parse_source(source, data) for source, data in items]


def _pool_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["analyzer.parse"])
        return context
    return multiprocessing.get_context("spawn")


def _chunks(count: int, jobs: int) -> list[range]:
    size = max(1, min(_MAX_CHUNK, -(-count // (jobs * 4))))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _parse_in_pool(
    misses: list[tuple[SourceFile, bytes, str]], jobs: int, on_parsed: Callable[[int], None]
) -> list[_Result]:
    """Parse in a process pool; results in the order of `misses`.

    Files a dead worker left unfinished are retried one at a time in a fresh worker; if no
    worker can run here at all (no fork/semaphores, a daemon parent, an unimportable main
    module), they are parsed in this process instead.
    """
    results: list[_Result | None] = [None] * len(misses)
    chunks = _chunks(len(misses), jobs)
    context = _pool_context()
    pool_usable = True
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=context) as pool:
            futures: dict[Future[list[_Result]], range] = {
                pool.submit(_parse_chunk, [(misses[i][0], misses[i][1]) for i in chunk]): chunk
                for chunk in chunks
            }
            for future in as_completed(futures):
                chunk = futures[future]
                try:
                    chunk_results = future.result()
                except BrokenProcessPool:
                    continue  # retried below
                for index, result in zip(chunk, chunk_results, strict=True):
                    results[index] = result
                on_parsed(len(chunk))
    except BrokenProcessPool:
        pass
    except Exception as exc:  # noqa: BLE001 - the pool machinery failed, not a file
        log.warning("cannot use worker processes (%s); parsing in this process", exc)
        pool_usable = False
    unfinished = [index for index, result in enumerate(results) if result is None]
    if unfinished:
        if pool_usable and _pool_works(context):
            retried = _parse_isolated([misses[i] for i in unfinished], context)
        else:
            if pool_usable:
                log.warning("worker processes do not start here; parsing in this process")
            retried = [parse_source(misses[i][0], misses[i][1]) for i in unfinished]
        for index, result in zip(unfinished, retried, strict=True):
            results[index] = result
            on_parsed(1)
    return [result for result in results if result is not None]


def _probe() -> bool:
    return True


def _pool_works(context: multiprocessing.context.BaseContext) -> bool:
    """Whether a fresh worker can start and run a trivial task."""
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            return pool.submit(_probe).result(timeout=120) is True
    except Exception:  # noqa: BLE001 - any failure means no usable pool
        return False


def _parse_isolated(
    items: list[tuple[SourceFile, bytes, str]], context: multiprocessing.context.BaseContext
) -> list[_Result]:
    """Parse one file at a time in a single worker, replacing the worker when one crashes."""
    results: list[_Result] = []
    pool: ProcessPoolExecutor | None = None
    try:
        for source, data, _ in items:
            if pool is None:
                pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            try:
                results.append(pool.submit(_parse_chunk, [(source, data)]).result()[0])
            except BrokenProcessPool:
                results.append(FileProblem(source.relpath, "the parser crashed on this file"))
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
    finally:
        if pool is not None:
            pool.shutdown()
    return results
