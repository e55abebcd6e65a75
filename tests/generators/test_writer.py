"""write_artifacts: the tree it writes, sources it copies, determinism, overrides, bad input."""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version
from yamllint import linter

from analyzer.plan import DecompositionPlan, Service, SharedLibrary, SourceInfo, is_dns_label
from generators.writer import TARGETS, parse_targets, write_artifacts
from tests.validators import YAMLLINT, load_documents, yaml_problems

from .conftest import tree

SERVICE_FILES = {"Dockerfile", ".dockerignore", "requirements.txt", "service_main.py", "README.md"}


def test_files_written_per_service(artifacts) -> None:
    result, out = artifacts
    written = {p.relative_to(out).as_posix() for p in result.written}
    assert list(result.written) == sorted(result.written)
    assert all(p.is_file() for p in result.written)
    assert written == set(tree(out))
    for name in ("orders", "billing", "catalog"):
        assert {f"services/{name}/{f}" for f in SERVICE_FILES} <= written
    assert "docker-compose.yml" in written
    assert {
        "k8s/base/namespace.yaml",
        "k8s/base/kustomization.yaml",
        "k8s/base/orders.yaml",
    } <= written


def test_sources_and_package_inits_are_copied(artifacts, project: Path) -> None:
    _, out = artifacts
    source = project / "shop-app/src"
    orders = tree(out / "services/orders/src")
    assert set(orders) == {
        "shop/__init__.py",
        "shop/orders/__init__.py",
        "shop/orders/models.py",
        "shop/common.py",
    }
    for relative, data in orders.items():
        assert data == (source / relative).read_bytes()
    # a namespace package (no __init__.py) needs none
    assert set(tree(out / "services/catalog/src")) == {
        "shop/__init__.py",
        "shop/catalog/search.py",
        "shop/common.py",
    }
    assert "shop/unrelated.py" not in tree(out / "services/billing/src")


def test_missing_modules_are_reported_not_raised(artifacts) -> None:
    result, _ = artifacts
    assert [(m.owner, m.module) for m in result.missing_modules] == [
        ("catalog", "shop.catalog.missing")
    ]
    assert result.dropped_edges == (("orders", "billing"),)
    assert any("cycle" in w for w in result.warnings)


def test_flat_layout_and_missing_source_root(project: Path) -> None:
    (project / "flat").mkdir()
    (project / "flat/tool.py").write_text("X = 1\n")
    plan = DecompositionPlan(
        source=SourceInfo(root="flat"),
        services=(Service("tool", ("tool", "../etc/passwd", "a..b"), 8001),),
        shared=SharedLibrary(modules=("gone",)),
    )
    result = write_artifacts(plan, project, project / "out")
    assert tree(project / "out/services/tool/src") == {"tool.py": b"X = 1\n"}
    reasons = {m.module: m.reason for m in result.missing_modules}
    assert reasons["../etc/passwd"] == "not a valid dotted module name"
    assert reasons["a..b"] == "not a valid dotted module name"
    assert reasons["gone"].startswith("no source file found")
    nowhere = dataclasses.replace(plan, source=SourceInfo(root="nowhere"))
    result = write_artifacts(nowhere, project, project / "out2")
    assert len(result.missing_modules) == 4
    assert any("does not exist" in w for w in result.warnings)
    assert (project / "out2/services/tool/src").is_dir()  # the Dockerfile's COPY src/ still works


def test_package_roots_outside_the_source_root_are_ignored(project: Path) -> None:
    (project / "secret.py").write_text("KEY = 1\n")
    (project / "inner").mkdir()
    plan = DecompositionPlan(
        source=SourceInfo(root="inner", package_roots=("..", ".")),
        services=(Service("leak", ("secret",), 8001),),
    )
    result = write_artifacts(plan, project, project / "out", targets=["docker"])
    assert [m.module for m in result.missing_modules] == ["secret"]
    assert tree(project / "out/services/leak/src") == {}


