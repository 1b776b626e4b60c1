"""Lists of records that every family shows: objectives and evaluations as tables, plain lists,
and lists that grow with the number of Ambiti, split over pages."""
from __future__ import annotations

from pdz.content import schemas
from pdz.content.model import Record
from pdz.html.text import escape
from pdz.render.base import Page, percent
from pdz.render.blocks import breadcrumb, h1, html_block, table
from pdz.render.context import PageContext
from pdz.render.history import state_text
from pdz.render.money import objective_amount


PAGE_SIZE = 20   # rows per page of lists that grow with the number of Ambiti: a full page weighs at most ~5% more than a short one


PAGE_SEGMENT = "pagina-"   # page n > 1 of a list at base/ lives at base/pagina-<n>/ (no record may use it)


def paginated(ctx: PageContext, base_url: str, title: str, crumbs: list, first_page, items: list, render,
              source: str | None = None, sources: list | None = None) -> list[Page]:
    """Split a growing list over pages of PAGE_SIZE rows, so no page grows with the number
    of Ambiti. ``first_page(ctx)`` writes the top of page 1; ``render(ctx, chunk)`` writes a chunk
    (``ctx``: the page of the list being written).
    Only page 1 is in the site search: the next ones repeat its title and list pages that
    are themselves searchable."""
    chunks = [items[i:i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]
    pages = []
    for number_, chunk in enumerate(chunks, start=1):
        url = base_url if number_ == 1 else f"{base_url}{PAGE_SEGMENT}{number_}/"
        ctx = ctx.at(url)
        if number_ == 1:
            top = first_page(ctx)
        else:
            top = breadcrumb(ctx, crumbs + [(base_url, title)]) + h1(ctx, f"{title}", f"Pagina {number_} di {len(chunks)}")
        # the rows are records with pages of their own: the search finds those. An empty list
        # writes no block (an empty one would be the only block the page cannot prerender).
        rows = (render(ctx, chunk) if chunk else "") + pager(ctx, base_url, number_, len(chunks))
        body = top + (html_block(rows, searchable=False) if rows else "")
        pages.append(Page(url, title if number_ == 1 else f"{title} (pagina {number_})", body,
                          source=source if number_ == 1 else None,
                          sources=(sources or []) + ([source] if source and number_ > 1 else []),
                          search_exclude=number_ > 1))
    return pages


def pager(ctx: PageContext, base_url: str, current: int, total: int) -> str:
    """Links to the first, previous, nearby, next and last pages: bounded, whatever the total."""
    if total <= 1:
        return ""
    shown = sorted({1, total, *range(max(1, current - 2), min(total, current + 2) + 1)})
    items, previous = [], 0
    for n in shown:
        if n > previous + 1:
            items.append('<li aria-hidden="true">…</li>')
        url = base_url if n == 1 else f"{base_url}{PAGE_SEGMENT}{n}/"
        label = f'<span class="md-visually-hidden">Pagina </span>{n}'
        items.append(f'<li><a href="{ctx.href(url)}" aria-current="page">{label}</a></li>' if n == current
                     else f"<li>{ctx.link(url, label)}</li>")
        previous = n
    return f'<nav class="pdz-pager" aria-label="Pagine dell\'elenco"><ul>{"".join(items)}</ul></nav>'


# --- shared tables ---------------------------------------------------------------------
def objectives_table(ctx: PageContext, objectives: list[Record], with_ambito: bool = False, caption: str = "") -> str:
    rows = []
    for o in objectives:
        d = o.data
        area = ctx.ref_link("area", d["area"]) if d.get("area") else escape(d.get("gruppo_piano", ""))
        groups = ", ".join(schemas.vocabulary("categoria_target")[g] for g in d.get("categorie_target") or [])
        row = [ctx.record_link(o), area, escape(groups) or "–",
               objective_amount(o, short=True) or "–",
               schemas.vocabulary("risposta_valore").get((d.get("coprogettazione") or {}).get("risposta"), "–"),
               schemas.vocabulary("risposta_valore").get((d.get("continuita") or {}).get("risposta"), "–"),
               state_text(ctx, o, with_date=False) or "–"]
        if with_ambito:
            row.insert(0, ctx.ref_link("ambito", o.ambito))
        rows.append(row)
    headers = ["Obiettivo", "Area", "Destinatari", "Risorse", "Co-progettato", "In continuità", "Stato"]
    if with_ambito:
        headers.insert(0, "Ambito")
    return table(ctx, caption or "Obiettivi", headers, rows,
                      numeric={headers.index("Risorse")})


def evaluations_table(ctx: PageContext, evaluations: list[Record], caption: str = "") -> str:
    rows = []
    for e in evaluations:
        d = e.data
        grade = (d.get("grado_raggiungimento") or {}).get("percentuale")
        match = (d.get("coincidenza_risorse") or {}).get("percentuale")
        rows.append([ctx.record_link(e), escape(d.get("gruppo") or d.get("area_piano") or ""),
                     percent(grade) if grade is not None else "–",
                     percent(match) if match is not None else "–",
                     schemas.vocabulary("risposta_valore").get((d.get("riproposto") or {}).get("risposta"), "–")])
    return table(ctx, caption or "Valutazioni degli obiettivi del piano precedente",
                      ["Obiettivo valutato", "Gruppo", "Raggiungimento", "Risorse impegnate", "Riproposto"],
                      rows, numeric={2, 3})


def simple_list(ctx: PageContext, records: list[Record]) -> str:
    return "<ul>" + "".join(f"<li>{ctx.record_link(r)}</li>" for r in records) + "</ul>"
