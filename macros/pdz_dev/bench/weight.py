"""Bytes a visitor downloads (issue #15 budgets), measured in Chromium at phone size.

- ``first_visit``: one page opened with nothing cached (a new browser context), every request
  until the page is loaded and the network is idle;
- ``first_search``: after that first visit, one query typed in the search box: every request
  from the first keystroke until the results are on screen (engine, index, results).

Bytes are what the server sent (headers + body, as Chromium counts them). The test server
(tests/browser_helpers.serve) sends files uncompressed, as a static host without compression
would: an upper bound of what a compressing host sends.
"""
from __future__ import annotations



from pdz_dev.browser import PHONE, Visit

FIRST_VISIT_BUDGET = 450 * 1024
SEARCH_BUDGET = 400 * 1024
SEARCH_DONE = "([q]) => { const b = document.getElementById('pdz-search'); " \
              "return b && b.dataset.state === 'done' && b.dataset.query === q; }"


class Meter:
    """Counts the bytes of every finished request of a page."""

    def __init__(self, page):
        self.bytes = 0
        self.urls: list[tuple[str, int, int]] = []   # address, bytes, HTTP status
        page.on("requestfinished", self._count)

    def _count(self, request):
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        response = request.response()
        self.bytes += size
        self.urls.append((request.url, size, response.status if response else 0))

    def reset(self):
        self.bytes, self.urls = 0, []


def first_visit(browser, base: str, url: str) -> tuple[int, list]:
    visit = Visit(browser, base, PHONE, is_mobile=True, has_touch=True)
    try:
        meter = Meter(visit.page)
        visit.page.goto(base + url, wait_until="networkidle")
        return meter.bytes, meter.urls
    finally:
        visit.close()


def first_search(browser, base: str, query: str, url: str = "") -> tuple[int, list]:
    """Bytes of one search typed by a visitor on ``url`` (phone size: the magnifier opens it)."""
    visit = Visit(browser, base, PHONE, is_mobile=True, has_touch=True)
    try:
        page = visit.page
        page.goto(base + url, wait_until="networkidle")
        meter = Meter(page)
        page.click(".pdz-search__open")
        page.keyboard.type(query)
        page.wait_for_function(SEARCH_DONE, arg=[query])
        page.wait_for_load_state("networkidle")
        return meter.bytes, meter.urls
    finally:
        visit.close()
