"""Blocks for the hand-written pages (home and guides), and the pages by target group."""
from __future__ import annotations

import datetime

from pdz.content.model import KINDS
from pdz.html.text import escape
from pdz.content import schemas
from pdz.render.base import Page, italian_date, number
from pdz.render.money import totals
from pdz.render.blocks import breadcrumb, facts, h1, html_block, table
from pdz.render.context import PageContext
from pdz.render.indices import area_objectives, area_comparison
from pdz.render.listings import evaluations_table, objectives_table, paginated
from pdz.render.plans import ambito_body

HOME_AMBITI = 12   # the home shows at most this many Ambiti; all of them are on ambiti/


def ambito_cards(ctx: PageContext, ambiti, level: int = 3) -> str:
    cards = []
    for a in ambiti:
        d = a.data
        plan = ctx.catalog.current_plan(a.id)
        objectives = ctx.catalog.of_plan(plan.id, "obiettivo") if plan else []
        evaluations = ctx.catalog.of_plan(plan.id, "valutazione") if plan else []
        rows = facts(ctx, [
            ("Comuni", number(d["numero_comuni"]) if d.get("numero_comuni") else ""),
            ("Abitanti", number(d["popolazione"]["abitanti"]) if d.get("popolazione") else "non indicati nella fonte"),
            ("Piano più recente", ctx.record_link(plan, plan.period) if plan else ""),
            ("Obiettivi", number(len(objectives)) if objectives else "nessuno nella fonte"),
            ("Risorse preventivate", totals(objectives) or "non indicate nella fonte"),
            ("Valutazioni del piano precedente", number(len(evaluations)) if evaluations else ""),
        ])
        cards.append(f'<li class="pdz-card"><h{level}>{ctx.record_link(a)}</h{level}>{rows}</li>')
    return '<ul class="pdz-cards">' + "".join(cards) + "</ul>"

def ambiti_overview(ctx: PageContext) -> str:
    """Home: the Ambiti with key figures (the first HOME_AMBITI; the rest on ambiti/)."""
    ambiti = ctx.catalog.all("ambito")
    more = ""
    if len(ambiti) > HOME_AMBITI:
        more = f"<p>{ctx.link('ambiti/', f'Tutti gli Ambiti ({number(len(ambiti))})')}</p>"
    return html_block(ambito_cards(ctx, ambiti[:HOME_AMBITI]) + more)

def ambiti_index(ctx: PageContext) -> list[Page]:
    ambiti = ctx.catalog.all("ambito")

    def first_page(ctx):
        return h1(ctx, "Ambiti territoriali") + html_block(
            f"<p>{number(len(ambiti))} Ambiti territoriali hanno il loro Piano di Zona su questo sito. "
            "Per ognuno: Comuni, abitanti e risorse quando il piano li indica. "
            f"Non sai a quale Ambito appartiene il tuo Comune? {ctx.link('comuni/', 'Trova il tuo Comune')}.</p>")
    return paginated(ctx, "ambiti/", "Ambiti territoriali", [], first_page, ambiti,
                          lambda ctx, chunk: ambito_cards(ctx, chunk, level=2),
                          sources=[a.path for a in ambiti])

def entry_points(ctx: PageContext) -> str:
    areas = "".join(f"<li>{ctx.record_link(x, x.data['lettera'] + '. ' + x.title)}</li>" for x in ctx.catalog.all("area"))
    all_ambiti = ctx.catalog.all("ambito")
    ambiti = "".join(f"<li>{ctx.record_link(a)}</li>" for a in all_ambiti[:HOME_AMBITI]) + \
        (f"<li>{ctx.link('ambiti/', 'tutti gli Ambiti')}</li>" if len(all_ambiti) > HOME_AMBITI else "")
    targets = "".join(f'<li>{ctx.link(f"destinatari/{key}/", escape(label))}</li>'
                      for key, label in schemas.vocabulary("categoria_target").items() if by_target(ctx, key))
    partners = ctx.catalog.all("partner")
    return html_block(
        '<div class="pdz-entry">'
        f'<section aria-labelledby="per-area"><h3 id="per-area">Per area di policy</h3><ul>{areas}</ul></section>'
        f'<section aria-labelledby="per-ambito"><h3 id="per-ambito">Per Ambito</h3><ul>{ambiti}</ul></section>'
        f'<section aria-labelledby="per-target"><h3 id="per-target">Per destinatari</h3><ul>{targets}</ul></section>'
        f'<section aria-labelledby="per-partner"><h3 id="per-partner">Per attore della rete</h3>'
        f'<p>{ctx.link("partner/", f"Tutti gli attori della rete ({number(len(partners))})")}</p></section>'
        "</div>")

def by_target(ctx: PageContext, key: str):
    return [o for o in ctx.catalog.all("obiettivo") if key in (o.data.get("categorie_target") or [])]

def target_pages(ctx: PageContext) -> list[Page]:
    pages = []
    ctx = ctx.at("destinatari/")
    items = "".join(f'<li>{ctx.link(f"destinatari/{k}/", escape(v))} ({number(len(by_target(ctx, k)))})</li>'
                    for k, v in schemas.vocabulary("categoria_target").items() if by_target(ctx, k))
    pages.append(Page("destinatari/", "Obiettivi per destinatari",
                      h1(ctx, "Obiettivi per destinatari") + html_block(f"<ul>{items}</ul>")))
    for key, label in schemas.vocabulary("categoria_target").items():
        objectives = by_target(ctx, key)
        if not objectives:
            continue
        pages += paginated(ctx,
            f"destinatari/{key}/", f"Obiettivi per destinatari: {label}",
            [("destinatari/", "Obiettivi per destinatari")],
            lambda ctx, label=label: breadcrumb(ctx, [("destinatari/", "Obiettivi per destinatari")])
            + h1(ctx, label, "Destinatari"),
            objectives,
            lambda ctx, chunk, label=label: objectives_table(ctx, chunk, with_ambito=True, caption=f"Obiettivi per: {label}"),
            sources=[o.path for o in objectives])
    return pages

