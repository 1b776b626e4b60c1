"""Every internal link and anchor of the built site resolves (a checker of the produced HTML,
beside MkDocs' own strict validation of the Markdown sources).

Each HTML file of the real site is parsed with html.parser; every href/src that stays on the
site is resolved against the file, the target file must exist and its #fragment must be an id
(or <a name>) of the target page. Links to other hosts are only counted, never fetched.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from pdz_dev.project import SUMMARY, mkdocs_config

SITE_URL = mkdocs_config()["site_url"]   # the default of !ENV [PDZ_SITE_URL, ...]: the real site is built without it
LINK_ATTRIBUTES = {"href", "src", "poster", "data"}   # <a>, <link>, <img>, <script>, <source>, <object>...
SKIPPED_SCHEMES = {"mailto", "tel", "data"}


@dataclass
class PageScan:
    ids: set = field(default_factory=set)
    links: list = field(default_factory=list)   # (attribute, value, line)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.scan.ids.add(value)
            elif name in LINK_ATTRIBUTES and tag != "base":
                self.scan.links.append((name, value, self.getpos()[0]))

    handle_startendtag = handle_starttag


def scan_page(path: Path) -> PageScan:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector.scan


@dataclass
class SiteLinks:
    pages: int = 0
    internal: int = 0          # links to a file of the site (with or without fragment)
    anchors: int = 0           # of which with a #fragment checked against the target's ids
    external: Counter = field(default_factory=Counter)   # host -> number of links
    broken: list = field(default_factory=list)


def resolve(site: Path, page: Path, value: str):
    """(target file, fragment) for a link that stays on the site, or (None, host) for another host,
    or None for links that are not checked (mailto:, data:...)."""
    rel = page.relative_to(site).as_posix()
    value = value.strip()
    if value.startswith(SITE_URL):            # canonical links and the like: same site, absolute
        value = "/" + value[len(SITE_URL):]
    parts = urlsplit(value)
    if parts.scheme in SKIPPED_SCHEMES:
        return None
    if parts.scheme or parts.netloc:
        return None, parts.netloc or parts.scheme
    absolute = urlsplit(urljoin("https://site.invalid/" + rel, value))
    path = unquote(absolute.path).lstrip("/")
    target = site / path
    if path == "" or path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(absolute.fragment)


def check_site(site: Path) -> SiteLinks:
    result = SiteLinks()
    pages = sorted(site.rglob("*.html"))
    scans = {page: scan_page(page) for page in pages}
    result.pages = len(pages)
    for page, scan in scans.items():
        where = page.relative_to(site).as_posix()
        for attribute, value, line in scan.links:
            if value.lower().lstrip().startswith("javascript:"):
                result.broken.append(f"{where}:{line}: {attribute}={value!r}: link javascript:")
                continue
            resolved = resolve(site, page, value)
            if resolved is None:
                continue
            target, fragment = resolved
            if target is None:
                result.external[fragment] += 1
                continue
            result.internal += 1
            if not target.is_file():
                result.broken.append(f"{where}:{line}: {attribute}={value!r}: file mancante "
                                     f"{target.relative_to(site).as_posix() if site in target.parents else target}")
                continue
            if not fragment:
                continue
            result.anchors += 1
            if target.suffix != ".html":
                result.broken.append(f"{where}:{line}: {value!r}: ancora verso un file non HTML")
            elif fragment not in scans[target].ids:
                result.broken.append(f"{where}:{line}: {attribute}={value!r}: ancora #{fragment} "
                                     f"assente in {target.relative_to(site).as_posix()}")
    return result


@pytest.fixture(scope="module")
def links(real_site) -> SiteLinks:
    result = check_site(real_site)
    SUMMARY["collegamenti interni verificati"] = (
        f"{result.internal} (di cui {result.anchors} con ancora #) in {result.pages} pagine HTML; "
        f"{sum(result.external.values())} collegamenti esterni verso {len(result.external)} siti, non aperti")
    return result


def test_every_internal_link_and_anchor_resolves(links):
    figures = f"{links.internal} links, {links.anchors} anchors, {links.pages} pages"
    assert links.broken == [], f"{len(links.broken)} broken of {figures}:\n" + "\n".join(links.broken[:50])


def test_the_checker_saw_the_whole_site(links):
    # guards against a checker that silently checks nothing (e.g. parsing no page)
    assert links.pages >= 400, links.pages
    assert links.internal >= 10_000, links.internal
    assert links.anchors >= 1_000, links.anchors


def test_the_checker_finds_broken_links_and_anchors(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#x">ok</a><a href="#top" id="top">ok</a>'
        '<a href="manca/">no</a><a href="a/#assente">no</a><img src="img.png">'
        '<a href="https://example.org/">ext</a><a href="mailto:x@example.org">mail</a>'
        '<a href="javascript:alert(1)">js</a>', encoding="utf-8")
    (site / "a" / "index.html").write_text('<h2 id="x">x</h2><a href="../#top">up</a>', encoding="utf-8")
    result = check_site(site)
    assert result.internal == 7 and result.anchors == 4
    assert result.external == Counter({"example.org": 1})
    assert [b.split(": ", 1)[1] for b in result.broken] == [
        "href='manca/': file mancante manca/index.html",
        "href='a/#assente': ancora #assente assente in a/index.html",
        "src='img.png': file mancante img.png",
        "href='javascript:alert(1)': link javascript:",
    ]


def test_every_sitemap_address_is_a_page_of_the_site(real_site):
    locations = re.findall(r"<loc>([^<]+)</loc>", (real_site / "sitemap.xml").read_text(encoding="utf-8"))
    assert len(locations) >= 400
    missing = []
    for location in locations:
        assert location.startswith(SITE_URL), location
        target, _ = resolve(real_site, real_site / "index.html", location)
        if not target.is_file():
            missing.append(location)
    assert missing == []
