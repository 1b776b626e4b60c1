"""The site search index: Pagefind run over the built site (no MkDocs import).

Pagefind indexes only the element marked ``data-pagefind-body`` (the article of each page: not
the navigation nor the footer); pages without it (source texts, redirects, printable plans, the
404) stay out. Titles weigh more than body text (Pagefind weighs headings by level; the facets
block of each page names its title). Filters and result metadata come from
``data-pagefind-filter`` / ``data-pagefind-meta`` attributes that ``render/facets.py`` writes.

The citizen vocabulary (``content/vocabolario/``, ``pdz.content.vocabulary``) is published
beside its page as ``vocabolario/parole.json``: the search script downloads it with the engine,
on the first search, and looks for the plans' terms too when a query holds an entry's words.

Pagefind reads every page it is given and holds what it parsed until it writes the index, so at
regional scale (ten thousand pages) its memory and time grow with the whole site. It is given
instead a copy of the pages to index that holds just their article: the same index, in about
half of Pagefind's time, with memory for the articles only (benchmarks/results.md).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from pdz.content.catalog import Catalog
from pdz.render.indices import VOCABULARY_URL

# What the Content-Security-Policy of every page must allow in script-src for the search: the
# engine compiles its WebAssembly module (no eval of JavaScript). The CSP builder (issue #11)
# adds these to 'self' and the hashes of inline scripts.
SCRIPT_SOURCES = ("'wasm-unsafe-eval'",)
# Anchors that Python-Markdown adds after headings ("¶") carry no words.
EXCLUDE = ".headerlink"
# The opening tag of the article of an indexed page, exactly as overrides/main.html writes it.
# Contributor text cannot write an <article> (pdz.html.text allows no such tag), so the first match
# is the template's.
ARTICLE = '<article class="md-content__inner md-typeset" data-pagefind-body>'
_ARTICLE_END = "</article>"
_SKIP = {"assets", "pagefind"}   # top-level folders that hold no pages


# Read by docs/assets/pdz-search.js (the same address, relative to the site root).
VOCABULARY_FILE = VOCABULARY_URL + "parole.json"


def vocabulary_file(catalog: Catalog) -> dict[str, bytes]:
    """The citizen vocabulary as the search script reads it: for each entry its address, the
    everyday words, the plans' terms and the glossary's acronyms (as written in the text)."""
    entries = []
    for entry in sorted(catalog.all("voce"), key=lambda r: r.id):
        acronyms = [catalog.get("sigla", s) for s in entry.data.get("sigle") or []]
        entries.append({"url": VOCABULARY_URL + "#" + entry.id, "parole": entry.data["parole"],
                        "termini": entry.data["termini"], "sigle": [a.data["sigla"] for a in acronyms if a]})
    text = json.dumps({"voci": entries}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return {VOCABULARY_FILE: text.encode("utf-8")}


class SearchIndexError(RuntimeError):
    pass


def index_site(site_dir: Path) -> str:
    """Write ``site_dir/pagefind/``; return Pagefind's summary. Raise with its output on failure."""
    site_dir = Path(site_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="pdz-search-") as work:
        articles = Path(work)
        if not copy_articles(site_dir, articles):
            raise SearchIndexError(f"Indice di ricerca non creato: nessuna pagina con {ARTICLE!r} in {site_dir}")
        cmd = [sys.executable, "-P", "-m", "pagefind", "--site", str(articles), "--output-path", str(site_dir / "pagefind"),
               "--exclude-selectors", EXCLUDE, "--force-language", "it", "--quiet"]
        result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0 or not (site_dir / "pagefind" / "pagefind.js").exists():
        raise SearchIndexError("Indice di ricerca non creato (Pagefind):\n" + (result.stdout + result.stderr)[-2000:])
    return result.stdout


def copy_articles(site_dir: Path, dest: Path) -> int:
    """Write under ``dest``, at the same paths, a page holding the title and the article of every
    page of ``site_dir`` that has one; return how many."""
    count = 0
    for root, dirs, files in os.walk(site_dir):
        if Path(root) == site_dir:
            dirs[:] = [d for d in dirs if d not in _SKIP]
        for name in files:
            if name.endswith(".html"):
                source = Path(root, name)
                page = article_page(source.read_text(encoding="utf-8"))
                if page is not None:
                    target = dest / source.relative_to(site_dir)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(page, encoding="utf-8")
                    count += 1
    return count


def article_page(html: str) -> str | None:
    """The smallest page Pagefind indexes as it would ``html``: its <title> and its article."""
    start = html.find(ARTICLE)
    end = html.rfind(_ARTICLE_END)
    if start < 0 or end < start:
        return None
    title_start, title_end = html.find("<title>"), html.find("</title>")
    title = html[title_start:title_end + len("</title>")] if 0 <= title_start < title_end < start else ""
    return ('<!doctype html><html lang="it"><head><meta charset="utf-8">' + title + "</head><body>"
            + html[start:end + len(_ARTICLE_END)] + "</body></html>")