def test_every_yaml_file_passes_yamllint(artifacts) -> None:
    assert yaml_problems(artifacts[1]) == []


def test_yamllint_finds_duplicate_keys(tmp_path: Path) -> None:
    problems = list(linter.run("---\na: 1\na: 2\n", YAMLLINT))
    assert any("duplication" in p.message for p in problems)


def test_output_is_deterministic(generate, plan: DecompositionPlan) -> None:
    _, first = generate(plan)
    _, second = generate(plan)
    assert tree(first) == tree(second)
    _, reordered = generate(dataclasses.replace(plan, services=plan.services[::-1]))
    assert tree(reordered) == tree(first)
    again = write_artifacts(plan, first.parent, first)  # over its own output
    assert tree(first) == tree(second)
    assert not [w for w in again.warnings if "not written by this run" in w]


def test_templates_override_by_file_name(generate, plan: DecompositionPlan, tmp_path: Path) -> None:
    overrides = tmp_path / "templates"
    overrides.mkdir()
    (overrides / "README.md.j2").write_text("Custom README for {{ ident }} on {{ port }}\n")
    _, out = generate(plan, templates_dir=overrides)
    assert (out / "services/orders/README.md").read_text() == "Custom README for orders on 8001\n"
    _, default = generate(plan)
    assert (out / "services/orders/Dockerfile").read_bytes() == (
        default / "services/orders/Dockerfile"
    ).read_bytes()
    with pytest.raises(ValueError, match="templates directory"):
        generate(plan, templates_dir=tmp_path / "absent")


def test_targets(generate, plan: DecompositionPlan) -> None:
    result, out = generate(plan, targets=["compose"])
    assert [p.relative_to(out).as_posix() for p in result.written] == ["docker-compose.yml"]
    assert any("docker target" in w for w in result.warnings)
    result, out = generate(plan, targets="k8s,docker")
    assert not (out / "docker-compose.yml").exists()
    assert (out / "k8s").is_dir() and (out / "services").is_dir()
    assert parse_targets(["ecs", "k8s", "docker", "compose"]) == TARGETS
    result, out = generate(plan, targets="ecs")
    names = sorted(p.relative_to(out).as_posix() for p in result.written)
    assert names and all(n.startswith("ecs/") and n.endswith(".json") for n in names)
    with pytest.raises(
        ValueError, match=r"unknown target 'helm'; valid targets: docker, compose, k8s, ecs"
    ):
        generate(plan, targets=["compose", "helm"])
    with pytest.raises(ValueError, match="no target"):
        generate(plan, targets=[])


def test_bad_input_fails_before_writing(generate, plan: DecompositionPlan, project: Path) -> None:
    with pytest.raises(ValueError, match="namespace"):
        generate(plan, namespace="default")
    bad_version = dataclasses.replace(
        plan, source=dataclasses.replace(plan.source, python_version="latest")
    )
    with pytest.raises(ValueError, match="python_version"):
        generate(bad_version)
    assert not list(project.glob("out*"))


def test_stale_files_are_reported(generate, plan: DecompositionPlan) -> None:
    _, out = generate(plan)
    smaller = dataclasses.replace(plan, services=plan.services[:1])
    result = write_artifacts(smaller, out.parent, out)
    stale = [w for w in result.warnings if "not written by this run" in w]
    assert any("k8s/base/catalog.yaml" in w for w in stale)
    assert any("services/catalog" in w for w in stale)


HOSTILE_NAMES = (
    'evil"name: {{ 7*7 }}\n&anchor *ref',
    "- item\n  key: value",
    "orders",
    "Orders",
    "{% raw %}'''\"\"\"",
)
HOSTILE_MODULES = (
    "a\"b'c",
    "x: y",
    "{{ 7*7 }}",
    "&anchor",
    "*ref",
    "\n- injected: true\n# heading",
    '"""; import os; os.system(\'x\') #',
    "`code`",
)


