"""Co-change coupling: modules changed in the same commits are coupled.

This is *evolutionary* (or *logical*) coupling: two modules that keep changing together are
tied by something the code may not show (a shared data format, a protocol, a feature that
spans both). The idea is Gall, Hajek and Jazayeri, "Detection of logical coupling based on
product release history" (ICSM 1998); mining it from single commits is Zimmermann, Weissgerber,
Diehl and Zeller, "Mining version histories to guide software changes" (IEEE TSE 31(6), 2005),
who also skip large transactions, because a commit touching hundreds of files (reformatting, a
licence header, a mass rename) says nothing about which of them belong together.

Three steps, I/O kept apart from pure computation:

- `read_change_sets` runs git (read-only) and returns the paths each commit changed, relative
  to the analyzed root; `parse_git_log` is its pure parsing half.
- `cochange_counts` maps paths to modules and counts, per module pair, the commits that
  changed both.
- `cochange_strength` normalizes those counts to [0, 1].

Git is read, never written: only `git rev-parse` and `git log` run, with optional locks off
(`GIT_OPTIONAL_LOCKS=0`), no pager, no external diff or textconv, no signature checks, and the
environment variables that would point git at another repository removed. Anything that goes
wrong (git missing, not a repository, a shallow clone, no commits, a timeout) gives an empty
`ChangeHistory` with a `warning`, never an exception.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

#: Seconds any one git process may take before the history is given up (with a warning).
DEFAULT_TIMEOUT = 60.0

#: Environment variables that would make git read another repository, another index, or
#: interpret the pathspec differently; removed so that `root` alone decides.
_GIT_LOCATION_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_EXTERNAL_DIFF",
    "GIT_DIFF_OPTS",
    "GIT_LITERAL_PATHSPECS",
    "GIT_GLOB_PATHSPECS",
    "GIT_NOGLOB_PATHSPECS",
    "GIT_ICASE_PATHSPECS",
)

#: `-c` settings that keep `git log` output parseable and git from running anything or writing.
_GIT_CONFIG = (
    "core.quotepath=off",
    "core.fsmonitor=false",
    "log.showSignature=false",
    "log.follow=false",
    "log.showRoot=true",
    "diff.relative=false",
    "color.ui=false",
)

_HASH = re.compile(rb"[0-9a-f]{40}(?:[0-9a-f]{24})?")


@dataclass(frozen=True)
class ChangeSet:
    """One commit: its full hash and the paths it changed (POSIX, relative to the root, sorted)."""

    commit: str
    paths: tuple[str, ...]


@dataclass(frozen=True)
class ChangeHistory:
    """Commits newest first; `warning` says why the history is empty or incomplete."""

    commits: tuple[ChangeSet, ...]
    warning: str | None = None


@dataclass(frozen=True)
class CoChange:
    """How often modules changed, alone and in pairs.

    `pairs[(a, b)]` (with a < b) is the number of commits that changed both a and b (the
    pair's *support*); `changes[m]` the number of commits that changed m. Only commits used
    are counted: `commits_used` changed at least one analyzed module and at most
    `max_files_per_commit` of them; `commits_skipped` changed more and were left out.
    """

    pairs: Mapping[tuple[str, str], int]
    changes: Mapping[str, int]
    commits_used: int
    commits_skipped: int


def git_log_command(
    *, since: str | None, max_commits: int, git: str = "git", root: Path | None = None
) -> list[str]:
    """The `git log` command line `read_change_sets` runs (in `root`, when given)."""
    command = [git, "--no-pager"]
    for setting in _GIT_CONFIG:
        command += ["-c", setting]
    if root is not None:
        command += ["-C", str(root)]
    command += [
        "log",
        "--no-merges",
        "--no-renames",
        "--full-history",
        "--no-ext-diff",
        "--no-textconv",
        "--no-color",
        "--no-decorate",
        "--name-only",
        "-z",
        "--format=%x00%H",
        f"--max-count={max_commits}",
    ]
    if since:
        command.append(f"--since={since}")
    # The pathspec "." is the root: commits that change nothing under it are not listed (and
    # do not count against max_commits), and the paths listed are those under it.
    command += ["HEAD", "--", "."]
    return command


def parse_git_log(output: bytes) -> tuple[ChangeSet, ...]:
    """Parse the output of `git log -z --name-only --format=%x00%H`.

    Every commit starts with an empty NUL-separated field (the `%x00` of the format) followed
    by its hash; a path is never empty, so the two cannot be confused. The first path after a
    hash carries the newline git puts between header and file list. Paths are repository
    relative, decoded like file names (`os.fsdecode`), so they match paths read from disk.
    Raises ValueError on output of any other shape.
    """
    fields = output.split(b"\0")
    commits: list[ChangeSet] = []
    commit: bytes | None = None
    paths: list[bytes] = []
    index = 0
    while index < len(fields):
        field = fields[index]
        if field == b"":
            if index == len(fields) - 1:
                break  # the NUL that ends the output
            if commit is not None:
                commits.append(_change_set(commit, paths))
            commit, paths = fields[index + 1], []
            if not _HASH.fullmatch(commit):
                raise ValueError(f"unexpected git log output: {commit[:60]!r} is not a hash")
            index += 2
            continue
        if commit is None:
            raise ValueError(f"unexpected git log output: {field[:60]!r} before any commit")
        if not paths:
            field = field.removeprefix(b"\n")
        paths.append(field)
        index += 1
    if commit is not None:
        commits.append(_change_set(commit, paths))
    return tuple(commits)


def _change_set(commit: bytes, paths: Iterable[bytes]) -> ChangeSet:
    return ChangeSet(commit.decode("ascii"), tuple(sorted({os.fsdecode(p) for p in paths if p})))


def relative_to_root(commits: Iterable[ChangeSet], prefix: str) -> tuple[ChangeSet, ...]:
    """Commits with paths made relative to the root at `prefix` (repository-relative, ending
    in "/", or "" for the top level); paths outside it are dropped, commits left empty too."""
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    kept: list[ChangeSet] = []
    for change in commits:
        paths = tuple(p[len(prefix) :] for p in change.paths if p.startswith(prefix))
        if paths:
            kept.append(ChangeSet(change.commit, paths))
    return tuple(kept)


def read_change_sets(
    root: Path,
    *,
    since: str | None,
    max_commits: int,
    git: str = "git",
    timeout: float = DEFAULT_TIMEOUT,
) -> ChangeHistory:
    """The last `max_commits` non-merge commits of HEAD that changed something under `root`.

    `since` is passed to `git log --since` (any date git understands: "2024-01-01",
    "6 months ago"). `root` may be a subdirectory of the repository: paths come back relative
    to it and changes outside it are dropped. Renames count as a deletion plus an addition.
    Never raises for a bad repository; returns an empty history with a warning instead.
    """
    if max_commits < 1:
        raise ValueError(f"max_commits must be at least 1, got {max_commits}")
    where = str(root)
    if not os.path.isdir(root):
        return ChangeHistory((), f"no co-change history for {where}: not a directory")
    probe = _run_git(
        [git, "-C", where, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository"]
        + ["--show-prefix"],
        timeout,
    )
    if isinstance(probe, str):
        return ChangeHistory((), f"no co-change history for {where}: {probe}")
    inside, shallow, prefix = _split_probe(probe)
    if inside != b"true":
        return ChangeHistory((), f"no co-change history for {where}: not inside a git work tree")
    if shallow == b"true":
        return ChangeHistory(
            (),
            f"no co-change history for {where}: shallow clone, its oldest commit seems to add "
            "every file (git fetch --unshallow)",
        )
    output = _run_git(
        git_log_command(since=since, max_commits=max_commits, git=git, root=root), timeout
    )
    if isinstance(output, str):
        head = _run_git([git, "-C", where, "rev-parse", "-q", "--verify", "HEAD^{commit}"], timeout)
        if isinstance(head, str):
            output = "the repository has no commits yet"
        return ChangeHistory((), f"no co-change history for {where}: {output}")
    try:
        commits = relative_to_root(parse_git_log(output), os.fsdecode(prefix))
    except ValueError as error:
        return ChangeHistory((), f"no co-change history for {where}: {error}")
    if not commits:
        bound = f" since {since}" if since else ""
        return ChangeHistory((), f"no co-change history for {where}: no commits{bound}")
    return ChangeHistory(commits, None)


def _split_probe(output: bytes) -> tuple[bytes, bytes, bytes]:
    """`rev-parse --is-inside-work-tree --is-shallow-repository --show-prefix` output; the
    prefix comes last so a newline inside it cannot shift the other answers."""
    inside, _, rest = output.partition(b"\n")
    shallow, _, prefix = rest.partition(b"\n")
    return inside, shallow, prefix.removesuffix(b"\n")


def _git_environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARIABLES}
    environment.update(
        GIT_OPTIONAL_LOCKS="0",
        GIT_PAGER="cat",
        PAGER="cat",
        GIT_TERMINAL_PROMPT="0",
        LC_ALL="C",
        LANGUAGE="C",
    )
    return environment


def _run_git(command: list[str], timeout: float) -> bytes | str:
    """Stdout of a successful git run, or a one-line reason it failed."""
    try:
        result = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            env=_git_environment(),
            check=False,
        )
    except FileNotFoundError:
        return f"git not found ({command[0]})"
    except subprocess.TimeoutExpired:
        return f"git took longer than {timeout:g} s"
    except OSError as error:
        return f"cannot run git: {error.strerror or error}"
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = lines[0] if lines else f"exit status {result.returncode}"
        return f"git failed: {reason.removeprefix('fatal: ')}"
    return result.stdout


def cochange_counts(
    history: ChangeHistory, module_of_path: Mapping[str, str], *, max_files_per_commit: int = 30
) -> CoChange:
    """Count the commits changing each module and each pair of modules.

    A path counts when `module_of_path` maps it (POSIX, relative to the root, as in
    `ChangeSet.paths`); anything else (non-Python files, files not analyzed, files deleted
    since) is ignored. A commit changing more than `max_files_per_commit` analyzed modules is
    skipped whole and counted in `commits_skipped`.
    """
    if max_files_per_commit < 1:
        raise ValueError(f"max_files_per_commit must be at least 1, got {max_files_per_commit}")
    pairs: Counter[tuple[str, str]] = Counter()
    changes: Counter[str] = Counter()
    used = skipped = 0
    for change in history.commits:
        modules = sorted({module_of_path[p] for p in change.paths if p in module_of_path})
        if not modules:
            continue
        if len(modules) > max_files_per_commit:
            skipped += 1
            continue
        used += 1
        changes.update(modules)
        pairs.update(combinations(modules, 2))
    return CoChange(
        pairs=dict(sorted(pairs.items())),
        changes=dict(sorted(changes.items())),
        commits_used=used,
        commits_skipped=skipped,
    )


def cochange_strength(cochange: CoChange, *, min_support: int = 2) -> dict[tuple[str, str], float]:
    """The Jaccard index of the two modules' commit sets, per pair with enough support.

    strength(a, b) = support / (changes[a] + changes[b] - support), where support is the
    number of commits changing both: 1.0 when a and b only ever changed together, near 0 when
    they mostly changed apart. Symmetric, unlike the confidence of an association rule
    (support / changes[a]) that Zimmermann et al. (2005) report, because coupling between
    services has no direction. Pairs with support < `min_support` are dropped: one shared
    commit is too little evidence. Sorted by pair.
    """
    if min_support < 1:
        raise ValueError(f"min_support must be at least 1, got {min_support}")
    strength: dict[tuple[str, str], float] = {}
    for (a, b), support in sorted(cochange.pairs.items()):
        if support < min_support:
            continue
        union = cochange.changes[a] + cochange.changes[b] - support
        strength[(a, b)] = support / union
    return strength
