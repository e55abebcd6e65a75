"""Find the source files a service's image needs, from the plan alone (nothing is imported).

The source root is `plan_dir / plan.source.root`. Module `a.b` is looked for, in each of
`plan.source.package_roots` in turn, as `<pkgroot>/a/b.py`, then `<pkgroot>/a/b/__init__.py`.
Every package `__init__.py` on the way (`<pkgroot>/a/__init__.py`) comes along, so the copied
tree imports as the original did; a directory without one is a namespace package and needs none.
A module that cannot be found is reported, not raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analyzer.plan import DecompositionPlan, Service

SHARED_OWNER = "shared"


@dataclass(frozen=True)
class MissingModule:
    """A module the plan places whose source file was not found; `owner` is a service or shared."""

    module: str
    owner: str
    reason: str


@dataclass(frozen=True)
class SourceSelection:
    """`files` pairs a destination (POSIX, relative to the image's src/) with its source file."""

    files: tuple[tuple[str, Path], ...]
    missing: tuple[MissingModule, ...]


def source_root(plan: DecompositionPlan, plan_dir: Path) -> Path:
    return Path(plan_dir) / plan.source.root


def is_module_name(module: str) -> bool:
    """True for a dotted name of Python identifiers (so it cannot name a path outside a root)."""
    return bool(module) and all(part.isidentifier() for part in module.split("."))


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def package_bases(plan: DecompositionPlan, plan_dir: Path) -> tuple[Path, ...]:
    """The package root directories that exist and lie inside the source root."""
    root = source_root(plan, plan_dir)
    bases: list[Path] = []
    for package_root in plan.source.package_roots:
        base = root / package_root
        if base.is_dir() and _inside(base, root) and base not in bases:
            bases.append(base)
    return tuple(bases)


def locate_module(bases: tuple[Path, ...], module: str) -> list[tuple[str, Path]] | str:
    """The files for `module` (its own file, then its packages' `__init__.py`), or why not."""
    if not is_module_name(module):
        return "not a valid dotted module name"
    parts = module.split(".")
    for base in bases:
        candidates = (
            PurePosixPath(*parts[:-1], parts[-1] + ".py"),
            PurePosixPath(*parts, "__init__.py"),
        )
        for relative in candidates:
            path = base.joinpath(*relative.parts)
            if path.is_file():
                found = [(str(relative), path)]
                for depth in range(1, len(parts)):
                    init = PurePosixPath(*parts[:depth], "__init__.py")
                    init_path = base.joinpath(*init.parts)
                    if init_path.is_file():
                        found.append((str(init), init_path))
                return found
    return "no source file found"


def service_sources(plan: DecompositionPlan, plan_dir: Path, service: Service) -> SourceSelection:
    """The service's modules and the shared library's, with their packages' `__init__.py`."""
    bases = package_bases(plan, plan_dir)
    files: dict[str, Path] = {}
    missing: list[MissingModule] = []
    owned = [(module, service.name) for module in service.modules]
    owned += [(module, SHARED_OWNER) for module in plan.shared.modules]
    for module, owner in sorted(set(owned)):
        found = locate_module(bases, module)
        if isinstance(found, str):
            if is_module_name(module):
                where = ", ".join(map(str, bases)) or f"{source_root(plan, plan_dir)} (missing)"
                found = f"{found} under {where}"
            missing.append(MissingModule(module, owner, found))
            continue
        for destination, path in found:
            files.setdefault(destination, path)
    return SourceSelection(tuple(sorted(files.items())), tuple(missing))
