"""The site search index: Pagefind run over the built site (no MkDocs import).

Pagefind reads the HTML that the build wrote and indexes only the element marked
``data-pagefind-body`` (the article of each page: not the navigation nor the footer); pages
without it (source texts, redirects, printable plans, the 404) stay out. Titles weigh more than
body text (Pagefind weighs headings by level; the facets block of each page names its title).
Filters and result metadata come from ``data-pagefind-filter`` / ``data-pagefind-meta``
attributes that ``render/facets.py`` writes.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# What the Content-Security-Policy of every page must allow in script-src for the search: the
# engine compiles its WebAssembly module (no eval of JavaScript). The CSP builder (issue #11)
# adds these to 'self' and the hashes of inline scripts.
SCRIPT_SOURCES = ("'wasm-unsafe-eval'",)
# Anchors that Python-Markdown adds after headings ("¶") carry no words.
EXCLUDE = ".headerlink"


class SearchIndexError(RuntimeError):
    pass


def index_site(site_dir: Path) -> str:
    """Write ``site_dir/pagefind/``; return Pagefind's summary. Raise with its output on failure."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--exclude-selectors", EXCLUDE,
           "--force-language", "it", "--quiet"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0 or not (Path(site_dir) / "pagefind" / "pagefind.js").exists():
        raise SearchIndexError("Indice di ricerca non creato (Pagefind):\n" + (result.stdout + result.stderr)[-2000:])
    return result.stdout
