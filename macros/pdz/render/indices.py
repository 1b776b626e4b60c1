"""Pages that gather records: an Ambito's plan, its lists, policy areas, partners, glossary, sources."""
from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote

from pdz.content.catalog import Catalog
from pdz.content.model import KINDS, Record
from pdz.html.text import escape
from pdz.content.urls import page_url
from pdz.content import schemas
from pdz.render.base import Page, number, percent
from pdz.render.facets import area_label, facets_block, kind_label
from pdz.render.money import objective_amount
from pdz.render.blocks import (LABEL_END, breadcrumb, facts, h1, heading, html_block, provenance, source_notes,
                               source_parts, table, text_list)
from pdz.render.changes import follow_link, history_block
from pdz.render.context import PageContext
from pdz.domain.areas import ALSO, TRANSVERSAL, evaluations_in, objectives_in
from pdz.render.history import chains_table, lines_label, rollup, state_text
from pdz.render.italian import count
from pdz.render.listings import paginated, simple_list
from pdz.render.plans import network


# --- policy areas: the topics of the home ----------------------------------------------------
def topic_name(area: Record) -> str:
    """The area in a citizen's words ('Casa e abitare'), or its regional name."""
    return area.data.get("argomento") or area.title


def topics(catalog: Catalog) -> list[Record]:
    """The areas in the order the home shows them (``posizione``, then letter)."""
    return sorted(catalog.all("area"), key=lambda x: (x.data.get("posizione", 100), x.data["lettera"]))


def region_name(area: Record) -> str:
    """'Area B di Regione Lombardia: Politiche abitative' (the regional title, always shown)."""
    return f"Area {area.data['lettera']} di Regione Lombardia: {area.title}"


def area_index(ctx: PageContext) -> list[Page]:
    areas = topics(ctx.catalog)
    ctx = ctx.at("aree/")
    items = "".join(
        f'<li><h2 class="pdz-topic__name">{ctx.record_link(x, topic_name(x))}</h2>'
        f'<p class="pdz-topic__line">{ctx.text.plain(x.data.get("spiegazione_breve", ""))}</p>'
        f'<p class="pdz-topic__region">{ctx.text.plain(region_name(x))} · '
        f'{number(len(ctx.catalog.derived(objectives_in, x.id)))} obiettivi, '
        f'{number(len(ctx.catalog.derived(evaluations_in, x.id)))} valutazioni</p></li>' for x in areas)
    body = h1(ctx, "Argomenti") + html_block(
        "<p>Che cosa fanno i Piani di Zona, argomento per argomento. Ogni argomento è una delle dieci "
        "macro-aree di policy indicate da Regione Lombardia per la programmazione 2021-2023: i nomi e le "
        "spiegazioni in parole semplici sono della redazione, il nome regionale è scritto sotto.</p>"
        f'<ul class="pdz-topics pdz-topics--index">{items}</ul>')
    return [Page("aree/", "Argomenti", body, sources=[x.path for x in areas])]


def area_and_history(ctx: PageContext, area: Record) -> list[Page]:
    ctx = ctx.at("aree/")
    return area_page(ctx, area) + area_history(ctx, area)


def area_objectives(ctx: PageContext, area: Record):
    """(main, transversal) objectives of the area, of every plan: its own area or another area
    its title or group names (main), and those whose plan declares them transversal to it."""
    placed = ctx.catalog.derived(objectives_in, area.id)
    return ([p.record for p in placed if p.relation != TRANSVERSAL],
            [p.record for p in placed if p.relation == TRANSVERSAL])


