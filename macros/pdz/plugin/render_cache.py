"""Finished generated pages reused by the digest of what they are made of (used by
``pdz.plugin.plugin``): ``RenderCache`` keeps them in the build cache (``pdz.site.cache``),
``output_stamp`` digests what every page shares, ``anchor_ids`` lists a page's anchors.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
from pathlib import Path

from pdz.plugin.config import template_values

_ANCHOR_AT = re.compile(r'(?:id|name)="([^"]+)"')   # an anchor of a page's HTML, \b checked by anchor_ids


class RenderCache:
    """Finished generated pages by the digest of everything they are made of (``key``)."""

    INDEX = "pages"

    def __init__(self, cache, stamp: str, memo: dict | None = None, index: dict | None = None):
        self.cache, self.stamp = cache, stamp
        # mkdocs serve: the keys of the last build by what they digest (``key``), and this build's
        self.last_keys: dict = memo if memo is not None else {}
        self.keys: dict = {}
        # mkdocs serve: the index the last build left (``index()``), instead of the cache's file,
        # which that build may not have saved (a new build began first: ``PdzPlugin._after_build``)
        saved = index if index is not None else cache.load(self.INDEX)
        # the pages of the last build, and those of the build before it that it did not use
        # (mkdocs serve and mkdocs build alternating keep both)
        self.previous: dict = saved.get("entries") if isinstance(saved.get("entries"), dict) else {}
        self.entries: dict = {**(saved.get("previous") if isinstance(saved.get("previous"), dict) else {}),
                              **self.previous}
        self.used: dict = {}         # key -> [blob, anchors] of every page of this build
        self.written: list = []      # (dest path, blob) of the pages rendered by this build

    def key(self, page, digest: str, values: dict) -> str:
        # what the digest is made of (the page's metadata is made of its title, source and
        # exclusion), as plain values: a page of serve's last build is not digested again
        made_of = (self.stamp, page.src_uri, page.title, page.source, page.search_exclude, digest, repr(values))
        key = self.last_keys.get(made_of)
        if key is None:
            key = hashlib.sha256(json.dumps([self.stamp, page.src_uri, page.meta(), digest, values],
                                            ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
        self.keys[made_of] = key
        return key

    def known(self, key: str) -> bool:
        """A page was written with ``key`` (its digest and anchors are known)."""
        entry = self.entries.get(key)
        return isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)

    def has(self, key: str) -> bool:
        """... and its finished text is in the cache."""
        return self.known(key) and self.cache.has(self.entries[key][0])

    def anchors(self, key: str) -> set:
        return set(self.entries[key][1])

    def output(self, key: str) -> str | None:
        entry = self.entries[key]
        data = self.cache.get(entry[0])
        if data is None:
            return None
        self.used[key] = entry
        return data.decode("utf-8")

    def record(self, key: str, dest: str, output: str, anchors) -> str:
        sha = hashlib.sha256(output.encode("utf-8", errors="xmlcharrefreplace")).hexdigest()
        self.used[key] = [sha, sorted(anchors)]
        self.written.append((dest, sha))
        return sha

    def index(self) -> dict:
        """The index of this build as ``save`` keeps it: every page it used, and those of the
        build before it that it did not use. (A page whose blob is missing is not read from the
        cache: ``has``.)"""
        return {"entries": self.used, "previous": {k: v for k, v in self.previous.items() if k not in self.used}}

    def save(self, site_dir: Path) -> None:
        """Keep the pages this build wrote (hard links to the site's files) and the index of
        every page it used."""
        for dest, sha in self.written:
            try:
                self.cache.adopt(sha, site_dir / dest)
            except OSError:
                self.used = {k: v for k, v in self.used.items() if v[0] != sha}
        self.cache.save(self.INDEX, self.index())


def anchor_ids(html: str) -> set[str]:
    r"""``set(re.findall(r'\b(?:id|name)="([^"]+)"', html))``, about eight times faster on a page
    (3 % of a cold build's CPU at N=100): a pattern that starts with ``\b`` makes the engine try
    every position; this one finds the next ``id="`` or ``name="`` and checks ``\b`` there (after
    a word character, it looks again one character on, where findall would have gone on looking)."""
    found: set[str] = set()
    pos, search = 0, _ANCHOR_AT.search
    while (match := search(html, pos)) is not None:
        start = match.start()
        if start and (html[start - 1].isalnum() or html[start - 1] == "_"):
            pos = start + 1
        else:
            found.add(match.group(1))
            pos = match.end()
    return found


def output_stamp(config, site, cache) -> str:
    """Digest of what every generated page shares: the code, the theme and its overrides, the
    configuration (the site folder aside), the navigation, the build date and the settings
    the templates read."""
    cache_module = importlib.import_module("pdz.site.cache")
    skip = {"plugins", "theme", "site_dir", "docs_dir", "config_file_path", "dev_addr", "watch"}
    values = {key: _plain(value) for key, value in config.items() if key not in skip}
    theme = config.theme
    values["theme"] = {"vars": _plain(dict(theme.items())), "dirs": [str(d) for d in theme.dirs],
                       "static_templates": sorted(theme.static_templates)}
    values["plugins"] = {name: _plain(dict(plugin.config)) for name, plugin in config.plugins.items()
                         if hasattr(plugin, "config")}
    hasher = cache_module.Hasher("pages", cache_module.code_digest(), json.dumps(values, sort_keys=True, default=str),
                                 os.environ.get("SOURCE_DATE_EPOCH", ""), repr(site.settings),
                                 json.dumps(template_values(site.settings), sort_keys=True))
    custom = config.theme.custom_dir
    if custom:
        cache_module.add_tree(hasher, Path(custom), Path(custom).parent)
    return hasher.hex()


def _plain(value):
    """A configuration value as plain data (for a digest)."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "__dict__"):
        return {k: _plain(v) for k, v in vars(value).items() if not k.startswith("_")} | {"type": type(value).__name__,
                                                                                            "str": str(value)}
    return str(value)
