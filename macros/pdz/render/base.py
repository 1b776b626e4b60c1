"""The page a renderer returns (``Page``: address, title, Markdown body with raw HTML blocks,
the content files behind it) and the site's formats for dates, money, numbers and measured
values. Every helper returns HTML in which contributor text is escaped or sanitised.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from pdz.content.urls import src_uri
from pdz.content.values import euro, italian_date, measured_text, number, percent  # noqa: F401 - the site's formats, for the render modules
from pdz.html.text import escape

@dataclass
class Page:
    url: str                    # site-relative, e.g. "corsico/obiettivi/04-tutela-minori/"
    title: str
    body: str                   # Markdown with raw HTML blocks
    source: str | None = None   # content file behind the page, for the edit link
    sources: list = field(default_factory=list)   # extra content files (index pages)
    is_record: bool = False     # the page of one record: dated by its own file only
    search_exclude: bool = False   # kept out of the site search (source texts, list pages 2+)

    @property
    def src_uri(self) -> str:
        return src_uri(self.url)

    def meta(self) -> dict:
        """The page's metadata, as its front matter says it. The title is made inert for
        templates that print it raw."""
        meta = {"title": meta_title(self.title), "render_macros": False}
        if self.source:
            meta["pdz_source"] = self.source
        if self.search_exclude:   # read by overrides/main.html: no data-pagefind-body
            meta["search"] = {"exclude": True}
        return meta

    def markdown(self) -> str:
        """Front matter + body."""
        return front_matter(self.meta()) + "\n" + self.body.rstrip() + "\n"


class _MetaDumper(yaml.SafeDumper):
    """Every string double-quoted: its line breaks of any kind (\\n, \\r, U+0085, U+2028,
    U+2029) and control characters are written as escapes, so no value can end the block."""


_MetaDumper.add_representer(str, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"'))


def front_matter(meta: dict) -> str:
    """The YAML front matter of a generated page, written by the YAML serialiser (never by
    joining strings): whatever the values, MkDocs reads back exactly ``meta``."""
    return "---\n" + yaml.dump(meta, Dumper=_MetaDumper, allow_unicode=True, sort_keys=False,
                                width=float("inf")) + "---\n"


_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def meta_title(title: str) -> str:
    """Theme templates print page titles unescaped (and strip tags, unescaping entities), so
    the characters that could open markup are replaced by look-alikes; a title is one line."""
    return _LINE_BREAKS.sub(" ", str(title).replace("<", "‹").replace(">", "›").replace('"', "”")
                            .replace("&", "&amp;"))


def measured(value: dict, unit: str = "") -> str:
    """One figure as the source writes it, escaped (``content.values.measured_text``)."""
    return escape(measured_text(value, unit))
