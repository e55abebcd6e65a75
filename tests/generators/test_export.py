"""import-linter and tach configurations exported from a plan, checked by their own tools."""

from __future__ import annotations

import configparser
import dataclasses
import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from analyzer.plan import DecompositionPlan, Service, SharedLibrary, SourceInfo
from generators.export import ExportError, export, importlinter_config, tach_config, toml_string

# orders -> billing, catalog; billing -> nothing; catalog -> billing; a shared library.
SOURCES = {
    "shop/__init__.py": "",
    "shop/orders/__init__.py": "from shop.orders import models\nimport shop.billing\n",
    "shop/orders/models.py": "import shop.catalog.search\nimport shop.common\n",
    "shop/billing.py": "import shop.common\n",
    "shop/catalog/__init__.py": "",
    "shop/catalog/search.py": "import shop.billing\n",
    "shop/common.py": "VERSION = 1\n",
    "tools/__init__.py": "",
    "tools/report.py": "import shop.orders\n",
}
VIOLATION = {"shop/billing.py": "import shop.common\nfrom shop.orders import models\n"}


def make_plan() -> DecompositionPlan:
    return DecompositionPlan(
        source=SourceInfo(root=".", package_roots=("src",)),
        services=(
            Service(
                name="orders",
                modules=("shop.orders", "shop.orders.models"),
                port=8001,
                depends_on=("billing", "catalog"),
            ),
            Service(name="billing", modules=("shop.billing",), port=8002),
            Service(
                name="catalog",
                modules=("shop.catalog", "shop.catalog.search"),
                port=8003,
                depends_on=("billing",),
            ),
            Service(
                name="tools", modules=("tools", "tools.report"), port=8004, depends_on=("orders",)
            ),
        ),
        shared=SharedLibrary(modules=("shop", "shop.common")),
    )


