"""Building blocks shared by every page family: headings, facts, tables, answers, lists, the
sources and editorial notes of a record, and its backlinks.

Each is a function of the page being written (``PageContext``: links relative to it) and of the
records it shows; each returns HTML in which contributor text is escaped or sanitised. Page
bodies are Markdown documents made of fixed headings (with stable anchors) and raw HTML blocks.
"""
from __future__ import annotations

from pdz.content import schemas
from pdz.content.model import KINDS, Record
from pdz.content.urls import page_url
from pdz.content.values import measured_values
from pdz.html.tables import label_tables
from pdz.html.text import escape
from pdz.render.context import PageContext
from pdz.render.base import measured, number

MISSING = '<p class="pdz-missing">Non indicato nella fonte.</p>'


def html_block(inner: str, css: str = "pdz-block", searchable: bool = True) -> str:
    """A raw HTML block for Markdown: no blank lines inside, blank lines around.
    ``searchable=False``: the site search skips it (what every page repeats: sources,
    citations, links to other records; the words a citizen looks for are elsewhere)."""
    inner = "\n".join(line for line in inner.split("\n") if line.strip())
    ignore = "" if searchable else " data-pagefind-ignore"
    return f'\n<div class="{css}"{ignore}>\n{inner}\n</div>\n'


def heading(ctx: PageContext, level: int, label: str, anchor_id: str) -> str:
    return f"\n{'#' * level} {label} {{ #{anchor_id} }}\n"


def h1(ctx: PageContext, title: str, kicker: str = "") -> str:
    kick = f'<span class="pdz-kicker">{ctx.text.plain(kicker)}</span> ' if kicker else ""
    return f'<h1 id="titolo">{kick}{ctx.text.plain(title)}</h1>\n'


def breadcrumb(ctx: PageContext, items: list[tuple[str, str]]) -> str:
    crumbs = " <span aria-hidden=\"true\">›</span> ".join(
        ctx.link(url, ctx.text.plain(label)) for url, label in items)
    return f'<nav class="pdz-breadcrumb" aria-label="Percorso">{crumbs}</nav>\n'


# Between a label and its value: the site search reads the text of a page without its styles,
# and joins a <dt> to its <dd> ("AmbitoAmbito di Dalmine" in a result's excerpt); with this
# separator it reads "Ambito: Ambito di Dalmine". Not shown (pdz.css), the list says it already.
LABEL_END = '<span class="pdz-sep">: </span>'


def fact(label_html: str, value_html: str) -> str:
    """One label → value pair of a definition list."""
    return f"<div><dt>{label_html}{LABEL_END}</dt><dd>{value_html}</dd></div>"


def facts(ctx: PageContext, rows: list[tuple[str, str]], css: str = "pdz-facts") -> str:
    """A definition list of label → HTML value, skipping empty values."""
    items = "".join(fact(escape(label), value) for label, value in rows if value)
    return f'<dl class="{css}">{items}</dl>' if items else ""


def brief(ctx: PageContext, rows: list[tuple[str, str]]) -> str:
    """"In breve": what a record's page is about, first and in a few lines, built only from its
    own fields (rows as for ``facts``; empty values are left out)."""
    box = facts(ctx, rows)
    return html_block(f'<section class="pdz-brief" aria-labelledby="in-breve"><h2 id="in-breve" data-pagefind-ignore>In breve</h2>{box}</section>') \
        if box else ""


