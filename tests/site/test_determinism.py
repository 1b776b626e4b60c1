"""Two builds of the same commit produce the same files, byte for byte.

The session's real build (``real_site``, random PYTHONHASHSEED) is compared with a second build
into another temporary folder with a fixed, different PYTHONHASHSEED, so that an order that
depends on set or dict hashing would show up. Dates come from git, never from the clock: the
hook sets SOURCE_DATE_EPOCH to the last commit (MkDocs uses it for the sitemap dates and the
sitemap.xml.gz header), and "Ultimo aggiornamento" is the date of each file's last commit.
"""
from __future__ import annotations

import datetime
import gzip
import re
import subprocess
from pathlib import Path

import pytest

from pdz_dev.project import FIXTURES, ROOT, SUMMARY, build, make_project
# ran on the same day (UTC), which is what CI does.
EXCEPTIONS = {
    "redazione/revisioni/index.html":
        "the editors' review page marks a review 'Scaduta' against the day of the build "
        "(datetime.date.today()): on purpose, it must tell editors what is overdue today, so two "
        "builds on different days may differ.",
}


@pytest.fixture(scope="module")
def second_build(real_site, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("again") / "site"
    result = build(ROOT, site, {"PYTHONHASHSEED": "20211222"})
    assert result.returncode == 0, result.stderr[-3000:]
    return site


# Pagefind 1.5.2 writes its filter chunks (and so the names that point at them in its entry and
# meta files) in an order that changes from one run to the next (a Rust hash map), whatever its
# input. Its pages, words, excerpts and index chunks are compared like every other file; these
# are only counted, and the filter values are compared in test_search.py.
UNORDERED = re.compile(r"^pagefind/(filter/.*|pagefind\.[^/]*\.pf_meta|pagefind-entry\.json)$")


def files_of(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*")
            if p.is_file() and not UNORDERED.match(p.relative_to(site).as_posix())}


def unordered_count(site: Path) -> int:
    return sum(1 for p in site.rglob("*") if p.is_file() and UNORDERED.match(p.relative_to(site).as_posix()))


def build_day(path: Path) -> datetime.date:
    return datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.timezone.utc).date()


def test_two_builds_of_the_same_commit_are_identical(real_site, second_build):
    first, second = files_of(real_site), files_of(second_build)
    assert sorted(first) == sorted(second)
    assert unordered_count(real_site) == unordered_count(second_build) > 0
    same_day = {name for name in EXCEPTIONS
                if name in first and build_day(first[name]) == build_day(second[name])}
    different = [name for name in sorted(first)
                 if (name not in EXCEPTIONS or name in same_day)
                 and first[name].read_bytes() != second[name].read_bytes()]
    SUMMARY["build deterministica"] = (
        f"{len(first)} file confrontati byte per byte, {len(different)} diversi, "
        f"{len(EXCEPTIONS)} eccezione documentata ({', '.join(EXCEPTIONS)})")
    assert different == [], different[:30]


def last_commit() -> datetime.datetime | None:
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True,
                             timeout=60, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return datetime.datetime.fromtimestamp(int(out), datetime.timezone.utc) if out.isdigit() else None


def test_sitemap_dates_come_from_the_last_commit_not_the_clock(real_site):
    commit = last_commit()
    if commit is None:
        pytest.skip("not a git checkout")
    sitemap = (real_site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {commit.date().isoformat()}
    with gzip.open(real_site / "sitemap.xml.gz") as compressed:
        assert compressed.read().decode("utf-8") == sitemap
    header_mtime = int.from_bytes((real_site / "sitemap.xml.gz").read_bytes()[4:8], "little")
    midnight = datetime.datetime.combine(commit.date(), datetime.time(), datetime.timezone.utc)
    assert header_mtime == int(midnight.timestamp())


def test_an_explicit_source_date_epoch_wins(tmp_path):
    """Packagers may set SOURCE_DATE_EPOCH themselves: the hook must not override it."""
    project = make_project(tmp_path, FIXTURES / "valid")
    site = tmp_path / "site"
    result = build(project, site, {"SOURCE_DATE_EPOCH": "1640131200"})   # 2021-12-22
    assert result.returncode == 0, result.stderr[-3000:]
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", (site / "sitemap.xml").read_text())) == {"2021-12-22"}
