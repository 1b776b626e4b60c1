"""Content-Security-Policy of every published HTML page (defence in depth).

Contributor text is sanitised and escaped; if a bypass ever appears again, script still must
not run. Every page carries a ``<meta http-equiv="Content-Security-Policy">`` whose
``script-src`` is ``'self'`` plus the SHA-256 hashes of the theme's inline scripts, computed on
the rendered page at build time (so they stay right when Material changes). No
``'unsafe-inline'`` for scripts, ``object-src 'none'``, ``base-uri 'self'``, ``form-action 'self'``.

Which inline scripts are the theme's? Those whose text is an inline script of a template file
(Material's templates and ``overrides/``), where each ``{{ ... }}`` of the template may stand for
a value without quotes or markup (Material's base URL, for one). A script that no template
contains, such as one slipped into contributor text, is never hashed, so the browser refuses it;
inline event handlers (``onerror=``) and ``javascript:`` links are refused by any policy without
``'unsafe-inline'``.

Extending the policy (other features):
- in ``mkdocs.yml``, the ``csp`` option of the ``pdz`` plugin adds sources to directives, for
  example ``csp: {img-src: ["https://host"]}``;
- in the assembly (``pdz.site.assembly``), ``policy.allow("connect-src", "https://analytics.example.org")`` for what
  is conditional (a web-analytics host only when analytics is configured).
``allow`` refuses what would reopen the door to injected script (``'unsafe-inline'``,
``'unsafe-eval'``, ``*``, ``data:`` or ``http:`` in ``script-src``...). A page that needs its own
policy (the Decap CMS admin page, a static file) carries its own meta tag: pages that already
have one are left alone, and SECURITY.md says what that policy must keep.
Headers a meta tag cannot carry (``frame-ancestors``...) are for the hosting: see SECURITY.md.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

BASE = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],     # Material's icons are data: SVG in its stylesheet
    "font-src": ["'self'"],
    "connect-src": ["'self'"],          # the search index
    "worker-src": ["'self'"],           # the search worker
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
_SOURCE = re.compile(r"^(?:'(?:self|none|wasm-unsafe-eval)'|'sha(?:256|384|512)-[A-Za-z0-9+/]+={0,2}'"
                     r"|https://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~/-]*)?|data:|blob:)$")
_SCRIPT_DIRECTIVES = {"script-src", "script-src-elem", "script-src-attr", "default-src", "worker-src"}
_NOT_FOR_SCRIPTS = {"data:", "blob:"}
_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_HOLE = r"[^\"'`<>\\\n]*"    # what a template expression may print inside an inline script
META_NAME = 'http-equiv="Content-Security-Policy"'


class PolicyError(ValueError):
    pass


class Policy:
    def __init__(self, extra: dict | None = None):
        self.directives = {name: list(sources) for name, sources in BASE.items()}
        for directive, sources in (extra or {}).items():
            if not isinstance(sources, list):
                raise PolicyError(f"csp: {directive}: serve un elenco di sorgenti")
            for source in sources:
                self.allow(directive, source)

    def allow(self, directive: str, source: str) -> None:
        if directive not in BASE:
            raise PolicyError(f"CSP: direttiva '{directive}' non prevista (ammesse: {', '.join(BASE)})")
        if not isinstance(source, str) or not _SOURCE.match(source):
            raise PolicyError(f"CSP: {directive}: sorgente {source!r} non ammessa "
                              "(solo 'self', 'none', 'wasm-unsafe-eval', hash, https://host, data:, blob:)")
        if directive in _SCRIPT_DIRECTIVES and source in _NOT_FOR_SCRIPTS:
            raise PolicyError(f"CSP: {directive}: {source} permetterebbe script iniettati")
        if directive in ("object-src", "base-uri"):
            raise PolicyError(f"CSP: {directive} non si allarga")
        if source not in self.directives[directive]:
            self.directives[directive].append(source)

    def value(self, script_hashes=()) -> str:
        parts = []
        for name, sources in self.directives.items():
            if name == "script-src":
                sources = sources + [f"'sha256-{h}'" for h in sorted(set(script_hashes))]
            parts.append(" ".join([name, *sources]))
        return "; ".join(parts)

    def apply(self, html: str, script_hashes=()) -> str:
        """``html`` with the policy as the first element of its head (a CSP meta tag only
        governs what comes after it). A page that already has a policy is left as it is."""
        head_end = html.find("</head>")
        if META_NAME in (html[:head_end] if head_end >= 0 else html):
            return html
        tag = f'<meta {META_NAME} content="{self.value(script_hashes)}">'
        charset = re.search(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", html, re.I)
        head = re.search(r"<head\b[^>]*>", html, re.I)
        at = charset.end() if charset else head.end() if head else 0
        return html[:at] + "\n" + tag + html[at:]


def sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _executable(attributes: str) -> bool:
    kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]+)", attributes, re.I)
    return not re.search(r"\bsrc\s*=", attributes, re.I) and \
        (kind is None or kind.group(1).lower() in ("text/javascript", "module", "application/javascript"))


def template_scripts(template_dirs) -> list[re.Pattern]:
    """The inline scripts of the theme's templates, as patterns of their rendered text."""
    patterns = {}
    for folder in template_dirs:
        for path in sorted(Path(folder).rglob("*.html")):
            for match in _INLINE_SCRIPT.finditer(path.read_text(encoding="utf-8", errors="replace")):
                if not _executable(match.group(1)):
                    continue
                body = match.group(2)
                literal = _JINJA.split(body)
                patterns[body] = re.compile(_HOLE.join(re.escape(part) for part in literal), re.S)
    return list(patterns.values())


def theme_script_hashes(html: str, patterns: list[re.Pattern]) -> list[str]:
    """Hashes of the page's inline scripts that come from the theme's templates."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        body = match.group(2)
        if _executable(match.group(1)) and body.strip() and any(p.fullmatch(body) for p in patterns):
            hashes.append(sha256(body))
    return hashes
