"""The benchmark's smoke runs (tests/dev/test_benchmark*.py): ``build_bench`` at N=5 (the real
content), one part of the run per test (``--builds``, ``--no-serve``, ...), so that two test
workers share the run; no site is built twice (the second part weighs the real site the test
session builds anyway: ``--weights-site``). They assert what the run reports, never how fast it was."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from pdz_dev.project import ROOT

SMOKE = ("--sizes", "5", "--repeat", "1", "--no-write", "--lighthouse", "0")


def run(*options: str) -> str:
    """The report ``build_bench`` prints for the smoke run with ``options``."""
    result = subprocess.run([sys.executable, "-P", "-m", "pdz_dev.bench.build_bench", *SMOKE, *options],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


def line(pattern: str, out: str) -> re.Match:
    """The first line of the report that matches ``pattern``."""
    match = re.search(pattern, out, flags=re.MULTILINE)
    assert match, f"{pattern!r} not in the report:\n{out[-3000:]}"
    return match


def sites_row(out: str) -> tuple[int, int, int, int]:
    """(records, Comuni named, our pages, the floors' pages) at N=5."""
    records, comuni, pages, floor_pages = map(int, line(r"^\| 5 \| (\d+) \| (\d+) \| (\d+) / (\d+) \|", out).groups())
    return records, comuni, pages, floor_pages


def site_pages(site: Path) -> int:
    """The HTML pages of the real site that the benchmark's N=5 site has too: all but the web
    editor's (/admin/ comes from node_modules, which the benchmark's checkouts lack) and the further
    pages of novita/ (the benchmark's tree is one commit: its changes fit one page)."""
    return sum(1 for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "admin"
               and not p.relative_to(site).as_posix().startswith("novita/pagina-"))


def content_records() -> int:
    """The records of the real content (every file under content/ but its README)."""
    return sum(1 for p in (ROOT / "content").rglob("*.*") if p.name != "README.md")
