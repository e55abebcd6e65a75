"""The CLI of the domain features: `analyze --signals`, `--algorithm`/`--services`, weights and
constraints in pyproject.toml, the explaining report sections, and co-change from git history.

The tree is the django-oscar-like shop of tests/domain_trees.py, written into a temporary
directory (outside any git repository unless a test makes one).
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from analyzer.algorithms import ALGORITHMS
from analyzer.plan import read_plan
from analyzer.signals.combine import SIGNALS, CouplingWeights
from monocut.cli import main
from tests.domain_trees import oscar_like_shop
from tests.trees import write_tree

ALGORITHM_NAMES = sorted(ALGORITHMS)
MODELS = 15  # five apps of three models


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("cli_shop"), oscar_like_shop())


def shop_with_config(root: Path, config: str) -> Path:
    write_tree(root, oscar_like_shop())
    (root / "pyproject.toml").write_text(textwrap.dedent(config).lstrip(), encoding="utf-8")
    return root


def signals_json(path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> dict:
    code, out, err = run(
        ["analyze", str(path), "--signals", "-f", "json", "--no-cache", *flags], capsys
    )
    assert code == 0, err
    return json.loads(out)


# ---------------------------------------------------------------------------- analyze --signals


def test_analyze_signals_text_has_the_summary_and_the_pairs(shop: Path, capsys) -> None:
    code, out, err = run(["analyze", str(shop), "--signals", "--no-cache"], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert f"data: {MODELS} models, touched by" in out
    wiring = next(line for line in lines if line.startswith("wiring: "))
    assert "django.get_model" in wiring and "dynamic.class_loader" in wiring
    assert any(line.startswith("co-change: 0 commits used") for line in lines)
    pairs = next(line for line in lines if line.startswith("pairs per signal: "))
    assert all(f"{name} " in pairs for name in SIGNALS)
    assert any(line.startswith("weights: imports 1.0") for line in lines)
    assert any(line.startswith("strongest module pairs (40 of ") for line in lines)
    shown = [line for line in lines if line.startswith("  ") and " <-> " in line]
    assert len(shown) == 40
    assert "  shop.basket.urls <-> shop.basket.views: " in out


def test_analyze_signals_json_is_normalized(shop: Path, capsys) -> None:
    data = signals_json(shop, capsys)
    assert set(data) == {"weights", "summary", "pairs"}
    assert data["weights"] == CouplingWeights().as_dict()
    summary = data["summary"]
    assert summary["models"] == MODELS
    assert summary["cochange_commits"] == 0
    assert set(summary["pairs"]) == set(SIGNALS)
    assert data["pairs"], "no module pair"
    for pair in data["pairs"]:
        first, second = pair["modules"]
        assert first < second
        assert pair["combined"] > 0
        assert pair["signals"], pair
        assert set(pair["signals"]) <= set(SIGNALS)
        assert all(0.0 <= value <= 1.0 for value in pair["signals"].values()), pair
    counted = {name: sum(name in p["signals"] for p in data["pairs"]) for name in SIGNALS}
    assert counted == summary["pairs"]
    combined = [p["combined"] for p in data["pairs"]]
    assert combined == sorted(combined, reverse=True)


def test_analyze_signals_without_the_layout_has_no_layout_signal(shop: Path, capsys) -> None:
    data = signals_json(shop, capsys, "--ignore-layout")
    assert data["summary"]["pairs"]["layout"] == 0
    assert not any("layout" in pair["signals"] for pair in data["pairs"])


# ---------------------------------------------------------------------------- plan flags


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_plan_algorithm_and_services_are_used_and_recorded(
    shop: Path, tmp_path: Path, algorithm: str, capsys
) -> None:
    out = tmp_path / "plan.yaml"
    args = ["plan", str(shop), "-o", str(out), "--algorithm", algorithm, "--services", "4"]
    code, _, err = run([*args, "--no-cache", "-q"], capsys)
    assert code == 0, err
    plan = read_plan(out)
    assert plan.settings["algorithm"] == algorithm
    assert plan.settings["services"] == 4
    assert len(plan.services) == 4


@pytest.mark.parametrize("command", ["plan", "decompose"])
def test_an_unknown_algorithm_exits_2_with_one_line(
    shop: Path, tmp_path: Path, command: str, capsys
) -> None:
    args = [command, str(shop), "-o", str(tmp_path / "out"), "--algorithm", "nope", "--no-cache"]
    code, out, err = run(args, capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert "'nope'" in err
    assert all(name in err for name in ALGORITHM_NAMES)
    assert "Traceback" not in err


# ---------------------------------------------------------------------------- pyproject tables

BAD_TABLES = """
    [tool.monocut.weights]
    imports = 1.0
    bogus = 2
    data = -1

    [tool.monocut.constraints]
    pin = {"shop.payment" = "Billing_Svc"}
    colour = "red"