def area_page(ctx: PageContext, area: Record) -> list[Page]:
    """The topic page: for each Ambito, what its current plan does in the area (objectives with
    budget and state, as the plan states them), then the evaluations of the earlier plan that the
    current one places in the area; how each record came to be here is said next to it."""
    base = page_url("area", area.id)
    name = topic_name(area)
    by_ambito = _area_by_ambito(ctx, area)
    title = f"{name} – Area {area.data['lettera']}: {area.title}"
    crumbs = [("aree/", "Argomenti")]

    def first_page(ctx):
        out = breadcrumb(ctx, crumbs) + h1(ctx, name, "Argomento")
        feed = ctx.feed_url("area", area.id)
        if feed:
            out += follow_link(ctx, feed, "le novità degli obiettivi e delle valutazioni di quest'area, in tutti gli Ambiti")
        line = area.data.get("spiegazione_breve", "")
        lead = f'<p class="pdz-lead">{ctx.text.plain(line[:1].upper() + line[1:])}.</p>' if line else ""
        naming = (f"«{ctx.text.plain(name)}» è il nome che la redazione dà a quest'area; "
                  if area.data.get("argomento") else "")
        lead += (f'<p class="pdz-topic__region"><strong>{ctx.text.plain(region_name(area))}</strong> '
                 f"(DGR 4563/2021). {naming}<a href='#punti-chiave'>punti chiave regionali</a> in fondo alla pagina.</p>")
        current = [p.record for _, rows in by_ambito for p in rows[0] if p.relation != TRANSVERSAL]
        summary = lead + rollup(ctx, current)
        if _area_chains(ctx, area):
            summary += (f"<p>{ctx.link(f'{base}storia/', 'Storia degli obiettivi di quest’area')}: gli obiettivi "
                        "di tutti gli Ambiti attraverso i piani, con le loro valutazioni.</p>").replace("’", "'")
        out += html_block(summary)
        out += heading(ctx, 2, "Che cosa fanno i piani, Ambito per Ambito", "ambiti")
        present = {a.id for a, _ in by_ambito}
        others = [a for a in ctx.catalog.all("ambito") if a.id not in present]
        have = "ha" if len(by_ambito) == 1 else "hanno"
        note = (f"<p>{count(len(by_ambito), 'Ambito', 'Ambiti')} {have} obiettivi o valutazioni in quest'area nel "
                "piano più recente." + (f" {'L' if len(others) == 1 else 'Gli'} altr{'o' if len(others) == 1 else 'i'} "
                                        f"{count(len(others), 'Ambito', 'Ambiti')} no: " + _names(ctx, others) + "." if others else "")
                + "</p><p>Per ogni Ambito: gli obiettivi del piano più recente, con le risorse e lo stato come li "
                  "indica il piano, poi le valutazioni degli obiettivi del piano precedente.</p>") \
            if by_ambito else "<p>Nessun piano più recente ha obiettivi o valutazioni in quest'area.</p>"
        return out + html_block(note)

    def tail(ctx):
        return heading(ctx, 2, "Punti chiave regionali", "punti-chiave") + \
            html_block(text_list(ctx, area.data["punti_chiave"])) + provenance(ctx, area) + history_block(ctx, area) + \
            facets_block(title, tipo=kind_label("area"), area=area_label(area))

    pages = paginated(ctx, base, name, crumbs, first_page, by_ambito,
                      lambda ctx, chunk: "".join(_ambito_in_area(ctx, area, a, rows) for a, rows in chunk),
                      source=area.path)
    pages[0].body += tail(ctx.at(base))
    return pages


def area_sections(ctx: PageContext, area: Record) -> str:
    """Every Ambito's section of the topic page, on one page (the docs/ macro area_objectives)."""
    return "".join(_ambito_in_area(ctx, area, a, rows) for a, rows in _area_by_ambito(ctx, area))


def _names(ctx: PageContext, ambiti: list[Record], most: int = 12) -> str:
    names = ", ".join(ctx.record_link(a) for a in ambiti[:most])
    return names + (f" e altri {number(len(ambiti) - most)} ({ctx.link('ambiti/', 'tutti gli Ambiti')})"
                    if len(ambiti) > most else "")


def _area_by_ambito(ctx: PageContext, area: Record) -> list[tuple[Record, tuple]]:
    """(Ambito, ([objective placements of its current plan], [evaluation placements of it])),
    for the Ambiti whose current plan has any, in the catalog's order of Ambiti."""
    objectives, evaluations = ctx.catalog.derived(objectives_in, area.id), ctx.catalog.derived(evaluations_in, area.id)
    out = []
    for a in ctx.catalog.all("ambito"):
        plan = ctx.catalog.current_plan(a.id)
        if plan is None:
            continue
        own = [p for p in objectives if p.record.piano == plan.id]
        looked_back = [p for p in evaluations if p.record.piano == plan.id]
        if own or looked_back:
            out.append((a, (own, looked_back)))
    return out


