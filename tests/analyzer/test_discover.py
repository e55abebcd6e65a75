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


def problems(found: Discovery) -> list[tuple[str, str]]:
    return [(p.relpath, p.reason) for p in found.problems]


def _not_identifier(name: str) -> str:
    return f"not importable: {name!r} is not a valid Python identifier"


@pytest.mark.parametrize(
    ("relpath", "reported", "reason"),
    [
        ("app/my-file.py", "app/my-file.py", _not_identifier("my-file")),
        ("app/1abc.py", "app/1abc.py", _not_identifier("1abc")),
        ("app/has space.py", "app/has space.py", _not_identifier("has space")),
        ("app/gunicorn.conf.py", "app/gunicorn.conf.py", _not_identifier("gunicorn.conf")),
        ("app/\ufb01le.py", "app/\ufb01le.py", _not_identifier("\ufb01le")),  # NFKC: "file"
        ("app/class.py", "app/class.py", "not importable: 'class' is a Python keyword"),
        ("app/None.py", "app/None.py", "not importable: 'None' is a Python keyword"),
        ("my-scripts/run.py", "my-scripts", _not_identifier("my-scripts")),
        ("dotted.dir/m.py", "dotted.dir", _not_identifier("dotted.dir")),
        ("app/2fa/__init__.py", "app/2fa", _not_identifier("2fa")),
        ("app/import/deep/m.py", "app/import", "not importable: 'import' is a Python keyword"),
    ],
)
def test_names_that_cannot_be_imported_are_reported_and_skipped(
    tmp_path: Path, relpath: str, reported: str, reason: str
) -> None:
    write(tmp_path, "app/__init__.py", "app/ok.py", relpath)
    found = discover(tmp_path)
    assert modules(found) == ["app", "app.ok"]
    assert problems(found) == [(reported, reason)]


@pytest.mark.parametrize(
    "relpath",
    ["app/match.py", "app/type.py", "app/_.py", "app/__main__.py", "app/caf\u00e9.py",
     "app/Upper_9.py", "app/sub_pkg/m.py"],
)  # fmt: skip
def test_valid_names_including_soft_keywords_are_kept(tmp_path: Path, relpath: str) -> None:
    write(tmp_path, "app/__init__.py", relpath)
    found = discover(tmp_path)
    assert relpath in relpaths(found)
    assert found.problems == ()


def test_unimportable_directory_is_reported_once_and_only_with_python_inside(
    tmp_path: Path,
) -> None:
    write(tmp_path, "app/__init__.py", "my-scripts/a.py", "my-scripts/b.py",
          "my-scripts/x-y/c.py", "my-scripts/sub/d.py", "static-files/site.py.txt")  # fmt: skip
    (tmp_path / "static-files/style.css").write_text("")
    (tmp_path / "my-scripts/__pycache__").mkdir()
    found = discover(tmp_path)
    assert modules(found) == ["app"]
    assert problems(found) == [("my-scripts", _not_identifier("my-scripts"))]


def test_excluded_names_are_skipped_silently_whatever_they_look_like(tmp_path: Path) -> None:
    write(tmp_path, "app/__init__.py", "my-scripts/run.py", "app/my-gen.py", "app.egg-info/x.py")
    found = discover(tmp_path, excludes=("my-scripts", "my-*.py"))
    assert (modules(found), found.problems) == (["app"], ())


