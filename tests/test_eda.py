"""The EDA report: builds on the demo catalogue, is self-contained, and agrees with the API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cinerec.eda import run_eda
from cinerec.eda.report import SECTIONS, EdaSummary, build_report
from cinerec.queries.course import MONTHS, WEEKDAYS


@pytest.fixture(scope="module")
def report(
    demo_catalog_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[EdaSummary, str]:
    out = tmp_path_factory.mktemp("eda") / "eda.html"
    summary = build_report(demo_catalog_dir, out)
    return summary, out.read_text(encoding="utf-8")


def test_report_has_every_section(report: tuple[EdaSummary, str]) -> None:
    _, page = report
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert len(SECTIONS) == 7
    for title in SECTIONS:
        assert any(title.split(" ", 1)[1].split(",")[0] in h for h in headings), title
    assert page.count('src="data:image/png;base64,') >= 10


def test_report_is_self_contained(report: tuple[EdaSummary, str]) -> None:
    _, page = report
    assert "http://" not in page
    assert "https://" not in page
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    for src in re.findall(r'src="([^"]*)"', page):
        assert src.startswith("data:image/png;base64,")


def test_headline_numbers_equal_the_api(
    report: tuple[EdaSummary, str], demo_client: TestClient
) -> None:
    summary, _ = report
    assert summary.movies == demo_client.get("/healthz").json()["movies"]
    assert set(summary.releases_per_month) == set(MONTHS)
    assert set(summary.releases_per_weekday) == set(WEEKDAYS)
    for month in MONTHS:
        body = demo_client.get(f"/cantidad_filmaciones_mes/{month}").json()
        assert summary.releases_per_month[month] == body["cantidad"], month
    for day in WEEKDAYS:
        body = demo_client.get(f"/cantidad_filmaciones_dia/{day}").json()
        assert summary.releases_per_weekday[day] == body["cantidad"], day
    assert sum(summary.releases_per_month.values()) == summary.movies
    assert sum(summary.releases_per_year.values()) == summary.movies


def test_dropped_rows_match_the_quality_report(report: tuple[EdaSummary, str]) -> None:
    summary, page = report
    assert summary.rows_read - sum(summary.dropped.values()) == summary.rows_kept
    assert summary.rows_kept == summary.movies
    assert str(summary.rows_read) in page
    assert 0.0 <= summary.share_with_overview <= 1.0
    assert summary.vote_count_m >= 0


def test_run_eda_prints_one_line(
    demo_catalog_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sub" / "report.html"
    run_eda(demo_catalog_dir, out)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert out.exists()
    assert "EDA report" in lines[0]
