"""Pages that gather records: an Ambito's plan, its lists, policy areas, partners, glossary, sources."""
from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote

from pdz.content.model import KINDS, Record
from pdz.html.text import escape
from pdz.content.urls import page_url
from pdz.content import schemas
from pdz.render.base import Page, number
from pdz.render.facets import area_label, facets_block, kind_label
from pdz.render.money import objective_amount
from pdz.render.blocks import (LABEL_END, breadcrumb, facts, h1, heading, html_block, provenance, source_notes,
                               source_parts, table, text_list)
from pdz.render.changes import follow_link, history_block
from pdz.render.context import PageContext
from pdz.render.history import chains_table, rollup
from pdz.render.listings import paginated, simple_list
from pdz.render.plans import network


# --- policy areas -------------------------------------------------------------------------
def area_pages(ctx: PageContext) -> list[Page]:
    areas = ctx.catalog.all("area")
    ctx = ctx.at("aree/")
    rows = [[ctx.record_link(x, f"{x.data['lettera']}. {x.title}"),
             number(len(area_objectives(ctx, x)[0])), number(len(area_objectives(ctx, x)[1]))] for x in areas]
    body = h1(ctx, "Aree di policy") + html_block(
        "<p>Le dieci macro-aree strategiche indicate da Regione Lombardia per la programmazione 2021-2023. "
        "Per ogni area, gli obiettivi di tutti gli Ambiti messi a confronto.</p>"
        + table(ctx, "Aree di policy", ["Area", "Obiettivi principali", "Obiettivi trasversali"], rows, numeric={1, 2}))
    pages = [Page("aree/", "Aree di policy", body, sources=[x.path for x in areas])]
    for area in areas:
        pages += area_page(ctx, area)
        pages += area_history(ctx, area)
    return pages


def area_objectives(ctx: PageContext, area: Record):
    main, transversal = [], []
    for o in ctx.catalog.all("obiettivo"):
        if o.data.get("area") == area.id:
            main.append(o)
        elif area.id in ((o.data.get("trasversale") or {}).get("aree") or []):
            transversal.append(o)
    return main, transversal


def area_page(ctx: PageContext, area: Record) -> list[Page]:
    base = page_url("area", area.id)
    main, transversal = area_objectives(ctx, area)
    rows = [(o, "principale") for o in sorted(main, key=lambda x: (x.ambito, ctx.catalog.sort_key(x)))] + \
        [(o, "trasversale") for o in sorted(transversal, key=lambda x: (x.ambito, ctx.catalog.sort_key(x)))]
    title = f"Area {area.data['lettera']}: {area.title}"

    def first_page(ctx):
        out = breadcrumb(ctx, [("aree/", "Aree di policy")]) + h1(ctx, area.title, f"Area {area.data['lettera']}")
        feed = ctx.feed_url("area", area.id)
        if feed:
            out += follow_link(ctx, feed, "le novità degli obiettivi e delle valutazioni di quest'area, in tutti gli Ambiti")
        out += heading(ctx, 2, "Punti chiave regionali", "punti-chiave") + \
            html_block(text_list(ctx, area.data["punti_chiave"]))
        out += heading(ctx, 2, "Gli obiettivi degli Ambiti a confronto", "obiettivi")
        summary = (f"<p>{number(len(main))} obiettivi hanno quest'area come area principale; "
                   f"{number(len(transversal))} hanno un'altra area principale ma dichiarano di integrarsi "
                   "con questa (<strong>trasversale</strong>).</p>")
        summary += rollup(ctx, main)
        if _area_chains(ctx, area):
            summary += (f"<p>{ctx.link(f'{base}storia/', 'Storia degli obiettivi di quest area')}: gli obiettivi "
                        "di tutti gli Ambiti attraverso i piani, con le loro valutazioni.</p>").replace("quest area", "quest'area")
        evaluations = [e for e in ctx.catalog.all("valutazione") if e.data.get("area") == area.id]
        if evaluations:
            summary += "<p>Valutazioni in quest'area:</p>" + simple_list(ctx, evaluations)
        return out + html_block(summary) + provenance(ctx, area) + history_block(ctx, area) + \
            facets_block(title, tipo=kind_label("area"), area=area_label(area))

    return paginated(ctx, base, title, [("aree/", "Aree di policy")], first_page, rows,
                          area_comparison, source=area.path)


