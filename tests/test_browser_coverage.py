"""The coverage view in a real browser: an archivist reads who published on time from a crawl of fixture portals.

Same approach as tests/test_browser.py: Debian's chromium driven by Playwright against ``gongkai serve``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from demo.portals import redirect_years, serve_portal, trs_nav
from tests.test_browser import ARTIFACTS, chromium_tab
from tests.test_coverage import LOCAL, gongkai
from tests.test_serve import start_server, stop_server

pytestmark = pytest.mark.e2e  # Chromium against gongkai serve and fixture portals


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("coverage-browser") / "archive.db"
    with contextlib.ExitStack() as stack:
        homes = [stack.enter_context(serve_portal(p())).homepage for p in (trs_nav, redirect_years)]
        result = gongkai("crawl", *[x for h in homes for x in ("--from-homepage", h)], "--db", str(db),
                         "--no-warc", *LOCAL)
    assert result.returncode == 0, result.stderr[-3000:]
    assert gongkai("sites", "add", "无报告县人民政府", "http://www.wbg.gov.cn", "--db", str(db)).returncode == 0
    process, base = start_server(db)
    yield base
    stop_server(process)


@pytest.fixture(scope="module")
def page(served):
    yield from chromium_tab()


def test_archivist_reads_on_time_late_and_missing_from_the_coverage_grid(page, served):
    page.goto(f"{served}/archive")
    page.locator(".metadata-description a", has_text="coverage").click()
    page.wait_for_url("**/archive/-/coverage")
    assert "Coverage: 3 agencies, 2019–2023" in page.inner_text("h1")
    legend = page.inner_text("#coverage-legend")
    assert "on time: 4" in legend and "late: 2" in legend and "missing: 9" in legend
    grid = page.locator("#chart-coverage svg")
    assert grid.locator("g.status-late").count() == 2
    late = grid.locator("g.status-late title").all_text_contents()
    assert "江南市人民政府 2022: late (published 2023-03-20)" in late
    # the row of a registry body with nothing archived is all missing
    assert "无报告县人民政府 2019: missing" in grid.locator("g.status-missing title").all_text_contents()
    box = grid.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    page.screenshot(path=str(ARTIFACTS / "browser-coverage.png"), full_page=True)
    # the year range narrows the grid
    page.goto(f"{served}/archive/-/coverage?from_year=2022&to_year=2023")
    assert "2022–2023" in page.inner_text("h1")
    assert grid.locator("g[data-year='2019']").count() == 0
