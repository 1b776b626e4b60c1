"""Atom feeds of the changes, from git history: one per Ambito (its plan and every record of it)
and one per partner (the records that cite it). Each entry is one change of one record file, in
Italian, linking to the record's page; the newest 50 per feed.

Built with xml.etree, so every text and attribute is escaped; the dates are the commits', so the
feeds are the same on every build of the same commit.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from pdz.content.catalog import Catalog
from pdz.content.model import KINDS, Record
from pdz.content.urls import page_url

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50
FEED_NAME = "novita.xml"


def ambito_feed_url(ambito_id: str) -> str:
    return f"{ambito_id}/{FEED_NAME}"


def partner_feed_url(partner_id: str) -> str:
    return f"partner/{partner_id}/{FEED_NAME}"


def _el(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


class Feeds:
    def __init__(self, catalog: Catalog, history: list[tuple[str, str, str, str]], site_url: str, author: str):
        self.catalog = catalog
        self.site = site_url.rstrip("/") + "/"
        self.host = urlsplit(self.site).hostname or "pdz-site"
        self.author = author
        self.by_path = {r.path: r for r in catalog.by_key.values()}
        self.history = history

    def _entries(self, records: list) -> list[tuple[str, str, str, Record]]:
        paths = {r.path for r in records}
        found = [(c, when, status, self.by_path[p]) for c, when, status, p in self.history if p in paths]
        return found[:MAX_ENTRIES]

    def feed(self, url: str, title: str, page: str, records: list) -> bytes:
        ET.register_namespace("", ATOM)
        root = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "it"})
        entries = self._entries(records)
        _el(root, "id", self.site + url)
        _el(root, "title", title)
        _el(root, "subtitle", "Le modifiche alle schede pubblicate sul sito Piani di Zona della Lombardia.")
        _el(root, "updated", entries[0][1] if entries else "1970-01-01T00:00:00Z")
        _el(root, "link", rel="self", type="application/atom+xml", href=self.site + url)
        _el(root, "link", rel="alternate", type="text/html", href=self.site + page)
        _el(_el(root, "author"), "name", self.author)
        _el(root, "rights", "CC BY 4.0")
        for commit, when, status, record in entries:
            entry = _el(root, "entry")
            label = KINDS[record.kind].label.lower()
            verb = "Nuova scheda" if status == "A" else "Scheda aggiornata"
            _el(entry, "id", f"tag:{self.host},{when[:10]}:{commit}/{record.kind}/{record.id}")
            _el(entry, "title", f"{verb}: {record.title}")
            _el(entry, "updated", when)
            _el(entry, "link", rel="alternate", type="text/html", href=self.site + page_url(record.kind, record.id))
            ambito = self.catalog.get("ambito", record.ambito) if record.ambito else None
            where = f" ({ambito.title})" if ambito else ""
            what = "pubblicata" if status == "A" else "modificata"
            _el(entry, "summary", f"{label.capitalize()} «{record.title}»{where}: scheda {what}.")
        ET.indent(root, space=" ")
        return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"

    def all(self) -> dict[str, bytes]:
        """Every feed: site path → bytes."""
        files = {}
        for a in self.catalog.all("ambito"):
            records = [r for r in self.catalog.by_key.values() if r.ambito == a.id] + [a]
            files[ambito_feed_url(a.id)] = self.feed(ambito_feed_url(a.id), f"Novità – {a.title}",
                                                     page_url("ambito", a.id), records)
        for p in self.catalog.all("partner"):
            records = [link.source for link in self.catalog.referrers(p)] + [p]
            files[partner_feed_url(p.id)] = self.feed(partner_feed_url(p.id), f"Novità – {p.title}",
                                                      page_url("partner", p.id), records)
        return files
