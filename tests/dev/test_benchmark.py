"""The build benchmark (make bench) keeps working: a smoke run at N=5, the real content.

It asserts what the run reports, never how fast it was: timing goals live in
benchmarks/results.md, not in tests.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from pdz_dev.project import ROOT

pytestmark = pytest.mark.build   # it builds sites in its own processes, and compares with the real site


def test_benchmark_smoke_run(request):
    result = subprocess.run(
        [sys.executable, "-P", "-m", "pdz_dev.bench.build_bench", "--sizes", "5", "--repeat", "1", "--no-write",
         "--lighthouse", "0", "--serve-sizes", "5", "--serve-edits", "1",
         "--history-n", "5", "--history-commits", "2", "--history-per-commit", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-4000:]
    out = result.stdout
    row = re.search(r"^\| 5 \| (\d+) \| (\d+) \| (\d+) / (\d+) \|", out, flags=re.MULTILINE)
    assert row, out[:3000]
    records, comuni, pages, floor_pages = map(int, row.groups())
    # N=5 is the real content: the benchmark builds the same site as the real build, except the
    # web editor's page (/admin/ comes from node_modules, which the benchmark's checkouts lack) and
    # the further pages of novita/ (the benchmark's tree is one commit: its changes fit one page);
    # the floors build the same pages. The real site is asked for only now: another worker builds it
    # meanwhile (tests/conftest.py starts this test and the browser tests first)
    real_site = request.getfixturevalue("real_site")
    assert pages == sum(1 for p in real_site.rglob("*.html") if p.relative_to(real_site).parts[0] != "admin"
                        and not p.relative_to(real_site).as_posix().startswith("novita/pagina-"))
    assert floor_pages == pages
    assert records == sum(1 for p in (ROOT / "content").rglob("*.*") if p.name != "README.md")
    assert comuni == 24
    # every kind of build was measured, with its median and minimum
    for label in ("ours, cold", "ours, warm", "fair floor", "lunr floor"):
        assert re.search(rf"^\| 5 \| 5 / 10 \| \d+ \| {re.escape(label)}[^|]* \| [0-9.]+ s \([0-9.]+ s\) \|", out,
                         flags=re.MULTILINE), label
    for target in (r"cold build at N=5 <= 0\.8x the fair floor in CPU time", r"cold build at N=5 <= 0\.8x the fair floor in wall",
                   r"a second build with no change at N=5", r"mkdocs serve without AMBITO, search on, at N=5",
                   r"first visit at phone size", r"one search, every file counted", r"no page over 100,000 B"):
        assert re.search(rf"^(PASS|FAIL)  {target}", out, flags=re.MULTILINE), target
    # bytes per page kind: raw / gzip / brotli
    assert re.search(r"^\| obiettivo \| \d+ / \d+ / \*\*[0-9.]+\*\* \|", out, flags=re.MULTILINE), out[-3000:]
    # one search, keywords and an everyday sentence, every file counted
    for query in ("assistenti familiari", "badante per mia madre anziana"):
        assert re.search(rf"^\| \*\*one search \(`{query}`\)\*\* \| \d+ / \d+ / \*\*[0-9.]+\*\* \|", out, flags=re.MULTILINE), query
    # the printable plans are split in parts: no page of the real site is over 100 KB
    assert re.search(r"^PASS  no page over 100,000 B at any N \(the Comune finder and the printable plans' parts included\)",
                     out, flags=re.MULTILINE), out[-3000:]
    assert re.search(r"^PASS  printable plans in parts under 100,000 B .*: largest part N=5: [0-9,]+ B `[\w-]+/\d{4}-\d{4}/stampa/[\w-]+/index\.html`",
                     out, flags=re.MULTILINE), out[-3000:]
    assert re.search(r"^PASS  home page HTML < 35,000 B at every N \(issue #28\): N=5: ", out, flags=re.MULTILINE)
    # the single-Ambito preview publishes no page of another Ambito
    preview = re.search(r"^\| N=5 \| as is \| [\w-]+ \| built \|.*\| (\d+) \| (\d+) \|$", out, flags=re.MULTILINE)
    assert preview and int(preview.group(2)) == 0 and 0 < int(preview.group(1)) < pages, out[-3000:]
    # mkdocs serve (no AMBITO) showed the edit of a record on its page (one edit: every step of the
    # measurement runs once; tests/plugin/test_serve_rebuild.py checks what several rebuilds serve)
    serve = re.search(r"^\| 5 \| [0-9.]+ s \| ([0-9.]+ s) \|", out, flags=re.MULTILINE)
    assert serve, out[-3000:]
    # the cost of every record's history (issue #26): a scripted main line of 2 + 2 commits read
    history = re.search(r"^\| 5 \| 4 \| (\d+) \| (\d+) \| (\d+) \| [0-9.]+ s \| \*\*[0-9.]+ s\*\* \| [0-9.]+ s \|",
                        out, flags=re.MULTILINE)
    assert history, out[-3000:]
    history_records, with_history, events = map(int, history.groups())
    assert history_records == records - 1 and 0 < with_history <= history_records and events >= 8
