#!/usr/bin/env python3
"""Do the tables fit? Every page of the built site, at several widths, in Debian's Chromium.

For each page kind and width it prints the pages, tables, tables that scroll sideways and words
split across lines inside a table cell (see tests/table_fit.py for the definitions) and, from
1024 px on, the tables shown as cards instead of tables; then the offending page, table and word.
It measures; tests/html/test_tables.py asserts.

    .venv/bin/python -P -m pdz_dev.bench.tables_bench                      # builds the site, 320 to 1920 px
    .venv/bin/python -P -m pdz_dev.bench.tables_bench --site site --widths 390,1280
    .venv/bin/python -P -m pdz_dev.bench.tables_bench --kinds area,ambito --examples 50
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from pdz_dev.project import ROOT

from pdz_dev.browser import CHROMIUM, LAUNCH_ARGS, Visit, serving
from pdz_dev.table_fit import TABLE_FIT, discover

HEIGHT = {True: 844, False: 900}   # phone (width < 768) or not
DESKTOP = 1024                     # from this width on, tables must stay tables (no cards)
SWEEP = "320,360,390,414,768,1024,1280,1440,1920"


def build(site: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-P", "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(result.stderr[-3000:])


def has_table(site: Path, url: str) -> bool:
    return "<table" in (site / url / "index.html").read_text(encoding="utf-8")


def measure(site: Path, widths: list[int], kinds: set[str] | None, examples: int) -> int:
    """Each page is loaded once per device (phone below 768 px, else desktop), then measured at
    each of that device's widths by resizing the viewport; pages without a table count as
    measured with nothing to find."""
    pages = {k: v for k, v in discover(site).items() if not kinds or k in kinds}
    figures = {(kind, w): [0, 0, 0, 0] for kind in pages for w in widths}   # tables, scrolling, broken, cards
    problems = []
    from playwright.sync_api import sync_playwright
    with serving(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        for phone in (True, False):
            group = [w for w in widths if (w < 768) == phone]
            if not group:
                continue
            visit = Visit(browser, base, {"width": group[0], "height": HEIGHT[phone]},
                          is_mobile=phone, has_touch=phone)
            for kind in sorted(pages):
                for url in pages[kind]:
                    if not has_table(site, url):
                        continue
                    page = visit.open(url)
                    for width in group:
                        page.set_viewport_size({"width": width, "height": HEIGHT[phone]})
                        result = page.evaluate(TABLE_FIT)
                        cards = result["cards"] if width >= DESKTOP else []
                        row = figures[kind, width]
                        row[0] += result["tables"]
                        row[1] += len(result["scrolling"])
                        row[2] += len(result["broken"])
                        row[3] += len(cards)
                        where = (width, url or "/")
                        problems += [(*where, "scorre", s["table"], f"{s['by']} px") for s in result["scrolling"]]
                        problems += [(*where, "parola spezzata", b["table"], b["word"]) for b in result["broken"]]
                        problems += [(*where, "a schede", c["table"], f"{c['columns']} colonne") for c in cards]
                print(f"  {kind} {'/'.join(map(str, group))} px: {len(pages[kind])} pagine", file=sys.stderr, flush=True)
            visit.close()
        browser.close()
    print("| tipo di pagina | larghezza | pagine | tabelle | tabelle che scorrono di lato | parole spezzate "
          f"| tabelle a schede da {DESKTOP} px |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for (kind, width), row in sorted(figures.items()):
        print(f"| {kind} | {width} | {len(pages[kind])} | " + " | ".join(str(f) for f in row) + " |")
    for width in widths:
        total = [figures[kind, width] for kind in pages]
        pages_count = sum(len(v) for v in pages.values())
        print(f"| **totale** | {width} | {pages_count} | " + " | ".join(str(sum(r[i] for r in total)) for i in range(4)) + " |")
    problems.sort()
    if problems:
        print(f"\nPrimi {min(examples, len(problems))} problemi di {len(problems)} (larghezza, pagina, problema, tabella, dettaglio):")
        for problem in problems[:examples]:
            print("  " + " | ".join(str(x) for x in problem))
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one in a temporary folder)")
    parser.add_argument("--widths", default=SWEEP, help="viewport widths in CSS px, comma-separated")
    parser.add_argument("--kinds", default="", help="only these page kinds, comma-separated")
    parser.add_argument("--examples", type=int, default=30, help="how many problems to list")
    args = parser.parse_args()
    widths = [int(w) for w in args.widths.split(",")]
    kinds = set(filter(None, args.kinds.split(","))) or None
    if args.site:
        return measure(args.site.resolve(), widths, kinds, args.examples)
    with tempfile.TemporaryDirectory(prefix="pdz-tables-") as tmp:
        build(Path(tmp) / "site")
        return measure(Path(tmp) / "site", widths, kinds, args.examples)


if __name__ == "__main__":
    sys.exit(main())
