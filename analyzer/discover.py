"""Find the Python files of a source tree and give each its dotted module name.

Layouts:

- **flat**: the root holds packages and/or loose modules; package root ".".
- **src**: `root/src` is a directory without `__init__.py`; package root "src". Regular
  packages (directories with `__init__.py`) beside `src`, and test directories when tests are
  included, are analyzed too, with "." as a second package root; other files beside `src`
  (setup.py, noxfile.py, docs/) are tooling and skipped.
- **root inside a package**: when the root itself has `__init__.py`, discovery walks up to the
  first ancestor without one and names modules from there (`pkg.sub.mod`), but only files
  under the given root are collected. `Discovery.root` is then that ancestor.

`SourceFile.relpath` is always relative to `Discovery.root` (the directory module names start
from), in POSIX form, so `Discovery.root / relpath` is the file. Normally that is the given root.

Directories without `__init__.py` are namespace packages and still part of dotted names.
Only `*.py` files are read; `.pyi` stubs are skipped.

Every piece of a module name must be importable: a Python identifier (`str.isidentifier`,
unchanged by NFKC normalization) and not a keyword. A file that is not (`my-file.py`,
`1abc.py`, `gunicorn.conf.py`, `class.py`) is reported as a FileProblem ("not importable: ...")
and skipped; so is a directory (`my-scripts/`, `dotted.dir/`), reported once, with everything
below it skipped. A name that is not valid UTF-8 (raw bytes on POSIX) is reported the same way
("file name is not valid UTF-8", the bad bytes shown escaped as `\\xff`). Such directories
are reported only when they hold `*.py` files that would otherwise be analyzed (a `static-files/`
of CSS is not worth a warning), and symlinks inside them are not followed. Excludes are applied
first: an excluded name is skipped silently, whatever it looks like.

Symlinked directories are followed unless they point at an ancestor, inside the tree or
above it ("symlink loop", reported)
or inside the tree (those files are found at their real place), or at a directory already
walked through another link (reported). A file link that never reaches a file is a "broken
symlink", or a "symlink loop" when links point at each other. Unreadable directories are
reported and skipped.
Everything is walked in sorted order, so the result is deterministic.
"""

from __future__ import annotations

import errno
import keyword
import os
import posixpath
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from analyzer.facts import FileProblem, SourceFile

#: A directory holding this file is monocut's own output (copies of the analyzed sources,
#: generated entrypoints): never analyzed, whatever the excludes.
OUTPUT_MARKER = ".monocut-output"

#: Skipped unless `use_default_excludes=False`; fnmatch globs on each path piece.
#: A `build` or `dist` directory that is itself a package (has `__init__.py`) is kept.
#: Virtualenvs are skipped too: any directory holding `pyvenv.cfg`, and `venv`/`.venv`/`env`
#: directories holding `lib/python*` (or `Lib/site-packages`).
DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".*",
    "__pycache__",
    "migrations",
    "site-packages",
    "dist-packages",
    "build",
    "dist",
    "node_modules",
    "*.egg-info",
    ".tox",
    ".nox",
)

#: Skipped unless `include_tests=True`.
TEST_EXCLUDES: tuple[str, ...] = (
    "tests",
    "test",
    "test_*.py",
    "*_test.py",
    "tests.py",
    "conftest.py",
)

_TEST_DIRS = frozenset({"tests", "test"})
_TEST_FILE_GLOBS = ("test_*.py", "*_test.py", "tests.py", "conftest.py")
_KEEP_IF_PACKAGE = frozenset({"build", "dist"})
_VENV_NAMES = frozenset({"venv", ".venv", "env", "virtualenv", ".virtualenv"})


#: An unimportable directory (its path pieces from the given root) and why.
_Blocked = tuple[tuple[str, ...], str]


class DiscoveryError(ValueError):
    """The root cannot be analyzed at all (missing, not a directory)."""


@dataclass(frozen=True)
class Discovery:
    """The files of one tree. `files` is sorted by module name, `problems` by relpath."""

    root: Path
    package_roots: tuple[str, ...]
    files: tuple[SourceFile, ...]
    problems: tuple[FileProblem, ...]

    @property
    def modules(self) -> tuple[str, ...]:
        """Module names in order."""
        return tuple(source.module for source in self.files)


