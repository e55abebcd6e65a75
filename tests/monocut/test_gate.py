"""`monocut check`, the CI gate, end to end through `monocut.cli.main` on a small tree."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from analyzer.plan import read_plan
from monocut import cli, gate
from tests.trees import write_tree

Project = tuple[Path, Path, Path]

TREE = {
    "shop/__init__.py": "",
    "shop/orders/__init__.py": "",
    "shop/orders/models.py": "class Order:\n    pass\n\n\nclass Line:\n    pass\n",
    "shop/orders/service.py": (
        "from shop.orders.models import Line, Order\n\n\ndef place():\n    return Order(), Line()\n"
    ),
    "shop/orders/views.py": (
        "from shop.orders.service import place\n\n\ndef view():\n    return place()\n"
    ),
    "shop/billing/__init__.py": "",
    "shop/billing/invoice.py": "class Invoice:\n    pass\n",
    "shop/billing/service.py": (
        "from shop.billing.invoice import Invoice\n\n\ndef bill():\n    return Invoice()\n"
    ),
    "shop/billing/views.py": (
        "from shop.billing.service import bill\n\n\ndef view():\n    return bill()\n"
    ),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """(tree, plan file, baseline path); `main` then runs an app that has the check command."""
    code = write_tree(tmp_path / "code", TREE)
    plan_file = tmp_path / "plan.yaml"
    args = ["plan", str(code), "-o", str(plan_file), "--services", "2", "--no-cochange"]
    assert cli.main([*args, "--no-cache", "--quiet"]) == 0
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.callback()(lambda: None)
    app.command("check")(gate.check_command)
    monkeypatch.setattr(cli, "app", app)
    return code, plan_file, tmp_path / "gate" / "baseline.json"


def check(
    project: Project, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    code, plan_file, baseline = project
    args = ["check", str(code), "--plan", str(plan_file), "--baseline", str(baseline)]
    result = cli.main([*args, "--no-cache", *extra])
    captured = capsys.readouterr()
    return result, captured.out, captured.err


def cross_import(plan_file: Path) -> tuple[str, str]:
    """A module of one service and a module of another that it does not import yet."""
    plan = read_plan(plan_file)
    assert len(plan.services) == 2
    first, second = plan.services
    source = next(m for m in first.modules if m.endswith(".views"))
    target = next(m for m in second.modules if m.endswith(".service"))
    return source, target


def test_update_then_unchanged_passes(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(project, capsys, "--update-baseline")
    assert (code, err) == (0, "")
    assert project[2].is_file()
    assert "wrote" in out
    first = project[2].read_bytes()
    code, out, err = check(project, capsys)
    assert (code, err) == (0, "")
    assert "check passed" in out
    assert check(project, capsys, "--update-baseline")[0] == 0
    assert project[2].read_bytes() == first


def test_new_cross_service_import_fails_with_the_diff(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    tree, plan_file, _ = project
    assert check(project, capsys, "--update-baseline")[0] == 0
    source, target = cross_import(plan_file)
    path = tree / (source.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\nimport {target}\n")
    code, out, err = check(project, capsys)
    assert code == 1, out + err
    line = f"new cross-service dependency: {source} -> {target} (import)"
    assert line in out
    assert "check failed" in out
    # warn mode reports the same and passes; --quiet still says why the gate failed
    code, out, _ = check(project, capsys, "--mode", "warn")
    assert code == 0 and line in out
    code, out, _ = check(project, capsys, "--quiet")
    assert code == 1 and line in out
    # removing it again passes; the accepted baseline then reports nothing stale
    path.write_text(path.read_text().replace(f"\nimport {target}\n", ""))
    code, out, _ = check(project, capsys)
    assert code == 0 and "no longer present" not in out


def test_stale_entries_are_reported(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    tree, plan_file, _ = project
    source, target = cross_import(plan_file)
    path = tree / (source.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\nimport {target}\n")
    assert check(project, capsys, "--update-baseline")[0] == 0
    path.write_text(path.read_text().replace(f"\nimport {target}\n", ""))
    code, out, _ = check(project, capsys)
    assert code == 0
    assert f"no longer present: {source} -> {target} (import)" in out
    assert "--update-baseline" in out


def test_missing_baseline_is_a_usage_error(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = check(project, capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "does not exist" in err and "--update-baseline" in err


@pytest.mark.parametrize(
    "content", ["{oops", '{"schema_version": 7}', "[1, 2]", b"\xff\xfe\x00garbage"]
)
def test_corrupt_baseline_exits_2_with_one_line(
    project: Project, capsys: pytest.CaptureFixture[str], content: str | bytes
) -> None:
    baseline = project[2]
    baseline.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        baseline.write_bytes(content)
    else:
        baseline.write_text(content)
    code, out, err = check(project, capsys)
    assert code == 2
    assert err.startswith("monocut: error: ")
    assert len(err.strip().splitlines()) == 1
    assert str(baseline) in err
    assert "Traceback" not in out + err


def test_bad_mode_and_missing_plan_exit_2(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(project, capsys, "--update-baseline")[0] == 0
    assert check(project, capsys, "--mode", "loud")[0] == 2
    assert check(project, capsys, "--icp-threshold", "-1")[0] == 2
    code, plan_file, baseline = project
    plan_file.unlink()
    assert check(project, capsys)[0] == 2


def test_mode_and_threshold_come_from_pyproject_and_flags_override_them(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    tree, plan_file, _ = project
    assert check(project, capsys, "--update-baseline")[0] == 0
    (tree / "pyproject.toml").write_text("[tool.monocut.check]\nmode = 'warn'\n")
    source, target = cross_import(plan_file)
    path = tree / (source.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\nimport {target}\n")
    code, out, _ = check(project, capsys)
    assert code == 0 and "warn mode" in out  # the project's setting
    assert check(project, capsys, "--mode", "fail")[0] == 1  # the flag wins


def test_bad_check_settings_are_all_reported(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = project[0]
    (tree / "pyproject.toml").write_text(
        "[tool.monocut.check]\nmode = 'loud'\nicp_threshold = -1\ncolour = 'red'\n"
    )
    code, _, err = check(project, capsys, "--update-baseline")
    assert code == 2
    for part in ("'mode'", "'icp_threshold'", "'colour'"):
        assert part in err


def test_markdown_says_what_changed_and_nothing_else(
    project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tree, plan_file, _ = project
    summary = tmp_path / "summary.md"
    assert check(project, capsys, "--update-baseline", "--markdown", str(summary))[0] == 0
    assert summary.read_text().startswith("## monocut baseline written")
    assert check(project, capsys, "--markdown", str(summary))[0] == 0
    text = summary.read_text()
    assert text.startswith("## monocut architecture check passed")
    assert "Nothing new crosses a service boundary." in text
    assert "New cross-service dependencies" not in text

    source, target = cross_import(plan_file)
    path = tree / (source.replace(".", "/") + ".py")
    lines_before = len(path.read_text().splitlines())
    path.write_text(path.read_text() + f"\nimport {target}\n")
    assert check(project, capsys, "--markdown", str(summary))[0] == 1
    text = summary.read_text()
    plan = {m: s.name for s in read_plan(plan_file).services for m in s.modules}
    assert text.startswith("## monocut architecture check failed")
    assert "### New cross-service dependencies (1)" in text
    relpath = source.replace(".", "/") + ".py"
    row = (
        f"| `{source}` ({plan[source]}) | `{target}` ({plan[target]}) | import | "
        f"`{relpath}:{lines_before + 2}` |"
    )
    assert row in text
    assert "| service cycles | 0 | 0 | +0 |" in text

    # the dependency gone again: passes, and nothing is listed as stale (it was never accepted)
    path.write_text(path.read_text().replace(f"\nimport {target}\n", ""))
    assert check(project, capsys, "--markdown", str(summary))[0] == 0
    assert "no longer present" not in summary.read_text()
