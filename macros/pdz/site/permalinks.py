"""Permanent URLs: the committed list of published URLs, and redirects for moved pages.

A published URL may only disappear together with a redirect to its successor
(``redirects.yaml``: old URL → new URL). ``make permalinks`` appends new URLs to the list.
"""
from __future__ import annotations

from pathlib import Path


LIST_FILE = "permalinks.txt"


def site_urls(site_dir: Path) -> list[str]:
    """Every page of a built site, as site-relative directory URLs ('' is the home page)."""
    urls = []
    for page in site_dir.rglob("index.html"):
        rel = page.parent.relative_to(site_dir).as_posix()
        urls.append("" if rel == "." else rel + "/")
    return sorted(urls)


def read_list(root: Path) -> list[str]:
    """The committed published URLs, site-relative ('' is the home page)."""
    path = root / LIST_FILE
    if not path.exists():
        return []
    return [line.strip()[1:] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip().startswith("/")]


def missing_permalinks(listed: list[str], site_dir: Path, redirects: dict[str, str]) -> list[str]:
    """Published URLs that neither exist nor redirect to a page that exists."""
    def exists(url):
        return (site_dir / url / "index.html").exists()
    return [url for url in listed
            if not (exists(url) and url not in redirects) and not (url in redirects and exists(redirects[url]))]
