"""Which Python the analyzed project runs on, read from its own files (never by running it).

In order: `.python-version` (pyenv, uv), `runtime.txt` (`python-3.11.4`), the
`requires-python` of pyproject.toml's `[project]` (its lower bound: the oldest version the
project says it supports, so that the generated images run it as it is tested) and
`[tool.poetry.dependencies] python`. Each gives `major.minor`; the first file that says
something wins.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

_VERSION = re.compile(r"(?<![\d.])(3)\.(\d{1,2})(?:\.\d+)?")
_LOWER_BOUND = re.compile(r"(?:>=|~=|==|\^|~)\s*(3)\.(\d{1,2})")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
    except OSError:
        return None


def _from_python_version(text: str) -> str | None:
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = _VERSION.match(line)
        return f"{match.group(1)}.{match.group(2)}" if match else None
    return None


def _from_specifier(text: str) -> str | None:
    bound = _LOWER_BOUND.search(text)
    if bound:
        return f"{bound.group(1)}.{bound.group(2)}"
    return None


def project_python_version(root: Path) -> tuple[str, str] | None:
    """(`3.11`, the file it came from), or None when the project says nothing."""
    text = _read(root / ".python-version")
    if text and (found := _from_python_version(text)):
        return found, ".python-version"
    text = _read(root / "runtime.txt")
    if text and (match := re.search(r"python-(3)\.(\d{1,2})", text)):
        return f"{match.group(1)}.{match.group(2)}", "runtime.txt"
    text = _read(root / "pyproject.toml")
    if text:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
        project = data.get("project", {})
        requires = project.get("requires-python") if isinstance(project, dict) else None
        if isinstance(requires, str) and (found := _from_specifier(requires)):
            return found, "pyproject.toml requires-python"
        poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {})
        python = poetry.get("python") if isinstance(poetry, dict) else None
        if isinstance(python, str) and (found := _from_specifier(python)):
            return found, "pyproject.toml [tool.poetry.dependencies] python"
    return None