def _area_chains(ctx: PageContext, area: Record) -> list:
    return ctx.monitoring.chains(area_objectives(ctx, area)[0])


def area_history(ctx: PageContext, area: Record) -> list[Page]:
    """The chains of the area's objectives across Ambiti, paginated like the comparison."""
    chains = sorted(_area_chains(ctx, area), key=lambda c: (c[0].ambito, ctx.catalog.sort_key(c[0])))
    if not chains:
        return []
    base = page_url("area", area.id) + "storia/"
    title = f"Storia degli obiettivi – Area {area.data['lettera']}"
    crumbs = [("aree/", "Aree di policy"), (page_url("area", area.id), area.title)]

    def first_page(ctx):
        return breadcrumb(ctx, crumbs) + h1(ctx, "Storia degli obiettivi", f"Area {area.data['lettera']}: {area.title}") + \
            html_block("<p>Gli obiettivi di quest'area in tutti gli Ambiti, attraverso i piani: ogni riga è la storia "
                            "di un obiettivo, con gli obiettivi che prosegue e quelli che lo proseguono, collegati "
                            "direttamente, e per ogni collegamento le righe del piano o il motivo della redazione.</p>")

    return paginated(ctx, base, title, crumbs, first_page, chains,
                          lambda ctx, chunk: chains_table(ctx, chunk, with_ambito=True, caption=title), source=area.path)


def area_comparison(ctx: PageContext, rows: list[tuple[Record, str]]) -> str:
    """Objectives of several Ambiti side by side; rows are (objective, 'principale'|'trasversale').
    Short values are columns; the long texts (recipients, indicators) open under the title."""
    out = []
    for o, relation in rows:
        d = o.data
        indicators = []
        for key in ("risultati", "impatto"):
            indicators += [i["descrizione"] for i in (d.get(key) or {}).get("indicatori") or []]
        more = ""
        if d.get("target") or indicators:
            more = (f'<details class="pdz-more"><summary>Destinatari e indicatori'
                    f'<span class="pdz-sr-only">: {ctx.text.plain(ctx.display_title(o))}</span></summary>'
                    + (f"<p><strong>Destinatari:</strong> {ctx.text.inline(d['target'])}</p>" if d.get("target") else "")
                    + (f"<p><strong>Indicatori principali:</strong></p>{text_list(ctx, indicators[:3])}" if indicators else "")
                    + "</details>")
        mark = '<strong class="pdz-transversal">trasversale</strong>' if relation == "trasversale" else "principale"
        out.append([ctx.ref_link("ambito", o.ambito), escape(o.period or ""), ctx.record_link(o) + more, mark,
                    objective_amount(o, short=True) or "–"])
    return table(ctx, "Obiettivi per Ambito", ["Ambito", "Piano", "Obiettivo", "Area", "Risorse"], out,
                      numeric={4}, wide={2})


# --- partners ------------------------------------------------------------------------------
def partner_pages(ctx: PageContext) -> list[Page]:
    partners = ctx.catalog.all("partner")
    ctx = ctx.at("partner/")
    groups = defaultdict(list)
    for p in partners:
        groups[p.data["tipo"]].append(p)
    out = h1(ctx, "Attori della rete") + html_block(
        "<p>Enti pubblici, enti del Terzo Settore e altri attori citati nei Piani di Zona, "
        "con gli obiettivi a cui partecipano.</p>")
    for tipo, label in schemas.plural_labels("tipo_partner").items():
        if groups.get(tipo):
            out += heading(ctx, 2, label, f"tipo-{tipo}") + html_block(
                simple_list(ctx, sorted(groups[tipo], key=lambda r: r.title.lower())), searchable=False)
    pages = [Page("partner/", "Attori della rete", out, sources=[p.path for p in partners])]
    if ctx.preview:   # only the partners the previewed Ambito's pages link to
        linked = {p.id for p in network(ctx, ctx.catalog.get("ambito", ctx.preview))}
        partners = [p for p in partners if p.id in linked]
    for p in partners:
        pages += partner_page(ctx, p)
    return pages


