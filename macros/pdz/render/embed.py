"""For partners: "Cita o incorpora" on every objective page, and the card of the objective that
other sites show in an <iframe> (``<objective>/scheda/``).

The card is a small standalone page: no navigation, no script, no web font (system fonts keep it
under 20 KB with its stylesheet), accessible on its own (language, title, heading, landmark), and
published like every other HTML file of the site, so it gets the same Content-Security-Policy. It
fits a frame EMBED_HEIGHT high from 280 px wide up (docs/assets/pdz-embed.css). Whether other
sites may frame it is the hosting's ``frame-ancestors`` header, which a meta tag cannot set: the
build's ``_headers`` and hosting/nginx.conf allow it for the cards only (pdz.site.hosting).
"""
from __future__ import annotations

from pdz.content.model import Record
from pdz.html.text import escape
from pdz.content.urls import page_url
from pdz.content import schemas
from pdz.render.base import euro, italian_date
from pdz.render.blocks import facts, heading, html_block
from pdz.render.context import PageContext

EMBED_DIR = "scheda/"
# Shown by docs/assets/pdz-copy.js, which copies the code (the element of the block that
# data-pdz-copy selects; Material renames the ids of <pre>) and says so in the status beside the
# button, read by screen readers. Without JavaScript there is no button: the code can be selected.
COPY_BUTTON = ('<p class="pdz-copy" hidden><button type="button" class="md-button" data-pdz-copy="pre.pdz-embed-code">'
               'Copia il codice</button> <span class="pdz-copy__status" role="status"></span></p>')
EMBED_HEIGHT = 400   # px inside the frame's border: the card fits it from 280 px wide (docs/assets/pdz-embed.css)


def embed_url(record: Record) -> str:
    return page_url(record.kind, record.id) + EMBED_DIR


def plan_label(ctx: PageContext, record: Record) -> str:
    plan = ctx.catalog.get("piano", record.piano) if record.piano else None
    return plan.title if plan else "Piano di Zona"


def citation(ctx: PageContext, record: Record, site_url: str) -> str:
    """One line: Ambito, plan, objective, date of last update, site and permanent address (plain text)."""
    date = ctx.updated.get(record.path)
    when = f", aggiornato al {italian_date(date)}" if date else ""
    number_ = record.data.get("numero")
    objective = f"obiettivo {number_} «{record.title}»" if number_ else f"obiettivo «{record.title}»"
    permalink = site_url.rstrip("/") + "/" + page_url(record.kind, record.id)
    return (f"{ctx.ambito_name(record)}, {plan_label(ctx, record)}, {objective}{when}. "
            f"Piani di Zona della Lombardia, {permalink} (CC BY 4.0).")


def snippet(ctx: PageContext, record: Record, site_url: str) -> str:
    src = site_url.rstrip("/") + "/" + embed_url(record)
    title = f"Obiettivo {ctx.display_title(record)} – {ctx.ambito_name(record)}"
    # the border inside the given size (border-box), so that the frame never sticks out of the
    # partner's column and the card gets exactly EMBED_HEIGHT
    outer = EMBED_HEIGHT + 2
    return (f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="{outer}" '
            f'style="box-sizing:border-box;width:100%;max-width:40rem;height:{outer}px;border:1px solid #c8cdd2" '
            'loading="lazy"></iframe>')


def cite_block(ctx: PageContext, record: Record, site_url: str) -> str:
    """The "Cita o incorpora" section of an objective page (HTML made safe here)."""
    permalink = site_url.rstrip("/") + "/" + page_url(record.kind, record.id)
    rows = facts(ctx, [
        ("Indirizzo permanente", f'<a href="{escape(permalink)}">{escape(permalink)}</a>'),
        ("Citazione", f'<span class="pdz-citation">{escape(citation(ctx, record, site_url))}</span>'),
    ])
    code = escape(snippet(ctx, record, site_url))
    body = (rows + "<p>Per mostrare la scheda di questo obiettivo sul tuo sito, copia questo codice HTML "
            f"({ctx.link(embed_url(record), 'anteprima della scheda')}):</p>"
            f'<pre class="pdz-embed-code"><code>{code}</code></pre>' + COPY_BUTTON)
    return heading(ctx, 2, "Cita o incorpora", "cita-o-incorpora") + html_block(body, "pdz-block pdz-cite", searchable=False)


def card(ctx: PageContext, record: Record, site_url: str) -> str:
    """The standalone card page of an objective, for an <iframe>."""
    d = record.data
    ctx = ctx.at(embed_url(record))
    parts = (d.get("risorse_economiche") or {}).get("componenti") or []
    area = ctx.catalog.get("area", d["area"]) if d.get("area") else None
    partners = (d.get("coprogettazione") or {}).get("partner") or []
    codesign = schemas.vocabulary("risposta_valore").get((d.get("coprogettazione") or {}).get("risposta"), "")
    if codesign and partners:
        codesign += f" ({len(partners)} {'attore' if len(partners) == 1 else 'attori'} della rete)"
    date = ctx.updated.get(record.path)
    facts = "".join(f"<div><dt>{label}</dt> <dd>{value}</dd></div>" for label, value in [
        ("Ambito", escape(ctx.ambito_name(record))),
        ("Area di policy", escape(f"{area.data['lettera']}. {area.title}") if area else escape(d.get("gruppo_piano", ""))),
        ("Risorse preventivate", euro(round(sum(p["importo"] for p in parts), 2)) if parts else ""),
        ("Co-progettato", escape(codesign)),
    ] if value)
    updated = f'Aggiornato al <time datetime="{date}">{italian_date(date)}</time> · ' if date else ""
    title = ctx.display_title(record)
    permalink = site_url.rstrip("/") + "/" + page_url(record.kind, record.id)
    return (
        '<!doctype html>\n<html lang="it">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{escape(title)} – {escape(ctx.ambito_name(record))}</title>\n"
        f'<link rel="canonical" href="{escape(permalink)}">\n'
        f'<link rel="stylesheet" href="{ctx.href("assets/pdz-embed.css")}">\n</head>\n<body>\n'
        f'<main class="pdz-card">\n<p class="pdz-card__kicker">{escape(plan_label(ctx, record))} · obiettivo</p>\n'
        f"<h1>{ctx.text.plain(title)}</h1>\n<dl>{facts}</dl>\n"
        f'<p class="pdz-card__more"><a href="{ctx.href(page_url(record.kind, record.id))}" target="_blank" rel="noopener">'
        "Leggi la scheda completa<span class=\"pdz-card__new\"> (si apre in una nuova finestra)</span></a></p>\n"
        f'<p class="pdz-card__source">{updated}Piani di Zona della Lombardia · CC BY 4.0</p>\n</main>\n</body>\n</html>\n')


def embed_paths(catalog) -> list[str]:
    """Where the card of every objective is published (``embed_documents``), without making it."""
    return [embed_url(r) + "index.html" for r in catalog.all("obiettivo")]


def embed_documents(ctx: PageContext, site_url: str) -> dict[str, bytes]:
    """The card of every objective: site path → HTML bytes."""
    return {embed_url(r) + "index.html": card(ctx, r, site_url).encode("utf-8")
            for r in ctx.catalog.all("obiettivo")}
