"""The theme's stylesheet without the rules of the components this site never shows.

Material's ``main.css`` (137 kB, 19 kB with brotli) styles every component of the theme and of
the Markdown extensions it supports: the search box and its results, tabs, tooltips, code
blocks with copy buttons, admonitions, tabbed blocks, keyboard keys, blog posts... This site
enables none of these, and no page of it can show them: the theme renders a component only when
its feature, plugin or Markdown extension is on (mkdocs.yml), our pages are built from our own
markup, and contributor text carries no ``class`` attribute (pdz.html.text allows none).

So the build publishes ``assets/stylesheets/pdz-material.css``: Material's stylesheet as
installed, minus each selector that needs the class of a component that is off (a rule goes
when all its selectors go), and minus the selectors for right-to-left scripts and the dark
scheme, which this site never sets. Nothing is rewritten or reordered: every rule left is
Material's, byte for byte, so the file follows Material when it is updated, and a component
switched on in mkdocs.yml keeps its rules without anyone editing anything. Material's
``palette.css`` only holds the named colour palettes and the dark scheme; with ``primary:
custom`` it styles nothing here, and is not loaded (overrides/main.html).

tests/site/test_theme_css.py checks that no page of the site uses a class whose rules were left
out, and that in Chromium every element of every kind of page has the same computed style
with this stylesheet as with Material's two.
"""
from __future__ import annotations

import re