def test_unimportable_directory_is_not_walked_through_symlinks(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside", "lib/x.py") / "lib"
    root = write(tmp_path / "root", "app.py")
    os.symlink(outside, root / "my-lib")
    os.symlink(outside, root / "vendored")
    found = discover(root)
    assert modules(found) == ["app", "vendored.x"]
    assert found.problems == ()


def test_root_inside_a_package_stops_walking_up_at_an_unimportable_directory(
    tmp_path: Path,
) -> None:
    write(tmp_path, "my-project/__init__.py", "my-project/shop/__init__.py",
          "my-project/shop/models.py")  # fmt: skip
    found = discover(tmp_path / "my-project/shop")
    assert found.root == tmp_path / "my-project"
    assert modules(found) == ["shop", "shop.models"]
    assert found.problems == ()


def test_src_layout_reports_an_unimportable_package_beside_src(tmp_path: Path) -> None:
    write(tmp_path, "src/shop/__init__.py", "my-pkg/__init__.py", "my-pkg/x.py")
    found = discover(tmp_path)
    assert modules(found) == ["shop"]
    assert problems(found) == [("my-pkg", _not_identifier("my-pkg"))]


def _make_bytes_name(path: bytes, content: bytes = b"x = 1\n") -> None:
    try:
        if path.endswith(b"/"):
            os.mkdir(path)
        else:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
            os.write(fd, content)
            os.close(fd)
    except (OSError, UnicodeError) as exc:  # macOS, Windows: names must be valid Unicode
        pytest.skip(f"this file system does not take non-UTF-8 names: {exc}")


@pytest.mark.parametrize(
    ("created", "reported"),
    [
        ([b"app/bad\xff.py"], "app/bad\\xff.py"),
        ([b"app/caf\xe9/", b"app/caf\xe9/m.py", b"app/caf\xe9/n\xff.py"], "app/caf\\xe9"),
        ([b"lat\xefn/", b"lat\xefn/sub/", b"lat\xefn/sub/m.py"], "lat\\xefn"),
    ],
)
def test_non_utf8_names_are_reported_escaped_and_skipped(
    tmp_path: Path, created: list[bytes], reported: str
) -> None:
    write(tmp_path, "app/__init__.py", "app/ok.py")
    for name in created:
        _make_bytes_name(os.fsencode(tmp_path) + b"/" + name)
    found = discover(tmp_path)
    assert modules(found) == ["app", "app.ok"]
    assert problems(found) == [(reported, "file name is not valid UTF-8")]
    for problem in found.problems:
        problem.relpath.encode("utf-8")  # printable, storable in YAML
    for source in found.files:
        source.relpath.encode("utf-8")
        source.module.encode("utf-8")


def test_non_utf8_file_that_is_excluded_is_skipped_silently(tmp_path: Path) -> None:
    write(tmp_path, "app/__init__.py")
    _make_bytes_name(os.fsencode(tmp_path) + b"/app/.bad\xff.py")
    found = discover(tmp_path)
    assert (modules(found), found.problems) == (["app"], ())


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
    assert {"app.migrations", "dist.x", "myenv.bin.activate_this",
            "node_modules.pkg.x"} <= found_modules  # fmt: skip
    assert not any("test" in module for module in found_modules)
    # Kept out of the exclusion, but their names cannot be imported: reported instead.
    assert problems(found) == [
        (".git", _not_identifier(".git")),
        (".tox", _not_identifier(".tox")),
        ("app.egg-info", _not_identifier("app.egg-info")),
        ("app/.hidden.py", _not_identifier(".hidden")),
        ("app/migrations/0001_initial.py", _not_identifier("0001_initial")),
        ("env/lib/python3.11", _not_identifier("python3.11")),
        ("lib/dist-packages", _not_identifier("dist-packages")),
        ("lib/site-packages", _not_identifier("site-packages")),
        ("myenv/lib/python3.11", _not_identifier("python3.11")),
    ]


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


@pytest.mark.parametrize(
    "pattern",
    [
        "shop/catalog", "./shop/catalog", "shop/catalog/", "./shop/catalog/", ".//shop//catalog",
        "shop/./catalog", " shop/catalog ", "{root}/shop/catalog", "{root}/shop/catalog/",
        "{root}/./shop/catalog", "catalog", "shop/cat*", "{root}/shop/cat*",
    ],
)  # fmt: skip
def test_exclude_patterns_are_normalized(tmp_path: Path, pattern: str) -> None:
    write(tmp_path, "shop/__init__.py", "shop/cart.py", "shop/catalog/__init__.py",
          "shop/catalog/items.py", "shop/catalog/deep/more.py")  # fmt: skip
    found = discover(tmp_path, excludes=(pattern.format(root=tmp_path),))
    assert modules(found) == ["shop", "shop.cart"]


@pytest.mark.parametrize("pattern", ["./shop/cart.py", "{root}/shop/cart.py", "shop//cart.py"])
def test_exclude_patterns_naming_files_are_normalized(tmp_path: Path, pattern: str) -> None:
    write(tmp_path, "shop/__init__.py", "shop/cart.py", "shop/orders.py")
    found = discover(tmp_path, excludes=(pattern.format(root=tmp_path),))
    assert modules(found) == ["shop", "shop.orders"]


@pytest.mark.parametrize("pattern", [".", "./", "/", "", "{root}", "{root}/", "{other}/shop"])
def test_exclude_patterns_naming_the_root_or_outside_exclude_nothing(
    tmp_path: Path, pattern: str
) -> None:
    root = write(tmp_path / "root", "shop/__init__.py", "shop/cart.py")
    found = discover(root, excludes=(pattern.format(root=root, other=tmp_path / "other"),))
    assert modules(found) == ["shop", "shop.cart"]


def test_absolute_exclude_through_a_symlinked_root(tmp_path: Path) -> None:
    real = write(tmp_path / "real", "shop/__init__.py", "shop/cart.py", "shop/catalog/x.py")
    os.symlink(real, tmp_path / "link")
    found = discover(tmp_path / "link", excludes=(str(real / "shop/catalog"),))
    assert modules(found) == ["shop", "shop.cart"]
    found = discover(real, excludes=(str(tmp_path / "link/shop/catalog/"),))
    assert modules(found) == ["shop", "shop.cart"]


def test_absolute_exclude_with_the_root_inside_a_package(tmp_path: Path) -> None:
    write(tmp_path, "shop/__init__.py", "shop/api/__init__.py", "shop/api/views.py",
          "shop/api/internal/x.py")  # fmt: skip
    found = discover(tmp_path / "shop/api", excludes=(f"{tmp_path}/shop/api/internal/",))
    assert modules(found) == ["shop.api", "shop.api.views"]
    found = discover(tmp_path / "shop/api", excludes=("./internal",))
    assert modules(found) == ["shop.api", "shop.api.views"]


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


def test_monocut_output_directories_are_never_analyzed(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app/__init__.py").write_text("")
    out = tmp_path / "report"
    (out / "services/app/src/app").mkdir(parents=True)
    (out / "services/app/src/app/__init__.py").write_text("")
    (out / "services/app/service_main.py").write_text("x = 1\n")
    (out / ".monocut-output").write_text("")
    assert [f.module for f in discover(tmp_path).files] == ["app"]
    assert [f.module for f in discover(tmp_path, use_default_excludes=False).files] == ["app"]


@pytest.mark.parametrize("levels", [1, 2])
def test_a_link_to_a_directory_above_the_root_is_a_loop(tmp_path: Path, levels: int) -> None:
    # Found by the property tests: such a link was followed, walking everything beside the
    # tree (all of /tmp, or the whole disk) before coming back to the root.
    root = tmp_path / "deep" / "root"
    (root / "app").mkdir(parents=True)
    (root / "app/mod.py").write_text("x = 1\n")
    (root / "app/up").symlink_to(Path(*[".."] * (levels + 1)), target_is_directory=True)
    (tmp_path / "deep/outside.py").write_text("x = 1\n")
    found = discover(root)
    assert found.modules == ("app.mod",)
    assert problems(found) == [("app/up", "symlink loop")]


def test_a_src_link_to_a_directory_above_the_root_is_a_loop(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "src").symlink_to("..", target_is_directory=True)
    (root / "setup.py").write_text("x = 1\n")
    found = discover(root)
    assert found.files == ()
    assert problems(found) == [("src", "symlink loop")]


def test_a_file_link_cycle_is_a_loop(tmp_path: Path) -> None:
    (tmp_path / "a.py").symlink_to("b.py")
    (tmp_path / "b.py").symlink_to("a.py")
    (tmp_path / "self.py").symlink_to("self.py")
    found = discover(tmp_path)
    assert problems(found) == [
        ("a.py", "symlink loop"),
        ("b.py", "symlink loop"),
        ("self.py", "symlink loop"),
    ]