def _ambito_in_area(ctx: PageContext, area: Record, ambito: Record, rows: tuple) -> str:
    own, looked_back = rows
    plan = ctx.catalog.current_plan(ambito.id)
    out = f'<section class="pdz-topic-ambito"><h3>{ctx.record_link(ambito)}</h3>'
    if own:
        across = sum(1 for p in own if p.relation == TRANSVERSAL)
        parts = ([f"{count(len(own) - across, 'obiettivo', 'obiettivi')} di quest'area"] if len(own) > across else []) + \
            ([f"{count(across, 'obiettivo', 'obiettivi')} di altre aree che il piano integra con questa"] if across else [])
        out += (f"<p>{ctx.record_link(plan, 'Piano di Zona ' + plan.period)}: {' e '.join(parts)}.</p>"
                '<ul class="pdz-topic-records">' + "".join(_objective_item(ctx, area, p) for p in own) + "</ul>")
    else:
        out += f"<p>Il {ctx.record_link(plan, 'Piano di Zona ' + plan.period)} non ha obiettivi in quest'area.</p>"
    if looked_back:
        out += (f"<h4>Valutazioni degli obiettivi del piano precedente</h4>"
                f"<p>Scritte nel Piano di Zona {escape(plan.period)}.</p>")
        groups: dict = {}
        for p in looked_back:
            groups.setdefault(p.group["gruppo"] if p.group else "", []).append(p)
        for group, placed in groups.items():
            if group:
                out += f'<p class="pdz-topic-basis">{_group_basis(ctx, placed[0])}</p>'
            said = [_outcome(p.record) for p in placed]
            items = "".join(f"<li>{ctx.record_link(p.record)}" + (
                f'<br><span class="pdz-topic-facts">{o or "Il piano non indica un esito"}.</span>' if any(said) else "")
                + "</li>" for p, o in zip(placed, said))
            out += f'<ul class="pdz-topic-records">{items}</ul>'
            if not any(said):
                out += "<p>Il piano non indica l'esito di nessuna di queste valutazioni.</p>"
    return out + "</section>"


def _objective_item(ctx: PageContext, area: Record, placed) -> str:
    o = placed.record
    amount = objective_amount(o, short=True)
    state = state_text(ctx, o)
    facts_ = [f"Risorse: {amount}" if amount else "Risorse non indicate nel piano",
              f"Stato: {state}" if state else "Stato di attuazione non indicato"]
    main = ctx.catalog.get("area", o.data.get("area", ""))
    if placed.relation == TRANSVERSAL and main is not None:
        facts_.append(f"Trasversale: il piano lo integra con quest'area; area principale {escape(main.data['lettera'])}. "
                      f"{ctx.record_link(main, topic_name(main))}")
    elif placed.relation == TRANSVERSAL:
        facts_.append("Trasversale: il piano lo integra con quest'area")
    elif placed.relation == ALSO and main is not None:
        facts_.append(f"Il titolo o il gruppo nel piano nomina anche quest'area; area principale "
                      f"{escape(main.data['lettera'])}. {ctx.record_link(main, topic_name(main))}")
    if placed.reason:
        facts_.append(f'<em class="pdz-inferred">area assegnata dalla redazione</em>: {ctx.text.inline(placed.reason)}')
    return f"<li>{ctx.record_link(o)}<br><span class=\"pdz-topic-facts\">{'; '.join(facts_)}.</span></li>"


def _outcome(e: Record) -> str:
    """What the plan says of how the evaluated objective went ('' when it says nothing)."""
    d = e.data
    grade = (d.get("grado_raggiungimento") or {}).get("percentuale")
    written = schemas.vocabulary("stato_valutazione").get(d.get("stato_attuazione", ""))
    again = schemas.vocabulary("risposta_valore").get((d.get("riproposto") or {}).get("risposta", ""))
    said = "; ".join(([f"grado di raggiungimento indicato: {percent(grade)}"] if grade is not None else []) +
                     ([f"stato indicato: {escape(written.lower())}"] if written else []) +
                     ([f"riproposto: {escape(again.lower())}"] if again else []))
    return said[:1].upper() + said[1:]