def partner_page(ctx: PageContext, p: Record) -> list[Page]:
    d = p.data
    citing = []
    for link in ctx.catalog.referrers(p):
        if link.source not in citing:
            citing.append(link.source)
    citing.sort(key=lambda r: (r.kind != "obiettivo", r.ambito or "", ctx.catalog.sort_key(r)))

    def first_page(ctx):
        out = breadcrumb(ctx, [("partner/", "Attori della rete")]) + h1(ctx, p.title, schemas.plural_labels("tipo_partner").get(d["tipo"], ""))
        feed = ctx.feed_url("partner", p.id)
        if feed:
            out += follow_link(ctx, feed, "le novità di questa scheda e degli obiettivi e dei contenuti che la citano")
        out += html_block(facts(ctx, [
            ("Sigla", escape(d.get("sigla", ""))),
            ("Altri nomi", escape("; ".join(d.get("nomi_alternativi") or []))),
            ("Piano di Zona su questo sito",
             ctx.ref_link("ambito", d["ambito_territoriale"]) if d.get("ambito_territoriale") else ""),
            ("Obiettivi che co-progetta", number(sum(1 for r in citing if r.kind == "obiettivo"))),
        ], "pdz-facts pdz-summary"))
        if d.get("descrizione"):
            out += heading(ctx, 2, "Descrizione", "descrizione") + html_block(ctx.text.block(d["descrizione"]))
        if d.get("ambiti"):
            items = "".join(f"<li>{ctx.ref_link('ambito', x['ambito'])}"
                            f"{': ' + ctx.text.inline(x['ruolo']) if x.get('ruolo') else ''}</li>" for x in d["ambiti"])
            out += heading(ctx, 2, "Negli Ambiti", "ambiti") + html_block(
                f"<ul>{items}</ul><p class=\"pdz-muted\">Il ruolo è descritto dalla redazione sulla base delle righe "
                "della fonte indicate in fondo alla pagina.</p>")
        out += provenance(ctx, p) + history_block(ctx, p) + facets_block(p.title, tipo=kind_label("partner"))
        return out + (heading(ctx, 2, "Obiettivi e contenuti collegati", "obiettivi") if citing else "")

    def render(ctx, chunk):
        rows = [[ctx.ref_link("ambito", r.ambito) if r.ambito else "–", ctx.record_link(r),
                 escape(KINDS[r.kind].label + (f" {r.period}" if r.period and r.kind != "piano" else ""))]
                for r in chunk]
        return table(ctx, "Contenuti che citano questo attore", ["Ambito", "Contenuto", "Tipo"], rows)

    return paginated(ctx, page_url("partner", p.id), p.title, [("partner/", "Attori della rete")],
                          first_page, citing, render, source=p.path)


# --- glossary and sources --------------------------------------------------------------------
def glossary_page(ctx: PageContext) -> Page:
    ctx = ctx.at("glossario/")
    items = "".join(
        f'<div id="{escape(s.id)}"><dt><abbr title="{escape(s.data["esteso"])}">{escape(s.data["sigla"])}</abbr>{LABEL_END}</dt>'
        f'<dd>{escape(s.data["esteso"])}{ctx.text.block(s.data.get("spiegazione", ""))}'
        f'<span class="pdz-muted"> Fonte: {"; ".join(source_parts(ctx, s))}</span></dd></div>'
        for s in sorted(ctx.catalog.all("sigla"), key=lambda r: r.data["sigla"].lower()))
    body = h1(ctx, "Glossario") + html_block(
        "<p>Le sigle usate nei Piani di Zona, come le sciolgono i documenti stessi. Le parole di tutti i giorni "
        f"e quelle dei piani sono in {ctx.link(VOCABULARY_URL, 'Le parole per cercare')}.</p>"
        f'<dl class="pdz-facts pdz-glossary">{items}</dl>')
    return Page("glossario/", "Glossario", body, sources=[s.path for s in ctx.catalog.all("sigla")])


# --- the citizen vocabulary ------------------------------------------------------------------
VOCABULARY_URL = "vocabolario/"


