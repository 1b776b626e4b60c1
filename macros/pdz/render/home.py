"""Blocks for the hand-written pages (home and guides), and the pages by target group."""
from __future__ import annotations

import datetime

from pdz.content.model import KINDS, Record
from pdz.html.text import escape
from pdz.content import schemas
from pdz.content.urls import page_url
from pdz.domain.budget import by_kind, total
from pdz.render.base import Page, italian_date, number
from pdz.render.money import computed, kinds_phrase, totals
from pdz.render.blocks import breadcrumb, facts, h1, html_block, table
from pdz.render.comuni import HOME_AMBITI   # the home shows at most this many Ambiti; all of them are on ambiti/
from pdz.render.changes import NEWS_URL, bundled, compact_list   # the change history (#26)
from pdz.render.context import PageContext
from pdz.render.italian import count
from pdz.render.indices import area_sections, topic_name, topics
from pdz.render.listings import evaluations_table, objectives_table, paginated
from pdz.render.plans import ambito_body

HOME_NEWS = 3      # the last changes on the home
SEARCH_EXAMPLES = ("assistenza domiciliare", "affido", "Corsico")   # words the site search finds


# --- the task first: search and topics -------------------------------------------------------
def home_search(ctx: PageContext) -> str:
    """A search box in the page, with an example of what to type. It sends ?cerca= to the home,
    where the site search (overrides/partials/search.html, docs/assets/pdz-search.js) shows the
    results of an address with a query; without JavaScript the address still carries it."""
    examples = ", ".join(f"<q>{escape(x)}</q>" for x in SEARCH_EXAMPLES)
    return html_block(
        f'<form class="pdz-home-search" role="search" aria-label="Cerca nei Piani di Zona" method="get" '
        f'action="{ctx.href("")}">'
        '<label for="pdz-home-q">Cerca un servizio, un argomento o un Comune</label>'
        '<div class="pdz-home-search__row"><input id="pdz-home-q" name="cerca" type="search" autocomplete="off" '
        'spellcheck="false" aria-describedby="pdz-home-q-esempi">'
        '<button type="submit" class="md-button md-button--primary">Cerca</button></div>'
        f'<p id="pdz-home-q-esempi" class="pdz-home-search__hint">Per esempio: {examples}</p></form>')


def topic_tiles(ctx: PageContext) -> str:
    """The ten policy areas as topics in everyday words, in the order of their ``posizione``: the
    citizen's name leads to the area's page, the line says what the plans do, the Region's title
    stays visible beneath."""
    tiles = "".join(
        f'<li class="pdz-topic">{ctx.link(page_url("area", x.id), ctx.text.plain(topic_name(x)))}'
        f'<p class="pdz-topic__line">{ctx.text.plain(x.data.get("spiegazione_breve", ""))}</p>'
        f'<p class="pdz-topic__region">Area {escape(x.data["lettera"])}: {ctx.text.plain(x.title)}</p></li>'
        for x in topics(ctx.catalog))
    return html_block(f'<ul class="pdz-topics">{tiles}</ul>'
                      f'<p class="pdz-topics__all">{ctx.link("aree/", "Tutti gli argomenti, con quanti obiettivi e valutazioni ha ognuno")}</p>')


# --- your territory --------------------------------------------------------------------------
def ambito_cards(ctx: PageContext, ambiti, level: int = 3, compact: bool = False) -> str:
    """An Ambito per card: its current plan and period, the number of objectives and the budget (no
    plan of the sources states a total of its own: the site's sum of the objectives' items, labelled
    as such, with the kinds of item when they differ). ``compact``:
    the home's card, in one line; the list of the Ambiti adds the Comuni, inhabitants and
    evaluations, and the sums by kind of item."""
    cards = []
    for a in ambiti:
        d = a.data
        plan = ctx.catalog.current_plan(a.id)
        objectives = ctx.catalog.of_plan(plan.id, "obiettivo") if plan else []
        if compact:
            amount, kinds = total(objectives), list(by_kind(objectives))
            parts = [ctx.record_link(plan, f"Piano di Zona {plan.period}") if plan else "nessun piano sul sito",
                     count(len(objectives), "obiettivo", "obiettivi") if objectives else "nessun obiettivo nella fonte"]
            if amount is not None:   # the plans state no total of their own: the site's sum, and of which kinds
                parts.append("risorse: " + computed(amount, "voci di tipo diverso: " + kinds_phrase(kinds) if len(kinds) > 1 else ""))
            cards.append(f'<li class="pdz-card"><h{level}>{ctx.record_link(a)}</h{level}><p>{" · ".join(parts)}</p></li>')
            continue
        evaluations = ctx.catalog.of_plan(plan.id, "valutazione") if plan else []
        rows = [
            ("Comuni", number(d["numero_comuni"]) if d.get("numero_comuni") else ""),
            ("Abitanti", number(d["popolazione"]["abitanti"]) if d.get("popolazione") else "non indicati nella fonte"),
            ("Piano più recente", ctx.record_link(plan, plan.period) if plan else ""),
            ("Obiettivi", number(len(objectives)) if objectives else "nessuno nella fonte"),
            ("Risorse preventivate", totals(objectives) or "non indicate nella fonte"),
            ("Valutazioni del piano precedente", number(len(evaluations)) if evaluations else ""),
        ]
        cards.append(f'<li class="pdz-card"><h{level}>{ctx.record_link(a)}</h{level}>{facts(ctx, rows)}</li>')
    return '<ul class="pdz-cards">' + "".join(cards) + "</ul>"


