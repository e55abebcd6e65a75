"""Put the generated artifacts on disk: the only module of `generators` that writes files.

Layout under OUT (per target):

- docker:  services/<ident>/{Dockerfile, .dockerignore, requirements.txt, service_main.py,
           README.md, src/...}, each a self-contained build context;
- compose: docker-compose.yml;
- k8s:     k8s/{README.md, base/..., overlays/{dev,prod}/kustomization.yaml} (Kustomize);
- ecs:     ecs/<ident>.{task-definition,service,autoscaling}.json (Amazon ECS API requests).

Output is deterministic: the same plan and sources give byte-identical files. A run never
deletes anything: files of an earlier plan that this run did not write are reported as stale,
and the files it replaced with different content are listed as overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from analyzer.plan import DecompositionPlan

from . import docker
from .compose import compose_text
from .ecs import ecs_files
from .kubernetes import default_namespace, kubernetes_files
from .rendering import template_environment
from .sources import MissingModule, service_sources, source_root
from .topology import project_name, topology

TARGETS = ("docker", "compose", "k8s", "ecs")
COMPOSE_FILE = "docker-compose.yml"
K8S_DIR = "k8s"
ECS_DIR = "ecs"
SERVICES_DIR = "services"


@dataclass(frozen=True)
class ArtifactResult:
    """What a run wrote (sorted paths) and what it could not do as asked."""

    written: tuple[Path, ...]
    missing_modules: tuple[MissingModule, ...]
    dropped_edges: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]
    #: files that existed with other content and were replaced (sorted)
    overwritten: tuple[Path, ...] = field(default=())


def parse_targets(targets: Collection[str]) -> tuple[str, ...]:
    """Validate target names (a comma-separated string is accepted too), in canonical order."""
    items = [targets] if isinstance(targets, str) else list(targets)
    names = {part.strip() for item in items for part in str(item).split(",") if part.strip()}
    unknown = sorted(names - set(TARGETS))
    if unknown:
        raise ValueError(
            f"unknown target{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(u) for u in unknown)}; valid targets: {', '.join(TARGETS)}"
        )
    if not names:
        raise ValueError(f"no target given; valid targets: {', '.join(TARGETS)}")
    return tuple(t for t in TARGETS if t in names)


@dataclass
class _Written:
    """The files a run wrote, and which of them replaced different content."""

    paths: list[Path] = field(default_factory=list)
    overwritten: list[Path] = field(default_factory=list)


def _write(path: Path, data: bytes, written: _Written) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink():
        path.unlink()
    elif path.is_file():
        try:
            changed = path.read_bytes() != data
        except OSError:
            changed = True
        if changed:
            written.overwritten.append(path)
    path.write_bytes(data)
    written.paths.append(path)


def _text(text: str) -> bytes:
    return text.encode("utf-8")


def _write_service(
    plan: DecompositionPlan,
    plan_dir: Path,
    out: Path,
    templates: jinja2.Environment,
    index: int,
    written: _Written,
    warnings: list[str],
) -> tuple[str, list[MissingModule]]:
    service = plan.services[index]
    node = topology(plan).node_for(service)
    directory = out / SERVICES_DIR / node.ident
    selection = service_sources(plan, plan_dir, service)
    missing = list(selection.missing)
    (directory / "src").mkdir(parents=True, exist_ok=True)
    for destination, source in selection.files:
        try:
            data = source.read_bytes()
        except OSError as error:
            missing.append(
                MissingModule(destination, service.name, f"cannot read {source}: {error}")
            )
            continue
        _write(directory / "src" / destination, data, written)
    missing_names = [m.module for m in missing]
    files = {
        "Dockerfile": docker.dockerfile(plan, service, templates),
        ".dockerignore": docker.dockerignore(plan, service),
        "requirements.txt": docker.service_requirements(plan, service),
        "service_main.py": docker.service_main(plan, service, templates),
        "README.md": docker.service_readme(plan, service, templates, missing_names),
    }
    for name, text in files.items():
        _write(directory / name, _text(text), written)
    for requirement in docker.rejected_requirements(plan, service):
        warnings.append(
            f"service {service.name!r}: requirement {requirement!r} left out of "
            "requirements.txt (pip options and control characters are not allowed)"
        )
    return node.ident, missing


def _stale(directory: Path, expected: set[str], pattern: str, label: str) -> list[str]:
    if not directory.is_dir():
        return []
    return [
        f"{label}/{path.name} was not written by this run (left from an earlier plan?)"
        for path in sorted(directory.glob(pattern))
        if path.name not in expected
    ]


def write_artifacts(
    plan: DecompositionPlan,
    plan_dir: Path,
    out: Path,
    targets: Collection[str] = TARGETS,
    templates_dir: Path | None = None,
    namespace: str | None = None,
) -> ArtifactResult:
    """Write the chosen targets' artifacts under `out`.

    `plan_dir` is the plan file's directory (the plan's source root is relative to it);
    `templates_dir` overrides package templates by file name; `namespace` overrides the
    Kubernetes namespace (default: the project's name). Raise ValueError for an unknown target,
    a missing templates directory, a reserved namespace or a plan no artifact can express.
    """
    chosen = parse_targets(targets)
    plan_dir, out = Path(plan_dir), Path(out)
    templates = template_environment(templates_dir)
    graph = topology(plan)
    if "docker" in chosen:
        docker.base_image(plan)  # fail before writing anything
    root_name = source_root(plan, plan_dir).resolve().name
    written = _Written()
    warnings: list[str] = list(graph.warnings)
    missing: set[MissingModule] = set()

    if "k8s" in chosen:  # validate the namespace before writing anything
        k8s_files = kubernetes_files(
            plan,
            namespace or default_namespace(plan, root_name),
            part_of=project_name(plan, root_name),
        )
    if "docker" in chosen:
        if not source_root(plan, plan_dir).is_dir():
            warnings.append(f"source root {str(source_root(plan, plan_dir))!r} does not exist")
        idents = set()
        for index in range(len(plan.services)):
            ident, service_missing = _write_service(
                plan, plan_dir, out, templates, index, written, warnings
            )
            idents.add(ident)
            missing.update(service_missing)
        warnings += _stale(out / SERVICES_DIR, idents, "*", SERVICES_DIR)
    if "ecs" in chosen:  # validate names before writing anything
        ecs_documents = ecs_files(plan, project=project_name(plan, root_name))
    if "compose" in chosen:
        _write(out / COMPOSE_FILE, _text(compose_text(plan)), written)
        if "docker" not in chosen and plan.services:
            warnings.append(
                f"{COMPOSE_FILE} builds from {SERVICES_DIR}/<service>/: "
                "generate the docker target too"
            )
    if "k8s" in chosen:
        k8s_dirs: dict[str, set[str]] = {"": set()}  # "": files of an older, flat layout
        for name, text in k8s_files.items():
            _write(out / K8S_DIR / name, _text(text), written)
            directory, _, file_name = name.rpartition("/")
            k8s_dirs.setdefault(directory, set()).add(file_name)
        for directory, names in sorted(k8s_dirs.items()):
            label = f"{K8S_DIR}/{directory}" if directory else K8S_DIR
            warnings += _stale(out / K8S_DIR / directory, names, "*.yaml", label)

    if "ecs" in chosen:
        for name, document in ecs_documents.items():
            text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            _write(out / ECS_DIR / name, _text(text), written)
        warnings += _stale(out / ECS_DIR, set(ecs_documents), "*.json", ECS_DIR)

    return ArtifactResult(
        written=tuple(sorted(written.paths)),
        missing_modules=tuple(sorted(missing, key=lambda m: (m.owner, m.module, m.reason))),
        dropped_edges=graph.dropped_edges,
        warnings=tuple(dict.fromkeys(warnings)),
        overwritten=tuple(sorted(set(written.overwritten))),
    )
