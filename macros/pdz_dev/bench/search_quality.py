"""Search quality: run a citizen query set (queries.yaml) against a built site in Chromium.

    .venv/bin/python -P -m pdz_dev.bench.search_quality --site site [--set frasi] [--record NAME]

queries.yaml holds two sets, scored apart: ``parole_chiave`` (keyword queries, issue #15) and
``frasi`` (whole sentences, issue #25). For each query, the first five result pages are read
from the search box as a visitor sees it (``lunr``: Material's own search, the engine before
issue #15; ``pagefind``: the site's search, the first query opened through its shareable
address (``--param``: its name), the next ones typed in the same page's search box and sent with
Enter: both run the same search of pdz-search.js, and a set costs one page load, not one a query). A query scores in the top 1 / top 5 when one
of its expected pages is first / among them. ``--record NAME`` stores the outcome in
results.json under NAME.
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
SETS = ("parole_chiave", "frasi")
PARAM = "cerca"   # the search's own address parameter (issue #25; ?q= before it)

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


def load_queries(name: str = "parole_chiave") -> list[dict]:
    """One set of queries.yaml: each a dict with ``query`` and ``attese``."""
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))[name]


def top_pages(visit, engine: str, query: str, param: str = PARAM, typed: bool = False) -> list[str]:
    """The site-relative addresses of the first TOP result pages (anchors dropped). ``typed``
    (Pagefind): the visit's page shows the search already, the query is typed in its box."""
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
    elif typed:
        page = visit.page
        page.fill("#pdz-search-input", query)
        page.press("#pdz-search-input", "Enter")
        links = page.wait_for_function(PAGEFIND_TOP, arg=[query, TOP]).json_value()
    else:
        page = visit.open(f"?{param}=" + quote(query))
        links = page.wait_for_function(PAGEFIND_TOP, arg=[query, TOP]).json_value()
    out = []
    for link in links:
        path = link.split("#")[0].split("?")[0][len(visit.base):]
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        if path not in out:
            out.append(path)
    return out[:TOP]


def run(visit, engine: str, queries: list[dict] | None = None, param: str = PARAM) -> list[dict]:
    rows = []
    for i, item in enumerate(queries or load_queries()):
        found = top_pages(visit, engine, item["query"], param, typed=engine == "pagefind" and i > 0)
        rank = next((i + 1 for i, url in enumerate(found) if url in item["attese"]), None)
        rows.append({"query": item["query"], "rank": rank, "top": found})
    return rows


def scores(rows: list[dict]) -> dict:
    """How many queries find an expected page first (top1) and among the first TOP (hits)."""
    return {"top1": sum(1 for r in rows if r["rank"] == 1), "hits": sum(1 for r in rows if r["rank"]),
            "queries": len(rows)}


def summary(rows: list[dict]) -> str:
    s = scores(rows)
    return (f"{s['top1']}/{s['queries']} queries find an expected page first, "
            f"{s['hits']}/{s['queries']} in the first {TOP} results")


def main(argv=None) -> int:
    from pdz_dev.browser import CHROMIUM, DESKTOP, LAUNCH_ARGS, Visit, serve
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--engine", choices=("lunr", "pagefind"), default="pagefind")
    parser.add_argument("--set", choices=SETS, default="parole_chiave", dest="name")
    parser.add_argument("--param", default=PARAM, help="the search's address parameter (q before issue #25)")
    parser.add_argument("--record", help="store the outcome in results.json under this name")
    args = parser.parse_args(argv)
    server, base = serve(args.site)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        visit = Visit(browser, base, DESKTOP)
        rows = run(visit, args.engine, load_queries(args.name), args.param)
        visit.close()
        browser.close()
    server.shutdown()
    for r in rows:
        print(f"{r['rank'] or '-':>2}  {r['query']:<32} {' | '.join(r['top'][:3])}")
    print(summary(rows))
    if args.record:
        data = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        data[args.record] = {"engine": args.engine, "set": args.name, **scores(rows), "rows": rows}
        RESULTS.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
