"""How hosts read the site's HTTP header rules, for the tests: the ``_headers`` file the build
writes (as Netlify and as Cloudflare Pages apply it) and the nginx example (hosting/nginx.conf).

Netlify turns each rule's path into a regular expression (``:name`` one folder, ``*`` anything,
an optional final slash, any case) and, for a header set by several matching rules, keeps the
last one's value (netlify/build packages/headers-parser/src/for_regexp.ts; the same engine as
@netlify/headers' headersForPath). Cloudflare Pages applies every matching rule and joins the
values of a header set by more than one with ", ". The site's rules must give the same headers
either way.
"""
from __future__ import annotations

import re
from pathlib import Path


def parse_headers_file(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(path pattern, [(header, value), ...]), ...] in file order."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        else:
            name, _, value = line.strip().partition(":")
            assert rules and value, f"_headers: una riga d'intestazione fuori da una regola: {line!r}"
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def _netlify_regexp(pattern: str) -> re.Pattern:
    parts = []
    for part in [p.rstrip() for p in pattern.split("/") if p.rstrip()]:
        if part.startswith(":"):
            parts.append("([^/]+)")
        elif part == "*":
            parts.append("?(.*)")
        elif "*" in part:
            parts.append(part.replace("*", "(.*)"))
        else:
            parts.append(re.escape(part))
    return re.compile("^/" + "/".join(parts) + "/?$", re.I)


def netlify_headers(rules, path: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for pattern, headers in rules:
        if _netlify_regexp(pattern).match(path):
            for name, value in headers:
                found[name] = value
    return found


def _cloudflare_regexp(pattern: str) -> re.Pattern:
    out = ""
    for token in re.split(r"(\*|:[A-Za-z]\w*)", pattern):
        out += "(.*)" if token == "*" else "([^/]+)" if token.startswith(":") else re.escape(token)
    return re.compile("^" + out + "$")


def cloudflare_headers(rules, path: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for pattern, headers in rules:
        if _cloudflare_regexp(pattern).match(path):
            for name, value in headers:
                found[name] = f"{found[name]}, {value}" if name in found else value
    return found


def nginx_headers(conf: str, uri: str) -> dict[str, str]:
    """The headers the example configuration sends for ``$uri``: its ``map`` blocks (regular
    expressions and default) and its ``add_header`` lines, an empty value sending nothing."""
    maps: dict[str, str] = {}
    for variable, body in re.findall(r"map \$uri \$(\w+) \{(.*?)\}", conf, re.S):
        default, value = None, None
        for key, result in re.findall(r'^\s*("[^"]*"|\S+)\s+"([^"]*)";', body, re.M):
            key = key.strip('"')
            if key == "default":
                default = result
            elif value is None and key.startswith("~") and re.search(key[1:], uri):
                value = result
        maps[variable] = value if value is not None else default
    found = {}
    for name, value in re.findall(r'^\s*add_header ([\w-]+) ("[^"]*"|\S+) always;', conf, re.M):
        value = re.sub(r"\$(\w+)", lambda m: maps[m.group(1)], value.strip('"'))
        if value:
            found[name] = value
    return found


def html_requests(site: Path) -> list[tuple[str, str]]:
    """(site path of an HTML file, address a visitor requests) for every HTML file of ``site``:
    a page both at its folder address and with index.html."""
    out = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "index.html":
            out += [(rel, "/"), (rel, "/index.html")]
        elif rel.endswith("/index.html"):
            out += [(rel, "/" + rel[:-len("index.html")]), (rel, "/" + rel)]
        else:
            out.append((rel, "/" + rel))
    return out