def write_tree(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / "src" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def read_ini(text: str) -> configparser.ConfigParser:
    # the same parser import-linter uses (interpolation included)
    parser = configparser.ConfigParser()
    parser.read_string(text)
    return parser


def contracts(text: str) -> dict[str, dict[str, object]]:
    parser = read_ini(text)
    found = {}
    for section in parser.sections():
        if section.startswith("importlinter:contract:"):
            values = dict(parser[section])
            found[section.split(":")[-1]] = {
                key: value.strip().split("\n") if "\n" in value else value
                for key, value in values.items()
            }
    return found


# ---------------------------------------------------------------------------- import-linter


def test_importlinter_one_forbidden_contract_per_constrained_service() -> None:
    text = importlinter_config(make_plan())
    parser = read_ini(text)
    assert parser["importlinter"]["root_packages"].split() == ["shop", "tools"]
    found = contracts(text)
    # orders may import billing and catalog, tools only orders, billing nobody
    assert found["billing"]["forbidden_modules"] == [
        "shop.catalog",
        "shop.catalog.search",
        "shop.orders",
        "shop.orders.models",
        "tools",
        "tools.report",
    ]
    assert found["catalog"]["forbidden_modules"] == [
        "shop.orders",
        "shop.orders.models",
        "tools",
        "tools.report",
    ]
    assert found["orders"]["forbidden_modules"] == ["tools", "tools.report"]
    assert found["tools"]["forbidden_modules"] == [
        "shop.billing",
        "shop.catalog",
        "shop.catalog.search",
    ]
    assert found["orders"]["source_modules"] == ["shop.orders", "shop.orders.models"]
    assert set(found) == {"billing", "catalog", "orders", "tools"}
    for contract in found.values():
        assert contract["type"] == "forbidden"
        assert contract["allow_indirect_imports"] == "True"
        assert contract["as_packages"] == "False"
        # the shared library is never forbidden
        assert not {"shop", "shop.common"} & set(contract["forbidden_modules"])


def test_importlinter_service_depending_on_everyone_gets_no_contract() -> None:
    plan = make_plan()
    services = list(plan.services)
    services[1] = dataclasses.replace(services[1], depends_on=("orders", "catalog", "tools"))
    text = importlinter_config(dataclasses.replace(plan, services=tuple(services)))
    assert "billing" not in contracts(text)
    assert "# service billing may import every other service: no contract" in text


def test_importlinter_known_modules_drops_modules_missing_from_the_code() -> None:
    plan = make_plan()
    services = list(plan.services)
    services[2] = dataclasses.replace(services[2], modules=("shop.catalog.search", "shop.gone"))
    plan = dataclasses.replace(plan, services=tuple(services))
    known = {m for s in plan.services for m in s.modules} - {"shop.gone"}
    assert "shop.gone" in importlinter_config(plan)
    assert "shop.gone" not in importlinter_config(plan, known)
    assert "shop.gone" not in tach_config(plan, known)


# ---------------------------------------------------------------------------- tach


def test_tach_modules_and_dependencies_match_the_plan() -> None:
    config = tomllib.loads(tach_config(make_plan()))
    assert config["source_roots"] == ["src"]
    by_first = {m["paths"][0]: m for m in config["modules"]}
    assert by_first["shop.orders"]["paths"] == ["shop.orders", "shop.orders.models"]
    assert by_first["shop.orders"]["depends_on"] == [
        "shop.billing",
        "shop.catalog",
        "shop.catalog.search",
        "shop.orders",
        "shop.orders.models",
    ]
    assert by_first["shop.billing"]["depends_on"] == ["shop.billing"]
    assert by_first["shop.catalog"]["depends_on"] == [
        "shop.billing",
        "shop.catalog",
        "shop.catalog.search",
    ]
    assert by_first["tools"]["depends_on"] == [
        "shop.orders",
        "shop.orders.models",
        "tools",
        "tools.report",
    ]
    assert by_first["shop"] == {"paths": ["shop", "shop.common"], "utility": True}
    assert len(config["modules"]) == 5


# ---------------------------------------------------------------------------- hostile input


def test_hostile_service_names_cannot_inject() -> None:
    plan = make_plan()
    services = list(plan.services)
    evil = 'billing%(x)s\n[importlinter:contract:evil]\ntype = "x"\n[[modules]]'
    services[1] = dataclasses.replace(services[1], name=evil)
    services[0] = dataclasses.replace(services[0], depends_on=(evil, "catalog"))
    services[2] = dataclasses.replace(services[2], depends_on=(evil,))
    plan = dataclasses.replace(plan, services=tuple(services))
    ini = importlinter_config(plan)
    found = contracts(ini)
    assert "evil" not in found
    assert len(found) == 4
    assert all(contract["type"] == "forbidden" for contract in found.values())
    assert found["orders"]["forbidden_modules"] == ["tools", "tools.report"]
    for section in read_ini(ini).sections():  # interpolation would fail on a raw '%'
        dict(read_ini(ini)[section])
    toml = tach_config(plan)
    config = tomllib.loads(toml)
    assert set(config) == {"source_roots", "exact", "forbid_circular_dependencies", "modules"}
    assert len(config["modules"]) == 5


@pytest.mark.parametrize(
    "module", ["shop.orders\n[importlinter]", "shop..x", "shop.*", 'a"b', "", "shop.\udc80"]
)
def test_modules_that_are_not_python_names_are_refused(module: str) -> None:
    plan = make_plan()
    plan = dataclasses.replace(plan, shared=SharedLibrary(modules=("shop.common", module)))
    for fmt in ("importlinter", "tach"):
        with pytest.raises(ExportError) as caught:
            export(plan, fmt)
        assert any("not a dotted Python module name" in p for p in caught.value.problems)


def test_hostile_package_roots_are_quoted() -> None:
    roots = ('we"ird\\dir\n[[modules]]\x00\x7f', "src", "ünï")
    plan = dataclasses.replace(make_plan(), source=SourceInfo(root=".", package_roots=roots))
    assert tomllib.loads(tach_config(plan))["source_roots"] == sorted(roots)


@pytest.mark.parametrize("text", ["", "plain", '"\\', "\x00\x1f\x7f\t\r\n\b\f", "😀 é"])
def test_toml_string_round_trips(text: str) -> None:
    assert tomllib.loads(f"v = {toml_string(text)}")["v"] == text


def test_unknown_format() -> None:
    with pytest.raises(ExportError):
        export(make_plan(), "yaml")


def test_deterministic_whatever_the_order() -> None:
    plan = make_plan()
    shuffled = dataclasses.replace(
        plan,
        services=tuple(
            dataclasses.replace(s, modules=tuple(reversed(s.modules)))
            for s in reversed(plan.services)
        ),
    )
    for fmt in ("importlinter", "tach"):
        assert export(plan, fmt) == export(plan, fmt) == export(shuffled, fmt)


# ---------------------------------------------------------------------------- the tools themselves


def tool(module: str, command: str) -> str:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")
    found = shutil.which(command, path=str(Path(sys.executable).parent)) or shutil.which(command)
    if not found:
        pytest.skip(f"{command} not found")
    return found


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd / "src"), "NO_COLOR": "1"}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("violate", [False, True])
def test_import_linter_enforces_the_plan(tmp_path: Path, violate: bool) -> None:
    lint_imports = tool("importlinter", "lint-imports")
    write_tree(tmp_path, {**SOURCES, **(VIOLATION if violate else {})})
    (tmp_path / ".importlinter").write_text(importlinter_config(make_plan()), encoding="utf-8")
    done = run([lint_imports, "--no-cache"], tmp_path)
    output = done.stdout + done.stderr
    if violate:
        assert done.returncode == 1, output
        assert "shop.billing is not allowed to import shop.orders.models" in output
    else:
        assert done.returncode == 0, output
        assert "4 kept, 0 broken" in output


@pytest.mark.parametrize("violate", [False, True])
def test_tach_enforces_the_plan(tmp_path: Path, violate: bool) -> None:
    tach = tool("tach", "tach")
    write_tree(tmp_path, {**SOURCES, **(VIOLATION if violate else {})})
    (tmp_path / "tach.toml").write_text(tach_config(make_plan()), encoding="utf-8")
    from tach.extension import parse_project_config

    config, _ = parse_project_config(tmp_path / "tach.toml")
    assert sorted(m.path for m in config.all_modules()) == sorted(make_plan().modules)
    done = run([tach, "check"], tmp_path)
    output = done.stdout + done.stderr
    if violate:
        assert done.returncode == 1, output
        assert "'shop.billing' cannot depend on 'shop.orders.models'" in output
    else:
        assert done.returncode == 0, output
