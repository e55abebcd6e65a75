"""The project's Python version, from its own files."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.python_version import project_python_version


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({".python-version": "3.12.1\n"}, ("3.12", ".python-version")),
        ({".python-version": "# pinned\n3.10\n"}, ("3.10", ".python-version")),
        ({"runtime.txt": "python-3.9.18\n"}, ("3.9", "runtime.txt")),
        (
            {"pyproject.toml": "[project]\nname='x'\nrequires-python = '>=3.10,<3.14'\n"},
            ("3.10", "pyproject.toml requires-python"),
        ),
        (
            {"pyproject.toml": "[tool.poetry.dependencies]\npython = '^3.11'\n"},
            ("3.11", "pyproject.toml [tool.poetry.dependencies] python"),
        ),
        (  # .python-version wins over pyproject
            {".python-version": "3.13\n", "pyproject.toml": "[project]\nrequires-python='>=3.9'\n"},
            ("3.13", ".python-version"),
        ),
        ({".python-version": "pypy3.10\n"}, None),
        ({"pyproject.toml": "[project\n"}, None),
        ({"pyproject.toml": "[project]\nname='x'\n"}, None),
        ({}, None),
    ],
)
def test_project_python_version(tmp_path: Path, files: dict[str, str], expected) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert project_python_version(tmp_path) == expected