def hostile_plan() -> DecompositionPlan:
    services = tuple(
        Service(
            name=name,
            modules=HOSTILE_MODULES[index:] + (f"shop.m{index}",),
            port=9001 + index,
            api=HOSTILE_MODULES,
            depends_on=HOSTILE_NAMES[:index],
            requirements=("safe-package", "bad\n--index-url http://x"),
        )
        for index, name in enumerate(HOSTILE_NAMES)
    )
    return DecompositionPlan(
        source=SourceInfo(root="shop-app", package_roots=("src",)),
        services=services,
        shared=SharedLibrary(modules=("{{shared}}: &x",)),
    )


def test_hostile_names_cannot_break_yaml_or_the_entrypoint(generate, compose_schema) -> None:
    plan = hostile_plan()
    result, out = generate(plan)
    assert yaml_problems(out) == []
    (compose,) = load_documents(out / "docker-compose.yml")
    jsonschema.validate(compose, compose_schema)
    assert len(compose["services"]) == len(HOSTILE_NAMES)
    assert all(is_dns_label(name) for name in compose["services"])
    originals = set()
    version = str(latest_version())
    for path in sorted((out / "k8s/base").glob("*.yaml")):
        for document in load_documents(path):
            if document["kind"] == "Kustomization":
                assert sorted(document["resources"]) == sorted(
                    p.name for p in (out / "k8s/base").glob("*.yaml") if p != path
                )
                continue
            kubernetes_validate.validate(document, version, strict=True)
            annotations = document["metadata"].get("annotations", {})
            originals.add(annotations.get("monocut/service"))
    assert set(HOSTILE_NAMES) <= originals  # names survive as data, exactly
    for directory in sorted((out / "services").iterdir()):
        source = (directory / "service_main.py").read_text()
        constants = {
            node.targets[0].id: ast.literal_eval(node.value)
            for node in ast.parse(source).body
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
        }
        assert constants["SERVICE"] in HOSTILE_NAMES
        assert set(constants["API"]) == set(HOSTILE_MODULES)
        assert constants["SHARED_MODULES"] == ["{{shared}}: &x"]
        readme = (directory / "README.md").read_text()
        assert "\n# heading" not in readme and "`{{ 7*7 }}`" in readme
        requirements = (directory / "requirements.txt").read_text()
        assert "--index-url" not in requirements and "safe-package\n" in requirements
    assert any("--index-url" in w for w in result.warnings)
    assert yaml.safe_load((out / "docker-compose.yml").read_text()) == compose


def test_plan_without_services_still_gives_valid_artifacts(generate, compose_schema) -> None:
    empty = DecompositionPlan(source=SourceInfo(root="shop-app"), services=())
    result, out = generate(empty)
    (compose,) = load_documents(out / "docker-compose.yml")
    jsonschema.validate(compose, compose_schema)
    assert compose == {"services": {}}
    (kustomization,) = load_documents(out / "k8s/base/kustomization.yaml")
    assert kustomization["resources"] == ["default-deny.yaml", "namespace.yaml"]
    assert yaml_problems(out) == []
    assert not result.missing_modules and not result.dropped_edges


def test_generators_do_not_import_libcst() -> None:
    code = (
        "import sys, generators.writer, generators.docker, generators.compose, "
        "generators.kubernetes; assert 'libcst' not in sys.modules, 'libcst imported'"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


def test_a_second_run_lists_what_it_overwrote_and_deletes_nothing(
    project: Path, plan: DecompositionPlan
) -> None:
    out = project / "out"
    result = write_artifacts(plan, project, out)
    assert result.overwritten == ()
    assert write_artifacts(plan, project, out).overwritten == ()  # same content: not "over"
    compose = out / "docker-compose.yml"
    compose.write_text("# edited by hand\n")
    mine = out / "ecs" / "notes.json"
    mine.write_text("{}\n")
    again = write_artifacts(plan, project, out)
    assert again.overwritten == (compose,)
    assert mine.read_text() == "{}\n"  # not written by monocut: never deleted
    assert any("ecs/notes.json" in warning for warning in again.warnings)