"""
BAD_TABLE_PROBLEMS = (
    "unknown weight 'bogus'",
    "weight 'data' must be a finite number of at least 0",
    "'Billing_Svc' is not a valid service name",
    "unknown constraint 'colour'",
)


@pytest.mark.parametrize("command", ["plan", "decompose", "analyze"])
def test_bad_weights_and_constraints_list_every_problem(
    tmp_path: Path, command: str, capsys
) -> None:
    root = shop_with_config(tmp_path / "tree", BAD_TABLES)
    args = [command, str(root), "--no-cache"]
    if command != "analyze":
        args += ["-o", str(tmp_path / "out")]
    code, _, err = run(args, capsys)
    assert code == 2
    assert "4 problems" in err.splitlines()[0]
    for problem in BAD_TABLE_PROBLEMS:
        assert problem in err, problem
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "plan.yaml").exists()


def test_constraints_that_match_no_module_are_all_listed(tmp_path: Path, capsys) -> None:
    root = shop_with_config(
        tmp_path / "tree",
        """
        [tool.monocut.constraints]
        pin = {"shop.nothere" = "ghost"}
        together = [["shop.nowhere", "shop.order"]]
        apart = [["shop.order", "shop.missing"]]
        """,
    )
    out = tmp_path / "plan.yaml"
    code, _, err = run(["plan", str(root), "-o", str(out), "--no-cache", "-q"], capsys)
    assert code == 2
    assert "3 problems" in err.splitlines()[0]
    for entry in ("'shop.nothere'", "'shop.nowhere'", "'shop.missing'"):
        assert entry in err and "matches no module" in err
    assert not out.exists()


def test_a_pin_that_matches_no_module_is_listed_with_the_other_problems(
    tmp_path: Path, capsys
) -> None:
    config = BAD_TABLES.replace('"Billing_Svc"}', '"Billing_Svc", "shop.nothere" = "ghost"}')
    root = shop_with_config(tmp_path / "tree", config)
    code, _, err = run(["plan", str(root), "-o", str(tmp_path / "p.yaml"), "--no-cache"], capsys)
    assert code == 2
    for problem in BAD_TABLE_PROBLEMS:
        assert problem in err, problem
    assert "'shop.nothere'" in err


def test_weights_and_constraints_from_pyproject_take_effect(tmp_path: Path, capsys) -> None:
    root = shop_with_config(
        tmp_path / "tree",
        """
        [tool.monocut]
        ignore_layout = true

        [tool.monocut.weights]
        cochange = 0.25
        neighbours = 4

        [tool.monocut.constraints]
        pin = {"shop.payment" = "billing"}
        apart = [["shop.order.views", "shop.order.forms"]]
        """,
    )
    out = tmp_path / "plan.yaml"
    code, _, err = run(["plan", str(root), "-o", str(out), "--no-cache", "-q"], capsys)
    assert code == 0, err
    plan = read_plan(out)
    services = {s.name: set(s.modules) for s in plan.services}
    assert "billing" in services and "payment" not in services
    assert {"shop.payment.models", "shop.payment.views", "shop.payment.services"} <= services[
        "billing"
    ]
    homes = plan.partition()
    assert homes["shop.order.views"] != homes["shop.order.forms"]
    assert plan.settings["use_layout"] is False
    assert plan.settings["weights"]["cochange"] == 0.25
    assert plan.settings["weights"]["neighbours"] == 4
    assert plan.settings["constraints"]["pin"] == {"shop.payment": "billing"}
    assert plan.settings["constraints"]["apart"] == [["shop.order.views", "shop.order.forms"]]
    data = signals_json(root, capsys)
    assert data["weights"] == {**CouplingWeights().as_dict(), "cochange": 0.25, "neighbours": 4}


def test_a_zero_weight_drops_the_signal_from_the_combination(tmp_path: Path, capsys) -> None:
    root = shop_with_config(tmp_path / "tree", "[tool.monocut.weights]\nsemantic = 0\n")
    default = signals_json(write_tree(tmp_path / "plain", oscar_like_shop()), capsys)
    assert any(set(pair["signals"]) == {"semantic"} for pair in default["pairs"])
    data = signals_json(root, capsys)
    assert data["weights"]["semantic"] == 0.0
    assert not any(set(pair["signals"]) == {"semantic"} for pair in data["pairs"])
    assert len(data["pairs"]) < len(default["pairs"])


def test_apart_from_pyproject_holds_with_any_weights(tmp_path: Path, capsys) -> None:
    root = shop_with_config(
        tmp_path / "tree",
        """
        [tool.monocut]
        ignore_layout = true

        [tool.monocut.weights]
        semantic = 0

        [tool.monocut.constraints]
        apart = [["shop.order.views", "shop.order.forms"]]
        """,
    )
    out = tmp_path / "plan.yaml"
    code, _, err = run(["plan", str(root), "-o", str(out), "--no-cache", "-q"], capsys)
    assert code == 0, err
    homes = read_plan(out).partition()
    assert homes["shop.order.views"] != homes["shop.order.forms"]


# ---------------------------------------------------------------------------- decompose reports


@pytest.fixture(scope="module")
def decomposed(shop: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("decomposed") / "out"
    args = ["decompose", str(shop), "-o", str(out), "--ignore-layout", "--no-cache", "-q"]
    assert main(args) == 0
    return out


def test_decompose_report_md_has_the_new_sections(decomposed: Path) -> None:
    report = (decomposed / "report.md").read_text()
    for heading in (
        "## What holds each service together",
        "## Data ownership",
        "## Dependencies between services",
        "## Code against the folder layout",
    ):
        assert f"\n{heading}\n" in report, heading
    assert "Stability: **" in report
    assert "| catalogue | " in report  # a service explained
    assert "Product" in report.split("## What holds each service together")[1].split("##")[0]
    ownership = report.split("## Data ownership")[1].split("\n## ")[0]
    row = next(line for line in ownership.splitlines() if "`shop.catalogue.models.Product`" in line)
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1:3] == ["`catalogue_product`", "catalogue"]
    assert {"basket", "order"} <= {s.strip() for s in cells[4].split(",")}
    dependencies = report.split("## Dependencies between services")[1].split("\n## ")[0]
    assert "**order -> basket**" in dependencies


def test_decompose_report_json_has_the_new_keys(decomposed: Path) -> None:
    report = json.loads((decomposed / "report.json").read_text())
    for key in (
        "stability",
        "signals",
        "service_explanations",
        "dependency_explanations",
        "data_models",
        "layout",
    ):
        assert key in report, key
    assert 0.0 <= report["stability"] <= 1.0
    assert report["signals"]["models"] == MODELS
    explained = {e["service"] for e in report["service_explanations"]}
    assert explained == {s["name"] for s in report["plan"]["services"]}
    product = next(m for m in report["data_models"] if m["model"].endswith(".Product"))
    assert product["owner"] == "catalogue"
    assert {"basket", "order"} <= set(product["readers"]) | set(product["writers"])
    assert len(report["data_models"]) == MODELS
    assert set(report["layout"]) == {"move_candidates", "split_packages"}
    assert report["layout"]["move_candidates"]
    pairs = {(d["source_service"], d["target_service"]) for d in report["dependency_explanations"]}
    assert ("order", "basket") in pairs


# ---------------------------------------------------------------------------- co-change


def git(root: Path, *args: str) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        env=environment,
        check=True,
        capture_output=True,
        timeout=60,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root`, the .git directory included."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shop in a git repository: one initial commit, then basket's models and services
    changed together three times and order's views and forms twice."""
    root = write_tree(tmp_path_factory.mktemp("git_shop") / "repo", oscar_like_shop())
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    changes = [("basket", ("models", "services"))] * 3 + [("order", ("views", "forms"))] * 2
    for number, (app, modules) in enumerate(changes):
        for module in modules:
            path = root / "shop" / app / f"{module}.py"
            path.write_text(path.read_text() + f"\n# change {number}\n")
        git(root, "commit", "-q", "-am", f"change {number}")
    return root


