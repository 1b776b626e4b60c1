"""Bytes a visitor downloads, as a phone receives them: every file a visit asks for, measured
raw, gzip-compressed and brotli-compressed.

- ``first_visit``: one page opened in Chromium at phone size with nothing cached (a new browser
  context), every request until the page is loaded and the network is idle;
- ``first_search``: after that first visit, one query typed in the search box: every request
  from the first keystroke until the results are on screen, those of the search engine's
  worker included (the engine, its WebAssembly, the index chunks, the fragments of the results).

Which files are asked for is read from the web server's own log (a worker's requests reach the
server like the page's, whether or not the browser reports them to the page), and their sizes
from the files: raw, gzip (zlib level 6, what most hosts use when they compress on the fly) and
brotli (quality 11, what a host that compresses ahead of time serves). Text files are
compressed (HTML, CSS, JavaScript, JSON, SVG, XML); fonts (WOFF2) and Pagefind's index files,
which are compressed already, are counted as they are. HTTP headers are not counted.
"""
from __future__ import annotations

import gzip
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pdz_dev.browser import PHONE, Visit

FIRST_VISIT_BUDGET = 110 * 1000       # bytes as received (brotli), every page kind, every N (issue #27)
SEARCH_BUDGET = 350 * 1000            # one search, every file counted (issue #27)
COMPRESSED = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".csv", ".map"}
SEARCH_DONE = "([q]) => { const b = document.getElementById('pdz-search'); " \
              "return b && b.dataset.state === 'done' && b.dataset.query === q; }"


@dataclass
class Weight:
    raw: int = 0
    gzip: int = 0
    brotli: int = 0
    files: list = field(default_factory=list)   # (site path, raw, gzip, brotli)
    failed: list = field(default_factory=list)  # (site path, HTTP status) of what was asked for in vain

    def add(self, path: str, raw: int, gz: int, br: int) -> None:
        self.raw += raw
        self.gzip += gz
        self.brotli += br
        self.files.append((path, raw, gz, br))


_SIZES: dict[tuple, tuple[int, int, int]] = {}


def sizes(file: Path) -> tuple[int, int, int]:
    """(raw, gzip, brotli) bytes of a file as a host sends it."""
    import brotli   # pinned in requirements.txt: the benchmark's brotli figures
    stat = file.stat()
    key = (str(file), stat.st_size, stat.st_mtime_ns)
    if key not in _SIZES:
        data = file.read_bytes()
        if file.suffix in COMPRESSED:
            _SIZES[key] = (len(data), len(gzip.compress(data, compresslevel=6, mtime=0)),
                           len(brotli.compress(data, quality=11)))
        else:
            _SIZES[key] = (len(data),) * 3
    return _SIZES[key]


def weigh(site: Path, requests: list) -> Weight:
    """The bytes of the files behind ``requests`` ((path, status) as the server answered them)."""
    weight = Weight()
    for request, status in requests:
        if 300 <= status < 400:   # a redirect: its few bytes, then the file asked for again
            continue
        if status >= 400:
            weight.failed.append((request, status))
        path = unquote(urlsplit(request).path).lstrip("/")
        file = site / path
        if file.is_dir() or not path or path.endswith("/"):
            file = file / "index.html"
        if not file.is_file():
            file = site / "404.html"
        weight.add(path or "/", *sizes(file))
    return weight


def phone_visitor(browser, base: str) -> Visit:
    """A visitor at phone size that caches nothing: every file a page asks for reaches the server."""
    return Visit(browser, base, PHONE, is_mobile=True, has_touch=True, uncached=True)


@contextmanager
def _visitor(browser, base: str, visitor: Visit | None):
    """``visitor`` reset for a first visit (Visit.reset: a new document, storage and cookies
    cleared; it caches nothing), or a new one for this visit only (a new browser context)."""
    if visitor is not None:
        visitor.reset()
        yield visitor
        return
    visitor = phone_visitor(browser, base)
    try:
        yield visitor
    finally:
        visitor.close()


def first_visit(browser, base: str, url: str, log: list, site: Path, visitor: Visit | None = None) -> Weight:
    """Every file of one page opened with nothing cached, at phone size (``visitor``: a
    phone_visitor to reuse, which asks for the same files as a new one, without a new context)."""
    with _visitor(browser, base, visitor) as visit:
        log.clear()
        visit.page.goto(base + url, wait_until="networkidle")
        return weigh(site, list(log))


def first_search(browser, base: str, query: str, log: list, site: Path, url: str = "",
                 visitor: Visit | None = None) -> Weight:
    """Every file of one search typed by a visitor on ``url`` (phone size: the magnifier opens it)."""
    with _visitor(browser, base, visitor) as visit:
        page = visit.page
        page.goto(base + url, wait_until="networkidle")
        log.clear()
        page.click(".pdz-search__open")
        page.keyboard.type(query)
        page.wait_for_function(SEARCH_DONE, arg=[query])
        page.wait_for_load_state("networkidle")
        return weigh(site, list(log))
