"""Permanent URLs: the committed list of published URLs, and redirects for moved pages.

A published URL may only disappear together with a redirect to its successor
(``redirects.yaml``: old URL → new URL). ``make permalinks`` appends new URLs to the list.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .redirects import load_redirects

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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make permalinks")
    parser.add_argument("--site", default="site")
    parser.add_argument("--root", default=".")
    args = parser.parse_args(argv)
    root, site = Path(args.root), Path(args.site)
    known = read_list(root)
    new = [url for url in site_urls(site) if url not in set(known)]
    header = "# Indirizzi pubblicati: non cancellare righe. Un indirizzo può sparire solo con un redirect in redirects.yaml.\n"
    (root / LIST_FILE).write_text(header + "".join(f"/{url}\n" for url in sorted(known + new)), encoding="utf-8")
    print(f"{len(new)} nuovi indirizzi aggiunti a {LIST_FILE} ({len(known) + len(new)} in tutto).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
