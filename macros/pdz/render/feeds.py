"""Atom feeds of the changes (``pdz.domain.changes``): one per Ambito (its plans and every record of
them), one per partner (the partner and the records that cite it), one per policy area (the area
and the objectives and evaluations of it) and one of the whole site. Each entry names the record,
lists the fields that changed with their old and new values and the reason, and links to the
record's history (#cronologia); a plan's first publication is one entry, and so are many records
of one plan changed by one commit. The newest 50 entries per feed.

Built with xml.etree, so every text and attribute is escaped (the HTML of an entry's content is
escaped twice, as Atom wants); dates are the main line's, so the feeds are the same on every build
of the same commit.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlsplit

from pdz.content.catalog import Catalog
from pdz.content.model import Record
from pdz.content.urls import page_url
from pdz.domain.changes import History, Wanted, describe
from pdz.render import changes
from pdz.render.context import FEED_NAME, Build, PageContext, feed_url

__all__ = ["FEED_NAME", "Feeds", "ambito_feed_url", "partner_feed_url", "area_feed_url"]
ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50
_HREF = re.compile(r'href="([^"]*)"')


def ambito_feed_url(ambito_id: str) -> str:
    return feed_url("ambito", ambito_id)


def partner_feed_url(partner_id: str) -> str:
    return feed_url("partner", partner_id)


def area_feed_url(area_id: str) -> str:
    return feed_url("area", area_id)


def _el(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


class Feeds:
    def __init__(self, build: Build, author: str):
        self.build = build
        self.catalog: Catalog = build.catalog
        self.history: History = build.history or History()
        self.site = build.site_url.rstrip("/") + "/"
        self.host = urlsplit(self.site).hostname or "pdz-site"
        self.author = author
        # an entry is in several feeds (its Ambito's, its partners', its area's, the site's): its
        # words are written once, with absolute links, from the site's root
        self.ctx = build.page("")
        self.written: dict[tuple[int, ...], tuple[str, str, str]] = {}

    def entry(self, events: list) -> tuple[str, str, str]:
        """(title, summary, content) of the entry of ``events``."""
        key = tuple(id(e) for e in events)
        if key not in self.written:
            self.written[key] = (changes.bundle_headline(self.ctx, events), self.summary(events),
                                 self.absolute(self.ctx, changes.entry_details(self.ctx, events)))
        return self.written[key]

    def feed(self, url: str, title: str, page: str, wanted) -> bytes:
        ET.register_namespace("", ATOM)
        entries = changes.bundled(self.history.news(wanted))[:MAX_ENTRIES]
        root = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "it"})
        _el(root, "id", self.site + url)
        _el(root, "title", title)
        _el(root, "subtitle", "Che cosa cambia nelle schede pubblicate sul sito Piani di Zona della Lombardia: "
                              "i campi modificati, con i valori di prima e quelli nuovi, e il motivo.")
        _el(root, "updated", entries[0][0].when if entries else "1970-01-01T00:00:00Z")
        _el(root, "link", rel="self", type="application/atom+xml", href=self.site + url)
        _el(root, "link", rel="alternate", type="text/html", href=self.site + page)
        _el(_el(root, "author"), "name", self.author)
        _el(root, "rights", "CC BY 4.0")
        for events in entries:
            first = events[0]
            entry = _el(root, "entry")
            what = f"{first.kind}/{first.record_id}" if len(events) == 1 else f"{first.plan or first.kind}/modifiche"
            _el(entry, "id", f"tag:{self.host},{first.day}:{first.commit}/{first.action}/{what}")
            headline, summary, content = self.entry(events)
            _el(entry, "title", headline)
            _el(entry, "updated", first.when)
            _el(entry, "link", rel="alternate", type="text/html", href=self.site + changes.entry_link(first))
            _el(entry, "summary", summary)
            _el(entry, "content", content, type="html")
        ET.indent(root, space=" ")
        return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"

    def absolute(self, ctx: PageContext, html: str) -> str:
        """Links of an entry's content made absolute: a feed reader shows it far from the site."""
        base = self.site + ctx.url
        return _HREF.sub(lambda m: f'href="{urljoin(base, m.group(1))}"', html)

    def summary(self, events) -> str:
        """The entry in plain text: each changed field with its old and new value, and the reason."""
        first = events[0]
        if len(events) > 1 or first.action in changes.GROUPS:
            names = [e.title for e in events] if len(events) > 1 else [x.title for x in first.records]
            text = "Schede: " + "; ".join(names[:10]) + ("…" if len(names) > 10 else "") + "."
        else:
            parts = []
            for change in first.fields:
                said = describe(first.kind, change, self.catalog)
                if said.text and said.old and said.new:
                    parts.append(f"{said.label}: testo modificato")
                else:
                    parts.append(f"{said.label}: {changes.short(said.old, 120) or '(non presente)'} → "
                                 f"{changes.short(said.new, 120) or '(non presente)'}")
            text = "; ".join(parts) + "." if parts else changes.headline(self.ctx, first) + "."
        return text + (f" Motivo: {first.reason}" if first.reason else "")

    def all(self) -> dict[str, bytes]:
        """Every feed: site path → bytes."""
        return dict(self.each())

    def each(self):
        """Every feed, one at a time: (site path, bytes), in the order of ``feed_paths``."""
        citing: dict[tuple[str, str], set[tuple[str, str]]] = {}
        for record in self.catalog.by_key.values():
            for link in self.catalog.referrers(record):
                citing.setdefault((record.kind, record.id), set()).add((link.source.kind, link.source.id))
        for a in self.catalog.all("ambito"):
            yield ambito_feed_url(a.id), self.feed(ambito_feed_url(a.id), f"Novità – {a.title}", page_url("ambito", a.id),
                                                   Wanted.having("ambito", a.id))
        for p in self.catalog.all("partner"):
            yield partner_feed_url(p.id), self.feed(partner_feed_url(p.id), f"Novità – {p.title}", page_url("partner", p.id),
                                                    _about(p, citing))
        for x in self.catalog.all("area"):
            objectives = {("obiettivo", o.id) for o in self.catalog.all("obiettivo") if x.id in _areas(o)}
            objectives |= {("valutazione", e.id) for e in self.catalog.all("valutazione") if e.data.get("area") == x.id}
            yield area_feed_url(x.id), self.feed(
                area_feed_url(x.id), f"Novità – Area {x.data['lettera']}: {x.title}", page_url("area", x.id),
                Wanted.among(objectives | {("area", x.id)}))
        yield feed_url(None), self.feed(feed_url(None), "Novità – Piani di Zona della Lombardia", changes.NEWS_URL, None)


def feed_paths(catalog: Catalog) -> list[str]:
    """Where ``Feeds.all`` writes, in its order, without writing them."""
    return [feed_url(kind, r.id) for kind in ("ambito", "partner", "area") for r in catalog.all(kind)] + [feed_url(None)]


def _areas(objective: Record) -> set[str]:
    """The areas an objective belongs to: its own and those it says it integrates with."""
    d = objective.data
    return ({d["area"]} if d.get("area") else set()) | set((d.get("trasversale") or {}).get("aree") or [])


def _about(partner: Record, citing: dict):
    """The records of a partner's feed: the partner and the records that cite it."""
    return Wanted.among(citing.get(("partner", partner.id), set()) | {("partner", partner.id)})
