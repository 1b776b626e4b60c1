"""Do the tables fit? Shared by tests/html/test_tables.py and benchmarks/tables_bench.py.

- ``discover(site)`` finds the pages of a built site and sorts them by kind (home, Ambito, plan,
  objective, evaluation, area, partner, target group, source document, data table, printable
  plan...) from their addresses, so new pages and new tables are measured without a list to
  keep up to date.
- ``TABLE_FIT`` (JavaScript run in the page) lists the tables that scroll sideways, the words
  split across lines inside a table cell (a word, a run of non-blank characters, whose text
  range covers more than one line box, found with ``Range.getClientRects()``) and the tables
  shown as cards (``data-cards``, set by docs/assets/pdz-tables.js).
"""
from __future__ import annotations

import re
from pathlib import Path

from pdz.content.model import KINDS

FOLDERS = {k.folder: k.name for k in KINDS.values() if k.scoped}   # "obiettivi" -> "obiettivo"
SHARED = {"aree": "area", "partner": "partner", "destinatari": "destinatari", "fonti": "documento"}
PAGE = re.compile(r"^pagina-\d+$")
SKIP = ("assets", "search", "dati", "pagefind")   # folders of files, not pages


def kind_of(site: Path, url: str) -> str:
    """The kind of the page at site-relative ``url`` ("" for the home, "corsico/" ...)."""
    parts = [p for p in url.split("/") if p]
    if parts and PAGE.match(parts[-1]):   # a later page of a paginated list: same kind
        parts = parts[:-1]
    if not parts:
        return "home"
    if parts[-1] == "stampa" or parts[-2:-1] == ["stampa"]:
        return "stampa"   # a printable plan: its contents page and its parts
    if parts[0] in SHARED:
        return SHARED[parts[0]] if len(parts) > 1 else "indice"
    if len(parts) >= 2 and parts[-2] in FOLDERS:
        return FOLDERS[parts[-2]]
    if len(parts) >= 2 and parts[-1] in FOLDERS:
        return "elenco"   # an Ambito's list of objectives, evaluations...
    folder = site / Path(*parts)
    if _is_plan(folder):
        return "piano"    # a plan (an Ambito in one period): it has a printable version
    if len(parts) == 1 and any(_is_plan(child) for child in folder.iterdir() if child.is_dir()):
        return "ambito"   # the territory, with its plans below
    return "altro"


def _is_redirect(page: Path) -> bool:
    return 'http-equiv="refresh"' in page.read_text(encoding="utf-8")[:2000]


def _is_plan(folder: Path) -> bool:
    printable = folder / "stampa" / "index.html"
    return printable.exists() and not _is_redirect(printable)


def discover(site: Path) -> dict[str, list[str]]:
    """Every page of the built site by kind: {kind: [site-relative url, ...]} (sorted)."""
    found: dict[str, list[str]] = {}
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix()
        if rel.split("/")[0] in SKIP or _is_redirect(html):   # moved pages only point elsewhere
            continue
        url = "" if rel == "." else rel + "/"
        found.setdefault(kind_of(site, url), []).append(url)
    return found


_CELL = re.compile(r"<t[dh][\s>]")
_HEAD = re.compile(r"<thead.*?</thead>", re.S)


def table_weight(html: str) -> tuple[int, int]:
    """(widest header row in columns, number of cells) of a page: how hard its tables are."""
    columns = max((h.count("<th") for h in _HEAD.findall(html)), default=0)
    return columns, len(_CELL.findall(html))


def hardest(site: Path, urls: list[str], count: int = 2) -> list[str]:
    """The pages of a kind with the widest tables and with the most cells (at most ``count``)."""
    weights = {u: table_weight((site / u / "index.html").read_text(encoding="utf-8")) for u in urls}
    chosen = []
    for key in (lambda u: (weights[u][0], weights[u][1]), lambda u: (weights[u][1], weights[u][0])):
        best = max(urls, key=key)
        if best not in chosen:
            chosen.append(best)
    return chosen[:count]


# Opens every <details> (what a reader can open must fit too), waits for the fonts, then
# measures every table of the page's content.
TABLE_FIT = r"""async (options) => {
  await document.fonts.ready;
  // pdz-tables.js (when the page has it and scripts run: options.scripts) marks the tables too
  // wide for their box: wait for it, then let it measure again with every <details> open
  if (!(options && options.scripts === false) && document.querySelector('script[src*="pdz-tables.js"]'))
    while (document.documentElement.getAttribute('data-pdz-tables') !== 'ok')
      await new Promise(resolve => requestAnimationFrame(resolve));
  for (const d of document.querySelectorAll('details')) d.open = true;
  if (window.pdzTables) window.pdzTables.fit();
  const vw = document.documentElement.clientWidth, result = {tables: 0, cards: [], scrolling: [], broken: []};
  const tables = [...document.querySelectorAll('table')]
    .filter(t => t.getClientRects().length && !t.closest('.md-sidebar, .md-header, .md-footer'));
  tables.forEach((table, index) => {
    result.tables++;
    const caption = table.caption ? table.caption.innerText.trim() : '';
    const region = table.closest('[aria-label]');
    const name = caption || (region && region.getAttribute('aria-label')) || `tabella ${index + 1}`;
    if (table.hasAttribute('data-cards'))
      result.cards.push({table: name, columns: table.tHead ? table.tHead.rows[0].cells.length : 0});
    let scroller = null;
    for (let a = table.parentElement; a && a !== document.body; a = a.parentElement) {
      const overflow = getComputedStyle(a).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') { scroller = a; break; }
    }
    const box = table.getBoundingClientRect();
    const inside = scroller ? scroller.scrollWidth - scroller.clientWidth : 0;
    const outside = Math.max(box.right - vw, -box.left);
    if (inside > 1 || outside > 1) result.scrolling.push({table: name, by: Math.round(Math.max(inside, outside))});
    for (const cell of table.querySelectorAll('th, td')) {
      if (cell.closest('table') !== table) continue;   // a nested table is measured on its own
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.getBoundingClientRect().width <= 2) continue;   // visually hidden text
        for (const match of node.data.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0)
            .sort((a, b) => a.top - b.top);
          let lines = 0, bottom = -Infinity;
          for (const r of rects) {   // a rect whose middle is below the current line starts a new one
            if (r.top + r.height / 2 > bottom) { lines++; bottom = r.bottom; }
            else bottom = Math.max(bottom, r.bottom);
          }
          if (lines > 1) result.broken.push({table: name, word: match[0], lines,
            cell: cell.innerText.trim().replace(/\s+/g, ' ').slice(0, 80)});
        }
      }
    }
  });
  return result;
}"""


WIDTHS = {"telefono": {"width": 390, "height": 844}, "portatile": {"width": 1280, "height": 800}}