def test_cochange_from_git_history_and_the_repository_is_untouched(
    repository: Path, capsys
) -> None:
    before = snapshot(repository)
    data = signals_json(repository, capsys)
    assert data["summary"]["cochange_commits"] >= len(("basket",) * 3 + ("order",) * 2)
    assert data["summary"]["pairs"]["cochange"] >= 2
    cochanged = {tuple(p["modules"]) for p in data["pairs"] if "cochange" in p["signals"]}
    assert ("shop.basket.models", "shop.basket.services") in cochanged
    assert ("shop.order.forms", "shop.order.views") in cochanged
    assert all(
        0.0 <= p["signals"]["cochange"] <= 1.0 for p in data["pairs"] if "cochange" in p["signals"]
    )
    assert snapshot(repository) == before


def test_no_cochange_reads_no_history(repository: Path, tmp_path: Path, capsys) -> None:
    before = snapshot(repository)
    data = signals_json(repository, capsys, "--no-cochange")
    assert data["summary"]["cochange_commits"] == 0
    assert not any("cochange" in pair["signals"] for pair in data["pairs"])
    out = tmp_path / "plan.yaml"
    code, _, err = run(
        ["plan", str(repository), "-o", str(out), "--no-cochange", "--no-cache", "-q"], capsys
    )
    assert code == 0, err
    recorded = read_plan(out).settings["cochange"]
    assert recorded["enabled"] is False
    assert recorded["commits_used"] == 0
    assert snapshot(repository) == before


def test_plan_with_cochange_records_the_commits_used(
    repository: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "plan.yaml"
    args = ["plan", str(repository), "-o", str(out), "--max-commits", "3", "--no-cache", "-q"]
    code, _, err = run(args, capsys)
    assert code == 0, err
    recorded = read_plan(out).settings["cochange"]
    assert recorded["enabled"] is True
    assert recorded["max_commits"] == 3
    assert 0 < recorded["commits_used"] <= 3
