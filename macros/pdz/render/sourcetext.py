"""The text of each source document, published line by line: every line has a stable anchor
(``#r1003``), every page lists the records that cite its lines, and the "Fonte: … righe X–Y"
of record pages lead here (see ``blocks.source_parts``). A page shows at most CITED_SHOWN of
them, in line order; when more cite it (the list grows with every Ambito whose records cite a
shared text, or every later plan that repeats its Ambito's), the whole list is on pages of its
own, ``fonti/<document>/citazioni/righe-X-Y/`` (listings.paginated, 20 a page), so that no page
grows with N. (Not under the text page's own folder: its pages 2, 3... would be six folders deep,
where a host's header rules could not tell their ``index.html`` from an embeddable card's:
site/hosting.py.)

The text is escaped line by line: the source never becomes markup. The pages stay out of the
site search (page metadata ``search: {exclude: true}`` for the theme's search,
``data-pagefind-ignore="all"`` on the content for Pagefind).
"""
from __future__ import annotations

from pdz.content.model import KINDS, Record
from pdz.content.sourcetext import SourceText
from pdz.html.text import escape
from pdz.content.urls import page_url
from pdz.render.base import Page
from pdz.render.blocks import breadcrumb, h1
from pdz.render.context import PageContext
from pdz.render.listings import PAGE_SIZE, paginated

CITED_SHOWN = PAGE_SIZE   # citations listed on a text page itself; beyond, on its citazioni/ pages


def citations_url(document: str, first: int, last: int) -> str:
    """The list of every citation of lines first..last of a document's text (one text page)."""
    return f"fonti/{document}/citazioni/righe-{first}-{last}/"


def source_text_pages(ctx: PageContext) -> list[Page]:
    pages = []
    for doc in ctx.catalog.all("documento"):
        text = ctx.catalog.texts.get(doc.id)
        if text is None or (ctx.preview and doc.data.get("ambito") not in (None, ctx.preview)):
            continue
        cited = citations(ctx, doc)
        for index in range(len(text.pages)):
            first, last = text.pages[index]
            here = [(a, b, r) for a, b, r in cited if a <= last and b >= first]
            pages.append(text_page(ctx, doc, text, index, here))
            if len(here) > CITED_SHOWN:
                pages += cited_pages(ctx, doc, text, index, here)
    return pages

def citations(ctx: PageContext, doc: Record) -> list[tuple[int, int, Record]]:
    """(first line, last line, record) of every citation of ``doc``, in line order: records of
    the document's own Ambito and shared records (a plan is cited by its own Ambito; this
    also keeps the pages bounded when many Ambiti are built, as in the benchmark's clones)."""
    found = []
    owner = doc.data.get("ambito")
    for record in ctx.catalog.by_key.values():
        if owner and record.ambito and record.ambito != owner:
            continue
        for source in record.data.get("fonti") or []:
            if source["documento"] == doc.id and source.get("righe"):
                found.append((source["righe"][0], source["righe"][1], record))
    return sorted(found, key=lambda x: (x[0], x[1], x[2].kind, x[2].id))

def text_page(ctx: PageContext, doc: Record, text: SourceText, index: int, cited: list) -> Page:
    """One page of lines; ``cited``: the citations of its lines, in line order."""
    first, last = text.pages[index]
    ctx = ctx.at(text.url(index))
    title = f"{doc.title} – righe {first}–{last}"
    out = breadcrumb(ctx, [("fonti/", "Documenti di origine"), (page_url("documento", doc.id), doc.title)])
    out += h1(ctx, doc.title, f"Testo del documento, righe {first}–{last}")
    out += ('<p>Il testo estratto dal documento, riga per riga, come usato per trascrivere i contenuti del '
            'sito. Le righe richieste da un collegamento sono evidenziate.</p>')
    out += page_list(ctx, text, index, "Pagine del testo")
    if cited:
        out += f'<h2 id="citato-da">Contenuti che citano queste righe</h2>{cited_list(ctx, text, cited[:CITED_SHOWN])}'
        if len(cited) > CITED_SHOWN:
            out += (f'<p>Sono i primi {CITED_SHOWN} in ordine di riga: '
                    f'{ctx.link(citations_url(doc.id, first, last), f"tutti i {len(cited)} contenuti che citano queste righe")}.</p>')
    lines = "\n".join(f'<div class="pdz-line" id="r{n}"><a class="pdz-ln" href="#r{n}">{n}</a>'
                      f'<span class="pdz-lt">{escape(text.lines[n - 1])}</span></div>'
                      for n in range(first, last + 1))
    out += (f'<h2 id="testo">Righe {first}–{last}</h2>'
            f'<div class="pdz-source-lines" role="region" aria-label="Testo, righe {first}–{last}" tabindex="0">\n'
            f"{lines}\n</div>")
    out += page_list(ctx, text, index, "Pagine del testo, in fondo")
    body = f'\n<div class="pdz-block pdz-source-page" data-pagefind-ignore="all">\n{out}\n</div>\n'
    return Page(ctx.url, title, body, source=doc.path, search_exclude=True)

def cited_list(ctx: PageContext, text: SourceText, cited: list) -> str:
    items = "".join(
        f"<li>{ctx.record_link(r)} <span class=\"pdz-muted\">({escape(KINDS[r.kind].label)})</span>: "
        f"{_line_link(ctx, text, a, b)}</li>" for a, b, r in cited)
    return f'<ul class="pdz-cited">{items}</ul>'

def cited_pages(ctx: PageContext, doc: Record, text: SourceText, index: int, cited: list) -> list[Page]:
    """Every citation of one text page's lines, in line order, 20 a page; out of the search,
    like the text."""
    first, last = text.pages[index]
    page = text.url(index)
    crumbs = [("fonti/", "Documenti di origine"), (page_url("documento", doc.id), doc.title),
              (page, f"Righe {first}–{last}")]
    title = f"{doc.title} – righe {first}–{last}: contenuti che le citano"

    def first_page(ctx: PageContext) -> str:
        return (breadcrumb(ctx, crumbs) + h1(ctx, title, "Testo del documento")
                + f"<p>{len(cited)} contenuti citano le righe {first}–{last}, in ordine di riga.</p>\n")

    pages = paginated(ctx, citations_url(doc.id, first, last), title, crumbs, first_page, cited,
                      lambda ctx, chunk: cited_list(ctx, text, chunk), sources=[doc.path])
    for p in pages:
        p.search_exclude = True
    return pages

def _line_link(ctx: PageContext, text: SourceText, start: int, end: int) -> str:
    label = f"riga {start}" if start == end else f"righe {start}–{end}"
    return ctx.lines_link(text, start, end, label)

def page_list(ctx: PageContext, text: SourceText, current: int, label: str) -> str:
    """Every page of the document (a handful: pages are cut by size)."""
    items = []
    for i, (a, b) in enumerate(text.pages):
        lines = f"righe {a}–{b}"
        items.append(f'<li><span aria-current="page">{lines}</span></li>' if i == current
                     else f"<li>{ctx.link(text.url(i), lines)}</li>")
    return f'<nav class="pdz-pager" aria-label="{label}"><ul>{"".join(items)}</ul></nav>'