def ambiti_overview(ctx: PageContext) -> str:
    """Home: the Ambiti as cards (the first HOME_AMBITI; the rest on ambiti/)."""
    ambiti = ctx.catalog.all("ambito")
    more = ""
    if len(ambiti) > HOME_AMBITI:
        more = f"<p>{ctx.link('ambiti/', f'Tutti gli Ambiti ({number(len(ambiti))})')}</p>"
    return html_block(ambito_cards(ctx, ambiti[:HOME_AMBITI], compact=True) + more)

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


# --- what is new ------------------------------------------------------------------------------
def recent_records(ctx: PageContext, n: int = HOME_NEWS) -> list[tuple[str, Record]]:
    """(date, record) of the last ``n`` records changed, newest first: the order of the content
    dates the build has (pdz.content.gitdates.last_changes: newest commit first). When the site
    has a change history (issue #26), the home lists its last changes instead (whats_new)."""
    by_path = {r.path: r for r in ctx.catalog.by_key.values()}
    found = []
    for path, date in ctx.updated.items():
        record = by_path.get(path)
        if record is not None:
            found.append((date, record))
            if len(found) == n:
                break
    return found


def whats_new(ctx: PageContext) -> str:
    """Home: the last three changes of the site's history (the same words as novita/ and the feed),
    or, in a copy without one, the last records changed, each with its date, kind, Ambito and plan."""
    entries = bundled(ctx.history.news())[:HOME_NEWS] if ctx.history is not None else []
    more = f"<p>{ctx.link(NEWS_URL, 'Tutte le modifiche recenti')}, con che cosa è cambiato e perché.</p>"
    if entries:
        return html_block(compact_list(ctx, entries) + more)
    items = []
    for date, r in recent_records(ctx):
        where = ", ".join(x for x in (ctx.text.plain(ctx.ambito_name(r)) if r.ambito and r.kind != "ambito" else "",
                                      f"Piano {escape(r.period)}" if r.period and r.kind != "piano" else "") if x)
        label = KINDS[r.kind].label
        kind = "" if ctx.display_title(r).startswith(label) else escape(label) + " "   # not "Piano di Zona Piano di Zona 2021-2023"
        items.append(f'<li><time datetime="{escape(date)}">{italian_date(date)}</time>: '
                     f"{kind}{ctx.record_link(r)}{f' ({where})' if where else ''}</li>")
    if not items:
        return html_block("<p>Le date degli aggiornamenti non sono disponibili in questa copia del sito.</p>")
    return html_block('<ul class="pdz-news">' + "".join(items) + "</ul>" + more)


# --- other ways in ----------------------------------------------------------------------------
def entry_points(ctx: PageContext) -> str:
    """Home: the objectives by target group, the partners and the source documents."""
    targets = ", ".join(ctx.link(f"destinatari/{key}/", escape(label.lower()))
                        for key, label in schemas.vocabulary("categoria_target").items() if by_target(ctx, key))
    partners = number(len(ctx.catalog.all("partner")))
    return html_block(
        f"<ul><li>Gli obiettivi per destinatari: {targets}.</li>"
        f"<li>{ctx.link('partner/', f'Gli attori della rete ({partners})')}: enti pubblici e del Terzo Settore.</li>"
        f"<li>{ctx.link('fonti/', 'I documenti di origine')}, riga per riga.</li></ul>")


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
    return html_block(area_sections(ctx, area)) if area else ""

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
