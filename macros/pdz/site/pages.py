"""What the build does to each page the site generator writes, given the assembled site.

Generator-neutral: the MkDocs plugin (``pdz.plugin``) calls these with plain values (a page's
URL, its source path, its HTML); another generator would call the same.
"""
from __future__ import annotations

from pdz.html import csp
from pdz.html.prerender import to_html
from pdz.html.tables import label_tables
from pdz.render.dates import italian_date
from pdz.render.changes import NEWS_URL
from pdz.render.context import feed_url
from pdz.site.assembly import Site

__all__ = ["finished_html", "label_tables", "page_date", "feed", "with_policy", "edit_url", "to_html"]


def with_policy(site: Site, html: str) -> str:
    """The page with the site's Content-Security-Policy, hashing the theme's own inline scripts."""
    return site.policy.apply(html, csp.theme_script_hashes(html, site.theme_scripts))


def finished_html(site: Site, path: str, data: bytes) -> bytes:
    """A generated file as it is published: HTML documents carry the policy too."""
    return with_policy(site, data.decode("utf-8")).encode("utf-8") if path.endswith(".html") else data


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
    to, or of the whole site for the list of novelties."""
    first, _, rest = url.partition("/")
    name = rest.split("/")[0]
    if first == "partner" and rest:
        path, record = feed_url("partner", name), site.catalog.get("partner", name)
    elif first == "aree" and rest:
        record = next((a for a in site.catalog.all("area") if a.id.lower() == name), None)
        path = feed_url("area", record.id) if record else ""
    elif url.startswith(NEWS_URL):
        path = feed_url(None)
        return (path, "Novità – Piani di Zona della Lombardia") if path in site.exports else None
    else:
        path, record = feed_url("ambito", first), site.catalog.get("ambito", first)
    if record is not None and path in site.exports:
        title = f"Area {record.data['lettera']}: {record.title}" if record.kind == "area" else record.title
        return path, f"Novità – {title}"
    return None


def edit_url(site: Site, source: str) -> str | None:
    """Where an editor changes the content file behind a generated page."""
    repo = site.settings.repo_url
    return repo.rstrip("/") + "/" + site.settings.edit_path + source if repo else None