def short_text(ctx: PageContext, text: str, anchor_id: str, limit: int = 200) -> str:
    """A field in a few words: whole when short; else its first sentence or its first words
    up to ``limit`` characters, marked as cut ("…") and linked to where it is whole."""
    plain = " ".join(str(text).replace("*", "").split())
    if len(plain) <= limit:
        return ctx.text.inline(text)
    end = plain.find(". ")
    cut = plain[:end + 1] if 0 < end < limit else plain[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return f'{ctx.text.plain(cut)} <a href="#{anchor_id}">(continua)</a>'


def table(ctx: PageContext, caption: str, headers: list[str], rows: list[list[str]],
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
    cap = f"<caption>{ctx.text.plain(caption)}</caption>" if caption else ""
    return (f'<div class="pdz-table-wrap" tabindex="0" role="region" aria-label="{escape(caption or "Tabella")}">'
            + label_tables(f'<table class="{css}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
            + "</div>")


def answer(ctx: PageContext, value: dict | None) -> str:
    if not value:
        return ""
    label = schemas.vocabulary("risposta_valore").get(value.get("risposta"), "")
    note = ctx.text.inline(value["nota"]) if value.get("nota") else ""
    return f'<strong class="pdz-answer pdz-answer-{escape(value.get("risposta", ""))}">{label}</strong>' + \
        (f" – {note}" if note else "")


def text_list(ctx: PageContext, items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{ctx.text.inline(i)}</li>" for i in items) + "</ul>" if items else ""


def ref_list(ctx: PageContext, kind: str, ids: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{ctx.ref_link(kind, i)}</li>" for i in ids) + "</ul>" if ids else ""


# --- provenance ----------------------------------------------------------------------
def sources(ctx: PageContext, record: Record) -> str:
    parts = source_parts(ctx, record)
    return '<p class="pdz-source">Fonte: ' + "; ".join(parts) + "</p>" if parts else ""


def source_parts(ctx: PageContext, record: Record) -> list[str]:
    parts = []
    for source in record.data.get("fonti") or []:
        doc = ctx.catalog.get("documento", source["documento"])
        title = doc.title if doc else source["documento"]
        lines = ", " + source_lines(ctx, source) if source.get("righe") else ""
        parts.append(f"{ctx.link(page_url('documento', source['documento']), ctx.text.plain(title))}{lines}")
    return parts


def source_lines(ctx: PageContext, source: dict) -> str:
    """"righe 12–15" of one source of a record, linked to those lines of its text when the site has it."""
    start, end = source["righe"]
    label = f"riga {start}" if start == end else f"righe {start}–{end}"
    text = ctx.catalog.texts.get(source["documento"])
    return ctx.lines_link(text, start, end, label) if text else label


def source_notes(ctx: PageContext, record: Record) -> str:
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
            text = _note_text(ctx, record)
            where = f" ({ctx.lines_link(text, start, end, lines) if text else lines})"
        field_ = f" – campo <code>{escape(note['campo'])}</code>" if note.get("campo") else ""
        items.append(f'<li class="pdz-note pdz-note-{escape(note["tipo"])}"><strong>{label}</strong>'
                     f'{field_}{where}: {ctx.text.inline(note["nota"])}</li>')
    return "<ul class=\"pdz-notes\">" + "".join(items) + "</ul>"


def _note_text(ctx: PageContext, record: Record):
    """The source text that a note's lines refer to: the record's first cited document."""
    sources = record.data.get("fonti") or []
    return ctx.catalog.texts.get(sources[0]["documento"]) if sources else None


def provenance(ctx: PageContext, record: Record) -> str:
    """Closing section of every record page: source notes and the source lines."""
    out = ""
    notes = source_notes(ctx, record)
    if notes:
        out += heading(ctx, 2, "Note sulla fonte", "note-fonte") + html_block(notes, "pdz-block pdz-warn", searchable=False)
    # the date of last update is printed by the page template for every page (render/dates.py)
    out += html_block(sources(ctx, record), "pdz-block pdz-provenance", searchable=False)
    return out


def extra_fields(ctx: PageContext, record: Record) -> str:
    extra = record.data.get("campi_aggiuntivi") or []
    if not extra:
        return ""
    rows = [(e["etichetta"], ctx.text.block(e["testo"])) for e in extra]
    items = "".join(fact(ctx.text.plain(label), value) for label, value in rows)
    return heading(ctx, 2, "Altre informazioni della fonte", "altre-informazioni") + \
        html_block(f'<dl class="pdz-facts">{items}</dl>')


def _other_ambito(ctx: PageContext, source: Record, record: Record) -> str:
    if source.ambito and source.ambito != record.ambito:
        return f' <span class="pdz-muted">({escape(ctx.ambito_name(source))})</span>'
    return ""


def backlinks_block(ctx: PageContext, record: Record, exclude_kinds: tuple = ()) -> str:
    """"Citato da": every record that refers to this one, grouped by kind."""
    groups: dict[str, list[Record]] = {}
    for link in ctx.catalog.referrers(record):
        if link.source.kind in exclude_kinds or link.source is record:
            continue
        groups.setdefault(link.source.kind, [])
        if link.source not in groups[link.source.kind]:
            groups[link.source.kind].append(link.source)
    if not groups:
        return ""
    parts = []
    for kind, sources in groups.items():
        links = "".join(f"<li>{ctx.record_link(s)}{_other_ambito(ctx, s, record)}</li>"
                        for s in sorted(sources, key=ctx.catalog.sort_key))
        parts.append(f"<h3>{escape(KINDS[kind].label_plural)}</h3><ul>{links}</ul>")
    return heading(ctx, 2, "Collegamenti", "collegamenti") + html_block("".join(parts), searchable=False)


def record_crumbs(ctx: PageContext, record: Record) -> str:
    kind = KINDS[record.kind]
    return breadcrumb(ctx, [(f"{record.ambito}/", ctx.ambito_name(record)),
                            (f"{record.piano}/", f"Piano {record.period}"),
                            (f"{record.piano}/{kind.folder}/", kind.label_plural)])


def record_heading(ctx: PageContext, record: Record, kicker: str) -> str:
    """Breadcrumb and title; a title the plan writes in capitals is shown in sentence case, and
    the plan's own spelling follows it with the lines it is written on."""
    out = record_crumbs(ctx, record) + h1(ctx, ctx.display_title(record), kicker)
    original = ctx.original_title(record)
    if original:
        cited = [s for s in record.data.get("fonti") or [] if s.get("righe")][:1]
        out += (f'<p class="pdz-original-title" data-pagefind-ignore>Titolo nel piano: «{escape(original)}»'
                + (f" (fonte, {source_lines(ctx, cited[0])})" if cited else "") + "</p>\n")
    return out


# --- indicators ---------------------------------------------------------------------
def indicators(ctx: PageContext, items: list[dict], caption: str) -> str:
    if not items:
        return ""
    rows = []
    for item in items:
        target = ""
        if "valore_obiettivo" in item:
            target = " ".join(filter(None, [schemas.vocabulary("confronto").get(item.get("confronto"), ""),
                                            number(item["valore_obiettivo"]), escape(item.get("unita", ""))]))
        measured_html = ""
        if "valore_rilevato" in item:
            figures = "; ".join(measured(v, item.get("unita", "")) for v in measured_values(item["valore_rilevato"]))
            measured_html = " ".join(filter(None, [figures, f"({escape(item['anno'])})" if item.get("anno") else ""]))
        details = " · ".join(escape(item[k]) for k in ("fonte_dato", "frequenza", "ambito_applicazione")
                             if item.get(k))
        rows.append([ctx.text.inline(item["descrizione"]), measured_html or target, details])
    has_measure = any(r[1] for r in rows)
    has_details = any(r[2] for r in rows)
    headers = ["Indicatore"] + (["Valore"] if has_measure else []) + (["Fonte e frequenza"] if has_details else [])
    rows = [[r[0]] + ([r[1]] if has_measure else []) + ([r[2]] if has_details else []) for r in rows]
    return table(ctx, caption, headers, rows)
