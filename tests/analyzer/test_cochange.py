"""Co-change coupling read from real git repositories built in tmp_path."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from analyzer.cochange import (
    ChangeHistory,
    ChangeSet,
    CoChange,
    cochange_counts,
    cochange_strength,
    git_log_command,
    parse_git_log,
    read_change_sets,
    relative_to_root,
)

if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)

H1 = "1" * 40
H2 = "2" * 40
H3 = "3" * 40


class Repo:
    """A git repository in a temporary directory, committed to with fixed dates."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.clock = 1_700_000_000
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_DATE": f"{self.clock} +0000",
            "GIT_COMMITTER_DATE": f"{self.clock} +0000",
        }
        result = subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(self.path), *args],
            capture_output=True,
            check=True,
            env=env,
        )
        return result.stdout.decode()

    def commit(self, files: Mapping[str, str] | Sequence[str], message: str = "change") -> str:
        """Write (or append a line to) each file, commit them all; return the commit hash."""
        contents = files if isinstance(files, Mapping) else {name: None for name in files}
        for name, text in contents.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            old = target.read_text(encoding="utf-8") if target.exists() else ""
            target.write_text(text if text is not None else old + "x = 1\n", encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        self.clock += 86_400  # one commit a day
        return self.git("rev-parse", "HEAD").strip()


def module_map(root: Path) -> dict[str, str]:
    """Relative POSIX path -> dotted module name, for every .py file under root."""
    found: dict[str, str] = {}
    for path in root.rglob("*.py"):
        relpath = path.relative_to(root).as_posix()
        if not relpath.startswith(".git/"):
            module = relpath.removesuffix(".py").removesuffix("/__init__")
            found[relpath] = module.replace("/", ".")
    return found


def read(root: Path, *, since: str | None = None, max_commits: int = 1000) -> ChangeHistory:
    return read_change_sets(root, since=since, max_commits=max_commits)


def snapshot(directory: Path) -> dict[str, tuple[int, str]]:
    """Every entry under a directory with its mtime and (for files) content hash."""
    entries: dict[str, tuple[int, str]] = {}
    for path in sorted(directory.rglob("*")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        entries[path.relative_to(directory).as_posix()] = (path.lstat().st_mtime_ns, digest)
    return entries


# --- pure parts ---------------------------------------------------------------------------


def test_parse_git_log_handles_empty_commits_and_odd_names() -> None:
    output = (
        b"\0" + H1.encode() + b"\0"  # a commit listing no file
        b"\0" + H2.encode() + b"\0\na b.py\0\n.py\0caf\xc3\xa9.py\0"
        b"\0" + H3.encode() + b"\0\nx\ny.py\0\xff.py\0"
    )
    assert parse_git_log(output) == (
        ChangeSet(H1, ()),
        ChangeSet(H2, ("\n.py", "a b.py", "café.py")),
        ChangeSet(H3, ("x\ny.py", os.fsdecode(b"\xff.py"))),  # sorted as str
    )
    assert parse_git_log(b"") == ()


@pytest.mark.parametrize("output", [b"a.py\0", b"\0not-a-hash\0\na.py\0"])
def test_parse_git_log_rejects_other_shapes(output: bytes) -> None:
    with pytest.raises(ValueError, match="unexpected git log output"):
        parse_git_log(output)


def test_relative_to_root_drops_paths_outside() -> None:
    commits = (ChangeSet(H1, ("app/a.py", "application.py", "b.py")), ChangeSet(H2, ("c.py",)))
    assert relative_to_root(commits, "app/") == (ChangeSet(H1, ("a.py",)),)
    assert relative_to_root(commits, "app") == (ChangeSet(H1, ("a.py",)),)
    assert relative_to_root(commits, "") == commits


def test_counts_and_strength_from_a_hand_made_history() -> None:
    history = ChangeHistory(
        (
            ChangeSet(H1, ("a.py", "b.py", "README.md")),
            ChangeSet(H2, ("a.py", "b.py", "c.py")),
            ChangeSet(H3, ("a.py", "pkg/__init__.py")),
        ),
        None,
    )
    modules = {"a.py": "a", "b.py": "b", "c.py": "c", "pkg/__init__.py": "pkg"}
    counts = cochange_counts(history, modules)
    assert counts == CoChange(
        pairs={("a", "b"): 2, ("a", "c"): 1, ("a", "pkg"): 1, ("b", "c"): 1},
        changes={"a": 3, "b": 2, "c": 1, "pkg": 1},
        commits_used=3,
        commits_skipped=0,
    )
    assert cochange_strength(counts) == {("a", "b"): 2 / (3 + 2 - 2)}
    assert cochange_strength(counts, min_support=1) == {
        ("a", "b"): 2 / 3,
        ("a", "c"): 1 / 3,
        ("a", "pkg"): 1 / 3,
        ("b", "c"): 1 / 2,
    }
    assert list(cochange_strength(counts, min_support=1)) == sorted(counts.pairs)


def test_bad_arguments_are_value_errors(tmp_path: Path) -> None:
    empty = CoChange({}, {}, 0, 0)
    with pytest.raises(ValueError, match="max_commits"):
        read_change_sets(tmp_path, since=None, max_commits=0)
    with pytest.raises(ValueError, match="max_files_per_commit"):
        cochange_counts(ChangeHistory((), None), {}, max_files_per_commit=0)
    with pytest.raises(ValueError, match="min_support"):
        cochange_strength(empty, min_support=0)


def test_git_log_command_is_read_only_and_safe() -> None:
    command = git_log_command(since="2 weeks ago", max_commits=50)
    assert command[:2] == ["git", "--no-pager"]
    for option in ("--no-merges", "--no-renames", "--no-ext-diff", "-z", "--max-count=50"):
        assert option in command
    assert "--since=2 weeks ago" in command
    assert "core.quotepath=off" in command
    assert command[-3:] == ["HEAD", "--", "."]


# --- real repositories --------------------------------------------------------------------


def test_pairs_counted_across_commits(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(["a.py", "b.py", "c.py", "pkg/__init__.py", "pkg/d.py"])
    repo.commit(["a.py", "b.py"])
    repo.commit(["a.py", "b.py", "pkg/d.py"])
    repo.commit(["c.py"])
    repo.commit(["pkg/d.py", "c.py"])
    history = read(repo.path)
    assert history.warning is None
    assert len(history.commits) == 5
    counts = cochange_counts(history, module_map(repo.path))
    assert counts.commits_used == 5 and counts.commits_skipped == 0
    assert counts.changes == {"a": 3, "b": 3, "c": 3, "pkg": 1, "pkg.d": 3}
    assert counts.pairs[("a", "b")] == 3
    assert counts.pairs[("a", "pkg.d")] == 2
    assert counts.pairs[("c", "pkg.d")] == 2
    assert counts.pairs[("a", "c")] == 1
    assert list(counts.pairs) == sorted(counts.pairs)
    assert cochange_strength(counts) == {
        ("a", "b"): 1.0,
        ("a", "pkg.d"): 2 / 4,
        ("b", "pkg.d"): 2 / 4,
        ("c", "pkg.d"): 2 / 4,
    }


def test_huge_commit_is_skipped(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    names = [f"m{i}.py" for i in range(6)]
    repo.commit(names, "initial import")
    repo.commit(["m0.py", "m1.py"])
    repo.commit(names, "reformat everything")
    counts = cochange_counts(read(repo.path), module_map(repo.path), max_files_per_commit=5)
    assert counts.commits_used == 1
    assert counts.commits_skipped == 2
    assert counts.pairs == {("m0", "m1"): 1}
    assert counts.changes == {"m0": 1, "m1": 1}
    # With the default limit (30) every commit counts.
    assert cochange_counts(read(repo.path), module_map(repo.path)).commits_skipped == 0


def test_since_and_max_commits_bound_the_history(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    hashes = [repo.commit(["a.py", "b.py"]) for _ in range(5)]
    newest_first = hashes[::-1]
    assert [c.commit for c in read(repo.path).commits] == newest_first
    assert [c.commit for c in read(repo.path, max_commits=2).commits] == newest_first[:2]
    # Commits are a day apart from 2023-11-14 22:13 UTC: the last two are on/after the 17th.
    recent = read(repo.path, since="2023-11-17T00:00:00Z")
    assert [c.commit for c in recent.commits] == newest_first[:2]
    assert [
        c.commit for c in read(repo.path, since="2023-11-15T00:00:00Z", max_commits=3).commits
    ] == newest_first[:3]
    future = read(repo.path, since="2030-01-01")
    assert future.commits == ()
    assert future.warning is not None and "no commits since 2030-01-01" in future.warning


def test_root_as_a_subdirectory(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(["app/a.py", "app/b.py", "tools/x.py", "setup.py"])
    repo.commit(["app/a.py", "tools/x.py"])
    repo.commit(["tools/x.py", "setup.py"])  # nothing under app/: not listed
    repo.commit(["app/b.py", "app/sub/c.py"])
    root = repo.path / "app"
    history = read(root)
    assert history.warning is None
    assert [c.paths for c in history.commits] == [
        ("b.py", "sub/c.py"),
        ("a.py",),
        ("a.py", "b.py"),
    ]
    # The newest commit touching app/ is the first, whatever happened outside since.
    assert [c.paths for c in read(root, max_commits=1).commits] == [("b.py", "sub/c.py")]
    counts = cochange_counts(history, module_map(root))
    assert counts.pairs == {("a", "b"): 1, ("b", "sub.c"): 1}
    assert counts.commits_used == 3


def test_paths_with_spaces_unicode_and_newlines(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "répo with space")
    odd = ["my dir/a b.py", "ünïcödé/módulo.py", "日本/名前.py", "new\nline.py", 'quote"d.py']
    repo.commit([*odd, "plain.py"])
    repo.commit(odd)
    history = read(repo.path)
    assert history.warning is None
    assert history.commits[0].paths == tuple(sorted(odd))
    modules = module_map(repo.path)
    counts = cochange_counts(history, modules)
    assert counts.changes == {modules[name]: 2 for name in odd} | {"plain": 1}
    assert counts.pairs[(modules["my dir/a b.py"], modules["日本/名前.py"])] == 2
    # And from a subdirectory whose name needs quoting.
    sub = read(repo.path / "ünïcödé")
    assert [c.paths for c in sub.commits] == [("módulo.py",), ("módulo.py",)]


def test_non_python_files_are_ignored(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(["a.py", "README.md", "config.yaml", "b.pyi", "data.json"])
    repo.commit(["a.py", "README.md", "config.yaml", "b.pyi"])
    history = read(repo.path)
    assert "README.md" in history.commits[0].paths  # read, then ignored when counting
    counts = cochange_counts(history, module_map(repo.path))
    assert counts.pairs == {}
    assert counts.changes == {"a": 2}
    assert counts.commits_used == 2
    # Files deleted since (absent from the map) are ignored too, and a commit changing no
    # analyzed module is neither used nor skipped.
    repo.git("rm", "-q", "a.py")
    repo.commit(["README.md"])
    counts = cochange_counts(read(repo.path), module_map(repo.path))
    assert counts == CoChange({}, {}, commits_used=0, commits_skipped=0)


def test_not_a_git_repository_gives_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.py").write_text("x = 1\n")
    (tree / "b.py").write_text("y = 1\n")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # tmp_path may be in a repo
    history = read(tree)
    assert history.commits == ()
    assert history.warning is not None and "not a git repository" in history.warning
    assert cochange_counts(history, module_map(tree)).pairs == {}
    missing = read(tmp_path / "missing")
    assert missing.commits == () and missing.warning is not None
    assert "not a directory" in missing.warning


def test_other_unusable_histories_give_warnings(tmp_path: Path) -> None:
    empty = Repo(tmp_path / "empty")
    history = read(empty.path)
    assert history.commits == () and "no commits yet" in (history.warning or "")

    inside_git_dir = read(empty.path / ".git")
    assert inside_git_dir.commits == () and "not inside a git work tree" in (
        inside_git_dir.warning or ""
    )

    full = Repo(tmp_path / "full")
    full.commit(["a.py", "b.py"])
    full.commit(["a.py", "b.py"])
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", full.path.as_uri(), str(shallow)],
        check=True,
        capture_output=True,
    )
    history = read(shallow)
    assert history.commits == () and "shallow" in (history.warning or "")

    no_git = read_change_sets(full.path, since=None, max_commits=10, git="no-such-git-binary")
    assert no_git.commits == () and "git not found" in (no_git.warning or "")


def test_merges_are_excluded(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(["a.py", "b.py", "c.py"])
    repo.git("checkout", "-q", "-b", "feature")
    on_branch = repo.commit(["a.py", "b.py"])
    repo.git("checkout", "-q", "main")
    on_main = repo.commit(["c.py"])
    repo.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    merge = repo.git("rev-parse", "HEAD").strip()
    hashes = [c.commit for c in read(repo.path).commits]
    assert merge not in hashes
    assert on_branch in hashes and on_main in hashes
    assert len(hashes) == 3


def test_environment_cannot_point_git_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(["a.py", "b.py"])
    other = Repo(tmp_path / "other")
    other.commit(["z.py"])
    monkeypatch.setenv("GIT_DIR", str(other.path / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other.path))
    assert read(repo.path).commits[0].paths == ("a.py", "b.py")


def test_the_repository_is_not_written(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(["app/a.py", "app/b.py"])
    repo.commit(["app/a.py", "app/b.py"])
    (repo.path / "app" / "a.py").write_text("changed = True\n")  # a dirty work tree
    (repo.path / "untracked.py").write_text("")
    git_before = snapshot(repo.path / ".git")
    tree_before = snapshot(repo.path)
    for root in (repo.path, repo.path / "app"):
        history = read(root, since="2000-01-01", max_commits=10)
        assert len(history.commits) == 2
    read(repo.path / ".git", max_commits=10)
    assert snapshot(repo.path / ".git") == git_before
    assert snapshot(repo.path) == tree_before
