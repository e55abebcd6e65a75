"""Small plans and source trees for the generator tests, and the validators they run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from analyzer.plan import DecompositionPlan, Service, SharedLibrary, SourceInfo
from generators.writer import ArtifactResult, write_artifacts
from tests import validators

# module -> file under the package root "src" of the project "shop-app"
SOURCE_FILES = {
    "shop/__init__.py": "",
    "shop/orders/__init__.py": "from .models import Order\n",
    "shop/orders/models.py": "class Order:\n    pass\n",
    "shop/billing.py": "def charge(order):\n    return 1\n",
    # shop/catalog has no __init__.py: a namespace package
    "shop/catalog/search.py": "def find(text):\n    return []\n",
    "shop/common.py": "VERSION = 1\n",
    "shop/unrelated.py": "NOT_COPIED = True\n",
}


def write_tree(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def sample_plan(root: str = "shop-app") -> DecompositionPlan:
    """Three services: orders -> billing, orders -> catalog, and billing -> orders (a cycle)."""
    return DecompositionPlan(
        source=SourceInfo(root=root, package_roots=("src",), python_version="3.12"),
        services=(
            Service(
                name="orders",
                modules=("shop.orders", "shop.orders.models"),
                port=8001,
                api=("shop.orders.models.Order",),
                depends_on=("billing", "catalog"),
                requirements=("requests>=2.31", "attrs"),
            ),
            Service(
                name="billing",
                modules=("shop.billing",),
                port=8002,
                api=("shop.billing.charge",),
                depends_on=("orders",),
                requirements=("stripe==7.0.0",),
            ),
            Service(
                name="catalog",
                modules=("shop.catalog.search", "shop.catalog.missing"),
                port=8003,
                api=("shop.catalog.search.find",),
            ),
        ),
        shared=SharedLibrary(modules=("shop.common",), requirements=("PyYAML>=6", "attrs")),
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The plan's directory: holds `shop-app/src/shop/...`."""
    write_tree(tmp_path / "shop-app" / "src", SOURCE_FILES)
    return tmp_path


@pytest.fixture
def plan() -> DecompositionPlan:
    return sample_plan()


@pytest.fixture
def generate(project: Path) -> Callable[..., tuple[ArtifactResult, Path]]:
    """Write a plan's artifacts into a fresh directory; return the result and the directory."""
    counter = iter(range(1000))

    def run(plan: DecompositionPlan, **options: Any) -> tuple[ArtifactResult, Path]:
        out = project / f"out{next(counter)}"
        return write_artifacts(plan, project, out, **options), out

    return run


@pytest.fixture
def artifacts(generate, plan) -> tuple[ArtifactResult, Path]:
    return generate(plan)


@pytest.fixture(scope="session")
def compose_schema() -> dict[str, Any]:
    return validators.compose_schema()


def tree(directory: Path) -> dict[str, bytes]:
    """Every file under `directory` by relative POSIX path."""
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }
