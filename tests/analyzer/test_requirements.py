"""Declared requirements and how third-party imports map onto them."""

from __future__ import annotations

from pathlib import Path

from analyzer.requirements import normalize, read_declared_requirements


def test_requirements_files_and_pyproject(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "# pinned\nPyYAML==6.0.2\nJinja2>=3.1  # templates\n-r requirements-dev.txt\n"
        "requests==2.32.3 ; python_version >= '3.8'\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname='x'\ndependencies = ['scikit-learn>=1.3', 'beautifulsoup4']\n"
    )
    declared = read_declared_requirements(tmp_path)
    found, missing = declared.resolve(
        {"yaml", "jinja2", "requests", "sklearn", "bs4", "numpy", "nosuchpackage_xyz"}
    )
    assert found == (
        "beautifulsoup4",
        "Jinja2>=3.1",
        "numpy",  # not declared, but installed here: a known distribution, left unpinned
        "PyYAML==6.0.2",
        "requests==2.32.3",
        "scikit-learn>=1.3",
    )
    assert missing == ("nosuchpackage_xyz",)
    assert declared.sources == ("requirements.txt", "pyproject.toml")


def test_broken_pyproject_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\n")
    assert read_declared_requirements(tmp_path).lines == {}


def test_normalize() -> None:
    assert normalize("Foo_Bar.baz") == "foo-bar-baz"


POETRY_LOCK = """
[[package]]
name = "PyYAML"
version = "6.0.1"

[[package]]
name = "python-dateutil"
version = "2.9.0.post0"
"""

UV_LOCK = """
version = 1

[[package]]
name = "requests"
version = "2.31.0"
source = { registry = "https://pypi.org/simple" }
"""

PIPFILE_LOCK = """
{"_meta": {}, "default": {"attrs": {"version": "==23.2.0"}, "weird": {"version": "*"}},
 "develop": {"pytest": {"version": "==8.0.0"}}}
"""


def test_lock_files_pin_what_is_not_declared(tmp_path: Path) -> None:
    (tmp_path / "poetry.lock").write_text(POETRY_LOCK)
    (tmp_path / "uv.lock").write_text(UV_LOCK)
    (tmp_path / "Pipfile.lock").write_text(PIPFILE_LOCK)
    (tmp_path / "requirements.txt").write_text("PyYAML>=6\n")
    declared = read_declared_requirements(tmp_path)
    assert declared.pins == {
        "attrs": "23.2.0",
        "python-dateutil": "2.9.0.post0",
        "pyyaml": "6.0.1",
        "requests": "2.31.0",
    }
    found, missing = declared.resolve({"yaml", "dateutil", "requests", "attr", "pytest_xyz"})
    # a declared line wins over the lock; the rest take their locked version
    assert found == (
        "attrs==23.2.0",
        "python-dateutil==2.9.0.post0",
        "PyYAML>=6",
        "requests==2.31.0",
    )
    assert missing == ("pytest_xyz",)
    assert set(declared.sources) == {"requirements.txt", "poetry.lock", "uv.lock", "Pipfile.lock"}


def test_broken_lock_files_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "poetry.lock").write_text("[[package]\n")
    (tmp_path / "Pipfile.lock").write_text("{not json")
    assert read_declared_requirements(tmp_path).pins == {}
