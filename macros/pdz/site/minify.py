"""The site's own scripts and stylesheets as published: without comments and spacing.

``docs/assets/pdz*.js`` and ``pdz*.css`` are written to be read (their comments say why each rule
or step is there); a phone needs none of that. The build publishes them minified (issue #27:
on an objective page's first visit they were 18.7 kB with brotli, 11.8 kB minified) by
ndparker's rjsmin and rcssmin, which only drop comments and whitespace: nothing is renamed or
rewritten, so what runs and what is styled is what the source says. The sources stay as they are
in docs/; tests/site/test_minify.py checks that every published asset is its source minified.
"""
from __future__ import annotations

import re

import rcssmin
import rjsmin

# Our assets (not Material's, already minified; not the web editor's pinned build under admin/).
OWN_ASSET = re.compile(r"assets/pdz[\w.-]*\.(js|css)")


def is_own_asset(src_uri: str) -> bool:
    return OWN_ASSET.fullmatch(src_uri) is not None


def minified(src_uri: str, text: str) -> str:
    """``text`` of the asset at ``src_uri`` without comments and spacing."""
    if src_uri.endswith(".js"):
        return rjsmin.jsmin(text) + "\n"
    return rcssmin.cssmin(text) + "\n"