# fragments for macros on hand-written pages
def ambito_fragment(ctx: PageContext, ambito_id: str) -> str:
    ambito = ctx.catalog.get("ambito", ambito_id)
    return ambito_body(ctx, ambito) if ambito else ""

def objectives_fragment(ctx: PageContext, ambito_id: str) -> str:
    plan = ctx.catalog.current_plan(ambito_id)
    return html_block(objectives_table(ctx, ctx.catalog.of_plan(plan.id, "obiettivo"))) if plan else ""

def evaluations_fragment(ctx: PageContext, ambito_id: str) -> str:
    plan = ctx.catalog.current_plan(ambito_id)
    return html_block(evaluations_table(ctx, ctx.catalog.of_plan(plan.id, "valutazione"))) if plan else ""

def area_fragment(ctx: PageContext, letter: str) -> str:
    area = ctx.catalog.get("area", letter)
    return html_block(area_comparison(ctx, [(o, "principale") for o in area_objectives(ctx, area)[0]])) \
        if area else ""

def open_data_table(ctx: PageContext, exports: dict[str, bytes]) -> str:
    rows = []
    for path in sorted(exports):
        parts = path.split("/")
        if parts[0] != "dati" or len(parts) != 2 or not path.endswith(".json") or path == "dati/datapackage.json":
            continue   # per-Ambito files are listed on each Ambito's page
        scope = "Tutti gli Ambiti"
        name = parts[-1][:-5]
        csv_path = path[:-5] + ".csv"
        rows.append([escape(scope), escape(name.capitalize()),
                     ctx.link(path, "JSON") + (" · " + ctx.link(csv_path, "CSV") if exports.get(csv_path) else "")])
    schemas = "".join(f"<li>{ctx.link(p, escape(p.split('/')[-1]))}</li>" for p in sorted(exports) if "dati/schemi/" in p)
    per_ambito = "<p>I dati di ciascun Ambito, negli stessi formati, sono nella sezione «Dati aperti» della sua pagina " \
        f"({ctx.link('ambiti/', 'elenco degli Ambiti')}).</p>"
    def size(path):
        return f"{len(exports[path]) / 1024:,.0f} kB".replace(",", ".")
    bundle = [("dati/dati-aperti-piani-di-zona.zip", "Tutti i dati in un archivio zip",
               "tabelle CSV e JSON di tutti gli Ambiti e di ciascuno, schemi, Data Package e catalogo"),
              ("dati/catalogo.ttl", "Catalogo DCAT-AP_IT (Turtle)",
               "descrive ogni insieme di dati e ogni file, per i portali come dati.gov.it"),
              ("dati/catalogo.jsonld", "Catalogo DCAT-AP_IT (JSON-LD)", "lo stesso catalogo in JSON-LD"),
              ("dati/datapackage.json", "Data Package (Frictionless)",
               "lo schema di ogni tabella CSV: tipi, unità di misura, chiavi e collegamenti tra i file")]
    whole = "".join(f"<li>{ctx.link(p, escape(label))} ({size(p)}): {escape(what)}.</li>"
                    for p, label, what in bundle if p in exports)
    whole = f'<ul class="pdz-open-data-bundle">{whole}</ul>' if whole else ""
    return html_block(whole + table(ctx, "File scaricabili", ["Ambito", "Insieme di dati", "Formati"], rows) + per_ambito
                           + f"<h2 id=\"schemi\">Schemi JSON dei contenuti</h2><ul class=\"pdz-columns\">{schemas}</ul>")

def review_page(ctx: PageContext, today: datetime.date | None = None) -> Page:
    """Editors' page: every record with a review date, overdue ones first."""
    today = today or datetime.date.today()
    ctx = ctx.at("redazione/revisioni/")
    items = []
    for record in ctx.catalog.by_key.values():
        review = record.data.get("revisione")
        if review:
            items.append((review["entro"], record, review))
    rows = []
    for due, record, review in sorted(items, key=lambda x: (x[0], x[1].id)):
        overdue = datetime.date.fromisoformat(due) < today
        state = '<strong class="pdz-overdue">Scaduta</strong>' if overdue else "Da fare"
        rows.append([state, italian_date(due), escape(review["ufficio"]), ctx.record_link(record),
                     escape(KINDS[record.kind].label), f"<code>{escape(record.path)}</code>"])
    body = h1(ctx, "Revisioni dei contenuti", "Per chi redige") + html_block(
        "<p>I contenuti che hanno una data di revisione (campo <code>revisione</code>), in ordine di scadenza. "
        "Anche <code>make check</code> segnala con un avviso quelli scaduti.</p>"
        + (table(ctx, "Revisioni", ["Stato", "Entro", "Ufficio", "Contenuto", "Tipo", "File"], rows)
           if rows else "<p>Nessun contenuto ha una data di revisione.</p>"))
    return Page("redazione/revisioni/", "Revisioni dei contenuti", body)
