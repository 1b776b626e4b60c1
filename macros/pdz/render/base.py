"""Building blocks shared by every generated page: links, tables, facts, sources, notes.

Every helper returns HTML in which contributor text is escaped or sanitised. Page bodies are
Markdown documents made of fixed headings (with stable anchors) and raw HTML blocks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from pdz.content import schemas
from pdz.content.catalog import Catalog
from pdz.content.model import KINDS, Record
from pdz.html.text import TextRenderer, escape
from pdz.content.urls import page_url, relative, src_uri
from pdz.content.values import qualifier_label
from pdz.html.tables import label_tables

MISSING = '<p class="pdz-missing">Non indicato nella fonte.</p>'


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

    def markdown(self) -> str:
        """Front matter + body. The title is made inert for templates that print it raw."""
        meta = {"title": meta_title(self.title), "render_macros": False}
        if self.source:
            meta["pdz_source"] = self.source
        if self.search_exclude:   # read by overrides/main.html: no data-pagefind-body
            meta["search"] = {"exclude": True}
        return front_matter(meta) + "\n" + self.body.rstrip() + "\n"


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


def italian_date(iso: str) -> str:
    months = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
              "settembre", "ottobre", "novembre", "dicembre"]
    year, month, day = iso.split("-")
    return f"{int(day)} {months[int(month) - 1]} {year}"


def euro(amount) -> str:
    """Italian money format: € 3.500.000,00."""
    text = f"{float(amount):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}"


def number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{int(value):,}".replace(",", ".")


def percent(value) -> str:
    return number(value) + "%"


def measured(value: dict, unit: str = "") -> str:
    """One figure as the source writes it, escaped: 'circa 300 persone', 'tra 10 e 15 %',
    'dimissioni: 30 %' when the figure is one of several in a sentence, '10 incontri in media',
    '98 femminicidi (dato parziale al 10 novembre 2021)'."""
    if "valore" in value:
        figure = number(value["valore"])
    else:
        figure = f"tra {number(value['minimo'])} e {number(value['massimo'])}"
    words = [f"{value['voce']}:" if value.get("voce") else "", qualifier_label(value), figure,
             value.get("unita") or unit, "in media" if value.get("media") else "",
             f"(dato parziale al {italian_date(value['parziale_al'])})" if value.get("parziale_al") else ""]
    return escape(" ".join(w for w in words if w))


def text_renderer(catalog: Catalog) -> TextRenderer:
    """The converter of contributor text, with the glossary's abbreviations. One per build, shared
    by pages and printable plans, so each distinct text is converted once."""
    return TextRenderer({r.data["sigla"]: r.data["esteso"] for r in catalog.all("sigla")})


class Renderer:
    """Knows the catalog and the page being written, so links can be relative."""
    site_url = ""   # the site's public address, for permanent links and embeds ("" = none)

    def __init__(self, catalog: Catalog, updated: dict | None = None, preview: str | None = None,
                 text: TextRenderer | None = None):
        self.catalog = catalog
        self.updated = updated or {}
        self.preview = preview   # editor preview of one Ambito: fewer shared pages
        self.text = text or text_renderer(catalog)   # shared by the callers that render one build
        self.here = ""

    # --- links -------------------------------------------------------------------------
    def href(self, url: str) -> str:
        if "://" in url:
            return escape(url)
        return escape(relative(self.here, url))

    def link(self, url: str, label_html: str) -> str:
        return f'<a href="{self.href(url)}">{label_html}</a>'

    def lines_link(self, text, start: int, end: int, label: str) -> str:
        """Link to lines start..end of a source text (a SourceText), highlighted there."""
        href = relative(self.here, text.url(text.page_of(start))) + text.lines_suffix(start, end)
        return f'<a class="pdz-lines-link" href="{escape(href)}">{escape(label)}</a>'

    def record_link(self, record: Record, label: str | None = None) -> str:
        return self.link(page_url(record.kind, record.id), self.text.plain(label or self.display_title(record)))

    def ref_link(self, kind: str, record_id: str) -> str:
        record = self.catalog.get(kind, record_id)
        if record is None:   # only possible in a partial (single Ambito) preview
            return f"{escape(record_id)} <span class=\"pdz-missing\">(non caricato)</span>"
        return self.record_link(record)

    def display_title(self, record: Record) -> str:
        number_ = record.data.get("numero")
        if record.kind == "obiettivo" and number_:
            return f"{number_}. {record.title}"
        if record.kind == "valutazione" and number_:
            return f"{number_} {record.title}"
        return record.title

    def ambito_name(self, record: Record) -> str:
        ambito = self.catalog.get("ambito", record.ambito) if record.ambito else None
        return ambito.title if ambito else (record.ambito or "")

    # --- blocks --------------------------------------------------------------------------
    @staticmethod
    def html_block(inner: str, css: str = "pdz-block", searchable: bool = True) -> str:
        """A raw HTML block for Markdown: no blank lines inside, blank lines around.
        ``searchable=False``: the site search skips it (what every page repeats: sources,
        citations, links to other records; the words a citizen looks for are elsewhere)."""
        inner = "\n".join(line for line in inner.split("\n") if line.strip())
        ignore = "" if searchable else " data-pagefind-ignore"
        return f'\n<div class="{css}"{ignore}>\n{inner}\n</div>\n'

    def heading(self, level: int, label: str, anchor_id: str) -> str:
        return f"\n{'#' * level} {label} {{ #{anchor_id} }}\n"

    def h1(self, title: str, kicker: str = "") -> str:
        kick = f'<span class="pdz-kicker">{self.text.plain(kicker)}</span> ' if kicker else ""
        return f'<h1 id="titolo">{kick}{self.text.plain(title)}</h1>\n'

    def breadcrumb(self, items: list[tuple[str, str]]) -> str:
        crumbs = " <span aria-hidden=\"true\">›</span> ".join(
            self.link(url, self.text.plain(label)) for url, label in items)
        return f'<nav class="pdz-breadcrumb" aria-label="Percorso">{crumbs}</nav>\n'

    def facts(self, rows: list[tuple[str, str]], css: str = "pdz-facts") -> str:
        """A definition list of label → HTML value, skipping empty values."""
        items = "".join(f"<div><dt>{escape(label)}</dt><dd>{value}</dd></div>"
                        for label, value in rows if value)
        return f'<dl class="{css}">{items}</dl>' if items else ""

    def table(self, caption: str, headers: list[str], rows: list[list[str]],
              numeric: set[int] | None = None, css: str = "pdz-table", wide: set[int] | None = None) -> str:
        """An accessible table that fits any screen (see ``render/tables.py``); cells are HTML
        already made safe by the caller. ``numeric``: columns of amounts and numbers (narrow,
        never wrapped); ``wide``: columns of titles (default: the first)."""
        numeric = numeric or set()
        wide = {0} if wide is None else wide

        def cls(i: int) -> str:
            names = " ".join((["num"] if i in numeric else []) + (["pdz-wide"] if i in wide else []))
            return f' class="{names}"' if names else ""

        head = "".join(f'<th scope="col"{cls(i)}>{escape(h)}</th>' for i, h in enumerate(headers))
        num = ' class="num"'
        body = "".join("<tr>" + "".join(
            f'<td{num if i in numeric else ""}>{cell}</td>' for i, cell in enumerate(row))
            + "</tr>" for row in rows)
        cap = f"<caption>{self.text.plain(caption)}</caption>" if caption else ""
        return (f'<div class="pdz-table-wrap" tabindex="0" role="region" aria-label="{escape(caption or "Tabella")}">'
                + label_tables(f'<table class="{css}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
                + "</div>")

    def answer(self, value: dict | None) -> str:
        if not value:
            return ""
        label = schemas.vocabulary("risposta_valore").get(value.get("risposta"), "")
        note = self.text.inline(value["nota"]) if value.get("nota") else ""
        return f'<strong class="pdz-answer pdz-answer-{escape(value.get("risposta", ""))}">{label}</strong>' + \
            (f" – {note}" if note else "")

    def text_list(self, items: list[str]) -> str:
        return "<ul>" + "".join(f"<li>{self.text.inline(i)}</li>" for i in items) + "</ul>" if items else ""

    def ref_list(self, kind: str, ids: list[str]) -> str:
        return "<ul>" + "".join(f"<li>{self.ref_link(kind, i)}</li>" for i in ids) + "</ul>" if ids else ""

    # --- provenance ----------------------------------------------------------------------
    def sources(self, record: Record) -> str:
        parts = self.source_parts(record)
        return '<p class="pdz-source">Fonte: ' + "; ".join(parts) + "</p>" if parts else ""

    def source_parts(self, record: Record) -> list[str]:
        parts = []
        for source in record.data.get("fonti") or []:
            doc = self.catalog.get("documento", source["documento"])
            title = doc.title if doc else source["documento"]
            lines = ""
            if source.get("righe"):
                start, end = source["righe"]
                label = f"riga {start}" if start == end else f"righe {start}–{end}"
                text = self.catalog.texts.get(source["documento"])
                lines = ", " + (self.lines_link(text, start, end, label) if text else label)
            parts.append(f"{self.link(page_url('documento', source['documento']), self.text.plain(title))}{lines}")
        return parts

    def source_notes(self, record: Record) -> str:
        notes = record.data.get("note_fonte") or []
        if not notes:
            return ""
        items = []
        for note in notes:
            label = schemas.vocabulary("tipo_nota").get(note["tipo"], note["tipo"])
            where = ""
            if note.get("righe"):
                start, end = note["righe"]
                lines = f"righe {start}–{end}" if start != end else f"riga {start}"
                text = self._note_text(record)
                where = f" ({self.lines_link(text, start, end, lines) if text else lines})"
            field_ = f" – campo <code>{escape(note['campo'])}</code>" if note.get("campo") else ""
            items.append(f'<li class="pdz-note pdz-note-{escape(note["tipo"])}"><strong>{label}</strong>'
                         f'{field_}{where}: {self.text.inline(note["nota"])}</li>')
        return "<ul class=\"pdz-notes\">" + "".join(items) + "</ul>"

    def _note_text(self, record: Record):
        """The source text that a note's lines refer to: the record's first cited document."""
        sources = record.data.get("fonti") or []
        return self.catalog.texts.get(sources[0]["documento"]) if sources else None

    def provenance(self, record: Record) -> str:
        """Closing section of every record page: source notes and the source lines."""
        out = ""
        notes = self.source_notes(record)
        if notes:
            out += self.heading(2, "Note sulla fonte", "note-fonte") + self.html_block(notes, "pdz-block pdz-warn", searchable=False)
        # the date of last update is printed by the page template for every page (render/dates.py)
        out += self.html_block(self.sources(record), "pdz-block pdz-provenance", searchable=False)
        return out

    def extra_fields(self, record: Record) -> str:
        extra = record.data.get("campi_aggiuntivi") or []
        if not extra:
            return ""
        rows = [(e["etichetta"], self.text.block(e["testo"])) for e in extra]
        items = "".join(f"<div><dt>{self.text.plain(l)}</dt><dd>{v}</dd></div>" for l, v in rows)
        return self.heading(2, "Altre informazioni della fonte", "altre-informazioni") + \
            self.html_block(f'<dl class="pdz-facts">{items}</dl>')

    def _other_ambito(self, source: Record, record: Record) -> str:
        if source.ambito and source.ambito != record.ambito:
            return f' <span class="pdz-muted">({escape(self.ambito_name(source))})</span>'
        return ""

    def backlinks_block(self, record: Record, exclude_kinds: tuple = ()) -> str:
        """"Citato da": every record that refers to this one, grouped by kind."""
        groups: dict[str, list[Record]] = {}
        for link in self.catalog.referrers(record):
            if link.source.kind in exclude_kinds or link.source is record:
                continue
            groups.setdefault(link.source.kind, [])
            if link.source not in groups[link.source.kind]:
                groups[link.source.kind].append(link.source)
        if not groups:
            return ""
        parts = []
        for kind, sources in groups.items():
            links = "".join(f"<li>{self.record_link(s)}{self._other_ambito(s, record)}</li>"
                            for s in sorted(sources, key=self.catalog.sort_key))
            parts.append(f"<h3>{escape(KINDS[kind].label_plural)}</h3><ul>{links}</ul>")
        return self.heading(2, "Collegamenti", "collegamenti") + self.html_block("".join(parts), searchable=False)
