"""What a page is written with: the build every page shares, and the page being written.

Rendering is composition: every block is a function of a ``PageContext`` (its links are relative
to the page's address) and the records it shows; every page family is a module of such
functions with one entry point per page. No block keeps the page being written in mutable
state: a page that needs another address (a printable plan placing a plan's body) asks for
``ctx.at(url)``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from pdz.content.catalog import Catalog
from pdz.content.model import Record
from pdz.content.urls import page_url, relative
from pdz.domain.changes import History
from pdz.domain.monitoring import Monitoring, monitoring_of
from pdz.html.text import TextRenderer, escape
from pdz.render.italian import SentenceCase, in_capitals

# Names written as their owners write them (acronyms, partners' names, the Ambiti's names).
_OWN_SPELLING = {"sigla", "partner", "ambito", "documento", "area", "voce"}
_AMBITO_PREFIX = re.compile(r"^(ambito|distretto)( territoriale)?( del| dell'| di)?\s+", re.IGNORECASE)

FEED_NAME = "novita.xml"
FEED_KINDS = ("ambito", "partner", "area")   # the pages that offer their feed (and the site's, at the root)


def feed_url(kind: str | None, record_id: str = "") -> str:
    """Where the Atom feed of an Ambito, a partner or a policy area is published (beside its page);
    of the whole site with no kind."""
    return page_url(kind, record_id) + FEED_NAME if kind else FEED_NAME


def text_renderer(catalog: Catalog) -> TextRenderer:
    """The converter of contributor text, with the glossary's abbreviations. One per build, shared
    by pages and printable plans, so each distinct text is converted once."""
    acronyms = catalog.all("sigla")
    return TextRenderer({r.data["sigla"]: r.data["esteso"] for r in acronyms}, {r.data["sigla"]: r.id for r in acronyms})


@dataclass
class Build:
    """What every page of one build shares (read-only once made)."""
    catalog: Catalog
    updated: dict = field(default_factory=dict)   # content path -> date of its last change
    text: TextRenderer | None = None              # shared, so each distinct text is converted once
    preview: str | None = None                    # one Ambito only: fewer shared pages
    site_url: str = ""                            # the public address ("" = none: no citation box, no feeds)
    history: History | None = None                # every record's changes (pdz.domain.changes), when in git

    def __post_init__(self):
        if self.text is None:
            self.text = text_renderer(self.catalog)

    @cached_property
    def monitoring(self) -> Monitoring:
        return monitoring_of(self.catalog)

    @cached_property
    def kept_words(self) -> tuple[dict[str, str], list[str]]:
        """What a title in capitals keeps when shown in sentence case: the acronyms of the
        glossary and of the partners (upper case -> spelling) and the names of places (Comuni,
        subambiti, Ambiti with and without "Ambito di")."""
        acronyms = {r.data["sigla"].upper(): r.data["sigla"] for kind in ("sigla", "partner")
                    for r in self.catalog.all(kind) if r.data.get("sigla")}
        names = []
        for a in self.catalog.all("ambito"):
            for name in [a.title, *(a.data.get("nomi_alternativi") or [])]:
                if not name.isupper():
                    names += [name, _AMBITO_PREFIX.sub("", name)]
            names += [c["nome"] for c in (a.data.get("comuni") or []) + (a.data.get("subambiti") or [])]
        return acronyms, sorted({n for n in names if n})

    @cached_property
    def sentence_case(self) -> SentenceCase:
        return SentenceCase(*self.kept_words)

    def page(self, url: str) -> PageContext:
        return PageContext(self, url)


@dataclass(frozen=True)
class PageContext:
    """The page being written: its site-relative address, and the build."""
    build: Build
    url: str

    def at(self, url: str) -> PageContext:
        """The same build, writing the page at ``url``."""
        return PageContext(self.build, url)

    @property
    def catalog(self) -> Catalog:
        return self.build.catalog

    @property
    def text(self) -> TextRenderer:
        return self.build.text

    @property
    def updated(self) -> dict:
        return self.build.updated

    @property
    def preview(self) -> str | None:
        return self.build.preview

    @property
    def site_url(self) -> str:
        return self.build.site_url

    @property
    def monitoring(self) -> Monitoring:
        return self.build.monitoring

    @property
    def history(self) -> History | None:
        return self.build.history

    def feed_url(self, kind: str, record_id: str | None) -> str:
        """The feed of an Ambito, partner or area, when this build publishes feeds ("" otherwise)."""
        if not self.site_url or not record_id or kind not in FEED_KINDS or self.catalog.get(kind, record_id) is None:
            return ""
        return feed_url(kind, record_id)

    def feeds_of(self, record: Record) -> str:
        """The feed that tells of a record's changes: its Ambito's ("" when none)."""
        return self.feed_url("ambito", record.ambito) if record.ambito else \
            self.feed_url(record.kind, record.id)

    # --- links, relative to this page --------------------------------------------------------
    def href(self, url: str) -> str:
        if "://" in url:
            return escape(url)
        return escape(relative(self.url, url))

    def link(self, url: str, label_html: str) -> str:
        return f'<a href="{self.href(url)}">{label_html}</a>'

    def lines_link(self, text, start: int, end: int, label: str) -> str:
        """Link to lines start..end of a source text (a SourceText), highlighted there."""
        href = relative(self.url, text.url(text.page_of(start))) + text.lines_suffix(start, end)
        return f'<a class="pdz-lines-link" href="{escape(href)}">{escape(label)}</a>'

    def record_link(self, record: Record, label: str | None = None) -> str:
        return self.link(page_url(record.kind, record.id), self.text.plain(label or self.display_title(record)))

    def ref_link(self, kind: str, record_id: str) -> str:
        record = self.catalog.get(kind, record_id)
        if record is None:   # only possible in a partial (single Ambito) preview
            return f"{escape(record_id)} <span class=\"pdz-missing\">(non caricato)</span>"
        return self.record_link(record)

    # --- names --------------------------------------------------------------------------------
    def display_title(self, record: Record) -> str:
        number_ = record.data.get("numero")
        title = self.cased_title(record)
        if record.kind == "obiettivo" and number_:
            return f"{number_}. {title}"
        if record.kind == "valutazione" and number_:
            return f"{number_} {title}"
        return title

    def cased_title(self, record: Record) -> str:
        """The record's title, in sentence case when the plan writes it in capitals (the record
        keeps the plan's spelling: ``original_title``)."""
        if record.kind in _OWN_SPELLING or not in_capitals(record.title):
            return record.title
        return self.build.sentence_case(record.title)

    def original_title(self, record: Record) -> str:
        """The plan's spelling of a title shown in sentence case, else ''."""
        return record.title if self.cased_title(record) != record.title else ""

    def ambito_name(self, record: Record) -> str:
        ambito = self.catalog.get("ambito", record.ambito) if record.ambito else None
        return ambito.title if ambito else (record.ambito or "")