def vocabulary_page(ctx: PageContext) -> Page:
    """vocabolario/: everyday words and the plans' words (content/vocabolario/), each plan term
    opening the site search, each acronym its glossary entry. Kept out of the search index: it
    holds the words of every need, so it would answer every query."""
    ctx = ctx.at(VOCABULARY_URL)
    entries = sorted(ctx.catalog.all("voce"), key=lambda r: (r.title.lower(), r.id))
    rows = []
    for v in entries:
        d = v.data
        terms = ", ".join(ctx.link(f"{VOCABULARY_URL}?cerca={quote(term)}", ctx.text.plain(term)) for term in d["termini"])
        acronyms = ", ".join(ctx.ref_link("sigla", s) for s in d.get("sigle") or [])
        rows.append([f'<strong id="{escape(v.id)}">{ctx.text.plain(v.title)}</strong>',
                     escape(", ".join(d["parole"])), terms, acronyms or "–",
                     "; ".join(source_parts(ctx, v)) + source_notes(ctx, v)])
    body = h1(ctx, "Le parole per cercare") + html_block(
        "<p>Chi cerca aiuto usa le parole di tutti i giorni, i Piani di Zona usano le loro: dove si dice "
        "«badante» i piani scrivono «assistenti familiari». Questo vocabolario collega le une alle altre, e la "
        "ricerca del sito lo usa: quando una parola cercata è qui, cerca anche le parole dei piani e lo dice. "
        "Le parole dei piani sono scritte così nelle righe dei documenti indicate per ciascuna voce; ognuna apre "
        "la ricerca. Il vocabolario è curato dalla redazione: per proporre una parola, "
        f"{ctx.link('segnalazioni/', 'scrivi una segnalazione')}.</p>"
        + table(ctx, "Parole di tutti i giorni e parole dei piani",
                ["Bisogno", "Se cerchi", "Nei piani si dice", "Sigle", "Fonte"], rows))
    return Page(VOCABULARY_URL, "Le parole per cercare", body, sources=[v.path for v in entries], search_exclude=True)


def source_pages(ctx: PageContext) -> list[Page]:
    docs = ctx.catalog.all("documento")
    by_doc = defaultdict(list)
    for r in ctx.catalog.by_key.values():
        for source in r.data.get("fonti") or []:
            by_doc[source["documento"]].append(((source.get("righe") or [0])[0], r))
    ctx = ctx.at("fonti/")
    body = h1(ctx, "Documenti di origine") + html_block(
        "<p>Il contenuto del sito è trascritto da questi documenti. Ogni pagina indica le righe da cui è tratta.</p>"
        + simple_list(ctx, docs))
    pages = [Page("fonti/", "Documenti di origine", body, sources=[d.path for d in docs])]
    for doc in docs:
        if ctx.preview and doc.data.get("ambito") not in (None, ctx.preview):
            continue
        # the vocabulary cites lines as evidence of the plans' words, not as its content: its
        # page shows them (a document would list over a hundred entries more)
        pages += source_page(ctx, doc, [x for x in sorted(by_doc.get(doc.id, []), key=lambda x: (x[0], x[1].id))
                                        if x[1].kind not in ("documento", "voce")])
    return pages


def source_page(ctx: PageContext, doc: Record, entries: list) -> list[Page]:
    def first_page(ctx):
        out = breadcrumb(ctx, [("fonti/", "Documenti di origine")]) + h1(ctx, doc.title, "Documento di origine")
        out += html_block(facts(ctx, [
            ("File", f"<code>{escape(doc.data['file'])}</code>" if doc.data.get("file") else ""),
            ("Righe", number(doc.data["righe_totali"]) if doc.data.get("righe_totali") else ""),
            ("Indirizzo", ctx.link(doc.data["url"], escape(doc.data["url"])) if doc.data.get("url") else ""),
            ("Ambito", ctx.ref_link("ambito", doc.data["ambito"]) if doc.data.get("ambito") else ""),
            ("Data", escape(doc.data.get("data", ""))),
        ], "pdz-facts pdz-summary") + ctx.text.block(doc.data.get("descrizione", "")))
        return out + history_block(ctx, doc) + heading(ctx, 2, "Contenuti tratti da questo documento", "contenuti")

    def render(ctx, chunk):
        rows = [[f"{start}", ctx.record_link(r), escape(KINDS[r.kind].label)] for start, r in chunk]
        # titles of other pages: not words of this one for the site search
        return '<div data-pagefind-ignore="all">' + \
            table(ctx, "Contenuti in ordine di riga", ["Riga", "Contenuto", "Tipo"], rows, numeric={0}) + "</div>"

    return paginated(ctx, page_url("documento", doc.id), doc.title, [("fonti/", "Documenti di origine")],
                          first_page, entries, render, source=doc.path)
