"""The date of last update of every page (AgID guidelines), from the git dates of content files.

- A record page: the last change of its content file.
- Any other generated page (Ambito, area, partner, document, indices): the latest change among
  its own files and the records it lists, i.e. links to. A list changes when a listed record
  changes (its title, its figures), so the page is as new as the newest of them. A page built
  from no file in particular (the list of target groups, the editors' reviews) is as new as the
  newest content file.
- A hand-written page in docs/: the last change of its file; a page that shows content through
  macros (home, open data) also counts the newest content file.
"""
from __future__ import annotations

import posixpath
import re

from pdz.render.base import Page, italian_date

__all__ = ["italian_date", "page_dates"]
HREF = re.compile(r'href="([^"#?:]*)[#?"]')


def _target(here: str, href: str) -> str:
    if not href:
        return here
    joined = posixpath.normpath(posixpath.join(here or ".", href))
    return "" if joined == "." else joined.strip("/") + "/"


def page_dates(pages: list[Page], updated: dict[str, str], memo: dict | None = None) -> dict[str, str]:
    """Site-relative page URL → ISO date of last update (pages with no dated file are left out).
    ``memo`` (kept by ``mkdocs serve``): page URL -> (body, the addresses it links to) of the
    last build, given again for the same body (the same string)."""
    record_pages = {p.url: p.source for p in pages if p.is_record and p.source}
    dates: dict[str, str] = {}
    newest = max(updated.values(), default=None)
    last = dict(memo) if memo is not None else {}
    if memo is not None:
        memo.clear()
    for page in pages:
        files = [page.source] if page.source else []
        if not page.is_record:
            files += page.sources
            entry = last.get(page.url)
            if entry is None or entry[0] is not page.body:
                entry = (page.body, [_target(page.url, h) for h in HREF.findall(page.body)])
            if memo is not None:
                memo[page.url] = entry
            files += [record_pages[t] for t in entry[1] if t in record_pages]
        known = [updated[f] for f in files if f in updated]
        if known:
            dates[page.url] = max(known)
        elif not page.is_record and not files and newest:
            dates[page.url] = newest
    return dates