def _group_basis(ctx: PageContext, placed) -> str:
    """Why a group of evaluations is on this page: the plan's heading, with its lines, and the
    editors' reason when the heading does not use the region's name of the area."""
    entry, plan = placed.group, placed.plan
    sources = plan.data.get("fonti") or [] if plan else []
    where = lines_label(ctx, sources[0]["documento"] if sources else None, entry["righe"])
    heading_ = f"il piano le elenca sotto «{ctx.text.plain(entry['gruppo'])}» ({where})"
    if placed.reason:
        return (f'<em class="pdz-inferred">Area assegnata dalla redazione</em>: {heading_}. '
                f"{ctx.text.inline(placed.reason)}")
    return f"Area indicata dal piano: {heading_}."


def _area_chains(ctx: PageContext, area: Record) -> list:
    return ctx.monitoring.chains(area_objectives(ctx, area)[0])


def area_history(ctx: PageContext, area: Record) -> list[Page]:
    """The chains of the area's objectives across Ambiti, paginated like the comparison."""
    chains = sorted(_area_chains(ctx, area), key=lambda c: (c[0].ambito, ctx.catalog.sort_key(c[0])))
    if not chains:
        return []
    base = page_url("area", area.id) + "storia/"
    title = f"Storia degli obiettivi – Area {area.data['lettera']}"
    crumbs = [("aree/", "Argomenti"), (page_url("area", area.id), topic_name(area))]

    def first_page(ctx):
        return breadcrumb(ctx, crumbs) + h1(ctx, "Storia degli obiettivi", f"Area {area.data['lettera']}: {area.title}") + \
            html_block("<p>Gli obiettivi di quest'area in tutti gli Ambiti, attraverso i piani: ogni riga è la storia "
                            "di un obiettivo, con gli obiettivi che prosegue e quelli che lo proseguono, collegati "
                            "direttamente, e per ogni collegamento le righe del piano o il motivo della redazione.</p>")

    return paginated(ctx, base, title, crumbs, first_page, chains,
                          lambda ctx, chunk: chains_table(ctx, chunk, with_ambito=True, caption=title), source=area.path)


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
    # each record once (by its key: a list's "in" compared whole records, quadratic in the
    # records citing a partner, which grow with every Ambito and plan)
    citing = list({(link.source.kind, link.source.id): link.source for link in ctx.catalog.referrers(p)}.values())
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


def sources_index(ctx: PageContext) -> list[Page]:
    docs = ctx.catalog.all("documento")
    ctx = ctx.at("fonti/")
    body = h1(ctx, "Documenti di origine") + html_block(
        "<p>Il contenuto del sito è trascritto da questi documenti. Ogni pagina indica le righe da cui è tratta.</p>"
        + simple_list(ctx, docs))
    return [Page("fonti/", "Documenti di origine", body, sources=[d.path for d in docs])]


def document_pages(ctx: PageContext, doc: Record) -> list[Page]:
    if ctx.preview and doc.data.get("ambito") not in (None, ctx.preview):
        return []
    return source_page(ctx.at("fonti/"), doc, ctx.catalog.derived(cited_in, doc.id))


def cited_in(catalog: Catalog, document: str) -> list[tuple[int, Record]]:
    """(first line, record) of what a document's page lists, in line order. The vocabulary cites
    lines as evidence of the plans' words, not as its content: its page shows them (a document
    would list over a hundred entries more)."""
    return [x for x in sorted(catalog.derived(_citations).get(document, []), key=lambda x: (x[0], x[1].id))
            if x[1].kind not in ("documento", "voce")]


def _citations(catalog: Catalog) -> dict[str, list[tuple[int, Record]]]:
    by_doc = defaultdict(list)
    for r in catalog.by_key.values():
        for source in r.data.get("fonti") or []:
            by_doc[source["documento"]].append(((source.get("righe") or [0])[0], r))
    return by_doc


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
