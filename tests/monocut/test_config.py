"""[tool.monocut] configuration: defaults, valid tables, and every mistake reported together."""

from __future__ import annotations

from pathlib import Path

import pytest

from monocut.config import ConfigError, MonocutConfig, load_config, parse_size


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


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2000", 2_000),
        ("'500KB'", 500_000),
        ("'1.5MB'", 1_500_000),
        ("'2MiB'", 2 * 1024 * 1024),
        ("'10 kb'", 10_000),
        ("0", 0),
        ("'unlimited'", 0),
    ],
)
def test_max_file_size(tmp_path: Path, value: str, expected: int) -> None:
    config = load_config(write_pyproject(tmp_path, f"[tool.monocut]\nmax_file_size = {value}\n"))
    assert config.max_file_size == expected


def test_file_limit_defaults() -> None:
    assert MonocutConfig().max_file_size == 1_000_000
    assert MonocutConfig().include_generated is False


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("-1", "'max_file_size': must be a size of at least 0 (0: no limit)"),
        ("'1TB'", "'max_file_size': '1TB' is not a size"),
        ("true", "'max_file_size' must be an integer or a string, not a boolean"),
        ("[1]", "'max_file_size' must be an integer or a string"),
    ],
)
def test_bad_max_file_size(tmp_path: Path, value: str, problem: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(write_pyproject(tmp_path, f"[tool.monocut]\nmax_file_size = {value}\n"))
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith(problem)


def test_size_flags_override_the_file() -> None:
    config = MonocutConfig(max_file_size=5).with_overrides(
        max_file_size="3MB", include_generated=True
    )
    assert (config.max_file_size, config.include_generated) == (3_000_000, True)
    with pytest.raises(ConfigError, match="--max-file-size: 'big' is not a size"):
        MonocutConfig().with_overrides(max_file_size="big")


@pytest.mark.parametrize(
    ("text", "size"),
    [("1", 1), ("1B", 1), ("3k", 3_000), ("1G", 10**9), ("1GiB", 2**30), (" 2 MB ", 2 * 10**6)],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size
