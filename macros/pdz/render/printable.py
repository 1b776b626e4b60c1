"""One printable document per plan: the whole plan on one page, in the order of the regional
format, so that it can still be filed as a document.

It is a standalone HTML file (not a site page), so search results do not repeat every record.
"""
from __future__ import annotations

import re

from pdz.content.model import Record
from pdz.html.text import escape
from pdz.render.base import italian_date
from pdz.render.plans import print_url
from pdz.html.tables import label_tables
from pdz.render.context import PageContext
from pdz.render.plans import evaluated_periods, plan_body
from pdz.render.records import RECORD_BODIES

# Parts of the plan in the order of the regional format (DGR 4563/2021 guidelines).
PARTS = (
    ("sezione", "Il documento di piano"),
    ("valutazione", "Esiti della programmazione {evaluated}"),
    ("tabella", "Dati di contesto"),
    ("organo", "Governance e rete"),
    ("obiettivo", "Obiettivi della programmazione {period}"),
    ("monitoraggio", "Sistema di monitoraggio e valutazione"),
    ("progetto", "Progetti di integrazione sociosanitaria"),
)
# Our page bodies are raw HTML blocks plus fixed headings "## Label { #anchor }": turning them
# into HTML needs no Markdown engine (which would re-parse every block of every record).
_HEADING_LINE = re.compile(r"^(#{1,6}) (.+?) \{ #([\w-]+) \}$", re.M)


def printable_document(ctx: PageContext, a: Record) -> str:
    """``a``: the plan."""
    ctx = ctx.at(print_url(a.id))
    parts, toc, files = [], [], [a.path]
    parts.append(_to_html(plan_body(ctx, a, here=print_url(a.id)), "ambito", 1))
    for number, (kind, label) in enumerate(PARTS, start=1):
        records = ctx.catalog.of_plan(a.id, kind)
        if not records:
            continue
        label = label.format(period=a.period, evaluated=evaluated_periods(ctx, records) if kind == "valutazione" else "")
        anchor = f"parte-{number}"
        toc.append(f'<li><a href="#{anchor}">{escape(label)}</a> ({len(records)})</li>')
        chunk = [f'<section class="pdz-part" aria-labelledby="{anchor}"><h2 id="{anchor}">{escape(label)}</h2>']
        for record in records:
            files.append(record.path)
            body = RECORD_BODIES[record.kind](ctx, record)
            slug = record.id.replace("/", "-")
            html = _to_html(body, slug, 2)
            # scrollable table regions repeat across records: name each after its record
            html = html.replace('role="region" aria-label="', f'role="region" aria-label="{escape(record.title)}: ')
            chunk.append(f'<article class="pdz-print-record" id="{slug}">{html}</article>')
        chunk.append("</section>")
        parts.append("".join(chunk))
    title = f"{a.title} – {ctx.ambito_name(a)}"
    back = ctx.href(f"{a.id}/")
    date = max((ctx.updated[f] for f in files if f in ctx.updated), default=None)
    stamp = f' Ultimo aggiornamento: <time datetime="{date}">{italian_date(date)}</time>.' if date else ""
    return (
        '<!doctype html>\n<html lang="it">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} – versione stampabile</title>\n"
        f'<link rel="stylesheet" href="{ctx.href("assets/pdz-print.css")}">\n'
        f'<link rel="stylesheet" href="{ctx.href("assets/pdz-tables.css")}">\n'
        f'<script src="{ctx.href("assets/pdz-tables.js")}" defer></script>\n</head>\n<body class="pdz-print">\n'
        '<a class="pdz-skip" href="#contenuto">Vai al contenuto</a>\n'
        f'<header class="pdz-print-header"><p><a href="{back}">Torna alla pagina del piano</a></p></header>\n'
        f'<main id="contenuto">\n<p class="pdz-print-kicker">Versione stampabile</p>\n<h1>{escape(title)}</h1>\n'
        f'<nav aria-label="Parti del piano"><h2>Indice</h2><ol>{"".join(toc)}</ol></nav>\n'
        + label_tables("\n".join(parts)) +
        "\n</main>\n<footer class=\"pdz-print-footer\"><p>Contenuti rilasciati con licenza CC BY 4.0. "
        f"Ogni parte indica il documento e le righe da cui è tratta.{stamp}</p></footer>\n</body>\n</html>\n")

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
