"""An archivist's session in a real browser: Debian's chromium, driven by Playwright, against ``gongkai serve``.

Screenshots go to ``tests/artifacts/`` (git-ignored). Playwright's own browser downloads are never
used: the browser is ``$GONGKAI_CHROMIUM`` or the system's chromium (``make test`` installs it).
(tests/test_browser_render.py tests the crawl's browser path, spiders/browser.py.)
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.archive_fixture import PLACE, build_fixture_archive
from tests.test_serve import start_server, stop_server

pytestmark = pytest.mark.e2e  # starts local servers and the crawl command

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("GONGKAI_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def chromium_tab() -> Iterator[object]:
    """One headless tab of Debian's Chromium driven by Playwright; skips when either is missing."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (make setup does)")
    executable = chromium_path()
    if executable is None:
        pytest.skip("no chromium found: apt-get install chromium, or set GONGKAI_CHROMIUM")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.set_default_timeout(15_000)
        yield tab
        browser.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[str, object]]:
    fixture = build_fixture_archive(tmp_path_factory.mktemp("browser") / "archive.db")
    process, base = start_server(fixture.path)
    yield base, fixture
    stop_server(process)


@pytest.fixture(scope="module")
def page(site):
    yield from chromium_tab()


def rows(page) -> list[str]:
    return page.locator("table.rows-and-columns tbody tr").all_inner_texts()


def test_archivist_searches_filters_by_year_and_opens_a_report(page, site):
    base, fixture = site
    page.goto(f"{base}/archive/reports")
    assert "three or more" in page.locator(".metadata-description").inner_text()

    # A 4-character term in the search box; the traditional report matches through its copy.
    page.fill("input#_search", PLACE)
    page.press("input#_search", "Enter")
    page.wait_for_url("**_search=*")
    assert f'3 rows where search matches "{PLACE}"' in page.inner_text("h3")
    found = rows(page)
    assert len(found) == 3 and any("四川省民政廳" in row for row in found)

    # The report_year facet narrows the results to one year.
    page.locator('.facet-info[data-column="report_year"] a', has_text="2020").first.click()
    page.wait_for_url("**report_year=2020*")
    [only] = rows(page)
    assert "江州市财政局" in only and "2020" in only
    page.screenshot(path=str(ARTIFACTS / "browser-search-facet.png"), full_page=True)

    # Open the report: its page shows the whole text, as text.
    page.locator("table.rows-and-columns tbody tr td.col-id a").first.click()
    page.wait_for_url(f"**/archive/reports/{fixture.ids['江州市财政局2020']}")
    assert "江州市财政局2020年" in page.inner_text("table")
    body = page.locator("td.col-body_text").inner_text()
    assert f"我局在{PLACE}开展政府信息公开宣传活动" in body and "本报告根据" in body
    assert page.locator("td.col-site_id a").inner_text() == "江州市人民政府"  # foreign key read as a name
    page.screenshot(path=str(ARTIFACTS / "browser-report.png"), full_page=True)


def test_archivist_finds_a_two_character_term_with_the_any_length_search(page, site):
    base, fixture = site
    page.goto(f"{base}/archive/search")
    assert "two-character" in page.inner_text("body")
    page.fill('input[name="q"]', "梅岭")
    page.locator('form.sql input[type="submit"]').click()
    page.wait_for_url("**q=*")
    found = rows(page)
    assert len(found) == len(fixture.place_ids) == 3
    # Matches are highlighted in the original script: 梅嶺 in the traditional report.
    marks = page.locator("td.col-snippet mark").all_inner_texts()
    assert sorted(set(marks)) == ["梅岭", "梅嶺"]
    page.screenshot(path=str(ARTIFACTS / "browser-any-length-search.png"), full_page=True)


def test_archivist_sees_reports_per_year_as_a_chart(page, site):
    base, _ = site
    page.goto(f"{base}/archive")
    page.locator(".metadata-description a", has_text="charts").click()
    page.wait_for_url("**/archive/-/charts")
    assert page.locator("svg").count() == 3
    assert "Charts: 9 reports in archive" in page.inner_text("h1")
    bar = page.locator("#chart-per-year svg a").first
    assert bar.get_attribute("href") == "/archive/reports?report_year=2015"
    page.screenshot(path=str(ARTIFACTS / "browser-charts.png"), full_page=True)
    bar.click()
    page.wait_for_url("**report_year=2015")
    assert len(rows(page)) == 1