FILE = "assets/stylesheets/pdz-material.css"
# Component classes -> when the site may show them. A class matches a prefix when it is the
# prefix, or the prefix followed by "__" or "--" (BEM parts), or starts with a prefix ending in "-".
COMPONENTS = [
    (("md-search", "md-search-result"), lambda s: "search" in s.plugins),
    (("md-tabs",), lambda s: "navigation.tabs" in s.features),
    (("md-tooltip", "md-tooltip2"), lambda s: bool({"content.tooltips", "content.code.annotate"} & s.features)),
    (("md-annotation", "md-annotation-list"), lambda s: "content.code.annotate" in s.features),
    (("md-clipboard", "md-code"), lambda s: bool({"content.code.copy", "content.code.select", "content.code.annotate"}
                                                 & s.features)),
    (("md-banner",), lambda s: s.announce or bool(s.extra.get("version"))),
    (("md-version",), lambda s: bool(s.extra.get("version"))),
    (("md-consent",), lambda s: bool(s.extra.get("consent"))),
    (("md-post", "md-pagination", "md-author", "md-profile", "md-draft", "md-pin"), lambda s: "blog" in s.plugins),
    (("md-tag", "md-tags", "md-tag-icon", "md-tag-shadow"), lambda s: "tags" in s.plugins),
    (("md-feedback",), lambda s: bool((s.extra.get("analytics") or {}).get("feedback"))),
    (("md-source-file",), lambda s: any(name.startswith("git-") for name in s.plugins)),
    (("md-progress",), lambda s: "navigation.instant.progress" in s.features),
    (("md-path",), lambda s: "navigation.path" in s.features),
    (("giscus",), lambda s: False),   # comments need a partial of one's own
    (("admonition", "admonition-title"), lambda s: bool({"admonition", "pymdownx.details"} & s.extensions)),
    (("tabbed-set", "tabbed-labels", "tabbed-block", "tabbed-content", "tabbed-control", "tabbed-button"),
     lambda s: "pymdownx.tabbed" in s.extensions),
    (("task-list-item", "task-list-indicator", "task-list-control"), lambda s: "pymdownx.tasklist" in s.extensions),
    (("highlight", "highlighttable", "hll", "linenos", "linenodiv", "filename"),
     lambda s: bool({"pymdownx.highlight", "pymdownx.superfences", "codehilite"} & s.extensions)),
    (("keys", "key-"), lambda s: "pymdownx.keys" in s.extensions),
    (("critic",), lambda s: "pymdownx.critic" in s.extensions),
    (("arithmatex", "katex-html"), lambda s: "pymdownx.arithmatex" in s.extensions),
    (("twemoji", "emojione", "gemoji"), lambda s: "pymdownx.emoji" in s.extensions),
    (("mermaid",), lambda s: "pymdownx.superfences" in s.extensions),
    (("footnote", "footnote-backref", "footnote-ref"), lambda s: "footnotes" in s.extensions),
    (("grid", "cards", "card"), lambda s: "md_in_html" in s.extensions),
]
# Attribute selectors no page of this site matches: it is written left to right, in the default
# scheme (no palette toggle).
NEVER = ("[dir=rtl]", "[data-md-color-scheme=slate]")
_FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\(")
_CLASS = re.compile(r"\.([A-Za-z_][A-Za-z0-9_-]*)")
_GROUPS = ("@media", "@supports", "@layer", "@container")


class SiteFeatures:
    """What the site switches on: theme features, plugins, Markdown extensions, extra."""

    def __init__(self, features=(), plugins=(), extensions=(), extra=None, announce: bool = False):
        self.features, self.plugins, self.extensions = set(features), set(plugins), set(extensions)
        self.extra = dict(extra or {})
        self.announce = announce


def unused_prefixes(site: SiteFeatures) -> tuple[str, ...]:
    return tuple(prefix for prefixes, used in COMPONENTS if not used(site) for prefix in prefixes)


def _unused(name: str, prefixes: tuple[str, ...]) -> bool:
    for prefix in prefixes:
        if name == prefix or (prefix.endswith("-") and name.startswith(prefix)) \
                or name.startswith(prefix + "__") or name.startswith(prefix + "--"):
            return True
    return False


def _required(selector: str) -> str:
    """The selector without the arguments of :not(), :is()... (classes there are not required)."""
    out, i = [], 0
    while True:
        match = _FUNCTIONAL.search(selector, i)
        if not match:
            out.append(selector[i:])
            return "".join(out)
        out.append(selector[i:match.start()])
        depth, k = 1, match.end()
        while depth and k < len(selector):
            depth += {"(": 1, ")": -1}.get(selector[k], 0)
            k += 1
        i = k


def _selectors(prelude: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in prelude:
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _block_end(text: str, start: int) -> int:
    """Index just after the ``}`` that closes the block opened before ``start``."""
    depth, k = 1, start
    while depth:
        char = text[k]
        if char in "\"'":   # a string may hold braces
            k = text.index(char, k + 1)
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        k += 1
    return k


def trim(css: str, prefixes: tuple[str, ...]) -> str:
    """``css`` without the selectors that need a class of ``prefixes`` or match ``NEVER``.
    The minified stylesheet is walked rule by rule (at-rule groups recursively); comments are
    kept as they are (Material's licence line)."""
    def keep(selector: str) -> bool:
        required = _required(selector)
        if any(never in required for never in NEVER):
            return False
        return not any(_unused(name, prefixes) for name in _CLASS.findall(required))

    out, i = [], 0
    while i < len(css):
        if css.startswith("/*", i):
            end = css.index("*/", i) + 2
            out.append(css[i:end])
            i = end
            continue
        brace = css.find("{", i)
        if brace < 0:
            out.append(css[i:])
            break
        prelude = css[i:brace]
        end = _block_end(css, brace + 1)
        if prelude.lstrip().startswith("@"):
            if prelude.lstrip().startswith(_GROUPS):
                inner = trim(css[brace + 1:end - 1], prefixes)
                if inner.strip():
                    out.append(prelude + "{" + inner + "}")
            else:   # @font-face, @keyframes, @page...: whole
                out.append(css[i:end])
        else:
            kept = [s for s in _selectors(prelude) if keep(s)]
            if kept:
                out.append(",".join(kept) + css[brace:end])
        i = end
    return "".join(out)
