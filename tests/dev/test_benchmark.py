"""The build benchmark (make bench) keeps working: a smoke run at N=5, the real content.

It asserts what the run reports, never how fast it was: timing goals live in
benchmarks/results.md, not in tests.
"""
from __future__ import annotations

import re
import subprocess
import sys

from pdz_dev.project import ROOT


def test_benchmark_smoke_run(real_site):
    result = subprocess.run(
        [sys.executable, "-P", "-m", "pdz_dev.bench.build_bench", "--sizes", "5", "--profile", "0", "--no-write",
         "--no-lighthouse"],
        cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-4000:]
    out = result.stdout
    row = re.search(r"^\| 5 \| (\d+) \| (\d+) \|", out, flags=re.MULTILINE)
    assert row, out[:3000]
    records, pages = int(row.group(1)), int(row.group(2))
    # N=5 is the real content: the benchmark builds the same site as the real build, except the
    # web editor's page (/admin/ comes from node_modules, which the benchmark's checkouts lack) and
    # the further pages of novita/ (the benchmark's tree is one commit: its changes fit one page)
    assert pages == sum(1 for p in real_site.rglob("*.html") if p.relative_to(real_site).parts[0] != "admin"
                        and not p.relative_to(real_site).as_posix().startswith("novita/pagina-"))
    assert records == sum(1 for p in (ROOT / "content").rglob("*.*") if p.name != "README.md")
    assert re.search(r"^(PASS|FAIL)  largest page HTML", out, flags=re.MULTILINE)
    assert re.search(r"^(PASS|FAIL)  printable plans", out, flags=re.MULTILINE)
    assert re.search(r"^(PASS|FAIL)  first visit at phone size", out, flags=re.MULTILINE)
    assert re.search(r"^(PASS|FAIL)  one search at N=5", out, flags=re.MULTILINE)
    assert re.search(r"^PASS  home page HTML < 35,000 B at every N \(issue #28\): N=5: ", out, flags=re.MULTILINE)
    # the single-Ambito preview publishes no page of another Ambito, and serve rebuilds on edits
    preview = re.search(r"^\| N=5 \| as is \| [\w-]+ \| built \|.*\| (\d+) \| (\d+) \|$", out, flags=re.MULTILINE)
    assert preview and int(preview.group(2)) == 0 and 0 < int(preview.group(1)) < pages, out[-3000:]
    # each edit reloads the browser; MkDocs' own "built in" figure is optional: its log drops a
    # line equal to the previous one, so two rebuilds of the same length print it once
    serve = re.search(r"^\| N=5 \| `[^`]*` \| yes \|.*\| ([0-9.]+ s(?: \([0-9.]+ s\))?), ([0-9.]+ s)", out,
                      flags=re.MULTILINE)
    assert serve, out[-3000:]
