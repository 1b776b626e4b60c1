"""What the build does to each page the site generator writes, given the assembled site.

Generator-neutral: the MkDocs plugin (``pdz.plugin``) calls these with plain values (a page's
URL, its source path, its HTML); another generator would call the same.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from pdz.html.prerender import to_html
from pdz.html.tables import label_tables
from pdz.render.dates import italian_date
from pdz.render.changes import NEWS_URL
from pdz.site.assembly import Site

__all__ = ["finished_html", "label_tables", "page_date", "feed", "with_policy", "edit_url", "to_html", "page_scripts",
           "Chrome"]

# The site's scripts that act only on what some pages hold, by what they look for in the page's
# content: a page without it does not load them (a phone's first visit of an objective page is
# 2 kB lighter with brotli, issue #27). Each script does nothing on a page without its mark.
PAGE_SCRIPTS = {
    "assets/pdz-comuni.js": "data-pdz-comuni",       # the Comune finder (render/comuni.py)
    "assets/pdz-source.js": 'class="pdz-line"',      # the lines of a source text (render/sourcetext.py)
    "assets/pdz-copy.js": "data-pdz-copy",           # "Copia il codice" of an embeddable card (render/embed.py)
    "assets/pdz-abbr.js": "data-glossario",          # an acronym of the glossary (html/text.py)
    "assets/pdz-tables.js": 'role="table"',          # a table, labelled for phones (html/tables.py)
}
_SCRIPT_TAG = re.compile(r'[ \t]*<script src="([^"]+)"[^>]*></script>\n?')


def with_policy(site: Site, html: str) -> str:
    """The page with the site's Content-Security-Policy, hashing the theme's own inline scripts."""
    return site.with_policy(html)


def finished_html(site: Site, path: str, data: bytes) -> bytes:
    """A generated file as it is published: HTML documents carry the policy too."""
    return site.finished(path, data)


def page_date(site: Site, url: str, docs_source: str | None, shows_content: bool) -> tuple[str, str] | None:
    """(ISO date, Italian date) of the page's last update (AgID), or None when unknown.
    ``docs_source``: the docs/ file of a hand-written page; ``shows_content``: it prints content
    through macros, so it is as new as the newest content file too."""
    date = site.dates.get(url)
    if date is None and docs_source is not None:
        dates = [site.docs_dates.get("docs/" + docs_source)]
        if shows_content:
            dates.append(max(site.updated.values(), default=None))
        date = max((d for d in dates if d), default=None)
    return (date, italian_date(date)) if date else None


def feed(site: Site, url: str) -> tuple[str, str] | None:
    """(feed path, title) of the Atom feed of the Ambito, partner or policy area the page belongs
    to, or of the whole site for the list of novelties (the assembly lists them: ``Site.feeds``)."""
    first, _, rest = url.partition("/")
    name = rest.split("/")[0]
    if first == "partner" and rest:
        key = f"partner/{name}"
    elif first == "aree" and rest:
        key = f"aree/{name}"
    elif url.startswith(NEWS_URL):
        key = NEWS_URL
    else:
        key = f"ambito/{first}"
    return site.feeds.get(key)


def edit_url(site: Site, source: str) -> str | None:
    """Where an editor changes the content file behind a generated page."""
    repo = site.settings.repo_url
    return repo.rstrip("/") + "/" + site.settings.edit_path + source if repo else None


def page_scripts(scripts: str, content: str | None) -> str:
    """The theme's script tags of a page (``scripts``) without those of PAGE_SCRIPTS that find
    nothing to act on in its ``content`` (the article's HTML)."""
    def kept(tag: re.Match) -> str:
        mark = next((m for path, m in PAGE_SCRIPTS.items() if tag.group(1).endswith(path)), None)
        return "" if mark is not None and mark not in (content or "") else tag.group(0)
    return _SCRIPT_TAG.sub(kept, scripts)


class Chrome:
    """Parts of the theme (the navigation) rendered once for all the pages they are the same on.

    A part that depends on the page only through the links it writes, which are relative to the
    page's address, is the same on every page outside the navigation that sits in the same
    folder: from ``a/b/x/`` and ``a/b/y/`` a link to any address not inside ``a/b/x/`` or
    ``a/b/y/`` reads the same. So a page whose address holds nothing of the navigation (no item
    of it, nor the folder of one) shares the part with the other pages of its folder; any other
    page renders its own."""

    def __init__(self, nav):
        self._inside: set[str] = {""}   # addresses that hold an item of the navigation
        for url in _nav_urls(getattr(nav, "items", None) or []):
            parts = url.split("/")
            self._inside.update("/".join(parts[:i]) + "/" for i in range(1, len(parts)))
            self._inside.add(url)
        self._done: dict[tuple, str] = {}

    def get(self, part: str, url: str, editors: bool, render: Callable[[], str]) -> str:
        if not url.endswith("/") or url in self._inside:
            return render()
        key = (part, posixpath.dirname(url[:-1]), editors)
        done = self._done.get(key)
        if done is None:
            done = self._done[key] = render()
        return done


def _nav_urls(items) -> list[str]:
    urls = []
    for item in items:
        url = getattr(item, "url", None)
        if isinstance(url, str):
            urls.append(url)
        urls += _nav_urls(getattr(item, "children", None) or [])
    return urls
