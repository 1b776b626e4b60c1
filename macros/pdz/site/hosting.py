"""The HTTP headers the hosting sends: what a ``<meta>`` Content-Security-Policy cannot carry.

Every embeddable card of an objective (``<objective>/scheda/``) may be framed by any site, so
partners can show it; every other page only by the site itself (``frame-ancestors 'self'`` and
``X-Frame-Options: SAMEORIGIN``, against clickjacking). The build writes these rules into
``_headers`` at the root of the site, the file Netlify and Cloudflare Pages read from the published
folder; ``hosting/nginx.conf`` does the same for nginx (SECURITY.md, docs/gestione.md). GitHub Pages
sends no custom header at all.

The two hosts combine the rules that match one address differently (Netlify: a later rule's
value replaces an earlier one's; Cloudflare Pages: the values are joined, which for two
Content-Security-Policy values means both apply). So a framing header is never set by two rules
that can match the same address: the common headers go under ``/*``, the framing ones under
patterns that tell cards from pages by their depth and last folder (``:p1`` matches one folder).
"""
from __future__ import annotations

from pdz.content.problems import Problem

HEADERS_FILE = "_headers"
# Every response (as before, SECURITY.md).
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_POLICY = "object-src 'none'; base-uri 'self'; form-action 'self'"
CARD = {"Content-Security-Policy": f"frame-ancestors *; {_POLICY}"}   # any site may frame it
PAGE = {"Content-Security-Policy": f"frame-ancestors 'self'; {_POLICY}", "X-Frame-Options": "SAMEORIGIN"}
INDEX = "index.html"


def _folders(path: str) -> list[str] | None:
    """The folders of a page published as ``<folders>/index.html``; None for another file."""
    if path == INDEX:
        return []
    return path[:-len(INDEX)].strip("/").split("/") if path.endswith("/" + INDEX) else None


def _pattern(folders: list[str]) -> str:
    return "/" + "".join(f"{f}/" for f in folders)


def _any(depth: int) -> list[str]:
    return [f":p{i}" for i in range(1, depth + 1)]


def framing_rules(pages: list[str], cards: set[str]) -> tuple[list[tuple[str, dict]], list[Problem]]:
    """(pattern, headers) for every HTML file of the site: ``cards`` get CARD, the other ``pages``
    PAGE, with patterns that no page of the other kind matches."""
    card_depths: dict[int, set[str]] = {}
    page_depths: dict[int, set[str]] = {}
    files, problems = [], []
    for path in sorted(set(pages) | cards):
        folders = _folders(path)
        if folders is None:
            files.append(path)
            continue
        kinds = card_depths if path in cards else page_depths
        kinds.setdefault(len(folders), set()).add(folders[-1] if folders else "")
    rules: list[tuple[str, dict]] = []
    for depth, names in sorted(card_depths.items()):
        for name in sorted(names):
            rules.append((_pattern(_any(depth - 1) + [name]), CARD))
    for depth, names in sorted(page_depths.items()):
        if depth not in card_depths:
            rules.append((_pattern(_any(depth)), PAGE))
            continue
        for name in sorted(names):
            if name in card_depths[depth]:
                problems.append(Problem(HEADERS_FILE, 0, "", f"una pagina a profondità {depth} finisce in «{name}/» "
                                        "come le schede incorporabili: le intestazioni non saprebbero distinguerle",
                                        "rinomina la pagina"))
            rules.append((_pattern(_any(depth - 1) + [name]), PAGE))
    rules = [(p, h) for pattern, headers in rules for p, h in ((pattern, headers), (pattern + INDEX, headers))]
    rules += [("/" + path, PAGE) for path in files]
    return rules, problems


def headers_file(pages: list[str], cards: set[str]) -> tuple[bytes, list[Problem]]:
    """The ``_headers`` file of Netlify and Cloudflare Pages."""
    rules, problems = framing_rules(pages, cards)
    lines = ["# HTTP headers of the site for Netlify and Cloudflare Pages, written by the build",
             "# (macros/pdz/site/hosting.py; SECURITY.md). Every response:", "/*"]
    lines += [f"  {name}: {value}" for name, value in COMMON.items()]
    lines.append("# Framing: the embeddable cards of the objectives by any site, every other page by this site only.")
    for pattern, headers in rules:
        lines.append(pattern)
        lines += [f"  {name}: {value}" for name, value in headers.items()]
    return ("\n".join(lines) + "\n").encode("utf-8"), problems
