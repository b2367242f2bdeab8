"""`make demo`'s job, as a new user sees it: serve the bundled sites, crawl them, print what was archived."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archive.store import Archive
from archive.warc import warc_dir_for
from demo.sites import demo_sites

pytestmark = pytest.mark.e2e  # starts local servers and the crawl command

REPO = Path(__file__).resolve().parents[1]


def test_demo_crawls_every_bundled_report_and_says_how_to_browse(tmp_path):
    db = tmp_path / "demo.db"
    for _ in range(2):  # run twice: a fresh demo starts over, archive and WARC folder alike
        result = subprocess.run([sys.executable, "-m", "demo", "run", "--db", str(db)], cwd=REPO,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
    expected = sum(len(site.reports()) for site in demo_sites())
    out = result.stdout
    assert f"{expected} new, 0 updated, 0 unchanged" in out  # the second run started fresh
    assert "  failures             0" in out and "alerts" not in out
    assert f"{expected} reports. Browse the archive with Datasette:" in out
    assert f"gongkai serve --db {db}" in out
    archive = Archive(db)
    assert len(archive.reports()) == expected and archive.integrity_ok()
    assert [c["id"] for c in archive.db.query("select id from crawls")] == [1]
    assert sorted(p.name for p in warc_dir_for(db).glob("*.warc.gz"))  # evidence written
