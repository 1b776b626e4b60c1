"""Search quality: run the citizen query set (queries.yaml) against a built site in Chromium.

    .venv/bin/python -P -m pdz_dev.bench.search_quality --site site --engine pagefind [--record NAME]

For each query, the first five result pages are read from the search box as a visitor sees it
(``lunr``: Material's own search, the engine before issue #15; ``pagefind``: the site's search,
opened through its shareable address ``?q=``). A query passes when one of its expected pages is
among them. ``--record NAME`` stores the outcome in results.json under NAME.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import quote

import yaml

from pdz_dev.project import ROOT  # noqa: E402

HERE = ROOT / "benchmarks" / "search"   # the query set and the recorded results

QUERIES = HERE / "queries.yaml"
RESULTS = HERE / "results.json"
TOP = 5

LUNR_TOP = """(top) => {
  const meta = document.querySelector('.md-search-result__meta');
  if (!meta || !/trovat/i.test(meta.textContent)) return null;
  const items = [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')];
  if (!items.length && !/nessun/i.test(meta.textContent)) return null;   // list not drawn yet
  return items.slice(0, top).map(li => li.querySelector('a').href);
}"""
PAGEFIND_TOP = """([query, top]) => {
  const box = document.getElementById('pdz-search');
  if (!box || box.dataset.state !== 'done' || box.dataset.query !== query) return null;
  return [...box.querySelectorAll('.pdz-search__result a.pdz-search__link')].slice(0, top).map(a => a.href);
}"""


def load_queries() -> list[dict]:
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))


def top_pages(visit, engine: str, query: str) -> list[str]:
    """The site-relative addresses of the first TOP result pages (anchors dropped)."""
    if engine == "lunr":
        page = visit.open("")
        # Material drops a query typed while its index is still loading: type it again (a
        # space and a backspace) until the result line answers
        page.focus(".md-search__input")
        page.keyboard.type(query)
        for _ in range(20):
            try:
                links = page.wait_for_function(LUNR_TOP, arg=TOP, timeout=2000).json_value()
                break
            except Exception:   # playwright TimeoutError
                page.keyboard.type(" ")
                page.keyboard.press("Backspace")
        else:
            raise RuntimeError(f"lunr search did not answer {query!r}")
    else:
        page = visit.open("?q=" + quote(query))
        links = page.wait_for_function(PAGEFIND_TOP, arg=[query, TOP]).json_value()
    out = []
    for link in links:
        path = link.split("#")[0].split("?")[0][len(visit.base):]
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        if path not in out:
            out.append(path)
    return out[:TOP]


def run(visit, engine: str, queries: list[dict] | None = None) -> list[dict]:
    rows = []
    for item in queries or load_queries():
        found = top_pages(visit, engine, item["query"])
        rank = next((i + 1 for i, url in enumerate(found) if url in item["attese"]), None)
        rows.append({"query": item["query"], "rank": rank, "top": found})
    return rows


def summary(rows: list[dict]) -> str:
    hits = sum(1 for r in rows if r["rank"])
    return f"{hits}/{len(rows)} queries find an expected page in the first {TOP} results"


def main(argv=None) -> int:
    from pdz_dev.browser import CHROMIUM, DESKTOP, LAUNCH_ARGS, Visit, serve
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--engine", choices=("lunr", "pagefind"), default="pagefind")
    parser.add_argument("--record", help="store the outcome in results.json under this name")
    args = parser.parse_args(argv)
    server, base = serve(args.site)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        visit = Visit(browser, base, DESKTOP)
        rows = run(visit, args.engine)
        visit.close()
        browser.close()
    server.shutdown()
    for r in rows:
        print(f"{r['rank'] or '-':>2}  {r['query']:<32} {' | '.join(r['top'][:3])}")
    print(summary(rows))
    if args.record:
        data = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        data[args.record] = {"engine": args.engine, "hits": sum(1 for r in rows if r["rank"]),
                             "queries": len(rows), "rows": rows}
        RESULTS.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
