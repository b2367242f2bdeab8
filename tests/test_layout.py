"""The repository's shape: no Python module grows past what one reader can hold in mind."""

from __future__ import annotations

from tests.crawling import REPO

# A module this long has more than one concern in it; split it along a seam (as
# crawler/distributed.py was: the send-time politeness went to crawler/sendturn.py).
MAX_LINES = 800
PACKAGES = ("crawler", "spiders", "pipelines", "archive", "demo", "bench", "tests")


def long_modules(max_lines: int = MAX_LINES) -> dict[str, int]:
    """Every module under :data:`PACKAGES` longer than ``max_lines``, by path, with its line count."""
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > max_lines:
                found[str(path.relative_to(REPO))] = lines
    return found


def test_no_module_is_longer_than_800_lines():
    assert long_modules() == {}, f"modules over {MAX_LINES} lines (split them): {long_modules()}"


def test_the_line_limit_names_each_offender(tmp_path, monkeypatch):
    (tmp_path / "crawler").mkdir()
    (tmp_path / "crawler" / "big.py").write_text("x = 1\n" * 801, encoding="utf-8")
    (tmp_path / "crawler" / "small.py").write_text("x = 1\n" * 800, encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.REPO", tmp_path)
    assert long_modules() == {"crawler/big.py": 801}