def discover(
    root: Path | str,
    excludes: Sequence[str] = (),
    include_tests: bool = False,
    use_default_excludes: bool = True,
) -> Discovery:
    """Find the `*.py` files under `root` and name their modules (see the module docstring).

    `excludes` are extra fnmatch globs, matched against each path piece below the root and
    against the relative POSIX path (both from the given root and from `Discovery.root`).
    They are normalized first (see `normalize_exclude`): `./shop/catalog`, `shop/catalog/`
    and `/abs/root/shop/catalog` all mean `shop/catalog`, and a pattern that matches a
    directory excludes everything below it.
    Test files are excluded unless `include_tests`; that is independent of
    `use_default_excludes`.
    """
    given = Path(os.path.abspath(root))
    if not given.exists():
        raise DiscoveryError(f"{root}: no such directory")
    if not given.is_dir():
        raise DiscoveryError(f"{root}: not a directory")

    base = given
    # Walk up through regular packages, but never past a directory that cannot be part of a
    # module name (`my-pkg/__init__.py`): names then start below it.
    while (
        (base / "__init__.py").is_file()
        and base.parent != base
        and _name_problem(base.name) is None
    ):
        base = base.parent

    normalized = (normalize_exclude(pattern, given, base) for pattern in excludes)
    walker = _Walker(
        base=base,
        given=given,
        excludes=tuple(dict.fromkeys(pattern for pattern in normalized if pattern)),
        include_tests=include_tests,
        use_default_excludes=use_default_excludes,
    )
    if base != given:
        walker.walk(given, given.relative_to(base).parts)
        package_roots: tuple[str, ...] = (".",)
    elif _is_src_layout(given) and not walker.is_excluded_dir(("src",), "src"):
        package_roots = ("src",)
        walker.walk(given / "src", (), rel_prefix=("src",))
        beside = walker.dirs_beside_src()
        if beside:
            package_roots = (".", "src")
            walker.walk(given, (), only_top=beside)
    else:
        walker.walk(given, ())
        package_roots = (".",)

    files = sorted(walker.files, key=lambda source: (source.module, source.relpath))
    problems = sorted(walker.problems, key=lambda problem: (problem.relpath, problem.reason))
    return Discovery(base, package_roots, tuple(files), tuple(problems))


def normalize_exclude(pattern: str, given: Path, base: Path | None = None) -> str:
    """An exclude pattern in the form the walker matches: POSIX separators, no leading `./`,
    no trailing `/`, and an absolute path under `given` (or under `base`, the directory module
    names start from) made relative to `base`. Returns "" for a pattern that names the root
    itself or nothing at all; such patterns are ignored."""
    base = given if base is None else base
    pattern = pattern.strip()
    if os.altsep is not None:  # Windows: accept either separator
        pattern = pattern.replace(os.sep, "/")
    if os.path.isabs(pattern):
        relative = _relative_to(pattern, base)
        if relative is None:
            return pattern.rstrip("/")  # outside the tree: left as is, matches nothing below
        pattern = relative.replace(os.sep, "/")
    pattern = posixpath.normpath(pattern) if pattern else ""
    return "" if pattern in (".", "/", "//") else pattern


def _relative_to(path: str, base: Path) -> str | None:
    """`path` relative to `base`, comparing both as written and with symlinks resolved."""
    candidates = ((os.path.abspath(path), str(base)),)
    real = (os.path.realpath(path), os.path.realpath(base))
    if real != candidates[0]:
        candidates += (real,)
    for absolute, root in candidates:
        if absolute == root:
            return "."
        if absolute.startswith(root.rstrip(os.sep) + os.sep):
            return os.path.relpath(absolute, root)
    return None


