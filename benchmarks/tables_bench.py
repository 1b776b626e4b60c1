#!/usr/bin/env python3
"""Do the tables fit? Every page of the built site, at several widths, in Debian's Chromium.

For each page kind and width it prints the pages, tables, tables that scroll sideways and words
split across lines inside a table cell (see tests/table_fit.py for the definitions), then the
offending page, table and word. It measures; tests/test_tables.py asserts.

    .venv/bin/python benchmarks/tables_bench.py                      # builds the site, 390 and 1280 px
    .venv/bin/python benchmarks/tables_bench.py --site site --widths 320,390,414,768,1280,1920
    .venv/bin/python benchmarks/tables_bench.py --kinds area,ambito --examples 50
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "macros")]

from browser_helpers import CHROMIUM, LAUNCH_ARGS, Visit, serve  # noqa: E402
from table_fit import TABLE_FIT, discover  # noqa: E402

HEIGHT = {True: 844, False: 900}   # phone (width < 768) or not


def build(site: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(result.stderr[-3000:])


def measure(site: Path, widths: list[int], kinds: set[str] | None, examples: int) -> int:
    pages = {k: v for k, v in discover(site).items() if not kinds or k in kinds}
    from playwright.sync_api import sync_playwright
    server, base = serve(site)
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    rows, problems = [], []
    try:
        for width in widths:
            phone = width < 768
            visit = Visit(browser, base, {"width": width, "height": HEIGHT[phone]},
                          is_mobile=phone, has_touch=phone)
            for kind in sorted(pages):
                tables = cards = scrolling = broken = 0
                for url in pages[kind]:
                    result = visit.open(url).evaluate(TABLE_FIT)
                    tables += result["tables"]
                    cards += result.get("cards", 0)
                    scrolling += len(result["scrolling"])
                    broken += len(result["broken"])
                    problems += [(width, url or "/", "scorre", s["table"], f"{s['by']} px") for s in result["scrolling"]]
                    problems += [(width, url or "/", "parola spezzata", b["table"], b["word"]) for b in result["broken"]]
                rows.append((kind, width, len(pages[kind]), tables, scrolling, broken, cards))
                print(f"  {kind} {width}px: {len(pages[kind])} pagine", file=sys.stderr, flush=True)
            visit.close()
    finally:
        browser.close()
        playwright.stop()
        server.shutdown()
    print("| tipo di pagina | larghezza | pagine | tabelle | tabelle che scorrono di lato | parole spezzate "
          "| tabelle a schede (troppo larghe) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind, width, *figures in sorted(rows):
        print(f"| {kind} | {width} | " + " | ".join(str(f) for f in figures) + " |")
    for width in widths:
        total = [r for r in rows if r[1] == width]
        print(f"| **totale** | {width} | " + " | ".join(str(sum(r[i] for r in total)) for i in range(2, 7)) + " |")
    if problems:
        print(f"\nPrimi {min(examples, len(problems))} problemi di {len(problems)} (larghezza, pagina, problema, tabella, dettaglio):")
        for problem in problems[:examples]:
            print("  " + " | ".join(str(x) for x in problem))
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one in a temporary folder)")
    parser.add_argument("--widths", default="390,1280", help="viewport widths in CSS px, comma-separated")
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
