"""Third-party requirements: what the analyzed project declares, and what each module needs.

Declared requirements are read (never installed) from `requirements*.txt` and the `[project]`
dependencies of `pyproject.toml` in the analyzed root; pinned versions from its lock files
(`poetry.lock`, `uv.lock`, `Pipfile.lock`). A third-party import maps to a distribution
through a table of the common import-name / distribution-name mismatches (`yaml` -> PyYAML),
then through the distributions installed where monocut runs
(`importlib.metadata.packages_distributions()`, metadata only), then by its own name when the
project declares or pins that name. A mapped distribution takes the project's declared line,
else its locked version (`name==version`), else its bare name. Imports that map to nothing
are reported, not guessed.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

IMPORT_TO_DISTRIBUTION = {
    "yaml": "pyyaml",
    "PIL": "pillow",
    "sklearn": "scikit-learn",
    "cv2": "opencv-python",
    "bs4": "beautifulsoup4",
    "dateutil": "python-dateutil",
    "dotenv": "python-dotenv",
    "jwt": "pyjwt",
    "attr": "attrs",
    "magic": "python-magic",
    "serial": "pyserial",
    "zmq": "pyzmq",
    "psycopg2": "psycopg2-binary",
    "MySQLdb": "mysqlclient",
    "google.protobuf": "protobuf",
    "OpenSSL": "pyopenssl",
    "Crypto": "pycryptodome",
    "docx": "python-docx",
    "slugify": "python-slugify",
}
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalize(name: str) -> str:
    """PEP 503 normalized distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


@cache
def installed_distributions() -> dict[str, tuple[str, ...]]:
    """Top-level import name -> distributions providing it, in the environment monocut runs
    in (read from installed metadata; nothing is imported)."""
    try:
        found = metadata.packages_distributions()
    except Exception:  # noqa: BLE001 - broken metadata must not stop an analysis
        return {}
    return {name: tuple(sorted(set(dists))) for name, dists in sorted(found.items())}


@dataclass(frozen=True)
class DeclaredRequirements:
    """Normalized distribution name -> the requirement line as the project declares it, and
    -> the version its lock files pin."""

    lines: Mapping[str, str]
    sources: tuple[str, ...]
    pins: Mapping[str, str] = field(default_factory=dict)

    def distribution(self, top_level: str) -> str | None:
        """The distribution a top-level import name comes from, None when nothing says."""
        candidates = [IMPORT_TO_DISTRIBUTION.get(top_level, "")]
        candidates += list(installed_distributions().get(top_level, ()))
        candidates.append(top_level)
        for candidate in candidates:
            if candidate and normalize(candidate) in self.lines:
                return candidate
        for candidate in candidates:
            if candidate and normalize(candidate) in self.pins:
                return candidate
        known = candidates[:-1]
        return next((c for c in known if c), None)

    def for_import(self, top_level: str) -> str | None:
        """The requirement line for a top-level import name: the declared line, else the
        locked version, else the bare distribution name; None when it maps to nothing."""
        name = self.distribution(top_level)
        if name is None:
            return None
        key = normalize(name)
        if key in self.lines:
            return self.lines[key]
        if key in self.pins:
            return f"{name}=={self.pins[key]}"
        return name

    def resolve(self, imports: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(sorted requirement lines, sorted import names that match no declared requirement)."""
        found: set[str] = set()
        missing: set[str] = set()
        for name in imports:
            line = self.for_import(name)
            if line is None:
                missing.add(name)
            else:
                found.add(line)
        return tuple(sorted(found, key=str.lower)), tuple(sorted(missing))


def read_declared_requirements(root: Path) -> DeclaredRequirements:
    """Requirements declared in `root`; unreadable or malformed files are skipped."""
    lines: dict[str, str] = {}
    sources: list[str] = []
    for path in sorted(root.glob("requirements*.txt")):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        sources.append(path.name)
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            if not line or line.startswith("-"):
                continue
            _add(lines, line)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            data = {}
        dependencies = data.get("project", {}).get("dependencies", [])
        if isinstance(dependencies, list) and dependencies:
            sources.append("pyproject.toml")
            for line in dependencies:
                if isinstance(line, str):
                    _add(lines, line.strip())
    pins: dict[str, str] = {}
    for reader in (_poetry_or_uv_lock, _pipfile_lock):
        for name, found in reader(root).items():
            if found:
                pins.setdefault(name, found[1])
                if found[0] not in sources:
                    sources.append(found[0])
    return DeclaredRequirements(
        dict(sorted(lines.items())), tuple(sources), dict(sorted(pins.items()))
    )


def _poetry_or_uv_lock(root: Path) -> dict[str, tuple[str, str]]:
    """normalized name -> (lock file, version) from `poetry.lock` and `uv.lock`
    (both TOML with `[[package]]` name/version tables)."""
    found: dict[str, tuple[str, str]] = {}
    for file_name in ("poetry.lock", "uv.lock"):
        path = root / file_name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        packages = data.get("package", [])
        for package in packages if isinstance(packages, list) else []:
            if not isinstance(package, dict):
                continue
            name, version = package.get("name"), package.get("version")
            if isinstance(name, str) and isinstance(version, str) and _VERSION.match(version):
                found.setdefault(normalize(name), (file_name, version))
    return found


def _pipfile_lock(root: Path) -> dict[str, tuple[str, str]]:
    """normalized name -> ("Pipfile.lock", version) from its `default` section."""
    path = root / "Pipfile.lock"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    section = data.get("default", {}) if isinstance(data, dict) else {}
    found: dict[str, tuple[str, str]] = {}
    for name, entry in sorted(section.items()) if isinstance(section, dict) else []:
        version = entry.get("version", "") if isinstance(entry, dict) else ""
        if isinstance(version, str) and version.startswith("=="):
            version = version[2:]
            if _VERSION.match(version):
                found[normalize(name)] = ("Pipfile.lock", version)
    return found


_VERSION = re.compile(r"^[0-9][0-9A-Za-z.+!-]*$")


def _add(lines: dict[str, str], requirement: str) -> None:
    match = _NAME.match(requirement)
    if match:
        lines.setdefault(normalize(match.group(1)), requirement.split(";")[0].strip())
