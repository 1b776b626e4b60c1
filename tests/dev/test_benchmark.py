"""The build benchmark (make bench) keeps working: a smoke run at N=5, the real content.

The run is split in two parts, one per file, so that two test workers take one each
(pdz_dev.bench.smoke): here every build (ours cold and warm, the two floors); the page weights,
mkdocs serve, the single-Ambito preview and the history in test_benchmark_visits.py. It asserts
what the run reports, never how fast it was: timing goals live in benchmarks/results.md, not in
tests.
"""
from __future__ import annotations

import re

import pytest

from pdz_dev.bench import smoke

pytestmark = pytest.mark.build   # it builds sites in its own processes, and compares with the real site


def test_benchmark_builds(request):
    out = smoke.run("--no-weights", "--no-serve", "--no-preview", "--history-n", "0")
    records, comuni, pages, floor_pages = smoke.sites_row(out)
    # N=5 is the real content: the benchmark builds the same site as the real build, except the
    # pages smoke.site_pages leaves out; the floors build the same pages. The real site is asked
    # for only now: another worker builds it meanwhile (tests/conftest.py starts this test and the
    # search tests first)
    assert pages == smoke.site_pages(request.getfixturevalue("real_site"))
    assert floor_pages == pages
    assert records == smoke.content_records()
    assert comuni == 24
    # every kind of build was measured, with its median and minimum
    for label in ("ours, cold", "ours, warm", "fair floor", "lunr floor"):
        smoke.line(rf"^\| 5 \| 5 / 10 \| \d+ \| {re.escape(label)}[^|]* \| [0-9.]+ s \([0-9.]+ s\) \|", out)
    for target in (r"cold build at N=5 <= 0\.8x the fair floor in CPU time", r"cold build at N=5 <= 0\.8x the fair floor in wall",
                   r"a second build with no change at N=5", r"no page over 100,000 B"):
        smoke.line(rf"^(PASS|FAIL)  {target}", out)
    # the printable plans are split in parts: no page of the real site is over 100 KB
    smoke.line(r"^PASS  no page over 100,000 B at any N \(the Comune finder and the printable plans' parts included\)", out)
    smoke.line(r"^PASS  printable plans in parts under 100,000 B .*: largest part N=5: [0-9,]+ B "
               r"`[\w-]+/\d{4}-\d{4}/stampa/[\w-]+/index\.html`", out)
    smoke.line(r"^PASS  home page HTML < 35,000 B at every N \(issue #28\): N=5: ", out)