def display_name(name: str) -> str:
    """A file name or path safe to print: bytes that are not UTF-8 (kept as surrogates by
    `os.fsdecode`) are shown as `\\xff` escapes."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def _name_problem(piece: str) -> str | None:
    """Why `piece` (a directory name or a file stem) cannot be part of a module name."""
    try:
        piece.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8"
    if not piece.isidentifier() or unicodedata.normalize("NFKC", piece) != piece:
        return f"not importable: {piece!r} is not a valid Python identifier"
    if keyword.iskeyword(piece):
        return f"not importable: {piece!r} is a Python keyword"
    return None


def _holds(directory: str, path: str) -> bool:
    """Whether `path` is `directory` or below it (both real, absolute paths)."""
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _is_src_layout(root: Path) -> bool:
    src = root / "src"
    return src.is_dir() and not (src / "__init__.py").exists()


def _is_virtualenv(path: str, names: set[str], name: str) -> bool:
    if "pyvenv.cfg" in names:
        return True
    if name not in _VENV_NAMES:
        return False
    if "lib" in names:
        try:
            if any(child.startswith("python") for child in os.listdir(os.path.join(path, "lib"))):
                return True
        except OSError:
            pass
    return "Lib" in names and os.path.isdir(os.path.join(path, "Lib", "site-packages"))


class _Walker:
    """Collects SourceFiles and FileProblems while walking one or more package roots."""

    def __init__(
        self,
        base: Path,
        given: Path,
        excludes: tuple[str, ...],
        include_tests: bool,
        use_default_excludes: bool,
    ) -> None:
        self.base = base
        self.given = given
        self.given_parts = given.relative_to(base).parts
        self.excludes = excludes
        self.include_tests = include_tests
        self.use_default_excludes = use_default_excludes
        self.real_root = os.path.realpath(given)
        self.files: list[SourceFile] = []
        self.problems: list[FileProblem] = []
        self.visited_real: dict[str, str] = {}  # real path of a followed link -> its relpath
        self.reported_blocked: set[tuple[str, ...]] = set()

    # -- exclusion

    def _matches_custom(self, parts: tuple[str, ...], name: str) -> bool:
        if not self.excludes:
            return False
        from_given = "/".join(parts)
        from_base = "/".join(self.given_parts + parts)
        return any(
            fnmatchcase(name, pattern)
            or fnmatchcase(from_given, pattern)
            or fnmatchcase(from_base, pattern)
            for pattern in self.excludes
        )

    def is_excluded_dir(self, parts: tuple[str, ...], name: str) -> bool:
        """Excluded by name alone (content checks come later, in `_excluded_by_content`)."""
        if (
            self.use_default_excludes
            and name not in _KEEP_IF_PACKAGE
            and any(fnmatchcase(name, pattern) for pattern in DEFAULT_EXCLUDES)
        ):
            return True
        if not self.include_tests and name in _TEST_DIRS:
            return True
        return self._matches_custom(parts, name)

    def _excluded_by_content(self, path: str, name: str, names: set[str]) -> bool:
        if OUTPUT_MARKER in names:
            return True
        if not self.use_default_excludes:
            return False
        if name in _KEEP_IF_PACKAGE and "__init__.py" not in names:
            return True
        return _is_virtualenv(path, names, name)

    def _is_excluded_file(self, parts: tuple[str, ...], name: str) -> bool:
        if self.use_default_excludes and name.startswith("."):
            return True
        if not self.include_tests and any(fnmatchcase(name, g) for g in _TEST_FILE_GLOBS):
            return True
        return self._matches_custom(parts, name)

    def dirs_beside_src(self) -> frozenset[str]:
        """In a src layout, the top-level directories that are analyzed too: regular packages
        (with `__init__.py`) and, when tests are included, test directories."""
        found = set()
        try:
            with os.scandir(self.given) as entries:
                for entry in entries:
                    name = entry.name
                    if name == "src" or not entry.is_dir():
                        continue
                    is_tests = self.include_tests and name in _TEST_DIRS
                    is_package = os.path.isfile(os.path.join(entry.path, "__init__.py"))
                    if (is_tests or is_package) and not self.is_excluded_dir((name,), name):
                        found.add(name)
        except OSError:
            pass
        return frozenset(found)

    # -- walking

    def walk(
        self,
        start: Path,
        module_prefix: tuple[str, ...],
        rel_prefix: tuple[str, ...] = (),
        only_top: frozenset[str] | None = None,
    ) -> None:
        """Walk `start`; `rel_prefix` is its path from the given root, `module_prefix` its
        dotted-name pieces."""
        start_real = os.path.realpath(start)
        if start_real != self.real_root and _holds(start_real, self.real_root):
            self._problem(rel_prefix, "symlink loop")  # `src` linked to a directory above
            return
        # (directory, path pieces from the given root, module pieces, real paths of ancestors,
        #  the outermost unimportable directory above and why, if any)
        stack: list[
            tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], _Blocked | None]
        ] = [(str(start), rel_prefix, module_prefix, (start_real,), None)]
        while stack:
            path, parts, module_parts, ancestors, blocked = stack.pop()
            entries = self._scan(path, parts)
            if entries is None:
                continue
            names = {entry.name for entry in entries}
            if parts != rel_prefix and self._excluded_by_content(path, parts[-1], names):
                continue
            subdirs = []
            for entry in entries:
                child_parts = (*parts, entry.name)
                if parts == rel_prefix and only_top is not None and entry.name not in only_top:
                    continue
                try:
                    is_link = entry.is_symlink()
                    is_dir = entry.is_dir()
                    is_file = not is_dir and entry.is_file()
                except OSError as exc:
                    if exc.errno == errno.ELOOP:  # a link to itself, or a cycle of links
                        self._problem(child_parts, "symlink loop")
                    else:
                        self._problem(child_parts, f"unreadable: {exc.strerror or exc}")
                    continue
                if is_dir:
                    if self.is_excluded_dir(child_parts, entry.name):
                        continue
                    child_blocked = blocked
                    if child_blocked is None:
                        reason = _name_problem(entry.name)
                        if reason is not None:
                            child_blocked = (child_parts, reason)
                    real = os.path.join(ancestors[-1], entry.name)
                    if is_link:
                        if child_blocked is not None:
                            continue  # nothing below is analyzed: not worth following
                        real = os.path.realpath(entry.path)
                        if not self._follow_link(real, child_parts, ancestors):
                            continue
                    subdirs.append(
                        (
                            entry.path,
                            child_parts,
                            (*module_parts, entry.name),
                            (*ancestors, real),
                            child_blocked,
                        )
                    )
                elif entry.name.endswith(".py"):
                    if self._is_excluded_file(child_parts, entry.name):
                        continue
                    if blocked is not None:
                        if is_file or is_link:
                            self._report_blocked(blocked)
                        continue
                    if is_link and not is_file:
                        self._problem(child_parts, "broken symlink")
                    elif is_file:
                        reason = _name_problem(entry.name[: -len(".py")])
                        if reason is not None:
                            self._problem(child_parts, reason)
                        else:
                            self._add_file(entry.path, child_parts, module_parts, entry.name)
            stack.extend(reversed(subdirs))

    def _report_blocked(self, blocked: _Blocked) -> None:
        """Report an unimportable directory once, when the first `*.py` below it turns up."""
        parts, reason = blocked
        if parts not in self.reported_blocked:
            self.reported_blocked.add(parts)
            self._problem(parts, reason)

    def _follow_link(self, real: str, parts: tuple[str, ...], ancestors: tuple[str, ...]) -> bool:
        # A link to a directory that holds the one it sits in (or the root) leads back into
        # itself: a loop, even when that directory is above the root (following it would walk
        # everything beside the tree, say all of /tmp, before coming back).
        if any(_holds(real, path) for path in (*ancestors, self.real_root)):
            self._problem(parts, "symlink loop")
            return False
        if real == self.real_root or real.startswith(self.real_root.rstrip(os.sep) + os.sep):
            return False  # found at its real place inside the tree
        relpath = self._relpath(parts)
        seen = self.visited_real.get(real)
        if seen is not None:
            self._problem(parts, f"symlink to a directory already analyzed as {seen}")
            return False
        self.visited_real[real] = relpath
        return True

    def _scan(self, path: str, parts: tuple[str, ...]) -> list[os.DirEntry[str]] | None:
        try:
            with os.scandir(path) as iterator:
                return sorted(iterator, key=lambda entry: entry.name)
        except OSError as exc:
            self._problem(parts, f"unreadable directory: {exc.strerror or exc}")
            return None

    def _add_file(
        self, path: str, parts: tuple[str, ...], module_parts: tuple[str, ...], name: str
    ) -> None:
        stem = name[: -len(".py")]
        is_package = stem == "__init__"
        pieces = module_parts if is_package else (*module_parts, stem)
        if not pieces:  # an __init__.py directly in a package root: not a module
            return
        self.files.append(
            SourceFile(Path(path), self._relpath(parts), ".".join(pieces), is_package)
        )

    def _relpath(self, parts: tuple[str, ...]) -> str:
        return "/".join(self.given_parts + parts) or "."

    def _problem(self, parts: tuple[str, ...], reason: str) -> None:
        self.problems.append(FileProblem(display_name(self._relpath(parts)), reason))
