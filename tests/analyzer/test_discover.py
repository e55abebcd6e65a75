"""discover: layouts, module names, excludes, symlinks and unreadable directories."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from analyzer.discover import DEFAULT_EXCLUDES, Discovery, DiscoveryError, discover


def write(root: Path, *relpaths: str) -> Path:
    for relpath in relpaths:
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")
    return root


def modules(found: Discovery) -> list[str]:
    return [source.module for source in found.files]


def relpaths(found: Discovery) -> list[str]:
    return [source.relpath for source in found.files]


def test_flat_layout_with_packages_and_loose_scripts(tmp_path: Path) -> None:
    write(tmp_path, "manage.py", "shop/__init__.py", "shop/models.py", "shop/api/__init__.py",
          "shop/api/views.py", "billing/__init__.py", "billing/core.py")  # fmt: skip
    found = discover(tmp_path)
    assert found.root == tmp_path
    assert found.package_roots == (".",)
    assert modules(found) == [
        "billing", "billing.core", "manage", "shop", "shop.api", "shop.api.views", "shop.models",
    ]  # fmt: skip
    by_module = {s.module: s for s in found.files}
    assert by_module["shop.api"].is_package and by_module["shop.api"].relpath == (
        "shop/api/__init__.py"
    )
    assert not by_module["shop.models"].is_package
    assert by_module["shop.models"].path == tmp_path / "shop/models.py"
    assert found.problems == ()


def test_src_layout_skips_tooling_beside_src(tmp_path: Path) -> None:
    write(tmp_path, "setup.py", "noxfile.py", "docs/conf.py", "src/shop/__init__.py",
          "src/shop/models.py", "src/other/x.py")  # fmt: skip
    found = discover(tmp_path)
    assert found.package_roots == ("src",)
    assert modules(found) == ["other.x", "shop", "shop.models"]
    assert relpaths(found) == ["src/other/x.py", "src/shop/__init__.py", "src/shop/models.py"]


def test_src_layout_beside_regular_packages(tmp_path: Path) -> None:
    write(tmp_path, "setup.py", "legacy/__init__.py", "legacy/old.py", "src/shop/__init__.py",
          "build/__init__.py", "docs/conf.py")  # fmt: skip
    found = discover(tmp_path)
    assert found.package_roots == (".", "src")
    assert modules(found) == ["build", "legacy", "legacy.old", "shop"]


def test_src_layout_with_tests_included(tmp_path: Path) -> None:
    write(tmp_path, "setup.py", "tests/test_shop.py", "src/shop/__init__.py")
    assert discover(tmp_path).package_roots == ("src",)
    found = discover(tmp_path, include_tests=True)
    assert found.package_roots == (".", "src")
    assert modules(found) == ["shop", "tests.test_shop"]


def test_src_that_is_a_package_is_a_flat_layout(tmp_path: Path) -> None:
    write(tmp_path, "src/__init__.py", "src/app.py", "main.py")
    found = discover(tmp_path)
    assert found.package_roots == (".",)
    assert modules(found) == ["main", "src", "src.app"]


def test_namespace_packages_are_part_of_names(tmp_path: Path) -> None:
    write(tmp_path, "company/billing/core.py", "company/shop/__init__.py",
          "company/shop/orders/models.py")  # fmt: skip
    assert modules(discover(tmp_path)) == [
        "company.billing.core", "company.shop", "company.shop.orders.models",
    ]  # fmt: skip


def test_root_inside_a_package_names_from_the_first_non_package_ancestor(tmp_path: Path) -> None:
    write(tmp_path, "proj/shop/__init__.py", "proj/shop/api/__init__.py", "proj/shop/api/views.py",
          "proj/shop/models.py")  # fmt: skip
    found = discover(tmp_path / "proj/shop/api")
    assert found.root == tmp_path / "proj"
    assert found.package_roots == (".",)
    assert modules(found) == ["shop.api", "shop.api.views"]
    assert relpaths(found) == ["shop/api/__init__.py", "shop/api/views.py"]
    for source in found.files:
        assert found.root / source.relpath == source.path


def test_names_with_invalid_identifiers_are_kept_as_is(tmp_path: Path) -> None:
    write(tmp_path, "my-scripts/run.py", "pkg/__init__.py", "pkg/gunicorn.conf.py", "pkg/2fa.py")
    assert modules(discover(tmp_path)) == [
        "my-scripts.run", "pkg", "pkg.2fa", "pkg.gunicorn.conf",
    ]  # fmt: skip


def test_only_py_files(tmp_path: Path) -> None:
    write(tmp_path, "a.py", "b.pyi", "c.pyw", "d.pyc", "e.txt", "f.PY", "pkg/README.md")
    assert modules(discover(tmp_path)) == ["a"]


def _excluded_tree(root: Path) -> Path:
    write(
        root,
        "app/__init__.py",
        "app/.hidden.py",
        "app/migrations/__init__.py",
        "app/migrations/0001_initial.py",
        "app/__pycache__/x.py",
        "app/tests/__init__.py",
        "app/tests/test_views.py",
        "app/views_test.py",
        "app/test_views.py",
        "app/conftest.py",
        "test/helpers.py",
        ".git/hooks/x.py",
        ".tox/py311/x.py",
        "build/lib/app/x.py",
        "dist/x.py",
        "node_modules/pkg/x.py",
        "app.egg-info/x.py",
        "lib/site-packages/x.py",
        "lib/dist-packages/x.py",
        "myenv/pyvenv.cfg",
        "myenv/lib/python3.11/site-packages/y.py",
        "myenv/bin/activate_this.py",
        "env/lib/python3.11/x.py",
        "tools/build/__init__.py",
        "tools/build/steps.py",
    )
    return root


def test_default_excludes(tmp_path: Path) -> None:
    found = discover(_excluded_tree(tmp_path))
    assert modules(found) == ["app", "tools.build", "tools.build.steps"]
    assert "migrations" in DEFAULT_EXCLUDES


def test_include_tests(tmp_path: Path) -> None:
    found = discover(_excluded_tree(tmp_path), include_tests=True)
    assert modules(found) == [
        "app", "app.conftest", "app.test_views", "app.tests", "app.tests.test_views",
        "app.views_test", "test.helpers", "tools.build", "tools.build.steps",
    ]  # fmt: skip


def test_without_default_excludes_only_tests_stay_out(tmp_path: Path) -> None:
    found = discover(_excluded_tree(tmp_path), use_default_excludes=False)
    found_modules = set(modules(found))
    assert {"app.migrations.0001_initial", "dist.x", "myenv.bin.activate_this", ".git.hooks.x",
            "app..hidden", "env.lib.python3.11.x"} <= found_modules  # fmt: skip
    assert not any("test" in module for module in found_modules)


def test_env_directory_that_is_not_a_virtualenv_is_kept(tmp_path: Path) -> None:
    write(tmp_path, "env/__init__.py", "env/settings.py", "venv_tools/x.py")
    assert modules(discover(tmp_path)) == ["env", "env.settings", "venv_tools.x"]


@pytest.mark.parametrize(
    ("excludes", "expected"),
    [
        ((), ["core", "core.gen_a", "core.util", "legacy.old", "shop.legacy.x"]),
        (("legacy",), ["core", "core.gen_a", "core.util"]),
        (("legacy/",), ["core", "core.gen_a", "core.util"]),
        (("core/gen_*.py",), ["core", "core.util", "legacy.old", "shop.legacy.x"]),
        (("gen_*",), ["core", "core.util", "legacy.old", "shop.legacy.x"]),
        (("shop/*",), ["core", "core.gen_a", "core.util", "legacy.old"]),
        (("*/legacy/*",), ["core", "core.gen_a", "core.util", "legacy.old"]),
        (("core", "legacy"), []),
    ],
)
def test_custom_excludes(tmp_path: Path, excludes: tuple[str, ...], expected: list[str]) -> None:
    write(tmp_path, "core/__init__.py", "core/util.py", "core/gen_a.py", "legacy/old.py",
          "shop/legacy/x.py")  # fmt: skip
    assert modules(discover(tmp_path, excludes=excludes)) == expected


def test_custom_excludes_match_paths_from_the_package_root_too(tmp_path: Path) -> None:
    write(tmp_path, "shop/__init__.py", "shop/a.py", "shop/b.py")
    found = discover(tmp_path / "shop", excludes=("shop/a.py",))
    assert modules(found) == ["shop", "shop.b"]
    found = discover(tmp_path / "shop", excludes=("b.py",))
    assert modules(found) == ["shop", "shop.a"]


def test_missing_root_is_a_discovery_error(tmp_path: Path) -> None:
    with pytest.raises(DiscoveryError, match="no such directory"):
        discover(tmp_path / "nope")


def test_file_root_is_a_discovery_error(tmp_path: Path) -> None:
    write(tmp_path, "a.py")
    with pytest.raises(ValueError, match="not a directory"):
        discover(tmp_path / "a.py")


def test_empty_root(tmp_path: Path) -> None:
    found = discover(tmp_path)
    assert (found.files, found.problems) == ((), ())


def test_discovery_is_frozen_and_deterministic(tmp_path: Path) -> None:
    write(tmp_path, *(f"p{i % 7}/m{i}.py" for i in range(40)))
    first, second = discover(tmp_path), discover(tmp_path)
    assert first == second
    assert modules(first) == sorted(modules(first))
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.files = ()  # type: ignore[misc]


def test_symlink_loop_is_reported_and_walk_ends(tmp_path: Path) -> None:
    write(tmp_path, "pkg/__init__.py", "pkg/sub/mod.py")
    os.symlink(tmp_path / "pkg", tmp_path / "pkg/sub/back")
    os.symlink(".", tmp_path / "pkg/self")
    found = discover(tmp_path)
    assert modules(found) == ["pkg", "pkg.sub.mod"]
    assert [(p.relpath, p.reason) for p in found.problems] == [
        ("pkg/self", "symlink loop"),
        ("pkg/sub/back", "symlink loop"),
    ]


def test_symlinks_inside_the_tree_are_not_walked_twice(tmp_path: Path) -> None:
    write(tmp_path, "real/__init__.py", "real/a.py")
    os.symlink(tmp_path / "real", tmp_path / "alias")
    found = discover(tmp_path)
    assert modules(found) == ["real", "real.a"]
    assert found.problems == ()


def test_symlinks_to_outside_directories_are_followed_once(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside", "lib/__init__.py", "lib/x.py") / "lib"
    root = write(tmp_path / "root", "app.py")
    os.symlink(outside, root / "vendored")
    os.symlink(outside, root / "zz_again")
    found = discover(root)
    assert modules(found) == ["app", "vendored", "vendored.x"]
    assert [(p.relpath, p.reason) for p in found.problems] == [
        ("zz_again", "symlink to a directory already analyzed as vendored")
    ]


def test_broken_and_file_symlinks(tmp_path: Path) -> None:
    write(tmp_path, "a.py")
    os.symlink(tmp_path / "missing.py", tmp_path / "broken.py")
    os.symlink(tmp_path / "a.py", tmp_path / "b.py")
    found = discover(tmp_path)
    assert modules(found) == ["a", "b"]
    assert [(p.relpath, p.reason) for p in found.problems] == [("broken.py", "broken symlink")]


def test_unreadable_directory_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "ok/a.py", "locked/b.py")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover(tmp_path)
    assert modules(found) == ["ok.a"]
    assert [(p.relpath, p.reason) for p in found.problems] == [
        ("locked", "unreadable directory: Permission denied")
    ]
