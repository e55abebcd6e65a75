"""Third-party requirements: what the analyzed project declares, and what each module needs.

Declared requirements are read (never installed) from `requirements*.txt` and the `[project]`
dependencies of `pyproject.toml` in the analyzed root. A third-party import maps to a declared
distribution when their normalized names match, directly or through a table of the common
import-name / distribution-name mismatches. Imports that match nothing are reported, not
guessed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class DeclaredRequirements:
    """Normalized distribution name -> the requirement line as the project declares it."""

    lines: Mapping[str, str]
    sources: tuple[str, ...]

    def for_import(self, top_level: str) -> str | None:
        """The declared requirement a top-level import name comes from, if any."""
        for candidate in (IMPORT_TO_DISTRIBUTION.get(top_level, ""), top_level):
            if candidate and normalize(candidate) in self.lines:
                return self.lines[normalize(candidate)]
        return None

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
    return DeclaredRequirements(dict(sorted(lines.items())), tuple(sources))


def _add(lines: dict[str, str], requirement: str) -> None:
    match = _NAME.match(requirement)
    if match:
        lines.setdefault(normalize(match.group(1)), requirement.split(";")[0].strip())
