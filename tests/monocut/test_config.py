"""[tool.monocut] configuration: defaults, valid tables, and every mistake reported together."""

from __future__ import annotations

from pathlib import Path

import pytest

from monocut.config import ConfigError, MonocutConfig, load_config


def write_pyproject(tmp_path: Path, body: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(body)
    return tmp_path


def test_no_pyproject_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path) == MonocutConfig()


def test_pyproject_without_table_gives_defaults(tmp_path: Path) -> None:
    assert load_config(write_pyproject(tmp_path, "[project]\nname='x'\n")) == MonocutConfig()


def test_valid_table(tmp_path: Path) -> None:
    root = write_pyproject(
        tmp_path,
        "[tool.monocut]\nexclude = ['legacy/*']\nresolution = 1.5\nignore-layout = true\n"
        "python_version = '3.12'\njobs = 2\n",
    )
    config = load_config(root)
    assert config.exclude == ("legacy/*",)
    assert config.resolution == 1.5
    assert config.ignore_layout is True
    assert config.python_version == "3.12"
    assert config.jobs == 2


def test_all_problems_are_collected(tmp_path: Path) -> None:
    root = write_pyproject(
        tmp_path,
        "[tool.monocut]\nresolutoin = 2\njobs = 'many'\ninclude_tests = 1\n"
        "shared_threshold = 3.0\npython_version = 'py3'\ntargets = ['docker', 'helm']\n",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(root)
    problems = "\n".join(raised.value.problems)
    assert "unknown key 'resolutoin'" in problems
    assert "'jobs' must be an integer" in problems
    assert "'include_tests' must be true or false" in problems
    assert "'shared_threshold' must be in (0, 1]" in problems
    assert "'python_version' must look like '3.11'" in problems
    assert "unknown targets ['helm']" in problems
    assert len(raised.value.problems) == 6


def test_invalid_toml_is_one_problem(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write_pyproject(tmp_path, "[tool.monocut\n"))


def test_flags_override_the_file() -> None:
    config = MonocutConfig(resolution=2.0, seed=1)
    assert config.with_overrides(resolution=0.5, seed=None).resolution == 0.5
    assert config.with_overrides(seed=None).seed == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("tool = 1\n", None),
        ("[tool.monocut]\nresolution = nan\n", "'resolution' must be a finite number"),
        ("[tool.monocut]\nresolution = inf\n", "'resolution' must be a finite number"),
        ("[tool.monocut]\nshared_min_clusters = 0\n", "'shared_min_clusters' must be at least 1"),
        ("[tool.monocut]\nnamespace = 'BAD NS'\n", "not a valid Kubernetes namespace"),
    ],
)
def test_odd_values(tmp_path: Path, body: str, message: str | None) -> None:
    root = write_pyproject(tmp_path, body)
    if message is None:
        assert load_config(root) == MonocutConfig()
    else:
        with pytest.raises(ConfigError, match=message):
            load_config(root)


def test_flag_values_are_checked_like_the_file() -> None:
    with pytest.raises(ConfigError, match="resolution"):
        MonocutConfig().with_overrides(resolution=float("inf"))
