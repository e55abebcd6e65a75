"""`monocut trend`: JSON, CSV and SVG of the plan's metrics over git history."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from analyzer.plan import write_plan
from monocut import cli, trend
from tests.analyzer.test_history import PLAN, build_repo

if "trend" not in {c.name for c in cli.app.registered_commands}:
    cli.app.command("trend")(trend.trend_command)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    repo = build_repo(tmp_path)
    plan_file = tmp_path / "plan.yaml"
    write_plan(PLAN, plan_file)
    return repo, plan_file


def run(repo: Path, plan_file: Path, out: Path, *extra: str) -> int:
    return cli.main(["trend", str(repo), "--plan", str(plan_file), "-o", str(out), *extra])


def test_writes_json_csv_svg_deterministically(
    project: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, plan_file = project
    assert run(repo, plan_file, tmp_path / "a", "--commits", "10") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 5 and "remove legacy" in lines[3]
    assert run(repo, plan_file, tmp_path / "b", "--no-cache", "--quiet") == 0
    assert capsys.readouterr().out == ""
    for name in ("trend.json", "trend.csv", "trend.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()

    data = json.loads((tmp_path / "a" / "trend.json").read_text())
    assert [p["cross_service_dependencies"] for p in data["points"]] == [0, 1, 1, 1]
    assert data["services"] == ["billing", "orders"]

    rows = list(csv.reader((tmp_path / "a" / "trend.csv").open()))
    assert rows[0] == [
        "commit",
        "date",
        "icp",
        "cross_service_dependencies",
        "service_cycles",
        "billing",
        "orders",
    ]
    assert len(rows) == 5 and rows[2][3] == "1"

    root = ET.parse(tmp_path / "a" / "trend.svg").getroot()
    polylines = root.findall(f"{SVG}polyline")
    assert {p.get("class") for p in polylines} == {
        "icp",
        "cross-service-dependencies",
        "service-coupling",
    }
    assert sorted(
        p.get("data-service") for p in polylines if p.get("class") == "service-coupling"
    ) == ["billing", "orders"]
    assert all(len(p.get("points", "").split()) == 4 for p in polylines)
    assert "<script" not in (tmp_path / "a" / "trend.svg").read_text()


def test_not_a_git_repository_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain"
    (plain / "pkg").mkdir(parents=True)
    (plain / "pkg" / "__init__.py").write_text("")
    plan_file = tmp_path / "plan.yaml"
    write_plan(PLAN, plan_file)
    assert run(plain, plan_file, tmp_path / "out", "--no-cache") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not inside a git repository" in err[0]


def test_bad_plan_exits_2(project: tuple[Path, Path], tmp_path: Path) -> None:
    repo, _ = project
    bad = tmp_path / "bad.yaml"
    bad.write_text("services: 3\n")
    assert run(repo, bad, tmp_path / "out", "--no-cache") == 2


def test_report_html_charts_a_trend_file(
    project: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = project
    plan_file = tmp_path / "current.yaml"  # a plan of the code as it is now
    assert cli.main(["plan", str(repo), "-o", str(plan_file), "--no-cache", "-q"]) == 0
    assert run(repo, plan_file, tmp_path / "t", "--commits", "10") == 0
    page = tmp_path / "report.html"
    args = ["report", str(repo), "--plan", str(plan_file), "-f", "html", "-o", str(page)]
    assert cli.main([*args, "--trend", str(tmp_path / "t" / "trend.json"), "-q"]) == 0
    text = page.read_text()
    services = json.loads((tmp_path / "t" / "trend.json").read_text())["services"]
    assert 'id="trend"' in text and "4 commits" in text
    assert text.count('class="service-coupling"') == len(services) > 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot read trend file"),
        ('{"schema_version": 99, "points": []}', "not a monocut trend file"),
        ('{"schema_version": 1, "points": [{"commit": "abc"}]}', "malformed trend point"),
    ],
)
def test_report_rejects_a_bad_trend_file_in_one_line(
    project: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    message: str,
) -> None:
    repo, plan_file = project
    bad = tmp_path / "trend.json"
    bad.write_text(content)
    code = cli.main(
        ["report", str(repo), "--plan", str(plan_file), "-f", "html", "--trend", str(bad), "-q"]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2 and message in err and len(err.splitlines()) == 1


def test_trend_option_needs_the_html_format(
    project: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, plan_file = project
    code = cli.main(
        ["report", str(repo), "--plan", str(plan_file), "-f", "md", "--trend", "x.json"]
    )
    assert code == 2 and "only in the HTML report" in capsys.readouterr().err
