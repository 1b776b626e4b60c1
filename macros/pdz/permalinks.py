"""Permanent URLs: the committed list of published URLs, and redirects for moved pages.

A published URL may only disappear together with a redirect to its successor
(``redirects.yaml``: old URL → new URL). ``make permalinks`` appends new URLs to the list.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from .text import escape
from .urls import relative

LIST_FILE = "permalinks.txt"
REDIRECTS_FILE = "redirects.yaml"


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


def load_redirects(root: Path) -> tuple[dict[str, str], list[str]]:
    """Returns (redirects, problems). Both sides are site-relative URLs ending with '/'."""
    path = root / REDIRECTS_FILE
    if not path.exists():
        return {}, []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    problems = []
    if not isinstance(data, dict):
        return {}, [f"{REDIRECTS_FILE}: deve contenere righe 'vecchio/indirizzo/: nuovo/indirizzo/'"]
    for old, new in data.items():
        if not (isinstance(old, str) and isinstance(new, str) and old.endswith("/") and new.endswith("/")):
            problems.append(f"{REDIRECTS_FILE}: '{old}: {new}': gli indirizzi sono relativi al sito e finiscono con '/'")
    return data, problems


def preview_redirects(redirects: dict[str, str], ambito: str, root: Path) -> dict[str, str]:
    """A single-Ambito preview publishes no page of another Ambito, redirects included."""
    base = root / "content" / "ambiti"
    others = {p.name for p in base.iterdir() if p.is_dir()} - {ambito} if base.is_dir() else set()
    return {old: new for old, new in redirects.items() if old.split("/")[0] not in others}


def redirect_page(old: str, new: str) -> bytes:
    target = escape(relative(old, new))
    return (
        '<!doctype html>\n<html lang="it">\n<head>\n<meta charset="utf-8">\n<title>Pagina spostata</title>\n'
        f'<link rel="canonical" href="{target}">\n<meta http-equiv="refresh" content="0; url={target}">\n'
        '<meta name="robots" content="noindex">\n</head>\n<body>\n<main>\n<h1>Pagina spostata</h1>\n'
        f'<p>Questa pagina ha un nuovo indirizzo: <a href="{target}">vai alla nuova pagina</a>.</p>\n'
        "</main>\n</body>\n</html>\n").encode("utf-8")


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
