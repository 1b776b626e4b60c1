"""The printable plan: the whole plan in the order of the regional format, in printable parts
light enough for a phone, with a contents page at the plan's printable address.

A whole plan is 0.1-0.8 MB of HTML, up to ten times any other page of the site. So each
chapter of the regional format (and the plan's presentation) is one part, or several balanced
parts when it weighs more than ``PART_BUDGET``; a part holds whole records, in order. The
contents page (``<plan>/stampa/``, the address the single document had) lists every part with
its weight and every record with a link into its part, so a citizen prints the whole plan part
by part, or only the part they need. It keeps the ids of the single document (``parte-N``: a
chapter; a record's id), so an old link to one of them lands on its entry.

Standalone HTML files (not site pages), so search results do not repeat every record.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pdz.content.model import Record
from pdz.html.tables import label_tables
from pdz.html.text import escape
from pdz.render.base import italian_date
from pdz.render.context import PageContext
from pdz.render.plans import evaluated_periods, plan_body, print_url
from pdz.render.records import RECORD_BODIES

# Chapters of the plan in the order of the regional format (DGR 4563/2021 guidelines):
# (kind of record, folder of its parts, title). Their number is the anchor of the single document.
CHAPTERS = (
    ("sezione", "documento", "Il documento di piano"),
    ("valutazione", "esiti", "Esiti della programmazione {evaluated}"),
    ("tabella", "dati-di-contesto", "Dati di contesto"),
    ("organo", "governance", "Governance e rete"),
    ("obiettivo", "obiettivi", "Obiettivi della programmazione {period}"),
    ("monitoraggio", "monitoraggio", "Sistema di monitoraggio e valutazione"),
    ("progetto", "progetti", "Progetti di integrazione sociosanitaria"),
)
PRESENTATION = ("presentazione", "Presentazione del piano")
PART_LIMIT = 100_000   # bytes: no page of the site weighs more (benchmarks/results.md)
PART_BUDGET = 90_000   # bytes a part aims at, its frame included: as light as the site's other pages
FRAME = 5_000          # bytes of a part around its records (head, security policy, navigation, footer)
# Our page bodies are raw HTML blocks plus fixed headings "## Label { #anchor }": turning them
# into HTML needs no Markdown engine (which would re-parse every block of every record).
_HEADING_LINE = re.compile(r"^(#{1,6}) (.+?) \{ #([\w-]+) \}$", re.M)


@dataclass
class Part:
    folder: str          # under the plan's printable address: "obiettivi", "obiettivi-2"
    title: str
    chapter: int         # number of its chapter in CHAPTERS (0: the presentation)
    records: list        # the records it holds, in order (none: the presentation)
    articles: list       # the HTML of each record (of each block of the presentation)


def printable_documents(ctx: PageContext, a: Record) -> list[tuple[str, str]]:
    """(site path, HTML) of the contents page and of every printable part of plan ``a``."""
    base = print_url(a.id)
    folder, label = PRESENTATION
    # the presentation (the plan's page) is split, when it has to be, before one of its headings
    presentation = re.split(r"(?m)^(?=## )", plan_body(ctx, a, here=f"{base}{folder}/"))
    parts = _chapter_parts(folder, label, 0, [], [label_tables(_to_html(x, "ambito", 1)) for x in presentation if x.strip()])
    for number, (kind, folder, label) in enumerate(CHAPTERS, start=1):
        records = ctx.catalog.of_plan(a.id, kind)
        if records:
            label = label.format(period=a.period, evaluated=evaluated_periods(ctx, records) if kind == "valutazione" else "")
            here = ctx.at(f"{base}{folder}/")   # every part of a chapter is as deep: the same relative links
            parts += _chapter_parts(folder, label, number, records, [_article(here, record) for record in records])
    title = f"{a.title} – {ctx.ambito_name(a)}"
    documents = [(f"{base}{p.folder}/index.html", _part_page(ctx, a, title, parts, n)) for n, p in enumerate(parts)]
    sizes = [len(html.encode("utf-8")) for _path, html in documents]
    return [(f"{base}index.html", _contents_page(ctx.at(base), a, title, parts, sizes))] + documents


def _chapter_parts(folder: str, label: str, number: int, records: list, articles: list[str]) -> list[Part]:
    """The parts of one chapter: its records (or blocks) in balanced runs within the budget."""
    runs = balanced([len(x.encode("utf-8")) for x in articles], PART_BUDGET - FRAME)
    parts = []
    for i, (start, end) in enumerate(runs):
        title = label if len(runs) == 1 else \
            f"{label}, {_range(start, end)} di {len(records)}" if records else f"{label} ({i + 1} di {len(runs)})"
        parts.append(Part(folder if i == 0 else f"{folder}-{i + 1}", title, number, records[start:end],
                          articles[start:end]))
    return parts


def balanced(sizes: list[int], budget: int) -> list[tuple[int, int]]:
    """Split items of ``sizes`` (in order) into as few runs as keep each within ``budget`` (an item
    larger than the budget is a run of its own), as even as possible: (start, end) of each run."""
    if not sizes:
        return []
    runs = _runs(sizes, budget)
    low, high = 1, budget   # the smallest limit that needs no more runs: the largest run of an even split
    while low < high:
        mid = (low + high) // 2
        low, high = (low, mid) if _runs(sizes, mid) <= runs else (mid + 1, high)
    limit, out, start, n = low, [], 0, len(sizes)
    for left in range(runs, 1, -1):
        share = sum(sizes[start:]) / left   # what an even split of the rest gives each run
        end, size = start + 1, sizes[start]
        while end < n and size + sizes[end] <= limit:
            closer = abs(size + sizes[end] - share) <= abs(size - share)
            if not closer and _runs(sizes[end:], limit) <= left - 1:
                break   # the rest still fits in the runs left
            size, end = size + sizes[end], end + 1
        out.append((start, end))
        start = end
    return out + [(start, n)]


def _runs(sizes: list[int], limit: int) -> int:
    """How many runs within ``limit`` (or of one larger item) the items take when each takes all it can."""
    runs, size = 1, 0
    for s in sizes:
        if size and size + s > limit:
            runs, size = runs + 1, 0
        size += s
    return runs


def _range(start: int, end: int) -> str:
    return f"scheda {start + 1}" if end - start == 1 else f"schede {start + 1}-{end}"


def _article(ctx: PageContext, record: Record) -> str:
    slug = record.id.replace("/", "-")
    html = _to_html(RECORD_BODIES[record.kind](ctx, record), slug, 1)
    # scrollable table regions and sections ("In breve") repeat across records: name each after its record
    html = html.replace('role="region" aria-label="', f'role="region" aria-label="{escape(record.title)}: ')
    if f' id="{slug}-titolo"' in html:
        html = re.sub(r'(<section\b[^>]*? aria-labelledby=")', rf"\g<1>{slug}-titolo ", html)
    return f'<article class="pdz-print-record" id="{slug}">{label_tables(html)}</article>'


def _kilobytes(size: int) -> str:
    return f"{size / 1024:,.0f} kB".replace(",", ".")


def _stamp(ctx: PageContext, files: list[str]) -> str:
    date = max((ctx.updated[f] for f in files if f in ctx.updated), default=None)
    return f' Ultimo aggiornamento: <time datetime="{date}">{italian_date(date)}</time>.' if date else ""


def _document(ctx: PageContext, title: str, header: str, main: str, footer: str) -> str:
    return (
        '<!doctype html>\n<html lang="it">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{ctx.href("assets/pdz-print.css")}">\n'
        f'<link rel="stylesheet" href="{ctx.href("assets/pdz-tables.css")}">\n'
        f'<script src="{ctx.href("assets/pdz-tables.js")}" defer></script>\n</head>\n<body class="pdz-print">\n'
        '<a class="pdz-skip" href="#contenuto">Vai al contenuto</a>\n'
        f'<header class="pdz-print-header"><p>{header}</p></header>\n'
        f'<main id="contenuto">\n{main}\n</main>\n'
        '<footer class="pdz-print-footer"><p>Contenuti rilasciati con licenza CC BY 4.0. '
        f"Ogni parte indica il documento e le righe da cui è tratta.{footer}</p></footer>\n</body>\n</html>\n")


def _part_label(n: int, parts: list[Part]) -> str:
    return f"Parte {n + 1} di {len(parts)}"


def _part_page(ctx: PageContext, a: Record, title: str, parts: list[Part], n: int) -> str:
    part, base = parts[n], print_url(a.id)
    ctx = ctx.at(f"{base}{part.folder}/")
    header = (f'{ctx.link(f"{a.id}/", "Torna alla pagina del piano")} · '
              f'{ctx.link(base, "Indice della versione stampabile")}')
    pager = []
    if n > 0:
        pager.append(f'<li>Precedente: <a rel="prev" href="{ctx.href(base + parts[n - 1].folder + "/")}">'
                     f"{_part_label(n - 1, parts)}: {escape(parts[n - 1].title)}</a></li>")
    pager.append(f'<li>{ctx.link(base, "Indice delle parti")}</li>')
    if n + 1 < len(parts):
        pager.append(f'<li>Successiva: <a rel="next" href="{ctx.href(base + parts[n + 1].folder + "/")}">'
                     f"{_part_label(n + 1, parts)}: {escape(parts[n + 1].title)}</a></li>")
    main = (f'<p class="pdz-print-kicker">{escape(title)} · versione stampabile, {_part_label(n, parts).lower()}</p>\n'
            f"<h1>{escape(part.title)}</h1>\n" + "\n".join(part.articles) +
            f'\n<nav class="pdz-print-pager" aria-label="Altre parti del piano"><ul>{"".join(pager)}</ul></nav>')
    files = [a.path] + [r.path for r in part.records]
    return _document(ctx, f"{_part_label(n, parts)}: {part.title} – {title} – versione stampabile", header, main,
                     _stamp(ctx, files))


def _contents_page(ctx: PageContext, a: Record, title: str, parts: list[Part], sizes: list[int]) -> str:
    base, records = print_url(a.id), sum(len(p.records) for p in parts)
    items, chapter = [], -1
    for n, (part, size) in enumerate(zip(parts, sizes)):
        here = ctx.href(f"{base}{part.folder}/")
        anchor = f' id="parte-{part.chapter}"' if part.chapter and part.chapter != chapter else ""
        chapter = part.chapter
        count = f", {len(part.records)} {'scheda' if len(part.records) == 1 else 'schede'}" if part.records else ""
        entries = "".join(f'<li id="{r.id.replace("/", "-")}"><a href="{here}#{r.id.replace("/", "-")}">'
                          f"{escape(ctx.display_title(r))}</a></li>" for r in part.records)
        items.append(f'<li{anchor}><a href="{here}"><strong>{_part_label(n, parts)}</strong>: {escape(part.title)}</a> '
                     f'<span class="pdz-muted">({_kilobytes(size)}{count})</span>'
                     + (f'<ol class="pdz-print-records">{entries}</ol>' if entries else "") + "</li>")
    main = ('<p class="pdz-print-kicker">Versione stampabile</p>\n'
            f"<h1>{escape(title)}</h1>\n"
            f"<p>Il piano completo, nell'ordine dello schema regionale, è diviso in {len(parts)} parti da stampare o "
            "salvare in PDF, ciascuna leggera come le altre pagine del sito. Per avere tutto il piano stampa le parti "
            "una dopo l'altra (ogni parte porta alla successiva); per una sola parte, aprila da questo indice.</p>\n"
            f"<p>In tutto: {records} schede, {_kilobytes(sum(sizes))}.</p>\n"
            '<nav aria-labelledby="indice-parti"><h2 id="indice-parti">Indice delle parti</h2>'
            f'<ol class="pdz-print-parts">{"".join(items)}</ol></nav>')
    header = ctx.link(f"{a.id}/", "Torna alla pagina del piano")
    files = [a.path] + [r.path for p in parts for r in p.records]
    return _document(ctx, f"{title} – versione stampabile", header, main, _stamp(ctx, files))


def _to_html(page_markdown: str, prefix: str, shift: int) -> str:
    """Our page Markdown (trusted: contributor text inside is already sanitised) to HTML,
    headings moved down ``shift`` levels and ids made unique within the document."""
    html = _HEADING_LINE.sub(lambda m: f'<h{len(m.group(1))} id="{m.group(3)}">{m.group(2)}</h{len(m.group(1))}>',
                             page_markdown)
    html = re.sub(r'<nav class="pdz-breadcrumb".*?</nav>', "", html, flags=re.S)
    html = re.sub(r'<p class="pdz-print-link">.*?</p>', "", html, flags=re.S)   # the link to itself
    for level in range(6 - shift, 0, -1):
        html = html.replace(f"<h{level}", f"<h{level + shift}").replace(f"</h{level}>", f"</h{level + shift}>")
    html = re.sub(r'\sid="([^"]+)"', lambda m: f' id="{prefix}-{m.group(1)}"', html)
    html = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', html)
    html = re.sub(r'aria-labelledby="([^"]+)"',
                  lambda m: 'aria-labelledby="' + " ".join(f"{prefix}-{i}" for i in m.group(1).split()) + '"', html)
    return html
