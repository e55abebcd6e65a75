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
    found, missing = declared.resolve({"yaml", "jinja2", "requests", "sklearn", "bs4", "numpy"})
    assert found == (
        "beautifulsoup4",
        "Jinja2>=3.1",
        "PyYAML==6.0.2",
        "requests==2.32.3",
        "scikit-learn>=1.3",
    )
    assert missing == ("numpy",)
    assert declared.sources == ("requirements.txt", "pyproject.toml")


def test_broken_pyproject_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\n")
    assert read_declared_requirements(tmp_path).lines == {}


def test_normalize() -> None:
    assert normalize("Foo_Bar.baz") == "foo-bar-baz"
